#!/usr/bin/env bash
# Renders the HTML report of the test fixture in headless Chromium (offline:
# no network, no GPU) and checks the screenshot is a real page with the
# charts' colours (check_report_png.py).
#
#   report_render_test.sh REPORT_SAMPLE
#
# KEEP_WORK=1 keeps the HTML and PNG for inspection.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAMPLE=${1:?usage: report_render_test.sh REPORT_SAMPLE}
PYTHON=/usr/bin/python3
[[ -x "$PYTHON" ]] || PYTHON=python3
CHROMIUM=
for candidate in chromium chromium-browser; do
  if command -v "$candidate" >/dev/null 2>&1; then
    CHROMIUM=$(command -v "$candidate")
    break
  fi
done
[[ -n "$CHROMIUM" ]] || { echo "FAIL: chromium not found (scripts/install-deps.sh installs it)" >&2; exit 1; }
"$PYTHON" -c 'import PIL' 2>/dev/null || { echo "FAIL: python3-pil missing" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/redress-report-render.XXXXXX")
cleanup() {
  if [[ -n "${KEEP_WORK:-}" ]]; then echo "work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

"$SAMPLE" "$WORK/report.html"
grep -q '<svg id="chart-volume"' "$WORK/report.html" || { echo "FAIL: no chart in the report" >&2; exit 1; }

WIDTH=1200 HEIGHT=2000
# A throwaway profile; HOME too, since Chromium writes under it.
HOME="$WORK" timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
  --disable-background-networking --disable-component-update --disable-sync \
  --no-first-run --no-default-browser-check --user-data-dir="$WORK/profile" \
  --hide-scrollbars --screenshot="$WORK/report.png" --window-size=$WIDTH,$HEIGHT \
  "file://$WORK/report.html" >"$WORK/chromium.log" 2>&1 || {
  echo "FAIL: chromium exited $?:" >&2
  tail -n 20 "$WORK/chromium.log" >&2
  exit 1
}
[[ -s "$WORK/report.png" ]] || { echo "FAIL: no screenshot; chromium log:" >&2; tail -n 20 "$WORK/chromium.log" >&2; exit 1; }
"$PYTHON" "$HERE/check_report_png.py" "$WORK/report.png" "$WIDTH" "$HEIGHT"
