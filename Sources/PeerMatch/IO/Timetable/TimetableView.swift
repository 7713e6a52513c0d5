import Foundation

/// A term's timetable as plain values, ready to render: the neutral input of ``TimetableCSV``,
/// ``ICalendarWriter`` and ``HTMLReport``.
///
/// The renderers know nothing of how the timetable was solved; whoever solved it fills this in.
/// Every renderer sorts what it prints itself, so the order of the arrays here never changes the
/// bytes written. Call ``validate()`` (the renderers do) to check that the parts fit together.
///
/// ```swift
/// let view = TimetableView(
///     title: "Spring term mentoring", termStart: .init(iso: "2027-01-04")!, termEnd: .init(iso: "2027-03-26")!,
///     slots: [.init(id: "wed-lunch", day: .wed, start: .init("12:30")!, end: .init("13:00")!, label: "Lunch")],
///     rooms: [.init(id: "lib", name: "Library", capacity: 4, features: ["quiet"])],
///     sessions: [...], pairs: [...], unmatched: [...])
/// let csv = try TimetableCSV.render(view)
/// ```
public struct TimetableView: Sendable, Hashable {
    /// The cohort's title, printed as the page and calendar heading; also part of every event UID.
    public var title: String
    /// First day of the term.
    public var termStart: CalendarDate
    /// Last day of the term (inclusive).
    public var termEnd: CalendarDate
    /// IANA time-zone identifier the slot times are read in (the school's own zone).
    public var timeZone: String
    public var slots: [Slot]
    public var rooms: [Room]
    /// One entry per weekly meeting: a mentor and one mentee (`one-to-one`, `pairs-in-room`), or a
    /// mentor and all of their mentees together (`group`).
    public var sessions: [Session]
    public var pairs: [Pair]
    public var unmatched: [Unmatched]

    public init(title: String, termStart: CalendarDate, termEnd: CalendarDate, timeZone: String = "Europe/London",
                slots: [Slot], rooms: [Room], sessions: [Session], pairs: [Pair] = [], unmatched: [Unmatched] = []) {
        self.title = title; self.termStart = termStart; self.termEnd = termEnd; self.timeZone = timeZone
        self.slots = slots; self.rooms = rooms; self.sessions = sessions; self.pairs = pairs; self.unmatched = unmatched
    }

    /// A weekly time slot, e.g. Wednesday 12:30–13:00 "Lunch".
    public struct Slot: Sendable, Hashable {
        public var id: String
        public var day: Weekday
        public var start: ClockTime
        public var end: ClockTime
        public var label: String
        public init(id: String, day: Weekday, start: ClockTime, end: ClockTime, label: String = "") {
            self.id = id; self.day = day; self.start = start; self.end = end; self.label = label
        }
    }

    public struct Room: Sendable, Hashable {
        public var id: String
        public var name: String
        /// Pairs (or, for `group`, people) the room holds at once.
        public var capacity: Int
        public var features: [String]
        public init(id: String, name: String, capacity: Int, features: [String] = []) {
            self.id = id; self.name = name; self.capacity = capacity; self.features = features
        }
    }

    /// Someone named in the timetable.
    public struct Person: Sendable, Hashable {
        public var id: PersonID
        public var name: String
        public init(id: PersonID, name: String) { self.id = id; self.name = name }
    }

    /// A date in a session's weekly series on which it does not happen, and why.
    public struct Skipped: Sendable, Hashable {
        public var date: CalendarDate
        /// e.g. "half term", "Ada Lovelace unavailable (school trip)".
        public var reason: String
        public init(date: CalendarDate, reason: String) { self.date = date; self.reason = reason }
    }

    /// One weekly meeting in one room at one slot, over the term.
    public struct Session: Sendable, Hashable {
        public var slot: String
        public var room: String
        public var mentor: Person
        /// One mentee, or several for the `group` format.
        public var mentees: [Person]
        /// Every date the session takes place (each on the slot's weekday).
        public var dates: [CalendarDate]
        /// Dates of the weekly series that drop out (skipped weeks, someone unavailable).
        public var skipped: [Skipped]
        public init(slot: String, room: String, mentor: Person, mentees: [Person], dates: [CalendarDate], skipped: [Skipped] = []) {
            self.slot = slot; self.room = room; self.mentor = mentor; self.mentees = mentees
            self.dates = dates; self.skipped = skipped
        }
        /// Everyone in the session: the mentor first, then the mentees by id.
        public var people: [Person] { [mentor] + mentees.sorted { $0.id < $1.id } }
    }

    /// A matched pair with the reasons that defend it.
    public struct Pair: Sendable, Hashable {
        public var mentor: Person
        public var mentee: Person
        public var score: Double
        public var reasons: [String]
        public init(mentor: Person, mentee: Person, score: Double, reasons: [String]) {
            self.mentor = mentor; self.mentee = mentee; self.score = score; self.reasons = reasons
        }
    }

