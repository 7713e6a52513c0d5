import Foundation

/// Problems with a cohort that only show once the policy is known (a lock that breaks a hard rule).
public struct MatchInputError: Error, Sendable, CustomStringConvertible {
    public var messages: [String]
    public var description: String { messages.joined(separator: "\n") }
}

/// A limit stopped candidate generation: there is nothing to match yet.
public struct MatchStopped: Error, Sendable {
    public var cut: SolveLimits.Cut
}

/// What a long match is doing, for a progress line on the terminal or a web page's progress bar:
/// the stage in plain words, how far it is (when the stage can count), and the seconds since the
/// match began. Reported through ``Matcher/progress`` at each stage and, within long stages, about
/// every second's worth of work; never part of any result, so output stays byte-identical.
public struct MatchProgress: Sendable, Hashable {
    /// "finding candidate pairs", "solving with GLPK", "min-cost flow, stage 2 of 3", "explaining the result".
    public var stage: String
    /// Work done in this stage (mentees scanned, stages solved, ...), when it counts.
    public var done: Int?
    /// The stage's total, when known.
    public var total: Int?
    /// Seconds since the match began.
    public var elapsed: Double

    public init(stage: String, done: Int? = nil, total: Int? = nil, elapsed: Double) {
        self.stage = stage; self.done = done; self.total = total; self.elapsed = elapsed
    }

    /// "solving with GLPK (stage 2 of 4), 12 s".
    public var description: String {
        var text = stage
        if let done, let total { text += " (\(done) of \(total))" } else if let done { text += " (\(done))" }
        return text + String(format: ", %.0f s", elapsed)
    }
}

/// The library's front door: cohort and policy in, matching with reasons out.
///
/// ```swift
/// let cohort = try CohortReader.read(path: "instances/examples/secondary-transition.json")
/// let result = try Matcher(policy: .default).match(cohort)
/// for pair in result.pairs { print(pair.mentor, pair.mentee, pair.reasons) }
/// ```
public struct Matcher: Sendable {
    public var policy: Policy
    public var solver: SolverChoice
    public var options: SolveOptions
    public var backend: any LinearBackend
    /// Seeds the tie-breaking lottery of method `stable` and the random scores of method `random`.
    public var seed: UInt64
    /// Timetables: each mentee's best pairs (at their best sessions) in the first restricted master
    /// of the column generation; more come in as they price out. Tests set 0 to force pricing.
    public var timetableSeedPairsPerMentee = 3
    /// Called at each stage of a match (and within long ones), from the thread that runs it. The
    /// CLI prints it on stderr; the store and the web page show it. Nil: nothing is reported.
    public var progress: (@Sendable (MatchProgress) -> Void)? = nil

    /// Tells ``progress`` what is happening.
    func report(_ p: MatchProgress) { progress?(p) }
    func report(_ stage: String, since start: Date, done: Int? = nil, total: Int? = nil) {
        progress?(MatchProgress(stage: stage, done: done, total: total, elapsed: Date().timeIntervalSince(start)))
    }

    public init(policy: Policy = .default, solver: SolverChoice = .auto, options: SolveOptions = SolveOptions(),
                backend: any LinearBackend = GLPKBackend(), seed: UInt64 = 0) {
        self.policy = policy; self.solver = solver; self.options = options; self.backend = backend; self.seed = seed
    }

