#!/usr/bin/env bash
# `make fuzz`: runs every libFuzzer target of a REDRESS_FUZZ build tree for
# SECONDS each, one after the other, starting from its seeds in tests/fuzz/corpus/.
# New inputs that add coverage are kept in fuzz-out/corpus/<target> (merge
# the useful ones into tests/fuzz/corpus by hand); crashing inputs are left in
# fuzz-out/artifacts/<target>. Exits non-zero when any target fails.
#
#   scripts/fuzz.sh BUILD_DIR [SECONDS] [libFuzzer flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:?usage: scripts/fuzz.sh BUILD_DIR [SECONDS]}
SECONDS_EACH=${2:-120}
shift $(($# < 2 ? $# : 2))
OUT=${FUZZ_OUT:-fuzz-out}
if [[ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]]; then
  export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-/usr/lib/llvm-14/bin/llvm-symbolizer}
fi
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# target:seed corpus (tests/fuzz/CMakeLists.txt)
targets=(lifecycle_fuzz:lifecycle engine_fuzz:lifecycle audit_export_fuzz:audit_export
         policy_fuzz:policy access_config_fuzz:access_config)
failed=()
for entry in "${targets[@]}"; do
  t=${entry%%:*} seeds=${entry#*:}
  bin=$BUILD_DIR/tests/fuzz/$t
  if [[ ! -x "$bin" ]]; then
    echo "fuzz: $bin missing (configure with -DREDRESS_FUZZ=ON, clang)" >&2
    exit 1
  fi
  name=${t%_fuzz}
  mkdir -p "$OUT/corpus/$name" "$OUT/artifacts/$name"
  echo "=== $t (${SECONDS_EACH}s)"
  if ! KEEP_CORPUS_DIR=$OUT/corpus/$name ARTIFACT_DIR=$OUT/artifacts/$name \
       bash tests/fuzz/run-fuzzer.sh "$bin" "tests/fuzz/corpus/$seeds" "$SECONDS_EACH" "$@"; then
    failed+=("$t")
  fi
done
if ((${#failed[@]} > 0)); then
  echo "fuzz: FAILED: ${failed[*]} (inputs in $OUT/artifacts/)"
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${SECONDS_EACH}s without failure"
