#!/usr/bin/env bash
# `make bench`: every scenario of issue #7 in one run, with the machine's
# ceilings measured in the same run, written to bench/RESULTS.md.
#
#   bench/run_bench.sh [BUILD_DIR]        (default build)
#
# Knobs (environment; defaults keep the run at about 10-15 min on 2 cores):
#   BENCH_SECONDS=5          measured seconds per cell (plus BENCH_WARMUP=1)
#   BENCH_CONCURRENCY="1 16 64 256"
#   BENCH_SCENARIOS="intake lifecycle reads mix"
#   BENCH_PG=1               also PostgreSQL, 1 and 2 replicas (0: skip)
#   BENCH_SCALE="10000 100000 1000000"   stored complaints for the cost curve
#                            ("" skips the curve and the large export)
#   BENCH_SCALE_CONCURRENCY=64
#   BENCH_PY_VERIFY=0        1: also time the Python verifier on the export
#   BENCH_MAX_OPS=2000000    per cell, a bound on top of the time
#   BENCH_OUT=bench/RESULTS.md   BENCH_JSON=<work dir>/results.jsonl
#   KEEP_WORK=1              keep the work directory (databases, logs)
#
# Only loopback: every redressd listens on 127.0.0.1, port 0 (--port-file).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
REDRESSD=$BUILD/server/redressd
REDRESSCTL=$BUILD/clients/cli/redressctl
BENCH=$BUILD/bench/redress-bench
for bin in "$REDRESSD" "$REDRESSCTL" "$BENCH"; do
  [[ -x "$bin" ]] || { echo "run_bench: $bin missing (build first: make build)" >&2; exit 2; }
done
PYTHON=/usr/bin/python3

SECONDS_PER=${BENCH_SECONDS:-5}
WARMUP=${BENCH_WARMUP:-1}
CONC=${BENCH_CONCURRENCY:-1 16 64 256}
SCENARIOS=${BENCH_SCENARIOS:-intake lifecycle reads mix}
PG=${BENCH_PG:-1}
SCALE=${BENCH_SCALE-10000 100000 1000000}
SCALE_CONC=${BENCH_SCALE_CONCURRENCY:-64}
MAX_OPS=${BENCH_MAX_OPS:-2000000}
OUT=${BENCH_OUT:-$ROOT/bench/RESULTS.md}

# The PostgreSQL phase re-enters this script under scripts/with-postgres.sh.
if [[ "${2:-}" == --pg-phase ]]; then
  PHASE=pg
  WORK=$3
else
  PHASE=main
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/redress-bench.XXXXXX")
fi
JSON=${BENCH_JSON:-$WORK/results.jsonl}
PIDS=()
PG_DBS=()

cleanup() {
  local rc=$?
  local p
  for p in "${PIDS[@]}"; do
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  if [[ "$PHASE" == pg ]]; then
    local db
    for db in "${PG_DBS[@]}"; do
      "$REDRESS_TEST_PG_BIN/psql" "$REDRESS_TEST_PG dbname=postgres" -q \
        -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    done
  elif [[ -z "${KEEP_WORK:-}" ]]; then
    rm -rf "$WORK"
  else
    echo "work directory kept: $WORK" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log() { echo "[bench $(date -u +%T)] $*" >&2; }

# start_server NAME DATABASE -> sets SERVER_PORT, SERVER_PID
start_server() {
  local name=$1 database=$2
  rm -f "$WORK/$name.port"
  "$REDRESSD" --listen 127.0.0.1:0 --port-file "$WORK/$name.port" --database "$database" \
    --signing-key "$WORK/signing-key.pem" --export-digest-key "$WORK/export-digest.key" \
    --rate-limit-per-second 1000000 --dev-allow-personal-data >>"$WORK/$name.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  local i
  for ((i = 0; i < 3000; i++)); do
    if [[ -s "$WORK/$name.port" ]]; then
      SERVER_PORT=$(tr -d '[:space:]' <"$WORK/$name.port")
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 20 "$WORK/$name.log" >&2; echo "redressd $name exited" >&2; exit 1; }
    sleep 0.1
  done
  echo "redressd $name did not start" >&2
  exit 1
}

stop_server() {
  local pid=$1
  kill -TERM "$pid"
  wait "$pid" || { echo "redressd $pid exited with an error" >&2; exit 1; }
  local p keep=()
  for p in "${PIDS[@]}"; do [[ "$p" == "$pid" ]] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}

# bench LABEL ARGS... : one redress-bench run, its JSON line appended
bench() {
  local label=$1
  shift
  "$BENCH" --label "$label" --seconds "$SECONDS_PER" --warmup "$WARMUP" --max-ops "$MAX_OPS" "$@" \
    >>"$JSON" 2> >(tee -a "$WORK/bench.log" >&2)
}

