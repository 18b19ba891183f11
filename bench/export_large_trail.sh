#!/usr/bin/env bash
# Benchmark: export and offline verification of a large audit trail.
#
#   bench/export_large_trail.sh [BUILD_DIR]      (BENCH_EVENTS=1000000 by default)
#
# Seeds a SQLite database with BENCH_EVENTS valid, hash-chained events (5 per
# complaint, compliance-docs/audit-trail.md encoding) written straight into
# the tables -- the write path is the performance issue's subject, not this
# one's -- then starts redressd (which rebuilds its Merkle accumulator and
# seals a checkpoint), exports the complete trail with redressctl and verifies
# it with both verifiers. Reports throughput and peak memory (VmHWM / max RSS)
# so constant memory can be checked against smaller runs.
set -euo pipefail
BUILD=${1:-build}
N=${BENCH_EVENTS:-1000000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/redress-bench-export.XXXXXX")
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
PID=

"$BUILD/server/redressd" --listen 127.0.0.1:0 --port-file "$WORK/port0" --database "sqlite:$WORK/db.sqlite" \
  --signing-key "$WORK/key.pem" --export-digest-key "$WORK/digest.key" --dev-allow-personal-data 2>"$WORK/init.log" &
PID=$!
for _ in $(seq 100); do [[ -s "$WORK/port0" ]] && break; sleep 0.1; done
kill -TERM "$PID"; wait "$PID" || true

echo "seeding $N events..."
/usr/bin/python3 - "$WORK/db.sqlite" "$N" <<'PY'
import hashlib, sqlite3, struct, sys, uuid, time
db, n = sys.argv[1], int(sys.argv[2])
def s(b): return struct.pack(">I", len(b)) + b
con = sqlite3.connect(db)
con.execute("PRAGMA synchronous=OFF")
t0 = time.time()
events, complaints, people = [], [], []
ledger = 0
per = 5
base_us = 1790000000 * 1000000
for c in range((n + per - 1) // per):
    cid = str(uuid.UUID(int=c + 1, version=4))
    name = ("complaints/" + cid).encode()
    prev = bytes(32)
    for seq in range(1, per + 1):
        if ledger >= n: break
        typ, frm, to = (b"SUBMITTED", 0, 1) if seq == 1 else (b"NOTE_ADDED", 1, 1)
        payload = b'{"complaint":{}}' if seq == 1 else b'{"text":"note","visibility":"VISIBILITY_INTERNAL"}'
        t = base_us + ledger
        enc = (b"REDRESS-EVENT-V1" + s(name) + struct.pack(">Q", seq) + s(typ) + struct.pack(">II", frm, to)
               + s(b"bench") + s(b"") + struct.pack(">q", t) + s(payload) + prev)
        h = hashlib.sha256(enc).digest()
        events.append((cid, seq, typ.decode(), frm, to, "bench", "", t, payload.decode(), prev.hex(), h.hex(), ledger))
        prev = h
        ledger += 1
    complaints.append((cid, "CMP-B-%07d" % c, 1, 1, "", "", base_us, base_us, seq, prev.hex(), ""))
    people.append((cid, "", "", "", 1))
con.execute("BEGIN")
con.executemany("INSERT INTO complaints (id, reference, state, channel, category, assignee, create_time_us, "
                "update_time_us, version, last_event_hash, body) VALUES (?,?,?,?,?,?,?,?,?,?,?)", complaints)
con.executemany("INSERT INTO complainants (complaint_id, salt, digest, data, erase_time_us) VALUES (?,?,?,?,?)", people)
con.executemany("INSERT INTO complaint_events (complaint_id, sequence, type, from_state, to_state, actor, "
                "request_id, event_time_us, payload, prev_hash, hash, ledger_index) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                events)
con.execute("UPDATE ledger_head SET next_index = ?", (ledger,))
con.execute("COMMIT")
print(f"seeded {ledger} events, {len(complaints)} complaints in {time.time() - t0:.1f} s")
PY

"$BUILD/server/redressd" --listen 127.0.0.1:0 --port-file "$WORK/port" --database "sqlite:$WORK/db.sqlite" \
  --signing-key "$WORK/key.pem" --export-digest-key "$WORK/digest.key" --dev-allow-personal-data 2>"$WORK/server.log" &
PID=$!
for _ in $(seq 600); do [[ -s "$WORK/port" ]] && break; sleep 0.1; done
SERVER=127.0.0.1:$(cat "$WORK/port")
CTL=("$BUILD/clients/cli/redressctl" --server "$SERVER" --actor bench --timeout 3600)
"${CTL[@]}" audit public-key >"$WORK/key.txt"

measure() {  # measure LABEL CMD... -> prints seconds and max RSS
  local label=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$WORK/rss" "$@" >"$WORK/out" 2>&1 || { cat "$WORK/out"; exit 1; }
  t1=$(date +%s.%N)
  local secs rss
  secs=$(echo "$t1 - $t0" | bc)
  rss=$(cat "$WORK/rss")
  printf '%-28s %8.1f s %10.0f events/s   max RSS %6d MiB   (%s)\n' "$label" "$secs" \
    "$(echo "$N / $secs" | bc -l)" "$((rss / 1024))" "$(tail -n1 "$WORK/out")"
}
measure "export (redressctl)" "${CTL[@]}" audit export --format jsonl --out "$WORK/trail.jsonl"
echo "redressd peak RSS during the run: $(( $(awk '/VmHWM/{print $2}' /proc/$PID/status) / 1024 )) MiB; file $(du -m "$WORK/trail.jsonl" | cut -f1) MiB"
measure "verify (C++, redressctl)" "${CTL[@]}" audit verify "$WORK/trail.jsonl" --public-key "$WORK/key.txt"
measure "verify (Python)" /usr/bin/python3 "$ROOT/clients/python/redress_verify.py" "$WORK/trail.jsonl" \
  --public-key "$(cat "$WORK/key.txt")"
