import Foundation
import Hummingbird
import PeerMatch
import PeerMatchStore

/// Journey 4: the week grid (rooms across, slots down), moving a session with a form that offers
/// only the slots and rooms that fit, the downloads (timetable CSV, calendars as a zip, the
/// printable page), and slips for each pupil and mentor.
enum TimetablePages {
    static func add(to router: Router<WebContext>, site: Site) {
        router.getCached("/terms/:term/timetable", site: site) { request, context in try grid(site, request, context) }
        router.getCached("/terms/:term/timetable/move", site: site) { request, context in try moveForm(site, request, context) }
        router.post("/terms/:term/timetable/move") { _, context in try move(site, context) }
        router.getCached("/terms/:term/timetable.csv", site: site) { request, context in try csv(site, request, context) }
        router.getCached("/terms/:term/calendars.zip", site: site) { request, context in try calendars(site, request, context) }
        router.getCached("/terms/:term/timetable.html", site: site) { request, context in try printable(site, request, context) }
        router.getCached("/terms/:term/slips", site: site) { request, context in try slips(site, request, context) }
    }

    /// Which pairs' sessions a timetable shows: every live pair (proposals too, the default, so
    /// the grid can be checked before approving), or only approved and meeting ones.
    static func states(_ request: Request) -> (states: [PairState], approvedOnly: Bool) {
        request.uri.queryParameters["pairs"] == "approved" ? ([.approved, .active], true) : (PairState.live, false)
    }

    static func grid(_ site: Site, _ request: Request, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let (states, approvedOnly) = states(request)
        var (data, days, name) = try gridPage(site, term: id, states: states, approvedOnly: approvedOnly)
        data["daysHTML"] = WeekGridView.write(days)
        return site.page("timetable", title: "Timetable · \(name)", context: context, data: data, nav: "timetable",
                         term: site.termNav(id, name: name))
    }

    /// The timetable page's data without its days, the days, and the term's name (no days for a
    /// term without a timetable).
    static func gridPage(_ site: Site, term id: TermID, states: [PairState], approvedOnly: Bool) throws
        -> (data: [String: Any], days: [WeekGridView.Day], termName: String) {
        let paths = TermPaths(id: id)
        let detail = try site.store.term(id)
        let name = detail.summary.name
        guard detail.setup.isTimetabled else { return (["untimetabled": true], [], name) }
        let view = try site.store.timetable(term: id, states: states)
        let rooms = view.rooms.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
        let slots = view.slots.sorted { ($0.day, $0.start, $0.id) < ($1.day, $1.start, $1.id) }
        let bySlotRoom = Dictionary(grouping: view.sessions, by: { "\($0.slot)\u{1F}\($0.room)" })
        let shared = sharedSkips(view.sessions)
        // Locked pairs keep their place: no Move for them (the store would refuse it).
        let locked = Set(try site.store.proposals(term: id).pairs.filter(\.locked).map { "\($0.ref.mentor)\u{1F}\($0.ref.mentee)" })
        var days: [WeekGridView.Day] = []
        for day in Weekday.allCases {
            let daySlots = slots.filter { $0.day == day }
            guard !daySlots.isEmpty else { continue }
            let rows = daySlots.map { sl -> WeekGridView.Row in
                let cells = rooms.map { r -> [WeekGridView.Meeting] in
                    let here = (bySlotRoom["\(sl.id)\u{1F}\(r.id)"] ?? []).sorted { $0.mentor.id < $1.mentor.id }
                    return here.map { s -> WeekGridView.Meeting in
                        let mentees = s.mentees.sorted { $0.id < $1.id }
                        let own = s.skipped.filter { !shared.contains($0.date.weekStart) }.sorted { $0.date < $1.date }
                        let first = mentees.first?.id.rawValue ?? ""
                        let isLocked = mentees.contains { locked.contains("\(s.mentor.id)\u{1F}\($0.id)") }
                        return WeekGridView.Meeting(
                            mentor: s.mentor.name, mentees: mentees.map(\.name).joined(separator: ", "),
                            skipped: own.map { "\(Format.short($0.date)) (\($0.reason))" }.joined(separator: ", "), locked: isLocked,
                            moveURL: paths.sub("timetable/move?mentor=\(Site.percentEncode(s.mentor.id.rawValue))&mentee=\(Site.percentEncode(first))&slot=\(Site.percentEncode(s.slot))&room=\(Site.percentEncode(s.room))"),
                            moveLabel: "Move \(s.mentor.name) and \(mentees.map(\.name).joined(separator: ", "))")
                    }
                }
                return WeekGridView.Row(time: "\(sl.start)–\(sl.end)", label: sl.label, cells: cells)
            }
            days.append(WeekGridView.Day(day: day.name, span: rooms.count + 1, rows: rows))
        }
        let q = approvedOnly ? "?pairs=approved" : ""
        let data: [String: Any] = [
            "rooms": rooms.map { ["name": $0.name, "meta": "holds \($0.capacity)" + ($0.features.isEmpty ? "" : " · " + $0.features.joined(separator: ", "))] },
            "sessions": view.sessions.count, "pairs": view.pairs.count,
            "noSessions": shared.sorted().map { "week of \(Format.date($0))" }.joined(separator: "; "),
            "approvedOnly": approvedOnly, "allURL": paths.sub("timetable"), "approvedURL": paths.sub("timetable?pairs=approved"),
            "csvURL": paths.sub("timetable.csv") + q, "zipURL": paths.sub("calendars.zip") + q, "htmlURL": paths.sub("timetable.html") + q,
            "slipsURL": paths.sub("slips"), "termDates": "\(Format.date(view.termStart)) to \(Format.date(view.termEnd))",
            "empty": view.sessions.isEmpty, "matchesURL": paths.sub("matches"),
        ]
        return (data, days, name)
    }

