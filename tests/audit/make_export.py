#!/usr/bin/env python3
"""Builds synthetic Redress audit-trail exports (compliance-docs/audit-trail.md
§2, §6, §7) so the verifiers can be tested without a server.

A deterministic ledger of complaints (interleaved, with full lifecycles, one
PERSONAL_DATA_ERASED) is built from --seed; checkpoints are sealed every
--checkpoint-every events and at the end, signed with the Ed25519 key in
--key (created if missing). The export is written exactly as §7 describes:
complete (every ledger entry up to --end), or filtered to --complaint names
(with RFC 6962 inclusion proofs against the last checkpoint).

  make_export.py --key KEY.pem --out FILE [--seed S] [--complaints N]
                 [--checkpoint-every K] [--end TREE_SIZE] [--complaint NAME]...
                 [--fork-after N]
  make_export.py --key KEY.pem --public-key     # prints ed25519:<base64>

--fork-after N: the ledger is the same as without it for the first N
entries, then differs (what a server rewriting history would produce).

Library use: build_ledger(), export_lines(), sign_checkpoint(), event_hash().
"""

import argparse
import base64
import hashlib
import json
import os
import random
import struct
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ZERO = "0" * 64

# A lifecycle per complaint: (type, from_state, to_state).
LIFECYCLE = [
    ("SUBMITTED", 0, 1),
    ("ACKNOWLEDGED", 1, 2),
    ("ASSESSED", 2, 2),
    ("ASSIGNED", 2, 2),
    ("INVESTIGATION_STARTED", 2, 3),
    ("NOTE_ADDED", 3, 3),
    ("RESPONDED", 3, 4),
    ("COMPLAINANT_DECISION_RECORDED", 4, 6),
]


def _str(text):
    data = text.encode("utf-8")
    return struct.pack(">I", len(data)) + data


def event_hash(ev):
    # Version 2 when the event has an actor_kind (audit-trail.md section 2).
    kind = {"PRINCIPAL": 1, "SYSTEM": 2}.get(ev.get("actor_kind"))
    enc = ((b"REDRESS-EVENT-V2" if kind else b"REDRESS-EVENT-V1") + _str(ev["complaint"])
           + struct.pack(">Q", ev["sequence"])
           + _str(ev["type"]) + struct.pack(">II", ev["from_state"], ev["to_state"])
           + _str(ev["actor"]) + (struct.pack(">I", kind) if kind else b"")
           + _str(ev["request_id"]) + struct.pack(">q", ev["event_time_us"])
           + _str(ev["payload"]) + bytes.fromhex(ev["prev_hash"]))
    return hashlib.sha256(enc).hexdigest()


def leaf(event_hash_hex):
    return hashlib.sha256(b"\x00" + bytes.fromhex(event_hash_hex)).digest()


def node(a, b):
    return hashlib.sha256(b"\x01" + a + b).digest()


def _k(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves):
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = _k(len(leaves))
    return node(mth(leaves[:k]), mth(leaves[k:]))


def inclusion_path(m, leaves):
    """RFC 6962 2.1.1 PATH(m, D[n])."""
    if len(leaves) <= 1:
        return []
    k = _k(len(leaves))
    if m < k:
        return inclusion_path(m, leaves[:k]) + [mth(leaves[k:])]
    return inclusion_path(m - k, leaves[k:]) + [mth(leaves[:k])]


def consistency_proof(m, leaves):
    """RFC 6962 2.1.2 PROOF(m, D[n]); empty for m == 0 or m == n."""
    if m == 0 or m == len(leaves):
        return []

    def sub(m, d, b):
        if m == len(d):
            return [] if b else [mth(d)]
        k = _k(len(d))
        if m <= k:
            return sub(m, d[:k], b) + [mth(d[k:])]
        return sub(m - k, d[k:], False) + [mth(d[:k])]

    return sub(m, leaves, True)


def load_or_create_key(path):
    if os.path.exists(path):
        with open(path, "rb") as f:
            return serialization.load_pem_private_key(f.read(), password=None)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    return key


def public_key_text(key):
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "ed25519:" + base64.b64encode(raw).decode()


