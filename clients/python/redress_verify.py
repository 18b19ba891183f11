#!/usr/bin/env python3
"""Independent verifier of Redress audit-trail exports ("redress-audit-trail/1").

Written from compliance-docs/audit-trail.md (sections 2, 6, 7 and 8) alone,
as a second implementation next to `redressctl audit verify`; the two must
print the same problems for every file. The list of checks, their order and
their messages is in compliance-docs/auditor-guide.md ("What the verifiers
check").

Usage:
  redress_verify.py FILE --public-key KEY
  redress_verify.py verify-consistency OLD NEW --public-key KEY

KEY is the server's public key, "ed25519:<base64>" (as printed by
`redressctl audit public-key`), or the path of a file holding it.

Exit status: 0 the export verifies; 1 it does not (every problem is printed
as "line N (LABEL): WHAT", then a summary line); 2 usage error or unreadable
input.

Needs Python 3.9+ and the `cryptography` package (Debian: python3-cryptography)
for Ed25519; everything else is the standard library. Memory: the file is
read twice, line by line; only per-complaint chain state, the checkpoints and
a Merkle "compact range" are kept, never the events.
"""

import base64
import binascii
import hashlib
import json
import os
import struct
import sys

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:  # pragma: no cover - reported at run time
    Ed25519PublicKey = None
    InvalidSignature = Exception

FORMAT = "redress-audit-trail/1"
ZERO_HASH = "0" * 64
INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)
# The range of google.protobuf.Timestamp (years 1 to 9999), in microseconds.
TIME_MIN_US = -62135596800 * 1000000
TIME_MAX_US = 253402300799 * 1000000 + 999999
MAX_DEPTH = 512

# Event types (section 1, and PERSONAL_DATA_ERASED from section 9).
EVENT_TYPES = frozenset(
    """SUBMITTED ACKNOWLEDGED ASSESSED ASSIGNED INVESTIGATION_STARTED NOTE_ADDED
    ESCALATED RESPONDED COMPLAINANT_DECISION_RECORDED DISPUTE_OPENED
    DISPUTE_RESOLVED CLOSED WITHDRAWN REOPENED PERSONAL_DATA_ERASED
    INFORMATION_REQUESTED INFORMATION_RECEIVED HOLDING_RESPONSE_SENT
    DEADLINE_EXTENDED DEADLINES_RECOMPUTED DEADLINE_AT_RISK DEADLINE_BREACHED
    SATISFACTION_RECORDED""".split()
)

# Order of sections in the file (section 7).
SECTION = {
    "header": 0,
    "event": 1,
    "complainant": 2,
    "checkpoint": 3,
    "consistency": 3,
    "footer": 4,
}


class UsageError(Exception):
    pass


# --------------------------------------------------------------------------
# Strict JSON


class JInt(str):
    """A JSON integer, kept as its text so that 64-bit values stay exact."""


class JFloat(str):
    """A JSON number with a fraction or exponent (never valid here)."""


def _reject_constant(name):
    raise ValueError("non-standard constant " + name)


