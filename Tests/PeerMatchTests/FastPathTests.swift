import Foundation
import Testing
@testable import PeerMatch

/// Candidate generation's tables and batch paths against plain readings of the rules and terms,
/// and the comparison-based preference reading against the per-pair rank tables, on random
/// cohorts wide enough to leave the inline fast paths (over 128 interests and skills, over 63
/// genders) with exclusions, staff scores, history, lists with ties and repeats, unknown ages.
@Suite struct FastPathTests {
    /// A random cohort; `wide` draws from vocabularies and gender sets larger than the inline tables.
    static func cohort(_ rng: inout SeededRandom, wide: Bool) -> Cohort {
        let interestCount = wide ? 135 : 12, skillCount = wide ? 132 : 8, many = wide ? 3 : 1
        let genders = wide ? (0..<300).map { "g\($0)" } : ["female", "male", "non-binary"]
        let groups = (0..<(wide ? 80 : 4)).map { "Form \($0)" }
        func pick(_ n: Int, from names: [String]) -> [String] {
            (0..<n).map { _ in
                let s = names[rng.int(names.count)]
                // Spelling variants: the same item in other case or with spaces.
                return rng.chance(0.2) ? " " + s.uppercased() : s
            }
        }
        let interests = (0..<interestCount).map { "interest \($0)" }
        let skills = (0..<skillCount).map { "skill \($0)" }
        func person(_ role: Role, _ k: Int) -> Person {
            var p = Person(id: PersonID(role == .mentor ? "m\(k)" : "e\(k)"), role: role)
            if rng.chance(0.9) {
                if rng.chance(0.5) { p.age = (rng.double(in: role == .mentor ? 12...17 : 10...14) * 10).rounded() / 10 }
                else { p.yearGroup = Double(rng.int(in: role == .mentor ? 8...12 : 5...9)) }
            }
            p.gender = rng.chance(wide ? 0.98 : 0.85) ? genders[rng.int(genders.count)] : nil
            switch rng.int(4) {
            case 0: p.genderPreference = .same
            case 1: p.genderPreference = .oneOf(Set(pick(rng.int(in: 1...2), from: genders).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }))
            default: p.genderPreference = .any
            }
            p.interests = pick(rng.int(in: 0...6 * many), from: interests)
            if role == .mentor {
                p.offers = pick(rng.int(in: 0...4 * many), from: skills)
                p.qualifications = pick(rng.int(in: 0...5 * many), from: skills)
                p.capacity = rng.int(in: 0...3)
            } else {
                p.needs = pick(rng.int(in: 0...3 * many), from: skills)
                if rng.chance(0.3) { p.requires = pick(rng.int(in: 1...2), from: skills) }
                p.priority = rng.int(3)
            }
            p.group = rng.chance(0.7) ? pick(1, from: groups)[0] : nil
            return p
        }
        var mentors = (0..<rng.int(in: wide ? 30...40 : 1...24)).map { person(.mentor, $0) }
        var mentees = (0..<rng.int(in: wide ? 40...50 : 1...30)).map { person(.mentee, $0) }
        func list(_ others: [Person]) -> [[PersonID]] {
            guard rng.chance(0.4) else { return [] }
            var groups: [[PersonID]] = []
            for _ in 0..<rng.int(in: 1...12) {
                let id = rng.chance(0.05) ? PersonID("nobody") : others[rng.int(others.count)].id   // repeats and unknown ids
                if !groups.isEmpty && rng.chance(0.25) { groups[groups.count - 1].append(id) } else { groups.append([id]) }
            }
            return groups
        }
        for k in mentors.indices { mentors[k].preferences = list(mentees) }
        for k in mentees.indices { mentees[k].preferences = list(mentors) }
        func randomPair() -> (PersonID, PersonID) { (mentors[rng.int(mentors.count)].id, mentees[rng.int(mentees.count)].id) }
        let exclusions = (0..<rng.int(in: 0...20)).map { _ -> Exclusion in
            let (m, e) = randomPair()
            return rng.chance(0.5) ? Exclusion(a: m, b: e, reason: rng.chance(0.5) ? "r\(rng.int(3))" : nil) : Exclusion(a: e, b: m)
        }
        let scores = (0..<rng.int(in: 0...25)).map { _ -> StaffScore in
            let (m, e) = randomPair()
            return StaffScore(mentor: m, mentee: e, score: Double(rng.int(in: -5000...10000)) / 100)
        }
        let history = (0..<rng.int(in: 0...20)).map { _ -> HistoryPair in
            let (m, e) = randomPair()
            return HistoryPair(mentor: m, mentee: e, term: rng.chance(0.5) ? "t\(rng.int(3))" : nil)
        }
        return Cohort(mentors: mentors, mentees: mentees, exclusions: exclusions, scores: scores, history: history)
    }

    static func policy(_ rng: inout SeededRandom) -> Policy {
        var p = Policy()
        let modes: [RuleMode] = [.hard, .soft, .off]
        p.ageGap.mode = modes[rng.int(3)]
        p.ageGap.min = Double(rng.int(in: 0...2)); p.ageGap.max = p.ageGap.min + Double(rng.int(in: 0...4))
        p.ageGap.ideal = rng.chance(0.3) ? p.ageGap.min : (p.ageGap.min + p.ageGap.max) / 2
        p.genderPreference = modes[rng.int(3)]
        p.sameGroup = SameGroupMode.allCases[rng.int(3)]
        p.requiredQualifications = rng.chance(0.7) ? .hard : .off
        p.exclusions = rng.chance(0.7) ? .hard : .off
        p.onlyScoredPairs = rng.chance(0.1)
        p.rotation = RotationMode.allCases[rng.int(3)]
        p.interestsForFullMarks = rng.int(in: 0...4)
        p.weights.sameGender = rng.chance(0.4) ? Double(rng.int(in: 1...30)) / 3 : 0
        p.weights.sharedInterests = Double(rng.int(in: 0...9000)) / 7
        p.weights.statedPreferences = Double(rng.int(in: 0...30))
        if rng.chance(0.3) { p.method = .stable }
        return p
    }

    /// The hard rules and the score, read straight from the people (no context tables).
    struct Reference {
        let cohort: Cohort
        let policy: Policy

        func allowed(_ m: Person, _ e: Person) -> Bool {
            let key = normalisedKey
            if policy.exclusions == .hard, cohort.exclusions.contains(where: { Set([$0.a, $0.b]) == Set([m.id, e.id]) }) { return false }
            if policy.onlyScoredPairs, !cohort.scores.contains(where: { $0.mentor == m.id && $0.mentee == e.id }) { return false }
            if policy.ageGap.mode == .hard {
                guard let a = m.effectiveAge, let b = e.effectiveAge else { return false }
                if a - b < policy.ageGap.min - 1e-9 || a - b > policy.ageGap.max + 1e-9 { return false }
            }
            if policy.genderPreference == .hard, !e.genderPreference.accepts(partnerGender: m.gender, ownGender: e.gender)
                || !m.genderPreference.accepts(partnerGender: e.gender, ownGender: m.gender) { return false }
            if policy.requiredQualifications == .hard, !Set(e.requires.map(key)).isSubset(of: Set(m.qualifications.map(key))) { return false }
            if policy.sameGroup == .forbid, let a = m.group, let b = e.group, key(a) == key(b) { return false }
            if policy.rotation == .avoidRepeat, cohort.history.contains(where: { $0.mentor == m.id && $0.mentee == e.id }) { return false }
            if policy.method == .stable {
                if !e.preferences.isEmpty && e.rank(of: m.id) == nil { return false }
                if !m.preferences.isEmpty && m.rank(of: e.id) == nil { return false }
            }
            return true
        }

        func value(_ id: String, _ m: Person, _ e: Person) -> Double {
            let key = normalisedKey
            switch id {
            case "sharedInterests":
                let cap = max(1, policy.interestsForFullMarks)
                return Double(min(Set(m.interests.map(key)).intersection(e.interests.map(key)).count, cap)) / Double(cap)
            case "needsMet":
                let needs = Set(e.needs.map(key))
                return needs.isEmpty ? 0 : Double(needs.intersection(m.offers.map(key)).count) / Double(needs.count)
            case "ageCloseness":
                guard let a = m.effectiveAge, let b = e.effectiveAge else { return 0 }
                let gap = a - b, g = policy.ageGap
                guard gap >= g.min - 1e-9, gap <= g.max + 1e-9 else { return 0 }
                let spread = max(g.ideal - g.min, g.max - g.ideal)
                guard spread > 0 else { return abs(gap - g.ideal) < 1e-9 ? 1 : 0 }
                return max(0, min(1, 1 - abs(gap - g.ideal) / spread))
            case "genderPreference":
                return (e.genderPreference.accepts(partnerGender: m.gender, ownGender: e.gender) ? 0.5 : 0)
                    + (m.genderPreference.accepts(partnerGender: e.gender, ownGender: m.gender) ? 0.5 : 0)
            case "statedPreferences":
                let (ne, nm) = (e.preferences.count, m.preferences.count)
                if ne == 0 && nm == 0 { return 0 }
                func side(_ r: Int?, _ n: Int) -> Double { r.map { 1 - Double($0 - 1) / Double(n) } ?? 0 }
                return (side(ne == 0 ? nil : e.rank(of: m.id), ne) + side(nm == 0 ? nil : m.rank(of: e.id), nm)) / 2
            case "sameGroupPenalty":
                guard let a = m.group, let b = e.group else { return 0 }
                return key(a) == key(b) ? 1 : 0
            case "sameGender":
                guard let a = m.gender, let b = e.gender else { return 0 }
                return a == b ? 1 : 0
            default:
                Issue.record("unknown term \(id)"); return 0
            }
        }

        func score(_ m: Person, _ e: Person) -> Int {
            if let staff = cohort.scores.last(where: { $0.mentor == m.id && $0.mentee == e.id }) { return Int((staff.score * 100).rounded(.toNearestOrAwayFromZero)) }
            return ScoreTerms.all.filter { $0.weight(policy) != 0 }.reduce(0) { total, term in
                total + Int((term.weight(policy) * value(term.id, m, e) * 100).rounded(.toNearestOrAwayFromZero))
            }
        }
    }

    @Test func candidatePairsEqualThePlainReadingOfRulesAndTerms() {
        var wideSeen = 0, overflowSeen = 0, total = 0
        for seed in UInt64(1)...300 {
            var rng = SeededRandom(seed: seed)
            let wide = seed % 5 == 0
            let cohort = Self.cohort(&rng, wide: wide)
            let policy = Self.policy(&rng)
            let ctx = PairingContext(cohort: cohort, policy: policy)
            if wide {
                wideSeen += ctx.interestNames.count > 128 && ctx.skillNames.count > 128 ? 1 : 0
                overflowSeen += ctx.gendersTabulated ? 0 : 1
            }
            let pairs = CandidatePairs(ctx)
            let reference = Reference(cohort: cohort, policy: policy)
            var expected: [(mentor: Int32, mentee: Int32, score: Int)] = []
            for (j, e) in cohort.mentees.enumerated() {
                for (i, m) in cohort.mentors.enumerated() where reference.allowed(m, e) {
                    expected.append((Int32(i), Int32(j), reference.score(m, e)))
                }
            }
            #expect(pairs.count == expected.count, "seed \(seed)")
            guard pairs.count == expected.count else { continue }
            for p in 0..<pairs.count {
                #expect(pairs.mentor[p] == expected[p].mentor && pairs.mentee[p] == expected[p].mentee, "seed \(seed) pair \(p)")
                #expect(pairs.score[p] == expected[p].score, "seed \(seed) pair \(p)")
            }
            // The per-pair library path (verification, explanations) agrees with the batch path.
            for i in cohort.mentors.indices {
                for j in cohort.mentees.indices {
                    let allowed = HardRules.violations(mentor: i, mentee: j, in: ctx).isEmpty
                        && (policy.method != .stable || ctx.listsAccept(mentor: i, mentee: j))
                    let p = pairs.index(mentor: i, mentee: j)
                    #expect(allowed == (p != nil), "seed \(seed) (\(i), \(j))")
                    if let p { #expect(pairs.score[p] == ScoreTerms.score(mentor: i, mentee: j, in: ctx), "seed \(seed)") }
                    for term in ScoreTerms.all {
                        #expect(term.value(mentor: i, mentee: j, in: ctx) == reference.value(term.id, cohort.mentors[i], cohort.mentees[j]),
                                "seed \(seed) \(term.id)")
                    }
                    #expect(ctx.menteeRank(mentor: i, mentee: j) == cohort.mentees[j].rank(of: cohort.mentors[i].id))
                    #expect(ctx.mentorRank(mentor: i, mentee: j) == cohort.mentors[i].rank(of: cohort.mentees[j].id))
                }
            }
            total += pairs.count
        }
        #expect(wideSeen > 30 && overflowSeen > 20, "the wide cohorts should leave the inline tables (\(wideSeen), \(overflowSeen))")
        #expect(total > 10_000)
    }

    @Test func hundredthsEqualsRoundingHalfAwayFromZero() {
        var rng = SeededRandom(seed: 7)
        var values: [Double] = [0, -0.0, 0.005, -0.005, 0.015, 0.025, -0.025, 1.005, 2.675, 12.345, -12.345, 0.0049999999999999, 1e10 + 0.005]
        for _ in 0..<200_000 {
            let x = rng.double(in: -100_000...100_000)
            values.append(x)
            values.append((x * 200).rounded() / 200)   // halves of a hundredth, where the rounding mode matters
            values.append(Double(rng.int(in: -10_000...10_000)) / 3)
        }
        for x in values { #expect(Score.hundredths(x) == Int((x * 100).rounded(.toNearestOrAwayFromZero)), "\(x)") }
    }

    @Test func pairsByMentorAndCounts() {
        for seed in UInt64(1)...40 {
            var rng = SeededRandom(seed: seed)
            let ctx = PairingContext(cohort: Self.cohort(&rng, wide: false), policy: Self.policy(&rng))
            let pairs = CandidatePairs(ctx)
            var expected = Array(repeating: [Int](), count: pairs.mentorCount)
            for p in 0..<pairs.count { expected[Int(pairs.mentor[p])].append(p) }
            let byMentor = pairs.pairsByMentor()
            #expect(byMentor.count == pairs.mentorCount)
            #expect(byMentor.map { Array($0) } == expected)
            #expect(pairs.pairCountsByMentor() == expected.map(\.count))
        }
    }

    /// A random valid selection: mentees in random order take a random candidate pair with a free place.
    static func selection(_ problem: MatchingProblem, _ rng: inout SeededRandom) -> [Int] {
        var load = [Int](repeating: 0, count: problem.mentorCount)
        var chosen = Set(problem.locked)
        var matched = Set(problem.locked.map { Int(problem.pairs.mentee[$0]) })
        for p in problem.locked { load[Int(problem.pairs.mentor[p])] += 1 }
        for j in (0..<problem.menteeCount).shuffled(using: &rng) where !matched.contains(j) && rng.chance(0.8) {
            let options = problem.pairs.pairs(ofMentee: j).filter { load[Int(problem.pairs.mentor[$0])] < problem.capacity[Int(problem.pairs.mentor[$0])] }
            guard let p = options.randomElement(using: &rng) else { continue }
            chosen.insert(p); matched.insert(j); load[Int(problem.pairs.mentor[p])] += 1
        }
        return chosen.sorted()
    }

    @Test func comparisonsEqualRankTables() throws {
        var blocking = 0, unlisted = 0
        for seed in UInt64(1)...300 {
            var rng = SeededRandom(seed: seed)
            var cohort = Self.cohort(&rng, wide: false)
            var policy = Self.policy(&rng)
            policy.method = rng.chance(0.5) ? .stable : .optimal
            policy.mentorMinimum.count = 0
            let (_, first) = try Matcher(policy: policy).problem(for: cohort)
            if first.pairs.count > 0 && rng.chance(0.3) {
                let p = rng.int(first.pairs.count)
                cohort.locked = [LockedPair(mentor: cohort.mentors[Int(first.pairs.mentor[p])].id, mentee: cohort.mentees[Int(first.pairs.mentee[p])].id)]
            }
            let (ctx, problem) = try Matcher(policy: policy).problem(for: cohort)
            let stated = PreferenceRanks(problem: problem, ctx: ctx)
            let tables = PreferenceRanks.tabulated(problem: problem, ctx: ctx)
            // Tables by the definition: each person sorts their acceptable pairs by stated rank, or by
            // score (highest first) then id.
            let pairs = problem.pairs
            func accepts(_ p: Int) -> Bool { ctx.listsAccept(mentor: Int(pairs.mentor[p]), mentee: Int(pairs.mentee[p])) }
            var menteeRank = [Int32](repeating: 0, count: pairs.count), mentorRank = menteeRank
            for j in cohort.mentees.indices {
                let mine = pairs.pairs(ofMentee: j).filter(accepts)
                if cohort.mentees[j].preferences.isEmpty {
                    let order = mine.sorted { (-pairs.score[$0], cohort.mentors[Int(pairs.mentor[$0])].id) < (-pairs.score[$1], cohort.mentors[Int(pairs.mentor[$1])].id) }
                    for (k, p) in order.enumerated() { menteeRank[p] = Int32(k + 1) }
                } else {
                    for p in mine { menteeRank[p] = Int32(cohort.mentees[j].rank(of: cohort.mentors[Int(pairs.mentor[p])].id)!) }
                }
            }
            for i in cohort.mentors.indices {
                let mine = (0..<pairs.count).filter { Int(pairs.mentor[$0]) == i && accepts($0) }
                if cohort.mentors[i].preferences.isEmpty {
                    unlisted += 1
                    let order = mine.sorted { (-pairs.score[$0], cohort.mentees[Int(pairs.mentee[$0])].id) < (-pairs.score[$1], cohort.mentees[Int(pairs.mentee[$1])].id) }
                    for (k, p) in order.enumerated() { mentorRank[p] = Int32(k + 1) }
                } else {
                    for p in mine { mentorRank[p] = Int32(cohort.mentors[i].rank(of: cohort.mentees[Int(pairs.mentee[p])].id)!) }
                }
            }
            let definition = PreferenceRanks(acceptable: (0..<pairs.count).map(accepts), menteeRank: menteeRank, mentorRank: mentorRank)
            for p in 0..<pairs.count {
                #expect(tables.acceptable[p] == accepts(p) && stated.acceptable[p] == accepts(p), "seed \(seed)")
                #expect(tables.menteeRank[p] == menteeRank[p] && stated.menteeRank[p] == menteeRank[p], "seed \(seed) pair \(p)")
                #expect(tables.mentorRank[p] == mentorRank[p], "seed \(seed) pair \(p)")
                // Without tables a mentor's rank is counted over every pair: a sample is enough.
                if p % 5 == 0 { #expect(stated.mentorRank[p] == mentorRank[p], "seed \(seed) pair \(p)") }
            }
            for _ in 0..<4 {
                let selection = Self.selection(problem, &rng)
                let expected = Self.blockingByTables(selection, problem, definition)
                let got = BlockingPairs.find(selection: selection, problem: problem, ranks: stated)
                #expect(got.map { [$0.mentor, $0.mentee] } == expected.map { [$0.mentor, $0.mentee] }, "seed \(seed)")
                #expect(BlockingPairs.find(selection: selection, problem: problem, ranks: tables).map { [$0.mentor, $0.mentee] }
                        == expected.map { [$0.mentor, $0.mentee] }, "seed \(seed)")
                #expect(BlockingPairs.count(selection: selection, problem: problem, ranks: stated) == expected.count, "seed \(seed)")
                #expect(BlockingPairs.find(selection: selection, problem: problem, ctx: ctx).count == expected.count, "seed \(seed)")
                let selected = stated.ranks(ofSelected: selection)
                #expect(selected.map { [$0.mentee, $0.mentor] } == selection.map { [menteeRank[$0], mentorRank[$0]] }, "seed \(seed)")
                blocking += expected.count
            }
        }
        #expect(blocking > 200 && unlisted > 200, "the cases should include blocking pairs and people without lists")
    }

    /// The blocking pairs as the tables define them, pair by pair (the earlier implementation).
    static func blockingByTables(_ selection: [Int], _ problem: MatchingProblem, _ ranks: PreferenceRanks) -> [(mentor: Int, mentee: Int)] {
        let pairs = problem.pairs
        let worst = Int32.max
        var menteeHas = [Int32](repeating: worst, count: pairs.menteeCount)
        var menteeMatched = [Bool](repeating: false, count: pairs.menteeCount)
        var load = [Int](repeating: 0, count: pairs.mentorCount)
        var mentorWorst = [Int32](repeating: -1, count: pairs.mentorCount)
        let locked = Set(problem.locked)
        var lockedMentee = [Bool](repeating: false, count: pairs.menteeCount)
        var chosen = [Bool](repeating: false, count: pairs.count)
        for p in selection {
            let i = Int(pairs.mentor[p]), j = Int(pairs.mentee[p])
            chosen[p] = true
            load[i] += 1
            menteeMatched[j] = true
            menteeHas[j] = ranks.acceptable[p] ? ranks.menteeRank[p] : worst
            if locked.contains(p) { lockedMentee[j] = true; continue }
            mentorWorst[i] = max(mentorWorst[i], ranks.acceptable[p] ? ranks.mentorRank[p] : worst)
        }
        var out: [(mentor: Int, mentee: Int)] = []
        for p in 0..<pairs.count where ranks.acceptable[p] && !chosen[p] {
            let i = Int(pairs.mentor[p]), j = Int(pairs.mentee[p])
            if lockedMentee[j] { continue }
            guard !menteeMatched[j] || ranks.menteeRank[p] < menteeHas[j] else { continue }
            if load[i] < problem.capacity[i] || ranks.mentorRank[p] < mentorWorst[i] { out.append((i, j)) }
        }
        return out
    }
}