def key_id(key):
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign_checkpoint(key, tree_size, root_hex, seal_time_us):
    msg = "redress.checkpoint.v1\n%d\n%s\n%d\n" % (tree_size, root_hex, seal_time_us)
    return {
        "record": "checkpoint",
        "tree_size": tree_size,
        "root_hash": root_hex,
        "seal_time_us": seal_time_us,
        "key_id": key_id(key),
        "signature": base64.b64encode(key.sign(msg.encode())).decode(),
    }


def build_ledger(seed, complaints, fork_after=None, v1_events=None):
    """Events in ledger order (dicts with the §7 event fields, no 'record').

    The first `v1_events` entries (default: 3 per complaint, as in a trail
    upgraded mid-way) use encoding version 1; the rest version 2, with
    actor_kind (every complaint's events are version 1 then version 2)."""
    if v1_events is None:
        v1_events = 3 * complaints
    rnd = random.Random(seed)
    names = ["complaints/%08x-%04x-4%03x-8%03x-%012x" % (
        rnd.getrandbits(32), rnd.getrandbits(16), rnd.getrandbits(12), rnd.getrandbits(12),
        rnd.getrandbits(48)) for _ in range(complaints)]
    steps = {n: 0 for n in names}
    lengths = {n: rnd.randint(2, len(LIFECYCLE)) for n in names}
    prev = {n: ZERO for n in names}
    now = 1790000000000000 + rnd.randint(0, 10**9)
    events = []
    erased = names[0]
    pending = list(names)
    pending_at = {n: i for i, n in enumerate(names)}
    while pending:
        if fork_after is not None and len(events) == fork_after:
            rnd = random.Random(seed * 7919 + 1)  # history diverges from here
            fork_after = None
        name = rnd.choice(pending)
        i = steps[name]
        if i < lengths[name]:
            etype, frm, to = LIFECYCLE[i]
            payload = {"note": "step %d of %s" % (i + 1, name[-6:])}
            if etype == "SUBMITTED":
                payload = {"complaint": {"channel": "CHANNEL_WEB",
                                         "description": "Overcharged \u00e9\u00e8 \"quoted\"\n"
                                                        "second line"},
                           "complainant_digest": hashlib.sha256(name.encode()).hexdigest()}
        elif name == erased and i == lengths[name]:
            etype, frm, to = "PERSONAL_DATA_ERASED", LIFECYCLE[i - 1][2], LIFECYCLE[i - 1][2]
            payload = {"reason": "GDPR Art. 17 request 2026-114"}
        else:
            # Finished: drop it (swap with the last, O(1)).
            at = pending_at[name]
            last = pending[-1]
            pending[at] = last
            pending_at[last] = at
            pending.pop()
            continue
        steps[name] += 1
        now += rnd.randint(1, 5 * 10**6)
        ev = {
            "ledger_index": len(events),
            "complaint": name,
            "sequence": steps[name],
            "type": etype,
            "from_state": frm,
            "to_state": to,
            "actor": rnd.choice(["alice", "bob", "carol@example.org"]),
            "request_id": "%032x" % rnd.getrandbits(128) if rnd.random() < 0.9 else "",
            "event_time_us": now,
            "payload": json.dumps(payload, separators=(",", ":"), ensure_ascii=False),
            "prev_hash": prev[name],
        }
        if len(events) >= v1_events:
            ev = dict(list(ev.items())[:7] + [("actor_kind", "PRINCIPAL")] + list(ev.items())[7:])
        ev["hash"] = event_hash(ev)
        prev[name] = ev["hash"]
        events.append(ev)
    return events


def checkpoint_sizes(total, every):
    sizes = list(range(every, total, every))
    if not sizes or sizes[-1] != total:
        sizes.append(total)
    return sizes


