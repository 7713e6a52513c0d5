import Foundation
import Testing
@testable import PeerMatch

/// Every bundled example solves to a proven optimum that keeps every hard rule, and says why.
@Suite struct ExamplesTests {
    static let examples: [(file: String, policy: String?)] = [
        ("primary-wellbeing-wednesdays.json", nil), ("secondary-transition.json", nil), ("youth-club.json", nil),
        ("leaving-care.json", nil), ("housing-first.json", "instances/policies/adults.yaml"),
    ]

    @Test(arguments: examples.map(\.file))
    func exampleSolves(file: String) throws {
        let policyPath = Self.examples.first { $0.file == file }!.policy
        let policy = try policyPath.map { try PolicyReader.read(path: Repo.path($0)) } ?? .default
        let cohort = try CohortReader.read(path: Repo.path("instances/examples/" + file), policy: policy)
        let result = try Matcher(policy: policy).match(cohort)
        #expect(result.status == .optimal)
        #expect(result.matched > 0)
        #expect(independentViolations(result, cohort, policy).isEmpty)
        #expect(result.pairs.allSatisfy { !$0.reasons.isEmpty })
        #expect(result.unmatched.allSatisfy { !$0.reasons.isEmpty })
        let greedy = try Matcher(policy: policy, solver: .greedy).match(cohort)
        #expect(greedy.matched <= result.matched)
        #expect(independentViolations(greedy, cohort, policy).isEmpty)
    }

    @Test func youthClubShowsTheGenderShortfall() throws {
        let cohort = try CohortReader.read(path: Repo.path("instances/examples/youth-club.json"))
        let result = try Matcher().match(cohort)
        #expect(result.shortfalls.contains { $0.contains("need a female mentor; female mentors have 0 places left") })
    }
}
