"""Shared machinery of the reliability tests (tests/reliability/reliability.py).

- Servers: redressd processes started on a SQLite file or a PostgreSQL
  database (--port-file, development-mode identity), stopped with SIGTERM or
  killed with SIGKILL, restarted on the same port.
- Load: threads sending a mix of lifecycle transitions over shared complaints
  (so that they conflict), each with a fresh UUID request_id; EVERY request
  and its outcome is recorded in a Journal:
    ok        the server acknowledged it (the answer is kept),
    rejected  a definitive refusal (FAILED_PRECONDITION, ABORTED, ...): the
              server promises nothing was written,
    unknown   no definitive answer (UNAVAILABLE, DEADLINE_EXCEEDED, ...):
              it may or may not have been written; resolve() retries it with
              the same request_id until it is ok or rejected.
- Checks (check_database): read every complaint and event straight from the
  database and verify that every acknowledged request is present exactly
  once, with the sequence and etag it was answered with; that no event
  exists that was not requested or that was refused; that every chain is
  linear (sequences 1..n, prev_hash links) and explains the complaint's
  state and event_count; the ledger is dense; SQLite's integrity_check.
  audit_verify exports the trail through AuditService and runs
  `redressctl audit verify` on it (every hash and checkpoint).

Nothing here talks to anything but loopback; every wait is bounded.
"""
from __future__ import annotations

import collections
import concurrent.futures
import dataclasses
import os
import pathlib
import random
import shlex
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from typing import Dict, List, Optional, Sequence

import grpc

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "clients" / "python"))
from redress_stubs import ensure_stubs  # noqa: E402

_GEN = str(ensure_stubs())
if _GEN not in sys.path:
    sys.path.insert(0, _GEN)
from redress.v1 import complaint_pb2 as cpb  # noqa: E402
from redress.v1 import complaint_service_pb2 as spb  # noqa: E402
from redress.v1 import complaint_service_pb2_grpc as sgrpc  # noqa: E402

C = cpb.Complaint
S = {name[len("STATE_"):]: num for name, num in C.State.items()}
STATE_NAME = {v: k for k, v in S.items()}
OPEN_STATES = {S["RECEIVED"], S["ACKNOWLEDGED"], S["INVESTIGATING"], S["RESPONDED"], S["DISPUTED"]}

# Codes after which nothing was written (the server's contract, README
# "Errors"); anything else is "unknown" and must be retried.
DEFINITIVE = {
    grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.ABORTED,
    grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND,
    grpc.StatusCode.ALREADY_EXISTS, grpc.StatusCode.PERMISSION_DENIED,
    grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.OUT_OF_RANGE,
}
# Codes a client may legitimately see while the database or the server is
# in trouble. INTERNAL or UNKNOWN-with-a-request_id are not among them.
TRANSIENT = {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.RESOURCE_EXHAUSTED,
             grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.CANCELLED}

# Method -> event type it appends.
EVENT_TYPE = {
    "SubmitComplaint": "SUBMITTED", "AcknowledgeComplaint": "ACKNOWLEDGED",
    "AssessComplaint": "ASSESSED", "AssignComplaint": "ASSIGNED",
    "StartInvestigation": "INVESTIGATION_STARTED", "AddComplaintNote": "NOTE_ADDED",
    "EscalateComplaint": "ESCALATED", "RespondToComplaint": "RESPONDED",
    "RecordComplainantDecision": "COMPLAINANT_DECISION_RECORDED",
    "CloseComplaint": "CLOSED", "WithdrawComplaint": "WITHDRAWN",
}
GENESIS = "0" * 64


def log(tag: str, msg: str) -> None:
    print(f"[{tag}] {msg}", flush=True)


class TestFailure(Exception):
    pass


# ---------------------------------------------------------------------------
# Databases


