#!/usr/bin/env python3
"""Benchmark PeerMatch against the OR-Library linear assignment instances.

What it measures
----------------
J.E. Beasley's OR-Library assignment problems (assign100..800 dense, assignp800/1500/3000/5000
sparse) are square one-to-one problems with published minimum costs. Each one is a PeerMatch
cohort in which every mentor has capacity 1 and staff have scored every allowed pair with

    score = 101 - cost        (costs are 1..100, so scores are 1..100)

so the maximum total score is 101*n - (minimum cost). For every instance this script

1. parses the data file and writes a cohort JSON (`mentors` a1..an, `mentees` j1..jn, one
   `scores[]` entry per allowed pair) and a policy JSON that switches every people rule off, keeps
   only staff scores and forbids unscored pairs (`onlyScoredPairs`);
2. runs `peermatch solve ... --format json --timings` (the default, exact solver), reads the
   result, checks that all n agents are matched with allowed pairs, and recomputes the cost as the
   sum over `pairs` of (101 - score);
3. runs `peermatch solve ... --solver flow` (the exact min-cost-flow solver), checks its cost too and
   reports its stats.seconds; then `--solver greedy` and reports greedy score / optimal score;
4. solves the same instance with SciPy (`linear_sum_assignment` for dense files,
   `min_weight_full_bipartite_matching` on a CSR matrix for sparse files);
5. prints a Markdown table and checks PeerMatch's cost == published optimum == SciPy's cost.

Timings: parsing and file conversion are excluded everywhere. "scipy s" is `time.perf_counter`
around the SciPy call only. For PeerMatch the table shows both its own `stats.seconds` (reported
with `--timings`) and the wall time of the whole CLI call (process start, JSON reading, model
building, solve, output).

How to run (from the repository root)
-------------------------------------
    swift build -c release
    python3 Benchmarks/orlib_assign.py
    python3 Benchmarks/orlib_assign.py --only assign100,assignp800 --workdir /tmp/orlib

Options: --peermatch PATH (default .build/release/peermatch under the repository root),
--data DIR (default ../shared/benchmarks/orlib-assign next to the repository), --only NAMES,
--workdir DIR (default: a temporary directory, deleted afterwards), --time-limit SECONDS (600).

Exit status: 0 when every instance matches, 1 when any instance mismatches or PeerMatch fails,
2 on a setup problem (SciPy missing, binary or data not found, bad options).

Needs Python 3.8+, NumPy and SciPy (`pip install scipy`).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

try:
    import numpy as np
    from scipy.optimize import linear_sum_assignment
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching
except ImportError as _exc:  # pragma: no cover - depends on the environment
    print(
        f"error: this benchmark needs NumPy and SciPy ({_exc}).\n"
        "Install them with:  pip install scipy",
        file=sys.stderr,
    )
    sys.exit(2)


# --------------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------------

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PEERMATCH = REPO_ROOT / ".build" / "release" / "peermatch"
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "benchmarks" / "orlib-assign"

DENSE_INSTANCES = tuple(f"assign{n}" for n in range(100, 801, 100))
SPARSE_INSTANCES = ("assignp800", "assignp1500", "assignp3000", "assignp5000")
INSTANCES = DENSE_INSTANCES + SPARSE_INSTANCES

OPTIMA_FILE = "assignopt.txt"

#: score = SCORE_OFFSET - cost; all OR-Library costs are in 1..100.
SCORE_OFFSET = 101

#: Policy that turns every people rule off and keeps only the staff scores.
POLICY = {
    "ageGap": {"mode": "off"},
    "genderPreference": "off",
    "sameGroup": "ignore",
    "requires": "off",
    "exclusions": "hard",
    "onlyScoredPairs": True,
    "weights": {
        "sharedInterests": 0,
        "needsMet": 0,
        "ageCloseness": 0,
        "genderPreference": 0,
        "statedPreferences": 0,
        "sameGroupPenalty": 0,
    },
}

#: PeerMatch statuses that come with a matching.
STATUSES_WITH_MATCHING = ("optimal", "feasible", "fallback")

#: Extra wall-clock allowance on top of --time-limit before the CLI call is killed
#: (reading 640 000 scores and building the model happen outside the solver's limit).
WALL_GRACE_FACTOR = 2.0
WALL_GRACE_SECONDS = 60.0

#: Tolerance when comparing (possibly floating-point) scores and costs.
EPS = 1e-6


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------

@dataclass
class Instance:
    """One assignment problem, 0-based internally.

    Dense instances have `rows`, `cols` covering all n*n pairs in row-major order.
    Costs are minimised; scores (SCORE_OFFSET - cost) are maximised.
    """

    name: str
    n: int
    dense: bool
    rows: np.ndarray  # agent index, 0-based
    cols: np.ndarray  # job index, 0-based
    costs: np.ndarray  # int64

    @property
    def pairs(self) -> int:
        return int(self.costs.size)

    def cost_matrix(self) -> np.ndarray:
        """The n x n cost matrix of a dense instance."""
        if not self.dense:
            raise ValueError(f"{self.name} is sparse")
        return self.costs.reshape(self.n, self.n)

    def cost_lookup(self) -> Dict[Tuple[int, int], int]:
        """Map (agent, job), 0-based, to cost for every allowed pair."""
        return {
            (int(i), int(j)): int(c)
            for i, j, c in zip(self.rows.tolist(), self.cols.tolist(), self.costs.tolist())
        }


def read_integers(path: Path) -> np.ndarray:
    """All whitespace-separated integers in a file (line breaks carry no meaning)."""
    tokens = path.read_text(encoding="ascii").split()
    return np.array(tokens, dtype=np.int64)


def parse_instance(path: Path) -> Instance:
    """Parse a dense `assignN.txt` or sparse `assignpN.txt` file and validate its shape."""
    name = path.stem
    values = read_integers(path)
    if values.size == 0:
        raise ValueError(f"{path}: empty file")
    n = int(values[0])
    body = values[1:]
    dense = not name.startswith("assignp")

    if dense:
        if body.size != n * n:
            raise ValueError(f"{path}: expected {n * n} costs for n={n}, found {body.size}")
        rows = np.repeat(np.arange(n, dtype=np.int64), n)
        cols = np.tile(np.arange(n, dtype=np.int64), n)
        costs = body.copy()
    else:
        if body.size % 3 != 0:
            raise ValueError(f"{path}: {body.size} numbers after n is not a multiple of 3")
        triples = body.reshape(-1, 3)
        rows = triples[:, 0] - 1
        cols = triples[:, 1] - 1
        costs = triples[:, 2].copy()
        if rows.min() < 0 or rows.max() >= n or cols.min() < 0 or cols.max() >= n:
            raise ValueError(f"{path}: an arc index is outside 1..{n}")
        keys = rows * n + cols
        if np.unique(keys).size != keys.size:
            raise ValueError(f"{path}: duplicate (i, j) arcs")

    if costs.min() < 1 or costs.max() >= SCORE_OFFSET:
        raise ValueError(f"{path}: costs outside 1..{SCORE_OFFSET - 1}")
    return Instance(name=name, n=n, dense=dense, rows=rows, cols=cols, costs=costs)


def parse_optima(path: Path) -> Dict[str, int]:
    """Read `assignopt.txt`: a header line, then `name value` lines (blank lines allowed)."""
    optima: Dict[str, int] = {}
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].lstrip("-").isdigit():
            optima[parts[0]] = int(parts[1])
    return optima


# --------------------------------------------------------------------------------------------
# PeerMatch input files
# --------------------------------------------------------------------------------------------

def mentor_id(i: int) -> str:
    """Mentor id for agent i (0-based) -> "a1".."an"."""
    return f"a{i + 1}"


def mentee_id(j: int) -> str:
    """Mentee id for job j (0-based) -> "j1".."jn"."""
    return f"j{j + 1}"


def cohort_document(inst: Instance) -> dict:
    """The PeerMatch cohort for an instance: capacity-1 mentors, mentees, one score per pair."""
    mentors = [mentor_id(i) for i in range(inst.n)]
    mentees = [mentee_id(j) for j in range(inst.n)]
    scores = [
        {"mentor": mentors[i], "mentee": mentees[j], "score": SCORE_OFFSET - c}
        for i, j, c in zip(inst.rows.tolist(), inst.cols.tolist(), inst.costs.tolist())
    ]
    return {
        "mentors": [{"id": m, "capacity": 1} for m in mentors],
        "mentees": [{"id": e} for e in mentees],
        "scores": scores,
    }


def write_json(document: dict, path: Path) -> None:
    """Write compact JSON (assign800 has 640 000 score entries)."""
    with path.open("w", encoding="utf-8") as handle:
        json.dump(document, handle, separators=(",", ":"))


# --------------------------------------------------------------------------------------------
# Solvers
# --------------------------------------------------------------------------------------------

@dataclass
class PeerMatchRun:
    """Outcome of one `peermatch solve` call."""

    ok: bool
    wall_seconds: float
    returncode: Optional[int]
    stderr: str
    result: Optional[dict] = None
    error: str = ""


def run_peermatch(
    binary: Path,
    cohort: Path,
    policy: Path,
    out: Path,
    time_limit: float,
    solver: Optional[str] = None,
) -> PeerMatchRun:
    """Run `peermatch solve` once; time the whole call and load the result JSON."""
    command = [
        str(binary), "solve", str(cohort),
        "--policy", str(policy),
        "--format", "json",
        "--timings",
        "--time-limit", f"{time_limit:g}",
        "--out", str(out),
    ]
    if solver is not None:
        command += ["--solver", solver]
    if out.exists():
        out.unlink()

    timeout = WALL_GRACE_FACTOR * time_limit + WALL_GRACE_SECONDS
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        wall = time.perf_counter() - start
        stderr = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        return PeerMatchRun(False, wall, None, stderr, error=f"killed after {timeout:g} s wall")
    except OSError as exc:
        return PeerMatchRun(False, 0.0, None, "", error=f"could not start {binary}: {exc}")
    wall = time.perf_counter() - start

    (out.with_suffix(".stderr.txt")).write_text(proc.stderr, encoding="utf-8")
    if proc.returncode != 0:
        return PeerMatchRun(False, wall, proc.returncode, proc.stderr,
                            error=f"exit status {proc.returncode}")
    try:
        result = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return PeerMatchRun(False, wall, proc.returncode, proc.stderr,
                            error=f"no readable result JSON at {out}: {exc}")
    return PeerMatchRun(True, wall, proc.returncode, proc.stderr, result=result)


@dataclass
class MatchingCheck:
    """What a PeerMatch result says, recomputed from its `pairs`."""

    status: str
    matched: int
    cost: float  # sum over pairs of (SCORE_OFFSET - score)
    score: float  # sum over pairs of score
    solver_seconds: Optional[float]
    problems: List[str] = field(default_factory=list)


def check_matching(result: dict, inst: Instance) -> MatchingCheck:
    """Validate a result against the instance and recompute cost and score from `pairs`.

    Checks: every mentor and mentee used at most once, every pair allowed, each pair's score equals
    SCORE_OFFSET - cost from the data file, and `objective` agrees with `pairs`. `matched == n` is
    reported in `problems` for the caller to decide (greedy may legitimately fall short).
    """
    problems: List[str] = []
    status = str(result.get("status", "?"))
    pairs = result.get("pairs") or []
    objective = result.get("objective") or {}
    stats = result.get("stats") or {}
    seconds = stats.get("seconds")
    solver_seconds = float(seconds) if isinstance(seconds, (int, float)) else None

    mentor_index = {mentor_id(i): i for i in range(inst.n)}
    mentee_index = {mentee_id(j): j for j in range(inst.n)}
    lookup = None if inst.dense else inst.cost_lookup()
    matrix = inst.cost_matrix() if inst.dense else None

    used_mentors: set = set()
    used_mentees: set = set()
    total_score = 0.0
    bad_pairs = 0
    for pair in pairs:
        m, e, s = pair.get("mentor"), pair.get("mentee"), pair.get("score")
        i, j = mentor_index.get(m), mentee_index.get(e)
        if i is None or j is None or not isinstance(s, (int, float)):
            bad_pairs += 1
            continue
        if i in used_mentors or j in used_mentees:
            problems.append(f"{m} or {e} matched twice")
        used_mentors.add(i)
        used_mentees.add(j)
        total_score += float(s)
        true_cost = int(matrix[i, j]) if matrix is not None else lookup.get((i, j))
        if true_cost is None:
            problems.append(f"forbidden pair {m}-{e}")
        elif abs((SCORE_OFFSET - true_cost) - float(s)) > EPS:
            problems.append(f"pair {m}-{e} has score {s}, data says {SCORE_OFFSET - true_cost}")
    if bad_pairs:
        problems.append(f"{bad_pairs} pairs with unknown ids or no score")

    matched = len(pairs) - bad_pairs
    cost = SCORE_OFFSET * matched - total_score
    reported_matched = objective.get("matched")
    reported_score = objective.get("score")
    if reported_matched != len(pairs):
        problems.append(f"objective.matched={reported_matched} but {len(pairs)} pairs listed")
    if not isinstance(reported_score, (int, float)) or abs(reported_score - total_score) > EPS * max(1.0, total_score):
        problems.append(f"objective.score={reported_score} but pairs sum to {total_score:g}")
    if matched != inst.n:
        problems.append(f"matched {matched} of {inst.n}")
    if status not in STATUSES_WITH_MATCHING:
        problems.append(f"status {status}")
    return MatchingCheck(status, matched, cost, total_score, solver_seconds, problems)


def solve_scipy(inst: Instance) -> Tuple[int, float]:
    """Minimum cost of a perfect matching with SciPy, and the seconds spent in the solve call."""
    if inst.dense:
        matrix = inst.cost_matrix()
        start = time.perf_counter()
        row_ind, col_ind = linear_sum_assignment(matrix)
        seconds = time.perf_counter() - start
        return int(matrix[row_ind, col_ind].sum()), seconds

    # All costs are >= 1, so no explicit zero is lost when building the CSR matrix.
    graph = csr_matrix((inst.costs.astype(np.float64), (inst.rows, inst.cols)), shape=(inst.n, inst.n))
    start = time.perf_counter()
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    seconds = time.perf_counter() - start
    return int(round(float(np.asarray(graph[row_ind, col_ind]).sum()))), seconds


# --------------------------------------------------------------------------------------------
# One instance
# --------------------------------------------------------------------------------------------

@dataclass
class Row:
    """One line of the report."""

    name: str
    n: int
    pairs: int
    published: Optional[int]
    peermatch_cost: Optional[float] = None
    scipy_cost: Optional[int] = None
    peermatch_solver_seconds: Optional[float] = None
    peermatch_wall_seconds: Optional[float] = None
    scipy_seconds: Optional[float] = None
    flow_seconds: Optional[float] = None
    greedy_ratio: Optional[float] = None
    greedy_matched: Optional[int] = None
    status: str = ""
    problems: List[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def benchmark_instance(
    name: str,
    data_dir: Path,
    workdir: Path,
    binary: Path,
    optima: Dict[str, int],
    time_limit: float,
) -> Row:
    """Convert, solve with PeerMatch (exact and greedy) and SciPy, and compare."""
    inst = parse_instance(data_dir / f"{name}.txt")
    row = Row(name=name, n=inst.n, pairs=inst.pairs, published=optima.get(name))
    if row.published is None:
        row.problems.append(f"no published optimum for {name}")

    cohort_path = workdir / f"{name}.cohort.json"
    policy_path = workdir / "policy.json"
    write_json(cohort_document(inst), cohort_path)
    if not policy_path.exists():
        write_json(POLICY, policy_path)

    # SciPy reference.
    row.scipy_cost, row.scipy_seconds = solve_scipy(inst)
    if row.published is not None and row.scipy_cost != row.published:
        row.problems.append(f"scipy cost {row.scipy_cost} != published {row.published}")

    # PeerMatch, default (exact) solver.
    run = run_peermatch(binary, cohort_path, policy_path, workdir / f"{name}.result.json", time_limit)
    row.peermatch_wall_seconds = run.wall_seconds
    if not run.ok:
        row.problems.append(f"peermatch failed: {run.error}" + _stderr_tail(run.stderr))
    else:
        check = check_matching(run.result, inst)
        row.status = check.status
        row.peermatch_cost = check.cost
        row.peermatch_solver_seconds = check.solver_seconds
        row.problems += check.problems
        if check.solver_seconds is None:
            row.problems.append("stats.seconds missing from the result")
        for label, target in (("published", row.published), ("scipy", row.scipy_cost)):
            if target is not None and abs(check.cost - target) > EPS:
                row.problems.append(f"peermatch cost {check.cost:g} != {label} {target}")

    # PeerMatch, min-cost-flow solver (exact; the default for cohorts above 2 million pairs).
    flow = run_peermatch(binary, cohort_path, policy_path, workdir / f"{name}.flow.json", time_limit, solver="flow")
    if not flow.ok:
        row.problems.append(f"peermatch --solver flow failed: {flow.error}" + _stderr_tail(flow.stderr))
    else:
        fcheck = check_matching(flow.result, inst)
        row.flow_seconds = fcheck.solver_seconds
        row.problems += [f"flow: {p}" for p in fcheck.problems]
        if row.published is not None and abs(fcheck.cost - row.published) > EPS:
            row.problems.append(f"peermatch --solver flow cost {fcheck.cost:g} != published {row.published}")

    # PeerMatch, greedy solver: a quality ratio only, not required to be optimal.
    greedy = run_peermatch(binary, cohort_path, policy_path, workdir / f"{name}.greedy.json",
                           time_limit, solver="greedy")
    if not greedy.ok:
        row.problems.append(f"peermatch --solver greedy failed: {greedy.error}" + _stderr_tail(greedy.stderr))
    elif row.published is not None:
        gcheck = check_matching(greedy.result, inst)
        hard = [p for p in gcheck.problems if not p.startswith("matched ")]
        row.problems += [f"greedy: {p}" for p in hard]
        row.greedy_matched = gcheck.matched
        row.greedy_ratio = gcheck.score / (SCORE_OFFSET * inst.n - row.published)
    return row


def _stderr_tail(stderr: str, lines: int = 5) -> str:
    tail = [line for line in stderr.strip().splitlines() if line.strip()][-lines:]
    return ("\n      " + "\n      ".join(tail)) if tail else ""


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------

TABLE_HEADER = (
    "instance", "n", "pairs", "published", "peermatch cost", "scipy cost", "ok",
    "peermatch solve s (stats.seconds)", "peermatch wall s", "scipy s", "--solver flow s",
    "greedy/optimal score",
)


def _fmt_number(value: Optional[float]) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and math.isclose(value, round(value), abs_tol=EPS):
        return str(int(round(value)))
    return f"{value:g}" if isinstance(value, float) else str(value)


def _fmt_seconds(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.3f}"


def format_row(row: Row) -> List[str]:
    ok = "yes" if row.ok else "**NO**"
    if row.ok and row.status and row.status != "optimal":
        ok = f"yes ({row.status})"
    greedy = "–" if row.greedy_ratio is None else f"{row.greedy_ratio:.4f}"
    if row.greedy_matched is not None and row.greedy_matched != row.n:
        greedy += f" ({row.greedy_matched}/{row.n} matched)"
    return [
        row.name, str(row.n), str(row.pairs), _fmt_number(row.published),
        _fmt_number(row.peermatch_cost), _fmt_number(row.scipy_cost), ok,
        _fmt_seconds(row.peermatch_solver_seconds), _fmt_seconds(row.peermatch_wall_seconds),
        _fmt_seconds(row.scipy_seconds), _fmt_seconds(row.flow_seconds), greedy,
    ]


def markdown_table(rows: Sequence[Row]) -> str:
    lines = ["| " + " | ".join(TABLE_HEADER) + " |",
             "|" + "|".join("---" for _ in TABLE_HEADER) + "|"]
    lines += ["| " + " | ".join(format_row(row)) + " |" for row in rows]
    return "\n".join(lines)


def problems_report(rows: Sequence[Row]) -> str:
    out = []
    for row in rows:
        for problem in row.problems:
            out.append(f"- {row.name}: {problem}")
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------

def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Solve the OR-Library assignment instances with PeerMatch and SciPy and compare "
                    "against the published optima.",
    )
    parser.add_argument("--peermatch", type=Path, default=DEFAULT_PEERMATCH,
                        help="peermatch binary (default: %(default)s)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="folder with assign*.txt and assignopt.txt (default: %(default)s)")
    parser.add_argument("--only", metavar="NAME[,NAME]",
                        help="comma-separated subset, e.g. assign100,assignp800")
    parser.add_argument("--workdir", type=Path,
                        help="where cohort, policy and result files go (default: a temporary "
                             "directory, removed afterwards)")
    parser.add_argument("--time-limit", type=float, default=600.0, metavar="SECONDS",
                        help="passed to peermatch --time-limit (default: %(default)g)")
    args = parser.parse_args(argv)

    if args.only:
        names = [name.strip() for name in args.only.split(",") if name.strip()]
        unknown = [name for name in names if name not in INSTANCES]
        if unknown:
            parser.error(f"unknown instance(s) {', '.join(unknown)}; choose from {', '.join(INSTANCES)}")
        args.instances = [name for name in INSTANCES if name in names]
    else:
        args.instances = list(INSTANCES)
    if args.time_limit <= 0:
        parser.error("--time-limit must be positive")
    return args


def run(args: argparse.Namespace, workdir: Path) -> int:
    optima = parse_optima(args.data / OPTIMA_FILE)
    rows: List[Row] = []
    for name in args.instances:
        print(f"[orlib-assign] {name} ...", file=sys.stderr, flush=True)
        row = benchmark_instance(name, args.data, workdir, args.peermatch, optima, args.time_limit)
        verdict = "ok" if row.ok else "MISMATCH/FAILED"
        print(f"[orlib-assign] {name}: {verdict}", file=sys.stderr, flush=True)
        rows.append(row)

    print(markdown_table(rows))
    failures = problems_report(rows)
    if failures:
        print("\nProblems:\n" + failures)
        return 1
    print(f"\nAll {len(rows)} instances match the published optima.")
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    if not args.data.is_dir() or not (args.data / OPTIMA_FILE).is_file():
        print(f"error: no OR-Library data at {args.data} (expected {OPTIMA_FILE} there)", file=sys.stderr)
        return 2
    if not args.peermatch.is_file():
        print(f"error: peermatch binary not found at {args.peermatch}; run `swift build -c release` "
              "first or pass --peermatch PATH", file=sys.stderr)
        return 2
    args.peermatch = args.peermatch.resolve()

    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        return run(args, args.workdir.resolve())
    with tempfile.TemporaryDirectory(prefix="orlib-assign-") as tmp:
        return run(args, Path(tmp))


if __name__ == "__main__":
    sys.exit(main())
