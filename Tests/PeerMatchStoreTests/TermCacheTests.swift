import Foundation
import Testing
import PeerMatch
@testable import PeerMatchStore

/// The per-revision cache of built terms (`TermCache`): repeated one-pair questions build the
/// term once, and any write between two questions changes the answer (never a stale one), from
/// this process or another.
@Suite struct TermCacheTests {
    let sam = TempScheme.sam
    let term: TermID = "2026-autumn"

    func matchedAutumn() throws -> TempScheme {
        let s = try TempScheme()
        try Fixture.autumn(s)
        try s.store.match(term: term, by: sam)
        return s
    }

    /// A preference for someone no longer in the term's cohort (here a mentor who withdrew) is
    /// dropped from the list with a warning, and the rest of the list still counts; a list naming
    /// only the cohort's people is kept as it is.
    @Test func preferencesForPeopleWhoLeftAreDropped() throws {
        let s = try TempScheme()
        try s.store.addTerm(id: term, name: "Autumn 2026", setup: try Fixture.setup("year/autumn-setup.yaml"), by: sam)
        let lines = String(decoding: try Fixture.file("year/autumn-mentees.csv").data, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: true)
        let mentees = ([lines[0] + ",Preferences"] + lines.dropFirst().enumerated().map { k, line in
            line + (k == 0 ? ",m2;m1" : k == 1 ? ",m1" : ",")
        }).joined(separator: "\n") + "\n"
        _ = try s.store.importSpreadsheets(term: term, files: ImportFiles(
            mentors: try Fixture.file("year/autumn-mentors.csv"), mentees: ImportFile(name: "mentees.csv", data: Data(mentees.utf8))), by: sam)
        try s.store.match(term: term, by: sam)
        let plan = try s.store.planWithdrawal(person: "m2", term: term, date: try #require(CalendarDate("2026-10-05")))
        _ = try s.store.applyWithdrawal(plan, by: sam)
        let built = try s.store.read { db in try TermCohort.build(db, store: s.store, term: term) }
        #expect(built.cohort.person("m2") == nil)
        let first = try #require(built.cohort.mentees.first { $0.id == "e1" }), second = try #require(built.cohort.mentees.first { $0.id == "e2" })
        #expect(first.preferences == [["m1"]], "\(first.preferences)")
        #expect(second.preferences == [["m1"]], "\(second.preferences)")
        #expect(built.warnings.contains { $0.hasPrefix("e1: preferences for m2 dropped") }, "\(built.warnings)")
        #expect(!built.warnings.contains { $0.hasPrefix("e2: preferences") }, "\(built.warnings)")
    }

    /// The byte search that finds a stored person's preferences key agrees with Foundation's
    /// `contains` on random text over a small alphabet (so near matches and overlaps are common).
    @Test func theByteSearchAgreesWithContains() {
        var rng = SeededRandom(seed: 11)
        let alphabet = Array("\"prefsénc")
        for _ in 0..<3000 {
            let text = String((0..<rng.int(in: 0...40)).map { _ in alphabet[rng.int(alphabet.count)] })
            let key = String((0..<rng.int(in: 1...4)).map { _ in alphabet[rng.int(alphabet.count)] })
            var t = text
            #expect(t.withUTF8 { TermCohort.holds($0, Array(key.utf8)) } == text.contains(key), "\(text) / \(key)")
        }
        var stored = #"{"id":"e1","preferences":["m1"]}"#
        #expect(stored.withUTF8 { TermCohort.holds($0, Array("\"preferences\"".utf8)) })
    }

    @Test func repeatedQuestionsBuildTheTermOnce() throws {
        let s = try matchedAutumn()
        let before = s.store.termCacheCounts
        let first = try s.store.whyNot(term: term, mentor: "m4", mentee: "e3")
        let again = try s.store.whyNot(term: term, mentor: "m4", mentee: "e3")
        _ = try s.store.previewSwap(term: term, menteeA: "e2", menteeB: "e4")
        _ = try s.store.moveOptions(try s.store.pairRef("m1:e1", term: term))
        let after = s.store.termCacheCounts
        #expect(first == again)
        #expect(after.builds - before.builds == 1, "\(before) → \(after)")
        #expect(after.hits - before.hits >= 3)
        // The answers are those of a fresh store (no cache) on the same file.
        let fresh = try s.reopen()
        #expect(try fresh.whyNot(term: term, mentor: "m4", mentee: "e3") == first)
        #expect(try fresh.previewSwap(term: term, menteeA: "e2", menteeB: "e4") == s.store.previewSwap(term: term, menteeA: "e2", menteeB: "e4"))
    }

    @Test func aWriteBetweenTwoQuestionsChangesTheAnswer() throws {
        let s = try matchedAutumn()
        // Dan (m4) is full with Harry; after Dan's pair is declined he is not.
        let full = try s.store.whyNot(term: term, mentor: "m4", mentee: "e3")
        #expect(full.mentorLoad == 1 && full.summary.contains("is full"))
        try s.store.decline([try s.store.pairRef("m4:e4", term: term)], by: sam, note: "test")
        let freed = try s.store.whyNot(term: term, mentor: "m4", mentee: "e3")
        #expect(freed.mentorLoad == 0 && !freed.summary.contains("is full"))
        // And the declined pair is now ruled out by a hard rule (declined: never again).
        #expect(try s.store.whyNot(term: term, mentor: "m4", mentee: "e4").breaches.map(\.rule) == ["exclusion"])
    }

    /// The term's cohort as the cache holds it, and as a fresh read of the whole text gives it.
    func cohorts(_ s: TempScheme) throws -> (cached: TermCohort, fresh: TermCohort) {
        try s.store.read { db in (try s.store.builtTerm(db, term: term).built, try TermCohort.build(db, store: s.store, term: term)) }
    }

    @Test func aChangeThatTouchesNoPersonKeepsTheReadCohort() throws {
        let s = try matchedAutumn()
        let first = try cohorts(s)
        #expect(first.cached.reused == .nothing && first.cached.cohort == first.fresh.cohort)
        // Approving (a timetabled term: approved pairs are a previous result, not locks) and
        // moving a session leave the cohort text as it was: the whole cohort is taken over,
        // with the pairs as they are now.
        let pairs = try s.store.proposals(term: term).pairs.map(\.ref)
        try s.store.approve(pairs, by: sam)
        let approved = try cohorts(s)
        #expect(approved.cached.reused == .whole)
        #expect(approved.cached.cohort == approved.fresh.cohort)
        #expect(approved.cached.livePairs == approved.fresh.livePairs && approved.cached.keptPairs == approved.fresh.keptPairs)
        #expect(approved.cached.livePairs.allSatisfy { $0.state == .approved })
        let ref = try s.store.pairRef("m4:e4", term: term)
        try s.store.moveSession(ref, from: Session(slot: "tue-lunch", room: "library"), to: Session(slot: "thu-lunch", room: "library"), by: sam)
        #expect(try s.store.moveOptions(ref).first { $0.current }?.session == Session(slot: "thu-lunch", room: "library"))
        let moved = try cohorts(s)
        #expect(moved.cached.reused == .whole && moved.cached.livePairs == moved.fresh.livePairs)
        // Declining adds an exclusion: the people are kept, the exclusions are the new ones, and
        // every answer is the one a store without a cache gives.
        try s.store.decline([ref], by: sam, note: "test")
        let declined = try cohorts(s)
        #expect(declined.cached.reused == .people)
        #expect(declined.cached.cohort == declined.fresh.cohort)
        #expect(declined.cached.cohort.exclusions.contains { $0.a == "m4" && $0.b == "e4" })
        #expect(try s.store.whyNot(term: term, mentor: "m4", mentee: "e4").breaches.map(\.rule) == ["exclusion"])
        let fresh = try s.reopen()
        for (m, e) in [("m4", "e4"), ("m4", "e3"), ("m1", "e1"), ("m2", "e2")] {
            #expect(try s.store.whyNot(term: term, mentor: PersonID(m), mentee: PersonID(e)) == fresh.whyNot(term: term, mentor: PersonID(m), mentee: PersonID(e)))
        }
        #expect(try s.store.previewSwap(term: term, menteeA: "e1", menteeB: "e2") == fresh.previewSwap(term: term, menteeA: "e1", menteeB: "e2"))
        #expect(s.store.termCacheReuses == 3)
        // Locking changes the locks: the text is read again.
        try s.store.lock([try s.store.pairRef("m1:e1", term: term)], by: sam)
        let locked = try cohorts(s)
        #expect(locked.cached.reused == .nothing && locked.cached.cohort == locked.fresh.cohort)
    }

    @Test func aWriteByAnotherProcessIsSeenToo() throws {
        let s = try matchedAutumn()
        let other = try s.reopen()   // stands for another process: its own connections, its own cache
        let ref = try s.store.pairRef("m4:e4", term: term)
        let optionsBefore = try s.store.moveOptions(ref)
        #expect(optionsBefore.contains { $0.session == Session(slot: "thu-lunch", room: "library") })
        // The other store moves Dan and Harry to Thursday, Library: this store's next answer says
        // Thursday Library is now the current place, not the Tuesday it had cached.
        try other.moveSession(ref, from: Session(slot: "tue-lunch", room: "library"), to: Session(slot: "thu-lunch", room: "library"), by: sam)
        let optionsAfter = try s.store.moveOptions(ref)
        #expect(optionsAfter.first { $0.current }?.session == Session(slot: "thu-lunch", room: "library"))
        #expect(optionsBefore.first { $0.current }?.session == Session(slot: "tue-lunch", room: "library"))
        // The swap preview sees the moved session too.
        let preview = try s.store.previewSwap(term: term, menteeA: "e2", menteeB: "e4")
        #expect(preview.before[1].sessions == [Session(slot: "thu-lunch", room: "library")])
    }

    @Test func theCacheIsBoundedAndSafeFromManyThreads() throws {
        let cache = TermCache()
        let s = try matchedAutumn()
        let built = try s.store.read { db in try TermCohort.build(db, store: s.store, term: term) }
        // Many threads asking for the same key build it once.
        let builds = Counter()
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            _ = try? cache.entry(TermCache.Key(term: term, revision: 1)) { _ in builds.add(); Thread.sleep(forTimeInterval: 0.01); return built }
        }
        #expect(builds.value == 1)
        // A newer revision of a term replaces the older one; other terms are kept up to the capacity.
        _ = try cache.entry(TermCache.Key(term: term, revision: 2)) { _ in built }
        #expect(cache.count == 1)
        for k in 0..<5 { _ = try cache.entry(TermCache.Key(term: TermID("t\(k)"), revision: 2)) { _ in built } }
        #expect(cache.count == TermCache.capacity)
        #expect(cache.lookup(TermCache.Key(term: "t4", revision: 2)) != nil && cache.lookup(TermCache.Key(term: term, revision: 2)) == nil)
    }

