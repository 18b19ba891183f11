#!/usr/bin/env python3
"""Unit tests of clients/python/redress_verify.py against known answers.

The values are the ones pinned in tests/domain/merkle_test.cc and
tests/domain/checkpoint_signer_test.cc (leaf i = SHA-256(0x00 ||
SHA-256("event-<i>"))), and the worked example of
compliance-docs/audit-trail.md §2.
"""

import base64
import contextlib
import hashlib
import io
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "clients", "python"))
import redress_verify as rv  # noqa: E402


def leaf(i):
    return rv.leaf_hash(hashlib.sha256(("event-%d" % i).encode()).hexdigest())


H = bytes.fromhex
ROOT7 = "d01437ad52b18e6584ce03f2d29d7597f8d31803f2160fb31c670a64af325417"
PATH_5_OF_7 = [
    "212a1c1d1d79110c48b5c4f95a9baf8612666fa80d023db23b6e5f35047dd20b",
    "dbbb72e9f3b8d5b9f16742948a1c8774a93e2f0c96b7118a0ebf379f9bdc1c20",
    "8b897bec17dfc6f9f4d1563d12da0feb2cad54820b11146a3a9dcab584de6fa0",
]
CONS_3_7 = [
    "d1c02dd09e1affe3ded8d8e59e915fbf19c7cac0156aa56ae7ddd646884144b5",
    "c8f17fc2943f60c71e301a1de70d03029c8dc8387b3ce091898546b9bc4931e2",
    "6de3c59a3e329a98770e8c038c0ddc766ec1043d9f69b53330a6e20da76fe934",
    "dcf3c9fe2bd92388af611bec2e7143308a6f42837cc3cdff7b74d634cb0b9aa3",
]
CONS_4_70 = [
    "524dd6a518e8a664e8f4f07270313cd99281a6942c840c52830695ff5fcfda0b",
    "dbc0077b26d41ddee89d418140321c3f69176e5f3e1b0d79836b3d8ef1e246f8",
    "862ef1e7edea3ff88c91b3fe975625f701667788d92c1762f9f8692c5d5969b6",
    "366c64c05700f6971f61941bc2b362c54e486d186032d36a21f57f459ea5a6e5",
    "0af48bb1a983fda191c12ff610a8d27924f214db9800b5b54057768c04231fee",
]
PUBLIC_KEY = "ed25519:A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="
SIGNATURE = ("4/IIlxFl+BxBIGM/unpooH8u+mwD2s61x3W7cUn/Zk7dVPW5JVgZEMfA4cdsUDaUeR8IHK9bs0etY7k"
             "4zp7kCA==")


def root_of(n):
    tree = rv.CompactRange()
    for i in range(n):
        tree.append(leaf(i))
    return tree.root()


class HashTest(unittest.TestCase):
    def test_worked_example_of_section_2(self):
        ev = {
            "complaint": "complaints/0b7a2f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
            "sequence": rv.JInt("1"), "type": "SUBMITTED", "from_state": rv.JInt("0"),
            "to_state": rv.JInt("1"), "actor": "alice",
            "request_id": "6f1c0a52-8d4e-4b6a-9f3e-2a1b0c9d8e7f",
            "event_time_us": rv.JInt("1790000000123456"), "payload": '{"text":"hello"}',
            "prev_hash": rv.ZERO_HASH,
        }
        self.assertEqual(rv.event_hash(ev),
                         "c3ad0dca4631aab8d7b728dfd0f02fdac290d17f0bcbeb7edb8b9c39c3571ded")


