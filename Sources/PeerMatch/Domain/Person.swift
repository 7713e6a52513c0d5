/// A person's identifier, unique across one cohort file (mentors and mentees share one namespace).
public struct PersonID: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (a: PersonID, b: PersonID) -> Bool { a.rawValue < b.rawValue }
}

public enum Role: String, Sendable, Hashable, CaseIterable {
    case mentor, mentee
}

/// Whom a person is willing to be paired with, by gender.
public enum GenderPreference: Hashable, Sendable {
    /// No preference.
    case any
    /// A partner of the person's own gender.
    case same
    /// A partner whose gender is one of these (normalised to lower case).
    case oneOf(Set<String>)

    /// Whether a partner of `partnerGender` satisfies this preference held by someone of `ownGender`.
    public func accepts(partnerGender: String?, ownGender: String?) -> Bool {
        switch self {
        case .any: return true
        case .same:
            guard let p = partnerGender, let o = ownGender else { return false }
            return p == o
        case .oneOf(let genders):
            guard let p = partnerGender else { return false }
            return genders.contains(p)
        }
    }

    /// Plain words for explanations: "a female mentor", "a mentor of the same gender".
    func describe(partnerRole: Role, ownGender: String?) -> String {
        switch self {
        case .any: return "any \(partnerRole.rawValue)"
        case .same:
            if let g = ownGender { return "a \(g) \(partnerRole.rawValue)" }
            return "a \(partnerRole.rawValue) of the same gender"
        case .oneOf(let set):
            return "a " + set.sorted().joined(separator: " or ") + " \(partnerRole.rawValue)"
        }
    }
}

/// A mentor or a mentee, as read from a cohort file. Value type; the role says which list it came from.
public struct Person: Sendable, Hashable {
    public var id: PersonID
    public var role: Role
    public var name: String
    /// Age in years (may be fractional). When absent, derived from `yearGroup` (see ``effectiveAge``).
    public var age: Double?
    /// School year group (England: Year 1 to Year 13).
    public var yearGroup: Double?
    /// Lower-cased gender as written in the file ("female", "male", "non-binary"...), or nil.
    public var gender: String?
    public var genderPreference: GenderPreference
    public var interests: [String]
    /// Mentors: skills and experience to share.
    public var offers: [String]
    /// Mentees: help wanted.
    public var needs: [String]
    public var qualifications: [String]
    /// Mentees: qualifications their mentor must all have.
    public var requires: [String]
    /// Tutor group or friendship circle.
    public var group: String?
    /// Mentors: how many mentees at most.
    public var capacity: Int
    /// Mentees: higher is matched first (lexicographically).
    public var priority: Int
    /// Ranked partner ids, most wanted first. Each entry is a tie group (usually of one id).
    public var preferences: [[PersonID]]
    /// Slot ids the person can make; nil means every slot (timetabled cohorts only).
    public var availability: [String]?
    /// Mentees: room features every session needs ("quiet", "accessible"), lower-cased.
    public var requireRoomFeatures: [String]
    /// Term dates the person cannot attend (a trip, an exam): their pair's session that day drops out.
    public var unavailableDates: [CalendarDate]

    public init(
        id: PersonID, role: Role, name: String? = nil, age: Double? = nil, yearGroup: Double? = nil,
        gender: String? = nil, genderPreference: GenderPreference = .any, interests: [String] = [],
        offers: [String] = [], needs: [String] = [], qualifications: [String] = [], requires: [String] = [],
        group: String? = nil, capacity: Int = 1, priority: Int = 0, preferences: [[PersonID]] = [],
        availability: [String]? = nil, requireRoomFeatures: [String] = [], unavailableDates: [CalendarDate] = []
    ) {
        self.id = id; self.role = role; self.name = name ?? id.rawValue; self.age = age
        self.yearGroup = yearGroup; self.gender = gender; self.genderPreference = genderPreference
        self.interests = interests; self.offers = offers; self.needs = needs
        self.qualifications = qualifications; self.requires = requires; self.group = group
        self.capacity = capacity; self.priority = priority; self.preferences = preferences
        self.availability = availability; self.requireRoomFeatures = requireRoomFeatures
        self.unavailableDates = unavailableDates
    }

    /// Age used by the age rules: `age` if given, else `yearGroup + 4.5` (a pupil in Year N is
    /// N+4 at the start of the school year and N+5 at its end), else nil.
    public var effectiveAge: Double? {
        if let age { return age }
        if let yearGroup { return yearGroup + 4.5 }
        return nil
    }

    /// 1-based rank of `other` in this person's preferences (ties share a rank), or nil if unlisted.
    public func rank(of other: PersonID) -> Int? {
        for (i, group) in preferences.enumerated() where group.contains(other) { return i + 1 }
        return nil
    }
}
