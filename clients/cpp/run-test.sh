#!/usr/bin/env bash
# Tests the installed C++ client package end to end: installs the build tree
# into a temp prefix (cmake --install), configures and builds the standalone
# example in clients/cpp against it with find_package(Redress), and runs the
# example against a throwaway redressd (SQLite).
# Usage: clients/cpp/run-test.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${1:-${BUILD_DIR:-build}}
[[ "$BUILD_DIR" = /* ]] || BUILD_DIR=$PWD/$BUILD_DIR
REDRESSD=$(realpath -m "${REDRESSD:-$BUILD_DIR/server/redressd}")
[[ -x "$REDRESSD" ]] || { echo "cpp client: $REDRESSD is not an executable (build first)" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/redress-cpp-client.XXXXXX")
SERVER_PID=
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

step() { echo "[cpp client] $*"; }
quiet() {  # quiet LOG CMD...: run CMD, show LOG only when it fails
  local log=$1
  shift
  "$@" >"$log" 2>&1 || { cat "$log" >&2; return 1; }
}

step "cmake --install $BUILD_DIR --prefix $WORK/prefix"
quiet "$WORK/install.log" cmake --install "$BUILD_DIR" --prefix "$WORK/prefix"
# The installed package must not point back into the build or source tree.
if grep -rlF -e "$BUILD_DIR" -e "$PWD/" "$WORK/prefix/lib/cmake"; then
  echo "cpp client: the installed CMake package references the build/source tree (files above)" >&2
  exit 1
fi

step "configure + build clients/cpp against the installed package"
quiet "$WORK/configure.log" cmake -S clients/cpp -B "$WORK/build" \
  -DCMAKE_PREFIX_PATH="$WORK/prefix" -DCMAKE_BUILD_TYPE=Release
quiet "$WORK/build.log" cmake --build "$WORK/build" -j "${JOBS:-2}"

step "run the example against redressd"
# In its own directory: files redressd keeps under var/ by default (e.g. the
# audit signing key) stay out of the repository.
mkdir "$WORK/var"
(cd "$WORK" && exec "$REDRESSD" --listen 127.0.0.1:0 --port-file "$WORK/port" \
  --database "sqlite:$WORK/redress.db" >"$WORK/redressd.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 1 300); do
  [[ -s "$WORK/port" ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/redressd.log" >&2; echo "cpp client: redressd exited" >&2; exit 1; }
  sleep 0.1
done
[[ -s "$WORK/port" ]] || { echo "cpp client: redressd did not start" >&2; exit 1; }
"$WORK/build/example_lifecycle" --target "127.0.0.1:$(tr -d '[:space:]' <"$WORK/port")"
