import Foundation
import Testing
@testable import PeerMatch

/// Every backend against brute force on hundreds of small random cohorts.
@Suite struct SolverTests {
    static let seeds = Array(UInt64(1)...UInt64(300))

    /// GLPK's result equals the brute-force lexicographic optimum (matched per priority, mentors
    /// at minimum, score), or both say infeasible; and the matching breaks no hard rule.
    @Test(arguments: [true, false])
    func glpkEqualsBruteForce(network: Bool) throws {
        var checked = 0, infeasible = 0
        for seed in Self.seeds {
            var gen = RandomCohorts(seed: seed)
            let cohort = gen.cohort(mentors: gen.rng.int(in: 1...3), mentees: gen.rng.int(in: 1...6))
            let policy = gen.policy()
            let matcher = Matcher(policy: policy, backend: GLPKBackend(useNetworkSolver: network))
            let (ctx, problem) = try matcher.problem(for: cohort)
            let expected = bruteForce(problem)
            let result = try matcher.match(cohort)
            if let expected {
                #expect(result.status == .optimal, "seed \(seed): \(result.status) \(result.stats.rawStatus)")
                let got = problem.evaluate(selection(result, ctx, problem))
                #expect(got == expected, "seed \(seed): glpk \(got) vs brute force \(expected)")
                #expect(independentViolations(result, cohort, policy).isEmpty, "seed \(seed)")
                checked += 1
            } else {
                #expect(result.status == .infeasible, "seed \(seed): brute force finds no feasible matching")
                #expect(result.pairs.isEmpty)
                infeasible += 1
            }
        }
        #expect(checked > 200)
        #expect(infeasible > 0, "the random cohorts should include some infeasible hard minimums")
    }

    /// Greedy is feasible, never better than the optimum, and matches the optimum's counts per
    /// priority when there is no mentor minimum (augmenting paths).
    @Test func greedyIsFeasibleAndNeverBeatsGLPK() throws {
        for seed in Self.seeds {
            var gen = RandomCohorts(seed: seed)
            let cohort = gen.cohort(mentors: gen.rng.int(in: 1...3), mentees: gen.rng.int(in: 1...6))
            var policy = gen.policy()
            policy.mentorMinimum.mode = policy.mentorMinimum.mode == .hard ? .soft : policy.mentorMinimum.mode
            let (ctx, problem) = try Matcher(policy: policy).problem(for: cohort)
            let greedy = try Matcher(policy: policy, solver: .greedy).match(cohort)
            let optimal = try Matcher(policy: policy).match(cohort)
            #expect(greedy.status == .fallback)
            #expect(independentViolations(greedy, cohort, policy).isEmpty, "seed \(seed)")
            let g = problem.evaluate(selection(greedy, ctx, problem)), o = problem.evaluate(selection(optimal, ctx, problem))
            #expect(g <= o, "seed \(seed): greedy \(g) beats optimum \(o)")
            if policy.mentorMinimum.count == 0 {
                #expect(g.matchedByLevel == o.matchedByLevel, "seed \(seed): greedy \(g) vs \(o)")
            }
        }
    }

    /// Issue 15: the greedy fallback matched 6 mentees of top priority where 7 could be. Greedy
    /// must reach the optimum's count at every priority level, with or without a soft mentor
    /// minimum and locks (the optimum ranks priorities before the minimum), on cohorts large
    /// enough for lower levels to crowd out higher ones.
    @Test func greedyMatchesTheOptimumAtEveryPriorityLevel() throws {
        var compared = 0
        for seed in UInt64(1)...UInt64(400) {
            var gen = RandomCohorts(seed: seed &+ 10_000)
            let cohort = gen.cohort(mentors: gen.rng.int(in: 2...6), mentees: gen.rng.int(in: 3...14))
            var policy = gen.policy()
            if policy.mentorMinimum.mode == .hard { policy.mentorMinimum.mode = .soft }
            let (ctx, problem) = try Matcher(policy: policy).problem(for: cohort)
            let optimal = try Matcher(policy: policy).match(cohort)
            guard optimal.status == .optimal else { continue }
            let o = problem.evaluate(selection(optimal, ctx, problem))
            for improve in [false, true] {
                let g = problem.evaluate(GreedyMatcher(improve: improve).solve(problem).selection)
                #expect(g.matchedByLevel == o.matchedByLevel, "seed \(seed) improve \(improve): greedy \(g.matchedByLevel) vs optimum \(o.matchedByLevel)")
            }
            compared += 1
        }
        #expect(compared > 300)
    }

