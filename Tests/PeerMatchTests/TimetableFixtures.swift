import Foundation
@testable import PeerMatch

/// Builds timetables for the renderer tests: a hand-made sample whose every value the tests can
/// state exactly, and seeded random ones for property checks.
enum TimetableFixture {
    typealias V = TimetableView

    static func date(_ iso: String) -> V.CalendarDate { V.CalendarDate(iso: iso)! }
    static func time(_ hhmm: String) -> V.ClockTime { V.ClockTime(hhmm)! }
    static func person(_ id: String, _ name: String) -> V.Person { V.Person(id: PersonID(id), name: name) }

    /// Every `day` from `start` to `end`, without the weeks (Monday to Sunday) that hold one of
    /// `skipWeeks` and without the `unavailable` dates; the dropped dates come back as `skipped`.
    static func weekly(_ day: V.Weekday, from start: V.CalendarDate, to end: V.CalendarDate,
                       skipWeeks: [(V.CalendarDate, String)] = [], unavailable: [(V.CalendarDate, String)] = [])
        -> (dates: [V.CalendarDate], skipped: [V.Skipped]) {
        func monday(_ d: V.CalendarDate) -> V.CalendarDate { d.adding(days: -d.weekday.index) }
        var first = start
        while first.weekday != day { first = first.adding(days: 1) }
        var dates: [V.CalendarDate] = [], skipped: [V.Skipped] = []
        var d = first
        while d <= end {
            if let week = skipWeeks.first(where: { monday($0.0) == monday(d) }) {
                skipped.append(V.Skipped(date: d, reason: week.1))
            } else if let away = unavailable.first(where: { $0.0 == d }) {
                skipped.append(V.Skipped(date: d, reason: away.1))
            } else {
                dates.append(d)
            }
            d = d.adding(days: 7)
        }
        return (dates, skipped)
    }

    static let halfTerm = [(date("2027-02-17"), "half term")]

    /// Spring term 2027 (4 Jan – 1 Apr, half term the week of 15 Feb, clocks go forward on 28 Mar)
    /// with names that need escaping in every format: quotes, `<script>`, commas, semicolons, a
    /// backslash, accents, CJK.
    static func sample() -> V {
        let start = date("2027-01-04"), end = date("2027-04-01")
        let slots = [
            V.Slot(id: "mon-lunch", day: .mon, start: time("12:30"), end: time("13:00"), label: "Lunch"),
            V.Slot(id: "wed-after", day: .wed, start: time("15:30"), end: time("16:15"), label: "After school"),
            V.Slot(id: "thu-form", day: .thu, start: time("08:40"), end: time("09:00"), label: "Form time"),
        ]
        let rooms = [
            V.Room(id: "lib", name: "Library", capacity: 2, features: ["quiet"]),
            V.Room(id: "r12", name: "Room 12", capacity: 1, features: ["accessible"]),
            V.Room(id: "hall", name: "Small hall", capacity: 6),
        ]
        let m1 = person("m1", "Ada Lovelace"), m2 = person("m2", "Zoë Ångström-Nakamura")
        let m3 = person("m3", "O'Brien, Seán; Jr."), m4 = person("m4", "李小龙")
        let e1 = person("e1", "Bo Chen"), e2 = person("e2", "<script>alert(\"x\")</script> & 'Q'")
        let e3 = person("e3", "Émile Zola"), e4 = person("e4", "Kai"), e5 = person("e5", "Lena\\Back"), e6 = person("e6", "Noor")
        let mon = weekly(.mon, from: start, to: end, skipWeeks: halfTerm)
        let monTrip = weekly(.mon, from: start, to: end, skipWeeks: halfTerm, unavailable: [(date("2027-03-01"), "school trip")])
        let wed = weekly(.wed, from: start, to: end, skipWeeks: halfTerm)
        let thu = weekly(.thu, from: start, to: end, skipWeeks: halfTerm)
        let sessions = [
            V.Session(slot: "thu-form", room: "hall", mentor: m4, mentees: [e6, e4, e5], dates: thu.dates, skipped: thu.skipped),
            V.Session(slot: "mon-lunch", room: "lib", mentor: m2, mentees: [e2], dates: monTrip.dates, skipped: monTrip.skipped),
            V.Session(slot: "wed-after", room: "r12", mentor: m3, mentees: [e3], dates: wed.dates, skipped: wed.skipped),
            V.Session(slot: "mon-lunch", room: "lib", mentor: m1, mentees: [e1], dates: mon.dates, skipped: mon.skipped),
        ]
        let pairs = [
            V.Pair(mentor: m1, mentee: e1, score: 42.5, reasons: ["shared interests: art, music", "mentee's first choice"]),
            V.Pair(mentor: m2, mentee: e2, score: 30, reasons: ["offers maths; mentee needs maths"]),
            V.Pair(mentor: m3, mentee: e3, score: 12.25, reasons: ["same tutor group"]),
            V.Pair(mentor: m4, mentee: e4, score: 10, reasons: []),
            V.Pair(mentor: m4, mentee: e5, score: 10, reasons: []),
            V.Pair(mentor: m4, mentee: e6, score: 10, reasons: []),
        ]
        let unmatched = [
            V.Unmatched(person: person("e7", "Sam <Smith>"), role: .mentee, reasons: ["no common free slot with any compatible mentor"]),
            V.Unmatched(person: person("m5", "Priya"), role: .mentor, reasons: ["capacity 0"]),
        ]
        return V(title: "Spring term, \"Year 7\"; mentoring", termStart: start, termEnd: end,
                 slots: slots, rooms: rooms, sessions: sessions, pairs: pairs, unmatched: unmatched)
    }

