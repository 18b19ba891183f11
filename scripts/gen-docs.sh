#!/usr/bin/env bash
# Renders the API reference docs/api/redress.v1.md from proto/: every service,
# RPC, message, field, enum and enum value with its comment, read from the
# protos' descriptors (protoc --descriptor_set_out --include_source_info) by
# the Python below (google.protobuf.descriptor_pb2 from python3-protobuf).
#
#   scripts/gen-docs.sh            write docs/api/redress.v1.md (`make docs`)
#   scripts/gen-docs.sh --check    render to a temp file only (the test step)
#   scripts/gen-docs.sh --out FILE write FILE instead
#
# Exits 1, listing them, when any element lacks a comment. docs/api/ is build
# output (gitignored): run `make docs` to read it.
set -euo pipefail
cd "$(dirname "$0")/.."

out=docs/api/redress.v1.md
check=
while (($#)); do
  case "$1" in
    --check) check=1 ;;
    --out) out=${2:?--out needs a file}; shift ;;
    *) echo "usage: $0 [--check] [--out FILE]" >&2; exit 2 ;;
  esac
  shift
done

PROTOC=${PROTOC:-protoc}
PYTHON=/usr/bin/python3
[[ -x "$PYTHON" ]] || PYTHON=python3
command -v "$PROTOC" >/dev/null || { echo "gen-docs: protoc is missing (apt-get install protobuf-compiler)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/redress-docs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mapfile -t protos < <(cd proto && find redress -name '*.proto' | LC_ALL=C sort)
((${#protos[@]})) || { echo "gen-docs: no .proto files under proto/redress" >&2; exit 1; }
"$PROTOC" -Iproto --include_source_info --descriptor_set_out="$tmp/redress.pb" "${protos[@]/#/proto/}"

[[ -n "$check" ]] || mkdir -p "$(dirname "$out")"

rc=0
"$PYTHON" - "$tmp/redress.pb" "$tmp/out.md" <<'PY' || rc=$?
import re
import sys

from google.protobuf import descriptor_pb2 as d

fds = d.FileDescriptorSet()
with open(sys.argv[1], "rb") as f:
    fds.ParseFromString(f.read())
# The main service and its resource first, then the rest alphabetically.
FIRST = ["redress/v1/complaint_service.proto", "redress/v1/complaint.proto"]
files = sorted((f for f in fds.file if f.package.startswith("redress.")),
               key=lambda f: (FIRST.index(f.name) if f.name in FIRST else len(FIRST), f.name))
packages = sorted({f.package for f in files})
missing = []  # elements without a comment

F = d.FieldDescriptorProto
SCALARS = {
    F.TYPE_DOUBLE: "double", F.TYPE_FLOAT: "float", F.TYPE_INT64: "int64", F.TYPE_UINT64: "uint64",
    F.TYPE_INT32: "int32", F.TYPE_FIXED64: "fixed64", F.TYPE_FIXED32: "fixed32", F.TYPE_BOOL: "bool",
    F.TYPE_STRING: "string", F.TYPE_BYTES: "bytes", F.TYPE_UINT32: "uint32", F.TYPE_SFIXED32: "sfixed32",
    F.TYPE_SFIXED64: "sfixed64", F.TYPE_SINT32: "sint32", F.TYPE_SINT64: "sint64",
}
WELL_KNOWN = "https://protobuf.dev/reference/protobuf/google.protobuf/#"

# --- comments ---------------------------------------------------------------
def locations(fdp):
    return {tuple(loc.path): loc for loc in fdp.source_code_info.location}

def clean(text):
    lines = [l[1:] if l.startswith(" ") else l for l in text.rstrip("\n").split("\n")]
    return "\n".join(lines).strip()

def comment(locs, path, what):
    loc = locs.get(tuple(path))
    text = clean(loc.leading_comments or loc.trailing_comments) if loc else ""
    if not text:
        missing.append(what)
    return text

def cell(text):
    """A comment as one Markdown table cell: wrapped lines joined, list items
    and paragraphs on their own lines."""
    out = []
    for para in re.split(r"\n\s*\n", text):
        items = []
        for line in para.split("\n"):
            line = line.strip()
            if line.startswith("- ") or not items:
                items.append(line)
            else:
                items[-1] += " " + line
        out.append("<br>".join(items))
    return "<br><br>".join(out).replace("|", "\\|")

# --- anchors (GitHub's heading slugs) ----------------------------------------
slugs = {}
used = {}
def heading(full_name, text):
    base = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
    n = used.get(base, 0)
    used[base] = n + 1
    slugs[full_name] = base if n == 0 else f"{base}-{n}"

def link(type_name):
    name = type_name.lstrip(".")
    if name.startswith("google.protobuf."):
        short = name.split(".")[-1]
        return f"[{name}]({WELL_KNOWN}{short.lower()})"
    short = name
    for p in packages:
        if name.startswith(p + "."):
            short = name[len(p) + 1:]
    return f"[{short}](#{slugs[name]})" if name in slugs else f"`{name}`"

# --- collect ----------------------------------------------------------------
services, messages, enums = [], [], []  # (full_name, descriptor, path, locs, file)
map_entries = {}

def walk_message(fdp, locs, msg, path, prefix):
    full = f"{prefix}.{msg.name}"
    if msg.options.map_entry:
        map_entries[full] = msg
        return
    messages.append((full, msg, path, locs, fdp))
    for i, e in enumerate(msg.enum_type):
        enums.append((f"{full}.{e.name}", e, path + [4, i], locs, fdp))
    for i, m in enumerate(msg.nested_type):
        walk_message(fdp, locs, m, path + [3, i], full)

for fdp in files:
    locs = locations(fdp)
    for i, s in enumerate(fdp.service):
        services.append((f"{fdp.package}.{s.name}", s, [6, i], locs, fdp))
    for i, m in enumerate(fdp.message_type):
        walk_message(fdp, locs, m, [4, i], fdp.package)
    for i, e in enumerate(fdp.enum_type):
        enums.append((f"{fdp.package}.{e.name}", e, [5, i], locs, fdp))

def short(full):
    for p in packages:
        if full.startswith(p + "."):
            return full[len(p) + 1:]
    return full

for full, *_ in services:
    heading(full, short(full))
for full, s, *_ in services:
    for m in s.method:
        heading(f"{full}.{m.name}", m.name)
for full, *_ in messages + enums:
    heading(full, short(full))

def field_type(f):
    if f.type in (F.TYPE_MESSAGE, F.TYPE_ENUM):
        entry = map_entries.get(f.type_name.lstrip("."))
        if entry is not None:
            k, v = entry.field
            return f"map&lt;{field_type(k)}, {field_type(v)}&gt;"
        t = link(f.type_name)
    else:
        t = SCALARS[f.type]
    if f.label == F.LABEL_REPEATED:
        t = "repeated " + t
    elif f.proto3_optional:
        t = "optional " + t
    return t

# --- render -----------------------------------------------------------------
md = []
w = md.append
w(f"# API reference: {', '.join(packages)}")
w("")
w("Generated by `make docs` (scripts/gen-docs.sh) from the comments in "
  "[proto/](../../proto); do not edit. Wire conventions (resource names, etags, "
  "`request_id`, errors) are described on each service; clients: "
  "[clients/README.md](../../clients/README.md).")
w("")
w("## Contents")
w("")
for title, items in (("Services", services), ("Messages", messages), ("Enums", enums)):
    w(f"- {title}: " + ", ".join(f"[{short(full)}](#{slugs[full]})" for full, *_ in items))
w("")

files_with_comments = []
for fdp in files:
    locs = locations(fdp)
    loc = locs.get((12,)) or locs.get((2,))
    detached = [clean(c) for c in loc.leading_detached_comments] if loc else []
    text = "\n\n".join(c for c in detached if c) or (clean(loc.leading_comments) if loc else "")
    if text:
        files_with_comments.append((fdp.name, text))
if files_with_comments:
    w("## Files")
    w("")
    for name, text in files_with_comments:
        w(f"**[{name}](../../proto/{name})**")
        w("")
        w(text)
        w("")

w("## Services")
w("")
for full, s, path, locs, fdp in services:
    w(f"### {short(full)}")
    w("")
    w(comment(locs, path, f"service {full}"))
    w("")
    w("| RPC | Request | Response | Description |")
    w("|---|---|---|---|")
    details = []
    for j, m in enumerate(s.method):
        text = comment(locs, path + [2, j], f"rpc {full}.{m.name}")
        req = ("stream " if m.client_streaming else "") + link(m.input_type)
        resp = ("stream " if m.server_streaming else "") + link(m.output_type)
        summary = re.split(r"\n\s*\n", text)[0]
        w(f"| [{m.name}](#{slugs[f'{full}.{m.name}']}) | {req} | {resp} | {cell(summary)} |")
        details.append((m, text, req, resp))
    w("")
    for m, text, req, resp in details:
        w(f"#### {m.name}")
        w("")
        w(f"`rpc {m.name}({'stream ' if m.client_streaming else ''}{short(m.input_type.lstrip('.'))}) "
          f"returns ({'stream ' if m.server_streaming else ''}{short(m.output_type.lstrip('.'))})`"
          + (" — **deprecated**" if m.options.deprecated else ""))
        w("")
        w(f"Request: {req}. Response: {resp}.")
        w("")
        w(text)
        w("")

w("## Messages")
w("")
field_rows = 0
for full, msg, path, locs, fdp in messages:
    w(f"### {short(full)}")
    w("")
    w(comment(locs, path, f"message {full}"))
    w("")
    for k, o in enumerate(msg.oneof_decl):
        real = [f for f in msg.field if f.HasField("oneof_index") and f.oneof_index == k and not f.proto3_optional]
        if real:
            w(f"One of `{o.name}`: {cell(comment(locs, path + [8, k], f'oneof {full}.{o.name}'))}")
            w("")
    if msg.field:
        w("| Field | Number | Type | Description |")
        w("|---|---|---|---|")
        for k, f in enumerate(msg.field):
            text = comment(locs, path + [2, k], f"field {full}.{f.name}")
            if f.options.deprecated:
                text = "**Deprecated.** " + text
            w(f"| `{f.name}` | {f.number} | {field_type(f)} | {cell(text)} |")
            field_rows += 1
    else:
        w("No fields.")
    w("")

w("## Enums")
w("")
value_rows = 0
for full, e, path, locs, fdp in enums:
    w(f"### {short(full)}")
    w("")
    w(comment(locs, path, f"enum {full}"))
    w("")
    w("| Name | Number | Description |")
    w("|---|---|---|")
    for k, v in enumerate(e.value):
        w(f"| `{v.name}` | {v.number} | {cell(comment(locs, path + [2, k], f'enum value {full}.{v.name}'))} |")
        value_rows += 1
    w("")

with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write("\n".join(md).rstrip("\n") + "\n")

n_rpcs = sum(len(s.method) for _, s, *_ in services)
print(f"gen-docs: {len(files)} files, {len(services)} services, {n_rpcs} RPCs, "
      f"{len(messages)} messages, {field_rows} fields, {len(enums)} enums, {value_rows} enum values")
if missing:
    print(f"gen-docs: {len(missing)} elements have no comment:", file=sys.stderr)
    for m in missing:
        print(f"  {m}", file=sys.stderr)
    sys.exit(1)
PY
# Written even when comments are missing (then the exit status is 1).
[[ -f "$tmp/out.md" && -z "$check" ]] && mv "$tmp/out.md" "$out"
((rc == 0)) || exit "$rc"
if [[ -n "$check" ]]; then
  echo "gen-docs: every element is documented"
else
  echo "gen-docs: wrote $out"
fi
