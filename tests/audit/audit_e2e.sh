#!/usr/bin/env bash
# End-to-end test of the audit trail from an auditor's side: the real
# redressd and redressctl, and the independent Python verifier.
#
#   audit_e2e.sh REDRESSD REDRESSCTL sqlite|postgresql
#
# Starts redressd on a fresh database (SQLite file, or a fresh database on the
# PostgreSQL server named by REDRESS_TEST_PG -- see scripts/with-postgres.sh)
# with a checkpoint signing key, drives complaints through their lifecycles,
# then as an auditor: fetches the public key, exports the trail (complete,
# filtered with a consistency proof, CSV), verifies every export with both
# `redressctl audit verify` and clients/python/redress_verify.py (which must
# print the same), checks that a later export extends an earlier one across
# an erasure and a server restart, runs the tamper matrix
# (tests/audit/tamper_matrix.py) on the real export, and finally tampers with
# the database behind the server's back (triggers disabled, as a database
# administrator could) and checks that the next export fails verification at
# exactly that event. Exit status 0 on success, 1 on any failed check.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../e2e/harness.sh
source "$HERE/../e2e/harness.sh"
e2e_init audit_e2e "audit e2e" audit-e2e "$@"
PYVERIFY=$HERE/../../clients/python/redress_verify.py
CTL_ACTOR=e2e-auditor
if [[ "$BACKEND" == sqlite ]]; then
  command -v sqlite3 >/dev/null || fail "sqlite3 (the command-line shell) is needed"
fi
# Small checkpoints so that exports carry several.
SERVER_FLAGS=(--checkpoint-events 4 --checkpoint-interval-seconds 1)

# SQL against the server's database, as a database administrator would.
db_sql() {
  if [[ "$BACKEND" == sqlite ]]; then
    sqlite3 "$WORK/redress.db" "$1"
  else
    "$PSQL" "$REDRESS_TEST_PG dbname=$PG_DB" -q -At -v ON_ERROR_STOP=1 -c "$1"
  fi
}

ctl() {
  local rc=0
  ctl_raw "$@" || rc=$?
  ((rc == 0)) || fail "'redressctl $*' exited $rc: $(cat "$ERR")"
}
# verify_both FILE WANT_RC: both verifiers give WANT_RC and the same output.
verify_both() {
  local file=$1 want=$2 rc_c=0 rc_p=0
  "$REDRESSCTL" audit verify "$file" --public-key "$WORK/key.pub" >"$WORK/v.cpp" 2>&1 || rc_c=$?
  "$PYTHON" "$PYVERIFY" "$file" --public-key "$WORK/key.pub" >"$WORK/v.py" 2>&1 || rc_p=$?
  ((rc_c == want)) || fail "redressctl audit verify $file exited $rc_c, want $want: $(cat "$WORK/v.cpp")"
  ((rc_p == want)) || fail "redress_verify.py $file exited $rc_p, want $want: $(cat "$WORK/v.py")"
  cmp -s "$WORK/v.cpp" "$WORK/v.py" ||
    fail "the verifiers disagree on $file: $(diff "$WORK/v.cpp" "$WORK/v.py")"
  log "verified $(basename "$file") (exit $want): $(tail -n 1 "$WORK/v.cpp")"
}

# consistency_both OLD NEW WANT_RC
consistency_both() {
  local rc_c=0 rc_p=0
  "$REDRESSCTL" audit verify-consistency "$1" "$2" --public-key "$WORK/key.pub" \
    >"$WORK/c.cpp" 2>&1 || rc_c=$?
  "$PYTHON" "$PYVERIFY" verify-consistency "$1" "$2" --public-key "$WORK/key.pub" \
    >"$WORK/c.py" 2>&1 || rc_p=$?
  ((rc_c == $3 && rc_p == $3)) ||
    fail "verify-consistency $1 $2: exit $rc_c/$rc_p, want $3: $(cat "$WORK/c.cpp")"
  cmp -s "$WORK/c.cpp" "$WORK/c.py" ||
    fail "verify-consistency: the verifiers disagree: $(diff "$WORK/c.cpp" "$WORK/c.py")"
  log "verify-consistency $(basename "$1") $(basename "$2"): $(tail -n 1 "$WORK/c.cpp")"
}

export_trail() {  # FILE [FLAGS...]
  local file=$1
  shift
  ctl audit export --out "$file" "$@"
  [[ -s "$file" && ! -e "$file.tmp" ]] || fail "audit export did not produce $file"
  log "$(cat "$OUT")"
}

last_tree_size() {
  "$PYTHON" -c '
import json, sys
sizes = [json.loads(l)["tree_size"] for l in open(sys.argv[1]) if "\"checkpoint\"" in l]
print(sizes[-1])' "$1"
}

# ---------------------------------------------------------------------------
start_server
log "server on port $PORT"