    /// Weeks every session skips (half term): said once above the grid, not in every cell.
    static func sharedSkips(_ sessions: [TimetableView.Session]) -> Set<CalendarDate> {
        guard let first = sessions.first else { return [] }
        return sessions.dropFirst().reduce(Set(first.skipped.map { $0.date.weekStart })) { $0.intersection($1.skipped.map { $0.date.weekStart }) }
    }

    // MARK: - Moving a session

    static func pairAndSession(_ q: [String: String], term: TermID) throws -> (PairRef, Session) {
        guard let m = q["mentor"], !m.isEmpty, let e = q["mentee"], !e.isEmpty, let slot = q["slot"], let room = q["room"] else {
            throw PageError.badForm("Choose the session to move from the timetable.")
        }
        return (PairRef(term: term, mentor: PersonID(m), mentee: PersonID(e)), Session(slot: slot, room: room))
    }

    static func moveForm(_ site: Site, _ request: Request, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let detail = try site.store.term(id)
        let (pair, from) = try pairAndSession(PairsPage.queryDictionary(request), term: id)
        guard let pairInfo = try? site.store.pair(pair), PairState.live.contains(pairInfo.state) else {
            throw PageError.notFound("A live pair of \(pair.mentor) and \(pair.mentee)")
        }
        guard pairInfo.sessions.contains(from) else {
            throw PageError.badForm("\(pairInfo.mentorName) and \(pairInfo.menteeName) do not meet at \(SchemeText.session(from, setup: detail.setup)); pick their session from the timetable.")
        }
        let options = try site.store.moveOptions(pair, from: from)
        let opts = options.map { o -> [String: Any] in
            ["value": "\(Site.percentEncode(o.session.slot))/\(Site.percentEncode(o.session.room))", "label": o.label, "current": o.current,
             "id": "to-\(o.session.slot)-\(o.session.room)"]
        }
        let current = options.first { $0.current }?.label ?? "\(from.slot) in \(from.room)"
        let data: [String: Any] = [
            "mentor": pairInfo.mentorName, "mentee": pairInfo.menteeName,
            "current": current, "options": opts, "hasOthers": options.contains { !$0.current },
            "mentorID": pair.mentor.rawValue, "menteeID": pair.mentee.rawValue, "slot": from.slot, "room": from.room,
            "moveURL": TermPaths(id: id).sub("timetable/move"), "backURL": TermPaths(id: id).sub("timetable"),
            "group": detail.setup.format == .group,
        ]
        return site.page("move", title: "Move a session", context: context, data: data, nav: "timetable",
                         term: site.termNav(id, name: detail.summary.name))
    }

