#!/usr/bin/python3
"""Fault tests: nothing acknowledged is ever lost (issue #8).

    reliability.py SCENARIO --redressd PATH --redressctl PATH --backend sqlite|postgresql [options]

Scenarios (each prints one `RESULT ...` line and exits non-zero on any loss,
duplicate, chain break, unexplained state or protocol violation):

  kill9       load; SIGKILL redressd at a random moment; restart; retry every
              unanswered request with its request_id; check. --cycles N.
  pg-outage   load; stop PostgreSQL (fast / immediate, alternating); while it
              is down every call must fail UNAVAILABLE and redressd must stay
              up; start it; redressd must serve again within seconds; check.
  disk-full   SQLite on a small tmpfs the test mounts; fill it under load:
              only RESOURCE_EXHAUSTED/UNAVAILABLE, no crash, no corruption;
              free the space: service resumes; check.
  replicas    two redressd on one PostgreSQL database; many clients send
              conflicting transitions (and etag-conditional ones) on a few
              complaints, some sent to both replicas at once with the same
              request_id; no lost update, no fork, idempotent across replicas.
  graceful    load; SIGTERM: exit 0 within the grace period, in-flight calls
              answered or cleanly refused, nothing acknowledged lost. --cycles N.
  soak        mixed load for --seconds (default 1800): RSS, open fds, database
              size and latency sampled; report; fails if they are not flat.

The checks are in rel_lib.py (check_database, audit_verify).
"""
from __future__ import annotations

import argparse
import os
import pathlib
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback

import grpc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rel_lib as L  # noqa: E402

SKIP = 77  # ctest SKIP_RETURN_CODE


class Ctx:
    def __init__(self, args, tag: str):
        self.args = args
        self.tag = tag
        self.rng = random.Random(args.seed)
        self.work = pathlib.Path(tempfile.mkdtemp(prefix=f"redress-rel-{args.scenario}-"))
        self.servers: list[L.Server] = []
        self.dbs: list[L.Database] = []
        self.cleanups: list = []
        self.journal = L.Journal(compact=args.scenario == "soak")
        self.model = L.Model()

    def log(self, msg: str) -> None:
        L.log(self.tag, msg)

    def database(self, sqlite_dir=None) -> L.Database:
        db = L.Database(self.args.backend, self.work, sqlite_dir)
        self.dbs.append(db)
        return db

    def server(self, db: L.Database, name: str = "redressd", extra=(), env=None) -> L.Server:
        s = L.Server(self.args.redressd, db, self.work, name, extra, env)
        self.servers.append(s)
        return s

    def check(self, db: L.Database, what: str) -> L.CheckResult:
        res = L.check_database(db, self.journal)
        if res.bad():
            for p in res.problems:
                self.log(f"PROBLEM: {p}")
            raise L.TestFailure(f"{what}: {L.summary_line(self.args.scenario, self.args.backend, 0, res)}")
        return res

    def cleanup(self) -> None:
        for s in self.servers:
            s.cleanup()
        for fn in reversed(self.cleanups):
            try:
                fn()
            except Exception as e:  # noqa: BLE001
                print(f"[{self.tag}] cleanup: {e}", file=sys.stderr)
        for db in self.dbs:
            db.drop()
        if os.environ.get("KEEP_WORK"):
            print(f"[{self.tag}] work directory kept: {self.work}", file=sys.stderr)
        else:
            subprocess.run(["rm", "-rf", str(self.work)], check=False)


def codes_between(journal: L.Journal, t0: float, t1: float):
    """First-attempt outcomes of requests sent and answered within [t0, t1]."""
    with journal.mu:
        return [r for r in journal.reqs.values() if r.t_start >= t0 and r.t_end <= t1 and r.t_end > 0]


