#!/usr/bin/env bash
# The long form of the reliability tests (`make torture`): every scenario of
# tests/reliability/reliability.py with many cycles, SQLite and PostgreSQL
# (a throwaway server from scripts/with-postgres.sh; the outage scenario gets
# its own so that stopping it disturbs nothing else). Prints every RESULT
# line at the end and fails if any scenario failed.
#
# Environment: BUILD_DIR (default build), KILL_CYCLES_SQLITE (50),
# KILL_CYCLES_PG (20), OUTAGE_CYCLES (10), DISK_CYCLES (5),
# GRACEFUL_CYCLES (10), REPLICA_SECONDS (60), TORTURE_LOG (a temp file).
set -uo pipefail
cd "$(dirname "$0")/../.."

BUILD_DIR=${BUILD_DIR:-build}
REDRESSD=$BUILD_DIR/server/redressd
REDRESSCTL=$BUILD_DIR/clients/cli/redressctl
for b in "$REDRESSD" "$REDRESSCTL"; do
  [[ -x "$b" ]] || { echo "torture: $b not built (make build)" >&2; exit 2; }
done
PY=/usr/bin/python3
REL=tests/reliability/reliability.py
COMMON=(--redressd "$REDRESSD" --redressctl "$REDRESSCTL")
LOG=${TORTURE_LOG:-$(mktemp /tmp/redress-torture.XXXXXX.log)}
: >"$LOG"
failed=()

step() {  # NAME CMD...
  local name=$1
  shift
  echo "=== torture: $name ($(date -u +%FT%TZ))" | tee -a "$LOG"
  if ! "$@" 2>&1 | tee -a "$LOG"; then
    failed+=("$name")
  fi
}

step "kill -9, SQLite" $PY $REL kill9 "${COMMON[@]}" --backend sqlite \
  --cycles "${KILL_CYCLES_SQLITE:-50}"
step "kill -9, PostgreSQL" bash scripts/with-postgres.sh $PY $REL kill9 "${COMMON[@]}" \
  --backend postgresql --cycles "${KILL_CYCLES_PG:-20}" --min-run 1 --max-run 3
step "PostgreSQL outage" bash scripts/with-postgres.sh $PY $REL pg-outage "${COMMON[@]}" \
  --backend postgresql --cycles "${OUTAGE_CYCLES:-10}"
step "disk full, SQLite" $PY $REL disk-full "${COMMON[@]}" --backend sqlite \
  --cycles "${DISK_CYCLES:-5}"
step "two replicas, PostgreSQL" bash scripts/with-postgres.sh $PY $REL replicas "${COMMON[@]}" \
  --backend postgresql --threads 12 --seconds "${REPLICA_SECONDS:-60}"
step "graceful shutdown, SQLite" $PY $REL graceful "${COMMON[@]}" --backend sqlite \
  --cycles "${GRACEFUL_CYCLES:-10}"
step "graceful shutdown, PostgreSQL" bash scripts/with-postgres.sh $PY $REL graceful "${COMMON[@]}" \
  --backend postgresql --cycles "${GRACEFUL_CYCLES:-10}"

echo
echo "=== torture summary (log: $LOG)"
grep '^RESULT ' "$LOG" | sed 's/ codes={.*}//'
if ((${#failed[@]} > 0)); then
  echo "torture: FAILED: ${failed[*]}"
  exit 1
fi
echo "torture: all scenarios passed"
