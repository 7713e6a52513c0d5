/// "Never pair these two."
public struct Exclusion: Sendable, Hashable {
    public var a: PersonID
    public var b: PersonID
    public var reason: String?
    public init(a: PersonID, b: PersonID, reason: String? = nil) { self.a = a; self.b = b; self.reason = reason }
}

/// "Keep this pair", and in a timetabled cohort optionally "at this slot" and "in this room".
public struct LockedPair: Sendable, Hashable {
    public var mentor: PersonID
    public var mentee: PersonID
    /// Slot id the pair must meet at (nil: the solver chooses).
    public var slot: String?
    /// Room id the pair must meet in (needs `slot`; nil: the solver chooses).
    public var room: String?
    public init(mentor: PersonID, mentee: PersonID, slot: String? = nil, room: String? = nil) {
        self.mentor = mentor; self.mentee = mentee; self.slot = slot; self.room = room
    }
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
    /// Slots, rooms, term and format; nil for a cohort without slots (matching only, as before).
    public var timetable: TimetableSetup?
    /// Pairs from earlier terms, for the policy's `rotation`.
    public var history: [HistoryPair]
    /// The scheme's own name for this cohort ("Year 7 transition, autumn 2026"): the heading of
    /// the timetable page and calendars. Optional.
    public var title: String?

    public init(mentors: [Person], mentees: [Person], exclusions: [Exclusion] = [],
                locked: [LockedPair] = [], scores: [StaffScore] = [], timetable: TimetableSetup? = nil,
                history: [HistoryPair] = [], title: String? = nil) {
        self.mentors = mentors; self.mentees = mentees; self.exclusions = exclusions
        self.locked = locked; self.scores = scores; self.timetable = timetable; self.history = history
        self.title = title
    }

    /// The title a page or calendar shows: ``title``, else one made from the term's dates
    /// ("Mentoring timetable, 7 September to 18 December 2026"), never a file name.
    public var displayTitle: String {
        if let title, !title.trimmingCharacters(in: .whitespaces).isEmpty { return title }
        guard let term = timetable?.term else { return "Mentoring timetable" }
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        func words(_ d: CalendarDate, year: Bool) -> String { "\(d.day) \(months[d.month - 1])" + (year ? " \(d.year)" : "") }
        return "Mentoring timetable, \(words(term.start, year: term.start.year != term.end.year)) to \(words(term.end, year: true))"
    }

    /// Looks a person up by id in either list.
    public func person(_ id: PersonID) -> Person? {
        mentors.first { $0.id == id } ?? mentees.first { $0.id == id }
    }
}