    /// Builds the problem a cohort poses under this policy; throws when a lock breaks a hard rule.
    ///
    /// - Parameter stoppable: let the limits stop candidate generation (``MatchStopped``); only
    ///   ``match(_:)`` of a cohort without a timetable asks it (the timetable planner and other
    ///   callers need the pairs whatever the time).
    public func problem(for cohort: Cohort, stoppable: Bool = false) throws -> (PairingContext, MatchingProblem) {
        let ctx = PairingContext(cohort: cohort, policy: policy)
        let errors = inputProblems(cohort, context: ctx)
        if !errors.isEmpty { throw MatchInputError(messages: errors) }
        guard let pairs = CandidatePairs(ctx, limits: stoppable ? options.limits : nil) else {
            throw MatchStopped(cut: options.limits?.cut ?? SolveLimits.Cut(kind: .time, stage: "candidates"))
        }
        let locked = cohort.locked.compactMap { lock in
            ctx.mentorIndex[lock.mentor].flatMap { i in ctx.menteeIndex[lock.mentee].flatMap { j in pairs.index(mentor: i, mentee: j) } }
        }
        let problem = MatchingProblem(pairs: pairs, capacity: cohort.mentors.map(\.capacity),
                                      priority: cohort.mentees.map(\.priority),
                                      minimum: policy.mentorMinimum.count, minimumMode: policy.mentorMinimum.mode,
                                      locked: locked)
        return (ctx, problem)
    }

    /// What makes a cohort unsolvable under this policy before any solve: a lock that is not a
    /// mentor and a mentee of the cohort or breaks a hard rule, and a hard minimum with method
    /// stable. Needs no candidate pairs, so `compare` asks it of every cohort and policy before
    /// its first solve.
    public func inputProblems(_ cohort: Cohort, context: PairingContext? = nil) -> [String] {
        var errors: [String] = []
        if !cohort.locked.isEmpty {
            let ctx = context ?? PairingContext(cohort: cohort, policy: policy)
            errors += lockProblems(cohort, ctx)
        }
        if policy.method == .stable && policy.mentorMinimum.mode == .hard && policy.mentorMinimum.count > 0 {
            errors.append("policy: a hard mentorMinimum cannot be combined with method stable")
        }
        return errors
    }

    private func lockProblems(_ cohort: Cohort, _ ctx: PairingContext) -> [String] {
        var errors: [String] = []
        for (k, lock) in cohort.locked.enumerated() {
            guard let i = ctx.mentorIndex[lock.mentor], let j = ctx.menteeIndex[lock.mentee] else {
                errors.append("locked[\(k)]: (\(lock.mentor), \(lock.mentee)) is not a mentor and a mentee of this cohort")
                continue
            }
            if let rule = HardRules.violations(mentor: i, mentee: j, in: ctx).first {
                errors.append("locked[\(k)]: the pair (\(lock.mentor), \(lock.mentee)) breaks the hard rule \(rule.id): \(rule.rejection(mentor: i, mentee: j, in: ctx))")
            }
        }
        return errors
    }

    /// Matches a cohort by the policy's method, verifies the result against every hard rule and
    /// explains it.
    public func match(_ cohort: Cohort) throws -> MatchResult {
        guard options.limits != nil else { return try withRunLimits().match(cohort) }
        if cohort.timetable != nil { return try matchTimetabled(cohort, previous: nil, maxChanges: nil) }
        let start = Date()
        report("finding candidate pairs among \(cohort.mentors.count) mentors and \(cohort.mentees.count) mentees", since: start)
        let ctx: PairingContext, problem: MatchingProblem
        do { (ctx, problem) = try self.problem(for: cohort, stoppable: true) } catch let stopped as MatchStopped { return self.stopped(cohort, stopped.cut, start: start) }
        var outcome: Outcome
        switch policy.method {
        case .optimal:
            outcome = optimise(ctx, problem, start: start)
        case .random:
            outcome = optimise(ctx, problem, scores: randomScores(problem), start: start)
            outcome.bound = nil
            outcome.notes.append("method random: every candidate pair's score was replaced by a random number (seed \(seed)); the matching is the best for those numbers among those matching the most mentees, and the scores shown are the pairs' real scores")
        case .fair:
            outcome = FairMatcher(matcher: self).solve(ctx, problem)
        case .stable:
            outcome = stable(ctx, problem)
        }
        return assemble(ctx, problem, outcome, start: start)
    }

