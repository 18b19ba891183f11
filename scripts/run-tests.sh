#!/usr/bin/env bash
# Runs every test of the repository against an already-built tree
# (`make test` builds first). PostgreSQL tests always run: ctest is started
# under scripts/with-postgres.sh, which provides a throwaway server and sets
# REDRESS_REQUIRE_PG=1 so that they can't skip.
#
# Extra arguments go to ctest, e.g. scripts/run-tests.sh -R e2e
# Environment: BUILD_DIR (default build), CTEST_JOBS (default 2),
# CTEST_TIMEOUT (per-test default in seconds, default 600), CTEST_ONLY=1
# (only step 1: `make test`'s second pass over the ASan tree, where the other
# steps -- linters, docs, client packages -- would repeat the first pass).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
CTEST_JOBS=${CTEST_JOBS:-2}
CTEST_TIMEOUT=${CTEST_TIMEOUT:-600}

if [[ ! -f "$BUILD_DIR/CTestTestfile.cmake" ]]; then
  echo "run-tests: $BUILD_DIR is not a configured build tree (run 'make build' first)" >&2
  exit 1
fi

# Sanitizer trees (make test-asan / test-tsan): every instrumented binary the
# tests start inherits these; any report fails the test that caused it (and,
# on the TSan tree, the run: see the report files checked at the end).
sanitize=$(sed -n 's/^REDRESS_SANITIZE:STRING=//p' "$BUILD_DIR/CMakeCache.txt")
if [[ -n "$sanitize" ]]; then
  echo "run-tests: sanitizer build ($sanitize)"
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:check_initialization_order=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/sanitizers/tsan.supp}
  if [[ "$sanitize" == thread ]]; then
    # Reports go to files, checked after ctest: a report in a process whose
    # exit status a test does not check (redressd killed at the end, a
    # redressctl expected to fail) would otherwise go unnoticed.
    tsan_reports=$(mktemp -d "${TMPDIR:-/tmp}/redress-tsan.XXXXXX")
    export TSAN_OPTIONS="$TSAN_OPTIONS:log_path=$tsan_reports/report:log_exe_name=1"
  fi
  if [[ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]]; then
    export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
    export PATH=$PATH:/usr/lib/llvm-14/bin
  fi
fi

failed=()

# run_step NAME CMD...: runs one test step, recording NAME when it fails.
run_step() {
  local name=$1
  shift
  echo "=== $name"
  if ! "$@"; then
    failed+=("$name")
  fi
}

# ---------------------------------------------------------------------------
# 1. ctest: C++ unit, store, API and end-to-end tests, SQLite and PostgreSQL.
# (--timeout is the default for tests without their own TIMEOUT property.)
ctest_log=$(mktemp)
trap 'rm -f "$ctest_log"' EXIT
set +e
bash scripts/with-postgres.sh \
  ctest --test-dir "$BUILD_DIR" --output-on-failure --no-tests=error \
        -j "$CTEST_JOBS" --timeout "$CTEST_TIMEOUT" "$@" 2>&1 | tee "$ctest_log"
ctest_rc=${PIPESTATUS[0]}
set -e
((ctest_rc == 0)) || failed+=("ctest (exit $ctest_rc)")

# ---------------------------------------------------------------------------
# 2. Other test steps (not run by ctest).
if [[ "${CTEST_ONLY:-0}" != 1 ]]; then
  run_step "buf lint" bash scripts/buf-lint.sh
  run_step "buf breaking" bash scripts/buf-breaking.sh
  run_step "API docs (every proto element commented)" bash scripts/gen-docs.sh --check
  run_step "Python client" bash clients/python/run-tests.sh "$BUILD_DIR"
  run_step "Node client" bash clients/node/run-tests.sh "$BUILD_DIR"
  # The installed package's static libraries carry the sanitizer's
  # instrumentation, which the example (built with the default g++) cannot link:
  # packaging is tested on the normal build only.
  if [[ -z "$sanitize" ]]; then
    run_step "C++ client (installed package)" bash clients/cpp/run-test.sh "$BUILD_DIR"
  else
    echo "=== C++ client (installed package): skipped in a sanitizer build"
  fi
fi  # CTEST_ONLY

# ---------------------------------------------------------------------------
# TSan reports of every step (see above), including those of processes whose
# exit status no test looked at.
if [[ -n "${tsan_reports:-}" ]]; then
  shopt -s nullglob
  reports=("$tsan_reports"/report.*)
  shopt -u nullglob
  if ((${#reports[@]} > 0)); then
    for r in "${reports[@]}"; do
      echo "=== ThreadSanitizer report from ${r##*/report.} (exe.pid)"
      cat "$r"
    done
    failed+=("ThreadSanitizer reports from ${#reports[@]} process(es), printed above")
  fi
  rm -rf "$tsan_reports"
fi

# ---------------------------------------------------------------------------
# Summary: ctest's own result line last, then the overall verdict.
echo
summary=$(grep -E '[0-9]+% tests passed' "$ctest_log" | tail -n1 || true)
echo "ctest: ${summary:-no summary line (ctest did not run to completion)}"
if ((${#failed[@]} > 0)); then
  echo "run-tests: FAILED: ${failed[*]}"
  exit 1
fi
echo "run-tests: all tests passed"
