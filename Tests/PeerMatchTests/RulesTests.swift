import Testing
@testable import PeerMatch

/// One small test per hard rule and score term, with hand-computed values.
@Suite struct RulesTests {
    func ctx(_ m: Person, _ e: Person, policy: Policy = .default, exclusions: [Exclusion] = [], scores: [StaffScore] = []) -> PairingContext {
        PairingContext(cohort: Cohort(mentors: [m], mentees: [e], exclusions: exclusions, scores: scores), policy: policy)
    }
    let m = Person(id: "m", role: .mentor, name: "Sam", age: 14, gender: "female", interests: ["Football", "art", "chess"],
                   offers: ["transition support", "maths"], qualifications: ["trained"], group: "9A", capacity: 2)
    let e = Person(id: "e", role: .mentee, name: "Amira", age: 12, gender: "female", genderPreference: .oneOf(["female"]),
                   interests: ["football", "Art"], needs: ["transition support", "reading"], requires: ["trained"], group: "7B")

    @Test func genderTableAgreesWithThePreferences() {
        for seed in UInt64(1)...100 {
            var gen = RandomCohorts(seed: seed)
            var cohort = gen.cohort(mentors: 4, mentees: 6)
            // Some genders unknown, and a wish for a gender nobody has.
            for i in cohort.mentors.indices where gen.rng.chance(0.2) { cohort.mentors[i].gender = nil }
            for j in cohort.mentees.indices where gen.rng.chance(0.2) { cohort.mentees[j].gender = nil }
            if gen.rng.chance(0.3) { cohort.mentees[0].genderPreference = .oneOf(["agender"]) }
            let ctx = PairingContext(cohort: cohort, policy: .default)
            for (i, m) in cohort.mentors.enumerated() {
                for (j, e) in cohort.mentees.enumerated() {
                    let got = ctx.genderAccepted(mentor: i, mentee: j)
                    #expect(got.byMentee == e.genderPreference.accepts(partnerGender: m.gender, ownGender: e.gender), "seed \(seed)")
                    #expect(got.byMentor == m.genderPreference.accepts(partnerGender: e.gender, ownGender: m.gender), "seed \(seed)")
                }
            }
        }
    }

    @Test func ageGapBounds() {
        var young = m; young.age = 12.5
        #expect(AgeGapRule().allows(mentor: 0, mentee: 0, in: ctx(m, e)))
        #expect(!AgeGapRule().allows(mentor: 0, mentee: 0, in: ctx(young, e)))
        #expect(AgeGapRule().rejection(mentor: 0, mentee: 0, in: ctx(young, e)) == "age gap: Sam is 0.5 years older; the mentor must be 1 to 4 years older")
        var old = m; old.age = 16
        #expect(AgeGapRule().allows(mentor: 0, mentee: 0, in: ctx(old, e)))   // exactly 4: allowed
        old.age = 16.1
        #expect(!AgeGapRule().allows(mentor: 0, mentee: 0, in: ctx(old, e)))
        var byYear = e; byYear.age = nil; byYear.yearGroup = 7   // 11.5
        #expect(ctx(m, byYear).ageGap(0, 0) == 2.5)
    }

    @Test func genderPreferenceBothSides() {
        var male = m; male.gender = "male"
        #expect(GenderPreferenceRule().allows(mentor: 0, mentee: 0, in: ctx(m, e)))
        #expect(!GenderPreferenceRule().allows(mentor: 0, mentee: 0, in: ctx(male, e)))
        #expect(GenderPreferenceRule().rejection(mentor: 0, mentee: 0, in: ctx(male, e)) == "gender: Amira wants a female mentor")
        var picky = m; picky.genderPreference = .same
        var boy = e; boy.gender = "male"; boy.genderPreference = .any
        #expect(!GenderPreferenceRule().allows(mentor: 0, mentee: 0, in: ctx(picky, boy)))
        #expect(GenderPreferenceRule().isActive(.default))
    }

    @Test func requiredQualifications() {
        var untrained = m; untrained.qualifications = []
        #expect(RequiredQualificationsRule().allows(mentor: 0, mentee: 0, in: ctx(m, e)))
        #expect(!RequiredQualificationsRule().allows(mentor: 0, mentee: 0, in: ctx(untrained, e)))
        #expect(RequiredQualificationsRule().rejection(mentor: 0, mentee: 0, in: ctx(untrained, e)) == "Amira needs a mentor who is trained")
    }

    @Test func sameGroupAndExclusion() {
        var same = e; same.group = "9a"
        #expect(!SameGroupRule().allows(mentor: 0, mentee: 0, in: ctx(m, same)))
        #expect(SameGroupRule().allows(mentor: 0, mentee: 0, in: ctx(m, e)))
        let c = ctx(m, e, exclusions: [Exclusion(a: "e", b: "m", reason: "cousins")])
        #expect(!ExclusionRule().allows(mentor: 0, mentee: 0, in: c))
        #expect(ExclusionRule().rejection(mentor: 0, mentee: 0, in: c) == "excluded (cousins)")
        var p = Policy(); p.onlyScoredPairs = true
        #expect(!OnlyScoredPairsRule().allows(mentor: 0, mentee: 0, in: ctx(m, e, policy: p)))
        #expect(OnlyScoredPairsRule().allows(mentor: 0, mentee: 0, in: ctx(m, e, policy: p, scores: [StaffScore(mentor: "m", mentee: "e", score: 5)])))
    }

