import Foundation
import Testing
@testable import PeerMatch

/// Re-matching mid-term, rotation between terms, and unmatched reasons about time and space.
@Suite struct RematchTests {
    static let wed = Slot(id: "wed", day: .wed, start: ClockTime("12:30")!, end: ClockTime("13:00")!, label: "Lunch")
    static let fri = Slot(id: "fri", day: .fri, start: ClockTime("08:40")!, end: ClockTime("09:00")!, label: "Tutor time")
    static let term = Term(start: CalendarDate("2026-09-07")!, end: CalendarDate("2026-10-23")!, skipWeeks: [CalendarDate("2026-09-30")!])

    func mentor(_ id: String, _ cap: Int = 1, _ slots: [String]? = nil) -> Person {
        Person(id: PersonID(id), role: .mentor, age: 14, capacity: cap, availability: slots)
    }
    func mentee(_ id: String, _ slots: [String]? = nil, interests: [String] = []) -> Person {
        Person(id: PersonID(id), role: .mentee, age: 12, interests: interests, availability: slots)
    }

    /// The result as written, read back as the previous result.
    func roundTrip(_ r: MatchResult) throws -> PreviousResult {
        try PreviousResult.parse(Data(ResultWriter.json(r, timings: false).rendered().utf8), file: "previous.json")
    }

    func sessions(_ r: MatchResult) -> [String: [Session]] {
        Dictionary(uniqueKeysWithValues: r.pairs.map { ("\($0.mentor)-\($0.mentee)", $0.sessions) })
    }

    /// A mentor withdraws: their mentee moves to a mentor with a free place; every other pair and
    /// session stays exactly where it was, and the changes say so.
    @Test func withdrawalChangesOnlyWhatItMust() throws {
        let setup = TimetableSetup(slots: [Self.wed, Self.fri], rooms: [Room(id: "lib", capacity: 3), Room(id: "r2", capacity: 1)],
                                   term: Self.term, format: .pairsInRoom)
        let mentors = [mentor("m1", 2), mentor("m2", 1), mentor("m3", 2), mentor("m4", 1)]
        let mentees = (1...5).map { mentee("e\($0)") }
        let before = try Matcher().match(Cohort(mentors: mentors, mentees: mentees, timetable: setup))
        #expect(before.matched == 5 && before.status == .optimal)
        let gone = try #require(before.pairs.first { $0.mentor == "m2" })
        var after = Cohort(mentors: mentors.filter { $0.id != "m2" }, mentees: mentees, timetable: setup)
        let result = try Matcher().match(after, previous: try roundTrip(before))
        #expect(result.matched == 5)
        let old = sessions(before), new = sessions(result)
        for (key, s) in old where !key.hasPrefix("m2-") { #expect(new[key] == s, "\(key) moved") }
        let changes = try #require(result.timetable?.changes)
        #expect(changes.filter(\.counted).isEmpty)
        #expect(changes.count == 2)
        #expect(changes.contains { $0.kind == .removed && $0.mentor == "m2" && $0.mentee == gone.mentee
                                   && $0.reason == "m2 is no longer in the cohort" && !$0.counted })
        #expect(changes.contains { $0.kind == .added && $0.mentee == gone.mentee && $0.reason == "\(gone.mentee) moves to a new mentor" })
        #expect(independentTimetableViolations(result, after).isEmpty)

        // The library room is lost: its pairs must move, and only they do.
        after.timetable!.rooms = [Room(id: "r2", capacity: 1), Room(id: "hall", capacity: 4)]
        let moved = try Matcher().match(after, previous: try roundTrip(result))
        for (key, s) in sessions(result) where s.allSatisfy({ $0.room != "lib" }) { #expect(sessions(moved)[key] == s) }
        let libPairs = result.pairs.filter { $0.sessions.contains { $0.room == "lib" } }.count
        #expect(moved.timetable?.changes?.filter { $0.kind == .moved && $0.reason.contains("room \"lib\" no longer exists") }.count == libPairs)
        #expect(moved.timetable?.changes?.filter(\.counted).isEmpty == true)
        #expect(independentTimetableViolations(moved, after).isEmpty)
    }