class ReadProber:
    """A thread reading (GetComplaint, ListComplaints) every `period` s and
    recording (start, end, code) of each read."""

    def __init__(self, target: str, model: L.Model, period: float = 0.05):
        self.ch = L.channel(target)
        self.stub = L.sgrpc.ComplaintServiceStub(self.ch)
        self.model = model
        self.period = period
        self.samples = []
        self.stop_ev = threading.Event()
        self.t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        rng = random.Random(7)
        while not self.stop_ev.is_set():
            c = self.model.pick(rng)
            if c is not None and rng.random() < 0.7:
                method, req = "GetComplaint", L.spb.GetComplaintRequest(name=c.name)
            else:
                method, req = "ListComplaints", L.spb.ListComplaintsRequest(page_size=5)
            t0 = time.monotonic()
            code, _, _ = L.call(self.stub, method, req, "prober", 5)
            self.samples.append((t0, time.monotonic(), code))
            self.stop_ev.wait(self.period)

    def start(self):
        self.t.start()
        return self

    def stop(self):
        self.stop_ev.set()
        self.t.join(timeout=15)
        self.ch.close()

    def between(self, t0, t1):
        return [code for (s, e, code) in self.samples if s >= t0 and e <= t1]


def check_splits(db: L.Database, splits) -> list:
    """A twin request answered OK by one replica and refused by the other is
    legal only if the refusal saw the complaint BEFORE the OK's event: the
    state named by a FAILED_PRECONDITION (or the etag named by an ABORTED)
    must be one the complaint had before that event. Returns the illegal ones."""
    illegal = []
    for r, (code, detail, _) in splits:
        cid = r.answer.name.split("/", 1)[1]
        evs = sorted((int(seq), int(to), h) for seq, to, h in db.query(
            f"SELECT sequence, to_state, hash FROM complaint_events WHERE complaint_id = '{cid}'"))
        k = r.answer.event_count
        before = [e for e in evs if e[0] < k]
        if code == grpc.StatusCode.FAILED_PRECONDITION and " in state " in detail:
            name = detail.split(" in state ", 1)[1].split(":", 1)[0].strip()
            ok = any(L.STATE_NAME.get(to) == name for _, to, _ in before)
        elif code == grpc.StatusCode.ABORTED and "current etag " in detail:
            etag = detail.split("current etag ", 1)[1].split(")", 1)[0].strip()
            ok = any(h[:20] == etag for _, _, h in before)
        else:
            ok = False
        if not ok:
            illegal.append(f"{r.method} {r.rid} on {r.answer.name}: OK as event {k}, refused "
                           f"{code.name}: {detail}")
    return illegal


def written_rids(db: L.Database, rids) -> set:
    """The request ids among `rids` that have an event in the trail."""
    want = set(rids)
    if not want:
        return set()
    return {row[0] for row in db.query("SELECT request_id FROM complaint_events") if row[0] in want}