    /// The score formula of the README, by hand: interests 2 of 3 → 40×2/3 = 26.67; needs 1 of 2 →
    /// 30×0.5 = 15; age gap 2 = ideal → 10; gender both met → 10; no preferences → 0. Total 61.67.
    @Test func scoreByHand() {
        let c = ctx(m, e)
        let parts = Dictionary(uniqueKeysWithValues: ScoreTerms.breakdown(mentor: 0, mentee: 0, in: c).map { ($0.term.id, $0.hundredths) })
        #expect(parts == ["sharedInterests": 2667, "needsMet": 1500, "ageCloseness": 1000, "genderPreference": 1000, "statedPreferences": 0])
        #expect(ScoreTerms.score(mentor: 0, mentee: 0, in: c) == 6167)
        #expect(SharedInterestsTerm().reason(mentor: 0, mentee: 0, in: c) == "both like football and Art")
        #expect(NeedsMetTerm().reason(mentor: 0, mentee: 0, in: c) == "offers transition support, which Amira asked for")
        #expect(AgeClosenessTerm().reason(mentor: 0, mentee: 0, in: c) == "2 years older")
    }

    @Test func ageClosenessAndPreferences() {
        var older = m; older.age = 15   // gap 3: 1 − |3−2|/max(1,2) = 0.5
        #expect(AgeClosenessTerm().value(mentor: 0, mentee: 0, in: ctx(older, e)) == 0.5)
        var ranked = e; ranked.preferences = [["x"], ["m"]]   // rank 2 of 2 → 0.5 for the mentee side
        var ranking = m; ranking.preferences = [["e"]]         // rank 1 of 1 → 1
        #expect(StatedPreferencesTerm().value(mentor: 0, mentee: 0, in: ctx(ranking, ranked)) == 0.75)
        #expect(StatedPreferencesTerm().reason(mentor: 0, mentee: 0, in: ctx(ranking, ranked)) == "Amira's 2nd choice; Sam ranked Amira 1st")
    }

    @Test func staffScoreReplacesComputedScore() {
        let c = ctx(m, e, scores: [StaffScore(mentor: "m", mentee: "e", score: 87.5)])
        #expect(ScoreTerms.score(mentor: 0, mentee: 0, in: c) == 8750)
    }

    @Test func sameGroupPenalty() {
        var p = Policy(); p.sameGroup = .penalise
        var same = e; same.group = "9A"
        let c = ctx(m, same, policy: p)
        #expect(SameGroupPenaltyTerm().weight(p) == -20)
        #expect(ScoreTerms.score(mentor: 0, mentee: 0, in: c) == 6167 - 2000)
    }

    @Test func candidatePairsAreSparse() {
        let cohort = CohortGenerator(mentees: 90, seed: 3).generate()
        let c = PairingContext(cohort: cohort, policy: .default)
        let pairs = CandidatePairs(c)
        #expect(pairs.count < cohort.mentors.count * cohort.mentees.count)
        for p in 0..<pairs.count {
            let i = Int(pairs.mentor[p]), j = Int(pairs.mentee[p])
            #expect(HardRules.violations(mentor: i, mentee: j, in: c).isEmpty)
            #expect(pairs.index(mentor: i, mentee: j) == p)
        }
        // Every pair not listed breaks a rule.
        var missing = 0
        for i in cohort.mentors.indices { for j in cohort.mentees.indices where pairs.index(mentor: i, mentee: j) == nil {
            #expect(!HardRules.violations(mentor: i, mentee: j, in: c).isEmpty); missing += 1
        } }
        #expect(missing + pairs.count == cohort.mentors.count * cohort.mentees.count)
    }
}

@Suite struct NetworkFormTests {
    /// The matching model is a network without a soft minimum, and not with one (y has coefficient −minimum).
    @Test func recognisesMatchingModels() throws {
        let cohort = CohortGenerator(mentees: 30, seed: 4).generate()
        let (_, plain) = try Matcher().problem(for: cohort)
        #expect(NetworkForm.recognises(MatchingModel(plain).model))
        var p = Policy(); p.mentorMinimum.count = 2
        let (_, soft) = try Matcher(policy: p).problem(for: cohort)
        #expect(!NetworkForm.recognises(MatchingModel(soft).model))
        // Three +1 entries in one column: not a network.
        var m = LinearModel()
        let c = m.addColumn(lower: 0, upper: 1, kind: .binary)
        for r in 0..<3 { m.addRow("r\(r)", columns: [Int32(c)], coefficients: [1], lower: 0, upper: 1) }
        #expect(!NetworkForm.recognises(m))
        // An odd cycle of same-sign pairs cannot be 2-coloured.
        var odd = LinearModel()
        let cols = (0..<3).map { _ in Int32(odd.addColumn(lower: 0, upper: 1, kind: .binary)) }
        odd.addRow("a", columns: [cols[0], cols[2]], coefficients: [1, 1], lower: 0, upper: 1)
        odd.addRow("b", columns: [cols[0], cols[1]], coefficients: [1, 1], lower: 0, upper: 1)
        odd.addRow("c", columns: [cols[1], cols[2]], coefficients: [1, 1], lower: 0, upper: 1)
        #expect(!NetworkForm.recognises(odd))
    }
}
