import Foundation
import Testing
@testable import PeerMatch

private typealias V = TimetableView
private typealias F = TimetableFixture

// MARK: - The view: dates and consistency

@Suite struct TimetableViewTests {
    @Test func calendarDatesRoundTripAndKnowTheirWeekday() {
        #expect(V.CalendarDate(iso: "1970-01-01")!.daysSinceEpoch == 0)
        #expect(V.CalendarDate(iso: "1970-01-01")!.weekday == .thu)
        #expect(V.CalendarDate(iso: "2027-01-04")!.weekday == .mon)
        #expect(V.CalendarDate(iso: "2024-02-29")!.adding(days: 1).iso == "2024-03-01")
        #expect(V.CalendarDate(iso: "1969-12-31")!.daysSinceEpoch == -1)
        #expect(V.CalendarDate(iso: "2027-02-29") == nil)
        #expect(V.CalendarDate(iso: "2027-1-04") == nil)
        // Cohort files may write 9:30 for 09:30 (the domain's ClockTime); 24:00 and 9:3 are not times.
        #expect(V.ClockTime("24:00") == nil && V.ClockTime("9:3") == nil && V.ClockTime("9:30")?.minutes == 570
                && V.ClockTime("09:30")?.minutes == 570)
        // Every day from 1900 to 2100 against Foundation's Gregorian calendar in UTC.
        var cal = Calendar(identifier: .gregorian); cal.timeZone = TimeZone(identifier: "UTC")!
        for days in stride(from: -25_567, through: 47_482, by: 1) {
            let d = V.CalendarDate(daysSinceEpoch: days)
            let c = cal.dateComponents([.year, .month, .day, .weekday], from: Date(timeIntervalSince1970: Double(days) * 86_400))
            guard d.year == c.year, d.month == c.month, d.day == c.day, d.daysSinceEpoch == days,
                  d.weekday.index == (c.weekday! + 5) % 7 else { Issue.record("day \(days): \(d)"); return }
        }
    }

    @Test func pairsAndUnmatchedComeFromTheResultWithNames() throws {
        var gen = RandomCohorts(seed: 11)
        var cohort = gen.cohort(mentors: 4, mentees: 7)
        cohort.mentees[0].name = "Named <One>"
        let result = try Matcher(solver: .greedy).match(cohort)
        let (pairs, unmatched) = V.pairsAndUnmatched(of: result, cohort: cohort)
        #expect(pairs.map { [$0.mentor.id, $0.mentee.id] } == result.pairs.map { [$0.mentor, $0.mentee] })
        #expect(pairs.map(\.reasons) == result.pairs.map(\.reasons) && pairs.map(\.score) == result.pairs.map(\.score))
        #expect(unmatched.map(\.person.id) == result.unmatched.map(\.id) && unmatched.map(\.role) == result.unmatched.map(\.role))
        let named = (pairs.map(\.mentee) + unmatched.map(\.person)).first { $0.id == cohort.mentees[0].id }
        #expect(named?.name == "Named <One>")
        #expect(pairs.count + unmatched.filter { $0.role == .mentee }.count == 7)
    }

    @Test func validateNamesEveryProblem() {
        var v = F.sample()
        v.timeZone = "Mars/Olympus"
        v.sessions[0].dates.append(F.date("2027-01-05"))         // a Tuesday in a Thursday slot
        v.sessions[1].slot = "nope"
        v.sessions[2].skipped.append(V.Skipped(date: v.sessions[2].dates[0], reason: "x"))
        v.sessions[3].mentees = []
        v.sessions[0].mentees.append(v.sessions[0].mentor)
        v.sessions[2].dates.append(F.date("2027-04-07"))         // a Wednesday after the term
        do {
            try v.validate()
            Issue.record("expected errors")
        } catch let e as InputError {
            #expect(e.diagnostics.map(\.description) == [
                "timetable: $.timeZone: unknown time zone \"Mars/Olympus\"",
                "timetable: $.sessions[0].mentees: someone is in this session twice",
                "timetable: $.sessions[0].dates[12]: 2027-01-05 is a Tuesday, not a Thursday like slot \"thu-form\"",
                "timetable: $.sessions[1].slot: unknown slot \"nope\"",
                "timetable: $.sessions[2].dates[12]: 2027-04-07 is outside the term (2027-01-04 to 2027-04-01)",
                "timetable: $.sessions[2].skipped[1].date: 2027-01-06 is both a session date and skipped, or skipped twice",
                "timetable: $.sessions[3].mentees: a session needs at least one mentee",
            ])
        } catch { Issue.record("\(error)") }
        #expect(throws: InputError.self) { try TimetableCSV.render(v) }
        #expect(throws: InputError.self) { try ICalendarWriter.files(for: v) }
        #expect(throws: InputError.self) { try HTMLReport.render(v) }
        for seed in 0..<50 as Range<UInt64> { #expect(throws: Never.self) { try F.random(seed: seed).validate() } }
    }
}

