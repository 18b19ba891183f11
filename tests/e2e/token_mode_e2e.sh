#!/usr/bin/env bash
# End-to-end test in production mode: redressd with TLS and an access
# configuration, every call made by redressctl with a bearer token over TLS.
#
#   token_mode_e2e.sh REDRESSD REDRESSCTL sqlite|postgresql
#
# Drives a complaint with a complainant's name, e-mail, phone and customer id
# through its lifecycle under four principals (intake, supervisor, auditor,
# admin), with refused calls on the way (a wrong token, a role without the
# RPC, a malformed e-mail that contains personal data, an unknown field value),
# exports the audit trail with personal data and erases it. Then the whole
# server log (stdout and stderr of every start) must contain none of the
# tokens, the complainant's personal data or the refused e-mail; the check is
# itself checked on a copy of the log with those strings appended.
# Exit status 0 on success, 1 on any failed check.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=harness.sh
source "$HERE/harness.sh"
e2e_init token_mode_e2e e2e-token e2e-token "$@"
command -v openssl >/dev/null || fail "openssl is missing (scripts/install-deps.sh installs it)"

# --- certificates, tokens, access configuration ------------------------------
(
  cd "$WORK"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=E2E Test CA" \
    -keyout ca.key -out ca.pem
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >san.ext
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile san.ext -out server.pem
) >"$WORK/openssl.log" 2>&1 || fail "openssl: $(cat "$WORK/openssl.log")"

token() { openssl rand -hex 24; }
sha() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
INTAKE_TOKEN=$(token)
SUPERVISOR_TOKEN=$(token)
AUDITOR_TOKEN=$(token)
ADMIN_TOKEN=$(token)
WRONG_TOKEN=$(token)
cat >"$WORK/access.textproto" <<EOF2
principals { name: "svc-intake" roles: ROLE_INTAKE token_sha256: "$(sha "$INTAKE_TOKEN")" }
principals {
  name: "sam-supervisor" roles: ROLE_SUPERVISOR grants: GRANT_READ_PERSONAL_DATA
  token_sha256: "$(sha "$SUPERVISOR_TOKEN")"
}
principals {
  name: "ann-auditor" roles: ROLE_AUDITOR grants: GRANT_EXPORT_PERSONAL_DATA
  token_sha256: "$(sha "$AUDITOR_TOKEN")"
}
principals { name: "root-admin" roles: ROLE_ADMIN token_sha256: "$(sha "$ADMIN_TOKEN")" }
EOF2
SERVER_FLAGS+=(--access-config "$WORK/access.textproto"
  --tls-cert "$WORK/server.pem" --tls-key "$WORK/server.key")

# The complainant's personal data, unusual enough that a hit is no accident.
NAME_PD="Hedwig Kiesler-Markey"
EMAIL_PD="hedy.kiesler.e2e@example.org"
PHONE_PD="+44 20 7946 0123"
CUSTOMER_PD="CUST-HK-1914"
BAD_EMAIL_PD="Hedwig Kiesler <hedy.bad.e2e@example.org>"

# --- redressctl over TLS with a token ------------------------------------------
# as TOKEN ARGS...: stdout in $OUT, stderr in $ERR; returns redressctl's status.
as() {
  local tok=$1
  shift
  "$REDRESSCTL" --server "127.0.0.1:$PORT" --tls-ca "$WORK/ca.pem" --token "$tok" "$@" \
    >"$OUT" 2>"$ERR"
}
# ok TOKEN ARGS...: must succeed (JSON output).
ok() {
  local tok=$1 rc=0
  shift
  as "$tok" --output json "$@" || rc=$?
  ((rc == 0)) || fail "'redressctl $*' exited $rc: $(cat "$ERR")"
}
# refused CODE TOKEN ARGS...: must exit 1 with "error: CODE:".
refused() {
  local code=$1 tok=$2 rc=0
  shift 2
  as "$tok" "$@" || rc=$?
  ((rc == 1)) && grep -q "^error: $code:" "$ERR" ||
    fail "'redressctl $*' exited $rc, expected $code: $(cat "$ERR" "$OUT")"
}

start_server
log "redressd serving TLS on 127.0.0.1:$PORT with 4 token principals ($DATABASE)"

# Plaintext and unauthenticated calls are refused.
rc=0
"$REDRESSCTL" --server "127.0.0.1:$PORT" --token "$INTAKE_TOKEN" get \
  complaints/0b7a2f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b >"$OUT" 2>"$ERR" || rc=$?
((rc == 1)) && grep -q "^error: UNAVAILABLE:" "$ERR" || fail "plaintext call to a TLS server: $(cat "$ERR")"
refused UNAUTHENTICATED "$WRONG_TOKEN" submit --name "$NAME_PD" --email "$EMAIL_PD" \
  --channel email --description "Wrong token"

# A malformed e-mail that holds personal data: INVALID_ARGUMENT naming the
# field, without echoing the value.
refused INVALID_ARGUMENT "$INTAKE_TOKEN" submit --name "$NAME_PD" --email "$BAD_EMAIL_PD" \
  --channel email --description "Bad e-mail"
grep -qx "field_violation: complaint.complainant.email: not an e-mail address" "$ERR" ||
  fail "no machine-readable field violation printed: $(cat "$ERR")"
