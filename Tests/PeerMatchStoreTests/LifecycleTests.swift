import Foundation
import Testing
import PeerMatch
@testable import PeerMatchStore

@Suite struct LifecycleTests {
    @Test func createdFileIsPrivateAndRefusesAnExistingOne() throws {
        let s = try TempScheme()
        let mode = try FileManager.default.attributesOfItem(atPath: s.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: s.path + suffix) {
            #expect(try FileManager.default.attributesOfItem(atPath: s.path + suffix)[.posixPermissions] as? Int == 0o600, "\(suffix)")
        }
        #expect(throws: StoreError.self) { try SchemeStore.create(at: s.path, name: "again", by: TempScheme.sam) }
        let summary = try s.store.scheme()
        #expect(summary.name == "Northfield peer mentoring")
        #expect(summary.schemaVersion == Schema.version)
        #expect(summary.revision == 1)
        #expect(try s.store.audit(limit: 10, offset: 0).map(\.action) == ["init"])
    }

    @Test func openRefusesWhatIsNotAScheme() throws {
        let s = try TempScheme()
        let text = s.folder.appendingPathComponent("notes.txt").path
        try Data("hello".utf8).write(to: URL(fileURLWithPath: text))
        #expect { try SchemeStore.open(at: text) } throws: { ($0 as? StoreError)?.description.contains("not a PeerMatch scheme file") == true }
        #expect { try SchemeStore.open(at: s.folder.appendingPathComponent("none").path) } throws: { ($0 as? StoreError)?.kind == .notFound }
    }

    @Test func importThenMatchStoresProposalsWithReasons() throws {
        let s = try TempScheme()
        try Fixture.autumn(s)
        let term = try s.store.term("2026-autumn")
        #expect(term.summary.mentors == 4 && term.summary.mentees == 6)
        #expect(term.setup.slots.map(\.id) == ["tue-lunch", "thu-lunch"])
        let run = try s.store.match(term: "2026-autumn", by: TempScheme.sam)
        #expect(run.status == .optimal)
        let m = try s.store.proposals(term: "2026-autumn")
        #expect(m.pairs.count == run.matched && run.matched == 5)
        #expect(m.pairs.allSatisfy { $0.state == .proposed && !$0.reasons.isEmpty && $0.sessions.count == 1 })
        // The imported exclusion holds: neighbours m2 and e6 are never proposed.
        #expect(!m.pairs.contains { $0.ref.mentor == "m2" && $0.ref.mentee == "e6" })
        #expect(m.unmatched.map(\.id) == ["e6"])
        #expect(!m.unmatched[0].reasons.isEmpty)
    }

    @Test func approveDeclineLockEndWithTheirRules() throws {
        let s = try TempScheme()
        try Fixture.autumn(s)
        try s.store.match(term: "2026-autumn", by: TempScheme.sam)
        let pairs = try s.store.proposals(term: "2026-autumn").pairs
        let a = pairs[0].ref, b = pairs[1].ref
        try s.store.approve([a], by: TempScheme.sam)
        try s.store.approve([a], by: TempScheme.sam)   // again: no change, no error
        try s.store.decline([b], by: TempScheme.sam, note: "siblings' friend")
        // Ending a proposal is refused (decline it instead), and nothing of the call is written.
        let before = try s.store.revision
        #expect { try s.store.end(pairs[2].ref, reason: .conflict, date: CalendarDate("2026-10-01")!, by: TempScheme.sam) } throws: {
            ($0 as? StoreError)?.description.contains("decline it instead") == true
        }
        #expect(try s.store.revision == before)
        try s.store.lock([pairs[2].ref], by: TempScheme.sam)
        try s.store.end(a, reason: .goalsMet, note: "done", noRepeat: true, date: CalendarDate("2026-11-20")!, by: TempScheme.sam)
        let now = try s.store.proposals(term: "2026-autumn").pairs
        func state(_ r: PairRef) -> PairState? { now.first { $0.ref == r }?.state }
        #expect(state(a) == .ended && state(b) == .declined)
        #expect(now.first { $0.ref == pairs[2].ref }?.locked == true)
        let ended = now.first { $0.ref == a }!
        #expect(ended.endReason == .goalsMet && ended.noRepeat && ended.endDate == CalendarDate("2026-11-20"))
        #expect(ended.dates.allSatisfy { $0 <= CalendarDate("2026-11-20")! })
        // Declined and no-repeat pairs are exclusions; every write has an audit row.
        #expect(try count(s.store, "exclusion", "source = 'declined'") == 1)
        #expect(try count(s.store, "exclusion", "source = 'ended'") == 1)
        let actions = try s.store.audit(limit: 20, offset: 0).map(\.action)
        #expect(actions == ["end", "lock", "decline", "approve", "approve", "match", "import", "term.add", "init"])
    }

    @Test func rematchKeepsApprovedAndLockedAndNeverReproposesDeclined() throws {
        let s = try TempScheme()
        try Fixture.autumn(s)
        try s.store.match(term: "2026-autumn", by: TempScheme.sam)
        let first = try s.store.proposals(term: "2026-autumn").pairs
        try s.store.approve([first[0].ref], by: TempScheme.sam)
        try s.store.lock([first[1].ref], by: TempScheme.sam)
        try s.store.decline([first[2].ref], by: TempScheme.sam)
        let run = try s.store.match(term: "2026-autumn", by: TempScheme.sam)
        let second = try s.store.proposals(term: "2026-autumn").pairs
        let live = second.filter { PairState.live.contains($0.state) }
        #expect(live.contains { $0.ref == first[0].ref && $0.state == .approved && $0.sessions == first[0].sessions })
        #expect(live.contains { $0.ref == first[1].ref && $0.locked && $0.sessions == first[1].sessions })
        #expect(!live.contains { $0.ref == first[2].ref })
        #expect(second.contains { $0.ref == first[2].ref && $0.state == .declined })
        #expect(run.kept == 2)
        // Every mentee has at most one live pair; nothing was deleted.
        #expect(Set(live.map(\.ref.mentee)).count == live.count)
        #expect(try count(s.store, "pair") >= first.count)
    }
}