// MARK: - CSV

@Suite struct TimetableCSVTests {
    @Test func oneSortedRowPerSessionDate() throws {
        let v = F.sample()
        let lines = try TimetableCSV.render(v).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "date,day,start,end,slot,room,roomName,mentor,mentorName,mentees,menteeNames")
        #expect(Array(lines[1...5]) == [
            "2027-01-04,mon,12:30,13:00,mon-lunch,lib,Library,m1,Ada Lovelace,e1,Bo Chen",
            "2027-01-04,mon,12:30,13:00,mon-lunch,lib,Library,m2,Zoë Ångström-Nakamura,e2,\"<script>alert(\"\"x\"\")</script> & 'Q'\"",
            "2027-01-06,wed,15:30,16:15,wed-after,r12,Room 12,m3,\"O'Brien, Seán; Jr.\",e3,Émile Zola",
            "2027-01-07,thu,08:40,09:00,thu-form,hall,Small hall,m4,李小龙,e4; e5; e6,Kai; Lena\\Back; Noor",
            "2027-01-11,mon,12:30,13:00,mon-lunch,lib,Library,m1,Ada Lovelace,e1,Bo Chen",
        ])
        #expect(lines.last == "")
        let rows = lines.dropFirst().dropLast()
        #expect(rows.count == v.sessions.reduce(0) { $0 + $1.dates.count })
        #expect(rows.count == 12 + 11 + 12 + 12)
        #expect(!rows.contains { $0.hasPrefix("2027-02-15") || $0.hasPrefix("2027-02-17") || $0.hasPrefix("2027-03-01,mon,12:30,13:00,mon-lunch,lib,Library,m2") })
        #expect(rows.last!.hasPrefix("2027-04-01,thu,08:40"))
        #expect(rows.contains { $0.hasPrefix("2027-03-29,mon,12:30") })   // after the clocks change: still 12:30
    }

    @Test func sameTimetableSameBytesWhateverTheOrder() throws {
        for seed in 0..<30 as Range<UInt64> {
            var v = F.random(seed: seed)
            let a = try TimetableCSV.render(v)
            var rng = SeededRandom(seed: seed)
            v.sessions.shuffle(using: &rng); v.slots.shuffle(using: &rng); v.rooms.shuffle(using: &rng)
            for k in v.sessions.indices { v.sessions[k].dates.shuffle(using: &rng); v.sessions[k].mentees.shuffle(using: &rng) }
            #expect(try TimetableCSV.render(v) == a)
        }
    }
}

// MARK: - iCalendar