class MerkleTest(unittest.TestCase):
    def test_roots(self):
        self.assertEqual(root_of(0).hex(),
                         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        self.assertEqual(root_of(1), leaf(0))
        self.assertEqual(root_of(3).hex(),
                         "889c7b0b601b40a117fd856be1a22a045b6e521b8f1e08c8e7bd8f0646fbed72")
        self.assertEqual(root_of(7).hex(), ROOT7)
        self.assertEqual(root_of(8).hex(),
                         "3b14351aac7052f4631b41d0d988e758eb9e2e310a768f7a975fde6e66ff8721")
        self.assertEqual(root_of(70).hex(),
                         "020595b7a97ef298d102eec44e15c9b0923b72248f6a3bdcb93cc37e57b20120")

    def test_inclusion(self):
        proof = [H(h) for h in PATH_5_OF_7]
        self.assertTrue(rv.verify_inclusion(leaf(5), 5, 7, proof, H(ROOT7)))
        self.assertFalse(rv.verify_inclusion(leaf(5), 4, 7, proof, H(ROOT7)))
        self.assertFalse(rv.verify_inclusion(leaf(4), 5, 7, proof, H(ROOT7)))
        self.assertFalse(rv.verify_inclusion(leaf(5), 5, 8, proof, root_of(8)))
        self.assertFalse(rv.verify_inclusion(leaf(5), 5, 7, proof[:-1], H(ROOT7)))
        self.assertFalse(rv.verify_inclusion(leaf(5), 5, 7, proof + [leaf(0)], H(ROOT7)))
        self.assertFalse(rv.verify_inclusion(leaf(5), 7, 7, proof, H(ROOT7)))
        for i in range(len(proof)):
            bad = list(proof)
            bad[i] = bytes([bad[i][0] ^ 1]) + bad[i][1:]
            self.assertFalse(rv.verify_inclusion(leaf(5), 5, 7, bad, H(ROOT7)))
        self.assertTrue(rv.verify_inclusion(leaf(0), 0, 1, [], leaf(0)))

    def test_consistency(self):
        p37 = [H(h) for h in CONS_3_7]
        self.assertTrue(rv.verify_consistency(3, 7, root_of(3), root_of(7), p37))
        p470 = [H(h) for h in CONS_4_70]
        self.assertTrue(rv.verify_consistency(4, 70, root_of(4), root_of(70), p470))
        self.assertFalse(rv.verify_consistency(3, 7, root_of(4), root_of(7), p37))
        self.assertFalse(rv.verify_consistency(3, 8, root_of(3), root_of(8), p37))
        self.assertFalse(rv.verify_consistency(3, 7, root_of(3), root_of(7), p37[:-1]))
        self.assertFalse(rv.verify_consistency(3, 7, root_of(3), root_of(7), p37 + p37[:1]))
        self.assertFalse(rv.verify_consistency(7, 3, root_of(7), root_of(3), p37))
        self.assertFalse(rv.verify_consistency(3, 7, root_of(3), root_of(7), []))
        for i in range(len(p37)):
            bad = list(p37)
            bad[i] = bad[i][:-1] + bytes([bad[i][-1] ^ 0x80])
            self.assertFalse(rv.verify_consistency(3, 7, root_of(3), root_of(7), bad))
        # Edge cases: the empty tree, equal sizes.
        self.assertTrue(rv.verify_consistency(0, 5, rv.EMPTY_ROOT, root_of(5), []))
        self.assertFalse(rv.verify_consistency(0, 5, root_of(1), root_of(5), []))
        self.assertTrue(rv.verify_consistency(5, 5, root_of(5), root_of(5), []))
        self.assertFalse(rv.verify_consistency(5, 5, root_of(5), root_of(6), []))


class SignatureTest(unittest.TestCase):
    def test_known_answer(self):
        raw = rv.parse_public_key(PUBLIC_KEY)
        self.assertEqual(rv.key_id_of(raw), "56475aa75463474c")
        self.assertTrue(rv.checkpoint_signature_ok(raw, 7, ROOT7, 1790000000123456, SIGNATURE))
        self.assertFalse(rv.checkpoint_signature_ok(raw, 8, ROOT7, 1790000000123456, SIGNATURE))
        self.assertFalse(rv.checkpoint_signature_ok(raw, 7, ROOT7, 1790000000123457, SIGNATURE))
        self.assertFalse(rv.checkpoint_signature_ok(raw, 7, ROOT7.replace("d", "e", 1),
                                                    1790000000123456, SIGNATURE))
        sig = bytearray(base64.b64decode(SIGNATURE))
        sig[10] ^= 1
        self.assertFalse(rv.checkpoint_signature_ok(raw, 7, ROOT7, 1790000000123456,
                                                    base64.b64encode(bytes(sig)).decode()))
        self.assertFalse(rv.checkpoint_signature_ok(raw, 7, ROOT7, 1790000000123456,
                                                    SIGNATURE.rstrip("=")))

    def test_public_key_parsing(self):
        raw = rv.parse_public_key(PUBLIC_KEY)
        self.assertEqual(len(raw), 32)
        self.assertEqual(rv.parse_public_key(PUBLIC_KEY[len("ed25519:"):] + "\n"), raw)
        for bad in ("", "ed25519:", "garbage", PUBLIC_KEY.rstrip("="), PUBLIC_KEY[:-2] + "h=",
                    "ed448:" + PUBLIC_KEY[8:], "ed25519:AAAA", PUBLIC_KEY.replace("/", "_")):
            self.assertIsNone(rv.parse_public_key(bad), bad)


class JsonTest(unittest.TestCase):
    def test_strict(self):
        self.assertIsNotNone(rv.parse_json('{"a":[1,-0,"x"]}'))
        for bad in ('{"a":1,"a":2}', '{"a":NaN}', '{"a":Infinity}', '{"a":"\\ud800"}',
                    '{"a":"\t"}', "{'a':1}", '{"a":1}{}', ""):
            self.assertIsNone(rv.parse_json(bad), bad)
        self.assertIsNone(rv.parse_json("[" * (rv.MAX_DEPTH + 1) + "]" * (rv.MAX_DEPTH + 1)))
        self.assertIsNotNone(rv.parse_json("[" * rv.MAX_DEPTH + "]" * rv.MAX_DEPTH))
        v = rv.parse_json('{"n":9223372036854775808,"f":1.0,"t":true}')
        self.assertIsNone(rv.as_int(v["n"], 0, rv.INT64_MAX))
        self.assertIsNone(rv.as_int(v["f"], 0, 10))
        self.assertIsNone(rv.as_int(v["t"], 0, 10))  # a boolean is not an integer


class CommandLineTest(unittest.TestCase):
    def run_main(self, argv):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = rv.main(argv)
            except SystemExit as e:
                rc = e.code
        return rc, out.getvalue(), err.getvalue()

    def test_usage_errors_exit_2(self):
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl") as f:
            f.write("\n")
            f.flush()
            self.assertEqual(self.run_main([f.name])[0], 2)  # no key
            self.assertEqual(self.run_main([f.name, "--public-key", "nope"])[0], 2)
            self.assertEqual(self.run_main([f.name, f.name, "--public-key", PUBLIC_KEY])[0], 2)
            self.assertEqual(self.run_main(["verify-consistency", f.name, "--public-key",
                                            PUBLIC_KEY])[0], 2)
            self.assertEqual(self.run_main(["/no/such/file", "--public-key", PUBLIC_KEY])[0], 2)
            self.assertEqual(self.run_main([f.name, "--public-key", PUBLIC_KEY, "-x"])[0], 2)
            rc, out, _ = self.run_main([f.name, "--public-key", PUBLIC_KEY])
            self.assertEqual(rc, 1)
            self.assertEqual(out, "line 1 (unknown record): not valid JSON\n"
                                  "line 2 (end of file): missing footer\n"
                                  "FAILED: 2 problems (0 events, 0 complaints, 0 checkpoints)\n")
        rc, out, _ = self.run_main(["--help"])
        self.assertEqual(rc, 0)
        self.assertIn("verify-consistency OLD NEW", out)


if __name__ == "__main__":
    unittest.main()
