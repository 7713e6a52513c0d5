import Foundation

/// A discrete distribution: options with weights (shares are weight / total weight). Options keep
/// the order they were written in, so draws and the rendered documentation are deterministic.
public struct Distribution<Value: Sendable>: Sendable {
    public let options: [Value]
    public let weights: [Double]

    /// Share of option `k`.
    public func share(_ k: Int) -> Double { weights[k] / weights.reduce(0, +) }

    func draw(_ rng: inout SeededRandom) -> Value { options[rng.weighted(weights)] }

    /// "1 (30%), 2 (45%)".
    func describe(_ name: (Value) -> String) -> String {
        if options.count == 1 { return name(options[0]) }
        return options.indices.map { "\(name(options[$0])) (\(percent(share($0))))" }.joined(separator: ", ")
    }
}

extension Distribution where Value == Int {
    /// The smallest value whose cumulative share exceeds one half.
    public var median: Int {
        var cumulative = 0.0
        for k in options.indices {
            cumulative += share(k)
            if cumulative > 0.5 { return options[k] }
        }
        return options.last!
    }

    public var mean: Double { options.indices.map { Double(options[$0]) * share($0) }.reduce(0, +) }
}

/// How ages are drawn for one side of a cohort.
public enum AgeBand: Sendable {
    /// School year groups (England). A pupil in Year N is aged N + 4 + U[0, 1), rounded to 0.1, and
    /// gets `yearGroup` N.
    case schoolYears(Distribution<Int>)
    /// Uniform ages in the range, rounded to 0.1; no year group (adult and community settings).
    case ages(ClosedRange<Double>)

    func describe() -> String {
        switch self {
        case .schoolYears(let years): return "Year " + years.describe(String.init)
        case .ages(let r): return "ages \(formatNumber(r.lowerBound))–\(formatNumber(r.upperBound)) (uniform)"
        }
    }
}

/// Where a cohort's mentors come from (drawn once per cohort): e.g. Years 8–10 or the sixth form.
public struct MentorPool: Sendable {
    public let name: String
    public let ages: AgeBand
}

/// The gender shares of a cohort's mentors and mentees (drawn once per cohort).
public struct GenderMix: Sendable {
    public enum Name: String, Sendable, CaseIterable {
        /// About as many girls as boys on both sides.
        case balanced
        /// Mostly male mentors and mostly female mentees (a pilot school's experience).
        case skewed
        /// A girls-only group (a pilot youth club ran its scheme with the girls first).
        case girlsOnly = "girls-only"
        /// A mixed youth club: about 20 girls to 35 boys.
        case mixedClub = "mixed-club"
        /// Adult homelessness services, where most people supported and most peers are men.
        case mostlyMen = "mostly-men"
    }

    public let name: Name
    public let mentors: Distribution<String>
    public let mentees: Distribution<String>

    /// The shares behind each name.
    public static func named(_ name: Name) -> GenderMix {
        switch name {
        case .balanced:
            let even: Distribution<String> = ["female": 0.48, "male": 0.48, "non-binary": 0.04]
            return GenderMix(name: name, mentors: even, mentees: even)
        case .skewed:
            return GenderMix(name: name, mentors: ["female": 0.20, "male": 0.77, "non-binary": 0.03],
                             mentees: ["female": 0.77, "male": 0.20, "non-binary": 0.03])
        case .girlsOnly:
            let girls: Distribution<String> = ["female": 1.0]
            return GenderMix(name: name, mentors: girls, mentees: girls)
        case .mixedClub:
            let club: Distribution<String> = ["female": 0.36, "male": 0.61, "non-binary": 0.03]
            return GenderMix(name: name, mentors: club, mentees: club)
        case .mostlyMen:
            return GenderMix(name: name, mentors: ["female": 0.35, "male": 0.63, "non-binary": 0.02],
                             mentees: ["female": 0.30, "male": 0.68, "non-binary": 0.02])
        }
    }
}

extension Distribution: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (Value, Double)...) {
        options = elements.map(\.0); weights = elements.map(\.1)
    }
}

