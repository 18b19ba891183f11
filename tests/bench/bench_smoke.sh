#!/usr/bin/env bash
# Smoke test of the benchmark tool (bench/redress_bench.cc), so that it can't
# silently rot: a real redressd on SQLite, redress-bench for about a second per
# scenario at tiny concurrency; every scenario must report completed work and
# no errors. No speed is asserted (speed targets live in bench/RESULTS.md).
#
#   tests/bench/bench_smoke.sh REDRESSD REDRESSCTL REDRESS_BENCH
set -euo pipefail
if (($# != 3)); then
  echo "usage: $0 REDRESSD REDRESSCTL REDRESS_BENCH" >&2
  exit 2
fi
BENCH_BIN=$3
[[ -x "$BENCH_BIN" ]] || { echo "$0: $BENCH_BIN is not an executable" >&2; exit 2; }
# shellcheck source=../e2e/harness.sh
source "$(dirname "$0")/../e2e/harness.sh"
e2e_init bench_smoke.sh bench-smoke bench-smoke "$1" "$2" sqlite
SERVER_FLAGS=(--rate-limit-per-second 100000)
start_server

# run SCENARIO ARGS... -> the JSON line in $WORK/SCENARIO.json
run() {
  local s=$1
  shift
  "$BENCH_BIN" --scenario "$s" --label smoke --seconds 1 --warmup 0.2 --max-ops 20000 "$@" \
    >"$WORK/$s.json" 2>>"$WORK/bench.err" || fail "redress-bench --scenario $s failed: $(tail -n5 "$WORK/bench.err")"
  log "$(cat "$WORK/$s.json")"
}
# check SCENARIO PYTHON-CONDITION (over the JSON object's keys)
check() {
  json "$2" "$WORK/$1.json" | grep -qx True || fail "$1: expected $2, got $(cat "$WORK/$1.json")"
}

TARGET=127.0.0.1:$PORT
run noop --target "$TARGET" --server-pid "$SERVER_PID" --concurrency 2
check noop 'errors == 0 and ops > 0 and server_rss_mib > 0'
run intake --target "$TARGET" --server-pid "$SERVER_PID" --concurrency 2
check intake 'errors == 0 and transitions > 0 and transitions == ops'
run lifecycle --target "$TARGET" --server-pid "$SERVER_PID" --concurrency 2
# Six writes per completed complaint, give or take the lifecycles cut by the
# window edges (at most 5 writes per slot at each edge).
check lifecycle "errors == 0 and completed > 0 and abs(transitions - 6 * completed) <= 2 * 5"
run reads --target "$TARGET" --concurrency 2 --read-pool 20
check reads 'errors == 0 and ops > 0 and transitions == 0 and pool == 20'
run mix --target "$TARGET" --concurrency 2 --read-pool 20
check mix 'errors == 0 and ops > transitions > 0'
run export --target "$TARGET" --out "$WORK/trail.bin" --seconds 30
check export 'errors == 0 and events > 0'
run commit --database "sqlite:$WORK/ceiling.db" --batch 4
check commit 'errors == 0 and transactions > 0 and rows == 4 * transactions'

# The server saw the work: the lifecycle's complaints are closed.
CTL_ACTOR=bench
ctl_raw list --filter 'state = CLOSED' --output json --page-size 1000 || fail "list: $(cat "$ERR")"
closed=$(json 'len(J.get("complaints", []))')
((closed > 0)) || fail "no closed complaint stored"
stop_server
log "PASS ($closed closed complaints)"
