#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh CMD [ARGS...]
#
# Runs CMD with a throwaway PostgreSQL 15 server: a fresh cluster in a temp
# directory, listening on a free TCP port on 127.0.0.1 only (trust auth, user
# postgres). CMD sees:
#   REDRESS_TEST_PG="host=127.0.0.1 port=PORT user=postgres"  (no dbname)
#   REDRESS_REQUIRE_PG=1          PostgreSQL tests must not skip
#   REDRESS_TEST_PG_BIN=DIR       initdb, pg_ctl, postgres, psql, ...
#   REDRESS_TEST_PG_DATA=DIR      the cluster's data directory
#   REDRESS_TEST_PG_USER=USER     the OS user the server runs as (postgres when
#                                 we are root: the server refuses to run as root)
# The server is always stopped and the directory removed afterwards; the exit
# status is CMD's.
set -euo pipefail

if (($# == 0)); then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

PG_BIN=${REDRESS_PG_BIN:-/usr/lib/postgresql/15/bin}
for tool in initdb pg_ctl postgres pg_isready; do
  if [[ ! -x "$PG_BIN/$tool" ]]; then
    echo "with-postgres: $PG_BIN/$tool not found (apt-get install postgresql, or run scripts/install-deps.sh)" >&2
    exit 1
  fi
done

# The server must not run as root: use the postgres system user then.
if [[ $(id -u) -eq 0 ]]; then
  PG_USER=postgres
  if ! id "$PG_USER" >/dev/null 2>&1; then
    echo "with-postgres: running as root but there is no '$PG_USER' user to run the server as" >&2
    exit 1
  fi
  as_pg() { (cd "$PG_ROOT" && runuser -u "$PG_USER" -- "$@"); }
else
  PG_USER=$(id -un)
  as_pg() { (cd "$PG_ROOT" && "$@"); }
fi

# Under /tmp (not $TMPDIR): the postgres user must reach it and the socket
# path must stay short.
PG_ROOT=$(mktemp -d /tmp/redress-pg.XXXXXX)
PG_DATA=$PG_ROOT/data
PG_LOG=$PG_ROOT/server.log
chmod 700 "$PG_ROOT"
[[ $(id -u) -eq 0 ]] && chown "$PG_USER:" "$PG_ROOT"

CHILD=
CLEANED=
cleanup() {
  [[ -n "$CLEANED" ]] && return
  CLEANED=1
  if [[ -n "$CHILD" ]] && kill -0 "$CHILD" 2>/dev/null; then
    kill -TERM "$CHILD" 2>/dev/null || true
    wait "$CHILD" 2>/dev/null || true
  fi
  if [[ -f "$PG_DATA/postmaster.pid" ]]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    # Last resort: the postmaster's pid is the first line of postmaster.pid.
    if [[ -f "$PG_DATA/postmaster.pid" ]]; then
      pid=$(head -n1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)
      [[ "$pid" =~ ^[0-9]+$ ]] && kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$PG_ROOT"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

fail() {
  echo "with-postgres: $*" >&2
  [[ -f "$PG_LOG" ]] && { echo "--- server log ---" >&2; tail -n 30 "$PG_LOG" >&2; }
  exit 1
}

# A free port: bind port 0 and report what the kernel picked.
free_port() {
  if [[ -x /usr/bin/python3 ]]; then
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
  else
    echo $((20000 + RANDOM % 20000))
  fi
}

as_pg "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres -E UTF8 --locale=C \
  >"$PG_ROOT/initdb.log" 2>&1 || { cat "$PG_ROOT/initdb.log" >&2; fail "initdb failed"; }

# Another process may grab the port between picking and binding: retry.
started=
for attempt in 1 2 3 4 5; do
  PORT=$(free_port)
  if as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$PG_ROOT -c fsync=on -c max_connections=200" \
      start >/dev/null 2>&1; then
    started=1
    break
  fi
done
[[ -n "$started" ]] || fail "could not start the server"

ready=
for _ in $(seq 1 100); do
  if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres; then
    ready=1
    break
  fi
  sleep 0.1
done
[[ -n "$ready" ]] || fail "server on port $PORT did not become ready"

export REDRESS_TEST_PG="host=127.0.0.1 port=$PORT user=postgres"
export REDRESS_REQUIRE_PG=1
export REDRESS_TEST_PG_BIN=$PG_BIN
export REDRESS_TEST_PG_DATA=$PG_DATA
export REDRESS_TEST_PG_USER=$PG_USER
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (data $PG_DATA)" >&2

# Run CMD in the background (keeping our stdin) so that INT/TERM reach the
# traps at once; then wait for it and pass its status on.
exec 3<&0
"$@" <&3 3<&- &
CHILD=$!
exec 3<&-
set +e
wait "$CHILD"
rc=$?
set -e
CHILD=
exit "$rc"
