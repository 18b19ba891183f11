#!/usr/bin/env bash
# Python client tests (clients/python/tests/test_redress_client.py) against a
# real redressd from the build tree. Usage: clients/python/run-tests.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${1:-${BUILD_DIR:-build}}
[[ "$BUILD_DIR" = /* ]] || BUILD_DIR=$PWD/$BUILD_DIR
export REDRESSD=${REDRESSD:-$BUILD_DIR/server/redressd}
/usr/bin/python3 clients/python/redress_stubs.py >/dev/null
exec /usr/bin/python3 -m unittest discover -s clients/python/tests -p 'test_redress_client.py' "${@:2}"
