import Foundation
import Hummingbird
import PeerMatch
import PeerMatchStore

/// The scheme's home page (its terms, and a form for a new one) and its audit trail.
enum SchemePages {
    static func add(to router: Router<WebContext>, site: Site) {
        router.get("/") { _, context in try home(site, context) }
        router.post("/terms") { _, context in try addTerm(site, context) }
        router.get("/audit") { request, context in try audit(site, request, context) }
    }

    static func home(_ site: Site, _ context: WebContext, form: FormData? = nil, problems: [String] = []) throws -> Response {
        let scheme = try site.store.scheme()
        let terms = scheme.terms.sorted { $0.start > $1.start }.map { t -> [String: Any] in
            let pairs = PairState.allCases.filter { $0 != .superseded }.compactMap { s -> String? in
                guard let n = t.pairs[s], n > 0 else { return nil }
                return "\(n) \(Format.state(s))"
            }
            return ["id": t.id.rawValue, "path": TermPaths(id: t.id).base, "name": t.name,
                    "dates": Format.range(t.start, t.end), "mentors": t.mentors, "mentees": t.mentees,
                    "pairs": pairs.isEmpty ? "no pairs yet" : pairs.joined(separator: " · "),
                    "timetabled": t.timetabled,
                    "matchedAt": t.lastMatchedAt.map(Format.timestamp) ?? ""]
        }
        var data: [String: Any] = [
            "terms": terms, "hasTerms": !terms.isEmpty,
            "people": scheme.people, "auditWords": Format.count(scheme.auditEntries, "entry", "entries"),
            "presets": PolicyPreset.all.map { ["name": $0.name, "summary": $0.summary, "selected": false] },
            "formats": SessionFormat.allCases.map { ["value": $0.rawValue, "label": formatLabel($0)] },
        ]
        data["problems"] = problems
        data["hasProblems"] = !problems.isEmpty
        if let form {
            for k in ["id", "name", "start", "end", "skipWeeks", "slots", "rooms", "sessionsPerWeek"] { data["v_\(k)"] = form.value(k) ?? "" }
            data["timetableOpen"] = form.value("slots") != nil || form.value("rooms") != nil
            data["presets"] = PolicyPreset.all.map { ["name": $0.name, "summary": $0.summary, "selected": $0.name == form.value("policy")] }
            data["formats"] = SessionFormat.allCases.map { ["value": $0.rawValue, "label": formatLabel($0), "selected": $0.rawValue == form.value("format")] }
        } else {
            data["v_sessionsPerWeek"] = "1"
        }
        return site.page("home", title: scheme.name, context: context, data: data,
                         status: problems.isEmpty ? .ok : .badRequest)
    }

    static func formatLabel(_ f: SessionFormat) -> String {
        switch f {
        case .oneToOne: return "One to one: each pair alone in a room"
        case .pairsInRoom: return "Pairs in a room: several pairs share a room"
        case .group: return "Group: a mentor meets all their mentees together"
        }
    }

    /// Adds a term from the form: dates, and optionally the timetable typed as lines (or a setup file).
    static func addTerm(_ site: Site, _ context: WebContext) throws -> Response {
        let form = context.postedForm
        let session = try context.signedIn
        var problems: [String] = []
        guard let idText = form.value("id") else {
            return try home(site, context, form: form, problems: ["Give the term a short id, such as 2026-autumn."])
        }
        let start = form.value("start").flatMap { CalendarDate($0) }
        let end = form.value("end").flatMap { CalendarDate($0) }
        if form.value("start") != nil, start == nil { problems.append("Start date: use the date picker, or write it as 2026-09-07.") }
        if form.value("end") != nil, end == nil { problems.append("End date: use the date picker, or write it as 2026-12-18.") }
        var setup: TermSetupInput?
        if let file = form.file("setup") {
            do { setup = try TermSetupInput.parse(file.data, file: file.filename, start: start, end: end) } catch let e as StoreError {
                problems.append(e.description)
            }
        } else {
            guard let start, let end else {
                problems.append("Give the term's first and last day (or upload a setup file).")
                return try home(site, context, form: form, problems: problems)
            }
            let typed = TermForm.parse(start: start, end: end, skipWeeks: form.value("skipWeeks") ?? "",
                                       sessionsPerWeek: form.value("sessionsPerWeek") ?? "1",
                                       slots: form.value("slots") ?? "", rooms: form.value("rooms") ?? "",
                                       format: form.value("format") ?? SessionFormat.oneToOne.rawValue)
            problems += typed.problems
            setup = typed.setup
        }
        guard problems.isEmpty, let setup else { return try home(site, context, form: form, problems: problems) }
        let policy = form.value("policy").flatMap { $0 == "default" ? nil : PolicyInput.preset($0) }
        let id = TermID(idText)
        do {
            try site.store.addTerm(id: id, name: form.value("name"), setup: setup, policy: policy, by: Actor(session.actorName))
        } catch let e as StoreError {
            return try home(site, context, form: form, problems: [e.description])
        }
        return site.redirect(TermPaths(id: id).sub("import"), flash: "Term \(form.value("name") ?? idText) added. Next: upload its spreadsheets.", context: context)
    }