class Database:
    """A fresh database for one test: a SQLite file or a PostgreSQL database
    on the server named by REDRESS_TEST_PG (scripts/with-postgres.sh)."""

    def __init__(self, backend: str, work: pathlib.Path, sqlite_dir: Optional[pathlib.Path] = None):
        self.backend = backend
        self.pg_db = None
        if backend == "sqlite":
            self.path = (sqlite_dir or work) / "redress.db"
            self.url = f"sqlite:{self.path}"
            return
        pg = os.environ.get("REDRESS_TEST_PG")
        if not pg:
            raise TestFailure("REDRESS_TEST_PG is not set: run under scripts/with-postgres.sh")
        self.pg = pg
        bin_dir = os.environ.get("REDRESS_TEST_PG_BIN", "/usr/lib/postgresql/15/bin")
        self.psql = os.path.join(bin_dir, "psql")
        self.pg_db = f"redress_rel_{os.getpid()}_{random.randrange(1 << 30)}"
        self.psql_run("postgres", f"CREATE DATABASE {self.pg_db}")
        self.url = f"postgresql://{pg} dbname={self.pg_db}"

    def psql_run(self, db: str, sql: str) -> str:
        r = subprocess.run([self.psql, f"{self.pg} dbname={db}", "-X", "-q", "-At", "-F", "\t",
                            "-v", "ON_ERROR_STOP=1", "-c", sql],
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise TestFailure(f"psql failed: {r.stderr.strip()}")
        return r.stdout

    def query(self, sql: str) -> List[tuple]:
        if self.backend == "sqlite":
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
            try:
                return con.execute(sql).fetchall()
            finally:
                con.close()
        out = self.psql_run(self.pg_db, sql)
        return [tuple(line.split("\t")) for line in out.splitlines() if line]

    def drop(self) -> None:
        if self.pg_db:
            try:
                self.psql_run("postgres", f"DROP DATABASE IF EXISTS {self.pg_db} WITH (FORCE)")
            except Exception as e:  # noqa: BLE001 - cleanup must go on
                print(f"warning: could not drop {self.pg_db}: {e}", file=sys.stderr)


class PgCluster:
    """Stops and starts the PostgreSQL server of scripts/with-postgres.sh
    (REDRESS_TEST_PG_BIN/_DATA/_USER) with the options it was started with."""

    def __init__(self):
        self.bin = os.environ["REDRESS_TEST_PG_BIN"]
        self.data = os.environ["REDRESS_TEST_PG_DATA"]
        self.user = os.environ.get("REDRESS_TEST_PG_USER", "")
        # postmaster.opts holds the command line of the running server.
        argv = shlex.split(pathlib.Path(self.data, "postmaster.opts").read_text())
        opts, i = [], 1
        while i < len(argv):
            if argv[i] == "-D":
                i += 2
                continue
            opts.append(argv[i])
            i += 1
        self.opts = " ".join(shlex.quote(o) for o in opts)
        self.log = str(pathlib.Path(self.data).parent / "server.log")

    def _pg_ctl(self, *args: str) -> None:
        cmd = [os.path.join(self.bin, "pg_ctl"), "-D", self.data, *args]
        if os.getuid() == 0:
            cmd = ["runuser", "-u", self.user, "--"] + cmd
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=90,
                           cwd=str(pathlib.Path(self.data).parent))
        if r.returncode != 0:
            raise TestFailure(f"pg_ctl {' '.join(args)} failed: {r.stdout}{r.stderr}")

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("-m", mode, "-w", "-t", "60", "stop")

    def start(self) -> None:
        self._pg_ctl("-l", self.log, "-w", "-t", "60", "-o", self.opts, "start")


# ---------------------------------------------------------------------------
# Servers


