import Foundation

/// The timetable as RFC 5545 iCalendar files: one per room (`room-<id>.ics`) and one per person
/// (`person-<id>.ics`), for import into school and family calendar programs.
///
/// Each session is one `VEVENT` holding the whole weekly series: `DTSTART`/`DTEND` of its first
/// date, `RRULE:FREQ=WEEKLY;UNTIL=…` to its last, an `EXDATE` for every week of the series it does
/// not meet (skipped weeks, someone unavailable); so the occurrences a calendar program expands
/// are exactly the session's `dates`.
///
/// Output is byte-identical for the same view: UIDs are hashes of the cohort title, slot, room and
/// people (never random or time-based), `DTSTAMP` is the term's first day at 00:00 UTC (never the
/// wall clock), events and files are sorted. Lines end in CRLF and are folded at 75 octets without
/// splitting a UTF-8 character; TEXT values escape `\`, `;`, `,` and newlines.
///
/// Times: `DTSTART;TZID=<zone>` with a `VTIMEZONE` built from the system time-zone database, not
/// floating or UTC times. RFC 5545 §3.3.5 reads a floating time in whatever zone the viewer's device
/// is in (and some importers take it as UTC), so a calendar on a phone abroad or a misconfigured
/// import would move the session; a UTC time with a weekly RRULE would shift every session by an
/// hour after a daylight-saving change inside the term (late March, late October in the UK). A
/// TZID keeps "12:30 at school" at 12:30 all term. §3.2.19 then requires a `VTIMEZONE` for each
/// TZID used, and §3.3.10 requires UNTIL in UTC when DTSTART has a TZID.
public enum ICalendarWriter {
    /// One calendar file: its name inside the output folder and its whole text.
    public struct File: Sendable, Hashable {
        public var name: String
        public var text: String
    }

    /// Every calendar file for `view`, sorted by name: rooms with at least one session, then people
    /// with at least one session.
    /// - Throws: ``InputError`` when the view is inconsistent (see ``TimetableView/validate()``).
    public static func files(for view: TimetableView) throws -> [File] {
        try view.validate()
        let zone = TimeZone(identifier: view.timeZone)!
        let slot = Dictionary(uniqueKeysWithValues: view.slots.map { ($0.id, $0) })
        let room = Dictionary(uniqueKeysWithValues: view.rooms.map { ($0.id, $0) })
        let sessions = view.orderedSessions.filter { !$0.dates.isEmpty }
        // Each piece is folded and CRLF-terminated once, then shared by the files that hold it.
        func block(_ lines: [String]) -> String { lines.map { fold($0) + "\r\n" }.joined() }
        let timezone = block(vtimezone(zone, id: view.timeZone, from: view.termStart, to: view.termEnd))
        let events = sessions.map { block(event($0, view: view, slot: slot[$0.slot]!, room: room[$0.room]!, zone: zone)) }

        func calendar(name: String, _ indices: [Int]) -> String {
            block(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//PeerMatch//Termly timetable//EN", "CALSCALE:GREGORIAN",
                   "NAME:" + escapeText(name), "X-WR-CALNAME:" + escapeText(name)])
                + timezone + indices.map { events[$0] }.joined() + "END:VCALENDAR\r\n"
        }

