import Foundation
import Testing
@testable import PeerMatch

@Suite struct StatisticsTests {
    /// Student's t quantiles from published tables.
    @Test func tQuantilesMatchTables() {
        let table: [(df: Double, q: Double)] = [(1, 12.706205), (2, 4.302653), (3, 3.182446), (5, 2.570582), (10, 2.228139),
                                                (30, 2.042272), (99, 1.984217), (1000, 1.962339)]
        for (df, q) in table {
            #expect(abs(Statistics.tQuantile(0.975, degreesOfFreedom: df) - q) < 1e-5, "df \(df)")
        }
        #expect(abs(Statistics.tQuantile(0.95, degreesOfFreedom: 4) - 2.131847) < 1e-5)
        #expect(abs(Statistics.tQuantile(0.025, degreesOfFreedom: 10) + 2.228139) < 1e-5)
        // Closed forms: Cauchy (df 1) and df 2.
        #expect(abs(Statistics.tCDF(1, degreesOfFreedom: 1) - 0.75) < 1e-12)
        #expect(abs(Statistics.tCDF(2, degreesOfFreedom: 2) - (0.5 + 1 / 6.0.squareRoot())) < 1e-12)
        #expect(abs(Statistics.tCDF(0, degreesOfFreedom: 7) - 0.5) < 1e-12)
    }

    @Test func meanIntervals() throws {
        let x = try #require(Statistics.meanInterval([1, 2, 3, 4, 5]))
        // s = √2.5, se = √0.5, t(0.975, 4) = 2.776445.
        #expect(x.n == 5 && x.mean == 3)
        #expect(abs(x.halfWidth! - 2.776445 * 0.5.squareRoot()) < 1e-5)
        #expect(abs(x.low! - 1.036757) < 1e-5 && abs(x.high! - 4.963243) < 1e-5)
        let one = try #require(Statistics.meanInterval([7]))
        #expect(one.mean == 7 && one.halfWidth == nil && !one.excludesZero)
        #expect(Statistics.meanInterval([]) == nil)
        // Paired: only positions where both are known count.
        let d = try #require(Statistics.pairedDifference([1, 2, nil, 4, 10], [0, 1, 5, nil, 6]))
        #expect(d.n == 3 && abs(d.mean - 2) < 1e-12)
        // Differences 1, 1, 4: s = √3, se = 1, t(0.975, 2) = 4.302653.
        #expect(abs(d.halfWidth! - 4.302653) < 1e-5 && !d.excludesZero)
        #expect(Statistics.pairedDifference([1, 1], [0, 0])!.excludesZero)   // zero spread, positive mean
    }
}

@Suite struct CompareTests {
    /// Every pair is locked, so the matching is known: (m1, e1), (m1, e3), (m2, e2); e4 is too young for anyone.
    static let handCohort: Cohort = {
        let m1 = Person(id: "m1", role: .mentor, age: 14, gender: "female", interests: ["football", "art"], offers: ["maths"], capacity: 2)
        let m2 = Person(id: "m2", role: .mentor, age: 15, gender: "male", interests: ["chess"], capacity: 1)
        let e1 = Person(id: "e1", role: .mentee, age: 12, gender: "female", genderPreference: .same, interests: ["football"])
        let e2 = Person(id: "e2", role: .mentee, age: 12, gender: "male", interests: ["music"], preferences: [["m1"]])
        let e3 = Person(id: "e3", role: .mentee, age: 12.5, gender: "female", interests: ["art", "FOOTBALL"], preferences: [["m1"]])
        let e4 = Person(id: "e4", role: .mentee, age: 5, gender: "male", interests: ["chess"])
        return Cohort(mentors: [m1, m2], mentees: [e1, e2, e3, e4],
                      locked: [LockedPair(mentor: "m1", mentee: "e1"), LockedPair(mentor: "m1", mentee: "e3"),
                               LockedPair(mentor: "m2", mentee: "e2")])
    }()

    @Test func metricsOnAHandCheckedCohort() throws {
        let cohort = Self.handCohort
        let result = try Matcher().match(cohort)
        #expect(Set(result.pairs.map { "\($0.mentor)-\($0.mentee)" }) == ["m1-e1", "m1-e3", "m2-e2"])
        let v = ComparisonMetric.values(cohort: cohort, result: result, scoring: PairingContext(cohort: cohort, policy: .default))
        func value(_ m: ComparisonMetric) -> Double? { v[ComparisonMetric.allCases.firstIndex(of: m)!] }
        // Default weights, by hand (README "The score of a pair"):
        // m1-e1: interests 40·1/3 = 13.33, age gap 2 = ideal 10, gender 10, lists 0        = 33.33
        // m1-e3: interests 40·2/3 = 26.67, age gap 1.5: 10·0.75 = 7.5, gender 10,
        //        lists: e3 ranks m1 1st of 1 → (1 + 0)/2 · 10 = 5                          = 49.17
        // m2-e2: interests 0, age gap 3: 10·0.5 = 5, gender 10, e2 does not list m2 → 0    = 15
        #expect(value(.matchedShare) == 0.75)
        #expect(abs(value(.meanPairScore)! - (33.33 + 49.17 + 15) / 3) < 1e-9)
        #expect(value(.minPairScore) == 15)
        #expect(abs(value(.sharedInterestShare)! - 2.0 / 3) < 1e-12)
        #expect(abs(value(.meanAgeGap)! - (2 + 1.5 + 3) / 3) < 1e-12)
        #expect(value(.maxAgeGap) == 3)
        #expect(value(.genderWishesMet) == 1)          // only e1 states a wish (same gender), met by m1
        #expect(value(.topThreeChoice) == 0.5)         // e3 got her 1st choice, e2 did not get m1
        #expect(value(.blockingPairs) == 0)            // every matched mentee is locked; e4 is acceptable to nobody
        #expect(value(.seconds)! >= 0)
        // Undefined metrics are nil, not 0: nobody matched, nobody with a wish or a list.
        let empty = Cohort(mentors: [Person(id: "m", role: .mentor, age: 30)], mentees: [Person(id: "e", role: .mentee, age: 5)])
        let none = try Matcher().match(empty)
        let w = ComparisonMetric.values(cohort: empty, result: none, scoring: PairingContext(cohort: empty, policy: .default))
        func at(_ m: ComparisonMetric) -> Double? { w[ComparisonMetric.allCases.firstIndex(of: m)!] }
        #expect(at(.matchedShare) == 0 && at(.meanPairScore) == nil && at(.minPairScore) == nil)
        #expect(at(.genderWishesMet) == nil && at(.sameGenderShare) == nil && at(.topThreeChoice) == nil)
    }

