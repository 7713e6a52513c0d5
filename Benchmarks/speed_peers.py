#!/usr/bin/env python3
"""PeerMatch's exact solvers beside the tools a user would pick instead, in one run.

    swift build -c release --product peermatch --product peermatch-bench   # or: swift build -c release
    python3 Benchmarks/speed_peers.py                  # every comparison below
    python3 Benchmarks/speed_peers.py --only assign800,gen:2000

The first run makes a throwaway virtualenv (.venv-bench, git-ignored) with the peers: SciPy
(`linear_sum_assignment`), lap (`lapjv`, Jonker-Volgenant), OR-Tools (`LinearSumAssignment` and
`SimpleMinCostFlow`) and HiGHS. None of them is a dependency of PeerMatch.

What it prints, every figure from the same run (process CPU seconds: the machine is shared, so
only the ratios mean much; say the load with `uptime` when quoting them):

1. Solve only, OR-Library assignment (dense assign100-800, sparse assignp800-5000): each
   PeerMatch network solver (`peermatch-bench solvers`: shortest augmenting paths, LEMON's network
   simplex / cost scaling / capacity scaling, the hand-written cost scaling), each measured on
   the problem already built, beside lapjv, SciPy and OR-Tools' assignment solver on the cost
   matrix already in memory. Every cost is checked against the published optimum.
2. End to end on assign800: `peermatch solve` on the cohort JSON (read, candidates, solve,
   explain, write) against a Python process that reads the same JSON and calls SciPy.
3. Generated cohorts (`gen:N`, a secondary cohort, seed 2026): the same network (priority levels
   as exact integer weights) solved by PeerMatch's solvers and by OR-Tools' min-cost flow; the
   optimum's cost is checked to be equal.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-bench"
PEERS = ["scipy", "lap", "ortools", "highspy"]


def ensure_venv(venv: Path = VENV, peers: list[str] = PEERS, script: str = __file__) -> None:
    """Re-runs `script` inside `venv` (.venv-bench by default), creating it and installing the
    peers first. Other benchmark scripts pass their own folder, peers and file."""
    if Path(sys.prefix).resolve() == venv.resolve():
        return
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *peers], check=True)
    os.execv(str(python), [str(python), script, *sys.argv[1:]])


def shared_benchmarks() -> Path:
    for candidate in (ROOT.parent / "shared" / "benchmarks", ROOT.parent.parent / "shared" / "benchmarks"):
        if candidate.exists():
            return candidate
    raise SystemExit("no ../shared/benchmarks next to the repository")


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(fn):
    start = cpu()
    value = fn()
    return value, cpu() - start


def bench_solvers(bench: Path, spec: str, only: str) -> dict[str, tuple[float, str]]:
    """`peermatch-bench solvers SPEC`: solver -> (CPU seconds, score) from its Markdown table."""
    out = subprocess.run([str(bench), "solvers", spec, "--only", only], check=True, capture_output=True, text=True, cwd=ROOT).stdout
    rows: dict[str, tuple[float, str]] = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 12 and cells[0] not in ("instance", "---"):
            if cells[4] == "greedy":
                rows["greedy"] = (float(cells[6]), cells[11])
                continue
            if cells[11] != "yes":
                raise SystemExit(f"{spec}: {cells[4]} does not reach the same optimum: {line}")
            rows[cells[4]] = (float(cells[6]), cells[10])
    return rows


def assignment_peers(inst) -> dict[str, tuple[int, float]]:
    """lapjv, SciPy and OR-Tools on the instance (dense: the cost matrix; sparse: its arcs)."""
    import numpy as np
    import lap
    from ortools.graph.python import linear_sum_assignment as ortools_lsa
    from scipy.optimize import linear_sum_assignment
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    results: dict[str, tuple[int, float]] = {}
    if inst.dense:
        matrix = inst.cost_matrix()
        (r, c), t = timed(lambda: linear_sum_assignment(matrix))
        results["scipy"] = (int(matrix[r, c].sum()), t)
        (total, _, _), t = timed(lambda: lap.lapjv(matrix.astype(np.float64)))
        results["lapjv"] = (int(round(total)), t)
    else:
        graph = csr_matrix((inst.costs.astype(np.float64), (inst.rows, inst.cols)), shape=(inst.n, inst.n))
        (r, c), t = timed(lambda: min_weight_full_bipartite_matching(graph))
        results["scipy"] = (int(sum(inst.cost_lookup()[(int(i), int(j))] for i, j in zip(r, c))), t)
        matrix = np.full((inst.n, inst.n), 10**6, dtype=np.float64)
        matrix[inst.rows, inst.cols] = inst.costs
        (total, _, _), t = timed(lambda: lap.lapjv(matrix))
        results["lapjv"] = (int(round(total)), t)

    def ortools_solve():
        a = ortools_lsa.SimpleLinearSumAssignment()
        a.add_arcs_with_cost(inst.rows, inst.cols, inst.costs)
        status = a.solve()
        assert status == a.OPTIMAL
        return a.optimal_cost()
    total, t = timed(ortools_solve)
    results["ortools"] = (int(total), t)
    return results


def orlib_rows(bench: Path, names: list[str], data: Path) -> list[list[str]]:
    sys.path.insert(0, str(ROOT / "Benchmarks"))
    import orlib_assign as orlib
    optima = orlib.parse_optima(data / "assignopt.txt")
    rows = []
    for name in names:
        inst = orlib.parse_instance(data / f"{name}.txt")
        peers = assignment_peers(inst)
        for peer, (cost, _) in peers.items():
            if cost != optima[name]:
                raise SystemExit(f"{name}: {peer} cost {cost}, published optimum {optima[name]}")
        ours = bench_solvers(bench, str(data / f"{name}.txt"), "paths,lemon-network-simplex,lemon-cost-scaling,cost-scaling")
        for solver, (_, score) in ours.items():
            cost = round(101 * inst.n - float(score))
            if cost != optima[name]:
                raise SystemExit(f"{name}: PeerMatch {solver} cost {cost}, published optimum {optima[name]}")
        best = min(ours.items(), key=lambda kv: kv[1][0])
        lapjv = peers["lapjv"][1]
        rows.append([name, str(inst.n), str(inst.pairs), f"{ours['paths'][0]:.3f}", f"{ours['lemon-network-simplex'][0]:.3f}",
                     f"{ours['lemon-cost-scaling'][0]:.3f}", f"{ours['cost-scaling'][0]:.3f}",
                     f"{lapjv:.3f}", f"{peers['scipy'][1]:.3f}", f"{peers['ortools'][1]:.3f}",
                     f"{best[0]} {best[1][0] / max(lapjv, 1e-3):.1f}x"])
    return rows


def end_to_end(peermatch: Path, data: Path, name: str) -> list[str]:
    """`peermatch solve` on the cohort JSON against a Python process reading it and calling SciPy."""
    sys.path.insert(0, str(ROOT / "Benchmarks"))
    import orlib_assign as orlib
    inst = orlib.parse_instance(data / f"{name}.txt")
    with tempfile.TemporaryDirectory() as tmp:
        cohort, policy = Path(tmp) / "cohort.json", Path(tmp) / "policy.json"
        orlib.write_json(orlib.cohort_document(inst), cohort)
        orlib.write_json(orlib.POLICY, policy)
        before = children_cpu()
        out = subprocess.run([str(peermatch), "solve", str(cohort), "--policy", str(policy), "--out", str(Path(tmp) / "r.json")],
                             capture_output=True, text=True)
        ours = children_cpu() - before
        if out.returncode != 0:
            raise SystemExit(f"peermatch solve {name}: {out.stderr}")
        result = json.loads((Path(tmp) / "r.json").read_text())
        cost = sum(101 - int(round(p["score"])) for p in result["pairs"])
        script = (
            "import json,sys,numpy as np\n"
            "from scipy.optimize import linear_sum_assignment\n"
            "d=json.load(open(sys.argv[1]))\n"
            "ids={m['id']:k for k,m in enumerate(d['mentors'])}; jds={m['id']:k for k,m in enumerate(d['mentees'])}\n"
            "c=np.full((len(ids),len(jds)),10**6)\n"
            "for s in d['scores']: c[ids[s['mentor']],jds[s['mentee']]]=101-s['score']\n"
            "r,k=linear_sum_assignment(c); print(int(c[r,k].sum()))\n")
        before = children_cpu()
        peer = subprocess.run([sys.executable, "-c", script, str(cohort)], capture_output=True, text=True, check=True)
        theirs = children_cpu() - before
        if int(peer.stdout) != cost:
            raise SystemExit(f"{name}: peermatch solve cost {cost}, SciPy {peer.stdout}")
    return [name, f"{ours:.2f}", f"{theirs:.2f}", f"{ours / theirs:.2f}", result["solver"], str(cost)]


def generated_rows(bench: Path, specs: list[str], greedy: bool = True) -> list[list[str]]:
    """The same network (`peermatch-bench network`, binary) solved by OR-Tools' min-cost flow
    beside PeerMatch's solvers (`peermatch-bench solvers`) and its greedy fallback."""
    import numpy as np
    from ortools.graph.python import min_cost_flow
    rows = []
    for spec in specs:
        size = int(spec.split(":")[1])
        solvers = "paths" + (",greedy" if greedy else "") + (",lemon-network-simplex,cost-scaling" if size <= 5000 else "")
        ours = bench_solvers(bench, spec, solvers)
        with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
            path = Path(tmp) / "network.bin"
            subprocess.run([str(bench), "network", spec, str(path)], check=True, cwd=ROOT)
            head = np.fromfile(path, dtype=np.int64, count=5)
            n, m, k, optimum = (int(x) for x in head[:4])
            capacity = np.fromfile(path, dtype=np.int64, count=m, offset=40)
            base = 40 + 8 * m
            mentee = np.fromfile(path, dtype=np.int32, count=k, offset=base).astype(np.int64)
            mentor = np.fromfile(path, dtype=np.int32, count=k, offset=base + 4 * k).astype(np.int64)
            cost = np.fromfile(path, dtype=np.int64, count=k, offset=base + 8 * k)

        def solve():
            f = min_cost_flow.SimpleMinCostFlow()
            sink = n + m
            # mentee -> mentor (pair), mentee -> sink (unmatched), mentor -> sink (places)
            f.add_arcs_with_capacity_and_unit_cost(mentee, n + mentor, np.ones(k, dtype=np.int64), cost)
            f.add_arcs_with_capacity_and_unit_cost(np.arange(n), np.full(n, sink), np.ones(n, dtype=np.int64), np.zeros(n, dtype=np.int64))
            f.add_arcs_with_capacity_and_unit_cost(n + np.arange(m), np.full(m, sink), capacity, np.zeros(m, dtype=np.int64))
            f.set_nodes_supplies(np.arange(n + m + 1), np.array([1] * n + [0] * m + [-n], dtype=np.int64))
            assert f.solve() == f.OPTIMAL
            return f.optimal_cost()
        total, t = timed(solve)
        del mentee, mentor, cost
        if total != optimum:
            raise SystemExit(f"{spec}: OR-Tools cost {total}, PeerMatch {optimum}")
        exact = {s: v for s, v in ours.items() if s != "greedy"}
        best = min(exact.items(), key=lambda kv: kv[1][0])
        cell = lambda s: f"{ours[s][0]:.2f}" if s in ours else "–"
        greedy_cell = "–"
        if "greedy" in ours:
            greedy_t, greedy_note = ours["greedy"]
            greedy_cell = f"{greedy_t:.2f} ({greedy_t / max(ours['paths'][0], 1e-3):.2f}x paths; {greedy_note})"
        rows.append([spec, str(n), str(m), str(k), cell("paths"), cell("lemon-network-simplex"), cell("cost-scaling"), f"{t:.2f}",
                     f"{best[0]} {best[1][0] / max(t, 1e-3):.2f}x", greedy_cell])
    return rows


