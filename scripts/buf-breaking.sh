#!/usr/bin/env bash
# Checks proto/ (the working tree, uncommitted edits included) for changes
# that break wire or JSON compatibility (buf breaking, rules WIRE_JSON in
# buf.yaml) against a base revision:
#
#   BUF_BREAKING_AGAINST=INPUT  any buf input, used as is, e.g. a CI's PR base
#                               or pre-push commit: '.git#ref=<sha>', or a
#                               release: '.git#tag=v1.2.0'
#   otherwise                   the merge-base with the upstream branch when
#                               HEAD has commits the upstream lacks (a local
#                               branch: all of its commits are checked),
#                               else HEAD^ -- in CI on a fresh clone, HEAD is
#                               the submitted commit and HEAD^ is main before it.
#
# The base's proto/ is taken with `git archive` and checked with the current
# buf.yaml. Skips (exit 0, with a message) outside git, when the base has no
# proto/, or when there is no previous commit (the first commit; a shallow
# clone is deepened by one commit first when a remote is reachable).
# Breaking changes belong in a new package (redress.v2), not in redress.v1.
set -euo pipefail
cd "$(dirname "$0")/.."

skip() {
  echo "buf breaking: skipped: $*"
  exit 0
}

if ! command -v npm >/dev/null 2>&1; then
  echo "buf-breaking: npm is missing (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
if [ ! -x scripts/buf/node_modules/.bin/buf ]; then
  npm ci --prefix scripts/buf --no-fund --no-audit --loglevel=error >/dev/null
fi
BUF=scripts/buf/node_modules/.bin/buf

# check AGAINST DESCRIPTION
check() {
  if ! "$BUF" breaking --against "$1"; then
    echo "buf breaking: proto/ breaks wire/JSON compatibility with $2 (see above);" \
      "incompatible changes need a new package (redress.v2)" >&2
    exit 1
  fi
}

if [[ -n "${BUF_BREAKING_AGAINST:-}" ]]; then
  check "$BUF_BREAKING_AGAINST" "$BUF_BREAKING_AGAINST"
  echo "buf breaking: proto/ is compatible with $BUF_BREAKING_AGAINST (WIRE_JSON)"
  exit 0
fi

git rev-parse --git-dir >/dev/null 2>&1 || skip "not a git checkout (set BUF_BREAKING_AGAINST)"
git rev-parse --verify -q HEAD >/dev/null || skip "no commit yet"

base=
what=
if upstream=$(git rev-parse --verify -q '@{upstream}' 2>/dev/null) &&
   mb=$(git merge-base HEAD "$upstream" 2>/dev/null) &&
   [[ "$mb" != "$(git rev-parse HEAD)" ]]; then
  base=$mb
  what="merge-base with $(git rev-parse --abbrev-ref '@{upstream}')"
else
  if ! git rev-parse --verify -q 'HEAD^{commit}^' >/dev/null &&
     [[ "$(git rev-parse --is-shallow-repository)" == true ]]; then
    git fetch --quiet --deepen=1 >/dev/null 2>&1 || true
  fi
  base=$(git rev-parse --verify -q 'HEAD^' 2>/dev/null) ||
    skip "HEAD has no previous commit to compare with (first commit, or a shallow clone: fetch with depth >= 2)"
  what="HEAD^"
fi

git cat-file -e "$base:proto" 2>/dev/null || skip "$what ($(git rev-parse --short "$base")) has no proto/"

against=$(mktemp -d "${TMPDIR:-/tmp}/redress-buf-against.XXXXXX")
trap 'rm -rf "$against"' EXIT
git archive "$base" proto | tar -x -C "$against"
cp buf.yaml "$against/"

check "$against" "$what ($(git rev-parse --short "$base"))"
echo "buf breaking: proto/ is compatible with $what ($(git rev-parse --short "$base")) (WIRE_JSON)"