class Server:
    """One redressd process. The first start picks a free port; restarts
    reuse it so that clients find the server again."""

    def __init__(self, redressd: str, db: Database, work: pathlib.Path, name: str = "redressd",
                 extra: Sequence[str] = (), env: Optional[dict] = None):
        self.redressd = redressd
        self.db = db
        self.work = work
        self.name = name
        self.extra = list(extra)
        self.env = env
        self.proc: Optional[subprocess.Popen] = None
        self.port = 0
        self.log_path = work / f"{name}.log"
        self.starts = 0

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> None:
        port_file = self.work / f"{self.name}.port"
        if port_file.exists():
            port_file.unlink()
        cmd = [self.redressd, "--listen", f"127.0.0.1:{self.port}", "--database", self.db.url,
               "--port-file", str(port_file),
               "--signing-key", str(self.work / "signing-key.pem"),
               "--export-digest-key", str(self.work / "export-digest.key"),
               "--rate-limit-per-second", "1000000", *self.extra]
        if "--access-config" not in self.extra:
            cmd.append("--dev-allow-personal-data")  # development mode: exports, erasure
        with open(self.log_path, "ab") as logf:
            logf.write(f"=== start {time.strftime('%FT%TZ', time.gmtime())}\n".encode())
            logf.flush()
            self.proc = subprocess.Popen(cmd, stdout=logf, stderr=logf, env=self.env)
        self.starts += 1
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if port_file.exists() and port_file.read_text().strip():
                self.port = int(port_file.read_text().strip())
                return
            if self.proc.poll() is not None:
                raise TestFailure(f"{self.name} exited with {self.proc.returncode} before serving:\n"
                                  + self.tail())
            time.sleep(0.05)
        raise TestFailure(f"{self.name} did not serve within {timeout} s:\n{self.tail()}")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill9(self) -> None:
        if self.alive():
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)

    def terminate(self, timeout: float = 30) -> int:
        """SIGTERM; returns the exit status (fails if it does not exit)."""
        if not self.alive():
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill9()
            raise TestFailure(f"{self.name} did not exit within {timeout} s of SIGTERM")

    def cleanup(self) -> None:
        if self.alive():
            self.kill9()

    def tail(self, n: int = 30) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(lines[-n:])

    def pid(self) -> int:
        return self.proc.pid


def channel(target: str) -> grpc.Channel:
    return grpc.insecure_channel(target, options=[("grpc.enable_retries", 0),
                                                  ("grpc.initial_reconnect_backoff_ms", 100),
                                                  ("grpc.min_reconnect_backoff_ms", 100),
                                                  ("grpc.max_reconnect_backoff_ms", 500)])


# ---------------------------------------------------------------------------
# The journal of requests


@dataclasses.dataclass
class Req:
    rid: str
    method: str
    name: Optional[str]          # complaint name (None for Submit until answered)
    request: object              # the protobuf request, resent as is on retry
    etag: str = ""               # the etag precondition sent, if any
    outcome: str = "pending"     # pending | ok | rejected | unknown
    code: Optional[grpc.StatusCode] = None
    detail: str = ""
    answer: Optional["Ans"] = None
    t_start: float = 0.0
    t_end: float = 0.0
    attempts: int = 0
    violation: str = ""          # a broken promise seen on the wire
    actor: str = "retrier"       # who sent it: retries come from the same caller


class Journal:
    """Every request sent and its outcome. compact=True drops the request
    message once the outcome is definitive (long soaks), so those can no
    longer be replayed."""

    def __init__(self, compact: bool = False):
        self.mu = threading.Lock()
        self.reqs: Dict[str, Req] = {}
        self.codes = collections.Counter()
        self.compact = compact

    def add(self, r: Req) -> None:
        with self.mu:
            self.reqs[r.rid] = r

    def record(self, r: Req, code: Optional[grpc.StatusCode], detail: str, answer: Optional[C]) -> None:
        with self.mu:
            r.attempts += 1
            self.codes[code.name if code else "OK"] += 1
            if code is None:
                answer = summarize(answer)
                if r.outcome == "ok" and r.answer is not None and not same_answer(r.answer, answer):
                    r.violation = f"different answers to one request_id: {r.answer} then {answer}"
                r.outcome, r.code, r.answer = "ok", None, answer
                if r.name is None:
                    r.name = answer.name
            elif r.outcome == "ok":
                # An acknowledged request must keep its answer on retry.
                r.violation = f"acknowledged, then {code.name} on retry: {detail}"
            elif code in DEFINITIVE:
                r.outcome, r.code, r.detail = "rejected", code, detail
            else:
                r.outcome, r.code, r.detail = "unknown", code, detail
            if self.compact and r.outcome in ("ok", "rejected"):
                r.request = None

    def by_outcome(self, outcome: str) -> List[Req]:
        with self.mu:
            return [r for r in self.reqs.values() if r.outcome == outcome]


# What is kept of an answer: enough to find and check its event.
Ans = collections.namedtuple("Ans", "name etag event_count state")


def summarize(c: C) -> Ans:
    return Ans(c.name, c.etag, c.event_count, c.state)


def same_answer(a: Ans, b: Ans) -> bool:
    return a == b


# ---------------------------------------------------------------------------
# Load