    static func move(_ site: Site, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let actor = Actor(try context.signedIn.actorName)
        let form = context.postedForm
        var q: [String: String] = [:]
        for k in ["mentor", "mentee", "slot", "room"] { q[k] = form.value(k) }
        let (pair, from) = try pairAndSession(q, term: id)
        guard let to = form.value("to"), let slash = to.firstIndex(of: "/"),
              let slot = to[..<slash].removingPercentEncoding, let room = to[to.index(after: slash)...].removingPercentEncoding else {
            throw PageError.badForm("Choose where the session should move to.")
        }
        let target = Session(slot: slot, room: room)
        if target == from { return site.redirect(TermPaths(id: id).sub("timetable"), flash: "The session stays where it is.", context: context) }
        try site.store.moveSession(pair, from: from, to: target, by: actor)
        let label = try site.store.moveOptions(pair, from: target).first { $0.current }?.label ?? "\(slot) in \(room)"
        return site.redirect(TermPaths(id: id).sub("timetable"), flash: "Moved to \(label) from the next session on.", context: context)
    }

    // MARK: - Downloads

    static func download(_ data: Data, type: String, filename: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(filename)\""],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Text files in one zip, in name order (``ZipWriter``).
    static func zip(_ files: [(name: String, text: String)], modified: Date) throws -> Data {
        var writer = ZipWriter(modified: modified)
        do {
            for f in files.sorted(by: { $0.name < $1.name }) { try writer.add(name: f.name, contents: Data(f.text.utf8)) }
            return try writer.data()
        } catch is ZipWriter.TooLarge {
            throw PageError(.internalServerError, "Too large for one zip",
                            "This download would hold over 65,535 files or 4 GB, more than a plain zip holds.")
        }
    }

    /// A file name from the term id: letters, digits, `-`, `_` and `.` kept.
    static func fileStem(_ id: TermID) -> String {
        String(id.rawValue.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "-" })
    }

    static func csv(_ site: Site, _ request: Request, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let view = try site.store.timetable(term: id, states: states(request).states)
        return download(Data(try TimetableCSV.render(view).utf8), type: "text/csv; charset=utf-8", filename: "\(fileStem(id))-timetable.csv")
    }

    /// Every calendar file (one per room and one per person) in one zip, so a co-ordinator can
    /// send each person theirs. Entries are dated at the term's start so the same timetable gives
    /// the same bytes.
    static func calendars(_ site: Site, _ request: Request, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let view = try site.store.timetable(term: id, states: states(request).states)
        let files = try ICalendarWriter.files(for: view)
        let stamp = Date(timeIntervalSince1970: TimeInterval(view.termStart.dayNumber * 86_400))
        return download(try zip(files.map { ($0.name, $0.text) }, modified: stamp), type: "application/zip",
                        filename: "\(fileStem(id))-calendars.zip")
    }

    /// The core's self-contained printable page (its own styles inline, no scripts), as a file to
    /// save and open or print: served as a download, because this site's Content-Security-Policy
    /// rightly refuses inline styles on its own pages.
    static func printable(_ site: Site, _ request: Request, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        var view = try site.store.timetable(term: id, states: states(request).states)
        view.title = try site.store.term(id).summary.name
        return download(Data(try HTMLReport.render(view).utf8), type: "text/html; charset=utf-8", filename: "\(fileStem(id))-timetable.html")
    }

    // MARK: - Slips

    static func slips(_ site: Site, _ request: Request, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let t = try site.store.term(id).summary
        let includeProposed = request.uri.queryParameters["pairs"] == "all"
        let slips = try site.store.slips(term: id, includeProposed: includeProposed)
            .sorted { ($0.role == .mentee ? 0 : 1, $0.name, $0.person.rawValue) < ($1.role == .mentee ? 0 : 1, $1.name, $1.person.rawValue) }
        let cards = slips.map { s in
            SlipView(name: s.name, role: s.role == .mentor ? "Mentor" : "Mentee", meetings: s.meetings.map { m in
                SlipView.Meeting(with: m.with.joined(separator: ", "), when: "\(m.day.name)s \(m.start)–\(m.end)" + (m.slotLabel.map { " (\($0))" } ?? ""),
                                 room: m.room,
                                 dates: m.dates.isEmpty ? "" : "\(Format.count(m.dates.count, "session")): \(Format.short(m.dates.first!)) to \(Format.short(m.dates.last!))",
                                 first: m.dates.first.map(Format.date) ?? "")
            })
        }
        let data: [String: Any] = ["slipsHTML": SlipView.write(cards, termName: t.name), "hasSlips": !cards.isEmpty, "includeProposed": includeProposed,
                                   "count": cards.count, "termName": t.name,
                                   "allURL": TermPaths(id: id).sub("slips?pairs=all"), "approvedURL": TermPaths(id: id).sub("slips")]
        return site.page("slips", title: "Slips · \(t.name)", context: context, data: data, nav: "timetable", term: site.termNav(id, name: t.name))
    }
}
