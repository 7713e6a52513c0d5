import Foundation
import Testing
@testable import PeerMatch

private typealias F = TimetableFixture

@Suite struct HTMLReportTests {
    @Test func escapesEveryText() throws {
        #expect(HTMLReport.esc("<script>alert(\"x\")</script> & 'Q'\u{0}\u{7}") == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Q&#39;")
        let page = try HTMLReport.render(F.sample())
        #expect(page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Q&#39;"))
        #expect(page.contains("Sam &lt;Smith&gt;"))
        #expect(page.contains("<h1>Spring term, &quot;Year 7&quot;; mentoring</h1>"))
        #expect(!page.lowercased().contains("<script"))
        // Self-contained: nothing that could fetch or run.
        for banned in ["http:", "https:", "src=", "href=", "@import", "url(", "<link", "<img", "<iframe", "onload", "javascript:"] {
            #expect(!page.lowercased().contains(banned), "found \(banned)")
        }
    }

    @Test func gridShowsWhoMeetsWhereAndListsAreComplete() throws {
        let v = F.sample()
        let page = try HTMLReport.render(v)
        // Rooms as columns in id order, days as row groups in week order.
        #expect(page.contains("<thead><tr><th scope=\"col\">Slot</th><th scope=\"col\">Small hall<span class=\"meta\">holds 6</span></th><th scope=\"col\">Library<span class=\"meta\">holds 2 · quiet</span></th><th scope=\"col\">Room 12<span class=\"meta\">holds 1 · accessible</span></th></tr></thead>"))
        #expect(page.contains("""
            <tr class="day"><th scope="rowgroup" colspan="4">Monday</th></tr>
            <tr><th scope="row">12:30–13:00<span class="meta">Lunch</span></th><td class="free">free</td><td><ul class="meet"><li><span class="mentor">Ada Lovelace</span> <span aria-hidden=\"true\">→</span><span class=\"sr\">meets</span> Bo Chen</li><li><span class="mentor">Zoë Ångström-Nakamura</span> <span aria-hidden=\"true\">→</span><span class=\"sr\">meets</span> &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Q&#39;<span class="skip">not 1 Mar</span></li></ul></td><td class="free">free</td></tr>
            """))
        #expect(page.contains("<li><span class=\"mentor\">李小龙</span> <span aria-hidden=\"true\">→</span><span class=\"sr\">meets</span> Kai, Lena\\Back, Noor</li>"))
        let days = ["Monday", "Wednesday", "Thursday"].map { page.range(of: "colspan=\"4\">\($0)</th>")!.lowerBound }
        #expect(days == days.sorted())
        #expect(!page.contains(">Tuesday<"))
        // Half term is shared by every session, so it is said once, not in every cell.
        #expect(page.contains("<p class=\"nosessions\"><strong>No sessions:</strong> week of Mon 15 Feb 2027 (half term).</p>"))
        #expect(!page.contains("not 15 Feb</span>"))
        // Pairs: one row each with where, sessions and reasons; unmatched with why.
        let pairRows = page.components(separatedBy: "<section class=\"pairs\"")[1].components(separatedBy: "</section>")[0]
        #expect(pairRows.components(separatedBy: "<tr><td>").count - 1 == v.pairs.count)
        #expect(pairRows.contains("<tr><td>Zoë Ångström-Nakamura <span class=\"id\">m2</span></td><td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Q&#39; <span class=\"id\">e2</span></td><td>Monday 12:30–13:00, Library</td><td>11 (4 Jan – 29 Mar)<span class=\"skip\">not 1 Mar: school trip</span></td><td class=\"num\">30</td><td><ul><li>offers maths; mentee needs maths</li></ul></td></tr>"))
        let unmatched = page.components(separatedBy: "<section class=\"unmatched\"")[1]
        #expect(unmatched.contains("<tr><td>Sam &lt;Smith&gt; <span class=\"id\">e7</span></td><td>mentee</td><td><ul><li>no common free slot with any compatible mentor</li></ul></td></tr>\n<tr><td>Priya <span class=\"id\">m5</span></td><td>mentor</td><td><ul><li>capacity 0</li></ul></td></tr>"))
    }

    @Test func emptyTimetableSaysSoInEveryFormat() throws {
        var v = F.sample()
        v.sessions = []; v.pairs = []; v.unmatched = []
        let page = try HTMLReport.render(v)
        #expect(page.contains("<h2 id=\"pairs-title\">Pairs (0)</h2>\n<p>No pairs.</p>\n</section>"))
        #expect(page.contains("<p>Everyone has a partner.</p>"))
        #expect(page.components(separatedBy: "<td class=\"free\">free</td>").count - 1 == 3 * 3)
        #expect(try TimetableCSV.render(v) == TimetableCSV.header.joined(separator: ",") + "\n")
        #expect(try ICalendarWriter.files(for: v).isEmpty)
    }

    @Test func sameViewSameBytes() throws {
        var v = F.school()
        let a = try HTMLReport.render(v)
        var rng = SeededRandom(seed: 3)
        v.sessions.shuffle(using: &rng); v.pairs.shuffle(using: &rng); v.rooms.shuffle(using: &rng); v.slots.shuffle(using: &rng)
        #expect(try HTMLReport.render(v) == a)
        #expect(a.components(separatedBy: "<span class=\"mentor\">").count - 1 == 120)
    }

    /// `chromium` (or Ubuntu's `chromium-browser`) on PATH, as scripts/html-screenshot.sh looks for it.
    static let chromium: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .flatMap { dir in ["chromium", "chromium-browser"].map { "\(dir)/\($0)" } }
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The real browser parses the page, draws it and prints it; nothing in it runs. Set
    /// PEERMATCH_HTML_SAMPLES to a folder to keep the pages, screenshots and PDFs and look at them.
    @Test(.enabled(if: chromium != nil, "chromium is not on PATH (apt-get install -y chromium)"))
    func rendersInHeadlessChromium() throws {
        let keep = ProcessInfo.processInfo.environment["PEERMATCH_HTML_SAMPLES"]
        let dir = keep.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory.appendingPathComponent("pm-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: dir) } }
        for (name, view) in [("sample", F.sample()), ("school", F.school())] {
            let page = dir.appendingPathComponent("\(name).html")
            try HTMLReport.render(view).write(to: page, atomically: true, encoding: .utf8)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = [Repo.path("scripts/html-screenshot.sh"), page.path, dir.appendingPathComponent(name).path]
            try p.run(); p.waitUntilExit()
            try #require(p.terminationStatus == 0)
            let png = try Data(contentsOf: dir.appendingPathComponent("\(name).png"))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 20_000)
            let pdf = try Data(contentsOf: dir.appendingPathComponent("\(name).pdf"))
            #expect(pdf.starts(with: Array("%PDF".utf8)))
            let dom = try String(contentsOf: dir.appendingPathComponent("\(name).dom.html"), encoding: .utf8)
            #expect(dom.contains("<table class=\"grid\">") && !dom.contains("<script"))
            if name == "sample" { #expect(dom.contains("&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; 'Q'")) }
        }
    }
}
