import Foundation

extension Matcher {
    /// Re-matching a cohort without slots (`solve --previous` for schemes that only pair people):
    /// every earlier pair that is still possible stays, unless breaking it lets more mentees be
    /// matched and `maxChanges` (pairs broken, default 0) allows it. Pairs that can no longer be
    /// (someone left, a rule now forbids it, a mentor's capacity fell, a lock took the mentee) end
    /// and do not count against the limit.
    ///
    /// The model is ``MatchingModel`` plus one row and one stage: K = the earlier pairs still
    /// possible, Σ_{p∈K} x(p) ≥ |K| − maxChanges, and after the priority stages, maximise
    /// Σ_{p∈K} x(p), so a pair is broken only for a mentee more, never for a better score. That
    /// row makes the model no longer a network, so GLPK's branch-and-cut solves it (and the flow
    /// solver is not used for re-matching).
    func rematchWithoutSlots(_ cohort: Cohort, previous: PreviousResult, maxChanges: Int?) throws -> MatchResult {
        guard policy.method == .optimal else {
            throw MatchInputError(messages: ["policy: re-matching (--previous) keeps earlier pairs under method optimal; method \(policy.method.rawValue) chooses pairs by other means, so solve without --previous or use an optimal policy"])
        }
        if let maxChanges, maxChanges < 0 { throw MatchInputError(messages: ["--max-changes must be 0 or more"]) }
        let start = Date()
        report("finding candidate pairs among \(cohort.mentors.count) mentors and \(cohort.mentees.count) mentees", since: start)
        let (ctx, problem) = try self.problem(for: cohort)
        let tctx = TimetableContext(cohort: cohort, policy: policy)
        let plan = try RematchPlan(previous, problem: problem, ctx: ctx, tctx: tctx)
        let limit = maxChanges ?? 0
        let locked = Set(problem.locked)
        let keep = plan.previousOfPair.keys.filter { !locked.contains($0) }.sorted()
        // Keeping every earlier pair is always possible (they were a matching, and the plan ended
        // those that no longer fit): greedy from there is the fallback, and GLPK's start.
        let keeping = MatchingProblem(pairs: problem.pairs, capacity: problem.capacity, priority: problem.priority,
                                      minimum: problem.minimum, minimumMode: problem.minimumMode, locked: problem.locked + keep)
        func greedy(_ reason: String, stats: (Int, Int)) -> Outcome {
            let g = GreedyMatcher().solve(keeping, limits: limits)
            if !g.meetsHardMinimum {
                return Outcome(selection: [], status: .infeasible, solver: "greedy", fallback: reason, bound: nil,
                               diagnosis: ["The greedy solver found no matching that keeps the earlier pairs and gives every mentor the hard minimum; this is not a proof that none exists."]
                                   + Diagnosis.explainInfeasible(problem, ctx),
                               stats: (stats.0, stats.1, "greedy", "hard minimum not met"))
            }
            return Outcome(selection: g.selection, status: .fallback, solver: "greedy", fallback: reason + "; every earlier pair that is still possible was kept",
                           bound: nil, diagnosis: [], stats: (stats.0, stats.1, "greedy", "heuristic"))
        }
        var outcome: Outcome
        var notes: [String] = []
        if let diagnosis = Diagnosis.provenInfeasible(problem, ctx) {
            outcome = Outcome(selection: [], status: .infeasible, solver: solver.rawValue, fallback: nil, bound: nil,
                              diagnosis: diagnosis, stats: (0, 0, "pre-check", "hard minimum cannot hold"))
        } else if solver == .greedy {
            outcome = greedy("the greedy solver was requested (--solver greedy)", stats: (0, 0))
        } else {
            if solver == .flow { notes.append("--solver flow: re-matching adds a limit on the pairs that change, which is not a network, so GLPK solved this cohort") }
            let mm = MatchingModel(problem)
            var model = mm.model
            if !keep.isEmpty {
                let row = model.addRow("earlier pairs kept", columns: keep.map { Int32($0) }, coefficients: Array(repeating: 1, count: keep.count),
                                       lower: Double(max(0, keep.count - limit)), upper: Double(keep.count))
                model.stages.insert(.init(name: "earlier pairs kept", objective: .row(row), integral: true), at: problem.priorityLevels.count)
            }
            var opts = options
            if opts.start == nil {
                let g = GreedyMatcher(improve: false).solve(keeping)
                if g.meetsHardMinimum { opts.start = mm.point(for: g.selection) }
            }
            report("re-matching with GLPK: \(problem.pairs.count) candidate pairs, \(keep.count) earlier pairs to keep", since: start)
            let solution = backend.solve(model, options: opts)
            let size = (model.columnCount, model.rowCount)
            switch solution.termination {
            case .infeasible:
                outcome = Outcome(selection: [], status: .infeasible, solver: backend.name, fallback: nil, bound: nil,
                                  diagnosis: Diagnosis.explainInfeasible(problem, ctx)
                                      + (keep.isEmpty ? [] : ["keeping all but \(limit) of the \(keep.count) earlier pairs may itself be impossible with the hard minimum; a larger --max-changes may help"]),
                                  stats: (size.0, size.1, solution.method, solution.rawStatus))
            case .failed where solution.values == nil, .timeLimit where solution.values == nil:
                let why = solution.termination == .failed ? "GLPK failed (\(solution.rawStatus))"
                    : "GLPK reached \(options.run.cutDescription) without a matching (\(solution.rawStatus))"
                outcome = greedy(why, stats: size)
            default:
                let selection = mm.selection(from: solution.values ?? [])
                let problems = Verifier.check(selection, problem, ctx)
                let kept = Set(selection).intersection(keep).count
                if !problems.isEmpty || kept < keep.count - limit {
                    outcome = greedy("GLPK's answer failed verification: " + (problems.prefix(3) + (kept < keep.count - limit ? ["it broke more earlier pairs than --max-changes allows"] : [])).joined(separator: "; "), stats: size)
                } else {
                    let complete = solution.stageValues.count == model.stages.count
                    outcome = Outcome(selection: selection, status: solution.termination == .optimal && complete ? .optimal : .feasible,
                                      solver: backend.name, fallback: nil, bound: complete ? solution.bound.map { Int($0.rounded(.down)) } : nil,
                                      diagnosis: [], stats: (size.0, size.1, solution.method, solution.rawStatus))
                }
            }
        }
        outcome.notes += notes + plan.departureNotes(ctx: ctx)
        var result = assemble(ctx, problem, outcome, start: start)
        let t = Timetabling(selection: outcome.selection, sessions: outcome.selection.map { _ in [] })
        let changes = plan.changes(t, problem: problem, ctx: ctx, tctx: tctx, maxChanges: limit)
        // When the change limit is used up, say so where earlier pairs hold the places someone lacks.
        if outcome.status != .infeasible && changes.filter(\.counted).count >= limit {
            let kept = Set(outcome.selection).intersection(keep)
            var keptByMentor = [Int: Int]()
            for p in kept { keptByMentor[Int(problem.pairs.mentor[p]), default: 0] += 1 }
            for k in result.unmatched.indices where result.unmatched[k].role == .mentee {
                guard let j = ctx.menteeIndex[result.unmatched[k].id] else { continue }
                let held = Set(problem.pairs.pairs(ofMentee: j).map { Int(problem.pairs.mentor[$0]) }).reduce(0) { $0 + (keptByMentor[$1] ?? 0) }
                guard held > 0 else { continue }
                result.unmatched[k].reasons.append("earlier pairs kept by the re-match hold \(held) of those places, and the change limit (--max-changes \(limit)) is reached")
            }
        }
        result.timetable = TimetableReport(setup: tctx.setup, softHundredths: 0, approach: "re-matching without slots",
                                           matchedBound: nil, changes: changes, maxChanges: limit)
        return result
    }
}

extension RematchPlan {
    /// "m3 and e7 from the previous result are not in this cohort: ...": said once, in the result's notes.
    func departureNotes(ctx: PairingContext) -> [String] {
        guard !departed.isEmpty else { return [] }
        let ids = departed.map(\.rawValue)
        return ["\(Explainer.shortList(ids)) \(ids.count == 1 ? "is" : "are") in the previous result but not in this cohort, so \(ids.count == 1 ? "their pair ends" : "their pairs end") (listed under changes); references to them in the cohort file were ignored with a warning"]
    }
}
