/// The timetable as one self-contained, printable HTML page to pin up: a week grid of who meets
/// where, the pairs with the reasons that defend them, and the people left unmatched with why.
///
/// The page fetches nothing (inline CSS; no scripts, fonts or images), so it opens offline and
/// keeps the children's names on the machine. Every piece of text is HTML-escaped. The grid has
/// rooms as columns and slots as rows, grouped by day (one row group per weekday): rooms stay few
/// enough to fit across an A4 landscape sheet, where days × rooms as columns would not. Tables
/// carry captions, `scope`d header cells and repeat their header row on each printed page.
public enum HTMLReport {
    /// - Throws: ``InputError`` when the view is inconsistent (see ``TimetableView/validate()``).
    public static func render(_ view: TimetableView) throws -> String {
        try view.validate()
        let sessions = view.orderedSessions
        let rooms = view.rooms.sorted { $0.id < $1.id }
        let slots = view.slots.sorted { ($0.day, $0.start.minutes, $0.end.minutes, $0.id) < ($1.day, $1.start.minutes, $1.end.minutes, $1.id) }
        let slotByID = Dictionary(uniqueKeysWithValues: view.slots.map { ($0.id, $0) })
        let roomByID = Dictionary(uniqueKeysWithValues: view.rooms.map { ($0.id, $0) })
        let shared = sharedSkips(sessions)
        let bySlotRoom = Dictionary(grouping: sessions, by: { "\($0.slot)\u{1F}\($0.room)" })
        var byPair: [[PersonID]: [TimetableView.Session]] = [:]
        for s in sessions { for e in s.mentees { byPair[[s.mentor.id, e.id], default: []].append(s) } }

        var h = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(esc(view.title)) — timetable</title>
        <style>\(css)</style>
        </head>
        <body>
        <header>
        <h1>\(esc(view.title))</h1>
        <p class="summary">Term \(long(view.termStart)) to \(long(view.termEnd)) · times are \(esc(view.timeZone)) ·
        \(count(view.pairs.count, "pair")) · \(count(sessions.count, "weekly session")) · \(count(view.unmatched.count, "person", "people")) unmatched</p>
        </header>
        <main>
        <section class="grid-section" aria-labelledby="grid-title">
        <h2 id="grid-title">Week at a glance</h2>

        """
        if !shared.isEmpty {
            h += "<p class=\"nosessions\"><strong>No sessions:</strong> "
            h += shared.sorted { ($0.week, $0.reason) < ($1.week, $1.reason) }
                .map { "week of \(long($0.week)) (\(esc($0.reason)))" }.joined(separator: "; ") + ".</p>\n"
        }
        if slots.isEmpty || rooms.isEmpty {
            h += "<p>No slots or rooms in this timetable.</p>\n"
        } else {
            h += "<table class=\"grid\">\n<caption>Who meets where each week: rooms across, time slots down, by day. Each entry is mentor → mentee.</caption>\n"
            h += "<colgroup><col class=\"slotcol\">" + String(repeating: "<col>", count: rooms.count) + "</colgroup>\n"
            h += "<thead><tr><th scope=\"col\">Slot</th>"
            for r in rooms {
                let features = r.features.isEmpty ? "" : " · " + r.features.sorted().map(esc).joined(separator: ", ")
                h += "<th scope=\"col\">\(esc(r.name))<span class=\"meta\">holds \(r.capacity)\(features)</span></th>"
            }
            h += "</tr></thead>\n"
            for day in TimetableView.Weekday.allCases {
                let daySlots = slots.filter { $0.day == day }
                guard !daySlots.isEmpty else { continue }
                h += "<tbody>\n<tr class=\"day\"><th scope=\"rowgroup\" colspan=\"\(rooms.count + 1)\">\(day.name)</th></tr>\n"
                for sl in daySlots {
                    let label = sl.label.isEmpty ? "" : "<span class=\"meta\">\(esc(sl.label))</span>"
                    h += "<tr><th scope=\"row\">\(sl.start)–\(sl.end)\(label)</th>"
                    for r in rooms {
                        let here = bySlotRoom["\(sl.id)\u{1F}\(r.id)"] ?? []
                        if here.isEmpty { h += "<td class=\"free\">free</td>"; continue }
                        h += "<td><ul class=\"meet\">"
                        for s in here {
                            let own = s.skipped.filter { !shared.contains(SharedSkip(week: week($0.date), reason: $0.reason)) }
                            let note = own.isEmpty ? "" : "<span class=\"skip\">not " + own.sorted { $0.date < $1.date }.map { short($0.date) }.joined(separator: ", ") + "</span>"
                            h += "<li><span class=\"mentor\">\(esc(s.mentor.name))</span> <span aria-hidden=\"true\">→</span><span class=\"sr\">meets</span> \(s.mentees.sorted { $0.id < $1.id }.map { esc($0.name) }.joined(separator: ", "))\(note)</li>"
                        }
                        h += "</ul></td>"
                    }
                    h += "</tr>\n"
                }
                h += "</tbody>\n"
            }
            h += "</table>\n"
        }
        h += "</section>\n"

        // Pairs, with when and where they meet.
        let pairs = view.pairs.sorted { ($0.mentor.name, $0.mentor.id.rawValue, $0.mentee.name, $0.mentee.id.rawValue) < ($1.mentor.name, $1.mentor.id.rawValue, $1.mentee.name, $1.mentee.id.rawValue) }
        let pairRows = pairs.map { p -> String in
            let meets = byPair[[p.mentor.id, p.mentee.id]] ?? []
            let whereText = meets.isEmpty ? "<em>no session</em>" : meets.map { s in
                let sl = slotByID[s.slot]!, rm = roomByID[s.room]!
                return "\(sl.day.name) \(sl.start)–\(sl.end), \(esc(rm.name))"
            }.joined(separator: "<br>")
            let sessionText = meets.map { s -> String in
                var t = "\(s.dates.count)"
                if let first = s.dates.min(), let last = s.dates.max() { t += " (\(short(first)) – \(short(last)))" }
                let skips = s.skipped.filter { !shared.contains(SharedSkip(week: week($0.date), reason: $0.reason)) }.sorted { $0.date < $1.date }
                if !skips.isEmpty { t += "<span class=\"skip\">not " + skips.map { "\(short($0.date)): \(esc($0.reason))" }.joined(separator: "; ") + "</span>" }
                return t
            }.joined(separator: "<br>")
            return "<tr><td>\(person(p.mentor))</td><td>\(person(p.mentee))</td><td>\(whereText)</td><td>\(sessionText)</td>"
                + "<td class=\"num\">\(formatNumber(p.score))</td><td>\(list(p.reasons))</td></tr>\n"
        }
        h += listSection("pairs", title: "Pairs", empty: "No pairs.",
                         caption: "Every pair, when and where it meets, and why it was chosen." + (shared.isEmpty ? "" : " Weeks with no sessions at all are listed above the grid."),
                         columns: [("Mentor", "who"), ("Mentee", "who"), ("When and where", "when"), ("Sessions", "dates"), ("Score", "score"), ("Reasons", nil)],
                         rows: pairRows)

        // Unmatched.
        let unmatched = view.unmatched.sorted { ($0.role.rawValue, $0.person.name, $0.person.id.rawValue) < ($1.role.rawValue, $1.person.name, $1.person.id.rawValue) }
        h += listSection("unmatched", title: "Unmatched", empty: "Everyone has a partner.",
                         caption: "People without a partner or a session, and why.",
                         columns: [("Person", nil), ("Role", nil), ("Why", nil)],
                         rows: unmatched.map { "<tr><td>\(person($0.person))</td><td>\($0.role.rawValue)</td><td>\(list($0.reasons))</td></tr>\n" })
        h += "</main>\n</body>\n</html>\n"
        return h
    }

    /// A titled section holding one list table (or `empty` when there are no rows). Columns
    /// with a class get a `<col>` of that class (widths in the CSS); `score` is right-aligned.
    static func listSection(_ id: String, title: String, empty: String, caption: String,
                            columns: [(header: String, cls: String?)], rows: [String]) -> String {
        var h = "<section class=\"\(id)\" aria-labelledby=\"\(id)-title\">\n<h2 id=\"\(id)-title\">\(title) (\(rows.count))</h2>\n"
        guard !rows.isEmpty else { return h + "<p>\(empty)</p>\n</section>\n" }
        h += "<table class=\"list \(id)-table\">\n<caption>\(caption)</caption>\n"
        if columns.contains(where: { $0.cls != nil }) {
            h += "<colgroup>" + columns.map { $0.cls.map { "<col class=\"\($0)\">" } ?? "<col>" }.joined() + "</colgroup>\n"
        }
        h += "<thead><tr>" + columns.map { "<th scope=\"col\"\($0.cls == "score" ? " class=\"num\"" : "")>\($0.header)</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        return h + rows.joined() + "</tbody>\n</table>\n</section>\n"
    }

    /// Escapes text for HTML element content and quoted attribute values; drops control characters
    /// that HTML does not allow.
    public static func esc(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(c)
            case "\r": continue
            default:
                if c.value < 0x20 || (0x7F...0x9F).contains(c.value) { continue }
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    // MARK: - Pieces

    /// A week that every session skips for the same reason (half term, exams), named by its
    /// Monday: listed once above the grid instead of in every cell.
    struct SharedSkip: Hashable { var week: TimetableView.CalendarDate; var reason: String }

    static func week(_ d: TimetableView.CalendarDate) -> TimetableView.CalendarDate { d.adding(days: -d.weekday.index) }

    static func sharedSkips(_ sessions: [TimetableView.Session]) -> Set<SharedSkip> {
        guard sessions.count > 1 else { return [] }
        let sets = sessions.map { Set($0.skipped.map { SharedSkip(week: week($0.date), reason: $0.reason) }) }
        return sets.dropFirst().reduce(sets[0]) { $0.intersection($1) }
    }

    static func person(_ p: TimetableView.Person) -> String {
        p.name == p.id.rawValue ? esc(p.name) : "\(esc(p.name)) <span class=\"id\">\(esc(p.id.rawValue))</span>"
    }

    static func list(_ items: [String]) -> String {
        items.isEmpty ? "" : "<ul>" + items.map { "<li>\(esc($0))</li>" }.joined() + "</ul>"
    }

    static func count(_ n: Int, _ one: String, _ many: String? = nil) -> String {
        "\(n) " + (n == 1 ? one : many ?? one + "s")
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    /// `6 Jan`.
    static func short(_ d: TimetableView.CalendarDate) -> String { "\(d.day) \(months[d.month - 1])" }
    /// `Wed 6 Jan 2027`.
    static func long(_ d: TimetableView.CalendarDate) -> String {
        "\(d.weekday.name.prefix(3)) \(d.day) \(months[d.month - 1]) \(d.year)"
    }

    static let css = """

    :root { color-scheme: light; }
    * { box-sizing: border-box; }
    body { font: 11pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
           color: #111; background: #fff; margin: 1.5rem; }
    h1 { font-size: 1.6em; margin: 0 0 .2em; }
    h2 { font-size: 1.25em; margin: 1.2em 0 .4em; break-after: avoid; }
    .summary { margin: 0 0 .8em; color: #333; }
    table { border-collapse: collapse; width: 100%; }
    caption { text-align: left; font-size: .9em; color: #333; padding: 0 0 .3em; }
    th, td { border: 1px solid #777; padding: .3em .45em; vertical-align: top; text-align: left; }
    thead th { background: #e3e8ef; }
    .grid { table-layout: fixed; }
    .grid col.slotcol { width: 8.5em; }
    .grid tr.day th { background: #2f4b6e; color: #fff; font-size: 1.05em; }
    .grid tbody th[scope=row] { background: #f3f5f8; white-space: nowrap; }
    .meta { display: block; font-weight: normal; font-size: .82em; color: #444; }
    .grid tr.day th .meta { color: #fff; }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
    td.free { color: #595959; font-style: italic; background: repeating-linear-gradient(135deg, #fff 0 6px, #f4f4f4 6px 12px); }
    ul { margin: 0; padding-left: 1.1em; }
    ul.meet { list-style: none; padding: 0; }
    ul.meet li + li { border-top: 1px dotted #999; margin-top: .15em; padding-top: .15em; }
    .mentor { font-weight: 600; }
    .skip { display: block; font-size: .82em; color: #8a3000; }
    .id { font-size: .8em; color: #555; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
    .num { text-align: right; white-space: nowrap; }
    .nosessions { margin: 0 0 .5em; }
    .list tbody tr:nth-child(even) td { background: #f7f8fa; }
    .pairs-table { table-layout: fixed; }
    .pairs-table col.who { width: 14%; }
    .pairs-table col.when { width: 17%; }
    .pairs-table col.dates { width: 17%; }
    .pairs-table col.score { width: 5.5%; }
    @page { size: A4 landscape; margin: 10mm; }
    @media print {
      body { margin: 0; font-size: 9pt; }
      * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      section.pairs, section.unmatched { break-before: page; }
      thead { display: table-header-group; }
      tr, li, .grid tbody { break-inside: avoid; }
      caption { caption-side: top; }
    }

    """
}
