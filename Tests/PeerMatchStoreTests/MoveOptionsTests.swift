import Foundation
import GRDB
import PeerMatch
import Testing
@testable import PeerMatchStore

/// The move form's places (``SchemeStore/moveOptions(_:from:)``) check each place against the
/// meetings a move there can touch; here they are compared with the whole timetable checked for
/// every slot and room (the check they replaced), on random small timetabled terms.
@Suite struct MoveOptionsTests {
    static let sam = TempScheme.sam

    /// Every slot and room where the whole term's timetable, with this session moved there, keeps
    /// every rule: the core's check of all the live pairs' meetings, once for each place.
    static func wholeTimetableOptions(_ store: SchemeStore, _ pair: PairRef, from: Session) throws -> [Session] {
        try store.read { db in
            let (p, setup, checker, meetings) = try store.moveContext(db, pair)
            var out: [Session] = []
            for slot in setup.slots {
                for room in setup.rooms {
                    let to = Session(slot: slot.id, room: room.id)
                    if to != from && p.sessions.contains(to) { continue }
                    let moved = meetings.map { m in
                        m.mentor == p.mentor && m.mentee == p.mentee
                            ? TimetableChecker.Meeting(mentor: m.mentor, mentee: m.mentee, sessions: m.sessions.map { $0 == from ? to : $0 }) : m
                    }
                    if checker.violations(moved).isEmpty { out.append(to) }
                }
            }
            return out
        }
    }

    struct Term {
        var setup: String
        var mentors: String
        var mentees: String
    }

    /// A random small term: 1–4 slots on two days (some overlapping), 1–3 rooms with capacities,
    /// a feature and sometimes availability, a random format, people free at random slots,
    /// some mentees needing the quiet room.
    static func randomTerm(_ rng: inout SeededRandom, slots nSlots: Int, twice: Bool) -> Term {
        let starts = ["12:00", "12:30", "15:30"], ends = ["12:45", "13:00", "16:30"]
        let slots = (0..<nSlots).map { "s\($0)" }
        func some() -> String {
            let pick = slots.filter { _ in rng.chance(0.6) }
            return (pick.isEmpty ? [slots[rng.int(nSlots)]] : pick).joined(separator: ";")
        }
        var yaml = "term: { start: \"2026-09-07\", end: \"2026-10-16\", sessionsPerWeek: \(twice ? 2 : 1) }\nslots:\n"
        for s in slots {
            let t = rng.int(3)
            yaml += "  - { id: \(s), day: \(rng.chance(0.6) ? "tue" : "wed"), start: \"\(starts[t])\", end: \"\(ends[t])\" }\n"
        }
        yaml += "rooms:\n"
        for r in 0..<rng.int(in: 1...3) {
            var room = "  - { id: r\(r), name: Room \(r), capacity: \(rng.int(in: 1...3))"
            if rng.chance(0.5) { room += ", features: [quiet]" }
            if rng.chance(0.3) { room += ", availability: [\(some().replacingOccurrences(of: ";", with: ", "))]" }
            yaml += room + " }\n"
        }
        yaml += "format: \(["one-to-one", "pairs-in-room", "group"][rng.int(3)])\n"
        var mentors = "ID,Name,Year group,Gender,Interests,Offers,Capacity,Group,Availability\n"
        for i in 0..<rng.int(in: 2...4) {
            mentors += "m\(i),Mentor \(i),10,\(rng.chance(0.5) ? "female" : "male"),art;music,maths,\(rng.int(in: 1...3)),10A,\(some())\n"
        }
        var mentees = "ID,Name,Year group,Gender,Gender preference,Interests,Needs,Group,Availability,Room needs\n"
        for j in 0..<rng.int(in: 2...7) {
            mentees += "e\(j),Mentee \(j),7,\(rng.chance(0.5) ? "female" : "male"),,art,maths,7A,\(some()),\(rng.chance(0.25) ? "quiet" : "")\n"
        }
        return Term(setup: yaml, mentors: mentors, mentees: mentees)
    }

    @Test func theMoveFormOffersWhatTheWholeTimetablesCheckOffers() throws {
        var rng = SeededRandom(seed: 3_151)
        var compared = 0, offered = 0, refused = 0
        for n in 0..<30 {
            let s = try TempScheme()
            let nSlots = rng.int(in: 1...4)
            let t = Self.randomTerm(&rng, slots: nSlots, twice: nSlots >= 2 && rng.chance(0.25))
            let term = TermID("t\(n)")
            try s.store.addTerm(id: term, name: "Term \(n)", setup: try TermSetupInput.parse(Data(t.setup.utf8), file: "setup.yaml"), by: Self.sam)
            _ = try s.store.importSpreadsheets(term: term, files: ImportFiles(
                mentors: ImportFile(name: "mentors.csv", data: Data(t.mentors.utf8)),
                mentees: ImportFile(name: "mentees.csv", data: Data(t.mentees.utf8))), by: Self.sam)
            try s.store.match(term: term, by: Self.sam)
            // Compare every live pair's every session, move one at random, and compare again.
            for _ in 0..<4 {
                var moves: [(PairRef, Session, Session)] = []
                for p in try s.store.proposals(term: term).pairs where PairState.live.contains(p.state) && !p.locked {
                    for from in p.sessions {
                        let options = try s.store.moveOptions(p.ref, from: from)
                        let whole = try Self.wholeTimetableOptions(s.store, p.ref, from: from)
                        #expect(options.map(\.session) == whole, "\(p.ref) from \(from) in\n\(t.setup)\(t.mentors)\(t.mentees)")
                        #expect(options.filter(\.current).map(\.session) == (whole.contains(from) ? [from] : []))
                        compared += 1
                        offered += whole.filter { $0 != from }.count
                        refused += nSlots * (t.setup.components(separatedBy: "  - { id: r").count - 1) - whole.count
                        moves += whole.filter { $0 != from }.map { (p.ref, from, $0) }
                    }
                }
                guard !moves.isEmpty else { break }
                let (pair, from, to) = moves[rng.int(moves.count)]
                try s.store.moveSession(pair, from: from, to: to, by: Self.sam)
            }
        }
        #expect(compared > 100 && offered > 60 && refused > 100, "\(compared) compared, \(offered) offered, \(refused) refused")
    }
}