    static func audit(_ site: Site, _ request: Request, _ context: WebContext) throws -> Response {
        let pageSize = 100
        let page = max(0, request.uri.queryParameters["page"].flatMap { Int($0) } ?? 0)
        let entries = try site.store.audit(limit: pageSize + 1, offset: page * pageSize)
        let rows = entries.prefix(pageSize).map { e -> [String: Any] in
            ["at": Format.timestamp(e.at), "actor": e.actor, "action": e.action, "term": e.term?.rawValue ?? "",
             "subject": e.subject, "detail": e.detail, "why": e.why ?? ""]
        }
        var data: [String: Any] = ["entries": Array(rows), "hasEntries": !rows.isEmpty]
        if page > 0 { data["prev"] = "/audit?page=\(page - 1)" }
        if entries.count > pageSize { data["next"] = "/audit?page=\(page + 1)" }
        return site.page("audit", title: "Who changed what", context: context, data: data)
    }
}

/// Reads the new-term form's typed timetable: one slot a line (`Wed 12:30-13:00 Lunch`), one
/// room a line (`Library, 4, quiet accessible`), skipped weeks as dates. Each problem names its
/// box and line, since the co-ordinator typed them there.
enum TermForm {
    static func parse(start: CalendarDate, end: CalendarDate, skipWeeks: String, sessionsPerWeek: String,
                      slots: String, rooms: String, format: String) -> (setup: TermSetupInput?, problems: [String]) {
        var problems: [String] = []
        var skips: [CalendarDate] = []
        for word in skipWeeks.split(whereSeparator: { " ,;\n\r\t".contains($0) }) {
            if let d = CalendarDate(String(word)) { skips.append(d) } else {
                problems.append("Weeks without sessions: \"\(word)\" is not a date like 2026-10-26.")
            }
        }
        let perWeek = Int(sessionsPerWeek.trimmingCharacters(in: .whitespaces))
        if perWeek == nil || perWeek! < 1 || perWeek! > 7 { problems.append("Sessions a week: a whole number from 1 to 7.") }
        var slotList: [Slot] = []
        // Browsers send a textarea's lines with CRLF, which Swift reads as one Character: split on any newline.
        for (n, raw) in slots.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty else { continue }
            let words = line.split(separator: " ", maxSplits: 2).map(String.init)
            let times = words.count > 1 ? words[1].split(separator: "-").map(String.init) : []
            guard words.count >= 2, let day = weekday(words[0]), times.count == 2,
                  let a = ClockTime(times[0]), let b = ClockTime(times[1]), a < b else {
                problems.append("Slots, line \(n + 1): \"\(line)\" should read like \"Wed 12:30-13:00 Lunch\" (day, start-end, a name).")
                continue
            }
            let label = words.count > 2 ? words[2] : nil
            // The id people write in the Availability column: day and the name's first word
            // ("tue-lunch", "fri-tutor"), else day and time ("wed-1230"); a clash gets the time too.
            let hhmm = times[0].replacingOccurrences(of: ":", with: "")
            let word = label?.split(separator: " ").first.map { $0.lowercased().filter { $0.isLetter || $0.isNumber } } ?? ""
            var id = "\(day.rawValue)-\(word.isEmpty ? hhmm : word)"
            if slotList.contains(where: { $0.id == id }) { id += "-\(hhmm)" }
            slotList.append(Slot(id: id, day: day, start: a, end: b, label: label))
        }
        var roomList: [Room] = []
        for (n, raw) in rooms.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty else { continue }
            let parts = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !parts[0].isEmpty, parts.count <= 3, parts.count < 2 || Int(parts[1]).map({ $0 >= 1 }) == true else {
                problems.append("Rooms, line \(n + 1): \"\(line)\" should read like \"Library, 4, quiet\" (name, how many pairs it holds, features).")
                continue
            }
            let id = parts[0].lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }.reduce("") { $0 + String($1) }
            roomList.append(Room(id: id, name: parts[0], capacity: parts.count > 1 ? Int(parts[1])! : 1,
                                 features: parts.count > 2 ? parts[2].split(separator: " ").map { $0.lowercased() } : []))
        }
        if !slotList.isEmpty && roomList.isEmpty { problems.append("Rooms: a timetable needs at least one room.") }
        if slotList.isEmpty && !roomList.isEmpty { problems.append("Slots: a timetable needs at least one slot.") }
        let fmt = SessionFormat(rawValue: format) ?? .oneToOne
        guard problems.isEmpty, let perWeek else { return (nil, problems) }
        return (TermSetupInput(start: start, end: end, skipWeeks: skips, sessionsPerWeek: perWeek, slots: slotList, rooms: roomList, format: fmt), [])
    }

    static func weekday(_ word: String) -> Weekday? {
        let w = word.lowercased()
        return Weekday.allCases.first { w.hasPrefix($0.rawValue) && $0.name.lowercased().hasPrefix(w) }
    }
}
