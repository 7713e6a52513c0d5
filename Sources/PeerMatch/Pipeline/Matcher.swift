import Foundation

/// Problems with a cohort that only show once the policy is known (a lock that breaks a hard rule).
public struct MatchInputError: Error, Sendable, CustomStringConvertible {
    public var messages: [String]
    public var description: String { messages.joined(separator: "\n") }
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
    /// Timetables: joint models with more columns than this are solved by decomposition.
    public var jointColumnLimit = Matcher.defaultJointColumnLimit

    public init(policy: Policy = .default, solver: SolverChoice = .glpk, options: SolveOptions = SolveOptions(),
                backend: any LinearBackend = GLPKBackend()) {
        self.policy = policy; self.solver = solver; self.options = options; self.backend = backend
    }

    /// Builds the problem a cohort poses under this policy; throws when a lock breaks a hard rule.
    public func problem(for cohort: Cohort) throws -> (PairingContext, MatchingProblem) {
        let ctx = PairingContext(cohort: cohort, policy: policy)
        let pairs = CandidatePairs(ctx)
        var locked: [Int] = []
        var errors: [String] = []
        for (k, lock) in cohort.locked.enumerated() {
            guard let i = ctx.mentorIndex[lock.mentor], let j = ctx.menteeIndex[lock.mentee] else {
                errors.append("locked[\(k)]: (\(lock.mentor), \(lock.mentee)) is not a mentor and a mentee of this cohort")
                continue
            }
            let broken = HardRules.violations(mentor: i, mentee: j, in: ctx)
            if let rule = broken.first {
                errors.append("locked[\(k)]: the pair (\(lock.mentor), \(lock.mentee)) breaks the hard rule \(rule.id): \(rule.rejection(mentor: i, mentee: j, in: ctx))")
            } else if let p = pairs.index(mentor: i, mentee: j) {
                locked.append(p)
            }
        }
        if !errors.isEmpty { throw MatchInputError(messages: errors) }
        let problem = MatchingProblem(pairs: pairs, capacity: cohort.mentors.map(\.capacity),
                                      priority: cohort.mentees.map(\.priority),
                                      minimum: policy.mentorMinimum.count, minimumMode: policy.mentorMinimum.mode,
                                      locked: locked)
        return (ctx, problem)
    }

    public func match(_ cohort: Cohort) throws -> MatchResult {
        if cohort.timetable != nil { return try matchTimetabled(cohort, previous: nil, maxChanges: nil) }
        let start = Date()
        let (ctx, problem) = try problem(for: cohort)
        if let diagnosis = Diagnosis.provenInfeasible(problem, ctx) {
            return assemble(ctx, problem, selection: [], status: .infeasible, solver: solver.rawValue, fallback: nil,
                            bound: nil, diagnosis: diagnosis, stats: (0, 0, "pre-check", "hard minimum cannot hold"), start: start)
        }
        if solver == .greedy {
            return greedy(ctx, problem, reason: "the greedy solver was requested (--solver greedy)", start: start,
                          stats: (0, 0))
        }
        let model = MatchingModel(problem)
        let solution = backend.solve(model.model, options: options)
        let size = (model.model.columnCount, model.model.rowCount)
        switch solution.termination {
        case .infeasible:
            return assemble(ctx, problem, selection: [], status: .infeasible, solver: backend.name, fallback: nil, bound: nil,
                            diagnosis: Diagnosis.explainInfeasible(problem, ctx),
                            stats: (size.0, size.1, solution.method, solution.rawStatus), start: start)
        case .failed where solution.values == nil, .timeLimit where solution.values == nil:
            let why = solution.termination == .failed ? "GLPK failed (\(solution.rawStatus))"
                : "GLPK reached the time limit of \(formatNumber(options.timeLimit)) s without a matching (\(solution.rawStatus))"
            return greedy(ctx, problem, reason: why, start: start, stats: size)
        default:
            break
        }
        let selection = model.selection(from: solution.values ?? [])
        let problems = Verifier.check(selection, problem, ctx)
        if !problems.isEmpty {
            return greedy(ctx, problem, reason: "GLPK's answer failed verification: " + problems.prefix(3).joined(separator: "; "),
                          start: start, stats: size)
        }
        let lastStageComplete = solution.stageValues.count == model.model.stages.count
        let status: MatchStatus = solution.termination == .optimal && lastStageComplete ? .optimal : .feasible
        let bound = lastStageComplete ? solution.bound.map { Int($0.rounded(.down)) } : nil
        return assemble(ctx, problem, selection: selection, status: status, solver: backend.name, fallback: nil, bound: bound,
                        diagnosis: [], stats: (size.0, size.1, solution.method, solution.rawStatus), start: start)
    }

    private func greedy(_ ctx: PairingContext, _ problem: MatchingProblem, reason: String, start: Date,
                        stats: (Int, Int)) -> MatchResult {
        let outcome = GreedyMatcher().solve(problem)
        if !outcome.meetsHardMinimum {
            return assemble(ctx, problem, selection: [], status: .infeasible, solver: "greedy", fallback: reason, bound: nil,
                            diagnosis: ["The greedy solver found no matching that gives every mentor the hard minimum; this is not a proof that none exists."]
                                + Diagnosis.explainInfeasible(problem, ctx),
                            stats: (stats.0, stats.1, "greedy", "hard minimum not met"), start: start)
        }
        let problems = Verifier.check(outcome.selection, problem, ctx)
        precondition(problems.isEmpty, "greedy produced an invalid matching: \(problems)")
        return assemble(ctx, problem, selection: outcome.selection, status: .fallback, solver: "greedy", fallback: reason,
                        bound: nil, diagnosis: [], stats: (stats.0, stats.1, "greedy", "heuristic"), start: start)
    }

    func assemble(_ ctx: PairingContext, _ problem: MatchingProblem, selection: [Int], status: MatchStatus,
                          solver: String, fallback: String?, bound: Int?, diagnosis: [String],
                          stats: (Int, Int, String, String), start: Date) -> MatchResult {
        let eval = problem.evaluate(selection)
        let explainer = Explainer(ctx: ctx, problem: problem, selection: selection)
        let levels = problem.priorityLevels.enumerated().map { k, level in
            (priority: level, matched: eval.matchedByLevel[k], of: problem.priority.filter { $0 == level }.count)
        }
        return MatchResult(
            status: status, solver: solver, fallbackReason: fallback, matched: eval.matched, scoreHundredths: eval.score,
            matchedByPriority: levels,
            mentorsAtMinimum: problem.hasSoftMinimum ? eval.mentorsAtMinimum : nil,
            boundHundredths: bound, pairs: explainer.pairs(), unmatched: explainer.unmatched(),
            shortfalls: explainer.shortfalls(), diagnosis: diagnosis,
            stats: MatchStats(candidates: problem.pairs.count, variables: stats.0, constraints: stats.1,
                              seconds: Date().timeIntervalSince(start), method: stats.2, rawStatus: stats.3))
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