    /// What a method hands to ``assemble``.
    struct Outcome {
        var selection: [Int]
        var status: MatchStatus
        var solver: String
        var fallback: String?
        var bound: Int?
        var diagnosis: [String]
        var stats: (variables: Int, constraints: Int, method: String, raw: String)
        var notes: [String] = []
        var ties: (mentees: Int, mentors: Int)? = nil
        var optimalScore: Int? = nil
        /// Stated ranks when the method already built them.
        var ranks: PreferenceRanks? = nil
        /// The limit that cut a stage short, if one did.
        var limit: SolveLimits.Cut? = nil
    }

    /// Seeded random scores, one per candidate pair, for method random.
    func randomScores(_ problem: MatchingProblem) -> [Int] {
        var rng = SeededRandom(seed: seed)
        return (0..<problem.pairs.count).map { _ in rng.int(1_000_000) }
    }

    /// The limits of this run: the options' shared ones, or fresh ones from the time and work limits.
    var limits: SolveLimits {
        options.limits ?? SolveLimits(timeLimit: options.timeLimit, workLimit: options.workLimit)
    }

    /// This matcher with its limits fixed for one run, so every stage shares them.
    func withRunLimits() -> Matcher {
        var copy = self
        if copy.options.limits == nil { copy.options.limits = limits }
        return copy
    }

    /// The exact network solver `auto` uses for a problem, or nil when GLPK must solve it (a
    /// soft mentor minimum is not a network). Measured side by side on the same problems
    /// (`peermatch-bench solvers`, README "Choosing the solver"); chosen by the problem's shape
    /// only, so the same input always takes the same path and gives the same bytes.
    public func networkSolver(for problem: MatchingProblem) -> NetworkSolver? {
        switch solver {
        case .glpk, .greedy: return nil
        case .paths: return .paths
        case .lemon: return .lemonNetworkSimplex
        case .flow: return .costScaling
        case .auto:
            guard !problem.hasSoftMinimum else { return nil }
            return PathMatcher.applies(to: problem) ? .paths : .lemonNetworkSimplex
        }
    }

    /// Seconds kept back from an exact solve for what follows it if it is cut: the greedy
    /// fallback, checking and explaining the result, and writing it. Measured in this run, not
    /// assumed: `measured` is the seconds this run's candidate generation took, and what follows
    /// a cut scales like it (per pair and per person) and runs at the same share of the machine.
    /// The estimate at a quiet machine's rates (about 25 ns a candidate pair and 20 µs a person
    /// after a cut, 34 ns a pair and 8 µs a person for the candidates; 2-core machine) is
    /// multiplied by how much slower this run's candidates were than that, then doubled for
    /// safety; never more than a third of the time limit. Before (issue 14), the network path
    /// kept the quiet estimate whatever the load: 11.7–11.9% over at 20 and 40 s under load.
    func reserve(for problem: MatchingProblem, limits: SolveLimits, measured: Double = 0) -> Double {
        guard let t = limits.timeLimit, t.isFinite else { return 0 }
        let pairs = Double(problem.pairs.count), people = Double(problem.menteeCount + problem.mentorCount)
        let estimate = 2 * slowdown(problem, measured: measured) * (25e-9 * pairs + 20e-6 * people)
        return min(t / 3, max(0.02 * t, estimate, measured))
    }

