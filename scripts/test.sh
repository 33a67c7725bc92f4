#!/usr/bin/env bash
# Runs every test of the repository: builds the solution, starts a throwaway PostgreSQL server for the tests that
# need one (installing it from Debian's packages where missing), runs all test projects, stops the server, runs the
# page's browser tests (installing Debian's chromium where missing), the OpenAPI document's lint and the Kubernetes
# manifests' checks (installing Debian's nginx and kubectl for the deployment files' checks where missing), and prints
# one closing line "N passed, N failed".
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

# The deployment files' offline checks (DeploymentFilesTests, tests/deploy): Debian's nginx (`nginx -t` on the proxy
# configuration) and kubectl (`kubectl kustomize` on k8s/; Debian's is the package kubernetes-client). A kubectl already
# on the machine is used as it is: k8s/ renders the same with Debian's 1.20 and current ones.
for tool in nginx:nginx-light kubectl:kubernetes-client; do
  if ! command -v "${tool%%:*}" >/dev/null 2>&1 && [ ! -x "/usr/sbin/${tool%%:*}" ]; then
    if [ "$(id -u)" -eq 0 ]; then
      echo "installing Debian's ${tool#*:}"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${tool#*:}" >/dev/null
    else
      echo "${tool%%:*} is missing: apt-get install ${tool#*:}" >&2; exit 1
    fi
  fi
done

# Debian's prometheus package gives promtool, which checks the /metrics exposition and deploy/observability/prometheus.yml.
# Without it (not root, or no package source) those checks are skipped with a message, not failed.
if ! command -v promtool >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "installing Debian's prometheus (for promtool)"
    { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null; } \
      || echo "promtool could not be installed: the promtool checks of the telemetry tests will be skipped" >&2
  else
    echo "promtool is missing (apt-get install prometheus): the promtool checks of the telemetry tests will be skipped" >&2
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

# A node --test suite of the repository (its own npm packages, lockfile committed): installs them, runs it with the
# TAP reporter into TestResults/NAME.tap, prints its results and adds its counts to node_passed / node_failed.
node_passed=0; node_failed=0
node_suite() {
  local dir="$1" name="$2" label="$3"; shift 3
  (cd "$root/$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  local suite_status=0 tap="$results/$name.tap"
  (cd "$root/$dir" && env "$@" node --test --test-concurrency=1 --test-reporter=tap) >"$tap" 2>&1 || suite_status=$?
  grep -E '^(not )?ok [0-9]+ ' "$tap" || true
  local p f
  p="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -n 1)"; p="${p:-0}"
  f="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" | tail -n 1)"; f="${f:-0}"
  if [ "$suite_status" -ne 0 ]; then
    status=1
    [ "$f" -eq 0 ] && f=1
    echo "$label failed: see $tap" >&2
    grep -E -A 30 '^not ok' "$tap" | head -n 80 >&2 || true
  fi
  echo "$label: $p passed, $f failed"
  node_passed=$((node_passed + p)); node_failed=$((node_failed + f))
}

# Browser tests of the battle-map page (tests/page): Debian's Chromium driven by playwright-core against the real
# service built above. They run with the whole suite; with extra arguments (a filter) only when MINSHENG_PAGE_TESTS=1.
if [ $# -eq 0 ] || [ "${MINSHENG_PAGE_TESTS:-0}" = "1" ]; then
  if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" -eq 0 ]; then
      echo "installing Debian's chromium"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      echo "chromium is missing: apt-get install chromium" >&2; exit 1
    fi
  fi
  node_suite tests/page page-tests "page tests (screenshots in TestResults/page/)" MINSHENG_PAGE_NO_BUILD=1 MINSHENG_PAGE_CONFIGURATION=Release
fi

# The OpenAPI document's lint (tests/openapi-lint): Spectral (spectral:oas) and Redocly (recommended) over
# docs/openapi.v1.json, which a .NET test keeps equal to the served document. Runs like the page tests: with the whole
# suite; with extra arguments (a filter) only when MINSHENG_LINT_TESTS=1.
if [ $# -eq 0 ] || [ "${MINSHENG_LINT_TESTS:-0}" = "1" ]; then
  node_suite tests/openapi-lint openapi-lint "OpenAPI lint"
fi

# The Kubernetes manifests (tests/deploy): every object kubectl kustomize renders from k8s/ validated against the
# Kubernetes types (kubernetes-models), selectors and references. Runs with the whole suite; with extra arguments only
# when MINSHENG_DEPLOY_TESTS=1.
if [ $# -eq 0 ] || [ "${MINSHENG_DEPLOY_TESTS:-0}" = "1" ]; then
  node_suite tests/deploy deploy-checks "deployment checks"
fi

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  n="$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done
passed=$((passed + node_passed)); failed=$((failed + node_failed))
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then status=1; echo "no test ran"; fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
