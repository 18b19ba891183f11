#!/usr/bin/python3
"""Render bench/RESULTS.md from the JSON lines of one bench/run_bench.sh run.

    bench/report.py --results results.jsonl --env run.env --build BUILD --out RESULTS.md

Every number in the output comes from the results file or from the machine
(lscpu, /proc/meminfo, uname, dpkg); bench/profile-notes.md (hand-written
profile findings) is appended verbatim when present.
"""
import argparse
import json
import os
import platform
import re
import sqlite3
import subprocess

TARGETS = {
    "transitions_64": 10000,
    "noop_ratio_64": 0.5,
    "completed": 1500,
    "p99_64_ms": 20,
    "p50_1_ratio": 2.0,
    "reads_64": 20000,
    "export": 200000,
    "verify": 1000000,
    "rss_1m_mib": 256,
}


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=20).stdout.strip()
    except Exception:
        return ""


def machine(build):
    model = re.search(r"Model name:\s*(.*)", sh("lscpu"))
    mem = re.search(r"MemTotal:\s*(\d+)", open("/proc/meminfo").read())
    deb = sh("cat /etc/debian_version")
    gcc = sh("gcc --version | head -n1")
    pkgs = {}
    for p in ["libgrpc++1.51", "libprotobuf32", "libsqlite3-0", "postgresql-15", "libsoci-core4.0"]:
        pkgs[p] = sh("dpkg-query -W -f='${Version}' " + p + " 2>/dev/null") or "not installed"
    build_type = sh(f"grep -m1 '^CMAKE_BUILD_TYPE' {build}/CMakeCache.txt | cut -d= -f2")
    return [
        ("CPU", (model.group(1) if model else "?") + f", {os.cpu_count()} logical CPUs (lscpu: "
         + (sh("lscpu | grep -E '^(Thread|Core|Socket)' | tr -s ' ' | paste -sd ';'") or "?") + ")"),
        ("Memory", f"{int(mem.group(1)) / 1048576:.1f} GiB" if mem else "?"),
        ("Kernel", platform.release()),
        ("Debian", deb),
        ("Compiler", gcc + f" ({build_type or '?'} build)"),
        ("gRPC / Protobuf", f"{pkgs['libgrpc++1.51']} / {pkgs['libprotobuf32']}"),
        ("SQLite", f"{sqlite3.sqlite_version} (package {pkgs['libsqlite3-0']}), WAL, synchronous=FULL"),
        ("PostgreSQL", f"{pkgs['postgresql-15']}, synchronous_commit=on, throwaway cluster on the same disk"),
        ("SOCI", pkgs["libsoci-core4.0"]),
        ("Disk of the work directory", sh("df -hT \"${TMPDIR:-/tmp}\" | tail -n1 | awk '{print $2\" (\"$1\")\"}'")),
    ]


def fmt(x, digits=0):
    if x is None:
        return "–"
    if isinstance(x, str):
        return x
    if digits == 0:
        return f"{x:,.0f}"
    return f"{x:,.{digits}f}"


