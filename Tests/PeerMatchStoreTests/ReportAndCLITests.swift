import Foundation
import Testing
import PeerMatch
@testable import PeerMatchStore

@Suite(.serialized) struct ReportAndCLITests {
    typealias R = ReliabilityTests
    let sam = TempScheme.sam

    /// A term with a register, names that need escaping, an ending and outcomes.
    func reportedTerm() throws -> TempScheme {
        let s = try TempScheme(name: "Northfield <b>peer</b> & \"mentoring\"")
        try s.store.addTerm(id: "2026-autumn", name: "Autumn 2026 <script>alert(1)</script>", setup: try Fixture.setup("year/autumn-setup.yaml"), by: sam)
        let mentors = String(decoding: try Fixture.file("year/autumn-mentors.csv").data, as: UTF8.self)
            .replacingOccurrences(of: "Asha Patel", with: "Asha <img src=x onerror=alert(1)> Patel")
        _ = try s.store.importSpreadsheets(term: "2026-autumn", files: ImportFiles(mentors: ImportFile(name: "m.csv", data: Data(mentors.utf8)),
                                                                              mentees: try Fixture.file("year/autumn-mentees.csv")), by: sam)
        try s.store.match(term: "2026-autumn", by: sam)
        let pairs = try s.store.proposals(term: "2026-autumn").pairs
        try s.store.approve(pairs.map(\.ref), by: sam)
        var records: [SessionRecordInput] = []
        for p in pairs {
            for (k, d) in p.dates.prefix(6).enumerated() {
                records.append(SessionRecordInput(pair: p.ref, date: d, outcome: k == 2 && p.ref.mentee == "e2" ? .missedByMentee : .held))
            }
        }
        try s.store.record(records, by: sam)
        try s.store.end(pairs[0].ref, reason: .movedAway, date: CalendarDate("2026-11-01")!, by: sam)
        return s
    }

    @Test func htmlReportIsSelfContainedAndEscaped() throws {
        let s = try reportedTerm()
        let page = TermReportHTML.render(try s.store.report(term: "2026-autumn"))
        #expect(page.contains("Autumn 2026 &lt;script&gt;alert(1)&lt;/script&gt;: end of term report"))
        #expect(page.contains("Northfield &lt;b&gt;peer&lt;/b&gt; &amp; &quot;mentoring&quot;"))
        #expect(page.contains("Asha &lt;img src=x onerror=alert(1)&gt; Patel"))
        for banned in ["<script", "<img", "http:", "https:", "href=", "@import", "url(", "<link", "<iframe", "javascript:"] {
            #expect(!page.lowercased().contains(banned), "found \(banned)")
        }
        #expect(page.contains("@page { size: A4 portrait;"))
        // The same store, the same bytes (no clock in the page).
        #expect(TermReportHTML.render(try s.store.report(term: "2026-autumn")) == page)
        // Chart: one bar group per week of the term (15 weeks, 7 Sep to 14 Dec).
        #expect(page.components(separatedBy: "class=\"axis\" text-anchor=\"middle\">").count - 1 == 15)
    }

    /// Drawn and printed by a real browser: nothing runs or is fetched, and it prints on A4.
    @Test(.enabled(if: chromiumPath != nil, "chromium is not on PATH (apt-get install -y chromium)"))
    func htmlReportRendersAndPrintsInChromium() throws {
        let s = try reportedTerm()
        let keep = ProcessInfo.processInfo.environment["PEERMATCH_HTML_SAMPLES"]
        let dir = keep.map { URL(fileURLWithPath: $0) } ?? s.folder
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let page = dir.appendingPathComponent("term-report.html")
        try TermReportHTML.render(try s.store.report(term: "2026-autumn")).write(to: page, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [R.root.appendingPathComponent("Tests/Browser/html-screenshot.sh").path, page.path, dir.appendingPathComponent("term-report").path, "900x2200"]
        try p.run(); p.waitUntilExit()
        try #require(p.terminationStatus == 0)
        let png = try Data(contentsOf: dir.appendingPathComponent("term-report.png"))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 20_000)
        let pdf = try Data(contentsOf: dir.appendingPathComponent("term-report.pdf"))
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(pdf.starts(with: Array("%PDF".utf8)))
        // A4 portrait is 595 × 842 points.
        #expect(text.contains("/MediaBox [0 0 594.9") && text.contains(" 841.9"), "A4 portrait (595 × 842 points)")
        let dom = try String(contentsOf: dir.appendingPathComponent("term-report.dom.html"), encoding: .utf8)
        #expect(dom.contains("<svg") && !dom.contains("<script") && !dom.contains("<img"))
        #expect(dom.contains("Asha &lt;img src=x onerror=alert(1)&gt; Patel"))
    }

    static let chromiumPath: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .flatMap { dir in ["chromium", "chromium-browser"].map { "\(dir)/\($0)" } }
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    // MARK: - The command line

    @Test(.enabled(if: FileManager.default.fileExists(atPath: R.binary), "build the peermatch binary first (swift build)"))
    func verbsExitCodesAndMessages() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pm-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("s.peermatch").path
        let year = Fixture.folder.appendingPathComponent("year").path
        let env = ["PEERMATCH_SCHEME": file, "PEERMATCH_CLOCK": "2026-09-01T08:00:00Z"]
        func run(_ args: [String], env extra: [String: String] = [:]) throws -> (code: Int32, out: String, err: String) {
            try R.run(["scheme"] + args, env: env.merging(extra) { _, b in b })
        }

