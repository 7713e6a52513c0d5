import Foundation
import Testing
@testable import PeerMatch

/// ``TimetableChecker/meetings(_:touching:)``: a change checked against the meetings it can
/// touch gets the answer the whole timetable's check gives, whenever the rest keeps every rule.
@Suite struct TimetableCheckerTests {
    /// Random small timetabled cohorts (every format, overlapping slots, room capacities, features
    /// and availability, people's availability), a timetable `others` grown meeting by meeting
    /// while it keeps every rule, and a random changed meeting (often one that breaks a rule):
    /// the check of `changed` with the touching meetings says what the check with all of them says.
    /// (A timetable that already breaks a rule breaks it with any meeting added.)
    @Test func aChangeCheckedAgainstWhatItTouchesGetsTheWholeTimetablesAnswer() throws {
        var gen = RandomCohorts(seed: 5_545)
        var cases = 0, fits = 0, breaks = 0, smaller = 0, broken = 0
        for _ in 0..<400 {
            let nSlots = gen.rng.int(in: 1...4), nRooms = gen.rng.int(in: 1...3)
            var cohort = gen.timetabledCohort(mentors: gen.rng.int(in: 1...4), mentees: gen.rng.int(in: 1...6), slots: nSlots, rooms: nRooms,
                                              sessionsPerWeek: gen.rng.chance(0.2) ? 2 : 1)
            for i in cohort.mentors.indices { cohort.mentors[i].capacity = gen.rng.int(in: 1...3) }
            let policy = Policy()
            let checker = try TimetableChecker(cohort: cohort, policy: policy)
            let setup = cohort.timetable!
            let k = setup.sessionsPerWeek
            func randomMeeting() -> TimetableChecker.Meeting {
                let m = cohort.mentors[gen.rng.int(cohort.mentors.count)].id, e = cohort.mentees[gen.rng.int(cohort.mentees.count)].id
                let sessions = (0..<k).map { _ in Session(slot: setup.slots[gen.rng.int(nSlots)].id, room: setup.rooms[gen.rng.int(nRooms)].id) }
                return TimetableChecker.Meeting(mentor: m, mentee: e, sessions: sessions)
            }
            var others: [TimetableChecker.Meeting] = []
            for _ in 0..<12 {
                let m = randomMeeting()
                if checker.violations(others + [m]).isEmpty { others.append(m) }
            }
            try #require(checker.violations(others).isEmpty)
            // And a timetable of random meetings: a rule it breaks stays broken whatever is added
            // (why the store offers no place at all when the rest of the timetable breaks one).
            let dirty = (0..<gen.rng.int(in: 1...8)).map { _ in randomMeeting() }
            let dirtyBreaks = !checker.violations(dirty).isEmpty
            for _ in 0..<6 {
                // One changed meeting, sometimes two (a swap), sometimes one of `others` moved.
                var changed = [randomMeeting()]
                if gen.rng.chance(0.2) { changed.append(randomMeeting()) }
                var rest = others
                if !rest.isEmpty && gen.rng.chance(0.4) {
                    let n = gen.rng.int(rest.count)
                    changed[0].mentor = rest[n].mentor; changed[0].mentee = rest[n].mentee
                    rest.remove(at: n)
                }
                let near = checker.meetings(rest, touching: changed)
                #expect(near.allSatisfy { rest.contains($0) })
                let whole = checker.violations(rest + changed).isEmpty
                #expect(checker.violations(near + changed).isEmpty == whole, "\(changed) with \(rest), touching \(near)")
                if dirtyBreaks {
                    #expect(!checker.violations(dirty + changed).isEmpty && !checker.violations(changed + dirty).isEmpty, "\(dirty) + \(changed)")
                    broken += 1
                }
                cases += 1
                if whole { fits += 1 } else { breaks += 1 }
                if near.count < rest.count { smaller += 1 }
            }
        }
        // Both answers were met many times, and the touching meetings were often fewer.
        #expect(cases == 2_400 && fits > 200 && breaks > 200 && smaller > 200 && broken > 200,
                "\(fits) fit, \(breaks) break, \(smaller) smaller, \(broken) broken")
    }

    /// What touches a meeting: its mentor's and mentee's meetings, and the same room at the same
    /// or an overlapping slot; not the same room at a slot apart, nor another room.
    @Test func touchingIsSamePersonOrSameRoomAtOverlappingSlots() throws {
        var cohort = Cohort(mentors: ["m1", "m2", "m3"].map { Person(id: PersonID($0), role: .mentor) },
                            mentees: ["e1", "e2", "e3", "e4"].map { Person(id: PersonID($0), role: .mentee) })
        for i in cohort.mentors.indices { cohort.mentors[i].capacity = 2 }
        cohort.timetable = TimetableSetup(
            slots: [Slot(id: "a", day: .mon, start: ClockTime("12:00")!, end: ClockTime("12:45")!),
                    Slot(id: "b", day: .mon, start: ClockTime("12:30")!, end: ClockTime("13:00")!),
                    Slot(id: "c", day: .mon, start: ClockTime("15:00")!, end: ClockTime("16:00")!)],
            rooms: [Room(id: "r1", name: "One", capacity: 2), Room(id: "r2", name: "Two", capacity: 2)],
            term: Term(start: CalendarDate("2026-09-07")!, end: CalendarDate("2026-10-09")!, skipWeeks: [], sessionsPerWeek: 1), format: .pairsInRoom)
        let checker = try TimetableChecker(cohort: cohort, policy: Policy())
        func meeting(_ m: String, _ e: String, _ slot: String, _ room: String) -> TimetableChecker.Meeting {
            TimetableChecker.Meeting(mentor: PersonID(m), mentee: PersonID(e), sessions: [Session(slot: slot, room: room)])
        }
        let sameMentor = meeting("m1", "e2", "c", "r2"), overlapping = meeting("m2", "e3", "b", "r1")
        let apart = meeting("m3", "e4", "c", "r1"), otherRoom = meeting("m3", "e4", "b", "r2")
        let changed = [meeting("m1", "e1", "a", "r1")]
        #expect(checker.meetings([sameMentor, overlapping, apart, otherRoom], touching: changed) == [sameMentor, overlapping])
        #expect(checker.meetings([meeting("m2", "e1", "c", "r2")], touching: changed).count == 1)
        #expect(checker.meetings([meeting("m2", "e2", "a", "r1")], touching: changed).count == 1)
    }
}
