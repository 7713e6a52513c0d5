import Testing
@testable import PeerMatch

/// Issue 14: the greedy fallback's local search now runs from a work list within a work budget.
/// Its promise, checked here on generated cohorts of several sizes and settings: the same matched
/// count as the exact optimum at every priority level, at least 99% of the optimum's score, every
/// hard rule kept, and the same matching on every run (the budget counts work, not seconds).
struct GreedyQualityTests {
    static let cases: [(CohortGenerator.Setting, Int, UInt64)] = [
        (.secondary, 120, 3), (.secondary, 400, 2026), (.secondary, 900, 5),
        (.primary, 300, 11), (.college, 250, 12), (.youthClub, 200, 13),
    ]

    @Test(arguments: 0..<cases.count)
    func greedyReaches99PercentOfTheOptimum(index: Int) throws {
        let (setting, mentees, seed) = Self.cases[index]
        let cohort = CohortGenerator(setting: setting, mentees: mentees, seed: seed).generate()
        let optimal = try Matcher().match(cohort)
        let greedy = try Matcher(solver: .greedy).match(cohort)
        #expect(optimal.status == .optimal)
        #expect(greedy.status == .fallback)
        #expect(greedy.matched == optimal.matched, "\(setting) \(mentees): greedy matched \(greedy.matched), optimum \(optimal.matched)")
        let ratio = Double(greedy.scoreHundredths) / Double(max(1, optimal.scoreHundredths))
        #expect(ratio >= 0.99, "\(setting) \(mentees): greedy \(greedy.score) is \(ratio) of the optimum \(optimal.score)")
        #expect(ratio <= 1.0 + 1e-12)
        #expect(independentViolations(greedy, cohort, .default).isEmpty)

        // The matched count per priority level equals the optimum's, on the problem itself.
        let (ctx, problem) = try Matcher().problem(for: cohort)
        let g = GreedyMatcher().solve(problem)
        let again = GreedyMatcher().solve(problem)
        #expect(g.selection == again.selection, "same input, same matching")
        #expect(problem.violations(g.selection).isEmpty)
        let optimum = optimal.pairs.compactMap { pair -> Int? in
            guard let i = ctx.mentorIndex[pair.mentor], let j = ctx.menteeIndex[pair.mentee] else { return nil }
            return problem.pairs.index(mentor: i, mentee: j)
        }
        #expect(optimum.count == optimal.pairs.count)
        let o = problem.evaluate(optimum.sorted())
        #expect(problem.evaluate(g.selection).matchedByLevel == o.matchedByLevel)
    }

    /// A budget of one pair per short-list entry stops the local search early: a matching no
    /// worse than the construction, with its matched counts and every hard rule, and below the
    /// full budget's score (so the budget is what stopped it).
    @Test func aTinyBudgetKeepsTheConstruction() throws {
        let cohort = CohortGenerator(setting: .secondary, mentees: 300, seed: 4).generate()
        let (_, problem) = try Matcher().problem(for: cohort)
        let construction = problem.evaluate(GreedyMatcher(improve: false).solve(problem).selection)
        let tiny = GreedyMatcher(search: .init(budgetPerEntry: 1)).solve(problem)
        let full = GreedyMatcher().solve(problem)
        #expect(problem.violations(tiny.selection).isEmpty && problem.violations(full.selection).isEmpty)
        let t = problem.evaluate(tiny.selection), f = problem.evaluate(full.selection)
        #expect(t.matchedByLevel == construction.matchedByLevel && f.matchedByLevel == construction.matchedByLevel)
        #expect(t.score >= construction.score)
        #expect(f.score > t.score)
    }
}
