#!/usr/bin/python3
"""Preload a Redress SQLite database with N more complaints, fast.

    bench/seed_sqlite.py DB_PATH N

The "faster documented path" of bench/README.md: rows are written straight
into the tables of an existing (migrated) database while redressd is
stopped, in one transaction, instead of through the API. Each complaint is
in state RECEIVED with one SUBMITTED event whose hash chain and ledger index
are valid (compliance-docs/audit-trail.md encoding, as in
bench/export_large_trail.sh), so the audit export and both verifiers accept
the result. Categories rotate over four values; the complainant row carries
no personal data (erased form). Appends after whatever is already stored
(ledger_head.next_index continues).
"""
import base64
import hashlib
import sqlite3
import struct
import sys
import time
import uuid


def s(b):
    return struct.pack(">I", len(b)) + b


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field_bytes(num, b):
    return varint(num << 3 | 2) + varint(len(b)) + b


def field_varint(num, v):
    return varint(num << 3) + varint(v)


CATEGORIES = ["billing", "service", "delivery", "other"]


def main():
    db, n = sys.argv[1], int(sys.argv[2])
    con = sqlite3.connect(db)
    # The preload is not what is measured: no fsync per page, a large cache.
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-262144")
    t0 = time.time()
    (ledger,) = con.execute("SELECT next_index FROM ledger_head").fetchone()
    (start,) = con.execute("SELECT COUNT(*) FROM complaints").fetchone()
    base_us = 1790000000 * 1000000 + ledger
    description = b"Charged twice for one card payment on 3 November (preloaded by bench/seed_sqlite.py)."
    payload = b'{"complaint":{}}'
    con.execute("BEGIN")
    chunk = 50000
    for lo in range(0, n, chunk):
        complaints, people, events = [], [], []
        for i in range(lo, min(n, lo + chunk)):
            c = start + i
            cid = str(uuid.UUID(int=(0xBE7C << 112) + c + 1, version=4))
            name = ("complaints/" + cid).encode()
            ref = "CMP-B-%08d" % c
            cat = CATEGORIES[c % len(CATEGORIES)]
            t = base_us + i
            enc = (b"REDRESS-EVENT-V1" + s(name) + struct.pack(">Q", 1) + s(b"SUBMITTED") + struct.pack(">II", 0, 1)
                   + s(b"bench") + s(b"") + struct.pack(">q", t) + s(payload) + bytes(32))
            h = hashlib.sha256(enc).hexdigest()
            body = (field_bytes(1, name) + field_bytes(2, ref.encode()) + field_varint(3, 1) + field_varint(8, 2)
                    + field_bytes(10, cat.encode()) + field_bytes(11, description) + field_varint(25, 1))
            complaints.append((cid, ref, 1, 2, cat, "", t, t, 1, h, base64.b64encode(body).decode()))
            people.append((cid, "", "", "", 1))
            events.append((cid, 1, "SUBMITTED", 0, 1, "bench", "", t, payload.decode(), "0" * 64, h, ledger))
            ledger += 1
        con.executemany("INSERT INTO complaints (id, reference, state, channel, category, assignee, create_time_us, "
                        "update_time_us, version, last_event_hash, body) VALUES (?,?,?,?,?,?,?,?,?,?,?)", complaints)
        con.executemany("INSERT INTO complainants (complaint_id, salt, digest, data, erase_time_us) "
                        "VALUES (?,?,?,?,?)", people)
        con.executemany("INSERT INTO complaint_events (complaint_id, sequence, type, from_state, to_state, actor, "
                        "request_id, event_time_us, payload, prev_hash, hash, ledger_index) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", events)
    con.execute("UPDATE ledger_head SET next_index = ?", (ledger,))
    con.execute("COMMIT")
    con.close()
    print(f"seeded {n} complaints ({start + n} stored, ledger {ledger}) in {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()