ctl audit public-key
cp "$OUT" "$WORK/key.pub"
grep -Eq '^ed25519:[A-Za-z0-9+/]{43}=$' "$WORK/key.pub" || fail "bad public key: $(cat "$WORK/key.pub")"
ctl --output json audit public-key
[[ "$(json public_key)" == "$(cat "$WORK/key.pub")" ]] || fail "json public key differs"

# Complaints with lifecycles.
submit() {
  ctl --output json submit --name "$1" --email "$2" --channel web --category billing \
    --description "$3"
  json name
}
C1=$(submit "Ada Lovelace" ada@example.org "Charged twice for the same order")
C2=$(submit "Alan Turing" alan@example.org "Engineer did not arrive, \"twice\"")
C3=$(submit "Grace Hopper" grace@example.org "Wrong tariff applied – résumé of calls attached")
ctl ack "$C1" --message "Received"
ctl assess "$C1" --severity medium --priority high --complexity low --impact medium
ctl investigate "$C1" --plan "Check billing logs"
ctl note "$C1" --text "Duplicate payment confirmed"
ctl respond "$C1" --decision upheld --text "Refunded" --via email --amount 1999 --currency GBP
ctl decide "$C1" --outcome accepted
ctl ack "$C2"
ctl withdraw "$C2" --reason "Resolved by phone"
ctl note "$C3" --text "Awaiting call records"
log "3 complaints driven through their lifecycles"

export_trail "$WORK/export-1.jsonl"
head -n 1 "$WORK/export-1.jsonl" | grep -q '"complete":true' || fail "export 1 is not complete"
verify_both "$WORK/export-1.jsonl" 0
SIZE1=$(last_tree_size "$WORK/export-1.jsonl")
EVENTS1=$(grep -c '"record":"event"' "$WORK/export-1.jsonl")
((SIZE1 == EVENTS1)) || fail "last checkpoint covers $SIZE1 of $EVENTS1 events"

# Checkpoints as listed by the server.
ctl --output json audit checkpoints
[[ "$(json 'J["checkpoints"][-1]["tree_size"]')" -ge "$SIZE1" ]] || fail "ListCheckpoints behind the export"
ctl audit checkpoints
head -n 1 "$OUT" | grep -q "^TREE_SIZE" || fail "checkpoint table lacks its header: $(cat "$OUT")"

# More activity, an erasure, a restart.
ctl note "$C3" --text "Call records received"
ctl erase "$C2" --reason "GDPR Art. 17 request 2026-114"
rc=0
ctl_raw erase "$C2" --reason "again" || rc=$?
((rc == 1)) && grep -q "^error: FAILED_PRECONDITION:" "$ERR" || fail "second erase did not fail with FAILED_PRECONDITION: $(cat "$ERR")"
ctl --output json get "$C2"
[[ "$(json 'J.get("complainant", {}).get("display_name", "")')" == "" ]] || fail "erased complainant still has a name"
stop_server
start_server
ctl note "$C1" --text "Closed file reviewed after restart"

export_trail "$WORK/export-2.jsonl"
verify_both "$WORK/export-2.jsonl" 0
grep -q '"type":"PERSONAL_DATA_ERASED"' "$WORK/export-2.jsonl" || fail "no PERSONAL_DATA_ERASED event"
grep '"record":"complainant"' "$WORK/export-2.jsonl" | grep "\"$C2\"" | grep -q '"display_name":"erased"' ||
  fail "erased complainant not exported as erased"
grep '"record":"complainant"' "$WORK/export-2.jsonl" | grep "\"$C1\"" | grep -q '"email":"hmac-sha256:' ||
  fail "complainant data not redacted by default"
grep -q "ada@example.org" "$WORK/export-2.jsonl" && fail "personal data in a redacted export"
consistency_both "$WORK/export-1.jsonl" "$WORK/export-2.jsonl" 0
consistency_both "$WORK/export-2.jsonl" "$WORK/export-1.jsonl" 1

# A filtered export, linked to the first by a consistency proof.
export_trail "$WORK/filtered.jsonl" --complaint "$C1" --consistency-from "$SIZE1"
head -n 1 "$WORK/filtered.jsonl" | grep -q '"complete":false' || fail "filtered export claims to be complete"
grep -q '"inclusion_proof"' "$WORK/filtered.jsonl" || fail "filtered export without inclusion proofs"
grep -q '"record":"consistency"' "$WORK/filtered.jsonl" || fail "no consistency record"
verify_both "$WORK/filtered.jsonl" 0
consistency_both "$WORK/export-1.jsonl" "$WORK/filtered.jsonl" 0
export_trail "$WORK/filtered-plain.jsonl" --complaint "$C3" --from 2000-01-01T00:00:00Z
verify_both "$WORK/filtered-plain.jsonl" 0

# Personal data in clear needs the server's permission.
rc=0
ctl_raw audit export --out "$WORK/pii.jsonl" --include-personal-data || rc=$?
((rc == 1)) && grep -q "^error: PERMISSION_DENIED:" "$ERR" ||
  fail "export with personal data was not refused: rc=$rc $(cat "$ERR")"