/// Everything the generator draws for one setting. ``GeneratorSettings/table`` holds one per
/// setting; `Sources/PeerMatch/Generate/DISTRIBUTIONS.md` is this table rendered by
/// ``GeneratorSettings/markdown()`` (a test keeps the two identical).
public struct SettingProfile: Sendable {
    public let setting: CohortGenerator.Setting
    /// One line on the setting and the DOMAIN.md facts it follows.
    public let summary: String
    public let menteeAges: AgeBand
    /// Drawn once per cohort.
    public let mentorPools: Distribution<MentorPool>
    /// Default number of mentors: round(mentees × this), at least 1.
    public let mentorsPerMentee: Double
    /// Mentees a mentor takes at most.
    public let capacity: Distribution<Int>
    /// Drawn once per cohort unless `--gender-mix` fixes it.
    public let genderMixes: Distribution<GenderMix.Name>
    /// Share of mentees / mentors who want a partner of their own gender (`genderPreference: same`).
    public let sameGenderWish: (mentee: Double, mentor: Double)
    public let interestList: InterestList
    public let interestsPerPerson: ClosedRange<Int>
    public let helpList: HelpList
    public let needsPerMentee: ClosedRange<Int>
    public let offersPerMentor: ClosedRange<Int>
    /// Share of mentors chosen and supported by staff (qualification `staff-supported`).
    public let staffSupportedMentors: Double
    /// Share of mentees with more serious issues who need such a mentor (`requires: staff-supported`).
    public let menteesNeedingStaffSupport: Double
    /// Share of mentees with priority 1 ("stand to benefit most"); the rest have 0.
    public let priorityShare: Double
    /// Tutor groups per year group ("7A", "7B", ...), or nil where there are none.
    public let tutorGroupsPerYear: Int?
    /// Share of people (either side) in a friendship group; a friendship group replaces the tutor group.
    public let friendshipShare: Double
    public let friendshipGroupSize: ClosedRange<Int>
    /// Chance that a mentor names one mentee they would not feel comfortable working with.
    public let mentorExclusionChance: Double
    /// Chance that staff record a concern between a mentee and one mentor.
    public let menteeExclusionChance: Double
    /// Share of mentees who rank mentors, and how many they rank.
    public let menteeListShare: Double
    public let menteeListLength: ClosedRange<Int>
    /// Share of mentors who rank mentees, and how many they rank.
    public let mentorListShare: Double
    public let mentorListLength: ClosedRange<Int>
    /// Chance that a ranked list has a tie (its 2nd and 3rd choices wanted equally).
    public let tieChance: Double
    /// Mentees per cohort in `generate --programme pilot` (uniform).
    public let programmeMentees: ClosedRange<Int>
}

/// Interest vocabularies, most popular first. Popularity of the item at rank r (0-based) is
/// proportional to 1 / (r + 1)^``GeneratorSettings/zipfExponent``; a person's interests are drawn
/// without replacement by popularity.
public enum InterestList: String, Sendable {
    case young, adult

    public var items: [String] {
        switch self {
        case .young:
            return ["football", "gaming", "music", "drawing", "dance", "basketball", "reading", "films", "swimming",
                    "cooking", "animals", "netball", "youtube", "drama", "singing", "cycling", "lego", "anime",
                    "fashion", "photography", "science", "coding", "rugby", "cricket", "skateboarding", "baking",
                    "gymnastics", "martial arts", "guitar", "piano", "history", "writing", "nature", "fishing",
                    "board games", "tennis", "running", "volunteering", "languages", "chess"]
        case .adult:
            return ["football", "music", "cooking", "walking", "films", "fishing", "gardening", "art", "reading",
                    "gym", "history", "pool and darts", "animals", "cycling", "gaming", "photography", "writing",
                    "DIY", "volunteering", "faith", "boxing", "running", "crafts", "computers", "chess", "singing",
                    "cars", "theatre", "languages", "yoga"]
        }
    }
}

/// What mentors offer and mentees ask for (uniform draws without replacement).
public enum HelpList: String, Sendable {
    case school, leavingCare = "leaving-care", housing

    public var items: [String] {
        switch self {
        case .school:
            return ["transition support", "making friends", "organisation", "homework help", "confidence",
                    "reading support", "maths support", "managing worries", "sport", "friendship problems",
                    "revision", "settling in"]
        case .leavingCare:
            return ["budgeting", "cooking", "moving into education", "finding work", "managing a tenancy",
                    "benefits and bills", "health appointments", "making friends", "confidence",
                    "dealing with professionals", "travel", "keeping safe"]
        case .housing:
            return ["attending appointments", "budgeting", "getting out and about", "hobbies", "keeping a tenancy",
                    "benefits", "health", "recovery", "confidence", "cooking", "DIY", "volunteering"]
        }
    }
}

/// The generator's settings table: every number the generator draws from.
public enum GeneratorSettings {
    /// Exponent of the interests' Zipf-like popularity.
    public static let zipfExponent = 0.8
    /// Mentors looked at (uniformly) before a ranked list is drawn from them; keeps large cohorts fast.
    public static let listCandidates = 30
    /// Weight of a person in someone's ranked list: (1 + shared interests)^this.
    public static let listInterestExponent = 2.0

    /// Organisations in the national pilot programme by setting (DOMAIN.md, Table 2.1).
    public static let pilotProgramme: [(setting: CohortGenerator.Setting, count: Int)] = [
        (.primary, 41), (.secondary, 41), (.youthClub, 9), (.special, 5), (.college, 4),
    ]