def _unique_object(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError("duplicate key")
        obj[key] = value
    return obj


def _well_formed(value, depth):
    """No lone surrogates in strings, nesting at most MAX_DEPTH containers."""
    if isinstance(value, (dict, list)):
        if depth + 1 > MAX_DEPTH:
            return False
        items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
        for key, item in items:
            if key is not None and not _encodable(key):
                return False
            if not _well_formed(item, depth + 1):
                return False
        return True
    if type(value) is str:
        return _encodable(value)
    return True


def _encodable(text):
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def parse_json(text):
    """The parsed value, or None when `text` is not strict JSON."""
    try:
        value = json.loads(
            text,
            parse_int=JInt,
            parse_float=JFloat,
            parse_constant=_reject_constant,
            object_pairs_hook=_unique_object,
        )
    except (ValueError, RecursionError):
        return None
    if not _well_formed(value, 0):
        return None
    return value


def ascii_quote(text):
    return json.dumps(text, ensure_ascii=True)


# --------------------------------------------------------------------------
# Field checks


def as_int(value, lo, hi):
    if not isinstance(value, JInt):
        return None
    digits = value[1:] if value.startswith("-") else value
    if len(digits) > 19:
        return None
    n = int(value)
    return n if lo <= n <= hi else None


def is_hex64(value):
    return (
        type(value) is str
        and len(value) == 64
        and all(c in "0123456789abcdef" for c in value)
    )


def is_complaint_name(value):
    if type(value) is not str or not value.startswith("complaints/"):
        return False
    ident = value[len("complaints/"):]
    return ident != "" and all("!" <= c <= "~" and c != "/" for c in ident)


def is_redacted(value):
    if type(value) is not str:
        return False
    if value in ("", "erased"):
        return True
    return value.startswith("hmac-sha256:") and is_hex64(value[len("hmac-sha256:"):])


# name -> (predicate, what it must be)
KINDS = {
    "string": (lambda v: type(v) is str, "a string"),
    "bool": (lambda v: isinstance(v, bool), "a boolean"),
    "object": (lambda v: isinstance(v, dict), "an object"),
    "count": (lambda v: as_int(v, 0, INT64_MAX) is not None,
              "an integer from 0 to 9223372036854775807"),
    "sequence": (lambda v: as_int(v, 1, INT64_MAX) is not None,
                 "an integer from 1 to 9223372036854775807"),
    "state": (lambda v: as_int(v, 0, 7) is not None, "a Complaint.State number from 0 to 7"),
    "time_us": (lambda v: as_int(v, TIME_MIN_US, TIME_MAX_US) is not None,
                "an integer from -62135596800000000 to 253402300799999999 "
                "(microseconds in years 1 to 9999)"),
    "int64": (lambda v: as_int(v, INT64_MIN, INT64_MAX) is not None,
              "an integer from -9223372036854775808 to 9223372036854775807"),
    "hex": (is_hex64, "64 lower-case hex characters"),
    "hex_list": (lambda v: isinstance(v, list) and all(is_hex64(x) for x in v),
                 "a list of 64-character lower-case hex hashes"),
    "complaint": (is_complaint_name,
                  "a complaint name complaints/ID (ID printable ASCII without /)"),
    "event_type": (lambda v: type(v) is str and v in EVENT_TYPES, "a known event type"),
    "format": (lambda v: type(v) is str and v == FORMAT, '"redress-audit-trail/1"'),
    "personal": (lambda v: type(v) is str and v in ("redacted", "included"),
                 '"redacted" or "included"'),
    "actor_kind": (lambda v: type(v) is str and v in ("PRINCIPAL", "SYSTEM"),
                   '"PRINCIPAL" or "SYSTEM"'),
    "redacted": (is_redacted,
                 'redacted: "hmac-sha256:" and 64 lower-case hex characters, '
                 '"erased" or empty'),
}


def record_fields(record, complete=True, redacted=False, v2=False):
    if record == "header":
        return [("record", "string"), ("format", "format"), ("export_time", "string"),
                ("filter", "object"), ("personal_data", "personal"), ("complete", "bool")]
    if record == "event":
        fields = [("record", "string"), ("ledger_index", "count"), ("complaint", "complaint"),
                  ("sequence", "sequence"), ("type", "event_type"), ("from_state", "state"),
                  ("to_state", "state"), ("actor", "string"), ("request_id", "string"),
                  ("event_time_us", "time_us"), ("payload", "string"), ("prev_hash", "hex"),
                  ("hash", "hex")]
        if v2:  # encoding version 2 (section 2)
            fields.append(("actor_kind", "actor_kind"))
        if not complete:
            fields.append(("inclusion_proof", "hex_list"))
        return fields
    if record == "complainant":
        value = "redacted" if redacted else "string"
        return [("record", "string"), ("complaint", "complaint"), ("display_name", value),
                ("email", value), ("phone", value), ("customer_id", value)]
    if record == "checkpoint":
        return [("record", "string"), ("tree_size", "count"), ("root_hash", "hex"),
                ("seal_time_us", "int64"), ("key_id", "string"), ("signature", "string")]
    if record == "consistency":
        return [("record", "string"), ("first", "count"), ("second", "count"),
                ("proof", "hex_list")]
    if record == "footer":
        return [("record", "string"), ("event_count", "count"), ("line_count", "count")]
    raise KeyError(record)


def well_formed(obj, *names_and_kinds):
    """True iff every (name, kind) field is present and well-formed."""
    for name, kind in names_and_kinds:
        if name not in obj or not KINDS[kind][0](obj[name]):
            return False
    return True


def field_problems(obj, fields):
    """Missing fields, unexpected fields (sorted), malformed fields."""
    names = [name for name, _ in fields]
    out = ['missing field "%s"' % name for name in names if name not in obj]
    out += ["unexpected field " + ascii_quote(key) for key in sorted(obj) if key not in names]
    for name, kind in fields:
        if name in obj:
            ok, what = KINDS[kind]
            if not ok(obj[name]):
                out.append('field "%s" must be %s' % (name, what))
    return out


# --------------------------------------------------------------------------
# Hashing (section 2), Merkle tree (section 6, RFC 9162), signatures


def _str(text):
    data = text.encode("utf-8")
    return struct.pack(">I", len(data)) + data


ACTOR_KINDS = {"PRINCIPAL": 1, "SYSTEM": 2}


def event_hash(ev):
    kind = ev.get("actor_kind")  # present: version 2
    encoding = (
        (b"REDRESS-EVENT-V2" if kind is not None else b"REDRESS-EVENT-V1")
        + _str(ev["complaint"])
        + struct.pack(">Q", int(ev["sequence"]))
        + _str(ev["type"])
        + struct.pack(">II", int(ev["from_state"]), int(ev["to_state"]))
        + _str(ev["actor"])
        + (struct.pack(">I", ACTOR_KINDS[kind]) if kind is not None else b"")
        + _str(ev["request_id"])
        + struct.pack(">q", int(ev["event_time_us"]))
        + _str(ev["payload"])
        + bytes.fromhex(ev["prev_hash"])
    )
    return hashlib.sha256(encoding).hexdigest()


def sha256(data):
    return hashlib.sha256(data).digest()


def leaf_hash(event_hash_hex):
    return sha256(b"\x00" + bytes.fromhex(event_hash_hex))


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


EMPTY_ROOT = sha256(b"")


class CompactRange:
    """Roots of the perfect subtrees of the leaves so far, largest first."""

    def __init__(self):
        self.size = 0
        self.peaks = []

    def append(self, leaf):
        self.peaks.append(leaf)
        size = self.size
        while size & 1:
            right = self.peaks.pop()
            left = self.peaks.pop()
            self.peaks.append(node_hash(left, right))
            size >>= 1
        self.size += 1

    def root(self):
        if not self.peaks:
            return EMPTY_ROOT
        root = self.peaks[-1]
        for peak in reversed(self.peaks[:-1]):
            root = node_hash(peak, root)
        return root


def verify_inclusion(leaf, index, tree_size, proof, root):
    """RFC 9162 section 2.1.3.2."""
    if index >= tree_size:
        return False
    fn, sn, r = index, tree_size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_root, second_root, proof):
    """RFC 9162 section 2.1.4.2; an empty or equal first tree needs no proof."""
    if first > second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof and first_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