def run_child(argv: list[str]) -> tuple[int, float, float, float, str]:
    """(exit code, wall s, CPU s, peak RSS MiB, stderr) of one process (os.wait4: its own rusage)."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, time.monotonic() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, err


def large_cohorts(peermatch: Path, specs: list[str], time_limit: str = "", greedy: bool = True) -> list[list[str]]:
    """`peermatch solve` end to end on generated cohorts (`e2e:MENTEES[:MENTORS[:SEED]]`, secondary,
    seed 1: seed 2026's draw takes sixth formers as mentors, outside the age rule, so few pairs): wall and CPU seconds and peak RSS of the whole command, beside the targets
    (20,000 mentees under 10 s and 2 GiB, 50,000 under 30 s)."""
    rows = []
    for spec in specs:
        parts = spec.split(":")[1:]
        mentees = int(parts[0])
        mentors = int(parts[1]) if len(parts) > 1 and parts[1] else None
        seed = parts[2] if len(parts) > 2 else "1"
        with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
            cohort, out = Path(tmp) / "cohort.json", Path(tmp) / "result.json"
            gen = [str(peermatch), "generate", "--mentees", str(mentees), "--seed", seed, "--out", str(cohort)]
            if mentors:
                gen += ["--mentors", str(mentors)]
            subprocess.run(gen, check=True)
            for solver in ["auto", "greedy"] if greedy else ["auto"]:
                limit = ["--time-limit", time_limit] if time_limit else []
                code, wall, cpu_s, rss, err = run_child([str(peermatch), "solve", str(cohort), "--solver", solver, "--out", str(out), *limit])
                if code != 0:
                    raise SystemExit(f"{spec}: peermatch solve --solver {solver} exit {code}: {err}")
                result = json.loads(out.read_text())
                target = 10 if mentees <= 20000 else 30
                rows.append([spec, solver, str(len(result["pairs"])), f"{sum(p['score'] for p in result['pairs']):.2f}", result["status"],
                             f"{wall:.2f}", f"{cpu_s:.2f}", f"{rss:.0f}", f"{target} s" if solver == "auto" else "–"])
    return rows


def table(header: list[str], rows: list[list[str]]) -> str:
    return "\n".join(["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="comma-separated: assign100..assign800, assignp800.., gen:N, e2e")
    parser.add_argument("--build", default=str(ROOT / ".build" / "release"))
    parser.add_argument("--time-limit", default="", help="`--time-limit` for the end-to-end solves (default: the command's own, 60 s)")
    parser.add_argument("--no-greedy", action="store_true", help="leave out the greedy rows (at 20,000 mentees its local search takes minutes)")
    args = parser.parse_args()
    ensure_venv()
    build = Path(args.build)
    bench, peermatch = build / "peermatch-bench", build / "peermatch"
    data = shared_benchmarks() / "orlib-assign"
    wanted = [w for w in args.only.split(",") if w]
    orlib_names = [w for w in wanted if w.startswith("assign")] or ([] if wanted else
        ["assign100", "assign400", "assign800"])
    gen = [w for w in wanted if w.startswith("gen:")] or ([] if wanted else ["gen:2000"])
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)\n")
    if orlib_names:
        print("Solve only, CPU seconds (problem built, matrix in memory); best PeerMatch solver / lapjv:\n")
        print(table(["instance", "n", "pairs", "paths", "LEMON simplex", "LEMON cost scaling", "cost scaling (ours)",
                     "lapjv", "SciPy", "OR-Tools LSA", "best / lapjv"], orlib_rows(bench, orlib_names, data)), "\n", flush=True)
    if not wanted or "e2e" in wanted or "e2e:assign800" in wanted:
        print("End to end, process CPU seconds (read the cohort JSON, solve, write):\n")
        print(table(["instance", "peermatch solve", "Python + SciPy", "ratio", "solver", "cost"], [end_to_end(peermatch, data, "assign800")]), "\n", flush=True)
    large = [w for w in wanted if w.startswith("e2e:")] or ([] if wanted else ["e2e:20000:6700", "e2e:50000"])
    if large:
        print("Large cohorts end to end (`peermatch solve`: read, candidates, solve, verify, explain, write):\n")
        print(table(["cohort", "solver", "matched", "score", "status", "wall s", "CPU s", "peak MiB", "target"],
                    large_cohorts(peermatch, large, args.time_limit, not args.no_greedy)), "\n", flush=True)
    if gen:
        print("Generated cohorts, solve only, CPU seconds; best PeerMatch solver / OR-Tools min-cost flow:\n")
        print(table(["cohort", "mentees", "mentors", "pairs", "paths", "LEMON simplex", "cost scaling (ours)",
                     "OR-Tools MCF", "best / OR-Tools", "greedy s (/ paths; score, matched)"], generated_rows(bench, gen, not args.no_greedy)), flush=True)
    speedb_sections(args.only, bench, peermatch)


# ---------------------------------------------------------------------------------------------
# The greedy, the stable matching end to end, --time-limit and the candidates writers (speedb).
# Selected with --only: greedy:N (solver rows), stable (CSI2120 large beside C++ and Python
# deferred acceptance), limit:MENTEES:MENTORS:SECONDS, cands:MENTEES; none by default but stable.

def greedy_rows(bench: Path, specs: list[str]) -> list[list[str]]:
    """The greedy fallback beside the exact paths solver on the same problem (solve only, CPU s):
    the target is at most a tenth of the exact time, at least 0.99 of the optimum, same matched."""
    rows = []
    for spec in specs:
        ours = bench_solvers(bench, "gen:" + spec.split(":", 1)[1], "paths,greedy")
        paths, greedy = ours["paths"][0], ours["greedy"][0]
        rows.append([spec, f"{paths:.3f}", f"{greedy:.3f}", f"{greedy / max(paths, 1e-3):.2f}", ours["greedy"][1]])
    return rows


def stable_rows(peermatch: Path) -> list[list[str]]:
    """`peermatch solve residentsLarge.csv --programs programsLarge.csv` (read, candidates, deferred
    acceptance, blocking-pair check, explanations, write), a C++ and a Python deferred acceptance
    on the same files, each a whole process; every matching checked against the reference."""
    data = shared_benchmarks() / "hr-csi2120"
    residents, programs = data / "residentsLarge.csv", data / "programsLarge.csv"
    reference = (data / "ref_resident_optimal_large.csv").read_text().split("\n")[1:]
    expected = {l.split(",")[0]: l.split(",")[1] for l in reference if l}
    rows = []
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
        exe = Path(tmp) / "stable_peer"
        compiler = next((c for c in ("g++", "clang++") if subprocess.run(["which", c], capture_output=True).returncode == 0), None)
        if compiler is None:
            raise SystemExit("stable: needs g++ or clang++ for the C++ peer")
        subprocess.run([compiler, "-O2", "-std=c++17", "-o", str(exe), str(ROOT / "Benchmarks" / "stable_peer.cpp")], check=True)
        runs = {
            "peermatch solve": [str(peermatch), "solve", str(residents), "--programs", str(programs), "--format", "csv", "--out", str(Path(tmp) / "pm.csv")],
            "C++ deferred acceptance": [str(exe), str(residents), str(programs), str(Path(tmp) / "cpp.csv")],
            "Python deferred acceptance": [sys.executable, str(ROOT / "Benchmarks" / "stable_peer.py"), str(residents), str(programs), str(Path(tmp) / "py.csv")],
        }
        times = {}
        for name, argv in runs.items():
            code, wall, cpu_s, rss, err = run_child(argv)
            if code != 0:
                raise SystemExit(f"stable: {name} exit {code}: {err}")
            times[name] = (wall, cpu_s, rss)
        import csv
        with open(Path(tmp) / "pm.csv", newline="") as f:
            got = {row["mentee"]: row["mentor"] for row in csv.DictReader(f) if row["status"] == "matched"}
        for out in ("cpp.csv", "py.csv"):
            peer = {l.split(",")[0]: l.split(",")[1] for l in (Path(tmp) / out).read_text().split("\n")[1:] if l}
            if peer != expected:
                raise SystemExit(f"stable: {out} differs from the reference")
        if {r: p for r, p in expected.items() if p} != got:
            raise SystemExit("stable: peermatch's matching differs from the reference")
        cpp = times["C++ deferred acceptance"][1]
        for name, (wall, cpu_s, rss) in times.items():
            rows.append([name, f"{wall:.2f}", f"{cpu_s:.2f}", f"{rss:.0f}", f"{cpu_s / max(cpp, 1e-3):.2f}", str(len(got))])
    return rows


def time_limit_rows(peermatch: Path, specs: list[str]) -> list[list[str]]:
    """`peermatch solve --time-limit T` on a generated cohort (`limit:MENTEES:MENTORS:T`, seed 1):
    the whole command's wall time against T, and the stage the result says the limit cut."""
    rows = []
    for spec in specs:
        _, mentees, mentors, limit = spec.split(":")
        with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
            cohort, out = Path(tmp) / "cohort.json", Path(tmp) / "result.json"
            gen = [str(peermatch), "generate", "--mentees", mentees, "--seed", "1", "--out", str(cohort)] + (["--mentors", mentors] if mentors else [])
            subprocess.run(gen, check=True)
            code, wall, cpu_s, rss, err = run_child([str(peermatch), "solve", str(cohort), "--time-limit", limit, "--out", str(out)])
            result = json.loads(out.read_text()) if out.exists() else {}
            cut = result.get("limit", {}).get("stage", "none")
            rows.append([spec, limit, f"{wall:.2f}", f"{100 * (wall / float(limit) - 1):+.1f}%", f"{cpu_s:.2f}", str(code),
                         result.get("status", "–"), cut])
    return rows


def candidates_rows(peermatch: Path, specs: list[str]) -> list[list[str]]:
    """`peermatch candidates COHORT --format csv|json` (`cands:MENTEES`, seed 1): CPU s, peak RSS, bytes."""
    rows = []
    for spec in specs:
        mentees = spec.split(":")[1]
        with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
            cohort = Path(tmp) / "cohort.json"
            subprocess.run([str(peermatch), "generate", "--mentees", mentees, "--seed", "1", "--out", str(cohort)], check=True)
            for fmt in ("csv", "json"):
                out = Path(tmp) / f"candidates.{fmt}"
                code, wall, cpu_s, rss, err = run_child([str(peermatch), "candidates", str(cohort), "--format", fmt, "--out", str(out)])
                if code != 0:
                    raise SystemExit(f"{spec}: candidates --format {fmt} exit {code}: {err}")
                rows.append([spec, fmt, f"{out.stat().st_size / 1e6:.0f} MB", f"{wall:.2f}", f"{cpu_s:.2f}", f"{rss:.0f}"])
    return rows


def speedb_sections(only: str, bench: Path, peermatch: Path) -> None:
    wanted = [w for w in only.split(",") if w]
    greedy = [w for w in wanted if w.startswith("greedy:")]
    if greedy:
        print("\nGreedy beside the exact paths solver, solve only, CPU seconds (target: greedy / paths <= 0.1):\n")
        print(table(["cohort", "paths", "greedy", "greedy / paths", "greedy quality"], greedy_rows(bench, greedy)), flush=True)
    if not wanted or "stable" in wanted:
        print("\nStable matching end to end, CSI2120 large (49,983 residents), whole processes:\n")
        print(table(["command", "wall s", "CPU s", "peak MiB", "CPU / C++", "matched"], stable_rows(peermatch)), flush=True)
    limits = [w for w in wanted if w.startswith("limit:")]
    if limits:
        print("\n--time-limit, the whole command (target: within 10%):\n")
        print(table(["cohort", "limit s", "wall s", "over", "CPU s", "exit", "status", "limit cut"], time_limit_rows(peermatch, limits)), flush=True)
    cands = [w for w in wanted if w.startswith("cands:")]
    if cands:
        print("\n`candidates`, streamed (target: 5 M pairs in under 5 s and 500 MB):\n")
        print(table(["cohort", "format", "size", "wall s", "CPU s", "peak MiB"], candidates_rows(peermatch, cands)), flush=True)


if __name__ == "__main__":
    main()
