#!/usr/bin/env bash
# End-to-end test: the real redressd and redressctl binaries, used the way a
# new user would use them.
#
#   lifecycle_e2e.sh REDRESSD REDRESSCTL sqlite|postgresql
#
# Starts redressd on a fresh database (SQLite file in a temp dir, or a fresh
# database on the PostgreSQL server named by REDRESS_TEST_PG -- see
# scripts/with-postgres.sh), drives two complaints through their lifecycles
# with redressctl (one accepted, one through an external dispute that is
# remitted), checks the CLI's error paths, idempotent retries and the audit
# hash chain, then restarts the server and checks that everything survived.
# Exit status 0 on success, 1 on any failed check.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=harness.sh
source "$HERE/harness.sh"
e2e_init lifecycle_e2e e2e e2e "$@"
CTL_ACTOR=e2e-handler
# ---------------------------------------------------------------------------
# redressctl helpers. OUT is the last command's stdout file, ERR its stderr.

# ctl ARGS...: must succeed (JSON output in $OUT).
ctl() {
  local rc=0
  ctl_raw --output json "$@" || rc=$?
  if ((rc != 0)); then
    fail "'redressctl $*' exited $rc: $(cat "$ERR")"
  fi
}

# ctl_fails CODE ARGS...: must exit 1 with "error: CODE:" on stderr.
ctl_fails() {
  local code=$1 rc=0
  shift
  ctl_raw "$@" || rc=$?
  if ((rc == 0)); then
    fail "'redressctl $*' succeeded, expected $code: $(cat "$OUT")"
  fi
  ((rc == 1)) || fail "'redressctl $*' exited $rc, expected 1 ($code): $(cat "$ERR")"
  grep -q "^error: $code:" "$ERR" ||
    fail "'redressctl $*' stderr lacks 'error: $code:': $(cat "$ERR")"
}

# expect_state STATE: the last output is a complaint in STATE.
expect_state() {
  local got
  got=$(json state)
  [[ "$got" == "STATE_$1" ]] || fail "expected state STATE_$1, got $got"
}

# step NAME EXPECTED_STATE COMMAND ARGS...: a mutation, checking the new
# state and that the etag changed.
declare -A ETAG=()
step() {
  local name=$1 want=$2 cmd=$3
  shift 3
  ctl "$cmd" "$name" "$@"
  expect_state "$want"
  local etag
  etag=$(json etag)
  [[ -n "$etag" && "$etag" != "${ETAG[$name]:-}" ]] ||
    fail "$cmd did not change the etag of $name ('$etag')"
  ETAG[$name]=$etag
}

history_len() {
  ctl history "$1"
  json 'len(J.get("events", []))'
}

# verify NAME: history --verify passes; prints the event count.
verify() {
  local rc=0
  ctl_raw history "$1" --verify || rc=$?
  ((rc == 0)) || fail "history $1 --verify exited $rc: $(cat "$ERR")"
  local n
  n=$(sed -n 's/^chain verified: \([0-9][0-9]*\) events$/\1/p' "$OUT")
  [[ -n "$n" ]] || fail "history $1 --verify printed no 'chain verified' line: $(cat "$OUT")"
  echo "$n"
}

