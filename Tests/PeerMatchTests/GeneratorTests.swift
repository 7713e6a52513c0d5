import Foundation
import Testing
@testable import PeerMatch

/// The generator's cohorts follow its documented settings table: summary statistics over many
/// generated people, with tolerances of about four standard errors.
@Suite struct GeneratorTests {
    typealias Setting = CohortGenerator.Setting

    /// One large cohort per setting (fixed gender mix so that people-level shares can be checked).
    static func big(_ setting: Setting, mix: GenderMix.Name = .balanced) -> Cohort {
        mix == .balanced ? balanced[setting]! : CohortGenerator(setting: setting, mentees: 3000, mentors: 2000, seed: 99, genderMix: mix).generate()
    }
    static let balanced: [Setting: Cohort] = Dictionary(uniqueKeysWithValues: Setting.allCases.map {
        ($0, CohortGenerator(setting: $0, mentees: 3000, mentors: 2000, seed: 99, genderMix: .balanced).generate())
    })

    func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
    func share<T>(_ xs: [T], _ p: (T) -> Bool) -> Double { Double(xs.filter(p).count) / Double(xs.count) }

    @Test func distributionsFileIsTheSettingsTable() throws {
        let file = try String(contentsOfFile: Repo.path("Sources/PeerMatch/Generate/DISTRIBUTIONS.md"), encoding: .utf8)
        #expect(file == GeneratorSettings.markdown(), "regenerate with: peermatch generate --describe > Sources/PeerMatch/Generate/DISTRIBUTIONS.md")
    }

    @Test func domainFactsAreInTheTable() {
        // DOMAIN.md: median capacity 2 in primary, 3 in secondary; pilot 41/41/9/5/4.
        #expect(GeneratorSettings.profile(.primary).capacity.median == 2)
        #expect(GeneratorSettings.profile(.secondary).capacity.median == 3)
        #expect(GeneratorSettings.pilotProgramme.map(\.count) == [41, 41, 9, 5, 4])
        #expect(Set(GeneratorSettings.table.map(\.setting)) == Set(Setting.allCases))
        #expect(GeneratorSettings.table.count == Setting.allCases.count)
    }

    @Test(arguments: Setting.allCases)
    func sameSeedSameBytesDifferentSeedDifferent(setting: Setting) {
        func text(_ seed: UInt64) -> String { CohortWriter.json(CohortGenerator(setting: setting, mentees: 40, seed: seed).generate()).rendered() }
        #expect(text(7) == text(7))
        #expect(text(7) != text(8))
    }

    /// A pinned cohort: any change to the draw order or the generator's arithmetic shows here.
    @Test func pinnedDraws() {
        let c = CohortGenerator(setting: .primary, mentees: 3, mentors: 2, seed: 42).generate()
        let summary = (c.mentors + c.mentees).map { "\($0.id) \(formatNumber($0.age!)) \($0.gender!) \($0.interests.count) \($0.capacity)" }
        #expect(summary == ["m1 9.9 male 4 1", "m2 9.3 non-binary 3 1", "e1 7.2 male 4 1", "e2 7.8 non-binary 4 1", "e3 7.9 male 7 1"])
        #expect(c.mentors.allSatisfy { $0.yearGroup == 5 || $0.yearGroup == 6 })
        #expect(c.mentees.allSatisfy { $0.yearGroup == 3 || $0.yearGroup == 4 })
        #expect(CohortWriter.json(c).rendered() == CohortWriter.json(CohortGenerator(setting: .primary, mentees: 3, mentors: 2, seed: 42).generate()).rendered())
    }