def _complainant(i: int) -> cpb.Complainant:
    return cpb.Complainant(display_name=f"Load Tester {i}", email=f"load{i}@example.org",
                           preferred_channel=cpb.CHANNEL_EMAIL)


class Model:
    """What the load believes about each complaint (last answer seen). Stale
    beliefs are fine: they make conflicting requests."""

    def __init__(self):
        self.mu = threading.Lock()
        self.known: Dict[str, C] = {}
        self.open: List[str] = []

    def update(self, c: C) -> None:
        with self.mu:
            old = self.known.get(c.name)
            if old is not None and old.event_count > c.event_count:
                return
            self.known[c.name] = c
            if c.state in OPEN_STATES:
                if c.name not in self.open:
                    self.open.append(c.name)
            elif c.name in self.open:
                self.open.remove(c.name)

    def pick(self, rng: random.Random) -> Optional[C]:
        with self.mu:
            if not self.open:
                return None
            return self.known[rng.choice(self.open)]

    def open_count(self) -> int:
        with self.mu:
            return len(self.open)


def make_request(rng: random.Random, model: Model, pool_size: int, etag_prob: float, seq: List[int]):
    """(method, request, complaint name, etag) for the next call."""
    rid = str(uuid.uuid4())
    c = model.pick(rng) if model.open_count() >= pool_size or rng.random() > 0.3 else None
    if c is None or rng.random() < 0.04:
        seq[0] += 1
        i = seq[0]
        comp = C(complainant=_complainant(i), channel=rng.choice([cpb.CHANNEL_EMAIL, cpb.CHANNEL_WEB]),
                 category=rng.choice(["billing", "service", "delivery"]),
                 description=f"Reliability load complaint {i}: charged twice.",
                 remedy_sought="Refund")
        return "SubmitComplaint", spb.SubmitComplaintRequest(complaint=comp, request_id=rid), None, ""
    name = c.name
    etag = c.etag if rng.random() < etag_prob else ""
    st = c.state
    assessed = c.HasField("assessment")
    choices = [("AddComplaintNote", 3), ("AssignComplaint", 2), ("EscalateComplaint", 2),
               ("WithdrawComplaint", 0.15)]
    if st == S["RECEIVED"]:
        choices += [("AcknowledgeComplaint", 6), ("AssessComplaint", 2)]
    elif st == S["ACKNOWLEDGED"]:
        choices += [("AssessComplaint", 3 if not assessed else 0.5)]
        if assessed:
            choices += [("StartInvestigation", 5), ("RespondToComplaint", 1)]
    elif st == S["INVESTIGATING"]:
        choices += [("AssessComplaint", 0.5), ("RespondToComplaint", 4)]
    elif st == S["RESPONDED"]:
        choices += [("RecordComplainantDecision", 4), ("CloseComplaint", 1), ("StartInvestigation", 0.5)]
    total = sum(w for _, w in choices)
    x = rng.random() * total
    for method, w in choices:
        x -= w
        if x <= 0:
            break
    lv = lambda: rng.choice([cpb.LEVEL_LOW, cpb.LEVEL_MEDIUM, cpb.LEVEL_HIGH])  # noqa: E731
    common = dict(name=name, etag=etag, request_id=rid)
    if method == "AddComplaintNote":
        req = spb.AddComplaintNoteRequest(**common, text=f"note {rid[:8]}",
                                          visibility=spb.AddComplaintNoteRequest.VISIBILITY_INTERNAL)
    elif method == "AssignComplaint":
        req = spb.AssignComplaintRequest(**common, assignee=rng.choice(["alice", "bob", "carol"]))
    elif method == "EscalateComplaint":
        req = spb.EscalateComplaintRequest(**common, reason="taking too long")
    elif method == "WithdrawComplaint":
        req = spb.WithdrawComplaintRequest(**common, reason="no longer needed")
    elif method == "AcknowledgeComplaint":
        req = spb.AcknowledgeComplaintRequest(**common, message="Thank you, we are looking into it.")
    elif method == "AssessComplaint":
        req = spb.AssessComplaintRequest(**common, assessment=cpb.Assessment(
            severity=lv(), priority=lv(), complexity=lv(), impact=lv(), rationale="load"))
    elif method == "StartInvestigation":
        req = spb.StartInvestigationRequest(**common, plan="check the settlement file")
    elif method == "RespondToComplaint":
        req = spb.RespondToComplaintRequest(**common, response=cpb.Response(
            decision=cpb.Response.DECISION_UPHELD, text="We refunded it.",
            communicated_via=cpb.CHANNEL_EMAIL))
    elif method == "RecordComplainantDecision":
        outcome = rng.choice([cpb.ComplainantDecision.OUTCOME_ACCEPTED,
                              cpb.ComplainantDecision.OUTCOME_REJECTED])
        req = spb.RecordComplainantDecisionRequest(**common, decision=cpb.ComplainantDecision(
            outcome=outcome, comment="ok"))
    elif method == "CloseComplaint":
        req = spb.CloseComplaintRequest(**common, reason="no reply from the complainant")
    else:
        raise AssertionError(method)
    return method, req, name, etag