submit() {
  ctl submit "$@"
  expect_state RECEIVED
  NAME=$(json name)
  [[ "$NAME" == complaints/* ]] || fail "submit returned name '$NAME'"
  ETAG[$NAME]=$(json etag)
}

# ---------------------------------------------------------------------------
start_server
log "redressd serving on 127.0.0.1:$PORT ($DATABASE)"

# Complaint A: acknowledged, assessed, assigned, investigated, escalated,
# responded to, accepted -> CLOSED.
submit --name "Ada Lovelace" --email ada@example.org --customer-id CUST-1815 \
  --channel email --preferred-channel email --product "Current account" --category billing \
  --description "I was charged twice for the same transfer on 3 March." \
  --remedy "Refund the duplicate charge" --occurred 2026-03-03T09:30:00Z \
  --external-ref WEB-77 --label region=uk --label vip=no
A=$NAME
[[ "$(json 'reference')" == CMP-* ]] || fail "unexpected reference $(json reference)"
log "submitted $A ($(json reference))"
step "$A" ACKNOWLEDGED ack --channel email --message "We have received your complaint."
step "$A" ACKNOWLEDGED assess --severity medium --priority high --complexity low \
  --impact medium --rationale "Duplicate charge, money owed"
step "$A" ACKNOWLEDGED assign --assignee alice
[[ "$(json assignee)" == alice ]] || fail "assignee not set: $(cat "$OUT")"
step "$A" INVESTIGATING investigate --plan "Check the payment ledger"
step "$A" INVESTIGATING note --text "Ledger shows two debits of GBP 15.00"
step "$A" INVESTIGATING escalate --reason "Customer is vulnerable"
[[ "$(json escalation_level)" == 1 ]] || fail "escalation level not 1: $(cat "$OUT")"
step "$A" RESPONDED respond --decision upheld --text "We refunded the duplicate charge." \
  --via email --remedy "Refund" --amount 1500 --currency GBP
step "$A" CLOSED decide --outcome accepted --comment "Thank you"
log "$A: CLOSED (accepted)"

# Complaint B: response rejected, external dispute, remitted back to
# investigation, responded again, closed by the firm.
SUBMIT_B=(--name "Charles Babbage" --phone "+44 20 7946 0000" --channel phone
  --category service --description "Nobody called me back about my mortgage application."
  --request-id "$("$PYTHON" -c 'import uuid; print(uuid.uuid4())')")
submit "${SUBMIT_B[@]}"
B=$NAME
log "submitted $B ($(json reference))"
# A retried submit (same request id) returns the same complaint.
ctl submit "${SUBMIT_B[@]}"
[[ "$(json name)" == "$B" && "$(json etag)" == "${ETAG[$B]}" ]] ||
  fail "retried submit returned $(json name) $(json etag), expected $B ${ETAG[$B]}"

# Error path: an illegal transition (RECEIVED -> INVESTIGATING) is refused.
ctl_fails FAILED_PRECONDITION investigate "$B"
step "$B" ACKNOWLEDGED ack
step "$B" ACKNOWLEDGED assess --severity low --priority medium --complexity medium \
  --impact low
step "$B" INVESTIGATING investigate
step "$B" RESPONDED respond --decision not-upheld --text "The call-back was made on 5 May." \
  --via letter
step "$B" RESPONDED decide --outcome rejected --comment "No call was made"
step "$B" DISPUTED dispute --kind external-adr --body "Financial Ombudsman Service" \
  --external-ref FOS-12345 --reason "Complainant disputes the call record"
step "$B" INVESTIGATING resolve-dispute --outcome remitted --text "Remitted for reinvestigation"

# Error path: a stale etag is refused with ABORTED and writes nothing.
STALE=${ETAG[$B]}
step "$B" INVESTIGATING note --text "Phone records requested"
before=$(history_len "$B")
ctl_fails ABORTED note "$B" --text "must not be written" --etag "$STALE"
# ... while the current etag is accepted.
step "$B" INVESTIGATING note --text "Phone records received" --etag "${ETAG[$B]}"
after=$(history_len "$B")
((after == before + 1)) || fail "history of $B grew from $before to $after, expected +1"

# Idempotency: a retried mutation with the same --request-id returns the
# same etag and adds no event.
RID=$("$PYTHON" -c 'import uuid; print(uuid.uuid4())')
step "$B" INVESTIGATING note --text "Retried note" --request-id "$RID"
first_etag=${ETAG[$B]}
before=$(history_len "$B")
ctl note "$B" --text "Retried note" --request-id "$RID"
expect_state INVESTIGATING
[[ "$(json etag)" == "$first_etag" ]] ||
  fail "retry with the same request id returned etag $(json etag), expected $first_etag"
after=$(history_len "$B")
((after == before)) || fail "retry with the same request id added events ($before -> $after)"
ctl get "$B"
[[ "$(json etag)" == "$first_etag" ]] || fail "etag of $B changed after an idempotent retry"
# The same request id with a different request is refused.
ctl_fails ALREADY_EXISTS note "$B" --text "A different note" --request-id "$RID"

step "$B" RESPONDED respond --decision partially-upheld --via email \
  --text "We could not find the call record; we apologise." --remedy "Goodwill payment" \
  --amount 5000 --currency GBP
step "$B" CLOSED close --reason "No reply from the complainant within 8 weeks"
log "$B: CLOSED (dispute remitted, closed)"

# Error paths: more illegal transitions and an unknown complaint.
before=$(history_len "$A")
ctl_fails FAILED_PRECONDITION ack "$A"
ctl_fails FAILED_PRECONDITION respond "$A" --decision upheld --text x --via email
after=$(history_len "$A")
((after == before)) || fail "refused transitions added events to $A ($before -> $after)"
UNKNOWN="complaints/$("$PYTHON" -c 'import uuid; print(uuid.uuid4())')"
ctl_fails NOT_FOUND get "$UNKNOWN"
ctl_fails NOT_FOUND note "$UNKNOWN" --text "nobody home"
ctl_fails NOT_FOUND history "$UNKNOWN"

# ---------------------------------------------------------------------------
# Histories and the hash chain.
declare -A EVENTS=() STATE=()
total=0
for c in "$A" "$B"; do
  EVENTS[$c]=$(history_len "$c")
  n=$(verify "$c")
  (("$n" == "${EVENTS[$c]}")) || fail "history --verify of $c counted $n events, history has ${EVENTS[$c]}"
  ctl get "$c"
  STATE[$c]=$(json state)
  [[ "$(json etag)" == "${ETAG[$c]}" ]] || fail "get $c returned etag $(json etag), expected ${ETAG[$c]}"
  count=$(json 'J.get("event_count", -1)')
  (("$count" == -1 || "$count" == "${EVENTS[$c]}")) ||
    fail "$c: event_count $count but history has ${EVENTS[$c]} events"
  total=$((total + ${EVENTS[$c]}))
done
# A: submit ack assess assign investigate note escalate respond decide = 9.
(("${EVENTS[$A]}" == 9)) || fail "$A has ${EVENTS[$A]} events, expected 9"
# B: submit ack assess investigate respond decide dispute resolve-dispute,
# three notes, respond close = 13.
(("${EVENTS[$B]}" == 13)) || fail "$B has ${EVENTS[$B]} events, expected 13"
log "histories verified: $A ${EVENTS[$A]} events, $B ${EVENTS[$B]} events"

# ---------------------------------------------------------------------------
# Restart on the same database: nothing is lost.
stop_server
log "redressd stopped cleanly"
start_server
log "redressd restarted on 127.0.0.1:$PORT"
for c in "$A" "$B"; do
  ctl get "$c"
  [[ "$(json state)" == "${STATE[$c]}" ]] ||
    fail "after restart $c is $(json state), was ${STATE[$c]}"
  [[ "$(json etag)" == "${ETAG[$c]}" ]] ||
    fail "after restart $c has etag $(json etag), was ${ETAG[$c]}"
  n=$(verify "$c")
  (("$n" == "${EVENTS[$c]}")) || fail "after restart $c has $n events, was ${EVENTS[$c]}"
done
# Idempotency records survive the restart too: the old retry still answers
# with the first response and writes nothing.
ctl note "$B" --text "Retried note" --request-id "$RID"
[[ "$(json etag)" == "$first_etag" ]] ||
  fail "after restart a retry with request id $RID returned etag $(json etag), expected $first_etag"
n=$(verify "$B")
(("$n" == "${EVENTS[$B]}")) || fail "after restart a retried request added events to $B"
ctl list --all
"$PYTHON" -c '
import json, sys
names = {c["name"] for c in json.load(open(sys.argv[1])).get("complaints", [])}
missing = set(sys.argv[2:]) - names
sys.exit("list lacks " + ", ".join(sorted(missing)) if missing else 0)
' "$OUT" "$A" "$B" || fail "list after restart: $(cat "$OUT")"
ctl list --filter "state = CLOSED"
[[ "$(json 'len(J.get("complaints", []))')" == 2 ]] || fail "list --filter 'state = CLOSED': $(cat "$OUT")"

stop_server

# The server log of the whole run never holds personal data or request
# content (one JSON line per RPC: method, code, duration).
for secret in "Ada Lovelace" "ada@example.org" "CUST-1815" "Charles Babbage" "7946 0000" \
              "Nobody called me back"; do
  if grep -qF "$secret" "$SERVER_LOG"; then
    fail "the server log contains personal data or request content: '$secret'"
  fi
done
rpc_lines=$(grep -c '"msg":"rpc"' "$SERVER_LOG" || true)
((rpc_lines > 20)) || fail "expected one log line per RPC, found $rpc_lines"

echo "$TAG: 2 complaints, $total events, restart OK, $rpc_lines log lines without personal data"