    /// Seconds kept back from the greedy (the fallback after a cut, or `--solver greedy`) for what
    /// follows it: verifying and explaining the matching (the blocking pairs and both sides' ranks
    /// read every candidate pair) and writing it: about 8 ns a candidate pair and 20 µs a person on
    /// a quiet 2-core machine (a profile of 20,000 x 6,700: the explanations 1.5 CPU s over 97.7 M
    /// pairs on both cores, the writing 0.4 s), at this run's measured slowdown, doubled; never
    /// more than a quarter of the limit. Before, the greedy's local search ran to the command's
    /// own deadline, so all of that came after it: 20,000 x 6,700 at `--time-limit 10` ended after
    /// 11.38 s on a quiet machine (+13.8%); and then the estimate was 2 ns a pair and 12 µs a
    /// person, under half of what the profile found.
    func reserveAfterGreedy(for problem: MatchingProblem, limits: SolveLimits, measured: Double = 0) -> Double {
        guard let t = limits.timeLimit, t.isFinite else { return 0 }
        let pairs = Double(problem.pairs.count), people = Double(problem.menteeCount + problem.mentorCount)
        let estimate = 2 * slowdown(problem, measured: measured) * (8e-9 * pairs + 20e-6 * people)
        return min(t / 4, max(0.01 * t, estimate))
    }

    /// How much slower this run's candidate generation (`measured` seconds) was than on a quiet
    /// machine (about 34 ns a candidate pair and 8 µs a person): between 1 and 20.
    private func slowdown(_ problem: MatchingProblem, measured: Double) -> Double {
        let quiet = 34e-9 * Double(problem.pairs.count) + 8e-6 * Double(problem.menteeCount + problem.mentorCount)
        return measured > 0 && quiet > 0 ? min(20, max(1, measured / quiet)) : 1
    }

