#!/usr/bin/env bash
# Lints proto/ with buf (STANDARD + COMMENTS, exceptions explained in buf.yaml).
# buf comes from the npm registry, pinned by scripts/buf/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
  echo "buf-lint: npm is missing (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
if [ ! -x scripts/buf/node_modules/.bin/buf ]; then
  npm ci --prefix scripts/buf --no-fund --no-audit --loglevel=error >/dev/null
fi
scripts/buf/node_modules/.bin/buf lint
echo "buf lint: proto/ passes (STANDARD + COMMENTS)"