def strict_b64decode(text):
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if base64.b64encode(raw).decode("ascii") == text else None


def parse_public_key(text):
    text = text.strip(" \t\n\r\f\v")
    if text.startswith("ed25519:"):
        text = text[len("ed25519:"):]
    raw = strict_b64decode(text)
    if raw is None or len(raw) != 32:
        return None
    return raw


def load_public_key(arg):
    raw = parse_public_key(arg)
    if raw is not None:
        return raw
    try:
        with open(arg, "rb") as f:
            content = f.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        raise UsageError(
            '--public-key: "%s" is neither a key (ed25519:<base64>) nor a readable file '
            "holding one" % arg
        )
    raw = parse_public_key(content)
    if raw is None:
        raise UsageError("--public-key: the file %s does not hold an ed25519:<base64> key" % arg)
    return raw


def key_id_of(raw_key):
    return hashlib.sha256(raw_key).hexdigest()[:16]


def checkpoint_signature_ok(raw_key, tree_size, root_hash, seal_time_us, signature_b64):
    signature = strict_b64decode(signature_b64)
    if signature is None or len(signature) != 64:
        return False
    message = "redress.checkpoint.v1\n%d\n%s\n%d\n" % (tree_size, root_hash, seal_time_us)
    try:
        Ed25519PublicKey.from_public_bytes(raw_key).verify(signature, message.encode("utf-8"))
        return True
    except (InvalidSignature, ValueError):
        return False