    public static func profile(_ setting: CohortGenerator.Setting) -> SettingProfile {
        table.first { $0.setting == setting }!
    }

    public static let table: [SettingProfile] = [
        SettingProfile(
            setting: .primary,
            summary: "Key Stage 2: mentors mostly Year 5 (Year 6 has SATs), mentees Years 3–4; median capacity 2.",
            menteeAges: .schoolYears([3: 0.55, 4: 0.45]),
            mentorPools: [MentorPool(name: "Years 5–6", ages: .schoolYears([5: 0.85, 6: 0.15])): 1],
            mentorsPerMentee: 0.55,
            capacity: [1: 0.30, 2: 0.45, 3: 0.15, 4: 0.10],
            genderMixes: [.balanced: 0.85, .skewed: 0.15],
            sameGenderWish: (mentee: 0.05, mentor: 0.02),
            interestList: .young, interestsPerPerson: 3...7,
            helpList: .school, needsPerMentee: 0...3, offersPerMentor: 1...4,
            staffSupportedMentors: 0.30, menteesNeedingStaffSupport: 0.03, priorityShare: 0.15,
            tutorGroupsPerYear: 2, friendshipShare: 0.15, friendshipGroupSize: 2...4,
            mentorExclusionChance: 0.10, menteeExclusionChance: 0.03,
            menteeListShare: 0.30, menteeListLength: 2...4, mentorListShare: 0.15, mentorListLength: 2...3,
            tieChance: 0.20, programmeMentees: 6...24),
        SettingProfile(
            setting: .secondary,
            summary: "Key Stage 3: Year 7 mentees; mentors from Years 8–10 or the sixth form (Year 11 avoided); median capacity 3.",
            menteeAges: .schoolYears([7: 0.90, 8: 0.10]),
            mentorPools: [MentorPool(name: "Years 8–10", ages: .schoolYears([8: 0.30, 9: 0.40, 10: 0.30])): 0.70,
                          MentorPool(name: "sixth form", ages: .schoolYears([12: 0.60, 13: 0.40])): 0.30],
            mentorsPerMentee: 0.40,
            capacity: [1: 0.10, 2: 0.25, 3: 0.35, 4: 0.15, 5: 0.15],
            genderMixes: [.balanced: 0.85, .skewed: 0.15],
            sameGenderWish: (mentee: 0.12, mentor: 0.05),
            interestList: .young, interestsPerPerson: 3...7,
            helpList: .school, needsPerMentee: 0...3, offersPerMentor: 1...4,
            staffSupportedMentors: 0.30, menteesNeedingStaffSupport: 0.05, priorityShare: 0.15,
            tutorGroupsPerYear: 8, friendshipShare: 0.15, friendshipGroupSize: 2...5,
            mentorExclusionChance: 0.10, menteeExclusionChance: 0.03,
            menteeListShare: 0.50, menteeListLength: 2...5, mentorListShare: 0.20, mentorListLength: 2...4,
            tieChance: 0.20, programmeMentees: 10...40),
        SettingProfile(
            setting: .college,
            summary: "Further education: first-year students supported by second-year and older students.",
            menteeAges: .ages(16...18),
            mentorPools: [MentorPool(name: "second-year and older students", ages: .ages(17...21)): 1],
            mentorsPerMentee: 0.50,
            capacity: [1: 0.20, 2: 0.40, 3: 0.30, 4: 0.10],
            genderMixes: [.balanced: 0.80, .skewed: 0.20],
            sameGenderWish: (mentee: 0.10, mentor: 0.05),
            interestList: .young, interestsPerPerson: 3...7,
            helpList: .school, needsPerMentee: 0...3, offersPerMentor: 1...4,
            staffSupportedMentors: 0.30, menteesNeedingStaffSupport: 0.05, priorityShare: 0.15,
            tutorGroupsPerYear: nil, friendshipShare: 0.20, friendshipGroupSize: 2...5,
            mentorExclusionChance: 0.10, menteeExclusionChance: 0.03,
            menteeListShare: 0.50, menteeListLength: 2...5, mentorListShare: 0.20, mentorListLength: 2...4,
            tieChance: 0.20, programmeMentees: 8...30),
        SettingProfile(
            setting: .special,
            summary: "Special schools: small cohorts, mostly one-to-one, more mentees needing a staff-supported mentor.",
            menteeAges: .schoolYears([7: 0.40, 8: 0.30, 9: 0.30]),
            mentorPools: [MentorPool(name: "Years 9–11", ages: .schoolYears([9: 0.30, 10: 0.40, 11: 0.30])): 1],
            mentorsPerMentee: 0.80,
            capacity: [1: 0.60, 2: 0.40],
            genderMixes: [.balanced: 0.85, .skewed: 0.15],
            sameGenderWish: (mentee: 0.10, mentor: 0.05),
            interestList: .young, interestsPerPerson: 2...5,
            helpList: .school, needsPerMentee: 1...3, offersPerMentor: 1...3,
            staffSupportedMentors: 0.50, menteesNeedingStaffSupport: 0.15, priorityShare: 0.20,
            tutorGroupsPerYear: 2, friendshipShare: 0.15, friendshipGroupSize: 2...4,
            mentorExclusionChance: 0.10, menteeExclusionChance: 0.05,
            menteeListShare: 0.20, menteeListLength: 2...3, mentorListShare: 0.10, mentorListLength: 2...3,
            tieChance: 0.20, programmeMentees: 4...12),
        SettingProfile(
            setting: .youthClub,
            summary: "Community youth organisations, ages 11–18: older members support younger ones; mixed or girls-only groups.",
            menteeAges: .ages(11...15),
            mentorPools: [MentorPool(name: "members aged 14–18", ages: .ages(14...18)): 1],
            mentorsPerMentee: 0.50,
            capacity: [1: 0.20, 2: 0.35, 3: 0.30, 4: 0.15],
            genderMixes: [.mixedClub: 0.60, .girlsOnly: 0.25, .skewed: 0.15],
            sameGenderWish: (mentee: 0.20, mentor: 0.10),
            interestList: .young, interestsPerPerson: 3...7,
            helpList: .school, needsPerMentee: 0...3, offersPerMentor: 1...4,
            staffSupportedMentors: 0.30, menteesNeedingStaffSupport: 0.05, priorityShare: 0.20,
            tutorGroupsPerYear: nil, friendshipShare: 0.40, friendshipGroupSize: 2...5,
            mentorExclusionChance: 0.15, menteeExclusionChance: 0.05,
            menteeListShare: 0.60, menteeListLength: 2...5, mentorListShare: 0.30, mentorListLength: 2...4,
            tieChance: 0.20, programmeMentees: 10...40),
        SettingProfile(
            setting: .leavingCare,
            summary: "Leaving care: older care leavers support younger ones with budgeting, cooking, education; mostly one-to-one.",
            menteeAges: .ages(16...21),
            mentorPools: [MentorPool(name: "care leavers aged 19–25", ages: .ages(19...25)): 1],
            mentorsPerMentee: 0.75,
            capacity: [1: 0.60, 2: 0.30, 3: 0.10],
            genderMixes: [.balanced: 0.90, .skewed: 0.10],
            sameGenderWish: (mentee: 0.30, mentor: 0.10),
            interestList: .young, interestsPerPerson: 2...6,
            helpList: .leavingCare, needsPerMentee: 1...4, offersPerMentor: 2...5,
            staffSupportedMentors: 0.40, menteesNeedingStaffSupport: 0.10, priorityShare: 0.20,
            tutorGroupsPerYear: nil, friendshipShare: 0.20, friendshipGroupSize: 2...4,
            mentorExclusionChance: 0.10, menteeExclusionChance: 0.05,
            menteeListShare: 0.70, menteeListLength: 2...4, mentorListShare: 0.30, mentorListLength: 2...3,
            tieChance: 0.20, programmeMentees: 5...20),
        SettingProfile(
            setting: .housingFirst,
            summary: "Housing First: adults with lived experience of homelessness as peer mentors; matched on interests and hopes.",
            menteeAges: .ages(20...60),
            mentorPools: [MentorPool(name: "adults aged 25–65", ages: .ages(25...65)): 1],
            mentorsPerMentee: 0.60,
            capacity: [1: 0.30, 2: 0.40, 3: 0.30],
            genderMixes: [.mostlyMen: 0.80, .balanced: 0.20],
            sameGenderWish: (mentee: 0.30, mentor: 0.10),
            interestList: .adult, interestsPerPerson: 2...6,
            helpList: .housing, needsPerMentee: 1...3, offersPerMentor: 1...4,
            staffSupportedMentors: 0.40, menteesNeedingStaffSupport: 0.10, priorityShare: 0.20,
            tutorGroupsPerYear: nil, friendshipShare: 0.10, friendshipGroupSize: 2...3,
            mentorExclusionChance: 0.10, menteeExclusionChance: 0.05,
            menteeListShare: 0.50, menteeListLength: 2...4, mentorListShare: 0.20, mentorListLength: 2...3,
            tieChance: 0.20, programmeMentees: 5...25),
    ]
}

func percent(_ x: Double) -> String { formatNumber((x * 1000).rounded() / 10) + "%" }