    /// The lexicographic optimum (priorities, minimum, total of `scores` or the pair scores) by the
    /// chosen solver, with the greedy fallback; verified against every hard rule.
    func optimise(_ ctx: PairingContext, _ problem: MatchingProblem, scores: [Int]? = nil, stage: String = "exact solve",
                  start: Date = Date()) -> Outcome {
        if let diagnosis = Diagnosis.provenInfeasible(problem, ctx) {
            // Named after the exact solver that would have run (the pre-check proved it needless).
            let name = solver == .greedy ? "greedy" : networkSolver(for: problem)?.rawValue ?? backend.name
            return Outcome(selection: [], status: .infeasible, solver: name, fallback: nil, bound: nil,
                           diagnosis: diagnosis, stats: (0, 0, "pre-check", "hard minimum cannot hold"))
        }
        let solved = scores.map { problem.withScores($0) } ?? problem
        let limits = self.limits
        // The greedy runs (requested, or the fallback) stop early enough to leave the rest of the
        // command its time.
        let greedyLimits = limits.reserving(seconds: reserveAfterGreedy(for: solved, limits: limits,
                                                                        measured: Date().timeIntervalSince(start)))
        func greedy(_ ctx: PairingContext, _ problem: MatchingProblem, reason: String, stats: (Int, Int),
                    outcome: GreedyMatcher.Outcome? = nil, partial: [Int]? = nil, cut: SolveLimits.Cut? = nil) -> Outcome {
            self.greedy(ctx, problem, reason: reason, stats: stats, limits: greedyLimits,
                        outcome: outcome, partial: partial, cut: cut)
        }
        if solver == .greedy {
            return greedy(ctx, solved, reason: "the greedy solver was requested (--solver greedy)", stats: (0, 0))
        }
        // Why GLPK solves a cohort meant for a network solver (said in the output).
        var instead: String? = nil
        if let network = networkSolver(for: solved) {
            let exact = limits.reserving(seconds: reserve(for: solved, limits: limits, measured: Date().timeIntervalSince(start)))
            report("solving by \(network.title): \(solved.pairs.count) candidate pairs", since: start)
            let r = network.solve(solved, limits: exact, stage: stage)
            let nodes = solved.menteeCount + solved.mentorCount + 1
            switch r.status {
            case .optimal:
                let bound = solved.evaluate(r.selection).score
                return Outcome(selection: r.selection, status: .optimal, solver: network.rawValue, fallback: nil, bound: bound,
                               diagnosis: [], stats: (r.loadedPairs, nodes, network.method, r.summary))
            case .infeasible:
                return Outcome(selection: [], status: .infeasible, solver: network.rawValue, fallback: nil, bound: nil,
                               diagnosis: Diagnosis.explainInfeasible(problem, ctx), stats: (r.loadedPairs, nodes, network.method, r.summary))
            case .stopped(let kind):
                let why = "\(limits.describe(kind)) cut the \(network.rawValue) solver (\(r.summary))"
                return greedy(ctx, solved, reason: why, stats: (r.loadedPairs, nodes), partial: r.selection, cut: exact.cut)
            case .notApplicable:
                instead = "\(r.summary), so GLPK solved this cohort"
            case .failed(let why):
                instead = "the \(network.rawValue) solver failed (\(why)), so GLPK solved this cohort"
            }
        }
        // Building GLPK's model of millions of pairs takes seconds: the limits are checked before
        // and after it (and while GLPK loads it), and a cut there falls back to the greedy.
        var opts = options
        // On GLPK's path the fallback, the explanation and the output's writing are kept the time
        // the candidates took too: they take about as long, and the same share of a loaded machine.
        let exact = limits.reserving(seconds: reserve(for: solved, limits: limits, measured: Date().timeIntervalSince(start)))
        opts.limits = exact
        if exact.check(stage: GLPKBackend.buildingStage) != nil {
            return greedy(ctx, solved, reason: "\(limits.describe(exact.cut?.kind ?? .time)) ran out before GLPK's model was built",
                          stats: (0, 0), cut: exact.cut)
        }
        let model = MatchingModel(solved)
        // Start GLPK from the greedy construction (without its local search): on a 5,000-mentee
        // cohort that took the simplex from over 60 s to 50 s in all; on 2,000 from 9.1 to 7.1 s.
        // Kept: it is also the fallback's construction when a limit cuts GLPK.
        var construction: GreedyMatcher.Outcome? = nil
        if opts.start == nil {
            let start = GreedyMatcher(improve: false).solve(solved, limits: .none)
            if start.meetsHardMinimum { opts.start = model.point(for: start.selection) }
            construction = start
        }
        let size = (model.model.columnCount, model.model.rowCount)
        // The fallback: the greedy within what is left of the limits, or its construction (made
        // above, complete) when no time is left or the greedy run now is cut short.
        func fallback() -> GreedyMatcher.Outcome? {
            guard let construction else { return nil }
            if greedyLimits.check(stage: "greedy") != nil { return construction }
            let now = GreedyMatcher().solve(solved, limits: greedyLimits)
            return now.complete && solved.evaluate(now.selection) >= solved.evaluate(construction.selection) ? now : construction
        }
        if exact.check(stage: GLPKBackend.buildingStage) != nil {
            return greedy(ctx, solved, reason: "\(limits.describe(exact.cut?.kind ?? .time)) ran out while GLPK's model was built",
                          stats: size, outcome: fallback(), cut: exact.cut)
        }
        report("solving with GLPK: \(solved.pairs.count) candidate pairs, \(model.model.stages.count) stages", since: start)
        let solution = backend.solve(model.model, options: opts)
        let cut = opts.limits?.cut
        switch solution.termination {
        case .infeasible:
            return Outcome(selection: [], status: .infeasible, solver: backend.name, fallback: nil, bound: nil,
                           diagnosis: Diagnosis.explainInfeasible(problem, ctx),
                           stats: (size.0, size.1, solution.method, solution.rawStatus))
        case .failed where solution.values == nil, .timeLimit where solution.values == nil:
            let why = solution.termination == .failed ? "GLPK failed (\(solution.rawStatus))"
                : "\(cut.map { limits.describe($0.kind) } ?? "the time limit") cut GLPK before it had a matching (\(solution.rawStatus))"
            return greedy(ctx, solved, reason: why, stats: size, outcome: fallback(), cut: cut)
        default:
            break
        }
        let selection = model.selection(from: solution.values ?? [])
        let problems = Verifier.check(selection, problem, ctx)
        if !problems.isEmpty {
            return greedy(ctx, solved, reason: "GLPK's answer failed verification: " + problems.prefix(3).joined(separator: "; "),
                          stats: size)
        }
        let lastStageComplete = solution.stageValues.count == model.model.stages.count
        let status: MatchStatus = solution.termination == .optimal && lastStageComplete ? .optimal : .feasible
        if status == .feasible {
            // Stopped early: keep whichever of GLPK's point and the greedy matching is better.
            let outcome = fallback() ?? GreedyMatcher().solve(solved, limits: greedyLimits)
            if outcome.meetsHardMinimum, solved.evaluate(outcome.selection) > solved.evaluate(selection) {
                let why = "GLPK stopped early (\(solution.rawStatus)) with a matching worse than the greedy solver's"
                return greedy(ctx, solved, reason: why, stats: size, outcome: outcome, cut: cut)
            }
        }
        let bound = lastStageComplete ? solution.bound.map { Int($0.rounded(.down)) } : nil
        var notes = instead.map { [solver == .auto ? $0 : "--solver \(solver.rawValue): \($0)"] } ?? []
        if solver == .glpk && networkSolver(for: solved) == nil && !solved.hasSoftMinimum && solved.pairs.count > 100_000 {
            notes.append("--solver glpk: GLPK's simplex is much slower than the network solvers on a cohort this size; the default (auto) picks the fastest exact solver")
        }
        return Outcome(selection: selection, status: status, solver: backend.name, fallback: nil, bound: bound,
                       diagnosis: [], stats: (size.0, size.1, solution.method, solution.rawStatus), notes: notes,
                       limit: status == .feasible ? cut : nil)
    }