# grid LABEL TARGETS PIDS: noop and every scenario at every concurrency
grid() {
  local label=$1 targets=$2 pids=$3 c s
  for c in $CONC; do
    bench "$label" --scenario noop --target "$targets" --server-pid "$pids" --concurrency "$c"
  done
  for s in $SCENARIOS; do
    for c in $CONC; do
      bench "$label" --scenario "$s" --target "$targets" --server-pid "$pids" --concurrency "$c"
    done
  done
}

# --- PostgreSQL phase (under scripts/with-postgres.sh) --------------------------
if [[ "$PHASE" == pg ]]; then
  PSQL=$REDRESS_TEST_PG_BIN/psql
  for db in redress_bench redress_bench_ceiling; do
    "$PSQL" "$REDRESS_TEST_PG dbname=postgres" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" >/dev/null
    PG_DBS+=("$db")
  done
  log "PostgreSQL: raw commit rate (synchronous_commit=on)"
  for b in 1 64; do
    bench pg --scenario commit --database "postgresql://$REDRESS_TEST_PG dbname=redress_bench_ceiling" --batch "$b"
  done
  DB="postgresql://$REDRESS_TEST_PG dbname=redress_bench"
  start_server pg-a "$DB"
  A_PID=$SERVER_PID A_PORT=$SERVER_PORT
  log "PostgreSQL, one replica"
  grid pg-1 "127.0.0.1:$A_PORT" "$A_PID"
  start_server pg-b "$DB"
  B_PID=$SERVER_PID B_PORT=$SERVER_PORT
  log "PostgreSQL, two replicas"
  grid pg-2 "127.0.0.1:$A_PORT,127.0.0.1:$B_PORT" "$A_PID,$B_PID"
  stop_server "$B_PID"
  stop_server "$A_PID"
  exit 0
fi

# --- main phase ---------------------------------------------------------------------
: >"$JSON"
{
  echo "start_utc=$(date -u +%FT%TZ)"
  echo "loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "seconds=$SECONDS_PER"
  echo "warmup=$WARMUP"
  echo "concurrency=$CONC"
} >"$WORK/run.env"
log "work directory $WORK; load average $(cut -d' ' -f1-3 /proc/loadavg)"

log "SQLite: raw commit rate (WAL, synchronous=FULL)"
for b in 1 64; do
  bench sqlite --scenario commit --database "sqlite:$WORK/ceiling.db" --batch "$b"
done
start_server sqlite "sqlite:$WORK/redress.db"
log "SQLite, one redressd"
grid sqlite "127.0.0.1:$SERVER_PORT" "$SERVER_PID"
stop_server "$SERVER_PID"

if [[ "$PG" == 1 ]]; then
  if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then
    log "PostgreSQL phase"
    BENCH_JSON=$JSON bash "$ROOT/scripts/with-postgres.sh" bash "$0" "$BUILD" --pg-phase "$WORK"
  else
    log "PostgreSQL 15 not installed: skipping (scripts/install-deps.sh)"
  fi
fi