        var r = try run(["init", file, "--name", "Northfield"])
        #expect(r.code == 0 && r.out.contains("created scheme \"Northfield\""))
        #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o600)
        r = try run(["init", file, "--name", "again"])
        #expect(r.code == 1 && r.err.contains("already exists"))
        // No scheme named: a usage error (2) that says how to name one.
        r = try R.run(["scheme", "match"], env: ["PEERMATCH_SCHEME": ""])
        #expect(r.code == 2 && r.err.contains("--scheme FILE"))
        r = try run(["match"])
        #expect(r.code == 1 && r.err.contains("no terms yet"))
        r = try run(["term", "add", "2026-autumn", "--setup", "\(year)/autumn-setup.yaml", "--name", "Autumn 2026", "--by", "sam"])
        #expect(r.code == 0 && r.out.contains("2 slots, 2 rooms, pairs-in-room"), "\(r.err)")
        r = try run(["term", "add", "bad", "--start", "2026-13-01", "--end", "2026-12-01"])
        #expect(r.code == 2 && r.err.contains("--start: expected a date"))

        // A bad cell: exit 1, the file, line and column, and nothing written.
        let bad = dir.appendingPathComponent("mentees.csv").path
        try String(decoding: try Data(contentsOf: URL(fileURLWithPath: "\(year)/autumn-mentees.csv")), as: UTF8.self)
            .replacingOccurrences(of: "e3,Grace Lee,7", with: "e3,Grace Lee,Y7").write(toFile: bad, atomically: true, encoding: .utf8)
        let revision = try SchemeStore.open(at: file).revision
        r = try run(["import", "\(year)/autumn-mentors.csv", bad])
        #expect(r.code == 1 && r.err.contains("\(bad): line 4, column 3 (Year group): must be a year group, found \"Y7\""), "\(r.err)")
        #expect(!r.err.contains("Fatal") && !r.err.contains("Backtrace"))
        #expect(try SchemeStore.open(at: file).revision == revision)

        r = try run(["import", "\(year)/autumn-mentors.csv", "\(year)/autumn-mentees.csv", "--exclusions", "\(year)/autumn-exclusions.csv"])
        #expect(r.code == 0 && r.out.contains("4 mentors, 6 mentees"), "\(r.err)")
        r = try run(["match", "--progress", "--note", "first go"])
        #expect(r.code == 0 && r.out.contains("5 of 6 mentees matched") && r.err.contains("solving 6 mentees"), "\(r.err)")
        let a = try run(["show", "--format", "json"]), b = try run(["show", "--format", "json"])
        #expect(a.code == 0 && a.out == b.out, "same store, same bytes")
        r = try run(["approve", "m1:e1", "e2", "nobody:e3"])
        #expect(r.code == 1 && r.err.contains("\"nobody:e3\": no such pair") && r.err.contains("nothing was changed"))
        r = try run(["approve", "--all"])
        #expect(r.code == 0 && r.out.contains("m1:e1"))
        r = try run(["end", "e2", "--reason", "bored", "--date", "2026-10-01"])
        #expect(r.code == 2 && r.err.contains("--reason: expected one of goals-met"))
        r = try run(["end", "e2", "--reason", "moved away", "--date", "2026-10-01", "--no-repeat"])
        #expect(r.code == 0 && r.out.contains("ended m2:e2 (moved away); they will not be paired again"), "\(r.err)")
        r = try run(["record", "e1", "--date", "2026-09-10", "--outcome", "dna"])
        #expect(r.code == 0 && r.out.contains("1 recorded"), "\(r.err)")
        r = try run(["review", "--format", "csv"])
        #expect(r.code == 0 && r.out.hasPrefix("kind,mentor,mentee,person,name,value,message\n"))
        let html = dir.appendingPathComponent("report.html").path
        r = try run(["report", "--format", "html", "--out", html])
        let htmlMode = try FileManager.default.attributesOfItem(atPath: html)[.posixPermissions] as? Int
        #expect(r.code == 0 && htmlMode == 0o600)
        r = try run(["report", "--format", "html", "--out", file])
        #expect(r.code == 2 && r.err.contains("refusing to overwrite the scheme file"))
        r = try run(["withdraw", "e5", "--date", "2026-11-02", "--dry-run"])
        #expect(r.code == 0 && r.out.contains("ends m1:e5") && r.out.contains("dry run: nothing saved"))
        let out = dir.appendingPathComponent("export").path
        r = try run(["export", "--out", out, "--redact"])
        let outMode = try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int
        #expect(r.code == 0 && outMode == 0o700)
        r = try run(["export", "--out", out])
        #expect(r.code == 1 && r.err.contains("already exists"))
        r = try run(["backup", dir.appendingPathComponent("b.peermatch").path])
        #expect(r.code == 0)
        r = try run(["check"])
        #expect(r.code == 0 && r.out.hasSuffix(": ok\n"))
        // The audit log names who did what: --by, or the login name.
        r = try run(["audit", "--limit", "100"])
        #expect(r.out.contains("sam  term.add") && r.out.contains("  \(Actor.login.name)  match") && r.out.contains("(why: first go)"))
        try? FileManager.default.removeItem(at: dir)
    }
}
