#!/usr/bin/env bash
# Node client tests (clients/node/test/) against a real redressd from the
# build tree. Installs the pinned dependencies with `npm ci` when
# node_modules/ is missing or older than package-lock.json.
# Usage: clients/node/run-tests.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${1:-${BUILD_DIR:-build}}
[[ "$BUILD_DIR" = /* ]] || BUILD_DIR=$PWD/$BUILD_DIR
export REDRESSD=${REDRESSD:-$BUILD_DIR/server/redressd}
for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 ||
    { echo "node client: $tool is missing (scripts/install-deps.sh installs npm and nodejs)" >&2; exit 1; }
done
cd clients/node
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-fund --no-audit --loglevel=error >/dev/null
fi
exec node --test test/client.test.js
