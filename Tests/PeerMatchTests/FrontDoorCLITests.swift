import Foundation
import Testing
@testable import PeerMatch

/// The everyday commands end to end: import from real exports, honest output, progress, the small items.
@Suite(.serialized) struct FrontDoorCLITests {
    let cli = CLITests()
    func run(_ args: [String]) throws -> CLITests.Run { try cli.run(args) }
    static let fixtures = "Tests/PeerMatchTests/Fixtures/import"

    /// Issue 15 follow-up: `import` of a workbook wrote the whole file to a named temporary file
    /// in the temporary folder, which a SIGKILL at the wrong moment left behind. Now the workbook
    /// is read through an anonymous memory file: with a temporary folder that does not exist (so
    /// nothing could be written there) the import still works, and nothing is left anywhere.
    @Test func workbookImportNeedsNoTemporaryFile() throws {
        let dir = try cli.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("cohort.json").path
        let book = "\(Self.fixtures)/openpyxl-intake.xlsx"
        let r = try cli.run(["import", book, book, "--out", out], env: ["TMPDIR": dir.appendingPathComponent("no-such-folder").path])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try CohortReader.read(path: out).mentors.map(\.id) == ["m1", "m2", "1003"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["cohort.json"])
    }

    @Test func importFromExcelAndGoogleFormsWithAGuessedMap() throws {
        let dir = try cli.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("cohort.json").path
        let r = try run(["import", "\(Self.fixtures)/excel-1252-mentors.csv", "\(Self.fixtures)/excel-1252-mentees.csv", "--out", out])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.contains("note: \(Self.fixtures)/excel-1252-mentors.csv: read as Windows-1252"))
        #expect(r.stderr.contains("excel-1252-mentees.csv: line 2, column 3 (year group): warning: 4 of 10 people have no age, so it is taken from the year group"), "\(r.stderr)")
        #expect(r.stderr.hasSuffix("imported 6 mentors and 4 mentees (1 warning above)\n"), "\(r.stderr)")
        #expect(try CohortReader.read(path: out).mentors.map(\.name).contains("Siân O’Neill"))