# --------------------------------------------------------------------------
# Reading the export


def read_lines(path):
    """Yields (line number, bytes without the newline, ended with newline)."""
    with open(path, "rb") as f:
        for number, raw in enumerate(f, start=1):
            if raw.endswith(b"\n"):
                yield number, raw[:-1], True
            else:
                yield number, raw, False


def classify(raw):
    """(record type or None, the object or None, problems)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, None, ["not valid UTF-8"]
    obj = parse_json(text)
    if obj is None:
        return None, None, ["not valid JSON"]
    if not isinstance(obj, dict):
        return None, None, ["not a JSON object"]
    record = obj.get("record")
    if type(record) is not str:
        return None, None, ['missing or non-string field "record"']
    if record not in SECTION:
        return None, None, ["unknown record type " + ascii_quote(record)]
    return record, obj, []


def label_of(record, obj):
    if obj is None:
        return "unknown record"
    if record == "event":
        return event_label(obj)
    if record == "checkpoint":
        n = as_int(obj.get("tree_size"), 0, INT64_MAX)
        return "checkpoint" if n is None else "checkpoint %d" % n
    if record == "consistency":
        a = as_int(obj.get("first"), 0, INT64_MAX)
        b = as_int(obj.get("second"), 0, INT64_MAX)
        return "consistency" if a is None or b is None else "consistency %d->%d" % (a, b)
    if record == "complainant":
        c = obj.get("complaint")
        return "complainant " + c if is_complaint_name(c) else "complainant"
    return record


def event_label(obj):
    c = obj.get("complaint")
    s = as_int(obj.get("sequence"), 1, INT64_MAX)
    if is_complaint_name(c) and s is not None:
        return "%s/events/%d" % (c, s)
    return "event"


class Checkpoint:
    __slots__ = ("line", "tree_size", "root")

    def __init__(self, line, tree_size, root):
        self.line, self.tree_size, self.root = line, tree_size, root


class Chain:
    __slots__ = ("sequence", "hash", "complainant", "v2")

    def __init__(self):
        self.sequence, self.hash, self.complainant, self.v2 = 0, None, False, False


class ExportCheck:
    """Verifies one export file; see compliance-docs/audit-trail.md section 8."""

    def __init__(self, path, raw_key, prefix_sizes=()):
        self.path = path
        self.raw_key = raw_key
        self.key_id = key_id_of(raw_key)
        self.prefix_sizes = set(prefix_sizes)
        self.found = []  # (line, text)
        self.complete = True
        self.redacted = False
        self.previous_rank = -1  # section of the previous record
        self.footer_seen = False
        self.footer_line = None
        self.events = 0
        self.last_index = None
        self.chains = {}  # complaint -> Chain, in first-appearance order
        self.checkpoints = []
        self.above = None  # the checkpoint that consistency records below it belong to
        self.links = set()  # (first, second) of consistency proofs that verified
        self.prefix_roots = {}

    # -- reporting
    def problem(self, line, label, what):
        self.found.append((line, "line %d (%s): %s" % (line, label, what)))

    @property
    def problems(self):
        return [text for _, text in sorted(self.found, key=lambda p: p[0])]

    def summary(self):
        counts = "%s, %s, %s" % (
            plural(self.events, "event"),
            plural(len(self.chains), "complaint"),
            plural(len(self.checkpoints), "checkpoint"),
        )
        if not self.found:
            return "verified: %s: OK" % counts
        return "FAILED: %s (%s)" % (plural(len(self.found), "problem"), counts)

    # -- first pass: everything but the Merkle roots and inclusion proofs
    def run(self):
        total = 0
        for number, raw, ended in read_lines(self.path):
            total = number
            self.line(number, raw, ended)
        self.finish(total)
        self.second_pass()
        return self

    def line(self, n, raw, ended):
        record, obj, problems = classify(raw)
        label = label_of(record, obj)
        if not ended:
            self.problem(n, label, "line does not end with a newline")
        for what in problems:
            self.problem(n, label, what)
        if record != "consistency":
            self.above = None
        if obj is None:
            return
        if self.footer_seen:
            self.problem(n, label, "line after the footer")
            return
        if record == "header":
            if n != 1:
                self.problem(n, label, "header record not on the first line")
                return
            self.previous_rank = 0
            self.header(obj)
            return
        if n == 1:
            self.problem(n, label, "the first line must be the header")
        rank = SECTION[record]
        if rank < self.previous_rank:  # reported, then checked all the same
            self.problem(n, label, "%s record out of order" % record)
        self.previous_rank = rank
        getattr(self, "on_" + record)(n, label, obj)

    def header(self, obj):
        for what in field_problems(obj, record_fields("header")):
            self.problem(1, "header", what)
        if isinstance(obj.get("complete"), bool):
            self.complete = obj["complete"]
        self.redacted = obj.get("personal_data") == "redacted"

    def on_event(self, n, label, ev):
        self.events += 1
        v2 = "actor_kind" in ev
        for what in field_problems(ev, record_fields("event", self.complete, v2=v2)):
            self.problem(n, label, what)
        # A check needs only its own fields to be well-formed.
        chain_fields = (("complaint", "complaint"), ("sequence", "sequence"),
                        ("prev_hash", "hex"), ("hash", "hex"))
        hashed_fields = chain_fields + (
            ("type", "event_type"), ("from_state", "state"), ("to_state", "state"),
            ("actor", "string"), ("request_id", "string"), ("event_time_us", "time_us"),
            ("payload", "string")) + ((("actor_kind", "actor_kind"),) if v2 else ())
        if well_formed(ev, ("ledger_index", "count")):
            self.ledger_order(n, label, int(ev["ledger_index"]))
        if well_formed(ev, *hashed_fields) and event_hash(ev) != ev["hash"]:
            self.problem(n, label, "hash does not match its content")
        if well_formed(ev, *chain_fields):
            self.chain(n, label, ev)

    def ledger_order(self, n, label, index):
        if self.last_index is not None and index <= self.last_index:
            self.problem(n, label, "ledger_index %d is not greater than the previous event's (%d)"
                         % (index, self.last_index))
        else:
            expected = 0 if self.last_index is None else self.last_index + 1
            if self.complete and index != expected:
                self.problem(n, label, "ledger_index %d where %d was expected" % (index, expected))
            self.last_index = index

    def chain(self, n, label, ev):
        complaint, sequence = ev["complaint"], int(ev["sequence"])
        chain = self.chains.get(complaint)
        if chain is None:
            chain = self.chains[complaint] = Chain()
            if sequence == 1:
                if ev["prev_hash"] != ZERO_HASH:
                    self.problem(n, label, "sequence 1 with a prev_hash that is not 64 zeros")
            elif self.complete:
                self.problem(n, label, "first event of its complaint in a complete export has "
                             "sequence %d, not 1" % sequence)
        elif sequence != chain.sequence + 1:
            self.problem(n, label, "sequence %d where %d was expected"
                         % (sequence, chain.sequence + 1))
        elif ev["prev_hash"] != chain.hash:
            self.problem(n, label, "prev_hash does not match the hash of %s/events/%d"
                         % (complaint, chain.sequence))
        if well_formed(ev, ("actor", "string")):
            self.actor_kind(n, label, ev, chain)
        chain.sequence, chain.hash = sequence, ev["hash"]

    def actor_kind(self, n, label, ev, chain):
        # Section 2: the kind agrees with the name; no version 1 after 2.
        kind = ev.get("actor_kind")
        if kind not in ACTOR_KINDS:
            kind = None  # malformed: reported as a field problem; counts as version 1 here
        system = "".join(c.lower() if "A" <= c <= "Z" else c
                         for c in ev["actor"][:7]) == "system:"  # ASCII case-insensitive
        if kind is None:
            if chain.v2:
                self.problem(n, label, "encoded with version 1 after an event of version 2 "
                             "(actor_kind missing)")
        elif kind == "PRINCIPAL" and system:
            self.problem(n, label, "a principal's event names the reserved system actor "
                         + ev["actor"])
        elif kind == "SYSTEM" and not system:
            self.problem(n, label, "a system event's actor %s is not in the system: namespace"
                         % ev["actor"])
        if kind in ACTOR_KINDS:
            chain.v2 = True

    def on_complainant(self, n, label, rec):
        for what in field_problems(rec, record_fields("complainant", redacted=self.redacted)):
            self.problem(n, label, what)
        if not well_formed(rec, ("complaint", "complaint")):
            return
        chain = self.chains.get(rec["complaint"])
        if chain is None:
            self.problem(n, label, "no events of %s in the export" % rec["complaint"])
            return
        if chain.complainant:
            self.problem(n, label, "second complainant record for %s" % rec["complaint"])
        chain.complainant = True

    def on_checkpoint(self, n, label, cp):
        for what in field_problems(cp, record_fields("checkpoint")):
            self.problem(n, label, what)
        if not well_formed(cp, ("tree_size", "count"), ("root_hash", "hex")):
            return
        size = int(cp["tree_size"])
        previous = self.checkpoints[-1] if self.checkpoints else None
        if previous is not None and size <= previous.tree_size:
            self.problem(n, label, "tree_size %d is not greater than the previous checkpoint's (%d)"
                         % (size, previous.tree_size))
        if not well_formed(cp, ("seal_time_us", "int64"), ("key_id", "string"),
                           ("signature", "string")):
            pass
        elif cp["key_id"] != self.key_id:
            self.problem(n, label, "key_id %s is not the id of the given public key (%s)"
                         % (ascii_quote(cp["key_id"]), self.key_id))
        elif not checkpoint_signature_ok(self.raw_key, size, cp["root_hash"],
                                         int(cp["seal_time_us"]), cp["signature"]):
            self.problem(n, label, "signature does not verify under the given public key")
        if self.complete and size > self.events:
            self.problem(n, label, "tree_size %d exceeds the %d events in the export"
                         % (size, self.events))
        checkpoint = Checkpoint(n, size, bytes.fromhex(cp["root_hash"]))
        self.checkpoints.append(checkpoint)
        self.above = checkpoint

    def on_consistency(self, n, label, rec):
        for what in field_problems(rec, record_fields("consistency")):
            self.problem(n, label, what)
        if not well_formed(rec, ("first", "count"), ("second", "count"), ("proof", "hex_list")):
            return
        newer = self.above
        if newer is None:
            self.problem(n, label, "consistency record does not follow a checkpoint")
            return
        first, second = int(rec["first"]), int(rec["second"])
        if second != newer.tree_size:
            self.problem(n, label, "second tree_size %d is not that of the checkpoint above (%d)"
                         % (second, newer.tree_size))
            return
        # "the earlier of two checkpoints": any checkpoint read before this one
        older = next((cp for cp in reversed(self.checkpoints[:-1]) if cp.tree_size == first),
                     None)
        if older is None:
            self.problem(n, label, "first tree_size %d is not an earlier checkpoint of the export"
                         % first)
            return
        proof = [bytes.fromhex(h) for h in rec["proof"]]
        if not verify_consistency(first, second, older.root, newer.root, proof):
            self.problem(n, label, "consistency proof from %d to %d does not verify"
                         % (first, second))
            return
        self.links.add((first, second))

    def on_footer(self, n, label, rec):
        self.footer_seen = True
        self.footer_line = n
        for what in field_problems(rec, record_fields("footer")):
            self.problem(n, label, what)
        if (well_formed(rec, ("event_count", "count"))
                and int(rec["event_count"]) != self.events):
            self.problem(n, label, "event_count %d but the export has %d events"
                         % (int(rec["event_count"]), self.events))
        if well_formed(rec, ("line_count", "count")) and int(rec["line_count"]) != n:
            self.problem(n, label, "line_count %d but the footer is line %d"
                         % (int(rec["line_count"]), n))

    def finish(self, total):
        end = total + 1
        if total == 0:
            self.problem(end, "end of file", "the file is empty")
            return
        if not self.footer_seen:
            self.problem(end, "end of file", "missing footer")
        if not self.checkpoints:
            if self.events:
                self.problem(end, "end of file",
                             "no checkpoint covers the %d events" % self.events if self.complete
                             else "no checkpoint to verify the inclusion proofs against")
        elif self.complete:
            last = self.checkpoints[-1]
            if last.tree_size < self.events:
                self.problem(last.line, "checkpoint %d" % last.tree_size,
                             "the last checkpoint covers %d of the %d events"
                             % (last.tree_size, self.events))
        for complaint, chain in self.chains.items():
            if not chain.complainant:
                self.problem(end, "end of file", "no complainant record for " + complaint)

    # -- second pass: Merkle roots (complete) or inclusion proofs (filtered)
    def second_pass(self):
        last = self.checkpoints[-1] if self.checkpoints else None
        by_size = {}
        if self.complete:
            for cp in self.checkpoints:
                if cp.tree_size <= self.events:
                    by_size.setdefault(cp.tree_size, []).append(cp)
            wanted = {s for s in self.prefix_sizes if s <= self.events}
        else:
            wanted = set()
        tree = CompactRange()

        def compare():
            if tree.size in by_size:
                root = tree.root()
                for cp in by_size[tree.size]:
                    if cp.root != root:
                        self.problem(cp.line, "checkpoint %d" % cp.tree_size,
                                     "root_hash does not match the Merkle root of the first %d "
                                     "events" % cp.tree_size)
            if tree.size in wanted:
                self.prefix_roots[tree.size] = tree.root()

        compare()
        if self.events == 0:
            return
        if self.complete and not by_size and not wanted:
            return
        if not self.complete and last is None:
            return
        for n, raw, _ in read_lines(self.path):
            if self.footer_line is not None and n >= self.footer_line:
                break
            record, ev, _ = classify(raw)
            if record != "event":
                continue
            if self.complete:
                h = ev.get("hash")
                tree.append(leaf_hash(h) if is_hex64(h) else bytes(32))
                compare()
                continue
            if not well_formed(ev, ("ledger_index", "count"), ("hash", "hex"),
                               ("inclusion_proof", "hex_list")):
                continue
            index = int(ev["ledger_index"])
            label = event_label(ev)
            if index >= last.tree_size:
                self.problem(n, label, "ledger_index %d is not covered by the last checkpoint "
                             "(tree_size %d)" % (index, last.tree_size))
                continue
            proof = [bytes.fromhex(h) for h in ev["inclusion_proof"]]
            if not verify_inclusion(leaf_hash(ev["hash"]), index, last.tree_size, proof,
                                    last.root):
                self.problem(n, label, "inclusion proof does not verify against the last "
                             "checkpoint (tree_size %d)" % last.tree_size)


def plural(n, word):
    return "%d %s%s" % (n, word, "" if n == 1 else "s")


# --------------------------------------------------------------------------
# Commands


def verify(path, raw_key, out):
    check = ExportCheck(path, raw_key).run()
    for text in check.problems:
        out.write(text + "\n")
    out.write(check.summary() + "\n")
    return 0 if not check.found else 1


def verify_consistency_files(old_path, new_path, raw_key, out):
    old = ExportCheck(old_path, raw_key).run()
    prefix = [old.checkpoints[-1].tree_size] if old.checkpoints else []
    new = ExportCheck(new_path, raw_key, prefix).run()
    count = 0
    for path, check in ((old_path, old), (new_path, new)):
        for text in check.problems:
            out.write("%s: %s\n" % (path, text))
        out.write("%s: %s\n" % (path, check.summary()))
        count += len(check.found)

    link = []
    old_size = new_size = 0
    if not old.checkpoints:
        link.append("OLD has no checkpoint")
    elif not new.checkpoints:
        link.append("NEW has no checkpoint")
    else:
        mark = old.checkpoints[-1]
        old_size, new_size = mark.tree_size, new.checkpoints[-1].tree_size
        same = next((cp for cp in new.checkpoints if cp.tree_size == mark.tree_size), None)
        if mark.tree_size > new_size:
            link.append("OLD's last checkpoint (tree_size %d) is beyond NEW's last checkpoint "
                        "(tree_size %d)" % (mark.tree_size, new_size))
        elif same is not None:
            # Without the events, only a consistency proof inside NEW ties the
            # checkpoint of OLD's size to NEW's last one.
            proven = (new.complete or same.tree_size == new_size
                      or (same.tree_size, new_size) in new.links)
            if same.root != mark.root:
                link.append("NEW's checkpoint at tree_size %d has another root_hash than OLD's "
                            "last checkpoint: the ledger was rewritten" % mark.tree_size)
            elif not proven:
                link.append("NEW is not complete and has no consistency proof from tree_size %d "
                            "to its last checkpoint (tree_size %d): cannot link them"
                            % (mark.tree_size, new_size))
        elif new.complete:
            root = new.prefix_roots.get(mark.tree_size)
            if root is None:
                link.append("NEW has fewer than %d events" % mark.tree_size)
            elif root != mark.root:
                link.append("the first %d events of NEW do not have the root_hash of OLD's last "
                            "checkpoint: the ledger was rewritten" % mark.tree_size)
        else:
            link.append("NEW has no checkpoint at tree_size %d and is not complete: cannot "
                        "link them" % mark.tree_size)
    for text in link:
        out.write("link: %s\n" % text)
    count += len(link)
    if count == 0:
        out.write("consistent: NEW (tree_size %d) extends OLD (tree_size %d): OK\n"
                  % (new_size, old_size))
        return 0
    out.write("FAILED: %s\n" % plural(count, "problem"))
    return 1


USAGE = """usage: redress_verify.py FILE --public-key KEY
       redress_verify.py verify-consistency OLD NEW --public-key KEY

