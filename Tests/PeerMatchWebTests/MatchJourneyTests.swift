import Foundation
import PeerMatch
import Testing
@testable import PeerMatchStore
@testable import PeerMatchWeb

/// Handler tests for the scheme home, new term, upload, match with progress, and the review
/// actions, against a real server over a real scheme file.
@Suite(.serialized) struct MatchJourneyTests {
    static let term = SchemeFixture.term
    static let base = "/terms/2026-autumn"

    /// Presses Match and waits (bounded) for the run to end, as the progress page would.
    static func match(_ live: LiveSite) async throws {
        let r = try await live.post("\(base)/match", [])
        #expect(r.status == 303)
        #expect(r.header("Location") == "\(base)/match")
        for _ in 0..<600 {
            let s = try await live.get("\(base)/match/status").text
            if s.contains("\"running\": false") { return }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        Issue.record("the match did not finish in 30 s")
    }

    @Test func homeListsTermsAndAddsOne() async throws {
        let scheme = try SchemeFixture().withAutumn()
        let live = try await LiveSite.start(scheme)
        let home = try await live.get("/")
        #expect(home.status == 200)
        #expect(home.text.contains("<h1>Northfield peer mentoring</h1>"))
        #expect(home.text.contains("href=\"/terms/2026-autumn\">Autumn 2026</a>"))

        // Problems are listed, the typed values kept, nothing added.
        let bad = try await live.post("/terms", [("id", "2027-spring"), ("name", "Spring 2027"), ("start", "2027-01-04"), ("end", "2027-03-26"),
                                           ("slots", "Wed 12:30 Lunch"), ("rooms", "Library, four"), ("sessionsPerWeek", "1")])
        #expect(bad.status == 400)
        #expect(bad.text.contains("Slots, line 1: &quot;Wed 12:30 Lunch&quot; should read like"))
        #expect(bad.text.contains("Rooms, line 1: &quot;Library, four&quot;"))
        #expect(bad.text.contains("value=\"Spring 2027\""))
        #expect(bad.text.contains("<details class=\"timetable-setup\" open>"), "the typed timetable stays open to be fixed")
        #expect(try scheme.store.terms().count == 1)

        let ok = try await live.post("/terms", [("id", "2027-spring"), ("name", "Spring 2027"), ("start", "2027-01-04"), ("end", "2027-03-26"),
                                          ("skipWeeks", "2027-02-15"), ("slots", "Wed 12:30-13:00 Lunch\r\nFri 15:30-16:15 After school"),
                                          ("rooms", "Library, 3, quiet\r\nRoom 12"), ("format", "pairs-in-room"), ("sessionsPerWeek", "1"), ("policy", "balanced")])
        #expect(ok.status == 303)
        #expect(ok.header("Location") == "/terms/2027-spring/import")
        let spring = try scheme.store.term("2027-spring")
        #expect(spring.setup.slots.map(\.id) == ["wed-lunch", "fri-after"])
        #expect(spring.setup.slots.map { $0.label ?? "" } == ["Lunch", "After school"])
        #expect(spring.setup.rooms.map(\.name) == ["Library", "Room 12"])
        #expect(spring.setup.rooms.map(\.capacity) == [3, 1])
        #expect(spring.setup.rooms[0].features == ["quiet"])
        #expect(spring.setup.skipWeeks == [CalendarDate("2027-02-15")!])
        #expect(spring.setup.format == .pairsInRoom)
        #expect(spring.policySource == "preset balanced")
        #expect(try await live.get("/terms/2027-spring/import").text.contains("Term Spring 2027 added."))

        // The same id again is refused with the store's words.
        let again = try await live.post("/terms", [("id", "2027-spring"), ("start", "2027-01-04"), ("end", "2027-03-26")])
        #expect(again.status == 400)
        #expect(try scheme.store.terms().count == 2)

        let overview = try await live.get("/terms/2027-spring")
        #expect(overview.status == 200)
        #expect(overview.text.contains("Wednesday 12:30–13:00 Lunch"))
        #expect(try await live.get("/terms/nope").status == 404)
        await live.stop()
    }

    @Test func matchShowsProgressThenPairsWithReasons() async throws {
        let scheme = try SchemeFixture().withAutumn()
        let live = try await LiveSite.start(scheme)
        // Before any run: a Match button, no pairs.
        let before = try await live.get("\(Self.base)/matches")
        #expect(before.text.contains("id=\"match-button\">Match</button>"))
        #expect(before.text.contains("id=\"not-matched-yet\""))
        #expect(!before.text.contains("not matched yet: the term has no match run"), "one line, not a row a mentee")
        #expect(!before.text.contains("Swap two mentees"), "nobody to swap yet")
        #expect(try await live.get("\(Self.base)/match").status == 303)

        try await Self.match(live)
        let status = try await live.get("\(Self.base)/match/status")
        #expect(status.header("Content-Type")?.hasPrefix("application/json") == true)
        #expect(status.text.contains("\"stage\": \"Done\""))

        // The finished run is announced once, on the pairs page.
        let progress = try await live.get("\(Self.base)/match")
        #expect(progress.status == 303)
        #expect(progress.header("Location") == "\(Self.base)/matches")
        let page = try await live.get("\(Self.base)/matches").text
        #expect(page.contains("Matched "))
        #expect(!page.contains("id=\"not-matched-yet\"") && page.contains("Swap two mentees"))
        let second = try await live.get("\(Self.base)/matches").text
        #expect(!second.contains("<div class=\"flash\""))

        let stored = try scheme.store.proposals(term: Self.term)
        #expect(!stored.pairs.isEmpty)
        for p in stored.pairs {
            #expect(page.contains(Format.score(p.scoreHundredths)))
            for r in p.reasons { #expect(page.contains(HTMLEscape.text(r)), "reason \(r)") }
        }
        for u in stored.unmatched { #expect(page.contains(HTMLEscape.text(u.name))) }
        #expect(page.contains("id=\"match-button\">Re-match</button>"))
        // The pupil named <script> is shown as text.
        #expect(!page.contains("<script>alert"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        await live.stop()
    }

    @Test func eventsStreamProgressUntilDone() async throws {
        let scheme = try SchemeFixture().withAutumn()
        let live = try await LiveSite.start(scheme)
        #expect(try await live.get("\(Self.base)/match/events").status == 404)
        try await Self.match(live)
        let events = try await live.get("\(Self.base)/match/events")
        #expect(events.status == 200)
        #expect(events.header("Content-Type") == "text/event-stream")
        #expect(events.text.hasPrefix("event: done\ndata: {"))
        #expect(events.text.contains("\"running\": false"))
        await live.stop()
    }

    @Test func progressPageRefreshesWithoutScript() async throws {
        // A run that is still going shows stage and elapsed, and refreshes itself once a second.
        let jobs = MatchJobs()
        let scheme = try SchemeFixture().withAutumn()
        let job = jobs.start(term: Self.term, store: scheme.store, options: MatchOptions(), by: SchemeFixture.actor)
        let view = MatchPages.view(job)
        #expect(view["stage"] as? String == "Starting")
        #expect(view["running"] as? Bool == true)
        let live = try await LiveSite.start(scheme)
        _ = live.site.jobs.start(term: Self.term, store: scheme.store, options: MatchOptions(), by: SchemeFixture.actor)
        let page = try await live.get("\(Self.base)/match")
        if page.status == 200 {   // it may already be over on a fast machine
            #expect(page.text.contains("<noscript><meta http-equiv=\"refresh\" content=\"1\"></noscript>"))
            #expect(page.text.contains("id=\"match-elapsed\""))
            #expect(page.text.contains("data-events=\"\(Self.base)/match/events\""))
        }
        while jobs.snapshot(Self.term)?.running == true { try await Task.sleep(nanoseconds: 50_000_000) }
        while live.site.jobs.snapshot(Self.term)?.running == true { try await Task.sleep(nanoseconds: 50_000_000) }
        await live.stop()
    }

    @Test func approveLockDeclinePerPairAndInBulk() async throws {
        let scheme = try SchemeFixture().withAutumn()
        let live = try await LiveSite.start(scheme)
        try await Self.match(live)
        let pairs = try scheme.store.proposals(term: Self.term).pairs.sorted { $0.ref.mentee < $1.ref.mentee }
        #expect(pairs.count >= 3)
        let (a, b, c) = (pairs[0].ref, pairs[1].ref, pairs[2].ref)

        // One row's Approve button.
        let r1 = try await live.post("\(Self.base)/pairs", [("row", "approve \(PairsPage.key(a))")])
        #expect(r1.status == 303)
        #expect(try state(scheme, a) == .approved)
        #expect(try await live.get("\(Self.base)/matches").text.contains("Approved 1 pair."))

        // Ticked boxes, bulk Lock.
        let r2 = try await live.post("\(Self.base)/pairs", [("pair", PairsPage.key(b)), ("pair", PairsPage.key(c)), ("bulk", "lock"), ("scope", "ticked")])
        #expect(r2.status == 303)
        #expect(try scheme.store.proposals(term: Self.term).pairs.filter(\.locked).map(\.ref).sorted { $0.mentee < $1.mentee } == [b, c])
        #expect(try await live.post("\(Self.base)/pairs", [("bulk", "lock"), ("scope", "ticked")]).status == 400)

        // Unlock one.
        #expect(try await live.post("\(Self.base)/pairs", [("row", "unlock \(PairsPage.key(c))")]).status == 303)
        #expect(try scheme.store.proposals(term: Self.term).pairs.filter(\.locked).map(\.ref) == [b])

        // Decline goes through a page that says it is for good, then declines with the note.
        let d = try await live.post("\(Self.base)/pairs", [("row", "decline \(PairsPage.key(c))")])
        #expect(d.status == 303)
        let confirm = try await live.get(try #require(d.header("Location")))
        #expect(confirm.text.contains("never suggested again"))
        #expect(try state(scheme, c) == .proposed)
        #expect(try await live.post("\(Self.base)/decline", [("pair", PairsPage.key(c)), ("note", "siblings")]).status == 303)
        #expect(try state(scheme, c) == .declined)
        #expect(try scheme.store.audit(limit: 5).contains { $0.action.contains("decline") && $0.why == "siblings" })

        // "Every pair shown by this filter": approve every proposed pair.
        let r3 = try await live.post("\(Self.base)/pairs", [("bulk", "approve"), ("scope", "filter"), ("state", "proposed")])
        #expect(r3.status == 303)
        #expect(try scheme.store.proposals(term: Self.term).pairs.filter { $0.state == .proposed }.isEmpty)

        // Re-match keeps approved and locked pairs, never brings back the declined one.
        try await Self.match(live)
        let after = try scheme.store.proposals(term: Self.term).pairs
        #expect(after.contains { $0.ref == a && $0.state == .approved })
        #expect(after.contains { $0.ref == b && $0.locked })
        #expect(!after.contains { $0.ref == c && $0.state != .declined })

        // Filters.
        let declined = try await live.get("\(Self.base)/matches?state=declined").text
        #expect(declined.contains("Pairs (1 shown of"))
        let named = try await live.get("\(Self.base)/matches?state=all&q=\(Site.percentEncode(pairs[0].menteeName))").text
        #expect(named.contains(HTMLEscape.text(pairs[0].menteeName)))
        await live.stop()
    }

    func state(_ s: SchemeFixture, _ ref: PairRef) throws -> PairState? {
        try s.store.proposals(term: Self.term).pairs.first { $0.ref == ref }?.state
    }
}

/// HTML escaping as Mustache does it, for expected text.
enum HTMLEscape {
    static func text(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
