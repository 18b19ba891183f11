#!/usr/bin/env python3
"""Tamper matrix for the two offline verifiers of audit-trail exports.

  tamper_matrix.py REDRESSCTL [REDRESS_VERIFY_PY] [--export FILE --public-key KEY]

Without --export: builds a synthetic, signed export with make_export.py
(compliance-docs/audit-trail.md §7), checks that it verifies, then derives
tampered copies (modified fields, deleted / inserted / swapped events, a
truncated tail, events from another trail, foreign and modified checkpoints,
malformed lines, filtered-export proofs, verify-consistency between exports)
and checks, for each, that `redressctl audit verify` and
clients/python/redress_verify.py BOTH exit 1, name the expected line(s), and
print exactly the same output. Untampered files must pass both (exit 0).

With --export FILE --public-key KEY (a real export from redressd): the same
generic tampering is applied to that file (tests/audit/audit_e2e.sh uses it).

Exit status 0 when every case holds, 1 otherwise.
"""

import base64
import copy
import hashlib
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_export as mk  # noqa: E402

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


class Matrix:
    def __init__(self, redressctl, pyverify, work):
        self.redressctl = redressctl
        self.pyverify = pyverify
        self.work = work
        self.failures = 0
        self.cases = 0

    def fail(self, name, why, cpp=None, py=None):
        self.failures += 1
        print("FAIL %s: %s" % (name, why))
        for tag, r in (("redressctl", cpp), ("redress_verify.py", py)):
            if r is not None:
                print("  --- %s (exit %d) stdout:\n%s  --- stderr:\n%s" % (
                    tag, r.returncode, indent(r.stdout), indent(r.stderr)))

    def case(self, name, lines, key, expect=(), ok=False, exact=None, raw=None):
        """Writes `lines` (or `raw` bytes), verifies with both, checks the result.

        expect: (line number, substring) pairs that must appear as a problem
        "line N (...): ...substring..."; exact: the exact number of problems.
        """
        self.cases += 1
        path = os.path.join(self.work, "case-%03d.jsonl" % self.cases)
        if raw is not None:
            with open(path, "wb") as f:
                f.write(raw)
        else:
            mk.write_lines(path, lines)
        cpp = subprocess.run([self.redressctl, "audit", "verify", path, "--public-key", key],
                             capture_output=True, text=True)
        py = subprocess.run([PY, self.pyverify, path, "--public-key", key],
                            capture_output=True, text=True)
        self.judge(name, cpp, py, expect, ok, exact)
        return cpp.stdout

    def consistency_case(self, name, old_lines, new_lines, key, ok, expect_link=()):
        self.cases += 1
        old = os.path.join(self.work, "case-%03d-old.jsonl" % self.cases)
        new = os.path.join(self.work, "case-%03d-new.jsonl" % self.cases)
        mk.write_lines(old, old_lines)
        mk.write_lines(new, new_lines)
        cpp = subprocess.run([self.redressctl, "audit", "verify-consistency", old, new,
                              "--public-key", key], capture_output=True, text=True)
        py = subprocess.run([PY, self.pyverify, "verify-consistency", old, new,
                             "--public-key", key], capture_output=True, text=True)
        want = 0 if ok else 1
        if cpp.returncode != want or py.returncode != want:
            return self.fail(name, "exit codes %d/%d, want %d" % (cpp.returncode, py.returncode,
                                                                  want), cpp, py)
        if cpp.stdout != py.stdout:
            return self.fail(name, "the verifiers disagree", cpp, py)
        last = cpp.stdout.splitlines()[-1]
        if ok and not last.startswith("consistent: "):
            return self.fail(name, "no 'consistent:' summary", cpp, py)
        for sub in expect_link:
            if not any(l.startswith("link: ") and sub in l for l in cpp.stdout.splitlines()):
                return self.fail(name, "no link problem containing %r" % sub, cpp, py)
        print("ok   %s" % name)

    def judge(self, name, cpp, py, expect, ok, exact):
        want = 0 if ok else 1
        if cpp.returncode != want or py.returncode != want:
            return self.fail(name, "exit codes %d (redressctl) / %d (python), want %d"
                             % (cpp.returncode, py.returncode, want), cpp, py)
        if cpp.stdout != py.stdout:
            return self.fail(name, "the verifiers disagree", cpp, py)
        out = cpp.stdout.splitlines()
        if not out:
            return self.fail(name, "no output", cpp, py)
        summary, problems = out[-1], out[:-1]
        if ok:
            if problems or not summary.startswith("verified: ") or not summary.endswith(": OK"):
                return self.fail(name, "expected a clean 'verified: ...: OK'", cpp, py)
        else:
            if not summary.startswith("FAILED: %d problem" % len(problems)):
                return self.fail(name, "summary does not count the problems", cpp, py)
        for line, sub in expect:
            prefix = "line %d (" % line
            if not any(p.startswith(prefix) and sub in p for p in problems):
                return self.fail(name, "no problem on line %d containing %r" % (line, sub),
                                 cpp, py)
        if exact is not None and len(problems) != exact:
            return self.fail(name, "%d problems, expected exactly %d" % (len(problems), exact),
                             cpp, py)
        print("ok   %s%s" % (name, "" if ok else "  -> " + (problems[0] if problems else "")))


