import Foundation
import Hummingbird
import PeerMatch
import PeerMatchStore

/// A term's overview: where the term is in its year (imported, matched, reviewed, ...) and what to do next.
enum TermPage {
    static func add(to router: Router<WebContext>, site: Site) {
        router.get("/terms/:term") { _, context in try overview(site, context) }
    }

    /// The term named by the route's `:term`, percent-decoded.
    static func termID(_ context: WebContext) throws -> TermID {
        let raw = try context.parameters.require("term")
        return TermID(raw.removingPercentEncoding ?? raw)
    }

    static func overview(_ site: Site, _ context: WebContext) throws -> Response {
        let id = try termID(context)
        let detail = try site.store.term(id)
        let t = detail.summary
        let paths = TermPaths(id: id)
        let count = { (s: PairState) in t.pairs[s] ?? 0 }
        let live = count(.proposed) + count(.approved) + count(.active)
        let imported = t.mentees > 0
        let matched = t.lastMatchedAt != nil
        let reviewed = matched && count(.proposed) == 0 && live > 0
        var steps: [[String: Any]] = [
            ["title": "Import the spreadsheets", "href": paths.sub("import"), "done": imported,
             "text": imported ? "\(Format.count(t.mentors, "mentor")) and \(Format.count(t.mentees, "mentee")) in the term." : "Upload the mentors' and mentees' spreadsheets (CSV or Excel)."],
            ["title": "Match", "href": paths.sub("matches"), "done": matched,
             "text": matched ? "Last matched \(Format.timestamp(t.lastMatchedAt!))." : "Press Match: every pair comes with its reasons."],
            ["title": "Review the pairs", "href": paths.sub("matches"), "done": reviewed,
             "text": "\(count(.proposed)) proposed, \(count(.approved)) approved, \(count(.active)) meeting, \(count(.declined)) declined."],
        ]
        if t.timetabled {
            steps.append(["title": "Timetable", "href": paths.sub("timetable"), "done": false,
                          "text": "\(Format.count(detail.setup.slots.count, "slot")) and \(Format.count(detail.setup.rooms.count, "room")); the week grid, calendars and slips."])
        }
        steps.append(["title": "During the term", "href": paths.sub("register"), "done": false,
                      "text": "The weekly register, the review list, and withdrawals."])
        steps.append(["title": "Report", "href": paths.sub("report"), "done": false,
                      "text": "Attendance, matched share and endings, with plots and exports."])
        if let next = steps.firstIndex(where: { !($0["done"] as? Bool ?? false) }) { steps[next]["next"] = true }

        let setup = detail.setup
        let data: [String: Any] = [
            "name": t.name, "id": t.id.rawValue, "dates": "\(Format.date(t.start)) to \(Format.date(t.end))",
            "weeks": setup.weeks.count, "skipWeeks": setup.skipWeeks.map(Format.date).joined(separator: ", "),
            "policy": detail.policySource, "steps": steps,
            "timetabled": t.timetabled, "format": setup.format.rawValue, "perWeek": setup.sessionsPerWeek,
            "slots": setup.slots.map { "\($0.day.name) \($0.start)–\($0.end)" + ($0.label.map { " \($0)" } ?? "") + " (in Availability: \($0.id))" },
            "rooms": setup.rooms.map { "\($0.name) (holds \($0.capacity))" + ($0.features.isEmpty ? "" : ": " + $0.features.joined(separator: ", ")) },
            "imports": detail.imports.map { ["at": Format.timestamp($0.at), "by": $0.by, "files": $0.files.joined(separator: ", "), "summary": $0.summary] },
            "hasImports": !detail.imports.isEmpty,
        ]
        return site.page("term", title: t.name, context: context, data: data, term: site.termNav(id, name: t.name))
    }
}