    /// Greedy on larger generated cohorts: at least 97% of the optimal score, same matched count.
    @Test(arguments: [UInt64(7), 8, 9])
    func greedyIsGoodOnGeneratedCohorts(seed: UInt64) throws {
        let cohort = CohortGenerator(mentees: 150, seed: seed).generate()
        let greedy = try Matcher(solver: .greedy).match(cohort)
        let optimal = try Matcher().match(cohort)
        #expect(optimal.status == .optimal)
        #expect(greedy.matched == optimal.matched)
        #expect(Double(greedy.scoreHundredths) >= 0.97 * Double(optimal.scoreHundredths),
                "greedy \(greedy.score) vs optimal \(optimal.score)")
        #expect(independentViolations(greedy, cohort, .default).isEmpty)
        #expect(independentViolations(optimal, cohort, .default).isEmpty)
    }

    /// A backend that stops at the time limit holding only the empty matching.
    struct EmptyAtTimeLimit: LinearBackend {
        var name: String { "stub" }
        func solve(_ model: LinearModel, options: SolveOptions) -> LinearSolution {
            LinearSolution(termination: .timeLimit, values: model.columnLower, stageValues: [0],
                           bound: nil, rawStatus: "stub time limit", method: "stub")
        }
    }

    /// When the exact solver stops early with a worse matching than greedy's, greedy's is returned
    /// and the output says why.
    @Test func earlyStopWorseThanGreedyReturnsGreedy() throws {
        let cohort = try CohortReader.read(path: Repo.path("instances/examples/secondary-transition.json"))
        let result = try Matcher(solver: .glpk, backend: EmptyAtTimeLimit()).match(cohort)
        let greedy = try Matcher(solver: .greedy).match(cohort)
        #expect(result.status == .fallback)
        #expect(result.solver == "greedy")
        #expect(result.fallbackReason?.contains("stopped early (stub time limit)") == true)
        #expect(result.matched == greedy.matched && result.matched > 0)
        #expect(result.scoreHundredths == greedy.scoreHundredths)
    }

    /// A starting point only changes where the simplex begins: an infeasible or poor start still
    /// ends at the brute-force optimum.
    @Test func startingPointNeverChangesTheAnswer() throws {
        for seed in UInt64(1)...60 {
            var gen = RandomCohorts(seed: seed)
            let cohort = gen.cohort(mentors: gen.rng.int(in: 1...3), mentees: gen.rng.int(in: 1...6))
            var policy = gen.policy()
            policy.mentorMinimum.mode = .off
            let (_, problem) = try Matcher(policy: policy).problem(for: cohort)
            guard let expected = bruteForce(problem) else { continue }
            let model = MatchingModel(problem)
            for start in [model.model.columnUpper.map { $0.isFinite ? $0 : 0 }, model.point(for: [])] {
                let solution = GLPKBackend().solve(model.model, options: SolveOptions(start: start))
                #expect(solution.termination == .optimal, "seed \(seed)")
                let got = problem.evaluate(model.selection(from: solution.values ?? []))
                #expect(got == expected, "seed \(seed): \(got) vs \(expected)")
            }
        }
    }

    /// From a poor start where no move or swap helps, the chain search finds the 3-cycle.
    @Test func greedyFindsImprovingCycles() {
        // (mentor, mentee, score): current pairs score 1; the only improvement moves all three.
        let pairs = CandidatePairs(mentorCount: 3, menteeCount: 3, pairs: [
            (0, 0, 1), (1, 1, 1), (2, 2, 1), (1, 0, 10), (2, 1, 10), (0, 2, 10),
        ])
        let problem = MatchingProblem(pairs: pairs, capacity: [1, 1, 1], priority: [0, 0, 0])
        var state = GreedyMatcher.State(problem)
        for j in 0..<3 { state.assign(j, pairs.index(mentor: j, mentee: j)!) }
        state.improveScores(GreedyMatcher.Search(), limits: .none, stage: "greedy")
        let selection = state.assigned.compactMap { $0 }
        #expect(problem.evaluate(selection).score == 30)
        #expect(problem.violations(selection).isEmpty)
    }

    /// Locked pairs are kept whatever their score.
    @Test func lockedPairsAreKept() throws {
        for seed in Self.seeds.prefix(100) {
            var gen = RandomCohorts(seed: seed)
            var cohort = gen.cohort(mentors: 3, mentees: 5)
            let (ctx, problem) = try Matcher().problem(for: cohort)
            guard problem.pairs.count > 0 else { continue }
            let p = problem.pairs.count - 1
            guard problem.capacity[Int(problem.pairs.mentor[p])] > 0 else { continue }
            cohort.locked = [LockedPair(mentor: ctx.mentor(Int(problem.pairs.mentor[p])).id,
                                        mentee: ctx.mentee(Int(problem.pairs.mentee[p])).id)]
            for solver in SolverChoice.allCases {
                let result = try Matcher(solver: solver).match(cohort)
                #expect(result.pairs.contains { $0.mentor == cohort.locked[0].mentor && $0.mentee == cohort.locked[0].mentee },
                        "seed \(seed) \(solver)")
                #expect(independentViolations(result, cohort, .default).isEmpty)
            }
        }
    }

    /// A lock that breaks a hard rule is an input error naming the rule.
    @Test func lockBreakingARuleIsAnError() throws {
        let m = Person(id: "m1", role: .mentor, age: 13, capacity: 1)
        let e = Person(id: "e1", role: .mentee, age: 12.5)
        let cohort = Cohort(mentors: [m], mentees: [e], locked: [LockedPair(mentor: "m1", mentee: "e1")])
        #expect(throws: MatchInputError.self) { try Matcher().match(cohort) }
        do { _ = try Matcher().match(cohort) } catch let error as MatchInputError {
            #expect(error.description.contains("ageGap"))
        }
    }

    /// The bundled OR-Library instance assign100 (a real, published benchmark): optimum 305.
    @Test func orLibraryAssign100() throws {
        let problem = try loadORLibraryAssign100()
        let n = problem.menteeCount
        let model = MatchingModel(problem)
        let solution = GLPKBackend().solve(model.model, options: SolveOptions())
        #expect(solution.termination == .optimal)
        let selection = model.selection(from: solution.values!)
        #expect(selection.count == n)
        let cost = selection.reduce(0) { $0 + 101 - problem.pairs.score[$1] / 100 }
        #expect(cost == 305)
        let greedy = GreedyMatcher().solve(problem).selection
        #expect(greedy.count == n)
        #expect(Double(problem.evaluate(greedy).score) >= 0.97 * Double(problem.evaluate(selection).score))
    }

    func selection(_ result: MatchResult, _ ctx: PairingContext, _ problem: MatchingProblem) -> [Int] {
        result.pairs.compactMap { pair in
            guard let i = ctx.mentorIndex[pair.mentor], let j = ctx.menteeIndex[pair.mentee] else { return nil }
            return problem.pairs.index(mentor: i, mentee: j)
        }
    }
}
