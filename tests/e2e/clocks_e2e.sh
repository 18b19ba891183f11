#!/usr/bin/env bash
# End-to-end test of the regulatory clocks from the client side: the real
# redressd (built-in policy presets) and redressctl.
#
#   clocks_e2e.sh REDRESSD REDRESSCTL sqlite|postgresql
#
# Submits five complaints under four policies (labels jurisdiction=GB with
# and without product_line=payment_services, US, AU, none), drives them
# through information requests, a holding response, deadline extensions,
# closure and satisfaction, checks the deadlines `get` and `list --view full`
# show, then checks that `stats` and `report --html --csv` count exactly what
# the script did. Exit status 0 on success, 1 on any failed check.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=harness.sh
source "$HERE/harness.sh"
e2e_init clocks_e2e clocks clocks "$@"
CTL_ACTOR=clocks-handler

# ctl ARGS...: must succeed (JSON output in $OUT).
ctl() {
  local rc=0
  ctl_raw --output json "$@" || rc=$?
  ((rc == 0)) || fail "'redressctl $*' exited $rc: $(cat "$ERR")"
}

# ctl_fails CODE ARGS...: must exit 1 with "error: CODE:" on stderr.
ctl_fails() {
  local code=$1 rc=0
  shift
  ctl_raw "$@" || rc=$?
  ((rc == 1)) || fail "'redressctl $*' exited $rc, expected 1 ($code): $(cat "$OUT" "$ERR")"
  grep -q "^error: $code:" "$ERR" || fail "'redressctl $*' stderr lacks 'error: $code:': $(cat "$ERR")"
}

# check PYTHON_EXPR WANT [FILE]: json PYTHON_EXPR on FILE (default the last
# output) must print WANT.
check() {
  local got
  got=$(json "$1" "${3:-$OUT}")
  [[ "$got" == "$2" ]] || fail "$1: expected '$2', got '$got' in $(cat "${3:-$OUT}")"
}

# deadline KIND FIELD: FIELD of the (last-cycle) deadline of KIND in the last
# `get` output; "none" when there is no such deadline.
deadline() {
  json "([d for d in J.get('deadlines', []) if d['kind'] == 'DEADLINE_KIND_$1'] or [{'$2': 'none'}])[-1].get('$2', 'unset')"
}

submit() {
  ctl submit --name "Test Person" --email person@example.org --description "Test complaint" "$@"
  check state STATE_RECEIVED
  NAME=$(json name)
}

start_server
log "redressd serving on 127.0.0.1:$PORT ($DATABASE)"
STARTED=$(date +%s)

# P: GB payment services (fca-psd2): extended to 35 business days, upheld,
# accepted, satisfied.
submit --channel email --category payments --label jurisdiction=GB \
  --label product_line=payment_services
P=$NAME
ctl get "$P"
check "J['policy']['id']" fca-psd2
check "J['policy']['calendar_id']" gb-eaw
[[ "$(deadline FINAL_RESPONSE amount)" == 15 ]] || fail "fca-psd2 final response is not 15 business days: $(cat "$OUT")"
[[ "$(deadline FINAL_RESPONSE unit)" == TIME_UNIT_BUSINESS_DAYS ]] || fail "unit: $(cat "$OUT")"
due_before=$(deadline FINAL_RESPONSE due_time)
ctl ack "$P" --channel email --message "Received"
ctl assess "$P" --severity medium --priority medium --complexity high --impact medium
ctl investigate "$P"
ctl extend-deadline "$P" --kind final-response --amount 35 --reason "exceptional circumstances: card scheme records"
ctl get "$P"
[[ "$(deadline FINAL_RESPONSE amount)" == 35 ]] || fail "extension not applied: $(cat "$OUT")"
due_after=$(deadline FINAL_RESPONSE due_time)
[[ "$due_after" > "$due_before" ]] || fail "due time did not move: $due_before -> $due_after"
ctl_raw get "$P" || fail "get $P (table) failed: $(cat "$ERR")"
grep -q '^policy: *fca-psd2 v1, calendar gb-eaw$' "$OUT" || fail "get table lacks the policy: $(cat "$OUT")"
grep -q '^deadlines:$' "$OUT" || fail "get table lacks the deadlines: $(cat "$OUT")"
grep -Eq '^FINAL_RESPONSE +1 +ON_TRACK +[0-9T:-]+Z +[0-9]+d [0-9]+h left +35 business days$' "$OUT" ||
  fail "get table lacks the extended final response: $(cat "$OUT")"