    /// A random but valid timetable: random zones (with and without daylight saving), terms,
    /// skipped weeks, unavailable dates, group sessions and awkward names.
    static func random(seed: UInt64) -> V {
        var rng = SeededRandom(seed: seed)
        let zones = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC", "Pacific/Chatham"]
        let names = ["Ada", "Zoë Ångström", "李小龙", "O'Brien, Seán", "a;b\\c", "Émile \"E\" Zola", "<b>bold</b>",
                     String(repeating: "Ü", count: 50), "🧑🏽‍🏫 Teacher", "Line\nBreak", "Kai"]
        let start = date("2026-01-05").adding(days: rng.int(900))
        let end = start.adding(days: 7 * rng.int(in: 1...16) + rng.int(7))
        let slots = (0..<rng.int(in: 1...4)).map { k -> V.Slot in
            let h = rng.int(in: 7...17)
            return V.Slot(id: "s\(k)", day: V.Weekday.allCases[rng.int(5)], start: V.ClockTime(hour: h, minute: 15 * rng.int(4))!,
                          end: V.ClockTime(hour: h + 1, minute: 0)!, label: names[rng.int(names.count)])
        }
        let rooms = (0..<rng.int(in: 1...3)).map { V.Room(id: "r\($0)", name: names[rng.int(names.count)], capacity: 3) }
        var sessions: [V.Session] = []
        var next = 0
        func someone() -> V.Person { next += 1; return person("p\(next)", names[rng.int(names.count)]) }
        for _ in 0..<rng.int(in: 1...6) {
            let slot = slots[rng.int(slots.count)]
            var skips: [(V.CalendarDate, String)] = []
            for _ in 0..<rng.int(3) { skips.append((start.adding(days: rng.int(end.daysSinceEpoch - start.daysSinceEpoch + 1)), names[rng.int(names.count)])) }
            var away: [(V.CalendarDate, String)] = []
            for _ in 0..<rng.int(3) { away.append((start.adding(days: rng.int(end.daysSinceEpoch - start.daysSinceEpoch + 1)), "away")) }
            let series = weekly(slot.day, from: start, to: end, skipWeeks: skips, unavailable: away)
            sessions.append(V.Session(slot: slot.id, room: rooms[rng.int(rooms.count)].id, mentor: someone(),
                                      mentees: (0..<rng.int(in: 1...3)).map { _ in someone() },
                                      dates: series.dates, skipped: series.skipped))
        }
        return V(title: names[rng.int(names.count)] + " \(seed)", termStart: start, termEnd: end,
                 timeZone: zones[rng.int(zones.count)], slots: slots, rooms: rooms, sessions: sessions)
    }