def indent(text):
    return "".join("    " + l + "\n" for l in text.splitlines())


# --------------------------------------------------------------------------
# Line helpers: exports as lists of dicts, re-serialised the way §7 writes them.

def parse(lines):
    return [json.loads(l) for l in lines]


def dump(records):
    return [json.dumps(r, separators=(",", ":"), ensure_ascii=False) for r in records]


def event_lines(records):
    """Line numbers (1-based) of the event records."""
    return [i + 1 for i, r in enumerate(records) if r.get("record") == "event"]


def lines_of(records, record):
    return [i + 1 for i, r in enumerate(records) if r.get("record") == record]


def rewrite_footer(records):
    """What an attacker does to keep the counts consistent."""
    footer = records[-1]
    assert footer["record"] == "footer"
    footer["event_count"] = sum(1 for r in records if r.get("record") == "event")
    footer["line_count"] = len(records)
    return records


def rehash(ev):
    ev["hash"] = mk.event_hash(ev)
    return ev


def successor(records, line):
    """Line of the next event of the same complaint after `line`, or None."""
    c = records[line - 1]["complaint"]
    for n in range(line + 1, len(records) + 1):
        r = records[n - 1]
        if r.get("record") == "event" and r["complaint"] == c:
            return n
    return None


def checkpoints_above(records, index):
    """Lines of checkpoints whose tree covers ledger index `index`."""
    return [n for n in lines_of(records, "checkpoint") if records[n - 1]["tree_size"] > index]


