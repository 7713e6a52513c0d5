import Foundation
import Testing
import PeerMatch
@testable import PeerMatchStore

/// The printable timetable after a session is moved (issue 11's bug): its reasons named the old
/// room, and its unmatched rows said only "not matched".
@Suite struct TimetablePrintTests {
    let sam = TempScheme.sam
    let term: TermID = "2026-autumn"

    @Test func aMovedSessionsReasonsNameTheNewPlaceAndTheUnmatchedKeepTheirReasons() throws {
        let s = try TempScheme()
        try Fixture.autumn(s)
        try s.store.match(term: term, by: sam)
        let dan = try s.store.pairRef("m4:e4", term: term)   // Tuesday, Library
        let tuesday = Session(slot: "tue-lunch", room: "library"), thursday = Session(slot: "thu-lunch", room: "library")
        let setup = try s.store.term(term).setup
        let before = try #require(try s.store.proposals(term: term).pairs.first { $0.ref == dan })
        #expect(before.reasons.contains { $0.hasPrefix("meets " + SchemeText.session(tuesday, setup: setup)) })
        try s.store.moveSession(dan, from: tuesday, to: thursday, from: CalendarDate("2026-10-01")!, by: sam)

        let view = try s.store.timetable(term: term)
        let reasons = try #require(view.pairs.first { $0.mentor.id == "m4" && $0.mentee.id == "e4" }).reasons
        #expect(!reasons.contains { $0.hasPrefix("meets " + SchemeText.session(tuesday, setup: setup)) }, "\(reasons)")
        #expect(reasons.contains("meets \(SchemeText.session(thursday, setup: setup)) (moved from \(SchemeText.session(tuesday, setup: setup)) from 2026-10-01)"),
                "\(reasons)")
        // The score reasons are untouched.
        #expect(reasons.filter { !$0.hasPrefix("meets " + SchemeText.slotText(setup.slots[0])) && !$0.hasPrefix("meets " + SchemeText.slotText(setup.slots[1])) }
                == before.reasons.filter { !$0.hasPrefix("meets " + SchemeText.slotText(setup.slots[0])) && !$0.hasPrefix("meets " + SchemeText.slotText(setup.slots[1])) })
        // Moving it back replaces the line again rather than adding a second one.
        try s.store.moveSession(dan, from: thursday, to: tuesday, from: CalendarDate("2026-10-08")!, by: sam)
        let back = try #require(try s.store.timetable(term: term).pairs.first { $0.mentor.id == "m4" && $0.mentee.id == "e4" }).reasons
        #expect(back.filter { $0.contains(" in Library") && $0.hasPrefix("meets ") }.count == 1, "\(back)")

        // The unmatched rows give the pairs page's reasons, and so does the printable page.
        let page = try s.store.proposals(term: term).unmatched
        #expect(!page.isEmpty)
        #expect(view.unmatched.map(\.person.id) == page.map(\.id))
        #expect(view.unmatched.map(\.reasons) == page.map(\.reasons))
        #expect(!view.unmatched.contains { $0.reasons == ["not matched"] })
        let html = try HTMLReport.render(view)
        #expect(html.contains("moved from"))
        for reason in page.flatMap(\.reasons) { #expect(html.contains(escapeHTML(reason)), "\(reason)") }
        // A print of approved pairs only: a mentee whose pair is still a proposal says so.
        let approvedOnly = try s.store.timetable(term: term, states: [.approved, .active])
        #expect(approvedOnly.unmatched.contains { $0.person.id == "e4" && $0.reasons.first?.contains("not yet approved") == true })
    }

    func escapeHTML(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
