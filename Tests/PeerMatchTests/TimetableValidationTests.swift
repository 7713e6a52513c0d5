import Foundation
import Testing
@testable import PeerMatch

/// Each timetable validation problem, with its JSON path and message.
@Suite struct TimetableValidationTests {
    func problems(_ json: String, policy: Policy = .default) throws -> [String] {
        let (_, diagnostics) = try CohortReader.parse(Data(json.utf8), file: "c.json", policy: policy)
        return diagnostics.map(\.description)
    }

    let slot = #"{"id":"s1","day":"wed","start":"12:30","end":"13:00","label":"Lunch"}"#
    let room = #"{"id":"r1","name":"Library","capacity":2,"features":["quiet"]}"#
    func cohort(slots: String? = nil, rooms: String? = nil, extra: String = "", mentor: String = "", mentee: String = "") -> String {
        #"{"slots":[\#(slots ?? slot)],"rooms":[\#(rooms ?? room)]\#(extra),"mentors":[{"id":"m","age":14\#(mentor)}],"mentees":[{"id":"e","age":12\#(mentee)}]}"#
    }

    @Test func validTimetableReads() throws {
        let json = cohort(extra: #","term":{"start":"2026-09-07","end":"2026-12-18","skipWeeks":["2026-10-28"]},"format":"pairs-in-room""#,
                          mentor: #","availability":["s1"],"unavailableDates":["2026-09-09"]"#, mentee: #","requireRoomFeatures":["Quiet"]"#)
        let (c, d) = try CohortReader.parse(Data(json.utf8), file: "c.json")
        #expect(d.isEmpty)
        let t = try #require(c.timetable)
        #expect(t.slots == [Slot(id: "s1", day: .wed, start: ClockTime("12:30")!, end: ClockTime("13:00")!, label: "Lunch")])
        #expect(t.rooms == [Room(id: "r1", name: "Library", capacity: 2, features: ["quiet"])])
        #expect(t.format == .pairsInRoom)
        #expect(t.term == Term(start: CalendarDate("2026-09-07")!, end: CalendarDate("2026-12-18")!, skipWeeks: [CalendarDate("2026-10-28")!]))
        #expect(c.mentors[0].availability == ["s1"])
        #expect(c.mentors[0].unavailableDates == [CalendarDate("2026-09-09")!])
        #expect(c.mentees[0].requireRoomFeatures == ["quiet"])
    }

    @Test func noSlotsMeansNoTimetable() throws {
        let (c, d) = try CohortReader.parse(Data(#"{"mentors":[{"id":"m","age":14}],"mentees":[{"id":"e","age":12}]}"#.utf8), file: "c.json")
        #expect(d.isEmpty && c.timetable == nil)
        #expect(try problems(#"{"rooms":[],"term":{},"mentors":[{"id":"m","age":14,"availability":["a"]}],"mentees":[]}"#) == [
            #"c.json: $.rooms: needs "slots": a cohort without slots is matched without a timetable"#,
            #"c.json: $.term: needs "slots": a cohort without slots is matched without a timetable"#,
            #"c.json: $.mentors[0].availability: needs "slots" in the cohort"#,
        ])
    }

    @Test func badSlots() throws {
        let p = try problems(cohort(slots: #"{"id":"a","day":"wed","start":"12:30","end":"12:00"},{"id":"a","day":"x","start":"1230","end":"13:00"},{"id":"b","day":"fri","start":"25:00"},{"day":"mon"}"#))
        #expect(p == [
            "c.json: $.slots[0].end: must be after start (12:30), found 12:00",
            #"c.json: $.slots[1].id: duplicate slot id "a" (first used at $.slots[0].id)"#,
            #"c.json: $.slots[1].day: must be one of mon, tue, wed, thu, fri, sat, sun, found "x""#,
            #"c.json: $.slots[1].start: must be a time "HH:MM" (24-hour clock), found "1230""#,
            #"c.json: $.slots[2].start: must be a time "HH:MM" (24-hour clock), found "25:00""#,
            #"c.json: $.slots[2].end: missing (a time "HH:MM")"#,
            "c.json: $.slots[3].id: missing id",
        ])
    }

    @Test func badRooms() throws {
        let p = try problems(cohort(rooms: #"{"id":"r","capacity":0,"availability":["zz"]},{"id":"r"},{"name":"x","colour":"red"}"#))
        #expect(p == [
            "c.json: $.rooms[0].capacity: must be at least 1, found 0",
            #"c.json: $.rooms[0].availability[0]: unknown slot id "zz""#,
            #"c.json: $.rooms[1].id: duplicate room id "r" (first used at $.rooms[0].id)"#,
            "c.json: $.rooms[2].colour: unknown setting; expected one of id, name, capacity, features, availability",
            "c.json: $.rooms[2].id: missing id",
        ])
        #expect(try problems(#"{"slots":[\#(slot)],"mentors":[],"mentees":[]}"#) == [#"c.json: $.rooms: missing: a cohort with slots needs at least one room"#])
    }

    @Test func badTerm() throws {
        #expect(try problems(cohort(extra: #","term":{"start":"2026-12-18","end":"2026-09-07"}"#)) == [
            "c.json: $.term.end: is before the start (2026-12-18), found 2026-09-07",
        ])
        #expect(try problems(cohort(extra: #","term":{"start":"2026-02-30","skipWeeks":["nope","2027-06-01"],"sessionsPerWeek":3}"#)) == [
            #"c.json: $.term.start: must be a date "YYYY-MM-DD", found "2026-02-30""#,
            #"c.json: $.term.end: missing (a date "YYYY-MM-DD")"#,
            #"c.json: $.term.skipWeeks[0]: must be a date "YYYY-MM-DD", found "nope""#,
            "c.json: $.term.sessionsPerWeek: is 3, but there are only 1 slots",
        ])
        #expect(try problems(cohort(extra: #","term":{"start":"2026-09-07","end":"2026-12-18","skipWeeks":["2027-06-01"]}"#)) == [
            "c.json: $.term.skipWeeks[0]: warning: 2027-06-01 is in a week outside the term (2026-09-07 to 2026-12-18)",
        ])
        #expect(try problems(cohort(extra: #","format":"triad""#)) == [
            #"c.json: $.format: must be one of one-to-one, pairs-in-room, group, found "triad""#,
        ])
    }

    @Test func badPersonFields() throws {
        let p = try problems(cohort(extra: #","term":{"start":"2026-09-07","end":"2026-12-18"}"#,
                                    mentor: #","availability":["q"],"requireRoomFeatures":["quiet"]"#,
                                    mentee: #","availability":[],"unavailableDates":["2026-13-01","2027-01-05"],"requireRoomFeatures":["lift"]"#))
        #expect(p == [
            #"c.json: $.mentors[0].availability[0]: unknown slot id "q""#,
            "c.json: $.mentors[0].requireRoomFeatures: only mentees may require room features",
            "c.json: $.mentees[0].availability: warning: is empty: e can make no slot and cannot be matched",
            "c.json: $.mentees[0].requireRoomFeatures: warning: no room has lift: e cannot be matched",
            #"c.json: $.mentees[0].unavailableDates[0]: must be a date "YYYY-MM-DD", found "2026-13-01""#,
            "c.json: $.mentees[0].unavailableDates[1]: warning: 2027-01-05 is outside the term (2026-09-07 to 2026-12-18)",
        ])
    }

    @Test func badLocksAndHistory() throws {
        let p = try problems(cohort(slots: slot + #",{"id":"s2","day":"fri","start":"08:40","end":"09:00"}"#,
                                    rooms: room + #",{"id":"r2","availability":["s2"]}"#,
                                    extra: #","locked":[{"mentor":"m","mentee":"e","room":"r1"}],"history":[{"mentor":"e","mentee":"gone"}]"#))
        #expect(p == [
            "c.json: $.locked[0].room: a locked room needs a locked slot too",
            #"c.json: $.history[0].mentor: "e" is a mentee, not a mentor"#,
            #"c.json: $.history[0].mentee: warning: "gone" is not in this cohort; the entry is ignored"#,
        ])
        let q = try problems(cohort(slots: slot + #",{"id":"s2","day":"fri","start":"08:40","end":"09:00"}"#,
                                    rooms: room + #",{"id":"r2","availability":["s2"]}"#,
                                    extra: #","locked":[{"mentor":"m","mentee":"e","slot":"s1","room":"r2"},{"mentor":"m","mentee":"e","slot":"zz"}]"#,
                                    mentor: #","capacity":2,"availability":["s2"]"#, mentee: #","requireRoomFeatures":["quiet"]"#))
        #expect(q == [
            #"c.json: $.locked[0].slot: m (m) is not available at slot "s1""#,
            #"c.json: $.locked[0].room: room "r2" is not free at slot "s1""#,
            #"c.json: $.locked[0].room: room "r2" lacks quiet, which e needs"#,
            #"c.json: $.locked[1].mentee: "e" is already locked at $.locked[0]"#,
        ])
    }

    @Test func timetablePolicyKeys() throws {
        let p = try PolicyReader.parse("timetable:\n  preferredSlots: [{slot: Lunch, bonus: 5}]\n  mentorDays: 0\nrotation: avoidRepeat\n", file: "p.yaml")
        #expect(p.timetable.preferredSlots == [.init(slot: "Lunch", bonus: 5)])
        #expect(p.timetable.mentorDays == 0 && p.timetable.roomSharing == 1)
        #expect(p.rotation == .avoidRepeat)
        do { _ = try PolicyReader.parse("timetable:\n  preferredSlots: [{bonus: 5}]\n  roomSharing: -1\n  spread: 2\nrotation: sometimes\n", file: "p.yaml") } catch {
            let text = "\(error)"
            #expect(text.contains("p.yaml: $.timetable.spread: unknown setting; expected one of preferredSlots, mentorDays, roomSharing"))
            #expect(text.contains("p.yaml: $.timetable.roomSharing: must be a weight from 0 to 10000, found -1"))
            #expect(text.contains("p.yaml: $.timetable.preferredSlots[0].slot: missing (a slot id or label)"))
            #expect(text.contains(#"p.yaml: $.rotation: must be one of keep, avoidRepeat, ignore, found "sometimes""#))
        }
    }

    /// A generated timetabled cohort written by CohortWriter reads back the same.
    @Test func writerRoundTrip() throws {
        var cohort = CohortGenerator(mentees: 150, seed: 4, slots: 12, rooms: 4).generate()
        cohort.locked = [LockedPair(mentor: "m1", mentee: "e1", slot: nil)]
        cohort.history = [HistoryPair(mentor: "m2", mentee: "e2", term: "summer")]
        let text = CohortWriter.json(cohort).rendered()
        let (back, d) = try CohortReader.parse(Data(text.utf8), file: "c.json", policy: {
            var p = Policy()   // every pair rule off: only the reading is tested
            p.ageGap.mode = .off; p.genderPreference = .off; p.sameGroup = .ignore; p.requiredQualifications = .off; p.exclusions = .off
            return p
        }())
        #expect(d.filter { $0.severity == .error }.isEmpty, "\(d)")
        #expect(back.timetable == cohort.timetable)
        #expect(back.mentors.map(\.availability) == cohort.mentors.map(\.availability))
        #expect(back.mentees.map(\.availability) == cohort.mentees.map(\.availability))
        #expect(back.mentees.map(\.requireRoomFeatures) == cohort.mentees.map(\.requireRoomFeatures))
        #expect((back.mentors + back.mentees).map(\.unavailableDates) == (cohort.mentors + cohort.mentees).map(\.unavailableDates))
        #expect(back.history == cohort.history && back.locked == cohort.locked)
        #expect(cohort.timetable?.slots.map(\.id).prefix(6) == ["mon-lunch", "tue-lunch", "wed-lunch", "thu-lunch", "fri-lunch", "mon-am"])
        #expect(cohort.mentees.contains { !$0.requireRoomFeatures.isEmpty })
    }

    @Test func datesAndClock() {
        #expect(CalendarDate("2024-02-29") != nil && CalendarDate("2023-02-29") == nil && CalendarDate("2026-9-07") == nil)
        #expect(CalendarDate("2026-09-07")!.weekday == .mon)
        #expect(CalendarDate("2000-01-01")!.weekday == .sat)
        #expect(CalendarDate(dayNumber: CalendarDate("1969-12-31")!.dayNumber).description == "1969-12-31")
        #expect(CalendarDate("2026-09-13")!.weekStart.description == "2026-09-07")
        #expect(ClockTime("9:05")?.description == "09:05" && ClockTime("24:00") == nil && ClockTime("12:5") == nil)
        // A term from Monday 7 September to Friday 23 October 2026, Wednesdays, half term week of 30 September skipped.
        let term = Term(start: CalendarDate("2026-09-07")!, end: CalendarDate("2026-10-23")!, skipWeeks: [CalendarDate("2026-10-02")!])
        let away = Person(id: "e", role: .mentee, name: "Ada", unavailableDates: [CalendarDate("2026-10-14")!])
        let (dates, skipped) = TermCalendar.sessions(term, days: [.wed], people: [away])
        #expect(dates.map(\.description) == ["2026-09-09", "2026-09-16", "2026-09-23", "2026-10-07", "2026-10-21"])
        #expect(skipped == [SkippedDate(date: CalendarDate("2026-09-30")!, reason: "skipped week"),
                            SkippedDate(date: CalendarDate("2026-10-14")!, reason: "Ada (e) is unavailable")])
    }
}
