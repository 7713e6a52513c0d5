#!/usr/bin/env python3
"""How fast PeerMatch reads a cohort, beside Python's json module in the same run.

Files
-----
* ``assign800.json``: OR-Library's assign800 converted to a cohort exactly as
  ``Benchmarks/orlib_assign.py`` converts it (800 mentors, 800 mentees, 640,000 staff scores;
  compact JSON, about 27 MB), read with that script's policy (people rules off, only scored pairs).
* ``generated-100k.json``: ``peermatch generate --mentees 70000 --mentors 30000 --seed 1``
  (100,000 people with interests, needs, groups, preferences and exclusions; pretty-printed).

What is timed (best of ``--repeat`` runs, bytes already in memory, CPU seconds)
------------------------------------------------------------------------------
CPU seconds of the process (``CLOCK_PROCESS_CPUTIME_ID``; Python's ``time.process_time``), which
a shared, loaded machine disturbs far less than wall time; the command's time is wall time.

* PeerMatch: ``peermatch-bench read`` times the JSON parse alone and the whole read (parse and
  validation: ids, references, every rule the policy needs), as MB/s (10^6 bytes per second).
* Python: ``json.loads`` on the same bytes (CPython's C decoder): parse only, no validation.
* The whole command: wall seconds of ``peermatch validate FILE`` (process start included).

Run from the repository root after ``swift build -c release``::

    python3 Benchmarks/read_speed.py [--repeat 5] [--workdir DIR]

Needs NumPy (for ``orlib_assign``'s conversion); ``--data`` points at the OR-Library folder
(default ``../shared/benchmarks/orlib-assign``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))


def default_data() -> Path:
    for candidate in (REPO.parent / "shared" / "benchmarks" / "orlib-assign",
                      REPO.parent.parent / "shared" / "benchmarks" / "orlib-assign"):
        if candidate.exists():
            return candidate
    return REPO.parent / "shared" / "benchmarks" / "orlib-assign"


def best_of(repeats: int, body, clock=time.process_time) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = clock()
        body()
        best = min(best, clock() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--build", type=Path, default=REPO / ".build" / "release")
    args = parser.parse_args()

    import orlib_assign  # the same conversion as the OR-Library benchmark (needs NumPy and SciPy)

    bench, peermatch = args.build / "peermatch-bench", args.build / "peermatch"
    for binary in (bench, peermatch):
        if not binary.exists():
            print(f"error: {binary} is missing; run swift build -c release", file=sys.stderr)
            return 2
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="pm-read-"))
    workdir.mkdir(parents=True, exist_ok=True)

    assign = workdir / "assign800.json"
    policy = workdir / "orlib-policy.json"
    if not assign.exists():
        inst = orlib_assign.parse_instance(args.data / "assign800.txt")
        orlib_assign.write_json(orlib_assign.cohort_document(inst), assign)
    policy.write_text(json.dumps(orlib_assign.POLICY))
    generated = workdir / "generated-100k.json"
    if not generated.exists():
        subprocess.run([str(peermatch), "generate", "--mentees", "70000", "--mentors", "30000", "--seed", "1",
                        "--out", str(generated)], check=True)

    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; best of {args.repeat} runs each, CPU seconds\n")
    print("PeerMatch (peermatch-bench read):\n")
    for file, extra in ((assign, ["--policy", str(policy)]), (generated, [])):
        out = subprocess.run([str(bench), "read", "--repeat", str(args.repeat), *extra, str(file)],
                             check=True, capture_output=True, text=True).stdout
        lines = out.strip().splitlines()
        print("\n".join(lines if file == assign else lines[2:]))
    print("\nPython json.loads and the whole `peermatch validate` command:\n")
    print("| file | MB | python json.loads s | python MB/s | peermatch validate wall s |")
    print("|---|---|---|---|---|")
    for file, extra in ((assign, ["--policy", str(policy)]), (generated, [])):
        data = file.read_bytes()
        py = best_of(args.repeat, lambda: json.loads(data))
        wall = best_of(min(3, args.repeat), lambda: subprocess.run([str(peermatch), "validate", str(file), *extra],
                                                                    check=True, capture_output=True), clock=time.perf_counter)
        mb = len(data) / 1e6
        print(f"| {file.name} | {mb:.1f} | {py:.3f} | {mb / py:.0f} | {wall:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