/// A second, independent reading of the files: unfold, split, unescape, expand the weekly rule.
private enum ICS {
    /// Unfolds on bytes, as RFC 5545 §3.1 describes (CRLF followed by one space is removed).
    static func unfold(_ text: String) -> String {
        var out: [UInt8] = [], bytes = Array(text.utf8), k = 0
        while k < bytes.count {
            if k + 2 < bytes.count, bytes[k] == 13, bytes[k + 1] == 10, bytes[k + 2] == 32 { k += 3; continue }
            out.append(bytes[k]); k += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
    static func lines(_ text: String) -> [String] {
        var out = unfold(text).components(separatedBy: "\r\n")
        #expect(out.last == "")
        out.removeLast()
        return out
    }
    static func unescape(_ s: String) -> String {
        var out = "", escaped = false
        for c in s {
            if escaped { out.append(c == "n" || c == "N" ? "\n" : c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }
    /// Each VEVENT's properties by name (the last one wins; no repeated properties are written).
    static func events(_ text: String) -> [[String: String]] {
        var out: [[String: String]] = [], current: [String: String]? = nil
        for l in lines(text) {
            if l == "BEGIN:VEVENT" { current = [:]; continue }
            if l == "END:VEVENT" { out.append(current!); current = nil; continue }
            guard current != nil, let colon = l.firstIndex(of: ":") else { continue }
            current![String(l[..<colon])] = String(l[l.index(after: colon)...])
        }
        return out
    }
    /// The dates the event occurs on, by stepping a week at a time from DTSTART up to UNTIL,
    /// leaving out EXDATEs, comparing instants in `zone`.
    static func occurrences(_ e: [String: String], zone: TimeZone) -> [V.CalendarDate] {
        let key = e.keys.first { $0.hasPrefix("DTSTART;TZID=") }!
        let start = e[key]!
        var cal = Calendar(identifier: .gregorian); cal.timeZone = zone
        func parse(_ s: String) -> (V.CalendarDate, Int, Int) {
            let d = V.CalendarDate(year: Int(s.prefix(4))!, month: Int(s.dropFirst(4).prefix(2))!, day: Int(s.dropFirst(6).prefix(2))!)!
            return (d, Int(s.dropFirst(9).prefix(2))!, Int(s.dropFirst(11).prefix(2))!)
        }
        let (first, h, m) = parse(start)
        guard let rule = e["RRULE"] else { return [first] }
        let untilText = String(rule.split(separator: "=").last!)
        #expect(rule.hasPrefix("FREQ=WEEKLY;UNTIL=") && untilText.hasSuffix("Z"))
        var utc = Calendar(identifier: .gregorian); utc.timeZone = TimeZone(identifier: "UTC")!
        let (ud, uh, um) = parse(untilText)
        let until = utc.date(from: DateComponents(year: ud.year, month: ud.month, day: ud.day, hour: uh, minute: um, second: Int(untilText.dropFirst(13).prefix(2))!))!
        let exKey = e.keys.first { $0.hasPrefix("EXDATE;TZID=") }
        let excluded = Set((exKey.map { e[$0]!.split(separator: ",").map { parse(String($0)).0 } }) ?? [])
        var out: [V.CalendarDate] = [], d = first
        while cal.date(from: DateComponents(year: d.year, month: d.month, day: d.day, hour: h, minute: m))! <= until {
            if !excluded.contains(d) { out.append(d) }
            d = d.adding(days: 7)
        }
        return out
    }
}

@Suite struct ICalendarTests {
    /// `fold` takes one pass over the bytes of a short line or an ASCII one and the character by
    /// character fold otherwise: on random lines of every kind (short, long ASCII, ASCII with CR,
    /// LF or CR LF in it, non-ASCII, emoji, combining marks, each at or around the 75-octet edges)
    /// it writes exactly the bytes the character fold writes.
    @Test func theByteFoldIsTheCharacterFold() {
        var rng = SeededRandom(seed: 5_545)
        let ascii = ["a", "Z", "0", " ", ";", ",", ":", "=", "\\,", "\\n", "T123000", "20261006T123000,"]
        let controls = ["\r", "\n", "\r\n"]
        let other = controls + ["é", "e\u{301}", "\"\u{301}", "€", "😀", "🧑🏽‍🏫", "李", "\r\u{301}"]
        var byBytes = 0, byCharacters = 0
        for _ in 0..<3_000 {
            var line = ""
            let target = [rng.int(in: 0...80), rng.int(in: 73...78), rng.int(in: 140...155), rng.int(in: 0...400)][rng.int(4)]
            // Only ASCII; ASCII with CR, LF and CR LF (one character of two octets) often; any of them.
            let kind = rng.int(3)
            while line.utf8.count < target {
                switch kind {
                case 1 where rng.chance(0.3): line += controls[rng.int(controls.count)]
                case 2 where rng.chance(0.1): line += other[rng.int(other.count)]
                default: line += ascii[rng.int(ascii.count)]
                }
            }
            let folded = ICalendarWriter.fold(line)
            #expect(Array(folded.utf8) == Array(ICalendarWriter.foldCharacters(line).utf8), "\(line.debugDescription)")
            if line.utf8.count > 75 { if line.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) { byBytes += 1 } else { byCharacters += 1 } }
        }
        #expect(byBytes > 500 && byCharacters > 300, "\(byBytes) by bytes, \(byCharacters) by characters")
    }

    @Test func foldsAt75OctetsWithoutSplittingCharacters() {
        let a74 = String(repeating: "a", count: 74)
        #expect(ICalendarWriter.fold(String(repeating: "a", count: 75)) == String(repeating: "a", count: 75))
        #expect(ICalendarWriter.fold(String(repeating: "a", count: 76)) == String(repeating: "a", count: 75) + "\r\n a")
        #expect(ICalendarWriter.fold(a74 + "é") == a74 + "\r\n é")                         // 2 octets would make 76
        #expect(ICalendarWriter.fold("aaa" + a74 + "€") == "aaa" + String(repeating: "a", count: 72) + "\r\n aa€")
        #expect(ICalendarWriter.fold(String(repeating: "a", count: 73) + "😀b") == String(repeating: "a", count: 73) + "\r\n 😀b")
        #expect(ICalendarWriter.fold(String(repeating: "a", count: 70) + "🧑🏽‍🏫") == String(repeating: "a", count: 70) + "\r\n 🧑🏽‍🏫")  // 15 octets, kept whole
        let accents = "e" + String(repeating: "\u{301}", count: 40)                        // one 81-octet character
        #expect(ICalendarWriter.fold("ab" + accents) == "abe" + String(repeating: "\u{301}", count: 36) + "\r\n " + String(repeating: "\u{301}", count: 4))
        let long = String(repeating: "李", count: 60)                                     // 180 octets
        #expect(ICalendarWriter.fold(long) == String(repeating: "李", count: 25) + "\r\n " + String(repeating: "李", count: 24) + "\r\n " + String(repeating: "李", count: 11))
        // Any text: every physical line ≤ 75 octets and valid UTF-8 on its own; unfolding restores it.
        var rng = SeededRandom(seed: 7)
        let pieces = ["a", "é", "€", "😀", "李", " ", "🧑🏽‍🏫", "\\,", "e" + String(repeating: "\u{301}", count: 40)]
        for _ in 0..<500 {
            let text = (0..<rng.int(in: 0...200)).map { _ in pieces[rng.int(pieces.count)] }.joined()
            let folded = ICalendarWriter.fold("X:" + text)
            for line in Data(folded.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                let bytes = Data(line.last == UInt8(ascii: "\r") ? line.dropLast() : line)
                #expect(bytes.count <= 75)
                #expect(String(data: bytes, encoding: .utf8) != nil)
            }
            #expect(ICS.unfold(folded) == "X:" + text)
        }
    }

    @Test func escapesText() {
        #expect(ICalendarWriter.escapeText("a\\b;c,d\ne\r\nf\rg\u{7}h\ti") == "a\\\\b\\;c\\,d\\ne\\nf\\ng" + "h\ti")
        #expect(ICS.unescape(ICalendarWriter.escapeText("O'Brien, Seán; Jr.\\\nnext")) == "O'Brien, Seán; Jr.\\\nnext")
    }

    @Test func sampleEventsHaveExactSeriesAndExceptions() throws {
        let files = try ICalendarWriter.files(for: F.sample())
        #expect(files.map(\.name) == ["person-e1.ics", "person-e2.ics", "person-e3.ics", "person-e4.ics", "person-e5.ics",
                                      "person-e6.ics", "person-m1.ics", "person-m2.ics", "person-m3.ics", "person-m4.ics",
                                      "room-hall.ics", "room-lib.ics", "room-r12.ics"])
        let lib = files.first { $0.name == "room-lib.ics" }!.text
        let events = ICS.events(lib)
        #expect(events.count == 2)
        let m2 = events.first { $0["SUMMARY"]!.contains("Zoë") }!
        #expect(m2["DTSTART;TZID=Europe/London"] == "20270104T123000")
        #expect(m2["DTEND;TZID=Europe/London"] == "20270104T130000")
        // Last session Monday 29 March, after the clocks go forward: 23:59:59 BST is 22:59:59 UTC.
        #expect(m2["RRULE"] == "FREQ=WEEKLY;UNTIL=20270329T225959Z")
        #expect(m2["EXDATE;TZID=Europe/London"] == "20270215T123000,20270301T123000")
        #expect(m2["DTSTAMP"] == "20270104T000000Z")
        #expect(ICS.unescape(m2["SUMMARY"]!) == "Mentoring: Zoë Ångström-Nakamura & <script>alert(\"x\")</script> & 'Q'")
        #expect(ICS.unescape(m2["LOCATION"]!) == "Library")
        #expect(ICS.unescape(m2["DESCRIPTION"]!) == """
            Spring term, "Year 7"; mentoring
            When: Monday 12:30–13:00 (Lunch)
            Where: Library
            Mentor: Zoë Ångström-Nakamura
            Mentee: <script>alert("x")</script> & 'Q'
            Sessions: 11, 2027-01-04 to 2027-03-29
            No session on 2027-02-15: half term
            No session on 2027-03-01: school trip
            """)
        let group = ICS.events(files.first { $0.name == "room-hall.ics" }!.text)[0]
        #expect(ICS.unescape(group["SUMMARY"]!) == "Group mentoring: 李小龙 with Kai, Lena\\Back, Noor")
        #expect(group["SUMMARY"] == "Group mentoring: 李小龙 with Kai\\, Lena\\\\Back\\, Noor")
        // The Europe/London zone with the changes around the term.
        #expect(lib.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n"))
        #expect(lib.contains("BEGIN:STANDARD\r\nDTSTART:20261025T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nEND:STANDARD\r\n"))
        #expect(lib.contains("BEGIN:DAYLIGHT\r\nDTSTART:20270328T010000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nEND:DAYLIGHT\r\n"))
        #expect(lib.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//PeerMatch//Termly timetable//EN\r\nCALSCALE:GREGORIAN\r\n"))
        #expect(lib.hasSuffix("END:VEVENT\r\nEND:VCALENDAR\r\n"))
        // Each person's file holds exactly their sessions.
        #expect(ICS.events(files.first { $0.name == "person-e5.ics" }!.text).count == 1)
        #expect(ICS.events(files.first { $0.name == "person-m4.ics" }!.text).map { $0["UID"] } == [group["UID"]])
    }

    @Test func everyFileIsCRLFFoldedAndExpandsToTheSessionDates() throws {
        for seed in 0..<40 as Range<UInt64> {
            let v = seed == 0 ? F.sample() : F.random(seed: seed)
            let zone = TimeZone(identifier: v.timeZone)!
            let byUID = Dictionary(v.sessions.map { (ICalendarWriter.uid(view: v, session: $0), $0) }, uniquingKeysWith: { a, _ in a })
            var seen = Set<String>()
            for file in try ICalendarWriter.files(for: v) {
                let bytes = Array(file.text.utf8)
                for (k, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { #expect(k > 0 && bytes[k - 1] == UInt8(ascii: "\r")) }
                for line in file.text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75) }
                for e in ICS.events(file.text) {
                    let s = try #require(byUID[e["UID"]!])
                    seen.insert(e["UID"]!)
                    #expect(ICS.occurrences(e, zone: zone) == s.dates.sorted(), "seed \(seed) \(file.name)")
                }
            }
            #expect(seen.count == Set(v.sessions.filter { !$0.dates.isEmpty }.map { ICalendarWriter.uid(view: v, session: $0) }).count)
        }
    }

    @Test func uidsAreStableAndOutputIsByteIdentical() throws {
        let v = F.sample()
        let a = try ICalendarWriter.files(for: v)
        var shuffled = v
        shuffled.sessions.reverse(); shuffled.rooms.reverse(); shuffled.slots.reverse()
        shuffled.sessions[0].mentees.reverse()
        #expect(try ICalendarWriter.files(for: shuffled) == a)
        let uid = ICalendarWriter.uid(view: v, session: v.sessions[0])
        #expect(uid == ICalendarWriter.uid(view: v, session: shuffled.sessions[0].mentor == v.sessions[0].mentor ? shuffled.sessions[0] : shuffled.sessions[3]))
        #expect(uid.hasSuffix("@peermatch") && uid.count == 16 + 1 + 16 + 10)
        var retitled = v; retitled.title = "Summer"
        #expect(ICalendarWriter.uid(view: retitled, session: v.sessions[0]) != uid)
        var moved = v.sessions[0]; moved.room = "lib"
        #expect(ICalendarWriter.uid(view: v, session: moved) != uid)
        #expect(fnv1a("") == "cbf29ce484222325" && fnv1a("a") == "af63dc4c8601ec8c")   // published FNV-1a 64 vectors
    }

    @Test func fileNamesAreSafeAndNeverClash() {
        var names = ICalendarWriter.FileNames()
        #expect(names.name("person-", "m1") == "person-m1.ics")
        #expect(names.name("person-", "M1") == "person-M1%2.ics")                          // case-insensitive disks
        #expect(names.name("person-", "../etc/passwd") == "person-%2E%2E%2Fetc%2Fpasswd.ics")
        #expect(names.name("person-", "Zoë") == "person-Zo%C3%AB.ics")
        #expect(names.name("person-", String(repeating: "x", count: 300)).count == "person-".count + 80 + 17 + 4)
    }

    @Test func writesTheFolderWholeAndProtectsInputs() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pm-ics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let dir = root.appendingPathComponent("cal").path
        let v = F.sample()
        let written = try ICalendarWriter.write(v, toDirectory: dir)
        #expect(written.count == 13)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == written)
        #expect(try String(contentsOfFile: dir + "/room-lib.ics", encoding: .utf8) == ICalendarWriter.files(for: v).first { $0.name == "room-lib.ics" }!.text)
        // Again with one session fewer: the old person files go, nothing else is left behind.
        var fewer = v; fewer.sessions.removeFirst()
        try ICalendarWriter.write(fewer, toDirectory: dir)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ICalendarWriter.files(for: fewer).map(\.name))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["cal"])
        // Refusals leave everything as it was.
        let input = dir + "/cohort.json"
        try Data("{}".utf8).write(to: URL(fileURLWithPath: input))
        #expect(throws: InputError.self) { try ICalendarWriter.write(v, toDirectory: dir, protecting: [input]) }
        #expect(throws: InputError.self) { try ICalendarWriter.write(v, toDirectory: dir) }   // holds a non-calendar file
        #expect(FileManager.default.fileExists(atPath: input))
        #expect(throws: InputError.self) { try ICalendarWriter.write(v, toDirectory: root.path + "/missing/cal") }
    }

    static let python = ProcessInfo.processInfo.environment["PEERMATCH_TEST_PYTHON"]

    /// Python's `icalendar` parses every file and `recurring-ical-events` expands every series as a
    /// calendar program would: the occurrences must be exactly the session dates, at the slot's
    /// local start and end, across daylight-saving changes and in zones with odd offsets.
    @Test(.enabled(if: python != nil, "set PEERMATCH_TEST_PYTHON to a python with Tests/requirements.txt"))
    func pythonIcalendarParsesAndExpandsEveryFile() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pm-ics-py-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let views = (0..<40 as Range<UInt64>).map { $0 == 0 ? F.sample() : F.random(seed: $0) }
        let dirs = views.indices.map { root.appendingPathComponent("s\($0)").path }
        for (v, dir) in zip(views, dirs) { try ICalendarWriter.write(v, toDirectory: dir) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.python!)
        p.arguments = [Repo.path("Tests/Python/ics_occurrences.py")] + dirs
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "\(errText)")
        let all = try JSONValue.parseJSON(data, file: "python")
        for (seed, (v, dir)) in zip(views, dirs).enumerated() {
            let json = try #require(all[dir])
            let slot = Dictionary(uniqueKeysWithValues: v.slots.map { ($0.id, $0) })
            let files = try ICalendarWriter.files(for: v)
            for f in files {
                #expect(json[f.name]?["tzids"] == .array([.string(v.timeZone)]))
                for e in ICS.events(f.text) {
                    let s = v.sessions.first { ICalendarWriter.uid(view: v, session: $0) == e["UID"]! }!
                    let sl = slot[s.slot]!
                    let expected = s.dates.sorted().map { JSONValue.string("\($0.iso)T\(sl.start)/\(sl.end)") }
                    #expect(json[f.name]?["events"]?[e["UID"]!]?["occurrences"] == .array(expected), "seed \(seed) \(f.name)")
                    #expect(json[f.name]?["events"]?[e["UID"]!]?["summary"] == .string(ICS.unescape(e["SUMMARY"]!)))
                }
            }
            if seed == 0 {
                // What a calendar program shows: the unescaped name, summaries and description.
                guard case .object(let events)? = json["room-lib.ics"]?["events"] else { Issue.record("no room-lib.ics"); continue }
                #expect(Set(events.map { $0.1["summary"] }) == [.string("Mentoring: Ada Lovelace & Bo Chen"),
                                                                .string("Mentoring: Zoë Ångström-Nakamura & <script>alert(\"x\")</script> & 'Q'")])
                #expect(events.contains { if case .string(let d)? = $0.1["description"] { return d.hasSuffix("No session on 2027-02-15: half term\nNo session on 2027-03-01: school trip") }; return false })
                #expect(json["room-lib.ics"]?["name"] == .string("Spring term, \"Year 7\"; mentoring: Library"))
            }
        }
    }
}