def call(stub, method: str, req, actor: str, timeout: float):
    """(code or None, detail, answer)."""
    try:
        ans = getattr(stub, method)(req, timeout=timeout, metadata=(("x-redress-actor", actor),))
        return None, "", ans
    except grpc.RpcError as e:
        return e.code(), e.details() or "", None


class Load:
    """`threads` workers sending requests round-robin over `targets` until
    stop(). Every request goes to the journal before it is sent."""

    def __init__(self, journal: Journal, model: Model, targets: Sequence[str], threads: int = 8,
                 pool_size: int = 30, etag_prob: float = 0.25, timeout: float = 5.0,
                 seed: Optional[int] = None, pace: float = 0.0):
        self.journal = journal
        self.model = model
        self.targets = list(targets)
        self.threads = threads
        self.pool_size = pool_size
        self.etag_prob = etag_prob
        self.timeout = timeout
        self.pace = pace
        self.seed = seed if seed is not None else random.randrange(1 << 30)
        self.stop_ev = threading.Event()
        self.workers: List[threading.Thread] = []
        self.channels = [channel(t) for t in self.targets]
        self.stubs = [sgrpc.ComplaintServiceStub(ch) for ch in self.channels]
        self.submit_seq = [0]
        self.latencies: List[tuple] = []  # (t_end, seconds, ok)
        self.lat_mu = threading.Lock()

    def _worker(self, k: int) -> None:
        rng = random.Random(self.seed * 1000 + k)
        actor = f"load-{k}"
        n = 0
        while not self.stop_ev.is_set():
            method, req, name, etag = make_request(rng, self.model, self.pool_size, self.etag_prob,
                                                   self.submit_seq)
            r = Req(rid=req.request_id, method=method, name=name, request=req, etag=etag,
                    actor=actor)
            self.journal.add(r)
            stub = self.stubs[(k + n) % len(self.stubs)]
            n += 1
            r.t_start = time.monotonic()
            code, detail, ans = call(stub, method, req, actor, self.timeout)
            r.t_end = time.monotonic()
            self.journal.record(r, code, detail, ans)
            with self.lat_mu:
                self.latencies.append((r.t_end, r.t_end - r.t_start, code is None))
            if ans is not None:
                self.model.update(ans)
            elif code == grpc.StatusCode.FAILED_PRECONDITION or code == grpc.StatusCode.ABORTED:
                self._refresh(stub, name, actor)
            elif code is not None and code not in DEFINITIVE:
                self.stop_ev.wait(0.05)  # the server or database is in trouble: back off a little
            if self.pace:
                self.stop_ev.wait(self.pace)

    def _refresh(self, stub, name: Optional[str], actor: str) -> None:
        if not name:
            return
        code, _, ans = call(stub, "GetComplaint", spb.GetComplaintRequest(name=name), actor, self.timeout)
        if ans is not None:
            self.model.update(ans)

    def start(self) -> "Load":
        for k in range(self.threads):
            t = threading.Thread(target=self._worker, args=(k,), daemon=True)
            t.start()
            self.workers.append(t)
        return self

    def stop(self) -> None:
        self.stop_ev.set()
        for t in self.workers:
            t.join(timeout=self.timeout + 10)
            if t.is_alive():
                raise TestFailure("a load worker did not stop")
        for ch in self.channels:
            ch.close()


