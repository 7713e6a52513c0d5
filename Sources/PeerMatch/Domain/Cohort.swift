/// "Never pair these two."
public struct Exclusion: Sendable, Hashable {
    public var a: PersonID
    public var b: PersonID
    public var reason: String?
    public init(a: PersonID, b: PersonID, reason: String? = nil) { self.a = a; self.b = b; self.reason = reason }
}

/// "Keep this pair."
public struct LockedPair: Sendable, Hashable {
    public var mentor: PersonID
    public var mentee: PersonID
    public init(mentor: PersonID, mentee: PersonID) { self.mentor = mentor; self.mentee = mentee }
}

/// A staff rating that replaces the computed score of one pair.
public struct StaffScore: Sendable, Hashable {
    public var mentor: PersonID
    public var mentee: PersonID
    public var score: Double
    public init(mentor: PersonID, mentee: PersonID, score: Double) {
        self.mentor = mentor; self.mentee = mentee; self.score = score
    }
}

/// A validated cohort: everything one matching run needs to know about people.
public struct Cohort: Sendable, Hashable {
    public var mentors: [Person]
    public var mentees: [Person]
    public var exclusions: [Exclusion]
    public var locked: [LockedPair]
    public var scores: [StaffScore]

    public init(mentors: [Person], mentees: [Person], exclusions: [Exclusion] = [],
                locked: [LockedPair] = [], scores: [StaffScore] = []) {
        self.mentors = mentors; self.mentees = mentees; self.exclusions = exclusions
        self.locked = locked; self.scores = scores
    }

    /// Looks a person up by id in either list.
    public func person(_ id: PersonID) -> Person? {
        mentors.first { $0.id == id } ?? mentees.first { $0.id == id }
    }
}