    /// The greedy matching (or, when a cut exact solve left a better partial one, that), within
    /// what is left of the limits.
    private func greedy(_ ctx: PairingContext, _ problem: MatchingProblem, reason: String, stats: (Int, Int),
                        limits greedyLimits: SolveLimits,
                        outcome: GreedyMatcher.Outcome? = nil, partial: [Int]? = nil, cut: SolveLimits.Cut? = nil) -> Outcome {
        let limits = self.limits
        var outcome = outcome ?? GreedyMatcher().solve(problem, limits: greedyLimits)
        if let partial, problem.violations(partial).isEmpty, problem.evaluate(partial) > problem.evaluate(outcome.selection) {
            outcome = GreedyMatcher.Outcome(selection: partial, meetsHardMinimum: true)
        }
        let limit = cut ?? limits.cut
        if !outcome.meetsHardMinimum {
            return Outcome(selection: [], status: .infeasible, solver: "greedy", fallback: reason, bound: nil,
                           diagnosis: ["The greedy solver found no matching that gives every mentor the hard minimum; this is not a proof that none exists."]
                               + Diagnosis.explainInfeasible(problem, ctx),
                           stats: (stats.0, stats.1, "greedy", "hard minimum not met"), limit: limit)
        }
        // Verified with every other method's result in assemble.
        return Outcome(selection: outcome.selection, status: .fallback, solver: "greedy", fallback: reason,
                       bound: nil, diagnosis: [], stats: (stats.0, stats.1, "greedy", "heuristic"), limit: limit)
    }

