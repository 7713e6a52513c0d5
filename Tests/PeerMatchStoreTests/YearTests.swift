import Foundation
import Testing
import PeerMatch
@testable import PeerMatchStore

/// A co-ordinator's whole year on the fixture school (Tests/PeerMatchStoreTests/Fixtures/year):
/// two terms, imports, matching, approving and declining, a withdrawal with a cap on changes, a
/// register with misses that review picks up, an ending "do not pair again" that the next term's
/// match respects, outcomes, and the report's figures, each worked out by hand in the comments.
@Suite struct YearTests {
    let sam = Actor("sam")
    func d(_ s: String) -> CalendarDate { CalendarDate(s)! }

    @Test func wholeYear() throws {
        let s = try TempScheme()
        let store = s.store
        let autumn: TermID = "2026-autumn", spring: TermID = "2027-spring"
        // Nothing is ever deleted: after every step, no table has fewer rows than before.
        let tables = ["term", "person", "person_version", "import_batch", "import_draft", "import_draft_file", "exclusion", "match_run",
                      "pair", "pair_event", "withdrawal", "session_record", "outcome", "mentor_hours", "audit"]
        var tableRows: [String: Int] = [:]
        func noneDeleted(_ step: String) throws {
            for t in tables {
                let n = try count(store, t)
                #expect(n >= tableRows[t, default: 0], "\(step): \(t) went from \(tableRows[t, default: 0]) to \(n) rows")
                tableRows[t] = n
            }
        }
        try Fixture.autumn(s)
        try noneDeleted("import")

        // --- First match. Ella and Isla want a female mentor (Asha m1 or Chloe m3); Chloe is free
        // only on Thursdays, Ben (m2) only on Tuesdays and is excluded from Jack (e6, neighbours).
        // Chloe can hold one session at a time, so at most 5 of 6 are matched; Jack is left out.
        try store.match(term: autumn, by: sam)
        var m = try store.proposals(term: autumn)
        #expect(m.pairs.map { "\($0.ref)@\($0.sessions.map(\.slot).joined())" }
                == ["m1:e1@thu-lunch", "m1:e5@tue-lunch", "m2:e2@tue-lunch", "m3:e3@thu-lunch", "m4:e4@tue-lunch"])
        #expect(m.unmatched.map(\.id) == ["e6"])

        // --- Approve four, decline Dan with Harry: the second run keeps the four and gives Dan to
        // Jack on Thursday; Harry (his only compatible mentor with a free place is Dan) is unmatched.
        func ref(_ text: String, _ term: TermID = "2026-autumn") throws -> PairRef { try store.pairRef(text, term: term) }
        try store.approve([try ref("m1:e1"), try ref("m1:e5"), try ref("m2:e2"), try ref("m3:e3")], by: sam)
        try store.decline([try ref("m4:e4")], by: sam, note: "mentor's request")
        let second = try store.match(term: autumn, by: sam)
        #expect(second.kept == 4 && second.proposed == 1)
        m = try store.proposals(term: autumn)
        #expect(m.pairs(in: [.proposed]).map(\.ref.description) == ["m4:e6"])
        #expect(m.unmatched.map(\.id) == ["e4"])
        try store.approve([try ref("e6")], by: sam)
        try noneDeleted("second match")

        // --- The register for weeks 1-7 (7 Sep to 23 Oct): every session held except Finn's three
        // misses in a row, one cancelled session and one missed by Jack's mentor.
        var rows = ["date,mentor,mentee,outcome,minutes,note"]
        let tuesdays = ["2026-09-08", "2026-09-15", "2026-09-22", "2026-09-29", "2026-10-06", "2026-10-13", "2026-10-20"]
        let thursdays = ["2026-09-10", "2026-09-17", "2026-09-24", "2026-10-01", "2026-10-08", "2026-10-15", "2026-10-22"]
        for t in tuesdays {
            rows.append("\(t),m1,e5,held,,")
            rows.append("\(t),m2,e2,\(["2026-09-22", "2026-09-29", "2026-10-06"].contains(t) ? "missed by mentee" : "held"),,")
        }
        for t in thursdays {
            rows.append("\(t),m1,e1,held,,")
            rows.append("\(t),m3,e3,\(t == "2026-10-01" ? "cancelled" : "held"),,\(t == "2026-10-01" ? "trip" : "")")
            rows.append("\(t),m4,e6,\(t == "2026-10-08" ? "missed-by-mentor" : "held"),,")
        }
        let register = ImportFile(name: "register-autumn.csv", data: Data(rows.joined(separator: "\n").utf8))
        let recorded = try store.importRegister(term: autumn, csv: register, by: sam)
        #expect(recorded.added == 35 && recorded.activated.count == 5)
        // The same register again records nothing.
        #expect(try store.importRegister(term: autumn, csv: register, by: sam).unchanged == 35)
        try noneDeleted("register")

