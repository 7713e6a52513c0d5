/// Day of the week a slot recurs on. Raw values are the words used in cohort files.
public enum Weekday: String, Sendable, Hashable, CaseIterable, Comparable {
    case mon, tue, wed, thu, fri, sat, sun

    /// 0 for Monday … 6 for Sunday (ISO order).
    public var index: Int { Self.allCases.firstIndex(of: self)! }
    /// "Monday".
    public var name: String {
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][index]
    }
    public static func < (a: Weekday, b: Weekday) -> Bool { a.index < b.index }
}

/// A time of day, to the minute ("12:30").
public struct ClockTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Minutes since midnight, 0 ..< 1440.
    public let minutes: Int

    public init(minutes: Int) { self.minutes = minutes }

    /// Parses "HH:MM" (24-hour clock, hours 0–23, two-digit minutes); nil when malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        minutes = h * 60 + m
    }

    /// "09:05".
    public var description: String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }
    public static func < (a: ClockTime, b: ClockTime) -> Bool { a.minutes < b.minutes }
}

/// A calendar date without a time zone ("2026-09-07"), proleptic Gregorian.
///
/// Written by hand rather than with Foundation's `Calendar` so that date arithmetic never depends
/// on the machine's time zone or locale: term dates must come out the same everywhere.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Parses "YYYY-MM-DD"; nil when malformed or not a real date (2026-02-30).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= Self.daysIn(month: m, year: y) else { return nil }
        year = y; month = m; day = d
    }

    /// The date `dayNumber` days after 1970-01-01 (Howard Hinnant's civil-from-days).
    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0); month = m; day = d
    }

    /// Days since 1970-01-01 (days-from-civil).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public var weekday: Weekday {
        // 1970-01-01 was a Thursday (index 3).
        Weekday.allCases[((dayNumber + 3) % 7 + 7) % 7]
    }

    /// The Monday of this date's week (weeks run Monday to Sunday).
    public var weekStart: CalendarDate { adding(days: -weekday.index) }

    public func adding(days: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + days) }

    public var description: String {
        func pad(_ n: Int, _ w: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { a.dayNumber < b.dayNumber }

    static func daysIn(month m: Int, year y: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// A weekly time at which sessions can happen ("Lunch", Wednesday 12:30–13:00).
public struct Slot: Sendable, Hashable {
    public var id: String
    public var day: Weekday
    public var start: ClockTime
    public var end: ClockTime
    /// What staff call it ("Lunch", "Tutor time"); used by the policy's preferred slots.
    public var label: String?

    public init(id: String, day: Weekday, start: ClockTime, end: ClockTime, label: String? = nil) {
        self.id = id; self.day = day; self.start = start; self.end = end; self.label = label
    }

    /// Whether the two slots share any minute of the same weekday (then nobody can be in both).
    public func overlaps(_ other: Slot) -> Bool {
        day == other.day && start < other.end && other.start < end
    }
}

/// A space where sessions happen.
public struct Room: Sendable, Hashable {
    public var id: String
    public var name: String
    /// Pairs at once (`one-to-one`: one pair whatever this says; `pairs-in-room`: pairs;
    /// `group`: people, the mentor included).
    public var capacity: Int
    /// Lower-cased features ("quiet", "accessible").
    public var features: [String]
    /// Slot ids the room is free at; nil means every slot.
    public var availability: [String]?

    public init(id: String, name: String? = nil, capacity: Int = 1, features: [String] = [], availability: [String]? = nil) {
        self.id = id; self.name = name ?? id; self.capacity = capacity; self.features = features
        self.availability = availability
    }
}

/// The dates a term's weekly sessions run on.
public struct Term: Sendable, Hashable {
    public var start: CalendarDate
    public var end: CalendarDate
    /// Any date in a week with no sessions (half term, exams); the whole Monday–Sunday week is skipped.
    public var skipWeeks: [CalendarDate]
    /// Sessions each pair (or group) has a week, each at a different slot.
    public var sessionsPerWeek: Int

    public init(start: CalendarDate, end: CalendarDate, skipWeeks: [CalendarDate] = [], sessionsPerWeek: Int = 1) {
        self.start = start; self.end = end; self.skipWeeks = skipWeeks; self.sessionsPerWeek = sessionsPerWeek
    }
}

/// How sessions are held.
public enum SessionFormat: String, Sendable, Hashable, CaseIterable {
    /// Each pair meets alone in its room; a mentor meets each mentee at a different slot.
    case oneToOne = "one-to-one"
    /// Several pairs share a room at once; a room's capacity counts pairs.
    case pairsInRoom = "pairs-in-room"
    /// A mentor meets all their mentees together; a room's capacity counts people.
    case group
}

/// The timetable part of a cohort: present only when the cohort lists slots.
public struct TimetableSetup: Sendable, Hashable {
    public var slots: [Slot]
    public var rooms: [Room]
    /// Without a term, pairs get a slot and a room but no dates.
    public var term: Term?
    public var format: SessionFormat

    public init(slots: [Slot], rooms: [Room], term: Term? = nil, format: SessionFormat = .oneToOne) {
        self.slots = slots; self.rooms = rooms; self.term = term; self.format = format
    }

    /// Sessions each pair has a week (1 without a term).
    public var sessionsPerWeek: Int { term?.sessionsPerWeek ?? 1 }
}

/// A pair from an earlier term (`history[]`), used by the policy's `rotation`.
public struct HistoryPair: Sendable, Hashable {
    public var mentor: PersonID
    public var mentee: PersonID
    /// Free text naming the term ("2025 autumn").
    public var term: String?
    public init(mentor: PersonID, mentee: PersonID, term: String? = nil) {
        self.mentor = mentor; self.mentee = mentee; self.term = term
    }
}
