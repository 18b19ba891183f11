# shellcheck shell=bash
# Shared harness of the end-to-end scripts (tests/e2e/lifecycle_e2e.sh,
# tests/e2e/token_mode_e2e.sh,
# tests/audit/audit_e2e.sh): arguments, a work directory, a fresh database
# (a SQLite file, or a fresh database on the PostgreSQL server named by
# REDRESS_TEST_PG -- see scripts/with-postgres.sh), starting and stopping
# redressd, and cleanup on every exit. Source it, then call
#
#   e2e_init SCRIPT_NAME TAG DB_PREFIX "$@"
#
# Afterwards REDRESSD REDRESSCTL BACKEND PYTHON TAG WORK SERVER_LOG PORT_FILE
# DATABASE OUT ERR (and PSQL, PG_DB on PostgreSQL) are set, and log, fail,
# start_server, stop_server, ctl_raw and json are defined. start_server adds
# the flags in the array SERVER_FLAGS; ctl_raw acts as $CTL_ACTOR.
# KEEP_WORK=1 keeps the work directory for inspection.

log() { echo "[$TAG] $*"; }

fail() {
  echo "[$TAG] FAIL: $*" >&2
  if [[ -s "$SERVER_LOG" ]]; then
    echo "--- redressd log (last 40 lines) ---" >&2
    tail -n 40 "$SERVER_LOG" >&2
    echo "---" >&2
  fi
  exit 1
}

e2e_cleanup() {
  local rc=$?
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ -n "$PG_DB" ]]; then
    "$PSQL" "$REDRESS_TEST_PG dbname=postgres" -q -v ON_ERROR_STOP=1 \
      -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 ||
      echo "[$TAG] warning: could not drop database $PG_DB" >&2
  fi
  if [[ -n "${KEEP_WORK:-}" ]]; then
    echo "[$TAG] work directory kept: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}

e2e_init() {
  local name=$1 tag=$2 db_prefix=$3
  shift 3
  if (($# != 3)); then
    echo "usage: $name REDRESSD REDRESSCTL sqlite|postgresql" >&2
    exit 2
  fi
  REDRESSD=$1
  REDRESSCTL=$2
  BACKEND=$3
  case "$BACKEND" in
    sqlite | postgresql) ;;
    *) echo "$name: unknown backend '$BACKEND'" >&2; exit 2 ;;
  esac
  local bin
  for bin in "$REDRESSD" "$REDRESSCTL"; do
    [[ -x "$bin" ]] || { echo "$name: $bin is not an executable" >&2; exit 2; }
  done
  PYTHON=/usr/bin/python3
  [[ -x "$PYTHON" ]] || PYTHON=python3

  TAG="$tag ($BACKEND)"
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/redress-$db_prefix.XXXXXX")
  SERVER_LOG=$WORK/redressd.log
  PORT_FILE=$WORK/port
  OUT=$WORK/out
  ERR=$WORK/err
  SERVER_PID=
  PORT=
  PG_DB=
  PSQL=
  SERVER_FLAGS=()
  trap e2e_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  if [[ "$BACKEND" == sqlite ]]; then
    DATABASE="sqlite:$WORK/redress.db"
    return 0
  fi
  if [[ -z "${REDRESS_TEST_PG:-}" ]]; then
    if [[ "${REDRESS_REQUIRE_PG:-}" == 1 ]]; then
      fail "REDRESS_TEST_PG is not set but REDRESS_REQUIRE_PG=1 (run under scripts/with-postgres.sh)"
    fi
    echo "[$TAG] SKIP: REDRESS_TEST_PG is not set (run under scripts/with-postgres.sh)"
    exit 0
  fi
  local candidate
  for candidate in "${REDRESS_TEST_PG_BIN:-}/psql" /usr/lib/postgresql/15/bin/psql "$(command -v psql || true)"; do
    if [[ -x "$candidate" && ! -d "$candidate" ]]; then
      PSQL=$candidate
      break
    fi
  done
  [[ -n "$PSQL" ]] || fail "psql not found"
  local db="redress_${db_prefix//-/_}_$$_$RANDOM"
  "$PSQL" "$REDRESS_TEST_PG dbname=postgres" -q -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE $db" >"$WORK/psql.log" 2>&1 ||
    fail "cannot create database $db on '$REDRESS_TEST_PG': $(cat "$WORK/psql.log")"
  PG_DB=$db
  DATABASE="postgresql://$REDRESS_TEST_PG dbname=$PG_DB"
}

start_server() {
  rm -f "$PORT_FILE"
  echo "=== redressd start $(date -u +%FT%TZ)" >>"$SERVER_LOG"
  # Development mode withholds personal data and refuses export/erasure
  # unless told otherwise; the scripted lifecycles exercise all of it.
  local dev=(--dev-allow-personal-data)
  [[ " ${SERVER_FLAGS[*]} " == *" --access-config "* ]] && dev=()
  "$REDRESSD" --listen 127.0.0.1:0 --database "$DATABASE" --port-file "$PORT_FILE" \
    --signing-key "$WORK/signing-key.pem" --export-digest-key "$WORK/export-digest.key" \
    "${dev[@]}" "${SERVER_FLAGS[@]}" >>"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  local i
  for ((i = 0; i < 200; i++)); do
    if [[ -s "$PORT_FILE" ]]; then
      PORT=$(tr -d '[:space:]' <"$PORT_FILE")
      [[ "$PORT" =~ ^[0-9]+$ && "$PORT" -gt 0 ]] || fail "bad port file content '$PORT'"
      return 0
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      local rc=0
      wait "$SERVER_PID" || rc=$?
      SERVER_PID=
      fail "redressd exited with status $rc before serving"
    fi
    sleep 0.1
  done
  fail "redressd did not write $PORT_FILE within 20 s"
}

# SIGTERM; the server must exit 0 within 15 s.
stop_server() {
  kill -TERM "$SERVER_PID"
  local i
  for ((i = 0; i < 150; i++)); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    fail "redressd did not exit within 15 s of SIGTERM"
  fi
  local rc=0
  wait "$SERVER_PID" || rc=$?
  SERVER_PID=
  ((rc == 0)) || fail "redressd exited with status $rc after SIGTERM (expected 0)"
}

# redressctl as $CTL_ACTOR; stdout in $OUT, stderr in $ERR.
ctl_raw() {
  "$REDRESSCTL" --server "127.0.0.1:$PORT" --actor "$CTL_ACTOR" "$@" >"$OUT" 2>"$ERR"
}

# json EXPR [FILE]: a Python expression over the JSON object in FILE (default
# the last output); its keys are variables and J is the whole object.
json() {
  "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[2]))
print(eval(sys.argv[1], {"len": len, "J": d}, dict(d)))
' "$1" "${2:-$OUT}" || fail "cannot evaluate '$1' on: $(cat "${2:-$OUT}")"
}