def resolve(journal: Journal, targets: Sequence[str], tag: str, max_seconds: float = 60,
            parallel: int = 8) -> int:
    """Retries every `unknown` request with its own request_id (round-robin
    over targets, `parallel` at a time) until each is ok or rejected.
    Returns how many it retried; fails if some stay unresolved after
    max_seconds."""
    chans = [channel(t) for t in targets]
    stubs = [sgrpc.ComplaintServiceStub(ch) for ch in chans]
    pending = journal.by_outcome("unknown")
    total = len(pending)
    deadline = time.monotonic() + max_seconds

    def retry(i_r):
        i, r = i_r
        code, detail, ans = call(stubs[i % len(stubs)], r.method, r.request, r.actor, 10)
        journal.record(r, code, detail, ans)

    try:
        with concurrent.futures.ThreadPoolExecutor(parallel) as pool:
            while pending and time.monotonic() < deadline:
                list(pool.map(retry, enumerate(pending)))
                pending = [r for r in pending if r.outcome == "unknown"]
                if pending:
                    time.sleep(0.2)
    finally:
        for ch in chans:
            ch.close()
    if pending:
        raise TestFailure(f"{len(pending)} requests still unresolved after {max_seconds} s, e.g. "
                          f"{pending[0].method} {pending[0].rid}: {pending[0].code} {pending[0].detail}")
    return total


def replay_acked(journal: Journal, targets: Sequence[str], sample: int, rng: random.Random) -> int:
    """Re-sends a sample of acknowledged requests (same request_id): the
    answer must be the first one again and nothing new may be written."""
    acked = journal.by_outcome("ok")
    chosen = rng.sample(acked, min(sample, len(acked)))
    chans = [channel(t) for t in targets]
    stubs = [sgrpc.ComplaintServiceStub(ch) for ch in chans]
    try:
        for i, r in enumerate(chosen):
            code, detail, ans = call(stubs[i % len(stubs)], r.method, r.request, r.actor, 10)
            journal.record(r, code, detail, ans)
    finally:
        for ch in chans:
            ch.close()
    return len(chosen)


# ---------------------------------------------------------------------------
# Checks


@dataclasses.dataclass
class CheckResult:
    acked: int = 0
    lost: int = 0
    duplicated: int = 0
    chain_breaks: int = 0
    unexplained: int = 0
    unrequested: int = 0
    refused_written: int = 0
    answer_mismatch: int = 0
    lost_updates: int = 0
    conditional: int = 0
    ledger_errors: int = 0
    integrity: str = "n/a"
    complaints: int = 0
    events: int = 0
    problems: List[str] = dataclasses.field(default_factory=list)

    def bad(self) -> int:
        return (self.lost + self.duplicated + self.chain_breaks + self.unexplained + self.unrequested
                + self.refused_written + self.answer_mismatch + self.lost_updates + self.ledger_errors
                + (0 if self.integrity in ("ok", "n/a") else 1))

    def note(self, msg: str) -> None:
        if len(self.problems) < 20:
            self.problems.append(msg)


