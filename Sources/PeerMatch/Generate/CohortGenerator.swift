import Foundation

/// Generates realistic cohorts for research, tests and benchmarks. Same setting, sizes, gender mix
/// and seed: same cohort, on every platform.
///
/// Every number it draws from is in ``GeneratorSettings/table`` and documented, as a table, in
/// `Sources/PeerMatch/Generate/DISTRIBUTIONS.md` (rendered from the same table by
/// ``GeneratorSettings/markdown()``; a test keeps them identical).
public struct CohortGenerator: Sendable {
    public enum Setting: String, Sendable, CaseIterable {
        case primary, secondary, college, special
        case youthClub = "youth-club"
        case leavingCare = "leaving-care"
        case housingFirst = "housing-first"
    }

    public var setting: Setting
    public var mentees: Int
    public var mentors: Int
    public var seed: UInt64
    /// Fixes the cohort's gender mix instead of drawing it from the setting's mixes.
    public var genderMix: GenderMix.Name?
    /// Fixes the cohort's mentor pool (by ``MentorPool/name``, e.g. "Years 8–10") instead of drawing
    /// it; nil or an unknown name draws as usual. The draw still happens, so the rest of the cohort
    /// is the same as with the pool drawn.
    public var mentorPool: String?

    /// Timetable: weekly slots (0: no timetable) and rooms. See ``TimetableGenerator``.
    public var slots: Int
    public var rooms: Int

    public init(setting: Setting = .secondary, mentees: Int, mentors: Int? = nil, seed: UInt64 = 1,
                genderMix: GenderMix.Name? = nil, mentorPool: String? = nil, slots: Int = 0, rooms: Int = 0) {
        self.slots = slots; self.rooms = rooms
        let profile = GeneratorSettings.profile(setting)
        self.setting = setting; self.mentees = mentees; self.seed = seed; self.genderMix = genderMix
        self.mentorPool = mentorPool
        self.mentors = mentors ?? max(1, Int((Double(mentees) * profile.mentorsPerMentee).rounded()))
    }

    /// The staff-supported qualification: mentors chosen and supported by staff, required by some mentees.
    public static let staffSupported = "staff-supported"