    /// One room, one-to-one: a joiner can only meet at the slot an existing pair holds. With no
    /// changes allowed they stay unmatched (and the reason says the room is full); with one change
    /// the existing pair moves to its other slot and the joiner gets the room.
    @Test func maxChangesIsRespected() throws {
        let setup = TimetableSetup(slots: [Self.wed, Self.fri], rooms: [Room(id: "r1", capacity: 3)], term: Self.term, format: .oneToOne)
        let first = Cohort(mentors: [mentor("m1")], mentees: [mentee("e1")], timetable: setup)
        var policy = Policy(); policy.timetable.preferredSlots = [.init(slot: "Lunch", bonus: 5)]
        let before = try Matcher(policy: policy).match(first)
        #expect(before.pairs.map(\.sessions) == [[Session(slot: "wed", room: "r1")]])
        let joined = Cohort(mentors: [mentor("m1"), mentor("m2", 1, ["wed"])], mentees: [mentee("e1"), mentee("e2", ["wed"])], timetable: setup)
        let previous = try roundTrip(before)

        let none = try Matcher(policy: policy).match(joined, previous: previous)
        #expect(none.matched == 1)
        #expect(sessions(none)["m1-e1"] == [Session(slot: "wed", room: "r1")])
        #expect(none.unmatched.first { $0.id == "e2" }?.reasons == ["all rooms full at their only common slot (Wednesday 12:30–13:00 (Lunch))"])
        #expect(none.timetable?.changes == [])

        let one = try Matcher(policy: policy).match(joined, previous: previous, maxChanges: 1)
        #expect(one.matched == 2)
        #expect(sessions(one)["m1-e1"] == [Session(slot: "fri", room: "r1")])
        #expect(sessions(one)["m2-e2"] == [Session(slot: "wed", room: "r1")])
        let changes = try #require(one.timetable?.changes)
        #expect(changes.map(\.kind) == [.moved, .added])
        #expect(changes[0].counted && !changes[1].counted)
        #expect(changes[0].reason == "changed to match more mentees, or mentees of higher priority (allowed by --max-changes 1)")
        #expect(changes[0].before == [Session(slot: "wed", room: "r1")] && changes[0].after == [Session(slot: "fri", room: "r1")])
        #expect(independentTimetableViolations(one, joined).isEmpty)
        let text = ResultWriter.render(one, cohort: joined, format: .table)
        #expect(text.contains("Changes from the previous result (1 counted of at most 1)"))
    }

    /// Hundreds of random withdrawals: every previous pair whose people are still there keeps its
    /// sessions (nothing else may change with --max-changes 0), and the timetable keeps every rule.
    @Test func randomWithdrawalsKeepEverythingElse() throws {
        for seed in UInt64(1)...UInt64(120) {
            var gen = RandomCohorts(seed: seed + 9000)
            var cohort = gen.timetabledCohort(mentors: 4, mentees: 8, slots: 4, rooms: 2)
            cohort.history = []
            var policy = gen.timetablePolicy(slots: 4); policy.mentorMinimum.count = 0
            let before = try Matcher(policy: policy).match(cohort)
            guard let leaving = before.pairs.first?.mentor else { continue }
            cohort.mentors.removeAll { $0.id == leaving }
            let after = try Matcher(policy: policy).match(cohort, previous: try roundTrip(before))
            let old = sessions(before), new = sessions(after)
            for pair in before.pairs where pair.mentor != leaving {
                #expect(new["\(pair.mentor)-\(pair.mentee)"] == old["\(pair.mentor)-\(pair.mentee)"], "seed \(seed)")
            }
            #expect(after.timetable?.changes?.filter(\.counted).isEmpty == true, "seed \(seed)")
            #expect(after.matched >= before.matched - before.pairs.filter { $0.mentor == leaving }.count)
            #expect(independentTimetableViolations(after, cohort).isEmpty, "seed \(seed)")
        }
    }

