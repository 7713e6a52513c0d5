import Foundation
import PeerMatch

/// The review list as text, CSV or JSON.
public enum ReviewWriter {
    public static func render(_ items: [ReviewItem], term: TermID, format: SchemeOutputFormat) -> String {
        switch format {
        case .table:
            guard !items.isEmpty else { return "term \(term): nothing needs attention\n" }
            var out = "term \(term): \(items.count) item\(items.count == 1 ? "" : "s") need\(items.count == 1 ? "s" : "") attention\n"
            var last: ReviewItem.Kind? = nil
            for i in items {
                if i.kind != last { out += "\n\(i.kind.rawValue.replacingOccurrences(of: "-", with: " ")):\n"; last = i.kind }
                out += "  \(i.pair.map { "\($0) " } ?? "\(i.person) ")\(i.name): \(i.message)\n"
            }
            return out
        case .csv:
            return StoreCSV.text(header: ["kind", "mentor", "mentee", "person", "name", "value", "message"], rows: items.map {
                [$0.kind.rawValue, $0.pair?.mentor.rawValue ?? "", $0.pair?.mentee.rawValue ?? "", $0.person.rawValue, $0.name,
                 formatNumber($0.value), $0.message]
            })
        case .json:
            return JSONValue.array(items.map { i in
                .object([("kind", .string(i.kind.rawValue)), ("mentor", i.pair.map { .string($0.mentor.rawValue) } ?? .null),
                         ("mentee", i.pair.map { .string($0.mentee.rawValue) } ?? .null), ("person", .string(i.person.rawValue)),
                         ("name", .string(i.name)), ("value", .number(i.value)), ("message", .string(i.message))])
            }).rendered()
        }
    }
}

/// A week's register: a table to read, or a CSV to fill in and import again with
/// `peermatch scheme record --register FILE` (date, mentor, mentee, outcome, minutes, note).
public enum RegisterWriter {
    public static func render(_ rows: [RegisterRow], term: TermID, week: CalendarDate, setup: TermSetupInput?, format: SchemeOutputFormat) -> String {
        switch format {
        case .csv:
            return StoreCSV.text(header: ["date", "mentor", "mentorName", "mentee", "menteeName", "slot", "room", "outcome", "minutes", "note"], rows: rows.map { r in
                [r.date?.description ?? "", r.pair.mentor.rawValue, r.mentorName, r.pair.mentee.rawValue, r.menteeName,
                 r.session?.slot ?? "", r.session?.room ?? "", r.record?.outcome.rawValue ?? "", r.record?.minutes.map(String.init) ?? "",
                 r.record?.note ?? ""]
            })
        case .json:
            return JSONValue.array(rows.map { r in
                .object([("date", r.date.map { .string($0.description) } ?? .null), ("mentor", .string(r.pair.mentor.rawValue)),
                         ("mentee", .string(r.pair.mentee.rawValue)), ("planned", .bool(r.planned)),
                         ("session", r.session.map { .object([("slot", .string($0.slot)), ("room", .string($0.room))]) } ?? .null),
                         ("outcome", r.record.map { .string($0.outcome.rawValue) } ?? .null),
                         ("minutes", r.record?.minutes.map { .number(Double($0)) } ?? .null),
                         ("note", r.record?.note.map { .string($0) } ?? .null)])
            }).rendered()
        case .table:
            var out = "term \(term): register for the week of \(week.weekStart)\n"
            if rows.isEmpty { return out + "  no sessions planned or recorded\n" }
            for r in rows {
                let when = r.date.map { "\($0.weekday.name.prefix(3)) \($0)" } ?? "this week"
                let whereText = r.session.map { " " + SchemeText.session($0, setup: setup) } ?? ""
                let what = r.record.map { $0.outcome.label + ($0.minutes.map { ", \($0) min" } ?? "") + ($0.note.map { " (\($0))" } ?? "") } ?? "not recorded"
                out += "  \(when)\(whereText): \(r.pair) \(r.mentorName) + \(r.menteeName): \(what)\(r.planned || r.date == nil ? "" : " [not planned]")\n"
            }
            return out
        }
    }
}
