// The renderers use the domain's calendar types (Domain/Timetable.swift: CalendarDate, ClockTime,
// Weekday); these are the extra spellings they need. One set of date types for the solver and the
// files it writes.

extension TimetableView {
    public typealias CalendarDate = PeerMatch.CalendarDate
    public typealias ClockTime = PeerMatch.ClockTime
    public typealias Weekday = PeerMatch.Weekday
}

extension CalendarDate {
    /// A valid date, or nil (e.g. 2027-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year) else { return nil }
        self.init(pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2))
    }

    /// Parses `YYYY-MM-DD` exactly; nil for anything else.
    public init?(iso text: String) { self.init(text) }

    /// The date `days` after 1970-01-01 (negative: before).
    public init(daysSinceEpoch days: Int) { self.init(dayNumber: days) }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int { dayNumber }

    /// `2027-01-06`.
    public var iso: String { description }
    /// `20270106`, the iCalendar DATE form.
    var basic: String { pad(year, 4) + pad(month, 2) + pad(day, 2) }
}

extension ClockTime {
    public var hour: Int { minutes / 60 }
    public var minute: Int { minutes % 60 }

    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.init(minutes: hour * 60 + minute)
    }
}

extension Weekday {
    /// Two-letter iCalendar code (`MO` … `SU`).
    public var icalCode: String { ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][index] }
}


/// `n` in decimal with leading zeros to `width` digits (n ≥ 0).
private func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
