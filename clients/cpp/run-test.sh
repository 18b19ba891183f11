#!/usr/bin/env bash
# Tests the installed C++ client package end to end: installs the build tree
# into a temp prefix (cmake --install), configures and builds the standalone
# example in clients/cpp against it with find_package(Redress), and runs the
# example against a throwaway redressd (SQLite): once in development mode,
# once with mutual TLS, an access configuration and a bearer token.
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
  --database "sqlite:$WORK/redress.db" --dev-allow-personal-data >"$WORK/redressd.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 1 300); do
  [[ -s "$WORK/port" ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/redressd.log" >&2; echo "cpp client: redressd exited" >&2; exit 1; }
  sleep 0.1
done
[[ -s "$WORK/port" ]] || { echo "cpp client: redressd did not start" >&2; exit 1; }
"$WORK/build/example_lifecycle" --target "127.0.0.1:$(tr -d '[:space:]' <"$WORK/port")"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || { cat "$WORK/redressd.log" >&2; echo "cpp client: redressd did not stop cleanly" >&2; exit 1; }
SERVER_PID=

step "run the example over mutual TLS with a bearer token"
mkdir "$WORK/tls"
(
  cd "$WORK/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Cpp Test CA" -keyout ca.key -out ca.pem
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >san.ext
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out server.pem
  openssl req -newkey rsa:2048 -nodes -subj "/CN=cpp-mtls" -keyout client.key -out client.csr
  openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out client.pem
) >"$WORK/openssl.log" 2>&1 || { cat "$WORK/openssl.log" >&2; exit 1; }
TOKEN=$(openssl rand -hex 24)
# The token names the principal (cpp-token); the certificate alone would be cpp-mtls.
cat >"$WORK/access.textproto" <<ACCESS
principals { name: "cpp-token" roles: ROLE_SUPERVISOR token_sha256: "$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)" }
principals { name: "cpp-mtls" roles: ROLE_SUPERVISOR client_cert_subjects: "CN=cpp-mtls" }
ACCESS
rm -f "$WORK/port"
(cd "$WORK" && exec "$REDRESSD" --listen 127.0.0.1:0 --port-file "$WORK/port" \
  --database "sqlite:$WORK/redress.db" --access-config "$WORK/access.textproto" \
  --tls-cert tls/server.pem --tls-key tls/server.key --client-ca tls/ca.pem \
  >>"$WORK/redressd.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 1 300); do
  [[ -s "$WORK/port" ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/redressd.log" >&2; echo "cpp client: redressd exited" >&2; exit 1; }
  sleep 0.1
done
[[ -s "$WORK/port" ]] || { echo "cpp client: redressd did not start" >&2; exit 1; }
# The example checks that the assessor recorded is --actor: the token's principal.
"$WORK/build/example_lifecycle" --target "localhost:$(tr -d '[:space:]' <"$WORK/port")" \
  --actor cpp-token --handler cpp-token --token "$TOKEN" --tls-ca "$WORK/tls/ca.pem" \
  --tls-cert "$WORK/tls/client.pem" --tls-key "$WORK/tls/client.key"
