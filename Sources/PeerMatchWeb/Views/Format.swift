import Foundation
import PeerMatch
import PeerMatchStore

/// How values are written on the page: dates as people write them ("Wed 6 Jan 2027"), scores to
/// two decimals, counts with their noun. Presentation only; the values come from the store.
enum Format {
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Wed 6 Jan 2027`.
    static func date(_ d: CalendarDate) -> String { "\(d.weekday.name.prefix(3)) \(d.day) \(months[d.month - 1]) \(d.year)" }
    /// `6 Jan`.
    static func short(_ d: CalendarDate) -> String { "\(d.day) \(months[d.month - 1])" }
    /// `7 Sep – 18 Dec 2026` (years shown where they differ).
    static func range(_ a: CalendarDate, _ b: CalendarDate) -> String {
        a.year == b.year ? "\(short(a)) – \(short(b)) \(b.year)" : "\(short(a)) \(a.year) – \(short(b)) \(b.year)"
    }

    /// The store's timestamps are ISO 8601 (`2026-12-01T20:44:16Z`); shown as `1 Dec 2026, 20:44`.
    static func timestamp(_ iso: String) -> String {
        let parts = iso.split(separator: "T")
        guard parts.count == 2, let d = CalendarDate(String(parts[0])) else { return iso }
        return "\(d.day) \(months[d.month - 1]) \(d.year), \(parts[1].prefix(5))"
    }

    static func score(_ hundredths: Int?) -> String {
        guard let h = hundredths else { return "–" }
        let sign = h < 0 ? "-" : ""
        let a = abs(h)
        return "\(sign)\(a / 100).\(a % 100 < 10 ? "0" : "")\(a % 100)"
    }

    static func count(_ n: Int, _ one: String, _ many: String? = nil) -> String {
        "\(n) " + (n == 1 ? one : many ?? one + "s")
    }

    static func percent(_ share: Double?) -> String {
        guard let s = share, s.isFinite else { return "–" }
        return String(format: "%.0f%%", s * 100)
    }

    static func seconds(_ s: Double) -> String { s < 10 ? String(format: "%.1f s", s) : String(format: "%.0f s", s) }

    /// The words for a pair state.
    static func state(_ s: PairState) -> String {
        switch s {
        case .proposed: return "proposed"
        case .approved: return "approved"
        case .active: return "meeting"
        case .ended: return "ended"
        case .declined: return "declined"
        case .superseded: return "replaced"
        }
    }
}

/// Paths of the term's pages, with the term id percent-encoded.
struct TermPaths {
    let id: TermID
    var base: String { "/terms/\(Site.percentEncode(id.rawValue))" }
    func sub(_ path: String) -> String { base + "/" + path }
    /// The "why not these two?" page of a pair (its score, or the rules that rule it out).
    func whyNot(_ pair: PairRef) -> String {
        sub("why-not?mentor=\(Site.percentEncode(pair.mentor.rawValue))&mentee=\(Site.percentEncode(pair.mentee.rawValue))")
    }
}

extension Site {
    /// The `term` block the layout's navigation reads.
    func termNav(_ id: TermID, name: String) -> [String: Any] {
        ["id": id.rawValue, "name": name, "path": Site.percentEncode(id.rawValue)]
    }
}