def _line(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def export_lines(key, events, every, end=None, complaints=None, consistency="chain",
                 consistency_from=None, seal_base=1795000000000000):
    """The export's lines (without newlines).

    Complete exports carry every checkpoint up to `end`; with
    consistency="chain" each later checkpoint is followed by a consistency
    proof from the one before ("none": no proofs, as redressd streams them).
    Filtered exports (`complaints`) carry only the last checkpoint, plus, with
    `consistency_from=N`, the checkpoint of size N before it and a proof from
    N after it (what `redressctl audit export --consistency-from N` adds)."""
    sizes = checkpoint_sizes(len(events), every)
    end = sizes[-1] if end is None else end
    if end not in sizes:
        raise ValueError("--end must be a checkpoint size: %s" % sizes)
    sizes = [s for s in sizes if s <= end]
    all_sizes = sizes
    leaves = [leaf(e["hash"]) for e in events[:end]]
    complete = not complaints
    out = [_line({
        "record": "header",
        "format": "redress-audit-trail/1",
        "export_time": "2026-11-20T10:00:00.123456Z",
        "filter": {} if complete else {"complaints": sorted(complaints)},
        "personal_data": "redacted",
        "complete": complete,
    })]
    shown = []
    shown_set = set()
    for e in events[:end]:
        if complete or e["complaint"] in complaints:
            rec = dict(record="event", **e)
            if not complete:
                rec["inclusion_proof"] = [h.hex() for h in
                                          inclusion_path(e["ledger_index"], leaves)]
            out.append(_line(rec))
            if e["complaint"] not in shown_set:
                shown_set.add(e["complaint"])
                shown.append(e["complaint"])
    erased_names = {e["complaint"] for e in events[:end] if e["type"] == "PERSONAL_DATA_ERASED"}
    for i, name in enumerate(shown):
        digest = lambda what: "hmac-sha256:" + hashlib.sha256((what + name).encode()).hexdigest()
        erased = name in erased_names
        out.append(_line({
            "record": "complainant",
            "complaint": name,
            "display_name": "erased" if erased else digest("name"),
            "email": "erased" if erased else digest("email"),
            "phone": "" if i % 2 else ("erased" if erased else digest("phone")),
            "customer_id": "erased" if erased else digest("customer"),
        }))
    if not complete:
        sizes = [s for s in sizes[:-1] if s == consistency_from] + sizes[-1:]
    previous = None
    for s in sizes:
        out.append(_line(sign_checkpoint(key, s, mth(leaves[:s]).hex(), seal_base + s * 1000)))
        if previous is not None and (consistency == "chain" or not complete):
            out.append(_line({"record": "consistency", "first": previous, "second": s,
                              "proof": [h.hex() for h in consistency_proof(previous,
                                                                           leaves[:s])]}))
        previous = s
    if consistency_from is not None and consistency_from not in all_sizes:
        raise ValueError("--consistency-from must be a checkpoint size: %s" % all_sizes)
    shown_events = sum(1 for line in out if line.startswith('{"record":"event"'))
    out.append(_line({"record": "footer", "event_count": shown_events,
                      "line_count": len(out) + 1}))
    return out


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for line in lines:
            f.write(line + "\n")


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--key", required=True, help="Ed25519 private key (PEM), created if missing")
    p.add_argument("--public-key", action="store_true", help="print the public key and exit")
    p.add_argument("--out")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--complaints", type=int, default=6)
    p.add_argument("--checkpoint-every", type=int, default=8)
    p.add_argument("--end", type=int)
    p.add_argument("--complaint", action="append", default=[])
    p.add_argument("--fork-after", type=int)
    p.add_argument("--no-consistency", action="store_true",
                   help="complete exports: no consistency records (as redressd streams)")
    p.add_argument("--consistency-from", type=int,
                   help="filtered exports: add this checkpoint and a proof from it")
    args = p.parse_args(argv)
    key = load_or_create_key(args.key)
    if args.public_key:
        print(public_key_text(key))
        return 0
    if not args.out:
        p.error("--out is required")
    events = build_ledger(args.seed, args.complaints, args.fork_after)
    complaints = set(args.complaint)
    for c in complaints:
        if not any(e["complaint"] == c for e in events):
            p.error("no complaint %s in the ledger" % c)
    write_lines(args.out, export_lines(key, events, args.checkpoint_every, args.end, complaints,
                                       "none" if args.no_consistency else "chain",
                                       args.consistency_from))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