grep -Eq '^ACKNOWLEDGEMENT +1 +MET ' "$OUT" || fail "get table lacks the met acknowledgement: $(cat "$OUT")"
# Beyond the policy's maximum of 35: refused (the amount is invalid under the policy).
ctl_fails INVALID_ARGUMENT extend-deadline "$P" --kind final-response --amount 36 --reason "more"
ctl respond "$P" --decision upheld --text "Refunded" --via email --amount 2500 --currency GBP
ctl decide "$P" --outcome accepted
check state STATE_CLOSED
ctl satisfaction "$P" --csat 5 --nps 10 --comment "Fast and fair"
check "J['satisfaction']['nps_score']" 10
ctl_fails FAILED_PRECONDITION satisfaction "$P" --csat 1
log "P ($P): fca-psd2, extended to 35 business days, closed, CSAT 5 NPS 10"

# G: GB general (fca-disp): summary resolution, closed by the firm.
submit --channel phone --category billing --label jurisdiction=GB
G=$NAME
ctl ack "$G"
ctl assess "$G" --severity low --priority low --complexity low --impact low
ctl respond "$G" --decision not-upheld --text "The fee is in the tariff" --via phone
ctl close "$G" --reason "No reply"
check state STATE_CLOSED
ctl get "$G"
check "J['policy']['id']" fca-disp
[[ "$(deadline FINAL_RESPONSE state)" == STATE_NOT_REQUIRED || "$(deadline FINAL_RESPONSE state)" == STATE_MET ]] ||
  fail "final response of a closed complaint is $(deadline FINAL_RESPONSE state)"
ctl satisfaction "$G" --csat 4 --nps 8
log "G ($G): fca-disp, summary resolution, closed, CSAT 4 NPS 8"

# U: US (cfpb): a holding response satisfies the 15-day deadline.
submit --channel web --category billing --label jurisdiction=US
U=$NAME
ctl holding-response "$U" --text "We need 30 more days" --channel web \
  --expected "$("$PYTHON" -c 'import datetime as d; print((d.datetime.now(d.timezone.utc)+d.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ"))')"
ctl get "$U"
check "J['policy']['id']" cfpb
[[ "$(deadline HOLDING_RESPONSE state)" == STATE_MET ]] || fail "holding response not MET: $(cat "$OUT")"
ctl_fails INVALID_ARGUMENT holding-response "$U" --text "late" --expected 2020-01-01T00:00:00Z
log "U ($U): cfpb, holding response MET"

# I: no jurisdiction (iso-default): waiting for the complainant pauses the
# final-response clock.
# (the server allows letters, digits, space and _ - . / in categories; HTML
# escaping is covered by tests/clients/cli/report_test.cc)
CAT_I='fees/charges'
submit --channel letter --category "$CAT_I"
I=$NAME
ctl ack "$I"
ctl request-info "$I" --information "Please send the letter we wrote to you" --channel letter
ctl get "$I"
check "J['policy']['id']" iso-default
check "J.get('awaiting_information', False)" True
[[ "$(deadline FINAL_RESPONSE state)" == STATE_PAUSED ]] || fail "final response not PAUSED: $(cat "$OUT")"
ctl_fails FAILED_PRECONDITION request-info "$I" --information "again"
ctl_fails FAILED_PRECONDITION satisfaction "$I" --nps 9
ctl receive-info "$I" --summary "Letter received"
ctl get "$I"
check "J.get('awaiting_information', False)" False
[[ "$(deadline FINAL_RESPONSE state)" == STATE_ON_TRACK ]] || fail "final response not running again: $(cat "$OUT")"
ctl_fails FAILED_PRECONDITION receive-info "$I"
ctl_fails FAILED_PRECONDITION recompute-deadlines "$I" --reason "no new policy version"
log "I ($I): iso-default, paused and resumed"