def wait_for_ok_after(journal: L.Journal, t: float, timeout: float) -> float:
    """Seconds from t to the first acknowledged request sent after t."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with journal.mu:
            oks = [r.t_end for r in journal.reqs.values()
                   if r.outcome == "ok" and r.t_start >= t and r.t_end > 0]
        if oks:
            return min(oks) - t
        time.sleep(0.05)
    raise L.TestFailure(f"no call succeeded within {timeout} s")


# ---------------------------------------------------------------------------


def scenario_kill9(c: Ctx) -> str:
    a = c.args
    db = c.database()
    srv = c.server(db, extra=["--checkpoint-events", "200"])
    srv.start()
    retried_total = committed_total = 0
    for cycle in range(1, a.cycles + 1):
        load = L.Load(c.journal, c.model, [srv.target], threads=a.threads, seed=c.rng.randrange(1 << 30)).start()
        at = c.rng.uniform(a.min_run, a.max_run)
        time.sleep(at)
        srv.kill9()
        load.stop()
        # Unanswered but already durable: the kill fell between commit and answer.
        unanswered = [r.rid for r in c.journal.by_outcome("unknown")]
        committed = len(written_rids(db, unanswered))
        committed_total += committed
        srv.start()
        retried = L.resolve(c.journal, [srv.target], c.tag)
        retried_total += retried
        res = c.check(db, f"cycle {cycle}")
        c.log(f"cycle {cycle}: killed after {at:.2f} s; {retried} unanswered requests ({committed} of them "
              f"committed before the kill) retried; "
              f"{res.acked} acknowledged writes checked, {res.events} events, 0 lost")
    replayed = L.replay_acked(c.journal, [srv.target], 200, c.rng)
    res = c.check(db, "after replaying acknowledged requests")
    L.selftest_checker(db, c.journal)
    verdict = L.audit_verify(a.redressctl, srv.target, c.work, c.tag)
    c.log(f"audit: {verdict}")
    rc = srv.terminate()
    if rc != 0:
        raise L.TestFailure(f"redressd exited {rc} after SIGTERM")
    res = c.check(db, "after shutdown")
    return L.summary_line("kill9", a.backend, a.cycles, res,
                          f"retried_unanswered={retried_total} committed_but_unanswered={committed_total} "
                          f"replayed_acknowledged={replayed} "
                          f"codes={dict(c.journal.codes)}")


def scenario_graceful(c: Ctx) -> str:
    a = c.args
    db = c.database()
    grace = 3
    srv = c.server(db, extra=["--shutdown-grace-seconds", str(grace)])
    srv.start()
    unclean = {}
    seen = set()
    grpc_cancelled = 0
    in_flight_total = in_flight_finished = 0
    for cycle in range(1, a.cycles + 1):
        load = L.Load(c.journal, c.model, [srv.target], threads=a.threads, seed=c.rng.randrange(1 << 30)).start()
        time.sleep(c.rng.uniform(a.min_run, a.max_run))
        t0 = time.monotonic()
        with c.journal.mu:
            started = [r for r in c.journal.reqs.values() if r.t_end == 0 and r.t_start > 0]
        rc = srv.terminate(timeout=grace + 20)
        took = time.monotonic() - t0
        load.stop()
        if rc != 0:
            raise L.TestFailure(f"cycle {cycle}: redressd exited {rc} after SIGTERM:\n{srv.tail()}")
        if took > grace + 10:
            raise L.TestFailure(f"cycle {cycle}: SIGTERM took {took:.1f} s (grace {grace} s)")
        # Calls in flight at SIGTERM: answered, or refused with UNAVAILABLE
        # and not written. Known gRPC behaviour (grpc/grpc#41785, still in
        # 1.51): a call that arrived but was not yet handed to a handler when
        # shutdown began ends CANCELLED although the server never ran it;
        # counted apart, and checked not written. A call that was committed
        # but not answered, or ended with any other code, fails the test.
        with c.journal.mu:
            unanswered = [r for r in c.journal.reqs.values()
                          if r.outcome == "unknown" and r.rid not in seen]
        committed = written_rids(db, [r.rid for r in unanswered])
        for r in unanswered:
            seen.add(r.rid)
            if r.rid in committed:
                k = f"committed but answered {r.code.name}"
            elif r.code == grpc.StatusCode.UNAVAILABLE:
                continue
            elif r.code == grpc.StatusCode.CANCELLED:
                grpc_cancelled += 1
                continue
            else:
                k = r.code.name
            unclean[k] = unclean.get(k, 0) + 1
            c.log(f"cycle {cycle}: UNCLEAN: {r.method} {r.rid}: {k} {r.detail}")
        res = c.check(db, f"cycle {cycle} (server stopped)")
        finished = sum(1 for r in started if r.outcome in ("ok", "rejected"))
        in_flight_total += len(started)
        in_flight_finished += finished
        srv.start()
        retried = L.resolve(c.journal, [srv.target], c.tag)
        res = c.check(db, f"cycle {cycle}")
        c.log(f"cycle {cycle}: SIGTERM exit 0 in {took:.2f} s; {finished} of {len(started)} calls in "
              f"flight at SIGTERM answered; {retried} refused calls retried; "
              f"{res.acked} acknowledged writes checked, 0 lost")
    verdict = L.audit_verify(a.redressctl, srv.target, c.work, c.tag)
    c.log(f"audit: {verdict}")
    srv.terminate()
    res = c.check(db, "final")
    line = L.summary_line("graceful", a.backend, a.cycles, res,
                          f"in_flight_at_sigterm={in_flight_total} in_flight_answered={in_flight_finished} "
                          f"unclean_refusals={sum(unclean.values())} "
                          f"cancelled_unstarted_not_written={grpc_cancelled} codes={dict(c.journal.codes)}")
    if unclean:
        raise L.TestFailure(f"calls in flight at SIGTERM ended with other codes than OK or "
                            f"UNAVAILABLE: {unclean}\n{line}")
    return line


def scenario_pg_outage(c: Ctx) -> str:
    a = c.args
    if a.backend != "postgresql":
        raise L.TestFailure("pg-outage needs --backend postgresql")
    pg = L.PgCluster()
    db = c.database()
    srv = c.server(db)
    srv.start()
    reconnects = []
    down_calls = 0
    down_reads = 0
    for cycle in range(1, a.cycles + 1):
        mode = "fast" if cycle % 2 else "immediate"
        load = L.Load(c.journal, c.model, [srv.target], threads=a.threads, seed=c.rng.randrange(1 << 30)).start()
        prober = ReadProber(srv.target, c.model).start()
        time.sleep(c.rng.uniform(a.min_run, a.max_run))
        pg.stop(mode)
        t_down = time.monotonic()
        c.cleanups.append(pg.start)  # restart it even if we fail below
        time.sleep(a.outage)
        t_up0 = time.monotonic()
        if not srv.alive():
            raise L.TestFailure(f"redressd died while PostgreSQL was down:\n{srv.tail()}")
        pg.start()
        c.cleanups.remove(pg.start)
        t_up = time.monotonic()
        try:
            took = wait_for_ok_after(c.journal, t_up, 30)
        except L.TestFailure:
            raise L.TestFailure(f"redressd did not serve again within 30 s of PostgreSQL's return:\n"
                                f"{srv.tail()}")
        reconnects.append(took)
        time.sleep(0.5)
        load.stop()
        prober.stop()
        if not srv.alive():
            raise L.TestFailure(f"redressd died:\n{srv.tail()}")
        reads = prober.between(t_down, t_up0)
        bad_reads = [code for code in reads if code != grpc.StatusCode.UNAVAILABLE]
        if bad_reads or not reads:
            raise L.TestFailure(f"reads while PostgreSQL was down: {len(reads)}, of which not "
                                f"UNAVAILABLE: {[x.name if x else 'OK' for x in bad_reads][:10]}")
        reads_after = [code for (s0, e0, code) in prober.samples if s0 >= t_up + took + 0.2]
        if not reads_after or any(code is not None for code in reads_after):
            raise L.TestFailure(f"reads after PostgreSQL returned: {[x.name if x else 'OK' for x in reads_after][:10]}")
        down_reads += len(reads)
        during = codes_between(c.journal, t_down, t_up0)
        down_calls += len(during)
        oks = [r for r in during if r.outcome == "ok"]
        if oks:
            raise L.TestFailure(f"{len(oks)} calls answered OK while PostgreSQL was down, e.g. {oks[0].method}")
        other = [r for r in during if r.code != grpc.StatusCode.UNAVAILABLE]
        if other:
            raise L.TestFailure(f"{len(other)} calls failed with another code than UNAVAILABLE while "
                                f"PostgreSQL was down, e.g. {other[0].method}: {other[0].code} {other[0].detail}")
        if len(during) < 5:
            raise L.TestFailure(f"only {len(during)} calls were made while PostgreSQL was down")
        retried = L.resolve(c.journal, [srv.target], c.tag)
        res = c.check(db, f"cycle {cycle}")
        c.log(f"cycle {cycle}: PostgreSQL stopped ({mode}) {a.outage:.1f} s; {len(during)} writes and "
              f"{len(reads)} reads during the outage, all UNAVAILABLE; serving again {took:.2f} s after it returned; "
              f"{retried} retried; {res.acked} acknowledged writes checked, 0 lost")
    verdict = L.audit_verify(a.redressctl, srv.target, c.work, c.tag)
    c.log(f"audit: {verdict}")
    if srv.terminate() != 0:
        raise L.TestFailure("redressd did not exit 0 after SIGTERM")
    res = c.check(db, "final")
    return L.summary_line("pg-outage", a.backend, a.cycles, res,
                          f"writes_during_outage={down_calls} reads_during_outage={down_reads} ok_during_outage=0 "
                          f"max_reconnect_s={max(reconnects):.2f}")


def scenario_disk_full(c: Ctx) -> str:
    a = c.args
    if a.backend != "sqlite":
        raise L.TestFailure("disk-full runs on SQLite (--backend sqlite)")
    mnt = c.work / "fs"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={a.fs_mb}m", "tmpfs", str(mnt)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        c.log(f"SKIP: cannot mount a tmpfs here ({r.stderr.strip()}); this test needs root "
              f"(CAP_SYS_ADMIN)")
        return ""
    c.cleanups.append(lambda: subprocess.run(["umount", "-l", str(mnt)], check=False))
    db = c.database(sqlite_dir=mnt)
    srv = c.server(db)
    srv.start()
    filler = mnt / "filler"
    full_codes = {}
    for cycle in range(1, a.cycles + 1):
        load = L.Load(c.journal, c.model, [srv.target], threads=a.threads, seed=c.rng.randrange(1 << 30)).start()
        time.sleep(1.0)
        # Fill the filesystem to the last byte.
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            for size in (1 << 20, 65536, 4096, 512, 1):
                try:
                    while True:
                        os.write(fd, b"\0" * size)
                except OSError:
                    pass
        finally:
            os.close(fd)
        t_full = time.monotonic()
        # Wait for the server to run into it.
        deadline = t_full + 30
        first_err = None
        while time.monotonic() < deadline and first_err is None:
            with c.journal.mu:
                errs = [r for r in c.journal.reqs.values() if r.t_start >= t_full
                        and r.code in (grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.UNAVAILABLE)]
            if errs:
                first_err = min(r.t_end for r in errs)
            time.sleep(0.1)
        if first_err is None:
            raise L.TestFailure("the server never reported the full disk within 30 s")
        time.sleep(a.outage)
        t_free = time.monotonic()
        if not srv.alive():
            raise L.TestFailure(f"redressd died on the full disk:\n{srv.tail()}")
        filler.unlink()
        st = os.statvfs(mnt)
        if st.f_bavail < st.f_blocks // 3:
            raise L.TestFailure(f"the database alone fills {100 - 100 * st.f_bavail // st.f_blocks}% of "
                                f"the {a.fs_mb} MiB test filesystem: use a larger --fs-mb")
        took = wait_for_ok_after(c.journal, t_free, 30)
        time.sleep(0.5)
        load.stop()
        if not srv.alive():
            raise L.TestFailure(f"redressd died:\n{srv.tail()}")
        during = codes_between(c.journal, first_err, t_free)
        for r in during:
            k = r.code.name if r.code else "OK"
            full_codes[k] = full_codes.get(k, 0) + 1
        bad = [r for r in during if r.code is not None and r.code not in L.DEFINITIVE
               and r.code not in (grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.UNAVAILABLE)]
        if bad:
            raise L.TestFailure(f"{len(bad)} calls failed uncleanly on the full disk, e.g. "
                                f"{bad[0].method}: {bad[0].code} {bad[0].detail}")
        retried = L.resolve(c.journal, [srv.target], c.tag)
        res = c.check(db, f"cycle {cycle}")
        c.log(f"cycle {cycle}: disk full {a.outage:.1f} s, {len(during)} calls meanwhile "
              f"({full_codes}); serving again {took:.2f} s after space returned; {retried} retried; "
              f"{res.acked} acknowledged writes checked, integrity {res.integrity}")
    verdict = L.audit_verify(a.redressctl, srv.target, c.work, c.tag)
    c.log(f"audit: {verdict}")
    if srv.terminate() != 0:
        raise L.TestFailure("redressd did not exit 0 after SIGTERM")
    res = c.check(db, "final")
    return L.summary_line("disk-full", a.backend, a.cycles, res, f"codes_while_full={full_codes}")


def scenario_replicas(c: Ctx) -> str:
    a = c.args
    if a.backend != "postgresql":
        raise L.TestFailure("replicas needs --backend postgresql")
    db = c.database()
    s1 = c.server(db, "replica-a")
    s1.start()  # migrates
    s2 = c.server(db, "replica-b")
    s2.start()
    targets = [s1.target, s2.target]
    dup = {"pairs": 0, "both_ok": 0, "split": 0}
    splits = []
    stop = threading.Event()

    # Besides the load, a thread sends the same request (same request_id) to
    # both replicas at once, on the same few complaints.
    def twins():
        chans = [L.channel(t) for t in targets]
        stubs = [L.sgrpc.ComplaintServiceStub(ch) for ch in chans]
        rng = random.Random(c.rng.randrange(1 << 30))
        seq = [1000000]
        while not stop.is_set():
            method, req, name, etag = L.make_request(rng, c.model, a.pool, 0.3, seq)
            r = L.Req(rid=req.request_id, method=method, name=name, request=req, etag=etag,
                      actor="twin")
            c.journal.add(r)
            r.t_start = time.monotonic()
            md = (("x-redress-actor", "twin"),)
            futs = [getattr(st, method).future(req, timeout=10, metadata=md) for st in stubs]
            outs = []
            for f in futs:
                try:
                    outs.append((None, "", f.result()))
                except grpc.RpcError as e:
                    outs.append((e.code(), e.details() or "", None))
            r.t_end = time.monotonic()
            # Both OK: the answers must be identical (Journal.record checks).
            # One OK and one refused is a legitimate serial order (the
            # refusal ran first and wrote nothing; refusals leave no
            # idempotency record), so only the OK is journaled and the split
            # is counted. The trail must then hold the request exactly once.
            oks = [o for o in outs if o[0] is None]
            if oks and len(oks) < len(outs) and any(o[0] in L.DEFINITIVE for o in outs):
                dup["split"] += 1
                splits.append((r, next(o for o in outs if o[0] in L.DEFINITIVE)))
            for code, detail, ans in (oks or outs):
                c.journal.record(r, code, detail, ans)
                if ans is not None:
                    c.model.update(ans)
            dup["pairs"] += 1
            dup["both_ok"] += all(o[0] is None for o in outs)
        for ch in chans:
            ch.close()

    load = L.Load(c.journal, c.model, targets, threads=a.threads, pool_size=a.pool, etag_prob=0.4,
                  seed=c.rng.randrange(1 << 30)).start()
    tw = [threading.Thread(target=twins, daemon=True) for _ in range(2)]
    for t in tw:
        t.start()
    # Halfway, SIGKILL replica A under load and restart it: its unanswered
    # requests are retried (below) on both replicas.
    kills = 0
    time.sleep(a.seconds / 2)
    s1.kill9()
    kills += 1
    time.sleep(min(2.0, a.seconds / 4))
    s1.start()
    time.sleep(a.seconds / 2)
    stop.set()
    for t in tw:
        t.join(timeout=30)
    load.stop()
    retried = L.resolve(c.journal, targets, c.tag)
    replayed = L.replay_acked(c.journal, list(reversed(targets)), 300, c.rng)
    res = c.check(db, "replicas")
    # The split check can fail: a refusal naming the etag the OK produced
    # (i.e. evaluated after the commit) must be reported.
    with c.journal.mu:
        sample = next((r for r in c.journal.reqs.values() if r.outcome == "ok" and r.answer.event_count > 1), None)
    if sample is None or len(check_splits(db, [(sample, (grpc.StatusCode.ABORTED, f"etag: changed "
                                                 f"(current etag {sample.answer.etag}); read it", None))])) != 1:
        raise L.TestFailure("split-check self-test: a refusal after the commit was not reported")
    illegal = check_splits(db, splits)
    if illegal:
        raise L.TestFailure(f"{len(illegal)} twin requests were refused after the same request_id "
                            f"had committed (idempotency broken), e.g. {illegal[0]}")
    conflicts = c.journal.codes.get("ABORTED", 0) + c.journal.codes.get("FAILED_PRECONDITION", 0)
    if conflicts == 0:
        raise L.TestFailure("the load made no conflicting requests: the test proves nothing")
    verdict = L.audit_verify(a.redressctl, s2.target, c.work, c.tag)
    c.log(f"audit: {verdict}")
    for s in (s1, s2):
        if s.terminate() != 0:
            raise L.TestFailure(f"{s.name} did not exit 0 after SIGTERM")
    return L.summary_line("replicas", a.backend, 1, res,
                          f"twin_requests={dup['pairs']} twin_both_ok={dup['both_ok']} "
                          f"twin_ok_and_refused_before_commit={dup['split']} replica_kills={kills} "
                          f"replayed_across_replicas={replayed} retried={retried} "
                          f"conflicts_refused={conflicts} codes={dict(c.journal.codes)}")


def scenario_soak(c: Ctx) -> str:
    a = c.args
    db = c.database()
    srv = c.server(db)
    srv.start()
    load = L.Load(c.journal, c.model, [srv.target], threads=a.threads, pool_size=200,
                  seed=c.rng.randrange(1 << 30), pace=a.pace).start()
    samples = []
    t0 = time.monotonic()
    last_n = 0

    def db_bytes():
        if a.backend == "sqlite":
            return sum(os.path.getsize(p) for p in (str(db.path), f"{db.path}-wal")
                       if os.path.exists(p))
        return int(db.query(f"SELECT pg_database_size('{db.pg_db}')")[0][0])

    try:
        while time.monotonic() - t0 < a.seconds:
            time.sleep(min(a.sample, max(0.1, a.seconds - (time.monotonic() - t0))))
            if not srv.alive():
                raise L.TestFailure(f"redressd died during the soak:\n{srv.tail()}")
            status = pathlib.Path(f"/proc/{srv.pid()}/status").read_text()
            rss_kb = int(next(l for l in status.splitlines() if l.startswith("VmRSS:")).split()[1])
            fds = len(os.listdir(f"/proc/{srv.pid()}/fd"))
            with load.lat_mu:
                window = load.latencies[last_n:]
                last_n = len(load.latencies)
            lat = sorted(x[1] for x in window)
            p50 = lat[len(lat) // 2] * 1000 if lat else 0
            p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else 0
            events = int(db.query("SELECT next_index FROM ledger_head")[0][0])
            s = dict(t=time.monotonic() - t0, rss_mb=rss_kb / 1024, fds=fds, db_mb=db_bytes() / 2**20,
                     events=events, calls=len(window), p50_ms=p50, p99_ms=p99)
            samples.append(s)
            c.log("t={t:7.0f}s rss={rss_mb:7.1f}MB fds={fds:4d} db={db_mb:8.2f}MB events={events:8d} "
                  "calls={calls:6d} p50={p50_ms:6.1f}ms p99={p99_ms:6.1f}ms".format(**s))
    finally:
        load.stop()
    retried = L.resolve(c.journal, [srv.target], c.tag)
    res = c.check(db, "soak")
    verdict = L.audit_verify(a.redressctl, srv.target, c.work, c.tag)
    if srv.terminate() != 0:
        raise L.TestFailure("redressd did not exit 0 after SIGTERM")

    # Flatness: compare the second quarter (after warm-up) with the last.
    n = len(samples)
    if n < 8:
        raise L.TestFailure(f"only {n} samples: run longer or sample more often")
    q2 = samples[n // 4: n // 2]
    q4 = samples[3 * n // 4:]
    med = lambda xs, k: statistics.median(x[k] for x in xs)  # noqa: E731
    mx = lambda xs, k: max(x[k] for x in xs)  # noqa: E731
    # Growth per event written within the quarter (the database grows with
    # the data; its growth per event must not).
    per_event = lambda xs: ((xs[-1]["db_mb"] - xs[0]["db_mb"]) * 2**20  # noqa: E731
                            / max(1, xs[-1]["events"] - xs[0]["events"]))
    verdicts = {
        "rss": (mx(q4, "rss_mb") <= mx(q2, "rss_mb") * 1.2 + 16,
                f"max RSS {mx(q2, 'rss_mb'):.1f} MB (2nd quarter) -> {mx(q4, 'rss_mb'):.1f} MB (last quarter)"),
        "fds": (mx(q4, "fds") <= mx(q2, "fds") + 8,
                f"max open fds {mx(q2, 'fds')} -> {mx(q4, 'fds')}"),
        "latency": (med(q4, "p99_ms") <= 2 * med(q2, "p99_ms") + 20 and
                    med(q4, "p50_ms") <= 2 * med(q2, "p50_ms") + 5,
                    f"median p50 {med(q2, 'p50_ms'):.1f} -> {med(q4, 'p50_ms'):.1f} ms, "
                    f"median p99 {med(q2, 'p99_ms'):.1f} -> {med(q4, 'p99_ms'):.1f} ms"),
        "db_size": (per_event(q4) <= per_event(q2) * 1.5 + 512,
                    f"database growth per event written {per_event(q2):.0f} -> {per_event(q4):.0f} bytes "
                    f"({samples[-1]['db_mb']:.1f} MB for {samples[-1]['events']} events)"),
        "throughput": (med(q4, "calls") >= 0.5 * med(q2, "calls"),
                       f"calls per sample {med(q2, 'calls'):.0f} -> {med(q4, 'calls'):.0f}"),
    }
    report = [f"# Soak report ({a.backend}, {a.seconds:.0f} s, {a.threads} threads, pace {a.pace} s)", "",
              "| t (s) | RSS (MB) | fds | DB (MB) | events | calls | p50 (ms) | p99 (ms) |",
              "|---|---|---|---|---|---|---|---|"]
    for s in samples:
        report.append("| {t:.0f} | {rss_mb:.1f} | {fds} | {db_mb:.2f} | {events} | {calls} | "
                      "{p50_ms:.1f} | {p99_ms:.1f} |".format(**s))
    report += ["", "| measure | flat | detail |", "|---|---|---|"]
    for k, (ok, detail) in verdicts.items():
        report.append(f"| {k} | {'yes' if ok else 'NO'} | {detail} |")
    report += ["", f"audit: {verdict}", L.summary_line("soak", a.backend, 1, res)]
    text = "\n".join(report) + "\n"
    if a.report:
        pathlib.Path(a.report).write_text(text)
        c.log(f"report written to {a.report}")
    print(text)
    not_flat = [k for k, (ok, _) in verdicts.items() if not ok]
    if not_flat:
        raise L.TestFailure(f"not flat: {', '.join(not_flat)}")
    return L.summary_line("soak", a.backend, 1, res, f"duration_s={a.seconds:.0f} retried={retried} "
                          + " ".join(f"{k}=flat" for k in verdicts))


SCENARIOS = {"kill9": scenario_kill9, "graceful": scenario_graceful, "pg-outage": scenario_pg_outage,
             "disk-full": scenario_disk_full, "replicas": scenario_replicas, "soak": scenario_soak}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", choices=sorted(SCENARIOS))
    p.add_argument("--redressd", required=True)
    p.add_argument("--redressctl", required=True)
    p.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    p.add_argument("--cycles", type=int, default=3)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--min-run", type=float, default=0.5, help="least load time before the fault (s)")
    p.add_argument("--max-run", type=float, default=2.0, help="most load time before the fault (s)")
    p.add_argument("--outage", type=float, default=2.0, help="how long the fault lasts (s)")
    p.add_argument("--seconds", type=float, default=None, help="replicas / soak duration (s)")
    p.add_argument("--pool", type=int, default=6, help="replicas: complaints shared by all clients")
    p.add_argument("--fs-mb", type=int, default=64, help="disk-full: tmpfs size (MiB)")
    p.add_argument("--sample", type=float, default=10, help="soak: sampling period (s)")
    p.add_argument("--pace", type=float, default=0.0, help="soak: pause per call per thread (s)")
    p.add_argument("--report", help="soak: write the report here too")
    p.add_argument("--seed", type=int, default=None)
    a = p.parse_args()
    if a.seed is None:
        a.seed = random.randrange(1 << 30)
    if a.seconds is None:
        a.seconds = float(os.environ.get("SOAK_SECONDS", 1800)) if a.scenario == "soak" else 8.0
    tag = f"reliability {a.scenario} ({a.backend})"
    if a.backend == "postgresql" and not os.environ.get("REDRESS_TEST_PG"):
        print(f"[{tag}] FAIL: REDRESS_TEST_PG is not set (run under scripts/with-postgres.sh)")
        return 1
    c = Ctx(a, tag)
    c.log(f"seed {a.seed}, work {c.work}")
    t0 = time.monotonic()
    try:
        line = SCENARIOS[a.scenario](c)
        if not line:
            return SKIP
        print(f"{line} seconds={time.monotonic() - t0:.1f}", flush=True)
        return 0
    except L.TestFailure as e:
        print(f"[{tag}] FAIL: {e}", flush=True)
        for s in c.servers:
            print(f"--- {s.name} log (last lines) ---\n{s.tail(15)}", flush=True)
        print(f"RESULT {a.scenario} ({a.backend}): FAILED (seed {a.seed})", flush=True)
        return 1
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        print(f"RESULT {a.scenario} ({a.backend}): ERROR (seed {a.seed})", flush=True)
        return 1
    finally:
        c.cleanup()


if __name__ == "__main__":
    sys.exit(main())