    /// A scoring policy other than the default changes the score metrics and nothing else.
    @Test func scoringPolicyIsTheYardstick() throws {
        let cohort = Self.handCohort
        let result = try Matcher().match(cohort)
        var interestsOnly = Policy(); interestsOnly.weights = Policy.Weights()
        interestsOnly.weights.needsMet = 0; interestsOnly.weights.ageCloseness = 0
        interestsOnly.weights.genderPreference = 0; interestsOnly.weights.statedPreferences = 0
        let v = ComparisonMetric.values(cohort: cohort, result: result, scoring: PairingContext(cohort: cohort, policy: interestsOnly))
        #expect(abs(v[1]! - (13.33 + 26.67 + 0) / 3) < 1e-9 && v[2] == 0)
    }

    static func policies(_ names: [String]) throws -> [(name: String, policy: Policy)] {
        try names.map { ($0, try PolicyReader.resolve($0)) }
    }

    static func plan(_ names: [String], _ setting: CohortGenerator.Setting, mentees: Int, runs: Int, seed: UInt64) throws -> ComparisonPlan {
        ComparisonPlan(policies: try policies(names),
                       instances: ComparisonInstance.generated(setting: setting, mentees: mentees, runs: runs, seed: seed), seed: seed)
    }

    /// The same numbers and text whatever the number of threads; seconds are not in the default output.
    @Test func deterministicAcrossJobs() throws {
        let plan = try Self.plan(["interests", "random", "mentee-choice", "fair"], .primary, mentees: 14, runs: 6, seed: 3)
        let one = try Comparison.run(plan, jobs: 1)
        let (jobs, _) = Comparison.effectiveJobs(3)
        let many = try Comparison.run(plan, jobs: jobs)
        #expect(one.markdown(baseline: 1) == many.markdown(baseline: 1))
        #expect(one.csv(baseline: 1) == many.csv(baseline: 1))
        #expect(one.runsCSV() == many.runsCSV())
        #expect(ComparisonChart.svg(one, baseline: 1) == ComparisonChart.svg(many, baseline: 1))
        #expect(!one.markdown(baseline: 1).contains("seconds") && !one.csv(baseline: 1).contains("seconds"))
        // Another seed changes the random policy's runs (and the generated cohorts) but not the cohorts' names.
        var other = plan
        other.seed = 6
        let third = try Comparison.run(other, jobs: 1)
        #expect(third.cohortNames == one.cohortNames && third.runsCSV() != one.runsCSV())
    }

    /// Summaries are the t intervals of the per-cohort values, and paired differences those of the differences.
    @Test func summariesAreComputedFromRuns() throws {
        let c = try Comparison.run(try Self.plan(["balanced", "random"], .secondary, mentees: 20, runs: 5, seed: 1))
        for metric in ComparisonMetric.deterministic {
            let a = c.column(0, metric).compactMap { $0 }, b = c.column(1, metric)
            #expect(c.summary(0, metric) == Statistics.meanInterval(a))
            #expect(c.difference(0, from: 1, metric) == Statistics.pairedDifference(c.column(0, metric), b))
        }
        // Every run of every policy is checked against the hard rules by the Matcher's verifier; and
        // the comparison sees each cohort's real size.
        #expect(c.values.allSatisfy { $0.count == 5 })
        #expect(c.outcomes.joined().allSatisfy { $0 == .solved(.optimal) })
        let csv = c.csv(baseline: 1)
        #expect(csv.hasPrefix("setting,policy,metric,n,mean,ci_low,ci_high,baseline,paired_n,diff_mean,diff_ci_low,diff_ci_high,diff_sd,effect_size\n"))
        #expect(csv.split(separator: "\n").count == 1 + 2 * ComparisonMetric.deterministic.count)   // one setting: no split rows
    }

    @Test func chartHasOneDotPerPolicyAndMetric() throws {
        let c = try Comparison.run(try Self.plan(["interests", "age", "random"], .college, mentees: 12, runs: 4, seed: 2))
        let svg = ComparisonChart.svg(c, baseline: 2)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 3 * ComparisonMetric.deterministic.count)
        #expect(!svg.contains("nan") && !svg.contains("inf"))
        for metric in ComparisonMetric.deterministic { #expect(svg.contains(ComparisonChart.escape(metric.label))) }
        #expect(zip(ComparisonChart.niceTicks(0.3, 0.9), [0.2, 0.4, 0.6, 0.8, 1.0]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(ComparisonChart.niceTicks(72, 100) == [70, 80, 90, 100])
    }
}