# Cost per transition against the number of stored complaints (SQLite).
if [[ -n "$SCALE" ]]; then
  SDB=$WORK/scale.db
  start_server scale "sqlite:$SDB"
  # A few complaints through the API first: the closed ones the read filter finds.
  bench scale-0 --scenario lifecycle --target "127.0.0.1:$SERVER_PORT" --concurrency 16 --seconds 2 --warmup 0 >/dev/null
  stop_server "$SERVER_PID"
  have=$("$PYTHON" -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM complaints').fetchone()[0])" "$SDB")
  for n in $SCALE; do
    if ((n > have)); then
      log "preloading $((n - have)) complaints (bench/seed_sqlite.py)"
      "$PYTHON" "$ROOT/bench/seed_sqlite.py" "$SDB" "$((n - have))" | tee -a "$WORK/bench.log" >&2
      have=$n
    fi
    t0=$(date +%s.%N)
    start_server scale "sqlite:$SDB"
    t1=$(date +%s.%N)
    log "$n stored: redressd ready in $(awk "BEGIN{printf \"%.2f\", $t1 - $t0}") s"
    echo "{\"scenario\":\"startup\",\"label\":\"scale-$n\",\"seconds\":$(awk "BEGIN{printf \"%.2f\", $t1 - $t0}"),\"errors\":0}" >>"$JSON"
    target="127.0.0.1:$SERVER_PORT"
    bench "scale-$n" --scenario noop --target "$target" --server-pid "$SERVER_PID" --concurrency "$SCALE_CONC" --seconds 1 --warmup 0.5
    bench "scale-$n" --scenario lifecycle --target "$target" --server-pid "$SERVER_PID" --concurrency "$SCALE_CONC"
    bench "scale-$n" --scenario lifecycle --target "$target" --server-pid "$SERVER_PID" --concurrency 1
    bench "scale-$n" --scenario reads --target "$target" --server-pid "$SERVER_PID" --concurrency "$SCALE_CONC"
    have=$("$PYTHON" -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM complaints').fetchone()[0])" "$SDB")
    LAST_PID=$SERVER_PID LAST_PORT=$SERVER_PORT LAST_N=$n
    if [[ "$n" != "${SCALE##* }" ]]; then stop_server "$SERVER_PID"; fi
  done

  # Export of the large trail (the biggest database) and offline verification.
  log "export of the large trail ($LAST_N complaints stored)"
  if [[ "${BENCH_RAW_EXPORT:-0}" == 1 ]]; then
    bench "export-$LAST_N" --scenario export --target "127.0.0.1:$LAST_PORT" --server-pid "$LAST_PID" \
      --out "$WORK/trail.bin" --seconds 3600
    rm -f "$WORK/trail.bin"
  fi
  CTL=("$REDRESSCTL" --server "127.0.0.1:$LAST_PORT" --actor bench --timeout 3600)
  "${CTL[@]}" audit public-key >"$WORK/key.txt"
  timed() {  # timed NAME EVENTS-FROM-OUTPUT CMD... -> JSON line
    local name=$1
    shift
    local t0 t1 rc=0 s0=0 s1=0
    # The server's CPU (utime + stime, clock ticks) while the command runs.
    server_ticks() { awk '{print $14 + $15}' "/proc/$LAST_PID/stat" 2>/dev/null || echo 0; }
    s0=$(server_ticks)
    t0=$(date +%s.%N)
    /usr/bin/time -f "%M %U %S" -o "$WORK/time.out" "$@" >"$WORK/cmd.out" 2>&1 || rc=$?
    t1=$(date +%s.%N)
    s1=$(server_ticks)
    "$PYTHON" - "$name" "$LAST_N" "$t0" "$t1" "$rc" "$WORK/time.out" "$WORK/cmd.out" "$s0" "$s1" "$(getconf CLK_TCK)" >>"$JSON" <<'PY'
import json, re, sys
name, n, t0, t1, rc, tf, of, s0, s1, tck = sys.argv[1:]
out = open(of).read().strip()
m = re.search(r"(\d+) events", out)
rss, user, sys_ = open(tf).read().split()[-3:]
secs = float(t1) - float(t0)
ev = int(m.group(1)) if m else 0
print(json.dumps({"scenario": name, "label": "export-" + n, "seconds": secs, "events": ev,
                  "events_per_s": ev / secs, "max_rss_mib": int(rss) / 1024,
                  "cpu_cores": (float(user) + float(sys_)) / secs, "errors": int(rc != "0"),
                  "server_cpu_cores": (float(s1) - float(s0)) / float(tck) / secs,
                  "first_error": "" if rc == "0" else out[-300:], "output": out.splitlines()[-1] if out else ""}))
PY
    tail -n1 "$WORK/cmd.out" >&2
  }
  timed export-jsonl "${CTL[@]}" audit export --format jsonl --out "$WORK/trail.jsonl"
  echo "{\"scenario\":\"server-rss\",\"label\":\"export-$LAST_N\",\"hwm_mib\":$(( $(awk '/VmHWM/{print $2}' /proc/$LAST_PID/status) / 1024 )),\"rss_mib\":$(( $(awk '/VmRSS/{print $2}' /proc/$LAST_PID/status) / 1024 )),\"complaints\":$have,\"errors\":0}" >>"$JSON"
  stop_server "$LAST_PID"
  timed verify-cpp "$REDRESSCTL" audit verify "$WORK/trail.jsonl" --public-key "$WORK/key.txt"
  if [[ "${BENCH_PY_VERIFY:-0}" == 1 ]]; then
    timed verify-python "$PYTHON" "$ROOT/clients/python/redress_verify.py" "$WORK/trail.jsonl" --public-key "$(cat "$WORK/key.txt")"
  fi
  rm -f "$WORK/trail.jsonl"
fi

echo "end_utc=$(date -u +%FT%TZ)" >>"$WORK/run.env"
echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$WORK/run.env"
"$PYTHON" "$ROOT/bench/report.py" --results "$JSON" --env "$WORK/run.env" --build "$BUILD" --out "$OUT"
log "wrote $OUT"
errors=$("$PYTHON" -c "import json,sys; print(sum(int(json.loads(l).get('errors',0)) for l in open(sys.argv[1]) if l.strip()))" "$JSON")
if ((errors > 0)); then
  log "$errors calls failed: see first_error in $OUT"
  exit 1
fi