        // --guess writes a map; importing with it takes the Google Forms answers apart.
        let map = dir.appendingPathComponent("map.yaml").path
        let g = try run(["import", "\(Self.fixtures)/excel-1252-mentors.csv", "\(Self.fixtures)/google-forms-mentees.csv", "--guess", "--out", map])
        #expect(g.code == 0 && g.stdout.isEmpty, "\(g.stderr)")
        let i = try run(["import", "\(Self.fixtures)/excel-1252-mentors.csv", "\(Self.fixtures)/google-forms-mentees.csv", "--columns", map])
        #expect(i.code == 0, "\(i.stderr)")
        let cohort = try CohortReader.parse(Data(i.stdout.utf8), file: "out").0
        #expect(cohort.mentees.map(\.interests) == [["Art", "Music"], ["Football"], ["Gaming", "Football", "Music"]])
        // Without it, every question column is reported, and there is no id.
        let bare = try run(["import", "\(Self.fixtures)/excel-1252-mentors.csv", "\(Self.fixtures)/google-forms-mentees.csv"])
        #expect(bare.code == 1 && bare.stdout.isEmpty)
        #expect(bare.stderr.contains("google-forms-mentees.csv: line 1, column 7 (Which of these do you enjoy?): warning: ignored: no cohort field is called \"Which of these do you enjoy?\"; it looks like \"interests\""))
        #expect(bare.stderr.contains("google-forms-mentees.csv: line 1: no \"id\" column"))
        // --list-separator, --sheet and an unknown field in --columns.
        let sep = try run(["import", "\(Self.fixtures)/excel-1252-mentors.csv", "\(Self.fixtures)/google-forms-mentees.csv", "--columns", map, "--list-separator", "Which of these do you enjoy?=;"])
        #expect(try CohortReader.parse(Data(sep.stdout.utf8), file: "out").0.mentees[0].interests == ["Art, Music"])
        let book = "\(Self.fixtures)/openpyxl-intake.xlsx"
        #expect(try run(["import", book, book]).code == 0)
        let sheet = try run(["import", book, book, "--sheet", "mentees:Notes"])
        #expect(sheet.code == 1 && sheet.stderr.contains("openpyxl-intake.xlsx [Notes]: row 1: no \"id\" column"), "\(sheet.stderr)")
        let unknown = try run(["import", book, book, "--columns", "Pupil=shoe"])
        #expect(unknown.code == 1 && unknown.stderr.hasPrefix("--columns: Pupil=shoe: \"shoe\" is not a cohort field"), "\(unknown.stderr)")
    }

    /// Seen: a greedy fallback's CSV said "method optimal"; an infeasible result said mentees
    /// "are matched to other mentors" when nobody was matched.
    @Test func everyFormatSaysHowTheResultWasMade() throws {
        let greedy = try run(["solve", "instances/examples/secondary-transition.json", "--solver", "greedy", "--format", "csv"])
        #expect(greedy.stdout.contains("summary,,,,,,\"status fallback, solver greedy\",,\nsummary,,,,,,fallback: the greedy solver was requested (--solver greedy),,"), "\(greedy.stdout.suffix(600))")
        let table = try run(["solve", "instances/examples/secondary-transition.json", "--solver", "greedy", "--format", "table"])
        #expect(table.stdout.hasPrefix("Status: fallback (solver: greedy, method: optimal)\nFallback: the greedy solver was requested (--solver greedy)\n"))
        let dir = try cli.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("hard.yaml").path
        try "mentorMinimum:\n  count: 3\n  mode: hard\n".write(toFile: policy, atomically: true, encoding: .utf8)
        let infeasible = try run(["solve", "instances/examples/secondary-transition.json", "--policy", policy, "--format", "csv"])
        #expect(infeasible.code == 1)
        #expect(infeasible.stdout.contains("summary,,,,,,\"status infeasible, solver paths\",,"))
        #expect(infeasible.stdout.contains("summary,,,,,,\"diagnosis: "))
        #expect(!infeasible.stdout.contains("matched to other mentors") && !infeasible.stdout.contains("is full"), "\(infeasible.stdout)")
        #expect(infeasible.stdout.contains("no matching meets every hard rule (see the diagnosis), so nobody is matched"))
        #expect(!infeasible.stdout.contains("places left"))
        // The same for a timetabled cohort: no "busy at every common slot" when no session exists.
        let timetabled = try run(["solve", "instances/examples/secondary-transition-timetable.json", "--policy", policy, "--format", "table"])
        #expect(timetabled.code == 1)
        #expect(timetabled.stdout.hasPrefix("Status: infeasible"))
        #expect(!timetabled.stdout.contains("busy at every common slot") && !timetabled.stdout.contains("is full") && !timetabled.stdout.contains("matched to other"), "\(timetabled.stdout)")
        #expect(timetabled.stdout.contains("no matching meets every hard rule (see the diagnosis), so nobody is matched"))
    }

    @Test func rematchWithoutSlotsFromTheCommandLine() throws {
        let dir = try cli.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let previous = dir.appendingPathComponent("before.json").path
        #expect(try run(["solve", "instances/examples/secondary-transition.json", "--out", previous]).code == 0)
        // The withdrawn mentor is deleted from the file, nothing else.
        var text = try String(contentsOfFile: Repo.path("instances/examples/secondary-transition.json"), encoding: .utf8)
        let cohort = try CohortReader.read(path: Repo.path("instances/examples/secondary-transition.json"))
        let before = try PreviousResult.read(path: previous)
        let leaving = before.pairs[0].mentor
        var json = try JSONValue.parseJSON(Data(text.utf8), file: "x")
        if case .object(var top) = json, let k = top.firstIndex(where: { $0.0 == "mentors" }), case .array(let ms) = top[k].1 {
            top[k].1 = .array(ms.filter { $0["id"] != .string(leaving.rawValue) })
            json = .object(top)
        }
        text = json.rendered()
        let after = dir.appendingPathComponent("after.json").path
        try text.write(toFile: after, atomically: true, encoding: .utf8)
        #expect(try run(["validate", after]).code == 1, "without --previous a reference to the mentor is an error")
        let r = try run(["solve", after, "--previous", previous, "--format", "table"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning: \"\(leaving)\" has left (in the previous result, not in this cohort), so this"))
        #expect(r.stdout.contains("Changes from the previous result (0 counted of at most 0)"))
        let kept = before.pairs.filter { $0.mentor != leaving }
        for p in kept { #expect(r.stdout.contains("(\(p.mentor))") ) }
        let again = try run(["solve", after, "--previous", previous, "--format", "table"])
        #expect(again.stdout == r.stdout, "byte-identical")
        #expect(cohort.mentors.count == 10)
        // A result of another cohort is refused.
        let strangers = dir.appendingPathComponent("strangers.json").path
        try #"{"mentors": [{"id": "x1", "age": 14}], "mentees": [{"id": "y1", "age": 12}]}"#.write(toFile: strangers, atomically: true, encoding: .utf8)
        let other = try run(["solve", strangers, "--previous", previous])
        #expect(other.code == 1 && other.stderr.contains("is the result of another cohort"), "\(other.stderr)")
    }

    @Test func progressOnStderrWithTheFlagAndNeverOnStdout() throws {
        let plain = try run(["solve", "instances/examples/secondary-transition.json"])
        let shown = try run(["solve", "instances/examples/secondary-transition.json", "--progress"])
        #expect(shown.stdout == plain.stdout)
        #expect(plain.stderr.isEmpty, "no progress when stderr is not a terminal: \(plain.stderr)")
        let lines = shown.stderr.split(separator: "\n")
        #expect(lines.first?.hasPrefix("finding candidate pairs among 10 mentors and 18 mentees, ") == true, "\(shown.stderr)")
        #expect(lines.contains { $0.hasPrefix("solving by shortest augmenting paths: 154 candidate pairs, ") }, "\(shown.stderr)")
        #expect(lines.last?.hasPrefix("explaining the result: 18 pairs, ") == true)
    }

    /// On a terminal the progress shows without the flag, redrawn in place and erased at the end
    /// (`script` from util-linux gives the command a terminal).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) for a pseudo-terminal"))
    func progressOnATerminal() throws {
        let dir = try cli.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("r.json").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        p.arguments = ["-qec", "\(CLITests.binary) solve instances/examples/secondary-transition.json --out \(out)", "/dev/null"]
        p.currentDirectoryURL = Repo.root
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm"
        p.environment = env
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(text.hasPrefix("\r\u{1B}[Kfinding candidate pairs among 10 mentors and 18 mentees, "), "\(text.debugDescription)")
        #expect(text.contains("\r\u{1B}[Ksolving by shortest augmenting paths: "))
        #expect(text.hasSuffix("\r\u{1B}[K"), "the line is erased at the end")
        #expect(try CohortReader.read(path: Repo.path("instances/examples/secondary-transition.json")).mentees.count == 18)
        #expect(FileManager.default.fileExists(atPath: out))
    }

    @Test func theSmallItems() throws {
        let version = try run(["--version"])
        #expect(version.code == 0 && version.stdout.hasPrefix("peermatch \(PeerMatchVersion.current) (GLPK "), "\(version.stdout)")
        // candidates --format table, and reasons with one prefix.
        let table = try run(["candidates", "instances/examples/secondary-transition.json", "--format", "table", "--all"])
        #expect(table.code == 0, "\(table.stderr)")
        #expect(table.stdout.contains("allowed pairs, ") && table.stdout.contains("Mentor") && table.stdout.contains("Rejected by"))
        #expect(table.stdout.contains("requires: ") && !table.stdout.contains("requires: requires:"))
        let csv = try run(["candidates", "instances/examples/secondary-transition.json", "--format", "csv", "--all"])
        #expect(!csv.stdout.contains("requires: requires:"))
        // adults is a preset.
        let adults = try run(["solve", "instances/examples/housing-first.json", "--policy", "adults"])
        #expect(adults.code == 0, "\(adults.stderr)")
        #expect(try run(["policies"]).stdout.contains("adults "))
        // The timetable's page title and the table's slot and room names.
        let dir = try cli.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = dir.appendingPathComponent("t.html").path
        let t = try run(["solve", "instances/examples/secondary-transition-timetable.json", "--html", html, "--format", "table"])
        #expect(t.code == 0, "\(t.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(!page.contains("<title>secondary-transition-timetable"), "the page is not titled with the file name")
        #expect(page.contains("<title>Mentoring timetable, "))
        let cohort = try CohortReader.read(path: Repo.path("instances/examples/secondary-transition-timetable.json"))
        let room = try #require(cohort.timetable?.rooms.first { $0.name != $0.id })
        #expect(t.stdout.contains(room.name))
        #expect(t.stdout.contains("Mon ") || t.stdout.contains("Tue ") || t.stdout.contains("Wed "))
        let titled = try run(["solve", "instances/examples/secondary-transition-timetable.json", "--html", html, "--title", "Year 7 transition"])
        #expect(titled.code == 0)
        #expect(try String(contentsOfFile: html, encoding: .utf8).contains("<title>Year 7 transition — timetable</title>"))
    }

    /// Seen: typo'd values passed validation and two mentees went unmatched.
    @Test func nearMissesInValidateImportAndSolve() throws {
        let dir = try cli.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("typos.json").path
        try #"""
        {"mentors": [{"id": "m1", "name": "Ann", "age": 14, "gender": "female", "qualifications": ["safeguarding-trained"]},
                     {"id": "m2", "name": "Bea", "age": 14, "gender": "F", "qualifications": ["safeguarding-trained"]}],
         "mentees": [{"id": "e1", "name": "Harvey", "age": 12, "requires": ["safeguarding trained"]},
                     {"id": "e2", "name": "Isla", "age": 12, "genderPreference": ["girls"]}]}
        """#.write(toFile: file, atomically: true, encoding: .utf8)
        for command in ["validate", "solve"] {
            let r = try run([command, file])
            #expect(r.code == 1, "\(command)")
            #expect(r.stderr.contains("$.mentees[0].requires: \"safeguarding trained\" (required by Harvey) is held by no mentor"), "\(command): \(r.stderr)")
            #expect(r.stderr.contains("$.mentees[1].genderPreference: Isla wants a \"girls\" mentor"), "\(command): \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
        let v = try run(["validate", file])
        #expect(v.stderr.contains("$.mentors[1].gender: warning: \"f\" (Bea) is close to \"female\" (Ann)"), "\(v.stderr)")
    }
}