    @Test func badPreviousFiles() throws {
        #expect(throws: InputError.self) { try PreviousResult.parse(Data(#"{"mentors":[]}"#.utf8), file: "p.json") }
        do { _ = try PreviousResult.parse(Data(#"{"mentors":[]}"#.utf8), file: "p.json") } catch {
            #expect("\(error)" == #"p.json: is not a peermatch result (no "status" and "pairs"); pass the JSON that solve wrote"#)
        }
        do { _ = try PreviousResult.parse(Data(#"{"status":"optimal","pairs":[{"mentor":"m"},{"mentor":"m","mentee":"e","sessions":[{"slot":"s"}]}]}"#.utf8), file: "p.json") } catch {
            #expect("\(error)" == "p.json: $.pairs[0].mentee: missing\np.json: $.pairs[1].sessions[0]: needs \"slot\" and \"room\"")
        }
        let plain = Cohort(mentors: [mentor("m1")], mentees: [mentee("e1")])
        // Cohorts without slots re-match too (this used to be refused).
        #expect(try Matcher().match(plain, previous: PreviousResult(pairs: [])).timetable?.changes?.map(\.kind) == [.added])
        let setup = TimetableSetup(slots: [Self.wed], rooms: [Room(id: "r1")])
        let untimed = PreviousResult(pairs: [.init(mentor: "m1", mentee: "e1", sessions: [])])
        do { _ = try Matcher().match(Cohort(mentors: [mentor("m1")], mentees: [mentee("e1")], timetable: setup), previous: untimed) } catch {
            #expect("\(error)" == "previous pair (m1, e1) has no slot and room, but this cohort is timetabled")
        }
    }

    /// Rotation: `avoidRepeat` never re-forms an earlier pair; `keep` keeps it even when another
    /// pairing scores higher.
    @Test func rotation() throws {
        let setup = TimetableSetup(slots: [Self.wed], rooms: [Room(id: "r1", capacity: 2)], format: .pairsInRoom)
        let cohort = Cohort(mentors: [Person(id: "m1", role: .mentor, age: 14, interests: ["art"]), Person(id: "m2", role: .mentor, age: 14)],
                            mentees: [mentee("e1", interests: ["art"]), mentee("e2")], timetable: setup,
                            history: [HistoryPair(mentor: "m2", mentee: "e1", term: "summer 2026")])
        var policy = Policy()
        policy.rotation = .keep
        let kept = try Matcher(policy: policy).match(cohort)
        #expect(kept.pairs.contains { $0.mentor == "m2" && $0.mentee == "e1" && $0.reasons.first == "kept together from an earlier term" })
        policy.rotation = .ignore
        #expect(try Matcher(policy: policy).match(cohort).pairs.contains { $0.mentor == "m1" && $0.mentee == "e1" })
        policy.rotation = .avoidRepeat
        let rotated = try Matcher(policy: policy).match(cohort)
        #expect(!rotated.pairs.contains { $0.mentor == "m2" && $0.mentee == "e1" })
        let solo = Cohort(mentors: [mentor("m2")], mentees: [mentee("e1")], history: cohort.history)
        #expect(try Matcher(policy: policy).match(solo).unmatched.first { $0.id == "e1" }?.reasons
                == ["already paired with every mentor in an earlier term"])
        let rows = CandidatesWriter.rows(cohort: solo, policy: policy, includeRejected: true)
        #expect("\(rows)".contains("already paired in an earlier term (summer 2026), and the policy rotates partners"))
    }

    @Test func roomsAsTheLimitIsAShortfall() throws {
        let setup = TimetableSetup(slots: [Self.wed], rooms: [Room(id: "r1", capacity: 5)], format: .oneToOne)
        let r = try Matcher().match(Cohort(mentors: [mentor("m1"), mentor("m2")], mentees: [mentee("e1"), mentee("e2")], timetable: setup))
        #expect(r.matched == 1)
        #expect(r.shortfalls.first == "the rooms hold at most 1 pair a week at their free slots, and all are used: more rooms or slots would let more pairs meet")
        #expect(r.unmatched.first { $0.role == .mentee }?.reasons == ["all rooms full at their only common slot (Wednesday 12:30–13:00 (Lunch))"])
    }

    @Test func noCommonSlotIsSaid() throws {
        let setup = TimetableSetup(slots: [Self.wed, Self.fri], rooms: [Room(id: "r1")])
        let cohort = Cohort(mentors: [mentor("m1", 1, ["wed"])], mentees: [mentee("e1", ["fri"])], timetable: setup)
        let r = try Matcher().match(cohort)
        #expect(r.matched == 0)
        #expect(r.unmatched.first { $0.id == "e1" }?.reasons == ["no common free slot with any compatible mentor (1 compatible)"])
        #expect(r.unmatched.first { $0.id == "m1" }?.reasons == ["no common free slot with any compatible mentee (1 compatible)"])
    }

    /// Two sessions a week need two common slots; a mentor with a common slot but no place left is named.
    @Test func reasonsWithTwoSessionsAWeek() throws {
        var term = Self.term; term.sessionsPerWeek = 2
        let setup = TimetableSetup(slots: [Self.wed, Self.fri], rooms: [Room(id: "r1", capacity: 4)], term: term, format: .pairsInRoom)
        let cohort = Cohort(mentors: [mentor("m1", 1), mentor("m2", 1, ["fri"])], mentees: [mentee("e1"), mentee("e2"), mentee("e3", ["wed"])],
                            timetable: setup)
        let r = try Matcher().match(cohort)
        #expect(r.matched == 1)
        #expect(r.pairs[0].sessions == [Session(slot: "wed", room: "r1"), Session(slot: "fri", room: "r1")])
        #expect(r.pairs[0].dates.count == 12)   // 7 Wednesdays and 7 Fridays, half term dropped
        let unmatched = Dictionary(uniqueKeysWithValues: r.unmatched.map { ($0.id, $0.reasons) })
        let other = unmatched["e1"] == nil ? "e2" : "e1"
        #expect(unmatched[PersonID(other)] == ["the only compatible mentor with a common free slot, m1, is full",
                                                "1 other compatible mentor has not enough common free slots for 2 sessions a week"])
        #expect(unmatched["e3"] == ["not enough common free slots for 2 sessions a week with any compatible mentor (2 compatible)"])
        #expect(unmatched["m2"] == ["not enough common free slots for 2 sessions a week with any compatible mentee (3 compatible)"])
        #expect(independentTimetableViolations(r, cohort).isEmpty)
    }
}
