/// Generates realistic cohorts for tests and benchmarks. Same setting, sizes and seed: same cohort.
///
/// Distributions (all documented here, in one place):
/// - Interests: 6 on average (4 to 8, uniform) from a list of 40, with Zipf-like popularity
///   (weight 1/(rank+1)^0.8), so football and gaming are common and chess is rare.
/// - Needs (mentees, 0 to 3) and offers (mentors, 1 to 4) from 12 kinds of help.
/// - Gender: 48% female, 48% male, 4% non-binary. 10% of mentees and 5% of mentors want the same
///   gender; the rest any.
/// - Capacity: mentors take 1 to 3 mentees (uniform).
/// - Qualifications: 30% of mentors are safeguarding-trained; 3% of mentees require it.
/// - Priority: 10% of mentees have priority 1 (stand to benefit most), the rest 0.
/// - Groups: tutor groups of about 25 within a year group (e.g. "7C").
/// - Exclusions: one for every 50 mentees, between a random mentor and mentee.
/// - Ages by setting:
///   - `secondary`: mentees Year 7 (ages 11.0–12.0), mentors Years 9 to 11 (ages 13.0–16.0).
///   - `primary`: mentees Years 3–4 (ages 7.0–9.0), mentors Year 5 (ages 9.0–10.0).
public struct CohortGenerator: Sendable {
    public enum Setting: String, Sendable, CaseIterable {
        case primary, secondary
    }

    public var setting: Setting
    public var mentees: Int
    public var mentors: Int
    public var seed: UInt64
    /// Timetable: weekly slots (0: no timetable) and rooms. See ``TimetableGenerator``.
    public var slots: Int
    public var rooms: Int

    public init(setting: Setting = .secondary, mentees: Int, mentors: Int? = nil, seed: UInt64 = 1, slots: Int = 0, rooms: Int = 0) {
        self.setting = setting; self.mentees = mentees; self.mentors = mentors ?? max(1, mentees / 3); self.seed = seed
        self.slots = slots; self.rooms = rooms
    }

    static let interests = [
        "football", "gaming", "music", "drawing", "dance", "basketball", "reading", "films", "swimming", "cooking",
        "animals", "netball", "youtube", "drama", "singing", "cycling", "lego", "anime", "fashion", "photography",
        "science", "coding", "rugby", "cricket", "skateboarding", "baking", "gymnastics", "martial arts", "guitar", "piano",
        "history", "writing", "nature", "fishing", "board games", "tennis", "running", "volunteering", "languages", "chess",
    ]
    static let help = [
        "transition support", "making friends", "organisation", "homework help", "confidence", "reading support",
        "maths support", "managing worries", "sport", "friendship problems", "revision", "settling in",
    ]

    public func generate() -> Cohort {
        var rng = SeededRandom(seed: seed)
        let popularity = (0..<Self.interests.count).map { 1 / pow(Double($0 + 1), 0.8) }
        func gender() -> String {
            let x = rng.double()
            return x < 0.48 ? "female" : x < 0.96 ? "male" : "non-binary"
        }
        func person(_ role: Role, _ k: Int) -> Person {
            let id = PersonID(role == .mentor ? "m\(k + 1)" : "e\(k + 1)")
            var p = Person(id: id, role: role)
            let (lo, hi, year): (Double, Double, Int)
            switch (setting, role) {
            case (.secondary, .mentee): (lo, hi, year) = (11.0, 12.0, 7)
            case (.secondary, .mentor): (lo, hi, year) = (13.0, 16.0, 9 + rng.int(3))
            case (.primary, .mentee): (lo, hi, year) = (7.0, 9.0, 3 + rng.int(2))
            case (.primary, .mentor): (lo, hi, year) = (9.0, 10.0, 5)
            }
            p.age = (rng.double(in: lo...hi) * 10).rounded() / 10
            p.yearGroup = Double(year)
            p.gender = gender()
            p.genderPreference = rng.chance(role == .mentee ? 0.10 : 0.05) ? .same : .any
            p.interests = rng.distinctWeighted(rng.int(in: 4...8), popularity).sorted().map { Self.interests[$0] }
            if role == .mentor {
                p.offers = rng.distinctWeighted(rng.int(in: 1...4), Array(repeating: 1, count: Self.help.count)).sorted().map { Self.help[$0] }
                p.capacity = rng.int(in: 1...3)
                if rng.chance(0.30) { p.qualifications = ["safeguarding-trained"] }
            } else {
                p.needs = rng.distinctWeighted(rng.int(in: 0...3), Array(repeating: 1, count: Self.help.count)).sorted().map { Self.help[$0] }
                if rng.chance(0.03) { p.requires = ["safeguarding-trained"] }
                p.priority = rng.chance(0.10) ? 1 : 0
            }
            let letters = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
            let groupsPerYear = max(1, (role == .mentee ? mentees : mentors) / 25)
            p.group = "\(year)\(letters[rng.int(min(groupsPerYear, letters.count))])"
            p.name = id.rawValue
            return p
        }
        let mentorList = (0..<mentors).map { person(.mentor, $0) }
        let menteeList = (0..<mentees).map { person(.mentee, $0) }
        var exclusions: [Exclusion] = []
        for _ in 0..<(mentees / 50) where mentors > 0 {
            exclusions.append(Exclusion(a: mentorList[rng.int(mentors)].id, b: menteeList[rng.int(mentees)].id, reason: "staff concern"))
        }
        var cohort = Cohort(mentors: mentorList, mentees: menteeList, exclusions: exclusions)
        if slots > 0 {
            // A separate random stream, so the people are the same with or without a timetable.
            TimetableGenerator(setting: setting, slots: slots, rooms: max(1, rooms), seed: seed ^ 0x7469_6D65_7461_626C).add(to: &cohort)
        }
        return cohort
    }
}

import Foundation
