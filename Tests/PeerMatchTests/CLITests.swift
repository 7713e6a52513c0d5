import Foundation
import Testing
@testable import PeerMatch

/// End-to-end: the built `peermatch` binary, its exit codes and its files.
@Suite(.serialized) struct CLITests {
    /// The `peermatch` under test: this build's, or `PEERMATCH_TEST_BINARY` (to show that a test
    /// fails against an older build).
    static var binary: String {
        if let given = ProcessInfo.processInfo.environment["PEERMATCH_TEST_BINARY"] { return given }
        let debug = Repo.path(".build/debug/peermatch")
        if FileManager.default.fileExists(atPath: debug) { return debug }
        return Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("peermatch").path
    }

    struct Run { var code: Int32; var stdout: String; var stderr: String }

    /// Runs `peermatch` (or `executable`) to the end. The environment is the test's without any
    /// batch system's shard variables (so a sharded test run does not shard the commands), plus `env`.
    func run(_ args: [String], executable: String? = nil, env: [String: String] = [:], in dir: URL? = nil) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable ?? Self.binary)
        p.arguments = args
        p.currentDirectoryURL = dir ?? Repo.root
        p.environment = Self.environment(env)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    static func environment(_ extra: [String: String]) -> [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SLURM_") && !$0.key.hasPrefix("TEST_") }.merging(extra) { $1 }
    }

    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pm-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func solveExampleIsOptimalAndReproducible() throws {
        let a = try run(["solve", "instances/examples/secondary-transition.json"])
        let b = try run(["solve", "instances/examples/secondary-transition.json"])
        #expect(a.code == 0, "\(a.stderr)")
        #expect(a.stdout == b.stdout, "same input, same policy: byte-identical output")
        let json = try JSONValue.parseJSON(Data(a.stdout.utf8), file: "out")
        #expect(json["status"] == .string("optimal"))
        #expect(json["solver"] == .string("paths"))
    }

    @Test func exitCodes() throws {
        #expect(try run(["solve"]).code == 2)                                  // missing argument
        #expect(try run(["solve", "x.json", "--format", "yaml"]).code == 2)   // bad option value
        #expect(try run(["frobnicate"]).code == 2)
        let missing = try run(["solve", "no-such-file.json"])
        #expect(missing.code == 1)
        #expect(missing.stderr == "no-such-file.json: no such file\n")
        #expect(!missing.stderr.contains("Backtrace") && !missing.stderr.contains("Fatal"))
        #expect(try run(["--help"]).code == 0)
    }

    @Test func invalidInputReportsEveryProblemAndWritesNothing() throws {
        let dir = try tempDir()
        let bad = dir.appendingPathComponent("bad.json")
        try Data(#"{"mentors":[{"id":"a","age":14,"capacity":-2}],"mentees":[{"id":"a","age":12}],"exclusions":[{"a":"a","b":"q"}]}"#.utf8).write(to: bad)
        let out = dir.appendingPathComponent("out.json").path
        let r = try run(["solve", bad.path, "--out", out])
        #expect(r.code == 1)
        #expect(r.stderr.contains("$.mentors[0].capacity: must be at least 0, found -2"))
        #expect(r.stderr.contains(#"$.mentees[0].id: duplicate id "a""#))
        #expect(r.stderr.contains(#"$.exclusions[0].b: unknown id "q""#))
        #expect(!FileManager.default.fileExists(atPath: out), "no output file on invalid input")
        let v = try run(["validate", bad.path])
        #expect(v.code == 1)
    }

    @Test func neverOverwritesAnInput() throws {
        let dir = try tempDir()
        let cohort = dir.appendingPathComponent("c.json")
        try FileManager.default.copyItem(atPath: Repo.path("instances/examples/primary-wellbeing-wednesdays.json"), toPath: cohort.path)
        let before = try Data(contentsOf: cohort)
        let r = try run(["solve", cohort.path, "--out", cohort.path])
        #expect(r.code == 1)
        #expect(r.stderr.contains("refusing to overwrite an input file"))
        #expect(try Data(contentsOf: cohort) == before)
        let ok = try run(["solve", cohort.path, "--out", dir.appendingPathComponent("result.csv").path, "--format", "csv"])
        #expect(ok.code == 0)
        let csv = try String(contentsOfFile: dir.appendingPathComponent("result.csv").path, encoding: .utf8)
        #expect(csv.hasPrefix("status,mentor,mentorName,mentee,menteeName,score,reasons"))
        // Writing the same output again replaces it whole (an earlier build lost the file here).
        let again = try run(["solve", cohort.path, "--out", dir.appendingPathComponent("result.csv").path, "--format", "json"])
        #expect(again.code == 0, "\(again.stderr)")
        let replaced = try String(contentsOfFile: dir.appendingPathComponent("result.csv").path, encoding: .utf8)
        #expect(replaced.hasPrefix("{"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func infeasibleHardMinimumExitsOne() throws {
        let dir = try tempDir()
        let policy = dir.appendingPathComponent("p.yaml")
        try Data("mentorMinimum:\n  count: 3\n  mode: hard\n".utf8).write(to: policy)
        let r = try run(["solve", "instances/examples/primary-wellbeing-wednesdays.json", "--policy", policy.path])
        #expect(r.code == 1)
        let json = try JSONValue.parseJSON(Data(r.stdout.utf8), file: "out")
        #expect(json["status"] == .string("infeasible"))
        #expect(r.stderr.contains("infeasible:"))
    }

    @Test func candidatesAllExplainsRejections() throws {
        let r = try run(["candidates", "instances/examples/youth-club.json", "--all"])
        #expect(r.code == 0)
        guard case .array(let rows) = try JSONValue.parseJSON(Data(r.stdout.utf8), file: "out") else { Issue.record("not a list"); return }
        #expect(rows.count == 9 * 14)   // every mentor × mentee with --all
        #expect(rows.contains { $0["rejected"] == .bool(true) && $0["rejectedBy"] != nil })
        #expect(rows.contains { $0["breakdown"]?["sharedInterests"] != nil })
        let csv = try run(["candidates", "instances/examples/youth-club.json", "--format", "csv"])
        #expect(csv.stdout.hasPrefix("mentor,mentee,score,sharedInterests,needsMet,ageCloseness,genderPreference,statedPreferences,rejectedBy"))
    }

    @Test func greedySolverSaysSo() throws {
        let r = try run(["solve", "instances/examples/leaving-care.json", "--solver", "greedy", "--format", "json"])
        #expect(r.code == 0)
        let json = try JSONValue.parseJSON(Data(r.stdout.utf8), file: "out")
        #expect(json["status"] == .string("fallback"))
        #expect(json["fallbackReason"] == .string("the greedy solver was requested (--solver greedy)"))
    }

    @Test func generateIsDeterministic() throws {
        let a = try run(["generate", "--mentees", "30", "--seed", "5"]), b = try run(["generate", "--mentees", "30", "--seed", "5"])
        let c = try run(["generate", "--mentees", "30", "--seed", "6"])
        #expect(a.code == 0 && a.stdout == b.stdout && a.stdout != c.stdout)
    }

    @Test func presetsWorkByName() throws {
        let list = try run(["policies"])
        #expect(list.code == 0)
        #expect(list.stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) } == PolicyPreset.all.map(\.name))
        for preset in PolicyPreset.all {
            let r = try run(["solve", "instances/examples/secondary-transition.json", "--policy", preset.name, "--seed", "3"])
            #expect(r.code == 0, "\(preset.name): \(r.stderr)")
            #expect(r.stdout.contains("\"method\" : \"\(preset.policy.method.rawValue)\"") || r.stdout.contains("\"method\": \"\(preset.policy.method.rawValue)\""), "\(preset.name)")
            #expect(r.stdout.contains("\"blockingPairs\""))
            let again = try run(["solve", "instances/examples/secondary-transition.json", "--policy", preset.name, "--seed", "3"])
            #expect(again.stdout == r.stdout, "\(preset.name): same seed, same bytes")
        }
        let csv = try run(["solve", "instances/examples/secondary-transition.json", "--policy", "mentee-choice", "--format", "csv"])
        #expect(csv.stdout.contains("summary,,,,,,\"blocking pairs 0;"))
        let show = try run(["policies", "--show", "fair"])
        #expect(show.stdout == PolicyPreset.named("fair")!.yaml)
        let bad = try run(["solve", "instances/examples/secondary-transition.json", "--policy", "no-such-policy"])
        #expect(bad.code == 1)
        #expect(bad.stderr.contains("no-such-policy") && bad.stderr.contains("mentee-choice"))
    }

    /// A timetabled solve: slot, room, dates and the echoed timetable in JSON; slot, room and the
    /// number of sessions in CSV and the table; reproducible bytes.
    @Test func timetabledSolveOutputs() throws {
        let file = "instances/examples/primary-wellbeing-wednesdays-timetable.json"
        let a = try run(["solve", file]), b = try run(["solve", file])
        #expect(a.code == 0 && a.stdout == b.stdout, "\(a.stderr)")
        let json = try JSONValue.parseJSON(Data(a.stdout.utf8), file: "out")
        guard case .array(let pairs)? = json["pairs"], let first = pairs.first else { Issue.record("no pairs"); return }
        #expect(first["slot"] != nil && first["room"] == .string("nurture"))
        #expect(first["mentor"] == .string("m1"))
        #expect(first["sessionCount"] == .number(13))   // 15 Wednesdays, half term and one away day dropped
        guard case .array(let dates)? = first["dates"] else { Issue.record("no dates"); return }
        #expect(dates.count == 13)
        #expect(a.stdout.contains("\"date\": \"2026-10-28\",\n") && a.stdout.contains("\"reason\": \"skipped week\""))
        #expect(json["timetable"]?["format"] == .string("pairs-in-room"))
        #expect(json["timetable"]?["term"]?["start"] == .string("2026-09-07"))
        let csv = try run(["solve", file, "--format", "csv"])
        #expect(csv.stdout.hasPrefix("status,mentor,mentorName,mentee,menteeName,score,slot,room,sessions,reasons"))
        let table = try run(["solve", file, "--format", "table"])
        // The table is for people: rooms by name and slots by day and time (the CSV keeps the ids).
        #expect(table.stdout.contains("Slot") && table.stdout.contains("Sessions") && table.stdout.contains("Nurture room"))
        #expect(table.stdout.contains("Wed 12:"), "\(table.stdout)")
        #expect(csv.stdout.contains(",nurture,"))
        // Untimetabled cohorts keep their old columns.
        let plain = try run(["solve", "instances/examples/primary-wellbeing-wednesdays.json", "--format", "csv"])
        #expect(plain.stdout.hasPrefix("status,mentor,mentorName,mentee,menteeName,score,reasons"))
    }

    /// Re-matching from the command line: the previous result is read, changes are reported, and
    /// bad or mismatched files are clear errors with exit 1.
    @Test func rematchFromTheCommandLine() throws {
        let dir = try tempDir()
        let file = "instances/examples/secondary-transition-timetable.json"
        let previous = dir.appendingPathComponent("previous.json").path
        #expect(try run(["solve", file, "--out", previous]).code == 0)
        // Secondary mentor m4 withdraws.
        let cohort = try JSONValue.parseJSON(Data(contentsOf: Repo.root.appendingPathComponent(file)), file: "c")
        guard case .object(var top) = cohort, case .array(let mentors)? = cohort["mentors"] else { Issue.record("shape"); return }
        let withdrawn = mentors.filter { $0["id"] != .string("m4") }
        top = top.map { $0.0 == "mentors" ? ($0.0, .array(withdrawn)) : $0 }
        top = top.map { kv in
            guard kv.0 == "locked" || kv.0 == "scores" || kv.0 == "exclusions", case .array(let items) = kv.1 else { return kv }
            return (kv.0, .array(items.filter { $0["mentor"] != .string("m4") && $0["a"] != .string("m4") && $0["b"] != .string("m4") }))
        }
        let changed = dir.appendingPathComponent("changed.json").path
        try Data(JSONValue.object(top).rendered().utf8).write(to: URL(fileURLWithPath: changed))
        let r = try run(["solve", changed, "--previous", previous, "--max-changes", "2"])
        #expect(r.code == 0, "\(r.stderr)")
        let json = try JSONValue.parseJSON(Data(r.stdout.utf8), file: "out")
        #expect(json["changes"]?["maxChanges"] == .number(2))
        #expect("\(json["changes"]!)".contains("m4 is no longer in the cohort"))
        let notResult = try run(["solve", changed, "--previous", changed])
        #expect(notResult.code == 1)
        #expect(notResult.stderr.contains("is not a peermatch result"))
        #expect(try run(["solve", changed, "--max-changes", "1"]).code == 2)
        let missing = try run(["solve", changed, "--previous", dir.appendingPathComponent("nope.json").path])
        #expect(missing.code == 1 && missing.stderr.contains("no such file"))
    }

    /// `solve --timetable --calendar --html` writes the three timetable files from the same result;
    /// a cohort without slots gets a clear error and no file at all.
    @Test func timetableFilesFromSolve() throws {
        let dir = try tempDir()
        let file = "instances/examples/primary-wellbeing-wednesdays-timetable.json"
        let (csv, html, cal) = (dir.appendingPathComponent("t.csv").path, dir.appendingPathComponent("t.html").path,
                                dir.appendingPathComponent("cal").path)
        let r = try run(["solve", file, "--timetable", csv, "--html", html, "--calendar", cal, "--out", dir.appendingPathComponent("r.json").path])
        #expect(r.code == 0, "\(r.stderr)")
        let result = try JSONValue.parseJSON(Data(contentsOf: dir.appendingPathComponent("r.json")), file: "r.json")
        guard case .array(let pairs)? = result["pairs"] else { Issue.record("no pairs"); return }
        var sessionDates = 0, people = Set<String>()
        for p in pairs {
            if case .array(let dates)? = p["dates"] { sessionDates += dates.count }
            if case .string(let m)? = p["mentor"], case .string(let e)? = p["mentee"] { people.formUnion([m, e]) }
        }
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").dropFirst()
        // Wellbeing Wednesdays meets as pairs (one row per pair and date).
        #expect(rows.count == sessionDates && sessionDates > 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: cal).sorted()
        #expect(files.filter { $0.hasPrefix("person-") }.count == people.count)
        #expect(files.contains { $0.hasPrefix("room-") })
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("Week at a glance"))

        let plain = dir.appendingPathComponent("plain.csv").path
        let bad = try run(["solve", "instances/examples/secondary-transition.json", "--timetable", plain,
                           "--out", dir.appendingPathComponent("plain.json").path])
        #expect(bad.code == 1 && bad.stderr.contains("lists no slots"))
        let stable = try run(["solve", file, "--policy", "mentee-choice"])
        #expect(stable.code == 1 && stable.stderr.contains("method stable does not schedule sessions yet"))
        #expect(!FileManager.default.fileExists(atPath: plain) && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("plain.json").path))
    }
}
