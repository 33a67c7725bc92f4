#!/usr/bin/env bash
# Runs every test of the repository: builds the solution, starts a throwaway PostgreSQL server for the tests that
# need one (installing it from Debian's packages where missing), runs all test projects, stops the server, and
# prints one closing line "N passed, N failed".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"

pg_dir=""
cleanup() {
  if [ -n "$pg_dir" ]; then "$root/scripts/postgres.sh" stop "$pg_dir" >/dev/null 2>&1 || true; rm -rf "$pg_dir"; fi
}
trap cleanup EXIT

# Debian's docker-compose validates the compose file offline (no Docker engine is needed for `config`).
if ! command -v docker-compose >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "installing Debian's docker-compose"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
  else
    echo "docker-compose is missing: apt-get install docker-compose" >&2; exit 1
  fi
fi

if [ -x "$root/scripts/postgres.sh" ]; then
  pg_dir="$(mktemp -d /tmp/minsheng-pg.XXXXXX)"
  port="${MINSHENG_TEST_PG_PORT:-55432}"
  MINSHENG_TEST_POSTGRES="$("$root/scripts/postgres.sh" start "$pg_dir" "$port" | tail -n 1)"
  export MINSHENG_TEST_POSTGRES
  echo "PostgreSQL for tests: $MINSHENG_TEST_POSTGRES"
fi

dotnet build Minsheng.Grains.sln -c Release -nologo -clp:ErrorsOnly

status=0
dotnet test Minsheng.Grains.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@" || status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  n="$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then status=1; echo "no test ran"; fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
