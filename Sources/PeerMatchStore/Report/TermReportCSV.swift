import Foundation
import PeerMatch

/// The term report as one CSV table, long form: `section, key, value, n, low, high, note`, one
/// row per figure, so a spreadsheet can filter by section. Shares are fractions (0.9032), minutes
/// whole numbers; the same figures as the printable page.
public enum TermReportCSV {
    public static let header = ["section", "key", "value", "n", "low", "high", "note"]

    public static func render(_ r: TermReport) -> String {
        var rows: [[String]] = []
        func row(_ section: String, _ key: String, _ value: String, n: String = "", low: String = "", high: String = "", note: String = "") {
            rows.append([section, key, value, n, low, high, note])
        }
        row("term", "scheme", r.scheme)
        row("term", "id", r.term.rawValue)
        row("term", "name", r.termName)
        row("term", "start", r.start.description)
        row("term", "end", r.end.description)
        row("term", "revision", String(r.revision))
        row("people", "mentors", String(r.mentors))
        row("people", "mentees", String(r.mentees))
        row("people", "matched mentees", String(r.matchedMentees))
        row("people", "matched share", share(r.matchedShare), n: String(r.mentees))
        row("people", "unmatched now", String(r.unmatchedNow))
        row("people", "withdrawals", String(r.withdrawals))
        for s in PairState.allCases where s != .superseded { row("pairs", s.rawValue, String(r.pairsByState[s] ?? 0)) }
        let s = r.sessions
        row("sessions", "planned", String(s.planned))
        row("sessions", "recorded", String(s.recorded))
        for o in SessionOutcome.allCases { row("sessions", o.rawValue, String(count(s, o))) }
        row("sessions", "attendance", share(s.attendance), n: String(s.held + s.missedByMentee + s.missedByMentor),
            note: "held / (held + missed by mentee + missed by mentor)")
        for w in r.weeks {
            let x = w.sessions
            row("week", w.weekStart.description, share(x.attendance), n: String(x.held + x.missedByMentee + x.missedByMentor),
                note: w.skipped ? "no sessions (skipped week)" : "planned \(x.planned), held \(x.held), missed by mentee \(x.missedByMentee), missed by mentor \(x.missedByMentor), cancelled \(x.cancelled), closure \(x.closure)")
        }
        row("hours", "total minutes", String(r.totalMinutes), note: "held sessions; a record without minutes counts the slot's length or \(r.defaultSessionMinutes)")
        for m in r.mentorHours {
            row("hours", m.id.rawValue, String(m.minutes), n: String(m.sessionsHeld),
                note: "\(m.name); \(m.weeks) weeks; most in a week \(m.mostInAWeek)" + (m.agreedMinutesPerWeek.map { "; agreed \($0) a week" } ?? ""))
        }
        for e in EndReason.allCases { row("endings", e.rawValue, String(r.endings[e] ?? 0)) }
        row("endings", "do not pair again", String(r.endedNoRepeat))
        for o in r.outcomes {
            row("outcome", "\(o.measure) \(o.group.rawValue)", o.meanChange.map(number) ?? "", n: String(o.n),
                low: o.low.map(number) ?? "", high: o.high.map(number) ?? "",
                note: "mean change post - pre; pre mean \(o.preMean.map(number) ?? "-"), post mean \(o.postMean.map(number) ?? "-"); \(o.unpaired) with one score only")
        }
        return StoreCSV.text(header: header, rows: rows)
    }

    static func count(_ s: SessionCounts, _ o: SessionOutcome) -> Int {
        switch o {
        case .held: return s.held
        case .missedByMentee: return s.missedByMentee
        case .missedByMentor: return s.missedByMentor
        case .cancelled: return s.cancelled
        case .closure: return s.closure
        }
    }

    static func share(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "" }
    static func number(_ x: Double) -> String { String(format: "%.2f", x) }
}
