import Foundation
import PeerMatch
import Testing
import ZIPFoundation
@testable import PeerMatchStore
@testable import PeerMatchWeb

/// Journeys 3 to 6 through the handlers, on a matched and approved term: why not, swaps, the
/// timetable and its downloads and slips, the register, the review list, ending a pair, a
/// withdrawal shown before it is saved, and the report with its plots and exports.
@Suite(.serialized) struct YearJourneyTests {
    static let base = "/terms/2026-autumn"
    static let term = SchemeFixture.term

    /// A matched term with every pair approved.
    static func approvedTerm() async throws -> (SchemeFixture, LiveSite) {
        let scheme = try SchemeFixture().withAutumn()
        try scheme.store.match(term: term, by: SchemeFixture.actor)
        try scheme.store.approve(try scheme.store.proposals(term: term).pairs.map(\.ref), by: SchemeFixture.actor)
        return (scheme, try await LiveSite.start(scheme))
    }

    static func live(_ s: SchemeFixture) throws -> [StoredPair] {
        try s.store.proposals(term: term).pairs.filter { PairState.live.contains($0.state) }.sorted { $0.ref.mentee < $1.ref.mentee }
    }

    // MARK: Journey 3: why not, swap

    @Test func whyNotGivesTheRulesOrTheScoreByTerm() async throws {
        let (scheme, live) = try await Self.approvedTerm()
        // e1 wants a female mentor: m2 (Ben) is ruled out by that rule, in its own words.
        let no = try await live.get("\(Self.base)/why-not?mentor=m2&mentee=e1")
        #expect(no.status == 200)
        let e = try scheme.store.whyNot(term: Self.term, mentor: "m2", mentee: "e1")
        #expect(!e.allowed)
        for b in e.breaches { #expect(no.text.contains(HTMLEscape.text(b.text))) }
        #expect(no.text.contains("The hard rules that rule them out"))
        // An allowed pair: the score term by term, and the total.
        let pair = try #require(try Self.live(scheme).first)
        let yes = try await live.get("\(Self.base)/why-not?mentor=\(pair.ref.mentor)&mentee=\(pair.ref.mentee)")
        let f = try scheme.store.whyNot(term: Self.term, mentor: pair.ref.mentor, mentee: pair.ref.mentee)
        #expect(f.allowed)
        #expect(!yes.text.contains("The hard rules that rule them out"))
        for t in f.breakdown { #expect(yes.text.contains("<td class=\"num\">\(Format.score(t.hundredths))</td>"), "\(t.term)") }
        #expect(yes.text.contains("<td class=\"num score\">\(Format.score(f.scoreHundredths))</td>"))
        #expect(yes.text.contains("They are paired."))
        #expect(try await live.get("\(Self.base)/why-not?mentor=nobody&mentee=e1").status == 404)
        #expect(try await live.get("\(Self.base)/why-not?mentor=m1").status == 400)
        await live.stop()
    }

    @Test func swapShowsItsCostThenSaves() async throws {
        let (scheme, live) = try await Self.approvedTerm()
        let pairs = try Self.live(scheme)
        // Find two mentees whose swap the store allows, and one it does not.
        var allowed: (PersonID, PersonID, SwapPreview)?
        var refused: (PersonID, PersonID, SwapPreview)?
        for a in pairs { for b in pairs where a.ref.mentee < b.ref.mentee && a.ref.mentor != b.ref.mentor {
            let p = try scheme.store.previewSwap(term: Self.term, menteeA: a.ref.mentee, menteeB: b.ref.mentee)
            if p.allowed, allowed == nil { allowed = (a.ref.mentee, b.ref.mentee, p) }
            if !p.allowed, refused == nil { refused = (a.ref.mentee, b.ref.mentee, p) }
        } }
        if let (a, b, p) = refused {
            let page = try await live.get("\(Self.base)/swap?a=\(a)&b=\(b)")
            #expect(page.text.contains("This swap cannot be made"))
            for problem in p.problems { #expect(page.text.contains(HTMLEscape.text(problem))) }
            #expect(!page.text.contains("Save the swap"))
        }
        let (a, b, p) = try #require(allowed)
        let page = try await live.get("\(Self.base)/swap?a=\(a)&b=\(b)")
        let change = p.scoreAfter! - p.scoreBefore
        #expect(page.text.contains("Change in total score: <strong>\((change >= 0 ? "+" : "") + Format.score(change))</strong>"))
        #expect(page.text.contains("Together: <strong>\(Format.score(p.scoreBefore))</strong>"))
        #expect(page.text.contains("Save the swap"))
        // Nothing changed by looking.
        #expect(try Self.live(scheme).map(\.ref) == pairs.map(\.ref))
        #expect(try await live.post("\(Self.base)/swap", [("a", a.rawValue), ("b", b.rawValue), ("note", "friends")]).status == 303)
        let after = try Self.live(scheme)
        let mentorOf = { (m: PersonID, list: [StoredPair]) in list.first { $0.ref.mentee == m }!.ref.mentor }
        #expect(mentorOf(a, after) == mentorOf(b, pairs))
        #expect(mentorOf(b, after) == mentorOf(a, pairs))
        #expect(try await live.get("\(Self.base)/swap?a=\(a)&b=\(a)").status == 400)
        await live.stop()
    }

    // MARK: Journey 4: timetable

    @Test func weekGridMovesAndDownloads() async throws {
        let (scheme, live) = try await Self.approvedTerm()
        let view = try scheme.store.timetable(term: Self.term)
        let grid = try await live.get("\(Self.base)/timetable")
        #expect(grid.status == 200)
        // Rooms across, slots down, by day; every session in its cell.
        #expect(grid.text.contains("<th scope=\"col\">Library<span class=\"meta\">holds 2 · quiet</span></th><th scope=\"col\">Room 12<span class=\"meta\">holds 1</span></th>"))
        #expect(grid.text.contains("<tr class=\"day\"><th scope=\"rowgroup\" colspan=\"3\">Tuesday</th></tr>"))
        #expect(grid.text.contains("no sessions: week of Mon 26 Oct 2026"))
        for s in view.sessions { #expect(grid.text.contains("<strong>\(HTMLEscape.text(s.mentor.name))</strong>")) }

        // The move form offers exactly the store's options (a pair that can move, and one that cannot).
        var movable: (StoredPair, Session, [SessionOption])?
        var stuck: (StoredPair, Session)?
        for p in try Self.live(scheme) { for s in p.sessions {
            let o = try scheme.store.moveOptions(p.ref, from: s)
            if o.contains(where: { !$0.current }) { if movable == nil { movable = (p, s, o) } } else if stuck == nil { stuck = (p, s) }
        } }
        let (pair, from, options) = try #require(movable)
        let q = "mentor=\(pair.ref.mentor)&mentee=\(pair.ref.mentee)&slot=\(from.slot)&room=\(from.room)"
        let form = try await live.get("\(Self.base)/timetable/move?\(q)")
        #expect(form.text.components(separatedBy: "type=\"radio\" name=\"to\"").count - 1 == options.count)
        for o in options { #expect(form.text.contains(HTMLEscape.text(o.label))) }
        #expect(form.text.contains("(where it is now)"))
        if let (p, s) = stuck {
            let none = try await live.get("\(Self.base)/timetable/move?mentor=\(p.ref.mentor)&mentee=\(p.ref.mentee)&slot=\(s.slot)&room=\(s.room)")
            #expect(none.text.contains("There is nowhere else this session fits"))
        }
        // A session the pair does not have is refused.
        let wrongSlot = from.slot == "tue-lunch" ? "thu-lunch" : "tue-lunch"
        #expect(try await live.get("\(Self.base)/timetable/move?mentor=\(pair.ref.mentor)&mentee=\(pair.ref.mentee)&slot=\(wrongSlot)&room=\(from.room)").status == 400)
        let target = try #require(options.first { !$0.current })
        let r = try await live.post("\(Self.base)/timetable/move", [("mentor", pair.ref.mentor.rawValue), ("mentee", pair.ref.mentee.rawValue),
                                                                  ("slot", from.slot), ("room", from.room),
                                                                  ("to", "\(target.session.slot)/\(target.session.room)")])
        #expect(r.status == 303)
        #expect(try Self.live(scheme).first { $0.ref == pair.ref }?.sessions.contains(target.session) == true)
        #expect(try await live.get("\(Self.base)/timetable").text.contains("Moved to \(HTMLEscape.text(target.label)) from the next session on."))

        // Downloads: the core's renderers, byte for byte, as attachments.
        let now = try scheme.store.timetable(term: Self.term)
        let csv = try await live.get("\(Self.base)/timetable.csv")
        #expect(csv.header("Content-Disposition") == "attachment; filename=\"2026-autumn-timetable.csv\"")
        #expect(csv.text == (try TimetableCSV.render(now)))
        let zip = try await live.get("\(Self.base)/calendars.zip")
        #expect(zip.header("Content-Type") == "application/zip")
        let archive = try Archive(data: zip.body, accessMode: .read)
        let expected = try ICalendarWriter.files(for: now)
        #expect(Set(archive.map(\.path)) == Set(expected.map(\.name)))
        for f in expected {
            var bytes = Data()
            _ = try archive.extract(try #require(archive[f.name])) { bytes.append($0) }
            #expect(String(decoding: bytes, as: UTF8.self) == f.text)
        }
        #expect(try await live.get("\(Self.base)/calendars.zip").body == zip.body, "same timetable, same bytes")
        let html = try await live.get("\(Self.base)/timetable.html")
        #expect(html.header("Content-Disposition") == "attachment; filename=\"2026-autumn-timetable.html\"")
        #expect(html.text.contains("<h1>Autumn 2026</h1>"))
        await live.stop()
    }

    @Test func slipsSayWhoWhenWhereAndNothingSensitive() async throws {
        let (scheme, live) = try await Self.approvedTerm()
        let page = try await live.get("\(Self.base)/slips")
        #expect(page.status == 200)
        let slips = try scheme.store.slips(term: Self.term)
        #expect(!slips.isEmpty)
        #expect(page.text.components(separatedBy: "<section class=\"slip\"").count - 1 == slips.count)
        for s in slips {
            #expect(page.text.contains("<h2>\(HTMLEscape.text(s.name))</h2>"))
            for m in s.meetings { #expect(page.text.contains("<dt>Where</dt><dd>\(HTMLEscape.text(m.room))</dd>")) }
        }
        // No needs, reasons or scores: none of the pairs' reasons or the mentees' needs appear.
        let cards = String(page.text[try #require(page.text.range(of: "<div class=\"slips\" id=\"slips\">")).lowerBound...])
        for p in try Self.live(scheme) { for r in p.reasons { #expect(!cards.contains(HTMLEscape.text(r))) } }
        for need in ["transition", "confidence", "reading", "maths", "friends"] { #expect(!cards.contains(need)) }
        #expect(!cards.lowercased().contains("score"))
        await live.stop()
    }

    // MARK: Journey 5: register, review, end, withdraw

    @Test func registerRecordsAWeekAndReviewFlagsMisses() async throws {
        let (scheme, live) = try await Self.approvedTerm()
        let week = "2026-09-14"
        let page = try await live.get("\(Self.base)/register?week=\(week)")
        #expect(page.status == 200)
        #expect(page.text.contains("Register: week of Mon 14 Sep 2026"))
        let rows = try scheme.store.register(term: Self.term, week: CalendarDate(week)!)
        #expect(!rows.isEmpty)
        #expect(page.text.components(separatedBy: "<fieldset class=\"register-row\">").count - 1 == rows.count)
        // Each row: five choices, each with a label.
        for (n, _) in rows.enumerated() {
            for o in SessionOutcome.allCases { #expect(page.text.contains("<label for=\"r\(n)-\(o.rawValue)\">")) }
        }
        // First row missed by the mentee, the rest held by the "unmarked ones held" button.
        let keys = rows.map { "\(PairsPage.key($0.pair))/\($0.date!.description)" }
        var fields = [("week", week)] + keys.map { ("row", $0) }
        fields.append(("outcome-\(keys[0])", "missed-by-mentee"))
        fields.append(("allHeld", "1"))
        let r = try await live.post("\(Self.base)/register", fields)
        #expect(r.status == 303)
        #expect(r.header("Location") == "\(Self.base)/register?week=\(week)")
        let after = try scheme.store.register(term: Self.term, week: CalendarDate(week)!)
        #expect(after[0].record?.outcome == .missedByMentee)
        #expect(after.dropFirst().allSatisfy { $0.record?.outcome == .held })
        let again = try await live.get("\(Self.base)/register?week=\(week)")
        #expect(again.text.contains("id=\"r0-missed-by-mentee\" name=\"outcome-\(keys[0])\" value=\"missed-by-mentee\" checked"))
        // Saving the same again writes nothing.
        #expect(try await live.post("\(Self.base)/register", [("week", week)] + keys.map { ("row", $0) } + [("outcome-\(keys[0])", "missed-by-mentee"), ("was-\(keys[0])", "missed-by-mentee")]).status == 303)

        // Three misses in a row: the review list says so.
        for w in ["2026-09-21", "2026-09-28"] {
            let rr = try scheme.store.register(term: Self.term, week: CalendarDate(w)!).filter { $0.pair == rows[0].pair }
            let k = rr.map { "\(PairsPage.key($0.pair))/\($0.date!.description)" }
            #expect(try await live.post("\(Self.base)/register", [("week", w)] + k.map { ("row", $0) } + k.map { ("outcome-\($0)", "missed-by-mentee") }).status == 303)
        }
        let review = try await live.get("\(Self.base)/review?asOf=2026-09-30")
        #expect(review.status == 200)
        let items = try scheme.store.review(term: Self.term, settings: ReviewSettings(asOf: CalendarDate("2026-09-30")))
        let missed = try #require(items.first { $0.kind == .missedInARow })
        #expect(review.text.contains("Missed sessions in a row (1)"))
        #expect(review.text.contains(HTMLEscape.text(missed.message)))
        #expect(review.text.contains("End this pair…"))
        await live.stop()
    }

    @Test func endingAPairAsksWhy() async throws {
        let (scheme, live) = try await Self.approvedTerm()
        let pair = try #require(try Self.live(scheme).first)
        let key = PairsPage.key(pair.ref)
        let form = try await live.get("\(Self.base)/end?pair=\(Site.percentEncode(key))")
        #expect(form.status == 200)
        for reason in EndReason.allCases { #expect(form.text.contains("<option value=\"\(reason.rawValue)\">\(reason.label)</option>")) }
        #expect(try await live.post("\(Self.base)/end", [("pair", key), ("date", "2026-11-20")]).status == 400)
        #expect(try await live.post("\(Self.base)/end", [("pair", key), ("reason", "goals-met"), ("date", "2026-11-20"), ("noRepeat", "1"), ("note", "done")]).status == 303)
        let ended = try #require(try scheme.store.proposals(term: Self.term).pairs.first { $0.ref == pair.ref })
        #expect(ended.state == .ended)
        #expect(ended.endReason == .goalsMet)
        #expect(ended.noRepeat)
        #expect(ended.endDate == CalendarDate("2026-11-20"))
        await live.stop()
    }

    @Test func withdrawalIsShownAsADiffBeforeItIsSaved() async throws {
        let (scheme, live) = try await Self.approvedTerm()
        let form = try await live.get("\(Self.base)/withdraw")
        #expect(form.status == 200)
        #expect(form.text.contains("<optgroup label=\"Mentors\">"))
        let before = try Self.live(scheme)
        let leaving = try #require(before.first).ref.mentor
        let revision = try scheme.store.revision
        // The plan is a re-match of the term: the first answer is its progress (refreshing itself
        // without script, with the event stream's address for the script), then the same address
        // shows the diff once it is ready.
        let address = "\(Self.base)/withdraw/plan?person=\(leaving)&date=2026-10-12&reason=moved-away&maxChanges=1"
        let first = try await live.get(address)
        #expect(first.status == 200)
        #expect(first.text.contains("<noscript><meta http-equiv=\"refresh\" content=\"1\"></noscript>"), "\(first.text)")
        #expect(first.text.contains("Working out the changes") && first.text.contains("id=\"match-elapsed\""))
        let events = try #require(first.text.range(of: #"data-events="([^"]+)""#, options: .regularExpression))
        let eventsURL = String(first.text[events].dropFirst("data-events=\"".count).dropLast()).replacingOccurrences(of: "&amp;", with: "&")
        #expect(eventsURL.hasPrefix("\(Self.base)/withdraw/plan/events?job="))
        var plan = first
        for _ in 0..<600 where plan.text.contains("id=\"match-progress\"") {
            try await Task.sleep(nanoseconds: 100_000_000)
            plan = try await live.get(address)
        }
        #expect(plan.status == 200)
        #expect(!plan.text.contains("id=\"match-progress\""), "the plan finished within a minute")
        // The finished job's events and status say it is done.
        let stream = try await live.get(eventsURL)
        #expect(stream.text.hasPrefix("event: done\ndata: {") && stream.text.contains("\"running\": false"))
        let status = try await live.get(eventsURL.replacingOccurrences(of: "/events?", with: "/status?"))
        #expect(status.status == 200 && status.text.contains("\"stage\": \"Done\""), "\(status.text)")
        #expect(try await live.get("\(Self.base)/withdraw/plan/status?job=99999").status == 404)
        let expected = try scheme.store.planWithdrawal(person: leaving, term: Self.term, date: CalendarDate("2026-10-12")!, maxChanges: 1, reason: .movedAway)
        // Every ended pair and every change is on the page, and nothing was saved.
        let rehomed = Set(expected.changes.filter { $0.kind == .added }.map(\.mentee))
        let leftWithout = (expected.ended + expected.dropped).filter { !rehomed.contains($0.mentee) }
        #expect(plan.text.components(separatedBy: "<li class=\"removed\">").count - 1
                == expected.ended.count + expected.dropped.count + expected.changes.filter { $0.kind == .removed }.count)
        #expect(plan.text.components(separatedBy: "<li class=\"added\">").count - 1 == expected.changes.filter { $0.kind == .added }.count)
        // Who is left without a partner, in words, and what changes for each person.
        let names = try scheme.store.names(term: Self.term)
        #expect(plan.text.components(separatedBy: "has no mentor after this").count - 1 == leftWithout.count)
        for r in leftWithout { #expect(plan.text.contains("<li><strong>\(HTMLEscape.text(names[r.mentee]!))</strong>: mentee, has no mentor after this")) }
        if leftWithout.isEmpty { #expect(plan.text.contains("Nobody: everyone else who has a partner keeps one.")) }
        let mentees = before.filter { $0.ref.mentor == leaving }.count
        #expect(plan.text.contains("<li><strong>\(HTMLEscape.text(names[leaving]!))</strong>: leaves on Mon 12 Oct 2026 (moved away); \(mentees == 1 ? "1 mentee" : "\(mentees) mentees") → none"))
        #expect(plan.text.contains("Mentees matched: \(expected.matchedBefore) → \(expected.matchedAfter)."))
        #expect(try scheme.store.revision == revision)
        #expect(try Self.live(scheme).map(\.ref) == before.map(\.ref))

        let planID = try #require(plan.text.range(of: #"name="plan" value="([^"]+)""#, options: .regularExpression)).lowerBound
        let idText = plan.text[planID...].split(separator: "\"")[3]
        let applied = try await live.post("\(Self.base)/withdraw", [("plan", String(idText))])
        #expect(applied.status == 303)
        #expect(try Self.live(scheme).allSatisfy { $0.ref.mentor != leaving })
        #expect(try scheme.store.proposals(term: Self.term).pairs.contains { $0.ref.mentor == leaving && $0.state == .ended && $0.endReason == .movedAway })
        // The same plan cannot be applied twice.
        #expect(try await live.post("\(Self.base)/withdraw", [("plan", String(idText))]).status == 409)
        // Asked again now that the scheme has changed, the plan is not the old one shown again:
        // the job runs afresh and ends in the store's answer (the person has withdrawn already).
        var again = try await live.get(address)
        for _ in 0..<600 where again.text.contains("id=\"match-progress\"") {
            try await Task.sleep(nanoseconds: 100_000_000)
            again = try await live.get(address)
        }
        #expect(again.status == 400 && again.text.contains("has already withdrawn"), "\(again.status) \(again.text)")
        await live.stop()
    }

    // MARK: Journey 6: report

    @Test func reportDrawsItsPlotsAndExports() async throws {
        let (scheme, live) = try await Self.approvedTerm()
        let rows = try scheme.store.register(term: Self.term, week: CalendarDate("2026-09-14")!)
        try scheme.store.record(rows.enumerated().map { n, r in
            SessionRecordInput(pair: r.pair, date: r.date!, outcome: n == 0 ? .missedByMentor : .held)
        }, by: SchemeFixture.actor)
        let pair = try #require(try Self.live(scheme).last)
        try scheme.store.end(pair.ref, reason: .movedAway, date: CalendarDate("2026-10-01")!, by: SchemeFixture.actor)
        let r = try scheme.store.report(term: Self.term)
        let page = try await live.get("\(Self.base)/report")
        #expect(page.status == 200)
        // Three SVG plots, each an image with a title and description.
        for id in ["plot-attendance", "plot-matched", "plot-endings"] {
            #expect(page.text.contains("role=\"img\" aria-labelledby=\"\(id)-t \(id)-d\" id=\"\(id)\">"))
        }
        #expect(page.text.contains("<title id=\"plot-attendance-t\">Attendance by week</title>"))
        // The week of 14 Sep: one mentor missed, the rest held; its bar says the share.
        let w = try #require(r.weeks.first { $0.weekStart == CalendarDate("2026-09-14") })
        #expect(page.text.contains(">\(Format.percent(w.sessions.attendance))</text>"))
        #expect(page.text.contains("\(r.matchedMentees) of \(r.mentees)"))
        #expect(page.text.contains(">moved away</text>"))
        #expect(page.text.contains("<td>moved away</td><td class=\"num\">1</td>"))
        // Exports.
        let csv = try await live.get("\(Self.base)/report.csv")
        #expect(csv.text == TermReportCSV.render(try scheme.store.report(term: Self.term)))
        let html = try await live.get("\(Self.base)/report.html")
        #expect(html.header("Content-Disposition") == "attachment; filename=\"2026-autumn-report.html\"")
        let full = try Archive(data: try await live.get("/export.zip").body, accessMode: .read)
        let redacted = try Archive(data: try await live.get("/export.zip?redact=1").body, accessMode: .read)
        #expect(Array(full).count > 0)
        #expect(Array(redacted).count > 0)
        var text = ""
        for e in redacted { _ = try redacted.extract(e) { text += String(decoding: $0, as: UTF8.self) } }
        #expect(!text.contains("Asha Patel"), "the redacted export leaves names out")
        await live.stop()
    }

    @Test func plotsAreTheSameBytesForTheSameFigures() throws {
        let bars = [Plot.Bar(label: "7 Sep", segments: [(0.75, Plot.ok), (0.25, Plot.bad)], note: "75%"),
                    Plot.Bar(label: "<b>", segments: [], note: "–", gap: true)]
        let a = Plot.columns(id: "p", title: "T", description: "D", bars: bars, maxValue: 1, ticks: [0, 1], tickLabel: { "\($0)" }, legend: [("held", Plot.ok)])
        let b = Plot.columns(id: "p", title: "T", description: "D", bars: bars, maxValue: 1, ticks: [0, 1], tickLabel: { "\($0)" }, legend: [("held", Plot.ok)])
        #expect(a == b)
        #expect(a.contains("&lt;b&gt;"))
        #expect(!a.contains("style="))
        // The held segment is three quarters of the plot's height (186 px between y 16 and 202).
        #expect(a.contains("height=\"139.5\" fill=\"\(Plot.ok)\""))
        #expect(Plot.n(-0.04) == "0")
        #expect(Plot.n(2.25) == "2.3" || Plot.n(2.25) == "2.2")
    }
}