        var out: [File] = []
        var roomNames = FileNames()
        let byRoom = Dictionary(grouping: sessions.indices, by: { sessions[$0].room })
        for r in view.rooms.sorted(by: { $0.id < $1.id }) {
            guard let mine = byRoom[r.id] else { continue }
            out.append(File(name: roomNames.name("room-", r.id), text: calendar(name: "\(view.title): \(r.name)", mine)))
        }
        var people: [PersonID: (person: TimetableView.Person, sessions: [Int])] = [:]
        for (k, s) in sessions.enumerated() {
            for p in [s.mentor] + s.mentees { people[p.id, default: (p, [])].sessions.append(k) }
        }
        var personNames = FileNames()
        for id in people.keys.sorted() {
            let entry = people[id]!
            out.append(File(name: personNames.name("person-", id.rawValue), text: calendar(name: "\(view.title): \(entry.person.name)", entry.sessions)))
        }
        return out.sorted { $0.name < $1.name }
    }

    /// Writes the files of ``files(for:)`` into the folder `path`, replacing it whole through an
    /// ``OutputPlan`` (a temporary sibling folder, then a rename), so a failure never leaves a
    /// half-written calendar folder. An existing `path` is replaced only when it holds nothing but
    /// `.ics` files (a previous run's output); it is refused when it is, or holds, any of
    /// `inputs`. Returns the names written.
    @discardableResult
    public static func write(_ view: TimetableView, toDirectory path: String, protecting inputs: [String] = []) throws -> [String] {
        let files = try files(for: view)
        var plan = OutputPlan(protecting: inputs)
        plan.set(try plan.folder(path), files: files.map { ($0.name, Data($0.text.utf8)) })
        try plan.commit()
        return files.map(\.name)
    }

    // MARK: - Events

    static func event(_ s: TimetableView.Session, view: TimetableView, slot: TimetableView.Slot,
                      room: TimetableView.Room, zone: TimeZone) -> [String] {
        let dates = s.dates.sorted()
        let first = dates.first!, last = dates.last!
        let tzid = "TZID=" + paramValue(view.timeZone)
        func local(_ d: TimetableView.CalendarDate, _ t: TimetableView.ClockTime) -> String {
            "\(d.basic)T\(twoDigits(t.hour))\(twoDigits(t.minute))00"
        }
        let mentees = s.mentees.sorted { $0.id < $1.id }
        var lines = ["BEGIN:VEVENT", "UID:" + uid(view: view, session: s), "DTSTAMP:\(view.termStart.basic)T000000Z",
                     "DTSTART;\(tzid):\(local(first, slot.start))", "DTEND;\(tzid):\(local(first, slot.end))"]
        if dates.count > 1 {
            // UNTIL in UTC (§3.3.10): the end of the last date, local, which no zone offset can push
            // past the last occurrence's start or onto the next week's.
            lines.append("RRULE:FREQ=WEEKLY;UNTIL=" + utc(last, hour: 23, minute: 59, second: 59, zone: zone))
            // validate() put every date on the slot's weekday, so each lies on the weekly grid from
            // the first; the weeks of the grid without a session are the exceptions.
            let present = Set(dates)
            let excluded = stride(from: 7, to: last.daysSinceEpoch - first.daysSinceEpoch, by: 7)
                .map { first.adding(days: $0) }.filter { !present.contains($0) }
            if !excluded.isEmpty { lines.append("EXDATE;\(tzid):" + excluded.map { local($0, slot.start) }.joined(separator: ",")) }
        }
        let who = mentees.map(\.name)
        let summary = mentees.count == 1 ? "Mentoring: \(s.mentor.name) & \(who[0])"
                                         : "Group mentoring: \(s.mentor.name) with \(who.joined(separator: ", "))"
        var description = [view.title,
                           "When: \(slot.day.name) \(slot.start)–\(slot.end)" + (slot.label.isEmpty ? "" : " (\(slot.label))"),
                           "Where: \(room.name)",
                           "Mentor: \(s.mentor.name)",
                           (mentees.count == 1 ? "Mentee: " : "Mentees: ") + who.joined(separator: ", "),
                           "Sessions: \(dates.count), \(first) to \(last)"]
        for skip in s.skipped.sorted(by: { $0.date < $1.date }) {
            description.append("No session on \(skip.date): \(skip.reason)")
        }
        lines += ["SUMMARY:" + escapeText(summary), "LOCATION:" + escapeText(room.name),
                  "DESCRIPTION:" + escapeText(description.joined(separator: "\n")), "END:VEVENT"]
        return lines
    }

    /// Stable across runs and machines: a hash of the cohort title, then of slot, room, mentor and
    /// mentees. The same session gets the same UID in the room's and each person's file, so a
    /// calendar program that imports several of them keeps one event.
    static func uid(view: TimetableView, session s: TimetableView.Session) -> String {
        let key = ([s.slot, s.room, s.mentor.id.rawValue] + s.mentees.map(\.id.rawValue).sorted()).joined(separator: "\u{1F}")
        return "\(fnv1a(view.title))-\(fnv1a(key))@peermatch"
    }

    /// A local date and time in `zone` as an iCalendar UTC DATE-TIME (`20270324T235959Z`).
    static func utc(_ d: TimetableView.CalendarDate, hour: Int, minute: Int, second: Int, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let instant = calendar.date(from: DateComponents(year: d.year, month: d.month, day: d.day, hour: hour, minute: minute, second: second))!
        return basicUTC(instant)
    }

    static func basicUTC(_ instant: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
        return TimetableView.CalendarDate(year: c.year!, month: c.month!, day: c.day!)!.basic
            + "T\(twoDigits(c.hour!))\(twoDigits(c.minute!))\(twoDigits(c.second!))Z"
    }

    // MARK: - Time zone

    /// A `VTIMEZONE` for `zone`, with every offset change from a year before the term to a year
    /// after it (so each event's dates are covered), read from the system time-zone database. A
    /// zone with no change in that window gets one `STANDARD` observance. No `TZNAME`: the
    /// abbreviations differ between platforms' zone data ("BST" or "GMT+1"), which would make the
    /// output depend on the machine.
    static func vtimezone(_ zone: TimeZone, id: String, from start: TimetableView.CalendarDate, to end: TimetableView.CalendarDate) -> [String] {
        func instant(_ d: TimetableView.CalendarDate) -> Date { Date(timeIntervalSince1970: Double(d.daysSinceEpoch) * 86_400) }
        let windowStart = instant(start.adding(days: -366)), windowEnd = instant(end.adding(days: 366))
        var lines = ["BEGIN:VTIMEZONE", "TZID:" + id]
        var cursor = windowStart
        var observances: [[String]] = []
        while let t = zone.nextDaylightSavingTimeTransition(after: cursor), t < windowEnd {
            let before = zone.secondsFromGMT(for: t.addingTimeInterval(-1)), after = zone.secondsFromGMT(for: t)
            let kind = zone.isDaylightSavingTime(for: t) ? "DAYLIGHT" : "STANDARD"
            var o = ["BEGIN:\(kind)", "DTSTART:" + String(basicUTC(t.addingTimeInterval(Double(before))).dropLast()),
                     "TZOFFSETFROM:" + offset(before), "TZOFFSETTO:" + offset(after)]
            o.append("END:\(kind)")
            observances.append(o)
            cursor = t
        }
        if observances.isEmpty {
            let now = zone.secondsFromGMT(for: instant(start))
            var o = ["BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:" + offset(now), "TZOFFSETTO:" + offset(now)]
            o.append("END:STANDARD")
            observances.append(o)
        }
        for o in observances { lines += o }
        lines.append("END:VTIMEZONE")
        return lines
    }

    /// `+0100`, `-0330`, `+054500` (seconds only when there are any).
    static func offset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+", s = abs(seconds)
        return sign + twoDigits(s / 3600) + twoDigits(s / 60 % 60) + (s % 60 == 0 ? "" : twoDigits(s % 60))
    }

    // MARK: - Text

    /// RFC 5545 §3.3.11 TEXT: `\` `;` `,` escaped with a backslash, any line break as `\n`, other
    /// control characters (not allowed in TEXT) dropped.
    static func escapeText(_ text: String) -> String {
        var out = ""
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let c = pending {
            pending = scalars.next()
            switch c {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r":
                out += "\\n"
                if pending == "\n" { pending = scalars.next() }
            case "\n": out += "\\n"
            case "\t": out.unicodeScalars.append(c)
            default:
                if c.value < 0x20 || c.value == 0x7F { continue }
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A parameter value, quoted when it holds `:`, `;` or `,` (§3.1); `"` cannot appear and is dropped.
    static func paramValue(_ value: String) -> String {
        let clean = value.filter { $0 != "\"" }
        return clean.contains(where: { $0 == ":" || $0 == ";" || $0 == "," }) ? "\"\(clean)\"" : clean
    }

    /// Folds one content line (§3.1): no line longer than 75 octets, continuation lines start with
    /// one space, and no UTF-8 character is split across lines. Folds fall between user-perceived
    /// characters (so an emoji with a skin tone stays whole for unfolders that work on text, not
    /// bytes), and between Unicode scalars only inside a character too long for one line.
    ///
    /// One pass over the UTF-8 bytes for the lines nearly every file is made of: a line of at most
    /// 75 octets is left as it is, and in a line of ASCII without a carriage return every byte is a
    /// character of its own (CR LF is the only ASCII pair that makes one character), so it folds
    /// every 74 octets after the first 75. Other lines (a name in another script, an emoji) go
    /// through ``foldCharacters(_:)``, which finds the characters; both give the same bytes
    /// (`ICalendarTests.theByteFoldIsTheCharacterFold`). Why: folding by characters was 7% of the
    /// web page's whole-term profile, for the calendars zip (README, "Web page benchmark").
    static func fold(_ line: String) -> String {
        let utf8 = line.utf8
        guard utf8.count > 75 else { return line }
        guard !utf8.contains(where: { $0 >= 0x80 || $0 == 0x0D }) else { return foldCharacters(line) }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + utf8.count / 74 * 3)
        var used = 0
        for b in utf8 {
            if used == 75 { out.append(contentsOf: [0x0D, 0x0A, 0x20]); used = 1 }
            out.append(b)
            used += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// ``fold(_:)`` character by character: any text.
    static func foldCharacters(_ line: String) -> String {
        var out = "", used = 0
        func append(_ c: Unicode.Scalar) {
            let octets = UTF8.width(c)
            if used + octets > 75 { out += "\r\n "; used = 1 }
            out.unicodeScalars.append(c)
            used += octets
        }
        for character in line {
            let octets = character.utf8.count
            if octets > 74 {
                character.unicodeScalars.forEach(append)
                continue
            }
            if used + octets > 75 { out += "\r\n "; used = 1 }
            out.unicodeScalars.append(contentsOf: character.unicodeScalars)
            used += octets
        }
        return out
    }

    /// Folder-safe, deterministic file names: letters, digits, `-` and `_` kept, every other byte
    /// as `%XX`; long ids shortened with a hash; names that would clash on a case-insensitive
    /// file system (macOS, Windows) get `%2`, `%3`… in id order.
    struct FileNames {
        private var used: Set<String> = []

        mutating func name(_ prefix: String, _ id: String) -> String {
            var stem = ""
            for byte in id.utf8 {
                let c = Character(Unicode.Scalar(byte))
                if byte < 0x80, c.isLetter || c.isNumber || c == "-" || c == "_" { stem.append(c) }
                else { stem += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2) }
            }
            if stem.count > 100 { stem = String(stem.prefix(80)) + "%" + fnv1a(id) }
            var candidate = prefix + stem, n = 1
            while used.contains(candidate.lowercased()) { n += 1; candidate = prefix + stem + "%\(n)" }
            used.insert(candidate.lowercased())
            return candidate + ".ics"
        }
    }
}

private func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