def check_database(db: Database, journal: Journal, extra_rids: Sequence[str] = (),
                   integrity: bool = True) -> CheckResult:
    """Every check that needs only the database and the journal (see the
    module docstring). `extra_rids`: request ids of writes made outside the
    journal (setup), which may appear in the trail."""
    res = CheckResult()
    complaints = {}
    for row in db.query("SELECT id, state, version, last_event_hash, body FROM complaints"):
        cid, state, version, last_hash, _ = row
        complaints[f"complaints/{cid}"] = (int(state), int(version), last_hash)
    events = collections.defaultdict(list)
    by_rid = collections.defaultdict(list)
    ledger = []
    for row in db.query("SELECT complaint_id, sequence, type, from_state, to_state, request_id, "
                        "prev_hash, hash, ledger_index FROM complaint_events"):
        cid, seq, typ, frm, to, rid, prev, h, li = row
        name = f"complaints/{cid}"
        ev = (int(seq), typ, int(frm), int(to), rid, prev, h)
        events[name].append(ev)
        by_rid[rid].append((name, ev))
        ledger.append(int(li) if li not in (None, "") else -1)
    res.complaints, res.events = len(complaints), len(ledger)

    # Chains: linear, explaining state and version.
    for name, (state, version, last_hash) in complaints.items():
        evs = sorted(events.get(name, []))
        seqs = [e[0] for e in evs]
        if seqs != list(range(1, len(evs) + 1)):
            res.chain_breaks += 1
            res.note(f"{name}: sequences {seqs[:10]}... are not 1..{len(evs)}")
            continue
        prev_hash, prev_state, ok = GENESIS, 0, True
        for seq, typ, frm, to, rid, prev, h in evs:
            if prev != prev_hash:
                res.chain_breaks += 1
                res.note(f"{name}/events/{seq}: prev_hash does not link to event {seq - 1}")
                ok = False
                break
            if frm != prev_state or (seq == 1) != (typ == "SUBMITTED"):
                res.unexplained += 1
                res.note(f"{name}/events/{seq}: {typ} from {frm} but the chain was in {prev_state}")
                ok = False
                break
            prev_hash, prev_state = h, to
        if not ok:
            continue
        if prev_state != state or version != len(evs) or last_hash != prev_hash:
            res.unexplained += 1
            res.note(f"{name}: state {state}/version {version} but events end in {prev_state} "
                     f"after {len(evs)} events")
    for name in events:
        if name not in complaints:
            res.unexplained += 1
            res.note(f"events of {name} but no complaint row")

    # Ledger: dense 0..n-1, head = n.
    ledger.sort()
    if ledger != list(range(len(ledger))):
        res.ledger_errors += 1
        res.note(f"ledger indexes are not dense 0..{len(ledger) - 1}")
    head = db.query("SELECT next_index FROM ledger_head")
    if len(head) != 1 or int(head[0][0]) != len(ledger):
        res.ledger_errors += 1
        res.note(f"ledger_head {head} but {len(ledger)} events")

    # Journal against the trail.
    with journal.mu:
        reqs = list(journal.reqs.values())
    requested = {r.rid for r in reqs} | set(extra_rids)
    for rid, evs in by_rid.items():
        if rid not in requested:
            res.unrequested += len(evs)
            res.note(f"event {evs[0][0]}/events/{evs[0][1][0]} has request_id {rid} nobody sent")
    for r in reqs:
        found = by_rid.get(r.rid, [])
        if r.outcome == "ok":
            res.acked += 1
            if r.violation:  # different answers, or acked then refused
                res.answer_mismatch += 1
                res.note(f"{r.method} {r.rid}: {r.violation}")
            if not found:
                res.lost += 1
                res.note(f"LOST: {r.method} {r.rid} on {r.name} was acknowledged "
                         f"(event_count {r.answer.event_count}) but is not in the trail")
                continue
            if len(found) > 1:
                res.duplicated += 1
                res.note(f"DUPLICATED: {r.method} {r.rid} appears {len(found)} times")
            name, (seq, typ, frm, to, rid, prev, h) = found[0]
            a = r.answer
            if (name != a.name or seq != a.event_count or h[:20] != a.etag or to != a.state
                    or typ != EVENT_TYPE[r.method]):
                res.answer_mismatch += 1
                res.note(f"{r.method} {r.rid}: answered {a.name} seq {a.event_count} etag {a.etag} "
                         f"state {a.state}, stored {name} seq {seq} {typ} hash {h[:20]} state {to}")
            if r.etag:
                res.conditional += 1
            if r.etag and prev[:20] != r.etag:
                res.lost_updates += 1
                res.note(f"LOST UPDATE: {r.method} {r.rid} was conditional on etag {r.etag} but "
                         f"follows {prev[:20]}")
        elif r.outcome == "rejected":
            if found:
                res.refused_written += 1
                res.note(f"{r.method} {r.rid} was refused ({r.code.name}: {r.detail}) but written")
        elif r.outcome in ("unknown", "pending"):
            if len(found) > 1:
                res.duplicated += 1
                res.note(f"DUPLICATED: {r.method} {r.rid} appears {len(found)} times")
    if not integrity:
        return res
    if db.backend == "sqlite":
        res.integrity = ",".join(str(x[0]) for x in db.query("PRAGMA integrity_check"))
    else:
        res.integrity = pg_amcheck(db)
    if res.integrity != "ok":
        res.note(f"integrity check: {res.integrity[:300]}")
    return res


