extension TimetableView {
    /// A calendar day with no time zone (`2027-01-06`), in the proleptic Gregorian calendar.
    ///
    /// Hand-written rather than Foundation's `Date` + `Calendar`: a day in a school term has no
    /// instant and no zone, and plain day arithmetic keeps every renderer free of the machine's
    /// locale and zone. Day numbers use the civil-from-days algorithm (days since 1970-01-01).
    public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
        public let year: Int
        public let month: Int
        public let day: Int

        /// A valid date, or nil (e.g. 2027-02-30).
        public init?(year: Int, month: Int, day: Int) {
            guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
                  day <= Self.daysIn(month: month, year: year) else { return nil }
            self.year = year; self.month = month; self.day = day
        }

        /// Parses `YYYY-MM-DD` exactly; nil for anything else.
        public init?(iso text: String) {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
                  parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
                  let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
            self.init(year: y, month: m, day: d)
        }

        /// The date `days` after 1970-01-01 (negative: before).
        public init(daysSinceEpoch days: Int) {
            let z = days + 719_468
            let era = (z >= 0 ? z : z - 146_096) / 146_097
            let doe = z - era * 146_097
            let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
            let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
            let mp = (5 * doy + 2) / 153
            let d = doy - (153 * mp + 2) / 5 + 1
            let m = mp < 10 ? mp + 3 : mp - 9
            year = yoe + era * 400 + (m <= 2 ? 1 : 0); month = m; day = d
        }

        /// Days since 1970-01-01.
        public var daysSinceEpoch: Int {
            let y = month <= 2 ? year - 1 : year
            let era = (y >= 0 ? y : y - 399) / 400
            let yoe = y - era * 400
            let mp = (month + 9) % 12
            let doy = (153 * mp + 2) / 5 + day - 1
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
            return era * 146_097 + doe - 719_468
        }

        public func adding(days: Int) -> CalendarDate { CalendarDate(daysSinceEpoch: daysSinceEpoch + days) }

        /// 1970-01-01 was a Thursday.
        public var weekday: Weekday { Weekday.allCases[((daysSinceEpoch % 7) + 7 + 3) % 7] }

        /// `2027-01-06`.
        public var iso: String { pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) }
        /// `20270106`, the iCalendar DATE form.
        var basic: String { pad(year, 4) + pad(month, 2) + pad(day, 2) }
        public var description: String { iso }

        public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
            (a.year, a.month, a.day) < (b.year, b.month, b.day)
        }

        static func daysIn(month: Int, year: Int) -> Int {
            switch month {
            case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
            case 4, 6, 9, 11: return 30
            default: return 31
            }
        }
    }

    /// A wall-clock time of day, `HH:MM` (00:00 … 23:59).
    public struct ClockTime: Sendable, Hashable, Comparable, CustomStringConvertible {
        public let hour: Int
        public let minute: Int

        public init?(hour: Int, minute: Int) {
            guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
            self.hour = hour; self.minute = minute
        }

        /// Parses `HH:MM` (two digits each); nil for anything else.
        public init?(_ text: String) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
            self.init(hour: h, minute: m)
        }

        /// Minutes since midnight.
        public var minutes: Int { hour * 60 + minute }
        /// `12:30`.
        public var description: String { pad(hour, 2) + ":" + pad(minute, 2) }
        public static func < (a: ClockTime, b: ClockTime) -> Bool { a.minutes < b.minutes }
    }
}

/// `n` in decimal with leading zeros to `width` digits (n ≥ 0).
private func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
