/// A date on which a session does not happen, and why.
public struct SkippedDate: Sendable, Hashable {
    public var date: CalendarDate
    /// "skipped week" or "Sam (m3) is unavailable".
    public var reason: String
    public init(date: CalendarDate, reason: String) { self.date = date; self.reason = reason }
}

/// The dates of a term's weekly sessions.
public enum TermCalendar {
    /// Every date in the term falling on `day`, in order, before skipped weeks are removed.
    public static func weeklyDates(_ term: Term, on day: Weekday) -> [CalendarDate] {
        var d = term.start.adding(days: (day.index - term.start.weekday.index + 7) % 7)
        var out: [CalendarDate] = []
        while d <= term.end { out.append(d); d = d.adding(days: 7) }
        return out
    }

    /// Whether `date` falls in a week the term skips.
    public static func isSkipped(_ date: CalendarDate, _ term: Term) -> Bool {
        term.skipWeeks.contains { $0.weekStart == date.weekStart }
    }

    /// Session dates at the given weekdays for people with the given unavailable dates, and the
    /// dates dropped with their reasons; both sorted by date.
    public static func sessions(_ term: Term, days: [Weekday], people: [Person]) -> (dates: [CalendarDate], skipped: [SkippedDate]) {
        var dates: [CalendarDate] = [], skipped: [SkippedDate] = []
        for date in days.flatMap({ weeklyDates(term, on: $0) }).sorted() {
            if isSkipped(date, term) { skipped.append(SkippedDate(date: date, reason: "skipped week")); continue }
            let away = people.filter { $0.unavailableDates.contains(date) }
            if !away.isEmpty {
                skipped.append(SkippedDate(date: date, reason: naturalList(away.map { "\($0.name) (\($0.id))" })
                                           + (away.count == 1 ? " is" : " are") + " unavailable"))
                continue
            }
            dates.append(date)
        }
        return (dates, skipped)
    }
}
