import Foundation
import Testing
@testable import PeerMatch
@testable import PeerMatchStore
@testable import PeerMatchWeb

/// The withdrawal plan in words: what changes for each person, and who is left without a partner.
@Suite struct WithdrawalWordsTests {
    let term: TermID = "2026-autumn"
    let names: [PersonID: String] = ["m1": "Maya Chen", "m2": "Ben Ross", "m3": "Dan Smith", "e1": "Ava Hill", "e2": "Harry Jones", "e3": "Isla Park", "e4": "Leo Ward"]

    func plan(person: PersonID, role: Role, ended: [(PersonID, PersonID)], changes: [Change]) -> WithdrawalPlan {
        WithdrawalPlan(term: term, person: person, name: names[person]!, role: role, date: CalendarDate("2026-10-12")!, reason: .movedAway,
                       note: nil, maxChanges: 1, revision: 1, ended: ended.map { PairRef(term: term, mentor: $0.0, mentee: $0.1) }, dropped: [],
                       changes: changes, matchedBefore: 4, matchedAfter: 3, notes: [], planID: "p")
    }

    func words(_ p: WithdrawalPlan, before: [(PersonID, PersonID)]) -> WithdrawalWords {
        WithdrawalWords(plan: p, before: before.map { PairRef(term: term, mentor: $0.0, mentee: $0.1) },
                        name: { names[$0] ?? $0.rawValue }, session: { $0.map { "\($0.slot) in \($0.room)" }.joined(separator: " and ") })
    }

    @Test func aMentorLeavesOneMenteeRehomedOneLeftWithout() {
        // Maya (m1) has Ava and Harry; Ava goes to Ben, Harry gets nobody; Dan's session moves.
        let p = plan(person: "m1", role: .mentor, ended: [("m1", "e1"), ("m1", "e2")], changes: [
            Change(kind: .added, mentor: "m2", mentee: "e1", before: [], after: [Session(slot: "tue", room: "library")], reason: "freed by the withdrawal", counted: true),
            Change(kind: .moved, mentor: "m3", mentee: "e3", before: [Session(slot: "tue", room: "library")], after: [Session(slot: "thu", room: "hall")], reason: "room needed", counted: true),
        ])
        let w = words(p, before: [("m1", "e1"), ("m1", "e2"), ("m2", "e4"), ("m3", "e3")])
        let lines = Dictionary(uniqueKeysWithValues: w.people.map { ($0.name, $0.text) })
        #expect(lines["Maya Chen"] == "leaves on Mon 12 Oct 2026 (moved away); 2 mentees → none (no longer with Ava Hill and Harry Jones)")
        #expect(lines["Ava Hill"] == "with Maya Chen → with Ben Ross")
        #expect(lines["Harry Jones"] == "with Maya Chen → no mentor")
        #expect(lines["Ben Ross"] == "1 mentee → 2 mentees (now with Ava Hill)")
        #expect(lines["Isla Park"] == "meets Dan Smith thu in hall instead of tue in library")
        #expect(lines["Dan Smith"] == "meets Isla Park thu in hall instead of tue in library")
        #expect(lines["Leo Ward"] == nil, "untouched people are not listed")
        #expect(w.leftWithout == [.init(name: "Harry Jones", text: "mentee, has no mentor after this (was with Maya Chen): no free mentor fits every rule")])
    }

    @Test func aMenteeLeavesAndTheirMentorIsLeftWithout() {
        let p = plan(person: "e4", role: .mentee, ended: [("m2", "e4")], changes: [])
        let w = words(p, before: [("m1", "e1"), ("m2", "e4")])
        #expect(w.people == [.init(name: "Ben Ross", text: "1 mentee → none (no longer with Leo Ward)"),
                             .init(name: "Leo Ward", text: "leaves on Mon 12 Oct 2026 (moved away); with Ben Ross → no mentor")])
        #expect(w.leftWithout == [.init(name: "Ben Ross", text: "mentor, has no mentee after this (was with Leo Ward)")])
    }
}