[[ ! -e "$WORK/pii.jsonl" && ! -e "$WORK/pii.jsonl.tmp" ]] || fail "a refused export left a file"

# CSV.
export_trail "$WORK/export.csv" --format csv
EVENTS2=$(grep -c '"record":"event"' "$WORK/export-2.jsonl")
"$PYTHON" - "$WORK/export.csv" "$EVENTS2" <<'EOF' || fail "CSV export check failed"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
assert rows[0] == ["ledger_index", "complaint", "sequence", "type", "from_state", "to_state",
                   "actor", "request_id", "event_time", "payload", "prev_hash", "hash"], rows[0]
assert len(rows) - 1 >= int(sys.argv[2]), (len(rows), sys.argv[2])
assert all(len(r) == 12 for r in rows)
EOF

# Retention sweep (nothing is due: everything closed today).
ctl retention sweep --dry-run
grep -q "^would erase the personal data of 0 complaints" "$OUT" || fail "unexpected sweep output: $(cat "$OUT")"

# The tamper matrix on the real export.
"$PYTHON" "$HERE/tamper_matrix.py" "$REDRESSCTL" "$PYVERIFY" --export "$WORK/export-2.jsonl" \
  --public-key "$WORK/key.pub" >"$WORK/matrix.log" 2>&1 ||
  fail "tamper matrix on the real export: $(grep -v '^ok' "$WORK/matrix.log" | head -40)"
log "tamper matrix on the real export: $(tail -n 1 "$WORK/matrix.log")"

# A database administrator edits an event behind the server's back.
EVENT_ID=$(db_sql "SELECT complaint_id FROM complaint_events WHERE sequence = 2 ORDER BY ledger_index LIMIT 1")
[[ -n "$EVENT_ID" ]] || fail "no event to tamper with"
if [[ "$BACKEND" == sqlite ]]; then
  db_sql "DROP TRIGGER complaint_events_append_only_update;
          UPDATE complaint_events SET actor = 'someone-else'
           WHERE complaint_id = '$EVENT_ID' AND sequence = 2;"
else
  db_sql "ALTER TABLE complaint_events DISABLE TRIGGER complaint_events_append_only;
          UPDATE complaint_events SET actor = 'someone-else'
           WHERE complaint_id = '$EVENT_ID' AND sequence = 2;
          ALTER TABLE complaint_events ENABLE TRIGGER complaint_events_append_only;"
fi
stop_server  # drop any cached state
start_server
export_trail "$WORK/export-3.jsonl"
verify_both "$WORK/export-3.jsonl" 1
grep -q "^line [0-9]* (complaints/$EVENT_ID/events/2): hash does not match its content$" "$WORK/v.cpp" ||
  fail "the edited event was not named: $(cat "$WORK/v.cpp")"
log "database edit found: $(grep "complaints/$EVENT_ID/events/2" "$WORK/v.cpp")"
stop_server

# ---------------------------------------------------------------------------
# With access control: the auditor authenticates with a bearer token.
sha() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
cat >"$WORK/access.textproto" <<EOF
principals { name: "auditor-e2e" roles: ROLE_AUDITOR token_sha256: "$(sha auditor-token)" }
principals { name: "admin-e2e" roles: ROLE_ADMIN token_sha256: "$(sha admin-token)" }
EOF
SERVER_FLAGS+=(--access-config "$WORK/access.textproto")
start_server
rc=0
ctl_raw audit export --out "$WORK/anon.jsonl" || rc=$?
((rc == 1)) && grep -q "^error: UNAUTHENTICATED:" "$ERR" ||
  fail "an export without credentials was not refused: rc=$rc $(cat "$ERR")"
ctl --token auditor-token audit export --out "$WORK/export-4.jsonl"
log "as auditor-e2e: $(cat "$OUT")"
verify_both "$WORK/export-4.jsonl" 1  # still holds the edited event
grep -q "^line [0-9]* (complaints/$EVENT_ID/events/2): hash does not match its content$" "$WORK/v.cpp" ||
  fail "export 4: unexpected problems: $(cat "$WORK/v.cpp")"
rc=0
ctl_raw --token auditor-token erase "$C1" --reason "not mine to do" || rc=$?
((rc == 1)) && grep -q "^error: PERMISSION_DENIED:" "$ERR" ||
  fail "an auditor could erase: rc=$rc $(cat "$ERR")"
rc=0
REDRESS_TOKEN=auditor-token ctl_raw audit export --out "$WORK/pii.jsonl" --include-personal-data || rc=$?
((rc == 1)) && grep -q "^error: PERMISSION_DENIED:" "$ERR" ||
  fail "an auditor without the grant exported personal data: rc=$rc $(cat "$ERR")"
REDRESS_TOKEN=admin-token ctl retention sweep --dry-run
ctl --token admin-token audit public-key
cmp -s "$OUT" "$WORK/key.pub" || fail "the signing key changed across restarts"
stop_server
log "PASS"
