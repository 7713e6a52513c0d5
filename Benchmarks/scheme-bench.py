#!/usr/bin/env python3
"""The scheme store's benchmark: a county-wide scheme (50 schools, 10,000 people, 6 terms of
history, 200,000 session records), then `peermatch scheme match` on its 2,000-mentee term and
`peermatch scheme review` on a term of history, each beside a peer measured in the same run:

- match: `peermatch solve` on the same cohort (the file `scheme cohort` writes, the same policy),
  so the difference is what the store adds (reading the term, building the cohort, storing pairs);
- review: the same review (misses in a row, attendance, mentors' minutes a week, unapproved
  proposals) in Python over the same SQLite file with the standard library's sqlite3.

Run from the repository root after `swift build -c release`:

    python3 Benchmarks/scheme-bench.py [--out Benchmarks/out] [--runs 3]

Only the standard library is used (no virtualenv needed). Prints a Markdown table, the load
average (the machine is shared), and writes nothing outside --out.
"""
import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release")


def run(cmd, env=None):
    """Wall seconds, CPU seconds (user + system) and peak resident MiB of one child process.

    CPU seconds matter on a shared machine: wall time grows with the other jobs' load, the
    process's own work does not."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{err.decode()}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.decode()


def review_peer(path, term, missed=3, below=0.75, minimum=4):
    """The review's figures, computed independently in Python (latest record per session)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    items = []
    pairs = con.execute("SELECT id, mentor_id, mentee_id, state FROM pair WHERE term_id = ? AND state IN "
                        "('proposed','approved','active','ended')", (term,)).fetchall()
    recs = defaultdict(list)
    for pid, d, outcome, minutes in con.execute(
            "SELECT pair_id, date, outcome, minutes FROM session_record WHERE term_id = ? AND superseded_by IS NULL ORDER BY date", (term,)):
        recs[pid].append((d, outcome, minutes))
    weekly = defaultdict(lambda: defaultdict(int))
    for pid, mentor, mentee, state in pairs:
        rs = recs.get(pid, [])
        if state != "proposed":
            for d, o, m in rs:
                if o == "held":
                    y, mo, da = map(int, d.split("-"))
                    monday = date(y, mo, da).toordinal() - date(y, mo, da).weekday()
                    weekly[mentor][monday] += m if m is not None else 30
        if state == "proposed":
            items.append(("not-approved", mentee))
            continue
        if state == "ended":
            continue
        run = longest = 0
        for d, o, m in rs:
            if o in ("missed-by-mentee", "missed-by-mentor"):
                run += 1
                longest = max(longest, run)
            elif o == "held":
                run = 0
        if longest >= missed:
            items.append(("missed-in-a-row", mentee))
        counted = [o for d, o, m in rs if o in ("held", "missed-by-mentee", "missed-by-mentor")]
        if len(counted) >= minimum and counted.count("held") / len(counted) < below:
            items.append(("low-attendance", mentee))
    agreed = dict(con.execute("SELECT person_id, minutes_per_week FROM mentor_hours WHERE term_id = ? AND superseded_at IS NULL", (term,)))
    for mentor, weeks in weekly.items():
        limit = agreed.get(mentor)
        if limit is not None and any(v > limit for v in weeks.values()):
            items.append(("mentor-over-hours", mentor))
    con.close()
    return items


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(ROOT, "Benchmarks", "out"))
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    scheme = os.path.join(a.out, "county.peermatch")
    env = dict(os.environ, PEERMATCH_SCHEME=scheme)
    pm = os.path.join(BIN, "peermatch")
    if not os.path.exists(scheme):
        t, cpu, mem, out = run([os.path.join(BIN, "peermatch-scheme-bench"), "--out", scheme])
        print(out)
        print(f"built {scheme} in {t:.1f} s ({cpu:.1f} s CPU, {mem:.0f} MiB)\n")

    load = os.getloadavg()
    cohort = os.path.join(a.out, "term-7-cohort.json")
    policy = os.path.join(a.out, "term-7-policy.yaml")
    for f in (cohort, policy):
        if os.path.exists(f):
            os.remove(f)
    run([pm, "scheme", "cohort", "term-7", "--out", cohort, "--policy-out", policy], env)

    def median(cmd, n, environment=None):
        results = [run(cmd, environment) for _ in range(n)]
        return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results),
                max(r[2] for r in results), results[-1][3])

    rows = []
    # Alternate the two, so load changes hit both alike.
    m, s_ = [], []
    for _ in range(a.runs):
        m.append(run([pm, "scheme", "match", "term-7", "--by", "benchmark"], env))
        s_.append(run([pm, "solve", cohort, "--policy", policy, "--out", os.path.join(a.out, "term-7-result.json")]))
    med = lambda rs, k: statistics.median(r[k] for r in rs)
    rows.append(("`scheme match term-7`: 2,000 mentees, 800 mentors; read, build, solve, store", med(m, 0), med(m, 1), max(r[2] for r in m),
                 "`peermatch solve` on the same cohort and policy", med(s_, 0), med(s_, 1), max(r[2] for r in s_)))

    r_, p_ = [], []
    for _ in range(max(5, a.runs)):
        r_.append(run([pm, "scheme", "review", "term-6", "--format", "csv"], env))
        start, cpu0 = time.perf_counter(), time.process_time()
        items = review_peer(scheme, "term-6")
        p_.append((time.perf_counter() - start, time.process_time() - cpu0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, ""))
    out = r_[-1][3]
    ours = sorted((line.split(",")[0], line.split(",")[2]) for line in out.strip().split("\n")[1:] if line)
    theirs = sorted((k, p) for k, p in items)
    agree = "the same items" if ours == theirs else f"DIFFERENT: {len(ours)} vs {len(theirs)}"
    rows.append((f"`scheme review term-6`: {len(ours)} items, {agree} as the peer", med(r_, 0), med(r_, 1), max(r[2] for r in r_),
                 "the same review in Python's sqlite3 (in-process)", med(p_, 0), med(p_, 1), None))

    con = sqlite3.connect(f"file:{scheme}?mode=ro", uri=True)
    people, = con.execute("SELECT COUNT(*) FROM person").fetchone()
    records, = con.execute("SELECT COUNT(*) FROM session_record").fetchone()
    terms, = con.execute("SELECT COUNT(*) FROM term").fetchone()
    history, = con.execute("SELECT COUNT(*) FROM pair WHERE state IN ('approved', 'active', 'ended')").fetchone()
    con.close()
    size = os.path.getsize(scheme) + sum(os.path.getsize(scheme + s) for s in ("-wal",) if os.path.exists(scheme + s))

    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (2 cores, shared); after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"scheme: {people} people, {terms} terms, {history} pairs of history, {records} session records; file {size / 2**20:.1f} MiB\n")
    print("| operation | wall s | CPU s | peak MiB | peer | peer wall s | peer CPU s | peer peak MiB | ratio (CPU) |")
    print("|---|---:|---:|---:|---|---:|---:|---:|---:|")
    for what, w, c, mem, peer, pw, pc, pm_ in rows:
        print(f"| {what} | {w:.2f} | {c:.2f} | {mem:.0f} | {peer} | {pw:.2f} | {pc:.2f} | {'–' if pm_ is None else f'{pm_:.0f}'} | {c / pc:.2f} |")


if __name__ == "__main__":
    main()
