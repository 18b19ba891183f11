"""Tests of redress_client.py against a real redressd (SQLite in a temp dir).

    REDRESSD=build/server/redressd /usr/bin/python3 -m unittest discover \
        -s clients/python/tests -p 'test_redress_client.py' -v

REDRESSD defaults to $BUILD_DIR/server/redressd (BUILD_DIR defaults to build).
"""
from __future__ import annotations

import concurrent.futures
import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import uuid

HERE = pathlib.Path(__file__).resolve().parent
PYDIR = HERE.parent
REPO = PYDIR.parent.parent
sys.path.insert(0, str(PYDIR))

import grpc  # noqa: E402

import redress_client as rc  # noqa: E402
from redress.v1 import complaint_service_pb2, complaint_service_pb2_grpc  # noqa: E402

Complaint = rc.Complaint
ACTOR = "py-client-test"


def redressd_path() -> pathlib.Path:
    if os.environ.get("REDRESSD"):
        return pathlib.Path(os.environ["REDRESSD"]).resolve()
    return REPO / os.environ.get("BUILD_DIR", "build") / "server" / "redressd"


class Server:
    """redressd on a free port with a fresh SQLite database."""

    def __init__(self, prepare=None, host: str = "127.0.0.1") -> None:
        """prepare(dir) -> extra redressd flags (e.g. TLS files it wrote into dir).
        host: the name clients dial (a TLS server's certificate must match it)."""
        binary = redressd_path()
        if not os.access(binary, os.X_OK):
            raise RuntimeError(f"{binary} is not an executable (build it, or set REDRESSD)")
        self.dir = tempfile.mkdtemp(prefix="redress-pyclient-")
        extra = prepare(self.dir) if prepare else []
        port_file = os.path.join(self.dir, "port")
        self.log = open(os.path.join(self.dir, "redressd.log"), "wb")
        # In its own directory: files redressd keeps under var/ by default
        # (e.g. the audit signing key) stay out of the repository.
        os.mkdir(os.path.join(self.dir, "var"))
        self.proc = subprocess.Popen(
            [str(binary), "--listen", "127.0.0.1:0", "--port-file", port_file,
             "--database", f"sqlite:{self.dir}/redress.db", *extra,
             # Development mode withholds personal data unless told otherwise.
             *([] if "--access-config" in extra else ["--dev-allow-personal-data"])],
            cwd=self.dir, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"redressd exited with {self.proc.returncode}: {self.log_text()}")
            try:
                port = pathlib.Path(port_file).read_text().strip()
            except FileNotFoundError:
                port = ""
            if port.isdigit() and int(port) > 0:
                self.target = f"{host}:{port}"
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("redressd did not write its port file within 30 s")

    def log_text(self) -> str:
        self.log.flush()
        return pathlib.Path(self.dir, "redressd.log").read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


SERVER: Server | None = None


def setUpModule() -> None:
    global SERVER
    SERVER = Server()


def tearDownModule() -> None:
    if SERVER is not None:
        SERVER.stop()


def new_complaint(category: str = "billing", **overrides) -> Complaint:
    c = Complaint(
        complainant=rc.Complainant(display_name="Ada Lovelace", email="ada@example.org"),
        channel=rc.CHANNEL_EMAIL, category=category,
        description="Charged twice for one card payment.")
    for k, v in overrides.items():
        setattr(c, k, v)
    return c


ASSESSMENT = rc.Assessment(severity=rc.LEVEL_MEDIUM, priority=rc.LEVEL_HIGH,
                           complexity=rc.LEVEL_LOW, impact=rc.LEVEL_MEDIUM)
RESPONSE = rc.Response(decision=rc.Response.DECISION_UPHELD, text="Refunded.",
                       communicated_via=rc.CHANNEL_EMAIL,
                       redress_amount=rc.Money(currency_code="GBP", amount_minor=4250))