    /// Method stable: deferred acceptance on the lists (verified, like every other result, in assemble).
    private func stable(_ ctx: PairingContext, _ problem: MatchingProblem) -> Outcome {
        let result = StableMatcher(proposer: policy.proposer, seed: seed).solve(problem, ctx: ctx)
        var notes = ["method stable: \(policy.proposer == .mentees ? "mentee" : "mentor")-proposing deferred acceptance gives the \(policy.proposer == .mentees ? "mentee" : "mentor")-optimal stable matching; a non-empty preference list that leaves someone out rules that pair out, an empty list accepts every compatible partner ranked by pair score, then id; mentee priorities and the mentor minimum are not used"]
        if !problem.locked.isEmpty {
            notes.append("\(problem.locked.count) locked pair\(problem.locked.count == 1 ? " was" : "s were") made first; the rest is stable for the remaining places")
        }
        let ties = result.menteeTiesBroken + result.mentorTiesBroken
        if ties > 0 {
            notes.append("ties: a lottery with seed \(seed) ordered \(result.menteeTiesBroken) tie group\(result.menteeTiesBroken == 1 ? "" : "s") in mentees' lists and \(result.mentorTiesBroken) in mentors' lists; another --seed may give another stable matching")
        }
        let method = "deferred acceptance (\(policy.proposer == .mentees ? "mentees" : "mentors") propose)"
        return Outcome(selection: result.selection, status: .optimal, solver: "stable", fallback: nil, bound: nil,
                       diagnosis: [], stats: (0, 0, method, "\(result.proposals) proposals"), notes: notes,
                       ties: (result.menteeTiesBroken, result.mentorTiesBroken), ranks: result.statedRanks)
    }

    func assemble(_ ctx: PairingContext, _ problem: MatchingProblem, _ o: Outcome, start: Date) -> MatchResult {
        report("explaining the result: \(o.selection.count) pairs", since: start)
        // Last gate for every method: a pair a hard rule forbids is never returned.
        let problems = o.status == .infeasible ? [] : Verifier.check(o.selection, problem, ctx)
        precondition(problems.isEmpty, "method \(policy.method.rawValue) produced an invalid matching: \(problems.prefix(3))")
        let eval = problem.evaluate(o.selection)
        let ranks = o.ranks ?? PreferenceRanks(problem: problem, ctx: ctx)
        let explainer = Explainer(ctx: ctx, problem: problem, selection: o.selection, ranks: ranks, infeasible: o.status == .infeasible)
        let levels = problem.priorityLevels.enumerated().map { k, level in
            (priority: level, matched: eval.matchedByLevel[k], of: problem.priority.filter { $0 == level }.count)
        }
        var report = PreferenceReport.of(selection: o.selection, problem: problem, ctx: ctx, ranks: ranks)
        report.tiesBroken = o.ties
        var notes = o.notes
        if let limits = options.limits, let cut = limits.cut, o.status != .optimal {
            notes.append(cut.kind == .work
                ? "\(limits.cutDescription) cut this run; the same cohort, policy, seed and limits give this result again on any machine"
                : "\(limits.cutDescription) cut this run, shared by every stage and the greedy fallback; a wall-clock limit depends on the machine and its load, so another run may differ: --work-limit gives a limited run that can be reproduced")
        }
        let usesSeed = policy.method == .random || policy.method == .stable
        var result = MatchResult(
            status: o.status, method: policy.method, seed: usesSeed ? seed : nil, solver: o.solver, fallbackReason: o.fallback,
            matched: eval.matched, scoreHundredths: eval.score,
            matchedByPriority: levels,
            mentorsAtMinimum: problem.hasSoftMinimum ? eval.mentorsAtMinimum : nil,
            boundHundredths: o.bound, pairs: explainer.pairs(), unmatched: explainer.unmatched(),
            shortfalls: explainer.shortfalls(), diagnosis: o.diagnosis,
            stats: MatchStats(candidates: problem.pairs.count, variables: o.stats.variables, constraints: o.stats.constraints,
                              seconds: Date().timeIntervalSince(start), method: o.stats.method, rawStatus: o.stats.raw),
            preferences: report,
            minPairScoreHundredths: o.selection.map { problem.pairs.score[$0] }.min(),
            optimalScoreHundredths: o.optimalScore, notes: notes)
        result.limit = o.limit.map { limitReport($0) }
        result.stats.work = limits.workUsed
        return result
    }