# A: AU (asic-rg271): no extension allowed; withdrawn.
submit --channel email --category service --label jurisdiction=AU
A=$NAME
ctl ack "$A"
ctl_fails FAILED_PRECONDITION extend-deadline "$A" --kind final-response --amount 45 --reason "r"
ctl withdraw "$A" --reason "Resolved elsewhere"
check state STATE_WITHDRAWN
log "A ($A): asic-rg271, no extension, withdrawn"

# Usage errors make no call.
ctl_raw satisfaction "$P" --csat 6 && fail "--csat 6 accepted" || true
grep -q -- "--csat" "$ERR" || fail "--csat 6: $(cat "$ERR")"

# ---------------------------------------------------------------------------
# list --view full derives deadlines; the default view does not.
ctl list --view full --all
check "len(J['complaints'])" 5
check "all(len(c.get('deadlines', [])) > 0 for c in J['complaints'])" True
ctl list --all
check "any('deadlines' in c for c in J['complaints'])" False
ctl_raw list --view full --all || fail "list --view full (table): $(cat "$ERR")"
grep -q 'NEXT DEADLINE' "$OUT" || fail "list --view full table lacks NEXT DEADLINE: $(cat "$OUT")"

# ---------------------------------------------------------------------------
# Statistics: exactly what the script did.
ctl stats
check complaint_count 5
check "{c['key']: int(c['count']) for c in J['by_state']}" \
  "{'ACKNOWLEDGED': 1, 'CLOSED': 2, 'RECEIVED': 1, 'WITHDRAWN': 1}"
check "{c['key']: int(c['count']) for c in J['by_channel']}" \
  "{'EMAIL': 2, 'LETTER': 1, 'PHONE': 1, 'WEB': 1}"
check "[(c['key'], int(c['count'])) for c in J['by_category']]" \
  "[('billing', 2), ('fees/charges', 1), ('payments', 1), ('service', 1)]"
check "[int(J['totals'].get(k, 0)) for k in ('received_count', 'open_count', 'closed_count', 'withdrawn_count', 'closed_within_3_business_days_count', 'closed_within_4_weeks_count', 'closed_after_8_weeks_count', 'responded_count', 'upheld_count')]" \
  "[5, 2, 2, 1, 2, 2, 0, 2, 1]"
check "[(m['currency_code'], int(m['amount_minor'])) for m in J['totals']['redress_paid']]" "[('GBP', 2500)]"
check "(int(nps_responses), int(nps_promoters), int(J.get('nps_detractors', 0)), float(nps))" "(2, 1, 0, 50.0)"
check "(int(csat_responses), float(csat_mean))" "(2, 4.5)"
check "float(upheld_ratio)" 0.5
check "sum(int(d.get('breached_count', 0)) for d in J['deadline_compliance'])" 0
check "{d['kind']: int(d.get('met_count', 0)) for d in J['deadline_compliance']}['DEADLINE_KIND_ACKNOWLEDGEMENT']" 4
check "float(deadline_compliance_ratio)" 1.0
check "[sum(int(c['count']) for c in w['received_by_channel']) for w in J['weeks']]" "[5]"
check "sum(int(b.get('count', 0)) for b in J['resolution_histogram'])" 2
ctl stats --policy fca-psd2
check complaint_count 1
ctl stats --category billing --channel phone
check complaint_count 1
check "int(totals['closed_count'])" 1
FUTURE=$("$PYTHON" -c 'import datetime as d; print((d.datetime.now(d.timezone.utc)+d.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))')
ctl stats --from "$FUTURE"
check "int(J.get('complaint_count', 0))" 0
ctl_raw stats || fail "stats (table): $(cat "$ERR")"
grep -Eq '^Satisfaction +NPS +\+50\.0 \(n=2: 1 promoters, 0 detractors\)$' "$OUT" ||
  fail "stats table NPS: $(cat "$OUT")"