        // --- Review: Finn missed 3 in a row and attended 4 of 7 (57%); Jack 6 of 7 (86%) and
        // Grace 6 of 6 (the cancelled session does not count) are fine. Asha agreed 45 minutes a
        // week and meets two mentees for 30 minutes each: over in all 7 weeks.
        try store.setAgreedHours(term: autumn, mentor: "m1", minutesPerWeek: 45, by: sam)
        let review = try store.review(term: autumn)
        #expect(review.map { "\($0.kind.rawValue) \($0.pair?.description ?? $0.person.rawValue)" }
                == ["missed-in-a-row m2:e2", "low-attendance m2:e2", "mentor-over-hours m1"])
        #expect(review[0].value == 3 && review[0].message.contains("2026-09-22, 2026-09-29, 2026-10-06"))
        #expect(abs(review[1].value - 4.0 / 7.0) < 1e-12)
        #expect(review[2].message.contains("in 7 weeks") && review[2].value == 60)

        // --- Harry can now come on Thursdays only. Isla withdraws on 2 November: Asha has a place,
        // but on Thursday she meets Ella. With no change allowed Harry stays unmatched; with one,
        // Ella moves to Tuesday (Room 12, where Isla was) and Harry takes Thursday in the Library.
        let updated = try store.importSpreadsheets(term: autumn, files: ImportFiles(
            mentors: try Fixture.file("year/autumn-mentors.csv"),
            mentees: ImportFile(name: "mentees-nov.csv", data: Data(String(decoding: try Fixture.file("year/autumn-mentees.csv").data, as: UTF8.self)
                .replacingOccurrences(of: "maths,7A,tue-lunch;thu-lunch", with: "maths,7A,thu-lunch").utf8))), by: sam)
        #expect(updated.updated.map(\.id) == ["e4"] && updated.updated[0].changes.map(\.field) == ["availability"])
        let none = try store.planWithdrawal(person: "e5", term: autumn, date: d("2026-11-02"))
        #expect(none.ended.map(\.description) == ["m1:e5"] && none.changes.isEmpty && none.matchedAfter == 4)
        let one = try store.planWithdrawal(person: "e5", term: autumn, date: d("2026-11-02"), maxChanges: 1)
        #expect(one.changes.map { "\($0.kind.rawValue) \($0.mentor):\($0.mentee) \($0.after.map { "\($0.slot)@\($0.room)" }) \($0.counted)" }
                == ["moved m1:e1 [\"tue-lunch@room-12\"] true", "added m1:e4 [\"thu-lunch@library\"] false"])
        #expect(one.matchedAfter == 5)
        try store.applyWithdrawal(one, by: sam)
        try noneDeleted("withdrawal")
        m = try store.proposals(term: autumn)
        let ella = m.pairs.first { $0.ref.mentee == "e1" }!
        #expect(ella.state == .active && ella.sessions == [Session(slot: "tue-lunch", room: "room-12")])
        // Ella's dates: Thursdays until the move, Tuesdays from 2 November (half term skipped).
        #expect(ella.dates.map(\.description) == thursdays + ["2026-11-03", "2026-11-10", "2026-11-17", "2026-11-24", "2026-12-01", "2026-12-08", "2026-12-15"])
        let isla = m.pairs.first { $0.ref.mentee == "e5" }!
        #expect(isla.state == .ended && isla.endReason == .other && isla.endDate == d("2026-11-02"))
        #expect(m.pairs.first { $0.ref.mentee == "e4" && $0.state == .proposed }?.ref.mentor == "m1")
        // A plan made before a later change is refused.
        let stale = try store.planWithdrawal(person: "e6", term: autumn, date: d("2026-12-01"))
        try store.approve([try ref("m1:e4")], by: sam)
        #expect { try store.applyWithdrawal(stale, by: sam) } throws: { ($0 as? StoreError)?.kind == .conflict }
        try store.record([SessionRecordInput(pair: try ref("m1:e4"), date: d("2026-11-05"), outcome: .held),
                          SessionRecordInput(pair: try ref("m1:e4"), date: d("2026-11-12"), outcome: .held)], by: sam)

        // --- Grace and Chloe fall out: ended, not to be paired again.
        try store.end(try ref("m3:e3"), reason: .conflict, note: "fell out", noRepeat: true, date: d("2026-11-20"), by: sam)
        try noneDeleted("ending")

        // --- SWEMWBS for matched mentees: Ella 20 → 25, Finn 20 → 24, Grace 18 → 19; Jack has a pre score only.
        try store.recordOutcomes([
            OutcomeInput(term: autumn, person: "e1", measure: "swemwbs", phase: .pre, date: d("2026-09-08"), items: [3, 3, 3, 2, 3, 3, 3]),
            OutcomeInput(term: autumn, person: "e1", measure: "SWEMWBS", phase: .post, date: d("2026-12-10"), items: [4, 4, 3, 3, 4, 4, 3]),
            OutcomeInput(term: autumn, person: "e2", measure: "swemwbs", phase: .pre, date: d("2026-09-08"), total: 20),
            OutcomeInput(term: autumn, person: "e2", measure: "swemwbs", phase: .post, date: d("2026-12-10"), total: 24),
            OutcomeInput(term: autumn, person: "e3", measure: "swemwbs", phase: .pre, date: d("2026-09-08"), total: 18),
            OutcomeInput(term: autumn, person: "e3", measure: "swemwbs", phase: .post, date: d("2026-12-10"), total: 19),
            OutcomeInput(term: autumn, person: "e6", measure: "swemwbs", phase: .pre, date: d("2026-09-10"), total: 22),
        ], by: sam)
        #expect(throws: StoreError.self) {   // 8 items, and an item out of range: nothing written
            try store.recordOutcome(OutcomeInput(term: autumn, person: "e4", measure: "swemwbs", phase: .pre, date: d("2026-09-08"), items: [1, 2, 3, 4, 5, 1, 2, 3]), by: sam)
        }
        #expect(throws: StoreError.self) {
            try store.recordOutcome(OutcomeInput(term: autumn, person: "e4", measure: "swemwbs", phase: .pre, date: d("2026-09-08"), items: [1, 2, 3, 4, 6, 1, 2]), by: sam)
        }

        // --- The autumn report, by hand.
        let r = try store.report(term: autumn)
        #expect(r.mentees == 6 && r.matchedMentees == 6 && r.matchedShare == 1)
        #expect(r.pairsByState == [.active: 4, .ended: 2, .declined: 1])
        // Records: 35 + Harry's 2; held 30 + 2; Finn's 3 misses; 1 missed by Jack's mentor; 1 cancelled.
        #expect(r.sessions.recorded == 37 && r.sessions.held == 32 && r.sessions.missedByMentee == 3
                && r.sessions.missedByMentor == 1 && r.sessions.cancelled == 1 && r.sessions.closure == 0)
        #expect(abs(r.sessions.attendance! - 32.0 / 36.0) < 1e-12)
        // Planned (14 Tuesdays and 14 Thursdays; half term skipped): Ella 7 Thu + 7 Tue, Isla 7 Tue
        // to 2 Nov, Finn 14, Grace 10 Thu to 20 Nov, Jack 14, Harry 7 Thu from 2 Nov; Dan and
        // Harry's declined pair none: 66.
        #expect(r.sessions.planned == 66)
        let week21 = r.weeks.first { $0.weekStart == d("2026-09-21") }!.sessions
        #expect(week21.held == 4 && week21.missedByMentee == 1 && week21.attendance == 0.8)
        #expect(r.weeks.first { $0.weekStart == d("2026-10-26") }!.skipped)
        // 30 minutes a held session (the slot's length): Asha 7 + 7 + 2, Ben 4, Chloe 6, Dan 6.
        #expect(r.mentorHours.map { "\($0.id) \($0.minutes)" } == ["m1 480", "m2 120", "m3 180", "m4 180"])
        #expect(r.totalMinutes == 960)
        #expect(r.endings == [.conflict: 1, .other: 1] && r.endedNoRepeat == 1 && r.withdrawals == 1)
        // Changes +5, +4, +1: mean 10/3, s = √(13/3), interval ± t(0.975, 2) · s/√3 = ± 4.3027 · 1.2019.
        let change = try #require(r.outcomes.first { $0.group == .matched })
        #expect(change.n == 3 && change.unpaired == 1)
        #expect(abs(change.meanChange! - 10.0 / 3) < 1e-9 && abs(change.preMean! - 58.0 / 3) < 1e-9 && abs(change.postMean! - 68.0 / 3) < 1e-9)
        #expect(abs(change.low! - (-1.8381)) < 1e-3 && abs(change.high! - 8.5047) < 1e-3)
        #expect(!r.outcomes.contains { $0.group == .notMatched })
        let csv = TermReportCSV.render(r)
        #expect(csv.contains("people,matched share,1.0000,6,,,\n") && csv.contains("sessions,attendance,0.8889,36,"))
        #expect(csv.contains("outcome,swemwbs matched,3.33,3,-1.84,8.50,"))

        // --- Spring: the sheets name the same people (Jack has left, Kai has joined).
        try store.addTerm(id: spring, name: "Spring 2027", setup: try Fixture.setup("year/spring-setup.yaml"), by: sam)
        let springImport = try store.importSpreadsheets(term: spring, files: ImportFiles(
            mentors: try Fixture.file("year/spring-mentors.csv"), mentees: try Fixture.file("year/spring-mentees.csv")), by: sam)
        #expect(springImport.added.count == 10 && springImport.returning.count == 9 && !springImport.returning.contains("e7"))
        try store.match(term: spring, by: sam)
        try noneDeleted("spring match")
        let sp = try store.proposals(term: spring)
        let live = sp.pairs(in: PairState.live)
        // Chloe and Grace (ended, do not pair again) and Dan and Harry (declined) are never proposed,
        // though Grace can only come on Thursdays, Chloe's only day.
        #expect(!live.contains { $0.ref.mentor == "m3" && $0.ref.mentee == "e3" })
        #expect(!live.contains { $0.ref.mentor == "m4" && $0.ref.mentee == "e4" })
        let why = try store.whyNot(term: spring, mentor: "m3", mentee: "e3")
        #expect(why.breaches.map(\.rule) == ["exclusion"] && why.breaches[0].text.contains("do not pair again"))
        #expect(try store.whyNot(term: spring, mentor: "m4", mentee: "e4").breaches.first?.text.contains("declined in 2026-autumn") == true)
        // Rotation (the default policy keeps earlier pairs where it can): Finn stays with Ben.
        #expect(live.contains { $0.ref.mentor == "m2" && $0.ref.mentee == "e2" })

        // --- Outcomes in spring for a matched and an unmatched mentee: the report keeps the groups apart.
        let unmatched = try #require(sp.unmatched.first).id
        let matchedMentee = live[0].ref.mentee
        try store.recordOutcomes([
            OutcomeInput(term: spring, person: unmatched, measure: "swemwbs", phase: .pre, date: d("2027-01-05"), total: 21),
            OutcomeInput(term: spring, person: unmatched, measure: "swemwbs", phase: .post, date: d("2027-03-20"), total: 20),
            OutcomeInput(term: spring, person: matchedMentee, measure: "swemwbs", phase: .pre, date: d("2027-01-05"), total: 19),
            OutcomeInput(term: spring, person: matchedMentee, measure: "swemwbs", phase: .post, date: d("2027-03-20"), total: 23),
        ], by: sam)
        try store.approve(live.map(\.ref), by: sam)
        try noneDeleted("spring approve")
        let sr = try store.report(term: spring)
        #expect(sr.outcomes.map { "\($0.group.rawValue) \($0.n) \($0.meanChange.map(formatNumber) ?? "")" } == ["matched 1 4", "not-matched 1 -1"])
        #expect(sr.outcomes.allSatisfy { $0.low == nil })   // n = 1: no interval

        // Every write left exactly one audit row (refused calls none); nothing was deleted.
        let audit = try store.audit(limit: 1000, offset: 0)
        #expect(audit.count == (try store.revision))
        #expect(Set(audit.map(\.revision)).count == audit.count)
        #expect(try count(store, "person_version", "superseded_at IS NOT NULL") == 1)   // Harry's earlier availability
    }
}