    /// The result when a limit stops the run before any matching exists.
    func stopped(_ cohort: Cohort, _ cut: SolveLimits.Cut, start: Date) -> MatchResult {
        let levels = Array(Set(cohort.mentees.map(\.priority))).sorted(by: >)
        var result = MatchResult(
            status: .stopped, method: policy.method, seed: nil, solver: solver.rawValue, fallbackReason: nil,
            matched: 0, scoreHundredths: 0,
            matchedByPriority: levels.map { level in (level, 0, cohort.mentees.filter { $0.priority == level }.count) },
            mentorsAtMinimum: nil, boundHundredths: nil, pairs: [], unmatched: [], shortfalls: [], diagnosis: [],
            stats: MatchStats(candidates: 0, variables: 0, constraints: 0, seconds: Date().timeIntervalSince(start),
                              method: "none", rawStatus: "stopped at \(cut.stage)"),
            preferences: PreferenceReport(blockingPairs: 0, mentees: RankStatistics(), mentors: RankStatistics(), tiesBroken: nil),
            minPairScoreHundredths: nil, optimalScoreHundredths: nil,
            notes: ["\(limits.describe(cut.kind)) ran out during \(cut.stage), before any matching was found; nothing is matched (give more time or work)"])
        result.limit = limitReport(cut)
        result.stats.work = limits.workUsed
        return result
    }

    /// A cut in the result's terms, with the limit as given.
    func limitReport(_ cut: SolveLimits.Cut) -> LimitReport {
        let value: Double? = switch cut.kind {
        case .time: limits.timeLimit
        case .work: limits.workLimit.map(Double.init)
        case .cancelled: nil
        }
        return LimitReport(kind: cut.kind, stage: cut.stage, value: value)
    }
}

extension PreferenceReport {
    /// Blocking pairs and both sides' rank statistics of a selection.
    static func of(selection: [Int], problem: MatchingProblem, ctx: PairingContext, ranks: PreferenceRanks) -> PreferenceReport {
        var mentee = (listed: 0, sum: 0, first: 0, top3: 0), mentor = (listed: 0, sum: 0, first: 0, top3: 0)
        for p in selection {
            let i = Int(problem.pairs.mentor[p]), j = Int(problem.pairs.mentee[p])
            if let r = ctx.menteeRank(mentor: i, mentee: j) {
                mentee.listed += 1; mentee.sum += r
                if r == 1 { mentee.first += 1 }
                if r <= 3 { mentee.top3 += 1 }
            }
            if let r = ctx.mentorRank(mentor: i, mentee: j) {
                mentor.listed += 1; mentor.sum += r
                if r == 1 { mentor.first += 1 }
                if r <= 3 { mentor.top3 += 1 }
            }
        }
        func stats(_ s: (listed: Int, sum: Int, first: Int, top3: Int)) -> RankStatistics {
            RankStatistics(pairs: selection.count, listed: s.listed,
                           meanRank: s.listed == 0 ? nil : Double(s.sum) / Double(s.listed), firstChoice: s.first, topThree: s.top3)
        }
        return PreferenceReport(blockingPairs: BlockingPairs.count(selection: selection, problem: problem, ranks: ranks),
                                mentees: stats(mentee), mentors: stats(mentor), tiesBroken: nil)
    }
}

/// Re-checks a solution independently of how it was found: every pair against every active hard
/// rule (recomputed from the cohort, not read from the candidate list), capacities, single
/// matches, locks and a hard minimum. A pair that a hard rule forbids is never returned.
public enum Verifier {
    public static func check(_ selection: [Int], _ problem: MatchingProblem, _ ctx: PairingContext) -> [String] {
        var problems = problem.violations(selection)
        for p in selection where p >= 0 && p < problem.pairs.count {
            let i = Int(problem.pairs.mentor[p]), j = Int(problem.pairs.mentee[p])
            for rule in HardRules.violations(mentor: i, mentee: j, in: ctx) {
                problems.append("(\(ctx.mentor(i).id), \(ctx.mentee(j).id)) breaks \(rule.id)")
            }
        }
        return problems
    }
}