    public func generate() -> Cohort {
        let profile = GeneratorSettings.profile(setting)
        var rng = SeededRandom(seed: seed)
        // Cohort-level draws first, so that sizes do not shift them.
        let drawnPool = profile.mentorPools.draw(&rng)
        let pool = profile.mentorPools.options.first { $0.name == mentorPool } ?? drawnPool
        let mixName = profile.genderMixes.draw(&rng)
        let mix = GenderMix.named(genderMix ?? mixName)
        let interestItems = profile.interestList.items
        let popularity = interestItems.indices.map { 1 / pow(Double($0 + 1), GeneratorSettings.zipfExponent) }
        let helpItems = profile.helpList.items
        let uniformHelp = Array(repeating: 1.0, count: helpItems.count)

        var interestMasks: [[UInt64]] = [[], []]   // [mentors, mentees], bit k = interest at rank k
        func person(_ role: Role, _ k: Int) -> Person {
            let id = PersonID(role == .mentor ? "m\(k + 1)" : "e\(k + 1)")
            var p = Person(id: id, role: role)
            switch role == .mentor ? pool.ages : profile.menteeAges {
            case .schoolYears(let years):
                let year = years.draw(&rng)
                p.yearGroup = Double(year)
                p.age = ((Double(year + 4) + rng.double()) * 10).rounded() / 10
            case .ages(let range):
                p.age = (rng.double(in: range) * 10).rounded() / 10
            }
            p.gender = (role == .mentor ? mix.mentors : mix.mentees).draw(&rng)
            p.genderPreference = rng.chance(role == .mentee ? profile.sameGenderWish.mentee : profile.sameGenderWish.mentor)
                ? .same : .any
            let picks = rng.distinctWeighted(rng.int(in: profile.interestsPerPerson), popularity).sorted()
            p.interests = picks.map { interestItems[$0] }
            interestMasks[role == .mentor ? 0 : 1].append(picks.reduce(UInt64(0)) { $0 | (1 << UInt64($1)) })
            if role == .mentor {
                p.offers = rng.distinctWeighted(rng.int(in: profile.offersPerMentor), uniformHelp).sorted().map { helpItems[$0] }
                p.capacity = profile.capacity.draw(&rng)
                if rng.chance(profile.staffSupportedMentors) { p.qualifications = [Self.staffSupported] }
            } else {
                p.needs = rng.distinctWeighted(rng.int(in: profile.needsPerMentee), uniformHelp).sorted().map { helpItems[$0] }
                if rng.chance(profile.menteesNeedingStaffSupport) { p.requires = [Self.staffSupported] }
                p.priority = rng.chance(profile.priorityShare) ? 1 : 0
            }
            if let forms = profile.tutorGroupsPerYear, let year = p.yearGroup {
                let letters = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
                p.group = "\(Int(year))\(letters[rng.int(min(forms, letters.count))])"
            }
            return p
        }
        var mentorList = (0..<mentors).map { person(.mentor, $0) }
        var menteeList = (0..<mentees).map { person(.mentee, $0) }

        // Friendship groups across both sides: chosen people, shuffled, cut into groups.
        var friends: [(Role, Int)] = []
        for i in mentorList.indices where rng.chance(profile.friendshipShare) { friends.append((.mentor, i)) }
        for j in menteeList.indices where rng.chance(profile.friendshipShare) { friends.append((.mentee, j)) }
        rng.shuffle(&friends)
        var start = 0, groupNumber = 0
        while start < friends.count {
            let size = rng.int(in: profile.friendshipGroupSize)
            groupNumber += 1
            for (role, k) in friends[start..<min(start + size, friends.count)] {
                if role == .mentor { mentorList[k].group = "friends-\(groupNumber)" } else { menteeList[k].group = "friends-\(groupNumber)" }
            }
            start += size
        }

        // Exclusions: mentors naming someone they would not feel comfortable with; staff concerns.
        var exclusions: [Exclusion] = []
        var excluded = Set<PairKey>()
        func exclude(_ i: Int, _ j: Int, _ reason: String) {
            if excluded.insert(PairKey(mentor: i, mentee: j)).inserted {
                exclusions.append(Exclusion(a: mentorList[i].id, b: menteeList[j].id, reason: reason))
            }
        }
        if mentees > 0 && mentors > 0 {
            for i in mentorList.indices where rng.chance(profile.mentorExclusionChance) {
                exclude(i, rng.int(mentees), "mentor would not feel comfortable")
            }
            for j in menteeList.indices where rng.chance(profile.menteeExclusionChance) {
                exclude(rng.int(mentors), j, "staff concern")
            }
        }

        // Ranked lists, weighted towards people with shared interests.
        func rankedList(_ count: Int, among others: [Person], masks: [UInt64], own: UInt64) -> [[PersonID]] {
            guard !others.isEmpty else { return [] }
            let looked = others.count <= GeneratorSettings.listCandidates
                ? Array(others.indices)
                : rng.distinctUniform(GeneratorSettings.listCandidates, others.count)
            let weights = looked.map { pow(1 + Double((masks[$0] & own).nonzeroBitCount), GeneratorSettings.listInterestExponent) }
            var list = rng.distinctWeighted(count, weights).map { [others[looked[$0]].id] }
            if list.count >= 3, rng.chance(profile.tieChance) {
                list[1] += list[2]; list.remove(at: 2)
            }
            return list
        }
        for j in menteeList.indices where rng.chance(profile.menteeListShare) {
            menteeList[j].preferences = rankedList(rng.int(in: profile.menteeListLength), among: mentorList,
                                                   masks: interestMasks[0], own: interestMasks[1][j])
        }
        for i in mentorList.indices where rng.chance(profile.mentorListShare) {
            mentorList[i].preferences = rankedList(rng.int(in: profile.mentorListLength), among: menteeList,
                                                   masks: interestMasks[1], own: interestMasks[0][i])
        }
        var cohort = Cohort(mentors: mentorList, mentees: menteeList, exclusions: exclusions)
        if slots > 0 {
            // A separate random stream, so the people are the same with or without a timetable.
            TimetableGenerator(setting: setting, slots: slots, rooms: max(1, rooms), seed: seed ^ 0x7469_6D65_7461_626C).add(to: &cohort)
        }
        return cohort
    }
}