def pick_event_with_successor(records, not_first=True):
    evs = event_lines(records)
    mid = evs[len(evs) // 2:] + evs[:len(evs) // 2]
    for n in mid:
        if not_first and n == evs[0]:
            continue
        if successor(records, n) is not None:
            return n
    raise RuntimeError("no event with a successor")


# --------------------------------------------------------------------------
# The cases


def generic_cases(m, base_lines, key, foreign_key_pem_key, label, other_trail=None):
    """Tampering that applies to any complete export (synthetic or real)."""
    base = parse(base_lines)
    evs = event_lines(base)
    cps = lines_of(base, "checkpoint")
    assert base[0]["complete"] is True, "generic cases need a complete export"
    assert len(evs) >= 6 and len(cps) >= 1, "export too small for the matrix"

    m.case("%s: untampered export verifies" % label, base_lines, key, ok=True)

    target = pick_event_with_successor(base)
    for field, change in (
        ("payload", lambda v: v[:-1] + ' "x"' + v[-1:] if v else "{}"),
        ("actor", lambda v: v + "-evil"),
        ("event_time_us", lambda v: v + 1),
        ("type", lambda v: "NOTE_ADDED" if v != "NOTE_ADDED" else "ESCALATED"),
        ("from_state", lambda v: (v + 1) % 8),
        ("to_state", lambda v: (v + 3) % 8),
        ("request_id", lambda v: v + "0"),
    ):
        t = copy.deepcopy(base)
        t[target - 1][field] = change(t[target - 1][field])
        m.case("%s: modified %s" % (label, field), dump(t), key,
               expect=[(target, "hash does not match its content")], exact=1)

    # Who acted (encoding version 2): the actor kind is hashed and must agree
    # with the name; a complaint's events never fall back to version 1.
    v2 = [n for n in evs if "actor_kind" in base[n - 1] and successor(base, n) is not None]
    if v2:
        k = v2[len(v2) // 2]
        t = copy.deepcopy(base)
        t[k - 1]["actor_kind"] = "SYSTEM"
        m.case("%s: actor_kind relabelled SYSTEM" % label, dump(t), key,
               expect=[(k, "hash does not match its content"),
                       (k, "is not in the system: namespace")], exact=2)
        t = copy.deepcopy(base)
        t[k - 1]["actor"] = "system:deadline-sweeper"
        rehash(t[k - 1])
        m.case("%s: principal's event passed off as the sweeper's (rehashed)" % label, dump(t),
               key, expect=[(k, "a principal's event names the reserved system actor "
                                "system:deadline-sweeper"),
                            (successor(t, k), "prev_hash does not match the hash of")])
        t = copy.deepcopy(base)
        nxt = successor(t, k)
        del t[nxt - 1]["actor_kind"]
        rehash(t[nxt - 1])
        m.case("%s: event downgraded to encoding version 1 (rehashed)" % label, dump(t), key,
               expect=[(nxt, "encoded with version 1 after an event of version 2")])
        t = copy.deepcopy(base)
        t[k - 1]["actor_kind"] = "ROOT"
        m.case("%s: unknown actor_kind" % label, dump(t), key,
               expect=[(k, 'field "actor_kind" must be "PRINCIPAL" or "SYSTEM"')])

    # The same, with the event's own hash recomputed: the chain breaks at
    # the complaint's next event, and the checkpoints' roots change.
    t = copy.deepcopy(base)
    t[target - 1]["payload"] = t[target - 1]["payload"] + " "
    rehash(t[target - 1])
    index = t[target - 1]["ledger_index"]
    expect = [(successor(t, target), "prev_hash does not match the hash of")]
    expect += [(n, "root_hash does not match") for n in checkpoints_above(t, index)]
    m.case("%s: modified payload with recomputed own hash" % label, dump(t), key, expect=expect)

    # A deleted event from the middle (counts rewritten).
    t = copy.deepcopy(base)
    deleted = t.pop(target - 1)
    rewrite_footer(t)
    expect = [(target, "ledger_index %d where %d was expected"
               % (deleted["ledger_index"] + 1, deleted["ledger_index"]))]
    nxt = successor(base, target)
    expect.append((nxt - 1, "sequence %d where %d was expected"
                   % (deleted["sequence"] + 1, deleted["sequence"])))
    m.case("%s: deleted event" % label, dump(t), key, expect=expect)

    # An inserted, well-formed fake event (own hash recomputed), ledger
    # indexes renumbered and counts rewritten: the complaint's real next
    # event and the checkpoints expose it.
    t = copy.deepcopy(base)
    real = t[target - 1]
    fake = dict(real, sequence=real["sequence"] + 1, type="NOTE_ADDED",
                from_state=real["to_state"], to_state=real["to_state"], actor="mallory",
                payload='{"text":"all resolved, nothing to see"}', prev_hash=real["hash"],
                ledger_index=real["ledger_index"] + 1)
    rehash(fake)
    t.insert(target, fake)
    for r in t[target + 1:]:
        if r.get("record") == "event":
            r["ledger_index"] += 1
    rewrite_footer(t)
    nxt = successor(t, target + 1)
    expect = [(nxt, "sequence %d where %d was expected" % (fake["sequence"],
                                                           fake["sequence"] + 1))]
    expect += [(n, "root_hash does not match") for n in lines_of(t, "checkpoint")
               if t[n - 1]["tree_size"] > fake["ledger_index"] and
               t[n - 1]["tree_size"] <= len(evs) + 1]
    m.case("%s: inserted fake event (renumbered)" % label, dump(t), key, expect=expect)

    # The same without renumbering: the next line repeats the index.
    t = copy.deepcopy(base)
    t.insert(target, fake)
    rewrite_footer(t)
    m.case("%s: inserted fake event (not renumbered)" % label, dump(t), key,
           expect=[(target + 2, "ledger_index %d is not greater than the previous event's"
                    % fake["ledger_index"])])

    # Two adjacent events swapped.
    t = copy.deepcopy(base)
    a = evs[len(evs) // 2]
    t[a - 1], t[a] = t[a], t[a - 1]
    m.case("%s: two events swapped" % label, dump(t), key,
           expect=[(a, "ledger_index"), (a + 1, "ledger_index")])

    # Truncated tail: the last events dropped, footer rewritten, the
    # checkpoints kept (they are signed).
    t = copy.deepcopy(base)
    drop = 3
    last_events = evs[-drop:]
    for n in reversed(last_events):
        t.pop(n - 1)
    remaining = {r["complaint"] for r in t if r.get("record") == "event"}
    t = [r for r in t if r.get("record") != "complainant" or r["complaint"] in remaining]
    rewrite_footer(t)
    last_cp = lines_of(t, "checkpoint")[-1]
    m.case("%s: truncated tail" % label, dump(t), key,
           expect=[(last_cp, "tree_size %d exceeds the %d events in the export"
                    % (t[last_cp - 1]["tree_size"], len(evs) - drop))])

    # Checkpoints: signed with another key; the wrong key given; a modified root.
    cp_line = cps[-1]
    t = copy.deepcopy(base)
    c = t[cp_line - 1]
    t[cp_line - 1] = mk.sign_checkpoint(foreign_key_pem_key, c["tree_size"], c["root_hash"],
                                        c["seal_time_us"])
    m.case("%s: checkpoint signed with another key" % label, dump(t), key,
           expect=[(cp_line, "is not the id of the given public key")], exact=1)
    t[cp_line - 1]["key_id"] = c["key_id"]
    m.case("%s: checkpoint signed with another key, key_id kept" % label, dump(t), key,
           expect=[(cp_line, "signature does not verify under the given public key")], exact=1)
    foreign_pub = mk.public_key_text(foreign_key_pem_key)
    m.case("%s: wrong public key given" % label, base_lines, foreign_pub,
           expect=[(n, "is not the id of the given public key") for n in cps], exact=len(cps))

    t = copy.deepcopy(base)
    root = t[cp_line - 1]["root_hash"]
    t[cp_line - 1]["root_hash"] = ("0" if root[0] != "0" else "1") + root[1:]
    expect = [(cp_line, "signature does not verify"), (cp_line, "root_hash does not match")]
    if cp_line + 1 <= len(t) and t[cp_line].get("record") == "consistency":
        expect.append((cp_line + 1, "does not verify"))
    m.case("%s: modified checkpoint root" % label, dump(t), key, expect=expect)

    # Attacker re-signs a modified root with their own key but keeps key_id.
    t[cp_line - 1] = mk.sign_checkpoint(foreign_key_pem_key, c["tree_size"],
                                        t[cp_line - 1]["root_hash"], c["seal_time_us"])
    t[cp_line - 1]["key_id"] = c["key_id"]
    m.case("%s: modified checkpoint root, re-signed" % label, dump(t), key,
           expect=[(cp_line, "signature does not verify"), (cp_line, "root_hash does not match")])

    # An event copied from another trail.
    if other_trail is not None:
        other = parse(other_trail)
        donor = next(r for r in other if r.get("record") == "event" and r["sequence"] >= 2)
        t = copy.deepcopy(base)
        pos = evs[len(evs) // 3]
        t[pos - 1] = dict(donor, ledger_index=t[pos - 1]["ledger_index"])
        m.case("%s: event from another trail (sequence %d)" % (label, donor["sequence"]),
               dump(t), key,
               expect=[(pos, "first event of its complaint in a complete export has sequence")])
        donor1 = next(r for r in other if r.get("record") == "event" and r["sequence"] == 1)
        t = copy.deepcopy(base)
        pos = pick_event_with_successor(base)
        index = t[pos - 1]["ledger_index"]
        nxt = successor(base, pos)
        t[pos - 1] = dict(donor1, ledger_index=index)
        expect = [(nxt, "sequence %d where %d was expected"
                   % (base[nxt - 1]["sequence"], base[pos - 1]["sequence"]))]
        expect += [(n, "root_hash does not match") for n in checkpoints_above(t, index)]
        expect.append((len(t) + 1, "no complainant record for " + donor1["complaint"]))
        m.case("%s: event from another trail (sequence 1)" % label, dump(t), key, expect=expect)

    # Structure.
    t = copy.deepcopy(base)
    t[-1]["event_count"] += 1
    m.case("%s: footer event_count wrong" % label, dump(t), key,
           expect=[(len(t), "event_count")], exact=1)
    t = copy.deepcopy(base)
    t.pop()
    m.case("%s: footer missing" % label, dump(t), key,
           expect=[(len(t) + 1, "missing footer")], exact=1)
    t = copy.deepcopy(base)
    t.append({"record": "event"})
    m.case("%s: line after the footer" % label, dump(t), key,
           expect=[(len(t), "line after the footer")], exact=1)
    t = copy.deepcopy(base)[1:]
    rewrite_footer(t)
    m.case("%s: header missing" % label, dump(t), key,
           expect=[(1, "the first line must be the header")], exact=1)
    t = copy.deepcopy(base)
    t[evs[1] - 1]["note"] = "extra"
    m.case("%s: unexpected field" % label, dump(t), key,
           expect=[(evs[1], 'unexpected field "note"')], exact=1)
    t = copy.deepcopy(base)
    cl = lines_of(t, "complainant")[0]
    t[cl - 1]["email"] = "alice@example.org"
    m.case("%s: clear personal data in a redacted export" % label, dump(t), key,
           expect=[(cl, 'field "email" must be redacted')], exact=1)


def malformed_line_cases(m, base_lines, key):
    """Edge cases of strict JSON parsing; both verifiers must agree exactly."""
    base = parse(base_lines)
    ev = event_lines(base)[2]
    text = base_lines[ev - 1]

    def with_line(new, name, what):
        lines = list(base_lines)
        lines[ev - 1] = new
        m.case("malformed: " + name, lines, key, expect=[(ev, what)])

    with_line(text[:-1], "truncated JSON", "not valid JSON")
    with_line(text + ",", "trailing comma", "not valid JSON")
    with_line(text.replace('"ledger_index":', '"ledger_index":1,"ledger_index":', 1),
              "duplicate key", "not valid JSON")
    idx = base[ev - 1]["ledger_index"]
    with_line(text.replace('"ledger_index":%d' % idx, '"ledger_index":%d.0' % idx, 1),
              "float index", 'field "ledger_index" must be')
    with_line(text.replace('"ledger_index":%d' % idx, '"ledger_index":"%d"' % idx, 1),
              "quoted index", 'field "ledger_index" must be')
    with_line(text.replace('"ledger_index":%d' % idx, '"ledger_index":1e400', 1),
              "huge float", 'field "ledger_index" must be')
    with_line(text.replace('"ledger_index":%d' % idx, '"ledger_index":9223372036854775808', 1),
              "index beyond int64", 'field "ledger_index" must be')
    with_line(text.replace('"ledger_index":%d' % idx, '"ledger_index":NaN', 1),
              "NaN", "not valid JSON")
    with_line(text.replace('"actor":"', '"actor":"\\ud800', 1), "lone surrogate",
              "not valid JSON")
    with_line(text.replace('"actor":"', '"actor":"\\ud83d\\ude00', 1), "surrogate pair",
              "hash does not match")
    with_line(text.replace('"actor":"', '"actor":"\t', 1), "raw tab in a string",
              "not valid JSON")
    with_line(text.replace('"type":"', '"type":"x', 1), "unknown type",
              'field "type" must be a known event type')
    with_line(text.replace('"hash":"', '"hash":"A', 1).replace('","prev_hash', '","prev_hash'),
              "hash not hex", 'field "hash" must be 64 lower-case hex characters')
    with_line("[" + text + "]", "array", "not a JSON object")
    with_line('{"record":"evil"}', "unknown record", 'unknown record type "evil"')
    with_line('{"record":"\u00e9v\u00e9nement"}', "unknown record (non-ASCII)",
              'unknown record type "\\u00e9v\\u00e9nement"')
    with_line("", "empty line", "not valid JSON")
    with_line("\ufeff" + text, "byte order mark", "not valid JSON")
    nested = '{"record":"header","x":' + "[" * 600 + "]" * 600 + "}"
    with_line(nested, "nested 600 deep", "not valid JSON")
    nested = '{"record":"zz","x":' + "[" * 100 + "]" * 100 + "}"
    with_line(nested, "nested 100 deep", 'unknown record type "zz"')

    raw = ("\n".join(base_lines) + "\n").encode("utf-8")
    bad_utf8 = raw.replace(b'"actor":"', b'"actor":"\xc3\x28', 1)
    m.case("malformed: invalid UTF-8", None, key, raw=bad_utf8,
           expect=[(event_lines(base)[0], "not valid UTF-8")])
    overlong = raw.replace(b'"actor":"', b'"actor":"\xc0\xaf', 1)
    m.case("malformed: overlong UTF-8", None, key, raw=overlong,
           expect=[(event_lines(base)[0], "not valid UTF-8")])
    surrogate = raw.replace(b'"actor":"', b'"actor":"\xed\xa0\x80', 1)
    m.case("malformed: UTF-8 encoded surrogate", None, key, raw=surrogate,
           expect=[(event_lines(base)[0], "not valid UTF-8")])
    m.case("malformed: no newline at the end", None, key, raw=raw[:-1],
           expect=[(len(base_lines), "does not end with a newline")], exact=1)
    m.case("malformed: empty file", None, key, raw=b"",
           expect=[(1, "the file is empty")], exact=1)
    crlf = raw.replace(b"\n", b"\r\n")
    m.case("CRLF line ends (CR is JSON whitespace)", None, key, raw=crlf, ok=True)


def filtered_cases(m, key, signer, events, every, other_events):
    complaints = sorted({e["complaint"] for e in events})[:2]
    lines = mk.export_lines(signer, events, every, complaints=set(complaints))
    m.case("filtered: untampered export verifies", lines, key, ok=True)
    sizes = mk.checkpoint_sizes(len(events), every)
    with_proof = mk.export_lines(signer, events, every, complaints=set(complaints),
                                 consistency_from=sizes[0])
    m.case("filtered: with a consistency proof from an older checkpoint", with_proof, key,
           ok=True)
    t = parse(with_proof)
    cons = lines_of(t, "consistency")[0]
    if t[cons - 1]["proof"]:
        t[cons - 1]["proof"][-1] = "0" * 64
        m.case("filtered: tampered consistency proof", dump(t), key,
               expect=[(cons, "does not verify")], exact=1)
    base = parse(lines)
    evs = event_lines(base)
    t = copy.deepcopy(base)
    proof = t[evs[1] - 1]["inclusion_proof"]
    proof[0] = ("1" if proof[0][0] != "1" else "2") + proof[0][1:]
    m.case("filtered: tampered inclusion proof", dump(t), key,
           expect=[(evs[1], "inclusion proof does not verify")], exact=1)
    t = copy.deepcopy(base)
    t[evs[1] - 1]["payload"] += " "
    rehash(t[evs[1] - 1])
    expect = [(evs[1], "inclusion proof does not verify")]
    m.case("filtered: modified event with recomputed hash", dump(t), key, expect=expect)
    t = copy.deepcopy(base)
    del t[evs[0] - 1]["inclusion_proof"]
    m.case("filtered: missing inclusion proof", dump(t), key,
           expect=[(evs[0], 'missing field "inclusion_proof"')], exact=1)
    # A valid event with a valid proof -- of another trail.
    other = mk.export_lines(signer, other_events, every,
                            complaints={other_events[0]["complaint"]})
    donor = parse(other)[1]
    t = copy.deepcopy(base)
    donor = dict(donor, ledger_index=base[evs[-1] - 1]["ledger_index"] + 1)
    t.insert(evs[-1], donor)
    donor_line = evs[-1] + 1
    rewrite_footer(t)
    m.case("filtered: event from another trail", dump(t), key,
           expect=[(donor_line, "inclusion proof does not verify")])
    t = copy.deepcopy(base)
    t[evs[0] - 1]["ledger_index"] = 10**6
    t[evs[0] - 1]["inclusion_proof"] = []
    m.case("filtered: index beyond the last checkpoint", dump(t), key,
           expect=[(evs[0], "is not covered by the last checkpoint")])


def consistency_cases(m, key, signer, events, every, fork_events):
    full = mk.export_lines(signer, events, every)
    sizes = mk.checkpoint_sizes(len(events), every)
    older = mk.export_lines(signer, events, every, end=sizes[-2])
    m.consistency_case("consistency: older export is a prefix of the newer", older, full, key,
                       ok=True)
    m.consistency_case("consistency: same export twice", full, full, key, ok=True)
    m.consistency_case("consistency: newer is a truncated older (rolled back)", full, older, key,
                       ok=False, expect_link=["is beyond NEW's last checkpoint"])
    forked = mk.export_lines(signer, fork_events, every, end=sizes[-2])
    m.consistency_case("consistency: history rewritten after the older export", forked, full,
                       key, ok=False, expect_link=["has another root_hash"])
    # NEW without a checkpoint at OLD's size: recomputed from NEW's events.
    other_every = every + 2
    new_other = mk.export_lines(signer, events, other_every)
    assert sizes[-2] not in mk.checkpoint_sizes(len(events), other_every)
    m.consistency_case("consistency: linked by recomputing NEW's events", older, new_other, key,
                       ok=True)
    m.consistency_case("consistency: rewritten history found by recomputing", forked, new_other,
                       key, ok=False, expect_link=["do not have the root_hash"])
    filtered_new = mk.export_lines(signer, events, other_every,
                                   complaints={events[0]["complaint"]})
    m.consistency_case("consistency: filtered NEW without OLD's size", older, filtered_new, key,
                       ok=False, expect_link=["is not complete: cannot link"])
    filtered_linked = mk.export_lines(signer, events, every, complaints={events[0]["complaint"]},
                                      consistency_from=sizes[-2])
    m.consistency_case("consistency: filtered NEW with a proof from OLD's size", older,
                       filtered_linked, key, ok=True)
    t = parse(filtered_linked)
    t = [r for r in t if r.get("record") != "consistency"]
    rewrite_footer(t)
    m.consistency_case("consistency: filtered NEW with OLD's checkpoint but no proof", older,
                       dump(t), key, ok=False, expect_link=["has no consistency proof from"])
    forked_linked = mk.export_lines(signer, fork_events, every,
                                    complaints={events[0]["complaint"]},
                                    consistency_from=sizes[-2])
    m.consistency_case("consistency: filtered NEW from a rewritten ledger", older, forked_linked,
                       key, ok=False, expect_link=["has another root_hash"])


def fuzz_agreement(m, lines, key, label, count, seed):
    """Random byte-level mutations: the verifiers must agree on every one
    (some mutations are legitimately undetectable, e.g. in the unsigned
    header's export_time or in a complainant record's digests)."""
    import random
    rnd = random.Random(seed)
    raw_lines = [l.encode("utf-8") for l in lines]
    detected = 0
    for i in range(count):
        t = list(raw_lines)
        kind = rnd.randrange(7)
        n = rnd.randrange(len(t))
        if kind == 0 and t[n]:  # flip one bit of one byte
            b = bytearray(t[n])
            j = rnd.randrange(len(b))
            b[j] ^= 1 << rnd.randrange(8)
            t[n] = bytes(b)
        elif kind == 1:  # delete a line
            del t[n]
        elif kind == 2:  # duplicate a line
            t.insert(n, t[n])
        elif kind == 3:  # swap two lines
            k = rnd.randrange(len(t))
            t[n], t[k] = t[k], t[n]
        elif kind == 4:  # change a digit
            digits = [j for j, c in enumerate(t[n]) if 48 <= c <= 57]
            if digits:
                b = bytearray(t[n])
                j = rnd.choice(digits)
                b[j] = 48 + (b[j] - 48 + rnd.randrange(1, 10)) % 10
                t[n] = bytes(b)
        elif kind == 5:  # cut a line short
            t[n] = t[n][:rnd.randrange(len(t[n]) + 1)]
        else:  # change a hex digit of some hash
            b = bytearray(t[n])
            hexes = [j for j, c in enumerate(b) if c in b"0123456789abcdef"]
            if hexes:
                j = rnd.choice(hexes)
                b[j] = ord(rnd.choice([c for c in "0123456789abcdef" if ord(c) != b[j]]))
                t[n] = bytes(b)
        path = os.path.join(m.work, "fuzz.jsonl")
        with open(path, "wb") as f:
            f.write(b"".join(l + b"\n" for l in t))
        cpp = subprocess.run([m.redressctl, "audit", "verify", path, "--public-key", key],
                             capture_output=True, text=True)
        py = subprocess.run([PY, m.pyverify, path, "--public-key", key],
                            capture_output=True, text=True)
        m.cases += 1
        if cpp.returncode != py.returncode or cpp.stdout != py.stdout or \
                cpp.returncode not in (0, 1):
            m.fail("%s: fuzz mutation %d (kind %d, line %d)" % (label, i, kind, n + 1),
                   "the verifiers disagree", cpp, py)
            with open(os.path.join(m.work, "..", "redress-fuzz-disagreement.jsonl"), "wb") as f:
                f.write(b"".join(l + b"\n" for l in t))
        detected += cpp.returncode == 1
    print("ok   %s: %d random mutations, verifiers agree on all (%d detected)"
          % (label, count, detected))


def consistency_record_cases(m, key, signer, events, every):
    """Consistency records are optional (§7.4); when present they must sit
    right after their later checkpoint and verify."""
    plain = mk.export_lines(signer, events, every, consistency="none")
    m.case("consistency records: none (as redressd streams)", plain, key, ok=True)
    chained = parse(mk.export_lines(signer, events, every))
    cps = lines_of(chained, "checkpoint")
    cons = lines_of(chained, "consistency")
    assert len(cps) >= 3 and len(cons) >= 2
    # A proof from a non-adjacent earlier checkpoint.
    t = copy.deepcopy(chained)
    leaves = [mk.leaf(e["hash"]) for e in events]
    first, second = t[cps[0] - 1]["tree_size"], t[cps[2] - 1]["tree_size"]
    t[cons[1] - 1] = {"record": "consistency", "first": first, "second": second,
                      "proof": [h.hex() for h in mk.consistency_proof(first, leaves[:second])]}
    m.case("consistency records: from a non-adjacent checkpoint", dump(t), key, ok=True)
    # Two proofs after the same checkpoint.
    t2 = copy.deepcopy(t)
    t2.insert(cons[1], copy.deepcopy(chained[cons[1] - 1]))
    rewrite_footer(t2)
    m.case("consistency records: two after one checkpoint", dump(t2), key, ok=True)
    # Not after a checkpoint.
    t = copy.deepcopy(chained)
    moved = t.pop(cons[0] - 1)
    t.insert(len(t) - 1, dict(moved))
    rewrite_footer(t)
    m.case("consistency records: not after its checkpoint", dump(t), key,
           expect=[(len(t) - 1, "second tree_size")], exact=1)
    t = copy.deepcopy(chained)
    t.insert(1, dict(chained[cons[0] - 1]))
    rewrite_footer(t)
    m.case("consistency records: between events", dump(t), key,
           expect=[(2, "consistency record does not follow a checkpoint"),
                   (3, "event record out of order")], exact=2)
    t = copy.deepcopy(chained)
    first_cl = lines_of(t, "complainant")[0]
    t.insert(first_cl, dict(t[2]))
    t[first_cl]["ledger_index"] = 10**5
    rewrite_footer(t)
    m.case("structure: an event among the complainant records", dump(t), key,
           expect=[(first_cl + 1, "event record out of order"),
                   (lines_of(t, "checkpoint")[-1], "the last checkpoint covers")])
    t = copy.deepcopy(chained)
    t[cons[0] - 1]["first"] = 3
    m.case("consistency records: unknown first checkpoint", dump(t), key,
           expect=[(cons[0], "first tree_size 3 is not an earlier checkpoint")], exact=1)
    t = copy.deepcopy(chained)
    t[cons[0] - 1]["proof"] = list(reversed(t[cons[0] - 1]["proof"])) + ["0" * 64]
    m.case("consistency records: tampered proof", dump(t), key,
           expect=[(cons[0], "does not verify")], exact=1)


def main(argv):
    args = list(argv)
    export = public_key = None
    if "--export" in args:
        i = args.index("--export")
        export = args[i + 1]
        del args[i:i + 2]
    if "--public-key" in args:
        i = args.index("--public-key")
        public_key = args[i + 1]
        del args[i:i + 2]
    if len(args) not in (1, 2):
        sys.stderr.write(__doc__)
        return 2
    redressctl = args[0]
    pyverify = args[1] if len(args) == 2 else os.path.join(
        HERE, "..", "..", "clients", "python", "redress_verify.py")
    foreign = Ed25519PrivateKey.generate()
    with tempfile.TemporaryDirectory(prefix="redress-tamper-") as work:
        m = Matrix(redressctl, pyverify, work)
        if export is not None:
            with open(export, encoding="utf-8") as f:
                lines = f.read().splitlines()
            generic_cases(m, lines, public_key, foreign, "real export")
            fuzz_agreement(m, lines, public_key, "fuzz real export", 60, seed=7)
        else:
            signer = mk.load_or_create_key(os.path.join(work, "signing.pem"))
            key = mk.public_key_text(signer)
            every = 8
            events = mk.build_ledger(seed=11, complaints=7)
            other_events = mk.build_ledger(seed=12, complaints=4)
            fork_events = mk.build_ledger(seed=11, complaints=7, fork_after=10)
            assert fork_events[:10] == events[:10] and fork_events[10:] != events[10:]
            lines = mk.export_lines(signer, events, every)
            other_lines = mk.export_lines(signer, other_events, every)
            generic_cases(m, lines, key, foreign, "synthetic", other_trail=other_lines)
            malformed_line_cases(m, lines, key)
            filtered_cases(m, key, signer, events, every, other_events)
            consistency_cases(m, key, signer, events, every, fork_events)
            consistency_record_cases(m, key, signer, events, every)
            fuzz_agreement(m, lines, key, "fuzz complete", 120, seed=5)
            filtered = mk.export_lines(signer, events, every,
                                       complaints={events[0]["complaint"], events[3]["complaint"]})
            fuzz_agreement(m, filtered, key, "fuzz filtered", 40, seed=6)
            # The key given as a file, too.
            key_file = os.path.join(work, "key.pub")
            with open(key_file, "w") as f:
                f.write(key + "\n")
            m.case("synthetic: public key from a file", lines, key_file, ok=True)
        print("%d cases, %d failed" % (m.cases, m.failures))
        return 1 if m.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