    /// Someone left without a partner (or without a session), and why.
    public struct Unmatched: Sendable, Hashable {
        public var person: Person
        public var role: Role
        public var reasons: [String]
        public init(person: Person, role: Role, reasons: [String]) {
            self.person = person; self.role = role; self.reasons = reasons
        }
    }
}

// MARK: - Building from a matching result

extension TimetableView {
    /// The pairs and unmatched people of `result`, named from `cohort`, in the result's order.
    public static func pairsAndUnmatched(of result: MatchResult, cohort: Cohort) -> (pairs: [Pair], unmatched: [Unmatched]) {
        let name = ResultWriter.names(cohort)
        func person(_ id: PersonID) -> Person { Person(id: id, name: name[id] ?? id.rawValue) }
        return (result.pairs.map { Pair(mentor: person($0.mentor), mentee: person($0.mentee), score: $0.score, reasons: $0.reasons) },
                result.unmatched.map { Unmatched(person: person($0.id), role: $0.role, reasons: $0.reasons) })
    }
}

// MARK: - Consistency

extension TimetableView {
    /// Checks that the parts fit together: known time zone, unique slot and room ids, slots that end
    /// after they start, sessions that name known slots and rooms, have a mentor and at least one
    /// mentee, each person once, and whose dates (and skipped dates) fall on their slot's weekday,
    /// without repeats, and (the session dates) inside the term.
    /// - Throws: ``InputError`` listing every problem, located as `$.sessions[3].dates[1]`.
    public func validate() throws {
        var problems: [Diagnostic] = []
        func fail(_ at: String, _ message: String) { problems.append(Diagnostic(file: "timetable", at: at, message)) }
        if TimeZone(identifier: timeZone) == nil { fail("$.timeZone", "unknown time zone \"\(timeZone)\"") }
        if termEnd < termStart { fail("$.termEnd", "the term ends (\(termEnd)) before it starts (\(termStart))") }
        var slotDay: [String: Weekday] = [:]
        for (k, s) in slots.enumerated() {
            if slotDay.updateValue(s.day, forKey: s.id) != nil { fail("$.slots[\(k)].id", "slot id \"\(s.id)\" is used twice") }
            if !(s.start < s.end) { fail("$.slots[\(k)]", "slot \"\(s.id)\" ends (\(s.end)) before it starts (\(s.start))") }
        }
        var roomIDs = Set<String>()
        for (k, r) in rooms.enumerated() where !roomIDs.insert(r.id).inserted {
            fail("$.rooms[\(k)].id", "room id \"\(r.id)\" is used twice")
        }
        for (k, s) in sessions.enumerated() {
            let at = "$.sessions[\(k)]"
            if !roomIDs.contains(s.room) { fail("\(at).room", "unknown room \"\(s.room)\"") }
            if s.mentees.isEmpty { fail("\(at).mentees", "a session needs at least one mentee") }
            if Set(s.people.map(\.id)).count != s.mentees.count + 1 { fail("\(at).mentees", "someone is in this session twice") }
            guard let day = slotDay[s.slot] else { fail("\(at).slot", "unknown slot \"\(s.slot)\""); continue }
            var seen = Set<CalendarDate>()
            for (d, date) in s.dates.enumerated() {
                if date.weekday != day { fail("\(at).dates[\(d)]", "\(date) is a \(date.weekday.name), not a \(day.name) like slot \"\(s.slot)\"") }
                if !seen.insert(date).inserted { fail("\(at).dates[\(d)]", "\(date) is listed twice") }
                if date < termStart || termEnd < date { fail("\(at).dates[\(d)]", "\(date) is outside the term (\(termStart) to \(termEnd))") }
            }
            for (d, skip) in s.skipped.enumerated() {
                if skip.date.weekday != day { fail("\(at).skipped[\(d)].date", "\(skip.date) is a \(skip.date.weekday.name), not a \(day.name) like slot \"\(s.slot)\"") }
                if !seen.insert(skip.date).inserted { fail("\(at).skipped[\(d)].date", "\(skip.date) is both a session date and skipped, or skipped twice") }
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
    }

    /// Sessions in a fixed order: slot weekday, start time, room id, mentor id, slot id, mentee ids.
    var orderedSessions: [Session] {
        let slot = Dictionary(slots.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func key(_ s: Session) -> (Int, Int, String, String, String, String) {
            let sl = slot[s.slot]
            return (sl?.day.index ?? 7, sl?.start.minutes ?? 0, s.room, s.mentor.id.rawValue, s.slot,
                    s.mentees.map(\.id.rawValue).sorted().joined(separator: "\u{1F}"))
        }
        return sessions.sorted { key($0) < key($1) }
    }
}