grep -Eq '^TOTAL +5 +2 +2 +1 +2 +2 +0 +0 +2 +1 +50\.0 +25\.00$' "$OUT" ||
  fail "stats table total row: $(cat "$OUT")"

# The report: HTML (self-contained) and CSV.
ctl_raw report --html "$WORK/report.html" --csv "$WORK/report.csv" --title "Clocks e2e" ||
  fail "report failed: $(cat "$ERR")"
grep -q "^wrote $WORK/report.html (5 complaints, 1 week)$" "$OUT" || fail "report output: $(cat "$OUT")"
"$PYTHON" - "$WORK/report.html" "$WORK/report.csv" <<'PY' || fail "report content check failed"
import csv, re, sys, xml.etree.ElementTree as ET
html = open(sys.argv[1], encoding="utf-8").read()
problems = []
for bad in ("http://", "https://", "<script", "<link", "<img", "url("):
    if bad in html:
        problems.append(f"report contains {bad!r}")
svgs = re.findall(r"<svg .*?</svg>", html, re.S)
if len(svgs) != 4:
    problems.append(f"{len(svgs)} charts, expected 4")
for s in svgs:
    ET.fromstring(s)  # well-formed
ET.fromstring(html[html.index("<html"):])  # the whole page is well-formed too
def tile(name):
    m = re.search(r'id="tile-%s"><div class="tile-value">([^<]*)<' % name, html)
    return m.group(1) if m else None
want = {"complaints": "5", "open": "2", "closed": "2", "nps": "+50.0", "csat": "4.50",
        "deadlines-met": "100.0%", "upheld": "50.0%"}
for k, v in want.items():
    if tile(k) != v:
        problems.append(f"tile {k}: {tile(k)!r}, expected {v!r}")
if not re.search(r'<tr data-category="fees/charges"><td>fees/charges</td><td class="num">1</td>', html):
    problems.append("DISP row of fees/charges missing")
bars = re.findall(r'data-channel="([A-Z_]+)" data-count="(\d+)"', html)
if sorted(bars) != [("EMAIL", "2"), ("LETTER", "1"), ("PHONE", "1"), ("WEB", "1")]:
    problems.append(f"volume bars {bars}")
if not re.search(r'id="deadline-marker" data-days="[0-9.]+"', html):
    problems.append("no deadline marker on the histogram")
rows = list(csv.reader(open(sys.argv[2], newline="", encoding="utf-8")))
header = rows[0]
if header[:3] != ["row_type", "category", "received"] or header[-1] != "redress_paid_GBP":
    problems.append(f"csv header {header}")
by = {(r[0], r[1]): dict(zip(header, r)) for r in rows[1:]}
total = by.get(("total", ""))
if total is None or [total[k] for k in ("received", "open", "closed", "withdrawn", "responded", "upheld", "upheld_pct", "redress_paid_GBP")] != ["5", "2", "2", "1", "2", "1", "50.0", "25.00"]:
    problems.append(f"csv total {total}")
if by.get(("category", "fees/charges"), {}).get("received") != "1":
    problems.append(f"csv category rows {sorted(by)}")
if by.get(("category", "billing"), {}).get("closed") != "1":
    problems.append(f"csv billing {by.get(('category', 'billing'))}")
if len(rows) != 6:
    problems.append(f"{len(rows)} csv rows, expected header + 4 categories + total")
for p in problems:
    print("report:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

# Chains still verify after the clock events.
for c in "$P" "$G" "$U" "$I" "$A"; do
  ctl_raw history "$c" --verify || fail "history $c --verify: $(cat "$ERR")"
done
log "stats and report match; $(($(date +%s) - STARTED)) s"
stop_server
log "PASS"