def pg_amcheck(db: Database) -> str:
    """PostgreSQL's own consistency check (contrib amcheck): every B-tree
    index of the schema against its table (bt_index_check with
    heapallindexed), and every table's heap (verify_heapam). 'ok' or the
    problems found."""
    db.psql_run(db.pg_db, "CREATE EXTENSION IF NOT EXISTS amcheck")
    try:
        n = db.query(
            "SELECT count(bt_index_check(c.oid, true)) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE a.amname = 'btree' AND n.nspname = 'public'")
        if int(n[0][0]) == 0:
            return "amcheck found no indexes to check"
        bad = db.query(
            "SELECT c.relname, v.blkno, v.msg FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, "
            "LATERAL verify_heapam(c.oid) v WHERE n.nspname = 'public' AND c.relkind = 'r'")
    except TestFailure as e:
        return f"amcheck failed: {e}"
    if bad:
        return f"verify_heapam: {bad[:5]}"
    return "ok"


def selftest_checker(db: Database, journal: Journal) -> None:
    """The checks must be able to fail: feed check_database a journal with
    one broken promise of each kind and expect exactly that reported."""
    with journal.mu:
        acked = [r for r in journal.reqs.values() if r.outcome == "ok" and r.method != "SubmitComplaint"]
    if len(acked) < 3:
        raise TestFailure("checker self-test: not enough acknowledged writes")

    def variant(mutate):
        j = Journal()
        with journal.mu:
            j.reqs = {k: dataclasses.replace(v) for k, v in journal.reqs.items()}
        mutate(j)
        return check_database(db, j, integrity=False)

    a, b, d = acked[0], acked[1], acked[2]
    fake = Req(rid=str(uuid.uuid4()), method=a.method, name=a.name, request=None, outcome="ok",
               answer=a.answer)
    cases = {
        "lost": lambda j: j.reqs.__setitem__(fake.rid, dataclasses.replace(fake)),
        "unrequested": lambda j: j.reqs.pop(b.rid),
        "refused_written": lambda j: setattr(j.reqs[d.rid], "outcome", "rejected") or
        setattr(j.reqs[d.rid], "code", grpc.StatusCode.ABORTED),
        "answer_mismatch": lambda j: setattr(j.reqs[a.rid], "answer", a.answer._replace(etag="0" * 20)),
        "lost_updates": lambda j: setattr(j.reqs[a.rid], "etag", "f" * 20),
    }
    for field, mutate in cases.items():
        res = variant(mutate)
        if getattr(res, field) != 1:
            raise TestFailure(f"checker self-test: a journal with one '{field}' problem gave "
                              f"{field}={getattr(res, field)}")


def audit_verify(redressctl: str, target: str, work: pathlib.Path, tag: str) -> str:
    """Exports the whole trail through AuditService and verifies it (hashes,
    chains, checkpoints) with `redressctl audit verify`. Returns its verdict."""
    key = work / "key.pub"
    base = [redressctl, "--server", target, "--actor", "rel-auditor"]
    r = subprocess.run(base + ["audit", "public-key"], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise TestFailure(f"audit public-key failed: {r.stderr}")
    key.write_text(r.stdout)
    trail = work / "trail.jsonl"
    r = subprocess.run(base + ["audit", "export", "--format", "jsonl", "--out", str(trail)],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise TestFailure(f"audit export failed: {r.stderr}")
    r = subprocess.run([redressctl, "audit", "verify", str(trail), "--public-key", str(key)],
                       capture_output=True, text=True, timeout=300)
    verdict = (r.stdout.strip().splitlines() or [""])[-1]
    if r.returncode != 0:
        raise TestFailure(f"audit verify failed ({r.returncode}): {r.stdout[-2000:]}{r.stderr}")
    return verdict


def summary_line(test: str, backend: str, cycles: int, res: CheckResult, extra: str = "") -> str:
    return (f"RESULT {test} ({backend}): cycles={cycles} acknowledged_writes_checked={res.acked} "
            f"lost={res.lost} duplicated={res.duplicated} chain_breaks={res.chain_breaks} "
            f"unexplained_states={res.unexplained} unrequested={res.unrequested} "
            f"refused_but_written={res.refused_written} answer_mismatches={res.answer_mismatch} "
            f"lost_updates={res.lost_updates} conditional_writes_checked={res.conditional} ledger_errors={res.ledger_errors} "
            f"integrity={res.integrity} complaints={res.complaints} events={res.events}"
            + (f" {extra}" if extra else ""))
