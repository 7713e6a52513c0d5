import Foundation
import Testing
@testable import PeerMatch

@Suite struct FairAndRandomTests {
    /// Brute force for method fair: among feasible assignments with the best (matched per priority,
    /// mentors at minimum), the highest lowest pair score, then the highest total.
    static func bruteForceFair(_ problem: MatchingProblem) -> (prefix: [Int], minimum: Int?, total: Int)? {
        var best: (prefix: [Int], minimum: Int?, total: Int)? = nil
        func better(_ a: (prefix: [Int], minimum: Int?, total: Int), than b: (prefix: [Int], minimum: Int?, total: Int)) -> Bool {
            if a.prefix != b.prefix { return b.prefix.lexicographicallyPrecedes(a.prefix) }
            if a.minimum != b.minimum { return (a.minimum ?? Int.min) > (b.minimum ?? Int.min) }
            return a.total > b.total
        }
        forEachAssignment(problem) { chosen, _ in
            guard problem.violations(chosen).isEmpty else { return }
            let e = problem.evaluate(chosen)
            let value = (prefix: e.matchedByLevel + [e.mentorsAtMinimum], minimum: chosen.map { problem.pairs.score[$0] }.min(), total: e.score)
            if best == nil || better(value, than: best!) { best = value }
        }
        return best
    }

    @Test func fairEqualsBruteForceMaxMin() throws {
        var checked = 0, priced = 0
        for seed in UInt64(1)...UInt64(200) {
            var gen = RandomCohorts(seed: seed)
            let cohort = gen.cohort(mentors: gen.rng.int(in: 1...3), mentees: gen.rng.int(in: 1...6))
            var policy = gen.policy()
            policy.method = .fair
            let matcher = Matcher(policy: policy)
            let (_, problem) = try matcher.problem(for: cohort)
            guard let expected = Self.bruteForceFair(problem) else { continue }
            let result = try matcher.match(cohort)
            #expect(result.status == .optimal, "seed \(seed)")
            #expect(result.minPairScoreHundredths == expected.minimum, "seed \(seed): lowest pair score")
            #expect(result.scoreHundredths == expected.total, "seed \(seed): total among max–min matchings")
            let e = [result.matchedByPriority.map(\.matched), [result.mentorsAtMinimum ?? 0]].flatMap { $0 }
            #expect(e == expected.prefix, "seed \(seed): matched counts as optimal")
            #expect(result.optimalScoreHundredths == bruteForce(problem)?.score, "seed \(seed): the optimal total beside it")
            #expect(result.priceOfFairnessHundredths! >= 0)
            #expect(independentViolations(result, cohort, policy).isEmpty, "seed \(seed)")
            checked += 1
            if result.priceOfFairnessHundredths! > 0 { priced += 1 }
        }
        #expect(checked > 120)
        #expect(priced > 3, "some cohorts should show a positive price of fairness")
    }

    /// Method random matches as many mentees per priority as optimal, keeps every hard rule, and
    /// depends on the seed only.
    @Test func randomIsSeededMaximumAndValid() throws {
        var differs = 0
        for seed in UInt64(1)...UInt64(60) {
            var gen = RandomCohorts(seed: seed)
            let cohort = gen.cohort(mentors: gen.rng.int(in: 2...4), mentees: gen.rng.int(in: 3...8))
            var policy = gen.policy()
            let optimal = try Matcher(policy: policy).match(cohort)
            policy.method = .random
            let a = try Matcher(policy: policy, seed: 1).match(cohort)
            let b = try Matcher(policy: policy, seed: 2).match(cohort)
            let again = try Matcher(policy: policy, seed: 1).match(cohort)
            #expect(a.pairs == again.pairs, "seed \(seed): same seed, same matching")
            #expect(a.status == optimal.status)
            #expect(a.matchedByPriority.map(\.matched) == optimal.matchedByPriority.map(\.matched), "seed \(seed)")
            #expect(a.scoreHundredths <= optimal.scoreHundredths)
            #expect(independentViolations(a, cohort, policy).isEmpty, "seed \(seed)")
            if a.pairs != b.pairs { differs += 1 }
        }
        #expect(differs > 10, "different seeds should give different matchings")
    }
}