class ClientAgainstServer(unittest.TestCase):
    def setUp(self) -> None:
        self.client = rc.RedressClient(SERVER.target, actor=ACTOR)
        self.addCleanup(self.client.close)

    def assertRpcError(self, code: grpc.StatusCode, fn, *args, **kwargs) -> rc.RedressError:
        with self.assertRaises(rc.RedressError) as cm:
            fn(*args, **kwargs)
        self.assertEqual(cm.exception.code, code, cm.exception)
        return cm.exception

    def test_lifecycle_submit_to_closed(self) -> None:
        c = self.client.submit(new_complaint())
        self.assertEqual(c.state, Complaint.STATE_RECEIVED)
        self.assertRegex(c.name, r"^complaints/[0-9a-f-]{36}$")
        self.assertRegex(c.reference, r"^CMP-\d{4}-\d{6}$")
        c = self.client.acknowledge(c.name, message="Thanks", channel=rc.CHANNEL_EMAIL)
        self.assertEqual(c.state, Complaint.STATE_ACKNOWLEDGED)
        c = self.client.assess(c.name, ASSESSMENT)
        self.assertEqual((c.state, c.assessment.assessor), (Complaint.STATE_ACKNOWLEDGED, ACTOR))
        c = self.client.assign(c.name, "bob")
        self.assertEqual(c.assignee, "bob")
        c = self.client.start_investigation(c.name, "plan", etag=c.etag, actor="bob")
        self.assertEqual(c.state, Complaint.STATE_INVESTIGATING)
        c = self.client.add_note(c.name, "called the processor")
        c = self.client.respond(c.name, RESPONSE, actor="bob")
        self.assertEqual((c.state, c.response.responder), (Complaint.STATE_RESPONDED, "bob"))
        c = self.client.record_decision(
            c.name, rc.ComplainantDecision(outcome=rc.ComplainantDecision.OUTCOME_ACCEPTED))
        self.assertEqual(c.state, Complaint.STATE_CLOSED)
        self.assertEqual(c.event_count, 8)

        events = list(self.client.list_events(c.name, page_size=3))  # three pages
        self.assertEqual([e.sequence for e in events], list(range(1, 9)))
        E = rc.ComplaintEvent
        self.assertEqual([e.type for e in events], [
            E.TYPE_SUBMITTED, E.TYPE_ACKNOWLEDGED, E.TYPE_ASSESSED, E.TYPE_ASSIGNED,
            E.TYPE_INVESTIGATION_STARTED, E.TYPE_NOTE_ADDED, E.TYPE_RESPONDED,
            E.TYPE_COMPLAINANT_DECISION_RECORDED])
        self.assertEqual([e.actor for e in events][4:7], ["bob", ACTOR, "bob"])
        self.assertEqual(events[0].prev_hash, "0" * 64)
        for prev, ev in zip(events, events[1:]):
            self.assertEqual(ev.prev_hash, prev.hash)
        # A read adds the derived deadlines (mutation answers carry none).
        got = self.client.get(c.name)
        self.assertTrue(got.deadlines)
        got.ClearField("deadlines")
        self.assertEqual(got, c)

    def test_bare_id_accepted(self) -> None:
        c = self.client.submit(new_complaint())
        self.assertEqual(self.client.get(c.name.split("/", 1)[1]).name, c.name)

    def test_dispute_remitted_then_closed(self) -> None:
        c = self.client.submit(new_complaint())
        c = self.client.acknowledge(c.name)
        c = self.client.assess(c.name, ASSESSMENT)
        c = self.client.respond(c.name, RESPONSE)  # summary resolution
        self.assertTrue(c.response.summary_resolution)
        c = self.client.record_decision(
            c.name, rc.ComplainantDecision(outcome=rc.ComplainantDecision.OUTCOME_REJECTED))
        self.assertEqual(c.state, Complaint.STATE_RESPONDED)
        c = self.client.open_dispute(c.name, rc.Dispute(
            kind=rc.Dispute.KIND_EXTERNAL_ADR, body="Financial Ombudsman Service"))
        self.assertEqual(c.state, Complaint.STATE_DISPUTED)
        c = self.client.resolve_dispute(c.name, rc.Dispute.OUTCOME_REMITTED, "look again")
        self.assertEqual(c.state, Complaint.STATE_INVESTIGATING)
        c = self.client.respond(c.name, RESPONSE)
        c = self.client.close_complaint(c.name, "final response")
        self.assertEqual((c.state, c.closure_reason), (Complaint.STATE_CLOSED, "final response"))

    def test_idempotent_retry_returns_same_answer(self) -> None:
        req = complaint_service_pb2.SubmitComplaintRequest(complaint=new_complaint())
        first = self.client.call("SubmitComplaint", req)
        self.assertTrue(req.request_id)  # filled in by the helper
        uuid.UUID(req.request_id)
        again = self.client.call("SubmitComplaint", req)
        self.assertEqual((again.name, again.etag), (first.name, first.etag))

        rid = rc.new_request_id()
        acked = self.client.acknowledge(first.name, message="m", request_id=rid)
        retried = self.client.acknowledge(first.name, message="m", request_id=rid)
        self.assertEqual(retried.etag, acked.etag)
        self.assertEqual(retried.state, Complaint.STATE_ACKNOWLEDGED)
        self.assertEqual(self.client.get(first.name).event_count, 2)  # nothing written twice
        self.assertEqual(len(list(self.client.list_events(first.name))), 2)

    def test_request_id_reused_for_a_different_request(self) -> None:
        c = self.client.submit(new_complaint())
        rid = rc.new_request_id()
        self.client.acknowledge(c.name, message="one", request_id=rid)
        other = self.client.submit(new_complaint())
        self.assertRpcError(grpc.StatusCode.ALREADY_EXISTS,
                            self.client.acknowledge, other.name, message="one", request_id=rid)

    def test_failed_precondition_names_the_state(self) -> None:
        c = self.client.submit(new_complaint())
        err = self.assertRpcError(grpc.StatusCode.FAILED_PRECONDITION,
                                  self.client.respond, c.name, RESPONSE)
        self.assertIn("RECEIVED", err.details)
        c = self.client.withdraw(c.name, "resolved elsewhere")
        self.assertEqual(c.state, Complaint.STATE_WITHDRAWN)
        err = self.assertRpcError(grpc.StatusCode.FAILED_PRECONDITION,
                                  self.client.acknowledge, c.name)
        self.assertIn("WITHDRAWN", err.details)

    def test_not_found(self) -> None:
        missing = f"complaints/{uuid.uuid4()}"
        self.assertRpcError(grpc.StatusCode.NOT_FOUND, self.client.get, missing)
        self.assertRpcError(grpc.StatusCode.NOT_FOUND, self.client.acknowledge, missing)

    def test_invalid_argument_names_the_field(self) -> None:
        bad = new_complaint()
        bad.complainant.email = "not-an-address"
        err = self.assertRpcError(grpc.StatusCode.INVALID_ARGUMENT, self.client.submit, bad)
        self.assertEqual(err.field, "complaint.complainant.email")
        # Decoded from the machine-readable detail, consistent with the message.
        self.assertEqual(err.field_violations,
                         [("complaint.complainant.email", "not an e-mail address")])
        self.assertEqual(err.details, "complaint.complainant.email: not an e-mail address")
        bad = new_complaint()
        bad.attachments.add(file_name="a.pdf", sha256="not-hex")
        err = self.assertRpcError(grpc.StatusCode.INVALID_ARGUMENT, self.client.submit, bad)
        self.assertEqual([f for f, _ in err.field_violations], ["complaint.attachments[0].sha256"])
        # Other codes carry no violations.
        missing = "complaints/0b7a2f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
        err = self.assertRpcError(grpc.StatusCode.NOT_FOUND, self.client.get, missing)
        self.assertEqual(err.field_violations, [])
        self.assertIsNone(err.field)
        err = self.assertRpcError(grpc.StatusCode.INVALID_ARGUMENT, self.client.submit,
                                  new_complaint(), request_id="not-a-uuid")
        self.assertEqual(err.field, "request_id")
        c = self.client.submit(new_complaint())
        err = self.assertRpcError(grpc.StatusCode.INVALID_ARGUMENT, self.client.assess, c.name,
                                  rc.Assessment(severity=rc.LEVEL_LOW))
        self.assertTrue(err.field.startswith("assessment."), err)

    def test_unauthenticated_without_actor(self) -> None:
        with rc.RedressClient(SERVER.target) as anonymous:
            self.assertRpcError(grpc.StatusCode.UNAUTHENTICATED, anonymous.submit, new_complaint())

    def test_stale_etag_is_aborted(self) -> None:
        c = self.client.submit(new_complaint())
        self.client.assign(c.name, "carol")
        self.assertRpcError(grpc.StatusCode.ABORTED, self.client.acknowledge, c.name, etag=c.etag)
        self.assertEqual(self.client.get(c.name).state, Complaint.STATE_RECEIVED)

    def test_list_filters_and_pages(self) -> None:
        category = f"pyclient-{uuid.uuid4().hex[:8]}"
        names = [self.client.submit(new_complaint(category)).name for _ in range(5)]
        self.client.acknowledge(names[1])
        got = [c.name for c in self.client.list_complaints(f'category = "{category}"', page_size=2)]
        self.assertEqual(got, names)  # oldest first, across three pages
        got = [c.name for c in self.client.list_complaints(
            f'category = "{category}" AND state = ACKNOWLEDGED')]
        self.assertEqual(got, [names[1]])

    def test_example_lifecycle_runs(self) -> None:
        out = subprocess.run([sys.executable, str(PYDIR / "example_lifecycle.py"),
                              "--target", SERVER.target],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("decided      STATE_CLOSED", out.stdout)
        self.assertIn("ack again    FAILED_PRECONDITION", out.stdout)
        self.assertIn("invalid      complaint.complainant.email: not an e-mail address", out.stdout)


TOKEN = "py-test-token-" + uuid.uuid4().hex


def make_pki(d: str) -> list[str]:
    """A CA, a server certificate for localhost/127.0.0.1, a client
    certificate (CN=py-mtls) and an access configuration with a token
    principal and a certificate principal. Returns the redressd flags."""
    script = """
set -e
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Py Test CA" -keyout ca.key -out ca.pem
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > san.ext
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out server.pem
openssl req -newkey rsa:2048 -nodes -subj "/CN=py-mtls" -keyout client.key -out client.csr
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out client.pem
"""
    subprocess.run(["bash", "-c", script], cwd=d, check=True, capture_output=True)
    digest = hashlib.sha256(TOKEN.encode()).hexdigest()
    pathlib.Path(d, "access.textproto").write_text(
        f'principals {{ name: "py-token" roles: ROLE_SUPERVISOR token_sha256: "{digest}" }}\n'
        'principals { name: "py-mtls" roles: ROLE_SUPERVISOR client_cert_subjects: "CN=py-mtls" }\n')
    return ["--tls-cert", f"{d}/server.pem", "--tls-key", f"{d}/server.key",
            "--client-ca", f"{d}/ca.pem", "--access-config", f"{d}/access.textproto"]


class TlsAndToken(unittest.TestCase):
    """redressd with mutual TLS and an access configuration."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.server = Server(make_pki, host="localhost")
        d = cls.server.dir
        cls.mtls = dict(ca=f"{d}/ca.pem", cert=f"{d}/client.pem", key=f"{d}/client.key")

    @classmethod
    def tearDownClass(cls) -> None:
        cls.server.stop()

    def client(self, token=None, **tls) -> rc.RedressClient:
        c = rc.RedressClient(self.server.target, credentials=rc.tls_credentials(**tls),
                             token=token, timeout=10)
        self.addCleanup(c.close)
        return c

    def submitter(self, client: rc.RedressClient) -> str:
        c = client.submit(new_complaint())
        return next(iter(client.list_events(c.name))).actor

    def test_token_names_the_principal(self) -> None:
        self.assertEqual(self.submitter(self.client(TOKEN, **self.mtls)), "py-token")

    def test_client_certificate_names_the_principal(self) -> None:
        self.assertEqual(self.submitter(self.client(None, **self.mtls)), "py-mtls")

    def test_unknown_token_is_unauthenticated(self) -> None:
        with self.assertRaises(rc.RedressError) as cm:
            self.client("not-" + TOKEN, **self.mtls).submit(new_complaint())
        self.assertEqual(cm.exception.code, grpc.StatusCode.UNAUTHENTICATED)

    def test_without_client_certificate_no_connection(self) -> None:
        with self.assertRaises(rc.RedressError) as cm:
            self.client(TOKEN, ca=self.mtls["ca"]).submit(new_complaint())
        self.assertEqual(cm.exception.code, grpc.StatusCode.UNAVAILABLE)

    def test_certificate_and_key_go_together(self) -> None:
        with self.assertRaises(ValueError):
            rc.tls_credentials(ca=self.mtls["ca"], cert=self.mtls["cert"])

    def test_example_lifecycle_with_tls_and_token(self) -> None:
        m = self.mtls
        out = subprocess.run([sys.executable, str(PYDIR / "example_lifecycle.py"),
                              "--target", self.server.target, "--tls-ca", m["ca"],
                              "--tls-cert", m["cert"], "--tls-key", m["key"], "--token", TOKEN],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("decided      STATE_CLOSED", out.stdout)
        self.assertIn("invalid      complaint.complainant.email: not an e-mail address", out.stdout)
        # Every event was caused by the token's principal, whatever --actor said.
        self.assertRegex(out.stdout, r"STATE_CLOSED\s+py-token")
        self.assertNotIn(" alice ", out.stdout)
        # Without the token, the certificate is the principal.
        out = subprocess.run([sys.executable, str(PYDIR / "example_lifecycle.py"),
                              "--target", self.server.target, "--tls-ca", m["ca"], "--tls-cert",
                              m["cert"], "--tls-key", m["key"]],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertRegex(out.stdout, r"STATE_CLOSED\s+py-mtls")


class ServiceConfig(unittest.TestCase):
    def test_covers_every_complaint_service_method(self) -> None:
        cfg = rc.load_service_config()
        service = complaint_service_pb2.DESCRIPTOR.services_by_name["ComplaintService"]
        entries = {}
        for mc in cfg["methodConfig"]:
            for n in mc["name"]:
                self.assertEqual(n["service"], "redress.v1.ComplaintService")
                self.assertNotIn(n["method"], entries, "listed twice")
                entries[n["method"]] = mc
        self.assertEqual(set(entries), {m.name for m in service.methods})
        for m in service.methods:
            mc = entries[m.name]
            self.assertRegex(mc["timeout"], r"^\d+(\.\d+)?s$")
            self.assertEqual(mc["retryPolicy"]["retryableStatusCodes"], ["UNAVAILABLE"])
            if m.name.startswith(("Get", "List")):
                continue
            # A retried write is only safe because it carries a request_id.
            self.assertIn("request_id", m.input_type.fields_by_name, m.name)


class _FlakySubmit(complaint_service_pb2_grpc.ComplaintServiceServicer):
    """Fails the first `failures` SubmitComplaint calls with UNAVAILABLE."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.seen: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def SubmitComplaint(self, request, context):
        actor = dict(context.invocation_metadata()).get(rc.ACTOR_METADATA_KEY, "")
        with self.lock:
            self.seen.append((request.request_id, actor))
            attempt = len(self.seen)
        if attempt <= self.failures:
            context.abort(grpc.StatusCode.UNAVAILABLE, "database unreachable")
        return Complaint(name="complaints/x", etag=f"etag-{attempt}", state=Complaint.STATE_RECEIVED)


class Retries(unittest.TestCase):
    """The service config's retry policy, against an in-process fake server."""

    def serve(self, servicer) -> str:
        server = grpc.server(concurrent.futures.ThreadPoolExecutor(max_workers=4))
        complaint_service_pb2_grpc.add_ComplaintServiceServicer_to_server(servicer, server)
        port = server.add_insecure_port("127.0.0.1:0")
        server.start()
        self.addCleanup(server.stop, None)
        return f"127.0.0.1:{port}"

    def test_unavailable_is_retried_with_the_same_request_id(self) -> None:
        fake = _FlakySubmit(failures=2)
        with rc.RedressClient(self.serve(fake), actor=ACTOR) as client:
            c = client.submit(new_complaint())
        self.assertEqual(c.etag, "etag-3")
        self.assertEqual(len(fake.seen), 3)
        self.assertEqual(len({rid for rid, _ in fake.seen}), 1)
        self.assertTrue(all(actor == ACTOR for _, actor in fake.seen))

    def test_gives_up_after_max_attempts(self) -> None:
        fake = _FlakySubmit(failures=100)
        with rc.RedressClient(self.serve(fake), actor=ACTOR) as client:
            with self.assertRaises(rc.RedressError) as cm:
                client.submit(new_complaint())
        self.assertEqual(cm.exception.code, grpc.StatusCode.UNAVAILABLE)
        max_attempts = rc.load_service_config()["methodConfig"][1]["retryPolicy"]["maxAttempts"]
        self.assertEqual(len(fake.seen), max_attempts)

    def test_no_service_config_means_no_retry(self) -> None:
        fake = _FlakySubmit(failures=1)
        with rc.RedressClient(self.serve(fake), actor=ACTOR, service_config={}) as client:
            with self.assertRaises(rc.RedressError):
                client.submit(new_complaint())
        self.assertEqual(len(fake.seen), 1)


if __name__ == "__main__":
    unittest.main()