grep -qF "hedy.bad.e2e" "$ERR" && fail "the error echoes the refused value: $(cat "$ERR")"

ok "$INTAKE_TOKEN" submit --name "$NAME_PD" --email "$EMAIL_PD" --phone "$PHONE_PD" \
  --customer-id "$CUSTOMER_PD" --channel email --category billing \
  --description "Charged twice; call me on $PHONE_PD or write to $EMAIL_PD." \
  --remedy "Refund to $NAME_PD"
C=$(json name)
[[ "$C" == complaints/* ]] || fail "submit returned name '$C'"
# Intake may not read the list; the supervisor may, with personal data.
refused PERMISSION_DENIED "$INTAKE_TOKEN" list
ok "$SUPERVISOR_TOKEN" get "$C"
[[ "$(json 'complainant["email"]')" == "$EMAIL_PD" ]] || fail "supervisor does not see the e-mail: $(cat "$OUT")"
ok "$SUPERVISOR_TOKEN" ack "$C" --channel email --message "Dear $NAME_PD, we received it."
ok "$SUPERVISOR_TOKEN" assess "$C" --severity medium --priority high --complexity low --impact medium
ok "$SUPERVISOR_TOKEN" assign "$C" --assignee sam-supervisor
ok "$SUPERVISOR_TOKEN" investigate "$C" --plan "Call $PHONE_PD"
ok "$SUPERVISOR_TOKEN" note "$C" --text "Spoke to $NAME_PD on $PHONE_PD"
ok "$SUPERVISOR_TOKEN" respond "$C" --decision upheld --text "Refunded, $NAME_PD." --via email \
  --amount 1500 --currency GBP
ok "$SUPERVISOR_TOKEN" decide "$C" --outcome accepted --comment "Thanks"
[[ "$(json state)" == STATE_CLOSED ]] || fail "not closed: $(cat "$OUT")"
ok "$SUPERVISOR_TOKEN" list --filter "state = CLOSED"
ok "$SUPERVISOR_TOKEN" history "$C"
actors=$(json '" ".join(sorted({e["actor"] for e in J["events"]}))')
[[ "$actors" == "sam-supervisor svc-intake" ]] || fail "events caused by '$actors'"

# Audit: the auditor exports with personal data; the admin erases it.
ok "$AUDITOR_TOKEN" audit export --out "$WORK/export.jsonl" --include-personal-data
grep -qF "$EMAIL_PD" "$WORK/export.jsonl" || fail "the personal-data export lacks the e-mail"
refused PERMISSION_DENIED "$AUDITOR_TOKEN" erase "$C" --reason "not the auditor's job"
ok "$ADMIN_TOKEN" erase "$C" --reason "Erasure request from $NAME_PD"
ok "$SUPERVISOR_TOKEN" get "$C"
[[ "$(json 'J.get("complainant", {}).get("email", "")')" != "$EMAIL_PD" ]] ||
  fail "the complainant's e-mail is still served after erasure: $(cat "$OUT")"

# A reload (SIGHUP) and a restart write their own log lines too.
kill -HUP "$SERVER_PID"
sleep 0.5
ok "$SUPERVISOR_TOKEN" get "$C"
stop_server
start_server
ok "$SUPERVISOR_TOKEN" history "$C" --verify
stop_server

# --- the log ---------------------------------------------------------------------
SECRETS=("$INTAKE_TOKEN" "$SUPERVISOR_TOKEN" "$AUDITOR_TOKEN" "$ADMIN_TOKEN" "$WRONG_TOKEN"
  "$NAME_PD" "Kiesler" "$EMAIL_PD" "hedy.bad.e2e" "$PHONE_PD" "7946 0123" "$CUSTOMER_PD")
# leaks FILE: prints every secret found in FILE, one per line.
leaks() {
  local s
  for s in "${SECRETS[@]}"; do
    if grep -qF -- "$s" "$1"; then echo "$s"; fi
  done
}
# The check finds what it looks for: on a copy of the log with every secret
# appended (as a careless log line would hold them) it reports all of them.
cp "$SERVER_LOG" "$WORK/canary.log"
printf '{"msg":"rpc","authorization":"Bearer %s","complainant":"%s"}\n' \
  "${SECRETS[@]:0:5}" "$NAME_PD" "$EMAIL_PD" "$PHONE_PD" "$CUSTOMER_PD" "$BAD_EMAIL_PD" "" \
  >>"$WORK/canary.log"
found=$(leaks "$WORK/canary.log" | wc -l)
((found == ${#SECRETS[@]})) || fail "the leak check found $found of ${#SECRETS[@]} planted secrets"

leaked=$(leaks "$SERVER_LOG")
[[ -z "$leaked" ]] || fail "the server log contains tokens or personal data: $(echo "$leaked" | tr '\n' '|')"
rpc_lines=$(grep -c '"msg":"rpc"' "$SERVER_LOG" || true)
((rpc_lines >= 20)) || fail "expected one log line per RPC, found $rpc_lines"
log_bytes=$(wc -c <"$SERVER_LOG")

echo "$TAG: TLS + 4 token principals, $rpc_lines RPC log lines ($log_bytes bytes) free of ${#SECRETS[@]} tokens/personal-data strings; leak check proven on a planted copy"
