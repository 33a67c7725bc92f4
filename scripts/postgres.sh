#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests: its own data directory, its own port, 127.0.0.1 only, trust auth.
# Never use it for anything but tests.
#
#   scripts/postgres.sh start DIR PORT   create (if DIR holds no cluster yet) and start a server in DIR on
#                                        127.0.0.1:PORT, create database "minsheng", and print its connection
#                                        string as the only line on stdout:
#                                        Host=127.0.0.1;Port=PORT;Username=postgres;Database=minsheng
#   scripts/postgres.sh stop DIR         stop it (fast shutdown); nothing to do if it is not running
#   scripts/postgres.sh restart DIR      stop, then start again on the same data and port (for fault tests)
#   scripts/postgres.sh status DIR       exit 0 if running
#
# Installs Debian's "postgresql" package when no initdb is found (as root: apt-get update, apt-get install).
# initdb and pg_ctl refuse to run as root, so as root they run as the "postgres" user, which then owns DIR.
# Progress goes to stderr, so: MINSHENG_TEST_POSTGRES="$(scripts/postgres.sh start "$dir" 55432)".
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }
usage() { echo "usage: $0 start DIR PORT | stop DIR | restart DIR | status DIR" >&2; exit 2; }

# The directory holding initdb/pg_ctl/postgres/psql: Debian's newest /usr/lib/postgresql/N/bin, else initdb on PATH.
find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1; then
    d="$(dirname "$(readlink -f "$(command -v initdb)")")"
    if [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  fi
  return 1
}

ensure_installed() {
  if BIN="$(find_bin)"; then return 0; fi
  [ "$(id -u)" -eq 0 ] || die "PostgreSQL is not installed; as root run: apt-get update && apt-get install -y postgresql"
  log "installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  BIN="$(find_bin)" || die "postgresql was installed but no initdb was found under /usr/lib/postgresql/*/bin"
}

# Runs a server-side program as the user owning the cluster (postgres when we are root), from a directory it can read.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    local runuser
    runuser="$(command -v runuser || echo /usr/sbin/runuser)"
    (cd / && "$runuser" -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

abs_dir() { mkdir -p "$1" && (cd "$1" && pwd -P); }

is_running() { [ -f "$DATA/PG_VERSION" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

wait_ready() {
  local port="$1" deadline=$((SECONDS + 60))
  until "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 30 "$DIR/postgres.log" >&2 || true
      die "server in $DIR did not accept connections on 127.0.0.1:$port within 60 s"
    fi
    sleep 0.1
  done
}

cmd_start() {
  local port="$1"
  [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "bad port: $port"
  ensure_installed

  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "user 'postgres' is missing (the postgresql package creates it)"
    chown postgres: "$DIR"
    as_owner test -w "$DIR" || die "user postgres cannot write $DIR (is a parent directory closed to it?)"
  fi
  mkdir -p "$DIR/run"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$DIR/run"

  if [ ! -f "$DATA/PG_VERSION" ]; then
    log "initdb in $DATA ($("$BIN/postgres" --version))"
    as_owner "$BIN/initdb" -D "$DATA" --username=postgres --auth=trust --encoding=UTF8 --locale=C --no-sync >/dev/null
    # Our settings live in an included file, rewritten on every start (so the port can change).
    echo "include_if_exists = 'minsheng-test.conf'" | as_owner tee -a "$DATA/postgresql.conf" >/dev/null
  fi

  cat <<EOF | as_owner tee "$DATA/minsheng-test.conf" >/dev/null
# Written by scripts/postgres.sh: a throwaway test server.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$DIR/run'
max_connections = 300
fsync = off
full_page_writes = off
synchronous_commit = on
EOF
  echo "$port" > "$DIR/port"

  if is_running; then
    local running_port
    running_port="$(sed -n 4p "$DATA/postmaster.pid" 2>/dev/null || true)"
    if [ "$running_port" != "$port" ]; then
      log "running on port $running_port; restarting on $port"
      as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null
    else
      log "already running in $DIR on 127.0.0.1:$port"
    fi
  fi
  if ! is_running; then
    touch "$DIR/postgres.log"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$DIR/postgres.log"
    if ! as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DIR/postgres.log" -w -t 60 start >/dev/null; then
      tail -n 30 "$DIR/postgres.log" >&2 || true
      die "pg_ctl start failed (is port $port taken?)"
    fi
  fi
  wait_ready "$port"

  local exists
  exists="$("$BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -XtAq \
    -c "SELECT 1 FROM pg_database WHERE datname = 'minsheng'")"
  if [ "$exists" != "1" ]; then
    "$BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -XqAt -v ON_ERROR_STOP=1 \
      -c "CREATE DATABASE minsheng" >/dev/null
  fi
  log "ready: 127.0.0.1:$port, data in $DATA, log $DIR/postgres.log"
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=minsheng"
}

cmd_stop() {
  if [ ! -f "$DATA/PG_VERSION" ]; then log "no cluster in $DIR"; return 0; fi
  BIN="$(find_bin)" || die "PostgreSQL is not installed"
  if is_running; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null
    log "stopped server in $DIR"
  else
    log "server in $DIR is not running"
  fi
}

[ $# -ge 2 ] || usage
action="$1"
DIR="$(abs_dir "$2")"
DATA="$DIR/data"
BIN=""
case "$action" in
  start)
    [ $# -eq 3 ] || usage
    cmd_start "$3" ;;
  stop)
    [ $# -eq 2 ] || usage
    cmd_stop ;;
  restart)
    [ $# -eq 2 ] || usage
    [ -f "$DIR/port" ] || die "no server was started in $DIR"
    cmd_stop
    cmd_start "$(cat "$DIR/port")" ;;
  status)
    BIN="$(find_bin)" || exit 1
    is_running ;;
  *) usage ;;
esac