    @Test func prepareWarmsTheCache() throws {
        let s = try matchedAutumn()
        try s.store.prepare(term: term)
        let warmed = s.store.termCacheCounts
        _ = try s.store.moveOptions(try s.store.pairRef("m1:e1", term: term))
        #expect(s.store.termCacheCounts.builds == warmed.builds)
    }
}

/// The import draft's analysis, kept per revision (`DraftCache`).
@Suite struct DraftCacheTests {
    let sam = TempScheme.sam

    @Test func aDraftIsAnalysedOnceARevisionAndAgainAfterAnEdit() throws {
        let s = try TempScheme()
        try s.store.addTerm(id: "t", setup: TermSetupInput(start: CalendarDate("2026-09-07")!, end: CalendarDate("2026-12-18")!), by: sam)
        let draft = try s.store.stageImport(term: "t", files: ImportFiles(mentors: ImportFile(name: "m.csv", data: Data("id,age,capacity\nm1,15,2\n".utf8)),
                                                                          mentees: ImportFile(name: "e.csv", data: Data("id,age\ne1,12\ne2,twelve\n".utf8))), by: sam)
        #expect(!draft.canCommit)
        let hits = s.store.draftCacheHits
        let again = try s.store.importDraft(draft.id)
        #expect(s.store.draftCacheHits == hits + 1)
        #expect(again.errors.map(\.description) == draft.errors.map(\.description))
        // An edit (a write) between two views: the next view is analysed afresh and shows it.
        _ = try s.store.updateDraft(draft.id, cellEdits: [CellEdit(role: .mentees, line: 3, column: 2, value: "12")], by: sam)
        let fixed = try s.store.importDraft(draft.id)
        #expect(fixed.canCommit && fixed.errors.isEmpty && fixed.report.tables[.mentees]?.rows.last?.cells == ["e2", "12"])
        // A write elsewhere in the term (by another process) also makes it be analysed again: the
        // preview now counts the mentee the other process imported first.
        let other = try s.reopen()
        _ = try other.importSpreadsheets(term: "t", files: ImportFiles(mentors: ImportFile(name: "m0.csv", data: Data("id,age,capacity\nm1,15,2\n".utf8)),
                                                                       mentees: ImportFile(name: "e0.csv", data: Data("id,age\ne1,12\n".utf8))), by: sam)
        let later = try s.store.importDraft(draft.id)
        #expect(later.preview?.added.count != fixed.preview?.added.count, "\(String(describing: later.preview)) vs \(String(describing: fixed.preview))")
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.withLock { n += 1 } }
    var value: Int { lock.withLock { n } }
}