    /// Ages: every age inside its band, year groups consistent with ages, mean age as documented.
    @Test(arguments: Setting.allCases)
    func agesFollowTheSetting(setting: Setting) {
        let profile = GeneratorSettings.profile(setting)
        let cohort = Self.big(setting)
        func expectBand(_ people: [Person], _ band: AgeBand) {
            switch band {
            case .schoolYears(let years):
                for p in people {
                    let y = Int(p.yearGroup!)
                    #expect(years.options.contains(y))
                    #expect(p.age! >= Double(y + 4) - 1e-9 && p.age! <= Double(y + 5) + 1e-9, "\(p.id) Year \(y) aged \(p.age!)")
                }
                for (k, year) in years.options.enumerated() {
                    #expect(abs(share(people) { $0.yearGroup == Double(year) } - years.share(k)) < 0.04, "Year \(year)")
                }
                let expected = years.options.indices.map { (Double(years.options[$0]) + 4.5) * years.share($0) }.reduce(0, +)
                #expect(abs(mean(people.map { $0.age! }) - expected) < 0.06)
            case .ages(let r):
                #expect(people.allSatisfy { $0.yearGroup == nil && $0.age! >= r.lowerBound && $0.age! <= r.upperBound })
                let sd = (r.upperBound - r.lowerBound) / 12.0.squareRoot()
                #expect(abs(mean(people.map { $0.age! }) - (r.lowerBound + r.upperBound) / 2) < 4 * sd / Double(people.count).squareRoot() + 0.05)
            }
        }
        expectBand(cohort.mentees, profile.menteeAges)
        if profile.mentorPools.options.count == 1 { expectBand(cohort.mentors, profile.mentorPools.options[0].ages) }
    }

    /// Secondary mentors come from Years 8–10 or the sixth form, chosen per cohort in the documented shares.
    @Test func secondaryMentorPoolsPerCohort() {
        let pools = GeneratorSettings.profile(.secondary).mentorPools
        var sixthForm = 0
        let runs = 400
        for seed in 0..<UInt64(runs) {
            let c = CohortGenerator(setting: .secondary, mentees: 12, seed: seed).generate()
            let years = Set(c.mentors.map { Int($0.yearGroup!) })
            #expect(years.isSubset(of: [8, 9, 10]) || years.isSubset(of: [12, 13]), "one pool per cohort: \(years.sorted())")
            #expect(!years.contains(11), "Year 11 is avoided (GCSEs)")
            if years.isSubset(of: [12, 13]) { sixthForm += 1 }
        }
        #expect(abs(Double(sixthForm) / Double(runs) - pools.share(1)) < 0.08)
        // A fixed pool changes the mentors' years and nothing drawn before or after the pool.
        for seed in 0..<UInt64(20) {
            let fixed = CohortGenerator(setting: .secondary, mentees: 12, seed: seed, mentorPool: "sixth form").generate()
            let drawn = CohortGenerator(setting: .secondary, mentees: 12, seed: seed).generate()
            #expect(fixed.mentors.allSatisfy { [12, 13].contains($0.yearGroup!) })
            #expect(fixed.mentees == drawn.mentees && fixed.exclusions == drawn.exclusions)
            #expect(fixed.mentors.map(\.interests) == drawn.mentors.map(\.interests))
        }
    }

    /// Gender: people-level shares for each mix, and cohort-level mix frequencies per setting.
    @Test func genderShares() {
        for name in GenderMix.Name.allCases {
            let mix = GenderMix.named(name)
            let c = Self.big(.secondary, mix: name)
            for (k, g) in mix.mentors.options.enumerated() {
                #expect(abs(share(c.mentors) { $0.gender == g } - mix.mentors.share(k)) < 0.045, "\(name) mentors \(g)")
            }
            for (k, g) in mix.mentees.options.enumerated() {
                #expect(abs(share(c.mentees) { $0.gender == g } - mix.mentees.share(k)) < 0.035, "\(name) mentees \(g)")
            }
        }
        // The skewed case: mostly male mentors and mostly female mentees.
        let skewed = Self.big(.primary, mix: .skewed)
        #expect(share(skewed.mentors) { $0.gender == "male" } > 0.7)
        #expect(share(skewed.mentees) { $0.gender == "female" } > 0.7)
        // Youth clubs: about a quarter of cohorts are girls-only.
        let runs = 400
        let girlsOnly = (0..<UInt64(runs)).filter { seed in
            let c = CohortGenerator(setting: .youthClub, mentees: 15, seed: seed).generate()
            return (c.mentors + c.mentees).allSatisfy { $0.gender == "female" }
        }.count
        // P(15 mentees + 8 mentors all female by chance in a mixed club) is negligible.
        #expect(abs(Double(girlsOnly) / Double(runs) - 0.25) < 0.09)
        // Same-gender wishes.
        let p = GeneratorSettings.profile(.secondary)
        let c = Self.big(.secondary)
        #expect(abs(share(c.mentees) { $0.genderPreference == .same } - p.sameGenderWish.mentee) < 0.03)
        #expect(abs(share(c.mentors) { $0.genderPreference == .same } - p.sameGenderWish.mentor) < 0.025)
    }

