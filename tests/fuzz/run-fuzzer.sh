#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS, starting from the committed seed
# corpus (read only). New coverage-increasing inputs go to a scratch
# directory; a crash, sanitizer report or invariant violation stops the run
# and exits non-zero, leaving the input in ARTIFACT_DIR (default: the scratch
# directory, printed) as crash-<sha1>.
#
#   run-fuzzer.sh FUZZER CORPUS_DIR SECONDS [libFuzzer flags...]
# Environment: ARTIFACT_DIR, KEEP_CORPUS_DIR (keep new inputs there instead).
set -euo pipefail
fuzzer=$1 corpus=$2 seconds=$3
shift 3

scratch=$(mktemp -d "${TMPDIR:-/tmp}/redress-fuzz.XXXXXX")
new_corpus=${KEEP_CORPUS_DIR:-$scratch/corpus}
artifacts=${ARTIFACT_DIR:-$scratch/artifacts}
mkdir -p "$new_corpus" "$artifacts"

set +e
# -rss_limit_mb: ASan's shadow memory counts; 2 GB leaves room on small machines.
"$fuzzer" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2560 -print_final_stats=1 \
  -artifact_prefix="$artifacts/" "$@" "$new_corpus" "$corpus" 2>&1 |
  grep -vE '^#[0-9]+\s+(NEW|REDUCE|pulse)'
rc=${PIPESTATUS[0]}
set -e

if ((rc != 0)); then
  echo "run-fuzzer: $(basename "$fuzzer") FAILED (exit $rc); inputs in $artifacts:" >&2
  ls -l "$artifacts" >&2 || true
  exit "$rc"
fi
rm -rf "$scratch"
echo "run-fuzzer: $(basename "$fuzzer"): no failure in ${seconds}s"
