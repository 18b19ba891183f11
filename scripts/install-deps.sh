#!/usr/bin/env bash
# Installs the Debian 12 packages Redress needs to build and test.
# Idempotent: only missing packages are installed (one apt-get update, one
# apt-get install); when everything is present it does nothing.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  libgrpc++-dev protobuf-compiler-grpc protobuf-compiler libprotobuf-dev
  libsoci-dev libboost-dev libabsl-dev libgtest-dev libgmock-dev libssl-dev
  libsqlite3-dev libpq-dev sqlite3 postgresql grpc-proto openssl
  python3-grpcio python3-protobuf python3-cryptography
  time bc golang-github-gogo-googleapis-dev
  chromium python3-pil  # headless rendering of the HTML report (tests/clients)
  mount util-linux  # tests/reliability: tmpfs for the disk-full test, runuser
  clang libclang-rt-14-dev llvm-14  # sanitizers, libFuzzer, llvm-symbolizer (make test-asan, make fuzz)
  golang-go golang-golang-x-mod-dev  # a third-party signed-note / tlog implementation (tests/tlog)
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  if [[ "$status" != "installed" ]]; then
    missing+=("$pkg")
  fi
done

# npm (for buf, the proto linter): Debian's package, unless some npm is
# already there (e.g. NodeSource's nodejs bundles it and conflicts with it).
if ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} required packages already installed"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: not running as root and sudo is not available; install them as root:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { "${SUDO[@]}" apt-get update -q &&
       "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
         apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "install-deps: apt-get failed installing: ${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installed ${#missing[@]} missing packages: ${missing[*]}"