    /// Capacities: median 2 in primary and 3 in secondary (DOMAIN.md), shares as in the table.
    @Test(arguments: Setting.allCases)
    func capacities(setting: Setting) {
        let dist = GeneratorSettings.profile(setting).capacity
        let caps = Self.big(setting).mentors.map(\.capacity).sorted()
        #expect(caps[caps.count / 2] == dist.median)
        #expect(abs(mean(caps.map(Double.init)) - dist.mean) < 0.1)
        for (k, v) in dist.options.enumerated() { #expect(abs(share(caps) { $0 == v } - dist.share(k)) < 0.045) }
        #expect(caps.allSatisfy(dist.options.contains))
        if setting == .primary { #expect(caps[caps.count / 2] == 2) }
        if setting == .secondary { #expect(caps[caps.count / 2] == 3) }
    }

    /// Interests: counts in range, popularity falls with rank (rank correlation), the most popular
    /// interest is far more common than the least popular.
    @Test(arguments: [Setting.secondary, .housingFirst])
    func interestPopularitySkew(setting: Setting) {
        let profile = GeneratorSettings.profile(setting)
        let items = profile.interestList.items
        let people = Self.big(setting).mentees
        let counts = people.map(\.interests.count)
        #expect(counts.allSatisfy(profile.interestsPerPerson.contains))
        let r = profile.interestsPerPerson
        #expect(abs(mean(counts.map(Double.init)) - Double(r.lowerBound + r.upperBound) / 2) < 0.1)
        var freq = Array(repeating: 0, count: items.count)
        for p in people { for i in p.interests { freq[items.firstIndex(of: i)!] += 1 } }
        #expect(Double(freq[0]) > 4 * Double(freq[items.count - 1]), "\(freq)")
        // Spearman correlation between rank and frequency rank.
        let order = freq.indices.sorted { freq[$0] > freq[$1] }
        var rankOf = Array(repeating: 0, count: items.count)
        for (r, i) in order.enumerated() { rankOf[i] = r }
        let n = Double(items.count)
        let d2 = items.indices.map { Double(($0 - rankOf[$0]) * ($0 - rankOf[$0])) }.reduce(0, +)
        #expect(1 - 6 * d2 / (n * (n * n - 1)) > 0.95)
    }

    /// Exclusions: about mentors × chance + mentees × chance, each between a real mentor and mentee.
    @Test(arguments: Setting.allCases)
    func exclusionCounts(setting: Setting) {
        let p = GeneratorSettings.profile(setting)
        let c = Self.big(setting)
        let m = Double(c.mentors.count), e = Double(c.mentees.count)
        let expected = m * p.mentorExclusionChance + e * p.menteeExclusionChance
        let sd = (m * p.mentorExclusionChance * (1 - p.mentorExclusionChance) + e * p.menteeExclusionChance * (1 - p.menteeExclusionChance)).squareRoot()
        #expect(abs(Double(c.exclusions.count) - expected) < 4 * sd + 3, "\(c.exclusions.count) vs \(expected)")
        let mentors = Set(c.mentors.map(\.id)), mentees = Set(c.mentees.map(\.id))
        #expect(c.exclusions.allSatisfy { mentors.contains($0.a) && mentees.contains($0.b) })
        #expect(Set(c.exclusions.map { "\($0.a)-\($0.b)" }).count == c.exclusions.count)
    }

    /// Friendship groups, needs and offers, staff support, priority, ranked lists.
    @Test(arguments: Setting.allCases)
    func groupsNeedsListsAndPriority(setting: Setting) {
        let p = GeneratorSettings.profile(setting)
        let c = Self.big(setting)
        let everyone = c.mentors + c.mentees
        #expect(abs(share(everyone) { $0.group?.hasPrefix("friends-") == true } - p.friendshipShare) < 0.03)
        var sizes: [String: Int] = [:]
        for person in everyone { if let g = person.group, g.hasPrefix("friends-") { sizes[g, default: 0] += 1 } }
        #expect(sizes.values.allSatisfy { $0 <= p.friendshipGroupSize.upperBound })
        if p.tutorGroupsPerYear == nil { #expect(everyone.allSatisfy { $0.group == nil || $0.group!.hasPrefix("friends-") }) }
        #expect(c.mentees.allSatisfy { p.needsPerMentee.contains($0.needs.count) && $0.offers.isEmpty })
        #expect(c.mentors.allSatisfy { p.offersPerMentor.contains($0.offers.count) && $0.needs.isEmpty })
        let help = Set(p.helpList.items)
        #expect(everyone.allSatisfy { Set($0.needs + $0.offers).isSubset(of: help) })
        #expect(abs(share(c.mentors) { $0.qualifications == [CohortGenerator.staffSupported] } - p.staffSupportedMentors) < 0.045)
        #expect(abs(share(c.mentees) { $0.requires == [CohortGenerator.staffSupported] } - p.menteesNeedingStaffSupport) < 0.03)
        #expect(abs(share(c.mentees) { $0.priority == 1 } - p.priorityShare) < 0.035)
        // Ranked lists: shares, lengths (a tie merges two entries), ids of the other side, ties.
        let mentorIDs = Set(c.mentors.map(\.id)), menteeIDs = Set(c.mentees.map(\.id))
        #expect(abs(share(c.mentees) { !$0.preferences.isEmpty } - p.menteeListShare) < 0.04)
        #expect(abs(share(c.mentors) { !$0.preferences.isEmpty } - p.mentorListShare) < 0.04)
        for e in c.mentees where !e.preferences.isEmpty {
            let ids = e.preferences.flatMap { $0 }
            #expect(p.menteeListLength.contains(ids.count) && Set(ids).count == ids.count && Set(ids).isSubset(of: mentorIDs))
        }
        for m in c.mentors where !m.preferences.isEmpty {
            #expect(Set(m.preferences.flatMap { $0 }).isSubset(of: menteeIDs))
        }
        let eligible = c.mentees.filter { $0.preferences.flatMap { $0 }.count >= 3 }
        if eligible.count > 200 {
            #expect(abs(share(eligible) { $0.preferences.contains { $0.count > 1 } } - p.tieChance) < 0.06)
        }
    }

    /// Ranked lists favour people with shared interests.
    @Test func listsFavourSharedInterests() {
        let c = CohortGenerator(setting: .secondary, mentees: 400, seed: 5).generate()
        let mentors = Dictionary(uniqueKeysWithValues: c.mentors.map { ($0.id, $0) })
        var listed: [Double] = [], all: [Double] = []
        for e in c.mentees where !e.preferences.isEmpty {
            for id in e.preferences.flatMap({ $0 }) { listed.append(Double(Set(mentors[id]!.interests).intersection(e.interests).count)) }
            for m in c.mentors { all.append(Double(Set(m.interests).intersection(e.interests).count)) }
        }
        #expect(mean(listed) > mean(all) + 0.3, "listed \(mean(listed)) vs all \(mean(all))")
    }

    @Test func pilotProgramme() {
        let a = Programme.pilot(seed: 3), b = Programme.pilot(seed: 3), c = Programme.pilot(seed: 4)
        #expect(a.count == 100)
        #expect(Set(a.map(\.fileName)).count == 100)
        #expect(a.first?.fileName == "001-primary.json" && a.last?.fileName == "100-college.json")
        for (setting, count) in GeneratorSettings.pilotProgramme {
            let members = a.filter { $0.generator.setting == setting }
            #expect(members.count == count)
            let range = GeneratorSettings.profile(setting).programmeMentees
            #expect(members.allSatisfy { range.contains($0.generator.mentees) })
            // Sizes vary within a setting.
            #expect(Set(members.map(\.generator.mentees)).count > 1)
        }
        #expect(a.map(\.generator.seed) == b.map(\.generator.seed) && a.map(\.generator.mentees) == b.map(\.generator.mentees))
        #expect(a.map(\.generator.seed) != c.map(\.generator.seed))
        #expect(Set(a.map(\.generator.seed)).count == 100)
    }

    @Test func seededHelpers() {
        var rng = SeededRandom(seed: 1)
        for n in [1, 5, 40] {
            for k in 0...n {
                let s = rng.distinctUniform(k, n)
                #expect(s.count == k && Set(s).count == k && s == s.sorted() && s.allSatisfy { (0..<n).contains($0) })
            }
        }
        var items = Array(0..<50)
        rng.shuffle(&items)
        #expect(items.sorted() == Array(0..<50) && items != Array(0..<50))
        // Floyd's sample is uniform: each of 10 indices appears in about 3/10 of 3-samples.
        var hits = Array(repeating: 0, count: 10)
        for _ in 0..<20000 { for i in rng.distinctUniform(3, 10) { hits[i] += 1 } }
        #expect(hits.allSatisfy { abs(Double($0) / 20000 - 0.3) < 0.02 }, "\(hits)")
    }
}