    /// A secondary school at full size for the page check: 40 mentors with 3 mentees each (120
    /// pairs), 10 slots (lunch and after school, Monday to Friday), 3 rooms, 4 pairs a room at once,
    /// autumn term 2026 (clocks go back on 25 October, half term the week of 26 October).
    static func school() -> V {
        let first = ["Amara", "Ben", "Chloé", "Dev", "Ewa", "Finn", "Grace", "Hamza", "Isla", "Jonah", "Kemi", "Leo",
                     "Maya", "Niamh", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tariq"]
        let last = ["Adeyemi", "Brown", "Chen", "Davies", "Evans", "Fernández", "Gill", "Hughes", "Iqbal", "Jones", "Khan",
                    "Lewis", "Murphy", "Nowak", "O'Connor", "Patel"]
        func name(_ k: Int) -> String { "\(first[k % first.count]) \(last[(k * 7 + k / first.count) % last.count])" }
        let start = date("2026-09-07"), end = date("2026-12-18")
        var slots: [V.Slot] = []
        for day in [V.Weekday.mon, .tue, .wed, .thu, .fri] {
            slots.append(V.Slot(id: "\(day.rawValue)-lunch", day: day, start: time("12:30"), end: time("13:05"), label: "Lunch"))
            slots.append(V.Slot(id: "\(day.rawValue)-after", day: day, start: time("15:20"), end: time("16:00"), label: "After school"))
        }
        let rooms = [V.Room(id: "hall", name: "Small hall", capacity: 5), V.Room(id: "lib", name: "Library", capacity: 4, features: ["quiet"]),
                     V.Room(id: "r12", name: "Room 12", capacity: 4, features: ["accessible", "quiet"])]
        let mentors = (0..<40).map { person("m\($0 + 1)", name($0 + 100)) }
        let mentees = (0..<120).map { person("e\($0 + 1)", name($0)) }
        var sessions: [V.Session] = [], pairs: [V.Pair] = []
        for n in 0..<120 {
            let slot = slots[n % 10], room = rooms[(n / 10) % 3], mentor = mentors[n / 3]
            let away: [(V.CalendarDate, String)] = n % 17 == 0 ? [(date("2026-11-16").adding(days: slot.day.index), "\(mentees[n].name) on a school trip")] : []
            let series = weekly(slot.day, from: start, to: end, skipWeeks: [(date("2026-10-28"), "half term")], unavailable: away)
            sessions.append(V.Session(slot: slot.id, room: room.id, mentor: mentor, mentees: [mentees[n]], dates: series.dates, skipped: series.skipped))
            pairs.append(V.Pair(mentor: mentor, mentee: mentees[n], score: Double(40 + n % 23) + 0.5,
                                reasons: ["shared interests: \(["art", "football", "music", "games"][n % 4])", "offers maths; mentee needs maths"]))
        }
        let unmatched = [V.Unmatched(person: person("e121", "Zara Quinn"), role: .mentee, reasons: ["no common free slot with any compatible mentor"]),
                         V.Unmatched(person: person("e122", "Yusuf Ali"), role: .mentee, reasons: ["all rooms full at their only common slot"])]
        return V(title: "Northfield Academy — Year 7 transition mentoring", termStart: start, termEnd: end,
                 slots: slots, rooms: rooms, sessions: sessions, pairs: pairs, unmatched: unmatched)
    }
}