Verifies a Redress audit-trail export (JSON Lines, redress-audit-trail/1)
offline: every event hash, every complaint's hash chain, every checkpoint
signature, the Merkle roots (complete exports) or inclusion proofs (filtered
exports), and the consistency proofs between checkpoints.
verify-consistency also checks that NEW's last checkpoint extends OLD's.

KEY: "ed25519:<base64>" (redressctl audit public-key) or a file holding it.
Exit status: 0 verified, 1 verification failed, 2 usage error.
"""


def parse_args(argv):
    key = None
    positional = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("-h", "--help"):
            sys.stdout.write(USAGE)
            sys.exit(0)
        if arg == "--public-key":
            if i + 1 >= len(argv):
                raise UsageError("--public-key requires a value")
            key = argv[i + 1]
            i += 2
            continue
        if arg.startswith("--public-key="):
            key = arg[len("--public-key="):]
        elif arg == "--":
            positional.extend(argv[i + 1:])
            break
        elif arg.startswith("-") and arg != "-":
            raise UsageError("unknown flag " + arg)
        else:
            positional.append(arg)
        i += 1
    if key is None:
        raise UsageError("missing required flag --public-key")
    if positional[:1] == ["verify-consistency"]:
        if len(positional) != 3:
            raise UsageError("verify-consistency takes two files, OLD and NEW")
        return "verify-consistency", positional[1:], key
    if len(positional) != 1:
        raise UsageError("expected one export FILE")
    return "verify", positional, key


def main(argv):
    try:
        command, files, key_arg = parse_args(argv)
        raw_key = load_public_key(key_arg)
        for path in files:
            if not os.path.isfile(path) or not os.access(path, os.R_OK):
                raise UsageError("cannot read %s" % path)
    except UsageError as e:
        sys.stderr.write("redress_verify: %s\n%s" % (e, USAGE))
        return 2
    if Ed25519PublicKey is None:
        sys.stderr.write("redress_verify: the Python package 'cryptography' is required "
                         "(Debian: apt-get install python3-cryptography)\n")
        return 2
    try:
        if command == "verify":
            return verify(files[0], raw_key, sys.stdout)
        return verify_consistency_files(files[0], files[1], raw_key, sys.stdout)
    except OSError as e:
        sys.stderr.write("redress_verify: error reading: %s\n" % e)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
