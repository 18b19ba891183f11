#!/usr/bin/python3
"""Generates the Python gRPC stubs for redress.v1 from proto/.

The stubs are build output and never committed: redress_client.py calls
ensure_stubs() on import, which runs protoc when the generated directory is
missing or was made from different .proto files. Run it by hand to generate
them somewhere else (e.g. to vendor them into another service):

    /usr/bin/python3 clients/python/redress_stubs.py [--proto-dir DIR] [--out DIR]

It also generates google.rpc.Status and google.rpc.BadRequest (the
machine-readable error details redressd sends with INVALID_ARGUMENT) from the
.proto files Debian ships in golang-github-gogo-googleapis-dev.

Needs protoc and grpc_python_plugin (Debian: protobuf-compiler,
protobuf-compiler-grpc). Environment: REDRESS_PROTO_DIR, REDRESS_PY_GEN_DIR
override the defaults (proto/ of this repository, clients/python/gen),
REDRESS_GOOGLEAPIS_PROTO_DIR the directory holding google/rpc/*.proto,
PROTOC and GRPC_PYTHON_PLUGIN the tools.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_PROTO_DIR = HERE.parent.parent / "proto"
DEFAULT_OUT_DIR = HERE / "gen"
DEFAULT_GOOGLEAPIS_DIR = pathlib.Path("/usr/share/gocode/src/github.com/gogo/googleapis")
GOOGLE_RPC_PROTOS = ("google/rpc/status.proto", "google/rpc/error_details.proto")
STAMP = ".proto-sha256"


def _protos(proto_dir: pathlib.Path) -> list[pathlib.Path]:
    protos = sorted((proto_dir / "redress").rglob("*.proto"))
    if not protos:
        raise FileNotFoundError(f"no .proto files under {proto_dir / 'redress'}")
    return protos


def _digest(proto_dir: pathlib.Path, protos: list[pathlib.Path]) -> str:
    h = hashlib.sha256()
    for p in protos:
        h.update(str(p.relative_to(proto_dir)).encode() + b"\0")
        h.update(p.read_bytes() + b"\0")
    return h.hexdigest()


def ensure_stubs(proto_dir: os.PathLike | str | None = None,
                 out_dir: os.PathLike | str | None = None) -> pathlib.Path:
    """Generates the stubs into out_dir unless they are up to date.

    Returns out_dir; put it on sys.path to `import redress.v1...`.
    """
    proto_dir = pathlib.Path(proto_dir or os.environ.get("REDRESS_PROTO_DIR") or DEFAULT_PROTO_DIR).resolve()
    out_dir = pathlib.Path(out_dir or os.environ.get("REDRESS_PY_GEN_DIR") or DEFAULT_OUT_DIR).resolve()
    protos = _protos(proto_dir)
    googleapis = pathlib.Path(os.environ.get("REDRESS_GOOGLEAPIS_PROTO_DIR") or DEFAULT_GOOGLEAPIS_DIR)
    rpc_protos = [googleapis / p for p in GOOGLE_RPC_PROTOS]
    for p in rpc_protos:
        if not p.is_file():
            raise FileNotFoundError(
                f"{p} not found (apt-get install golang-github-gogo-googleapis-dev)")
    digest = _digest(proto_dir, protos) + _digest(googleapis, rpc_protos)
    stamp = out_dir / STAMP
    if stamp.is_file() and stamp.read_text().strip() == digest:
        return out_dir

    protoc = os.environ.get("PROTOC") or shutil.which("protoc") or "/usr/bin/protoc"
    plugin = os.environ.get("GRPC_PYTHON_PLUGIN") or shutil.which("grpc_python_plugin") or "/usr/bin/grpc_python_plugin"
    for tool in (protoc, plugin):
        if not os.access(tool, os.X_OK):
            raise FileNotFoundError(
                f"{tool} not found (apt-get install protobuf-compiler protobuf-compiler-grpc)")

    # Generate next to out_dir, then swap it in, so that concurrent callers
    # never import a half-written tree.
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = pathlib.Path(tempfile.mkdtemp(prefix=".gen-", dir=out_dir.parent))
    try:
        cmd = [protoc, f"-I{proto_dir}",
               f"--python_out={tmp}", f"--pyi_out={tmp}", f"--grpc_python_out={tmp}",
               f"--plugin=protoc-gen-grpc_python={plugin}",
               *[str(p.relative_to(proto_dir)) for p in protos]]
        res = subprocess.run(cmd, cwd=proto_dir, capture_output=True, text=True)
        if res.returncode != 0:
            raise RuntimeError(f"protoc failed ({res.returncode}): {res.stderr.strip()}")
        for d in [p for p in tmp.rglob("*") if p.is_dir()]:
            (d / "__init__.py").touch()
        # google.rpc stays a namespace package (no __init__.py): `google` is
        # one too, shared with google.protobuf.
        cmd = [protoc, f"-I{googleapis}", f"--python_out={tmp}", f"--pyi_out={tmp}",
               *GOOGLE_RPC_PROTOS]
        res = subprocess.run(cmd, cwd=googleapis, capture_output=True, text=True)
        if res.returncode != 0:
            raise RuntimeError(f"protoc failed ({res.returncode}): {res.stderr.strip()}")
        (tmp / STAMP).write_text(digest + "\n")
        old = None
        if out_dir.exists():
            old = out_dir.with_name(out_dir.name + f".old-{os.getpid()}")
            os.rename(out_dir, old)
        try:
            os.rename(tmp, out_dir)
        except OSError:
            # Someone else swapped theirs in first; theirs is just as good.
            if not (out_dir / STAMP).is_file():
                raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_dir


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--proto-dir", help=f"directory holding redress/v1/*.proto (default {DEFAULT_PROTO_DIR})")
    ap.add_argument("--out", help=f"output directory (default {DEFAULT_OUT_DIR})")
    args = ap.parse_args(argv)
    try:
        out = ensure_stubs(args.proto_dir, args.out)
    except (OSError, RuntimeError) as e:
        print(f"redress_stubs: {e}", file=sys.stderr)
        return 1
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
