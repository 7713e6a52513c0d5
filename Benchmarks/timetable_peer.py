"""The timetable benchmark's peer: HiGHS (and OR-Tools CP-SAT) on the models PeerMatch exports.

    python Benchmarks/timetable_peer.py PEERMATCH LIMIT COHORT.json... > table.md

For each cohort: `peermatch solve COHORT --time-limit LIMIT --export-model DIR/NAME.lp` (timed),
then each exported stage file solved by HiGHS and by CP-SAT, stage after stage, each with LIMIT
seconds in all (one thread each). A stage file maximises that stage with the stages before it held at the values
PeerMatch reached, so where PeerMatch proved a stage optimal the peer solves exactly the same
lexicographic problem; its optimum must then equal PeerMatch's value ("agree"). Run from a
throwaway virtualenv (highspy, ortools); never part of the tests.
"""
import json, os, re, subprocess, sys, tempfile, time


def reached(path):
    with open(path) as f:
        for line in f:
            m = re.search(r"This run reached (-?[0-9.]+)", line)
            if m:
                return float(m.group(1))
    return None


def highs(path, limit):
    import highspy
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", max(0.1, limit))
    h.setOptionValue("threads", 1)
    h.readModel(path)
    # CP-SAT's reader does not take GLPK's LP files: HiGHS writes the same model as MPS for it.
    h.writeModel(path[:-3] + ".mps")
    t = time.time()
    h.run()
    dt = time.time() - t
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    obj = info.objective_function_value if info.primal_solution_status == 2 else None
    return status, obj, info.mip_dual_bound, dt


def cpsat(path, limit):
    from ortools.linear_solver.python import model_builder
    m = model_builder.Model()
    if not m.import_from_mps_file(path[:-3] + ".mps"):
        return "unreadable", None, None, 0.0
    s = model_builder.Solver("sat")
    s.set_time_limit_in_seconds(max(0.1, limit))
    s.set_solver_specific_parameters("num_workers:1")
    t = time.time()
    st = s.solve(m)
    dt = time.time() - t
    ok = st in (model_builder.SolveStatus.OPTIMAL, model_builder.SolveStatus.FEASIBLE)
    return st.name.lower(), (s.objective_value if ok else None), (s.best_objective_bound if ok else None), dt


def peer(solver, path, limit):
    """Each solver in its own process: highspy and OR-Tools' bundled HiGHS clash in one."""
    out = subprocess.run([sys.executable, __file__, "--solve", solver, path, str(limit)], capture_output=True, text=True)
    try:
        return tuple(json.loads(out.stdout))
    except ValueError:
        return ("failed", None, None, 0.0)


def main():
    if sys.argv[1] == "--solve":
        print(json.dumps({"highs": highs, "cpsat": cpsat}[sys.argv[2]](sys.argv[3], float(sys.argv[4]))))
        return
    binary, limit, cohorts = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    print("| cohort | PeerMatch s | status | stages proven | HiGHS s | HiGHS stages optimal | HiGHS agrees | CP-SAT s | CP-SAT stages optimal | CP-SAT agrees | load |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for cohort in cohorts:
        name = os.path.splitext(os.path.basename(cohort))[0]
        with tempfile.TemporaryDirectory() as d:
            t = time.time()
            out = subprocess.run([binary, "solve", cohort, "--time-limit", str(limit), "--export-model", f"{d}/m.lp"],
                                 capture_output=True, text=True)
            pm = time.time() - t
            result = json.loads(out.stdout)
            stages = result.get("stages", [])
            files = sorted((f for f in os.listdir(d) if f.endswith(".lp")), key=lambda f: int(re.search(r"stage(\d+)", f).group(1)))
            cols = []
            for solver in ["highs", "cpsat"]:
                left, secs, optimal, agree = limit, 0.0, 0, 0
                for k, f in enumerate(files):
                    path = os.path.join(d, f)
                    status, obj, bound, dt = peer(solver, path, left)
                    left -= dt; secs += dt
                    if status.lower() == "optimal":
                        optimal += 1
                        if obj is not None and abs(obj - reached(path)) <= 1e-6 * max(1, abs(obj)):
                            agree += 1
                        elif k < len(stages) and stages[k].get("optimal"):
                            print(f"DISAGREE {name} stage {k + 1}: peer {obj}, PeerMatch {reached(path)}", file=sys.stderr)
                    if left <= 0:
                        break
                cols.append((secs, optimal, agree))
            proven = sum(1 for s in stages if s.get("optimal"))
            row = [name, f"{pm:.2f}", result.get("status"), f"{proven}/{len(stages)}"]
            for secs, optimal, agree in cols:
                row += [f"{secs:.2f}", f"{optimal}/{len(files)}", f"{agree}/{optimal}"]
            while len(row) < 10:
                row.append("n/a")
            row.append(open("/proc/loadavg").read().split()[0])
            print("| " + " | ".join(row) + " |", flush=True)


if __name__ == "__main__":
    main()