def ms(x):
    if x is None:
        return "–"
    return f"{x:.2f}" if x < 10 else f"{x:.1f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--env", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rows = [json.loads(l) for l in open(a.results) if l.strip()]
    env = dict(l.strip().split("=", 1) for l in open(a.env) if "=" in l)

    def find(scenario, label, conc=None, batch=None):
        for r in rows:
            if r.get("scenario") == scenario and r.get("label") == label:
                if conc is not None and int(r.get("concurrency", -1)) != conc:
                    continue
                if batch is not None and int(r.get("batch", -1)) != batch:
                    continue
                return r
        return None

    def get(r, k):
        return None if r is None else r.get(k)

    out = []
    w = out.append
    w("# Benchmark results")
    w("")
    w("Written by `make bench` (bench/run_bench.sh → bench/report.py); do not edit by hand — "
      "hand-written profile findings live in bench/profile-notes.md and are appended below. "
      "Method and knobs: [bench/README.md](README.md).")
    w("")
    w(f"Run {env.get('start_utc', '?')} → {env.get('end_utc', '?')}; {env.get('seconds', '?')} s measured per "
      f"cell after {env.get('warmup', '?')} s warm-up. **Load average at start: {env.get('loadavg_start', '?')}**, "
      f"at end: {env.get('loadavg_end', '?')} (1/5/15 min). The machine is shared: other builds and tests ran "
      "during this run, and client, server and database share the same cores, so absolute numbers are noisy "
      "and pessimistic; the ratios to the ceilings measured in the same run are the headline.")
    w("")
    w("| machine | |")
    w("|---|---|")
    for k, v in machine(a.build):
        w(f"| {k} | {v} |")
    w("")

    # --- headline -------------------------------------------------------------
    sq_life64 = find("lifecycle", "sqlite", 64)
    sq_life1 = find("lifecycle", "sqlite", 1)
    sq_noop64 = find("noop", "sqlite", 64)
    sq_reads64 = find("reads", "sqlite", 64)
    commit1 = find("commit", "sqlite", batch=1)
    commit64 = find("commit", "sqlite", batch=64)
    best_completed = max((r for r in rows if r.get("scenario") == "lifecycle" and r.get("label") == "sqlite"),
                         key=lambda r: r.get("completed_per_s", 0), default=None)
    export_jsonl = next((r for r in rows if r.get("scenario") == "export-jsonl"), None)
    export = next((r for r in rows if r.get("scenario") == "export"), None) or export_jsonl
    verify = next((r for r in rows if r.get("scenario") == "verify-cpp"), None)
    rss = next((r for r in rows if r.get("scenario") == "server-rss"), None)

    def verdict(value, target, higher_better=True):
        if value is None:
            return "not measured"
        if higher_better:
            return "met" if value >= target else f"**missed** ({value / target:.0%} of target)"
        return "met" if value <= target else f"**missed** ({value / target:.1f}× the limit)"

    w("## Headline: ratios to the ceilings, and the targets")
    w("")
    w("Ceilings measured in this run: a no-op unary RPC (grpc.health.v1.Health/Check served by the same "
      "redressd, same client, same concurrency) and the raw durable commit rate of the same database with the "
      "server's own session set-up (server/store/db_session.cc).")
    w("")
    w("| measure (SQLite unless named) | measured | ceiling / reference | ratio | target | verdict |")
    w("|---|---|---|---|---|---|")
    t64 = get(sq_life64, "transitions_per_s")
    n64 = get(sq_noop64, "ops_per_s")
    w(f"| audited transitions/s, lifecycle, 64 in flight | {fmt(t64)} | no-op RPC {fmt(n64)}/s | "
      f"{fmt(t64 / n64 * 100, 1) + ' %' if t64 and n64 else '–'} | ≥ 10,000/s and ≥ 50 % of no-op | "
      f"{verdict(t64, TARGETS['transitions_64'])}; {verdict(t64 / n64 if t64 and n64 else None, 0.5)} |")
    r64 = get(commit64, "rows_per_s")
    w(f"| same, against the raw batched commit rate | {fmt(t64)} | {fmt(r64)} rows/s (64 rows/txn) | "
      f"{fmt(t64 / r64 * 100, 1) + ' %' if t64 and r64 else '–'} | – | – |")
    c = get(best_completed, "completed_per_s")
    w(f"| complaints completed/s (6 writes each), best concurrency ({get(best_completed, 'concurrency')}) | "
      f"{fmt(c)} | – | – | ≥ 1,500/s | {verdict(c, TARGETS['completed'])} |")
    p99 = get(sq_life64, "p99_ms")
    w(f"| p99 latency, lifecycle writes, 64 in flight | {ms(p99)} ms | – | – | ≤ 20 ms | "
      f"{verdict(p99, TARGETS['p99_64_ms'], False)} |")
    p50 = get(sq_life1, "p50_ms")
    c50 = get(commit1, "p50_ms")
    w(f"| p50 latency, 1 in flight | {ms(p50)} ms | raw commit p50 {ms(c50)} ms (1 row/txn) | "
      f"{fmt(p50 / c50, 2) + '×' if p50 and c50 else '–'} | ≤ 2× | "
      f"{verdict(p50 / c50 if p50 and c50 else None, TARGETS['p50_1_ratio'], False)} |")
    rd = get(sq_reads64, "ops_per_s")
    w(f"| reads/s, 64 in flight | {fmt(rd)} | no-op RPC {fmt(n64)}/s | "
      f"{fmt(rd / n64 * 100, 1) + ' %' if rd and n64 else '–'} | ≥ 20,000/s | {verdict(rd, TARGETS['reads_64'])} |")
    ev = get(export, "events_per_s")
    ev_j = get(export_jsonl, "events_per_s")
    w(f"| export events/s (`redressctl audit export --format jsonl` to a file; {fmt(get(export_jsonl, 'events'))} "
      f"events) | {fmt(ev_j)} | raw gRPC stream to a file (redress-bench): "
      f"{fmt(ev) + '/s' if export is not export_jsonl else 'not run (BENCH_RAW_EXPORT=1)'} | – | ≥ 200,000/s | "
      f"{verdict(max(x for x in (ev, ev_j) if x is not None) if (ev or ev_j) else None, TARGETS['export'])} |")
    vv = get(verify, "events_per_s")
    w(f"| offline verify events/s (`redressctl audit verify`) | {fmt(vv)} | – | – | ≥ 1,000,000/s | "
      f"{verdict(vv, TARGETS['verify'])} |")
    rm = get(rss, "rss_mib")
    w(f"| redressd RSS with {fmt(get(rss, 'complaints'))} complaints stored (after the export; peak "
      f"{fmt(get(rss, 'hwm_mib'))} MiB) | {fmt(rm)} MiB | – | – | ≤ 256 MiB with 1M | "
      f"{verdict(rm, TARGETS['rss_1m_mib'], False) if rss and get(rss, 'complaints', ) and rss['complaints'] >= 1000000 else 'not at 1M: ' + verdict(rm, TARGETS['rss_1m_mib'], False)} |")
    w("")

    # --- ceilings -----------------------------------------------------------------
    w("## Ceilings")
    w("")
    w("Raw durable commit rate: one thread, INSERTs of ~300-byte rows (id, 32-char key with an index, "
      "240-byte payload) into a table of their own, prepared once, N rows per transaction.")
    w("")
    w("| database | rows/txn | commits/s | rows/s | commit p50 | commit p99 |")
    w("|---|---|---|---|---|---|")
    for r in rows:
        if r.get("scenario") == "commit":
            w(f"| {r['label']} | {r['batch']} | {fmt(r['commits_per_s'])} | {fmt(r['rows_per_s'])} | "
              f"{ms(r['p50_ms'])} ms | {ms(r['p99_ms'])} ms |")
    w("")
    w("No-op unary RPC (Health/Check) through the same server and client:")
    w("")
    labels = [l for l in ["sqlite", "pg-1", "pg-2"] if find("noop", l)]
    w("| in flight | " + " | ".join(f"{l} calls/s (p50 / p99 ms)" for l in labels) + " |")
    w("|---" * (len(labels) + 1) + "|")
    concs = sorted({int(r["concurrency"]) for r in rows if r.get("scenario") == "noop" and r.get("label") in labels})
    for cc in concs:
        cells = []
        for l in labels:
            r = find("noop", l, cc)
            cells.append(f"{fmt(get(r, 'ops_per_s'))} ({ms(get(r, 'p50_ms'))} / {ms(get(r, 'p99_ms'))})" if r else "–")
        w(f"| {cc} | " + " | ".join(cells) + " |")
    w("")

    # --- scenario tables -------------------------------------------------------
    names = {"sqlite": "SQLite, one redressd", "pg-1": "PostgreSQL, one redressd",
             "pg-2": "PostgreSQL, two redressd replicas on one database"}
    w("## Scenarios")
    w("")
    w("ops/s counts every answered call; transitions/s the durable audited writes among them; completed/s "
      "complaints closed (the sixth write of the lifecycle). Latency is per call. Server CPU is from "
      "/proc/PID/stat over the measured window (cores busy; 2 = the whole machine) and per transition "
      "(intake, lifecycle) or per call (reads, mix). RSS is VmRSS at the window's end (summed over replicas). "
      "\"vs no-op\" is ops/s over the no-op ceiling at the same concurrency on the same server(s).")
    w("")
    for label in ["sqlite", "pg-1", "pg-2"]:
        if not any(r.get("label") == label for r in rows if r.get("scenario") not in ("commit", "noop")):
            continue
        w(f"### {names[label]}")
        w("")
        w("| scenario | in flight | ops/s | transitions/s | completed/s | p50 ms | p90 ms | p99 ms | max ms | "
          "server CPU cores | server CPU µs/op | client CPU cores | RSS MiB | vs no-op | errors |")
        w("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            if r.get("label") != label or r.get("scenario") in ("commit", "noop"):
                continue
            noop = find("noop", label, int(r["concurrency"]))
            ratio = (f"{r['ops_per_s'] / noop['ops_per_s'] * 100:.1f} %"
                     if noop and noop.get("ops_per_s") else "–")
            err = fmt(r["errors"]) + (f" ({r['first_error'][:80]})" if r.get("first_error") else "")
            w(f"| {r['scenario']} | {r['concurrency']} | {fmt(r['ops_per_s'])} | {fmt(r['transitions_per_s'])} | "
              f"{fmt(r['completed_per_s'])} | {ms(r['p50_ms'])} | {ms(r['p90_ms'])} | {ms(r['p99_ms'])} | "
              f"{ms(r['max_ms'])} | {fmt(r['server_cpu_cores'], 2)} | {fmt(r['server_cpu_us_per_op'])} | "
              f"{fmt(r['client_cpu_cores'], 2)} | {fmt(r['server_rss_mib'])} | {ratio} | {err} |")
        w("")
        per = [r for r in rows if r.get("label") == label and r.get("scenario") in ("reads", "mix")
               and r.get("per_rpc")]
        if per:
            w("Per RPC (reads and mix): calls/s, p50 / p99 ms.")
            w("")
            names_ = sorted({k for r in per for k in r["per_rpc"]})
            w("| scenario | in flight | " + " | ".join(names_) + " |")
            w("|---|---" + "|---" * len(names_) + "|")
            for r in per:
                cells = []
                for k in names_:
                    x = r["per_rpc"].get(k)
                    cells.append(f"{fmt(x['ops_per_s'])} ({ms(x['p50_ms'])} / {ms(x['p99_ms'])})" if x else "–")
                w(f"| {r['scenario']} | {r['concurrency']} | " + " | ".join(cells) + " |")
            w("")

    # --- scale curve ------------------------------------------------------------
    scale = sorted({int(r["label"].split("-")[1]) for r in rows
                    if r.get("label", "").startswith("scale-") and r["label"] != "scale-0"})
    if scale:
        w("## Cost per transition against stored complaints (SQLite)")
        w("")
        w("Preloaded with bench/seed_sqlite.py (rows written straight into the tables while redressd is "
          "stopped: each preloaded complaint is RECEIVED with one valid, hash-chained SUBMITTED event), "
          "on top of a few hundred complaints made through the API; then redressd is restarted and the "
          "lifecycle and read scenarios run against it. The count is what was stored when the step started.")
        w("")
        w(f"| stored complaints | redressd start s | lifecycle transitions/s (c={max(int(r['concurrency']) for r in rows if r.get('label', '').startswith('scale-') and r.get('scenario') == 'lifecycle')}) "
          "| server CPU µs/transition | p50 / p99 ms | lifecycle p50 ms at c=1 | reads/s | read p99 ms | "
          "no-op calls/s | RSS MiB (peak) |")
        w("|---|---|---|---|---|---|---|---|---|---|")
        for n in scale:
            lab = f"scale-{n}"
            lc = [r for r in rows if r.get("label") == lab and r.get("scenario") == "lifecycle"]
            hi = max(lc, key=lambda r: r["concurrency"], default=None)
            lo = min(lc, key=lambda r: r["concurrency"], default=None)
            rd_ = find("reads", lab)
            nop = find("noop", lab)
            st = find("startup", lab)
            rss_r = max((r for r in rows if r.get("label") == lab and "server_rss_mib" in r),
                        key=lambda r: r["server_rss_mib"], default=None)
            w(f"| {fmt(n)} | {ms(get(st, 'seconds'))} | {fmt(get(hi, 'transitions_per_s'))} | "
              f"{fmt(get(hi, 'server_cpu_us_per_op'))} | {ms(get(hi, 'p50_ms'))} / {ms(get(hi, 'p99_ms'))} | "
              f"{ms(get(lo, 'p50_ms'))} | {fmt(get(rd_, 'ops_per_s'))} | {ms(get(rd_, 'p99_ms'))} | "
              f"{fmt(get(nop, 'ops_per_s'))} | {fmt(get(rss_r, 'server_rss_mib'))} ({fmt(get(rss_r, 'server_hwm_mib'))}) |")
        w("")

    # --- export -------------------------------------------------------------------
    ex_rows = [r for r in rows if r.get("scenario") in ("export", "export-jsonl", "verify-cpp", "verify-python")]
    if ex_rows:
        w("## Export of a large trail and offline verification")
        w("")
        w("`export` (only with BENCH_RAW_EXPORT=1): redress-bench reads AuditService/ExportAuditTrail (complete, redacted) and writes every "
          "record length-delimited to a file. `export-jsonl`: `redressctl audit export --format jsonl` (the "
          "auditor's tool). `verify-cpp`: `redressctl audit verify` on that JSONL file (offline; hashes, chains, "
          "Merkle root, checkpoint signature).")
        w("")
        w("| step | events | seconds | events/s | client CPU cores | server CPU cores | peak RSS MiB | errors |")
        w("|---|---|---|---|---|---|---|---|")
        for r in ex_rows:
            rss_v = r.get("max_rss_mib", r.get("server_hwm_mib"))
            cpu = r.get("cpu_cores", r.get("client_cpu_cores"))
            extra = " (server)" if r["scenario"] == "export" else ""
            w(f"| {r['scenario']} | {fmt(r['events'])} | {fmt(r['seconds'], 1)} | {fmt(r['events_per_s'])} | "
              f"{fmt(cpu, 2)} | {fmt(r.get('server_cpu_cores'), 2) if r['scenario'] != 'verify-cpp' else '–'} | "
              f"{fmt(rss_v)}{extra} | {r['errors']} |")
        if rss:
            w("")
            w(f"redressd after the export: RSS {rss['rss_mib']} MiB, peak {rss['hwm_mib']} MiB, "
              f"{fmt(rss['complaints'])} complaints stored.")
        w("")

    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "profile-notes.md")
    if os.path.exists(notes):
        w(open(notes).read().rstrip())
        w("")
    with open(a.out, "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    main()
