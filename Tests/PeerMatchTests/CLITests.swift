import Foundation
import Testing
@testable import PeerMatch

/// End-to-end: the built `peermatch` binary, its exit codes and its files.
@Suite(.serialized) struct CLITests {
    static var binary: String {
        let debug = Repo.path(".build/debug/peermatch")
        if FileManager.default.fileExists(atPath: debug) { return debug }
        return Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("peermatch").path
    }

    struct Run { var code: Int32; var stdout: String; var stderr: String }

    func run(_ args: [String]) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = args
        p.currentDirectoryURL = Repo.root
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
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
        #expect(json["solver"] == .string("glpk"))
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
}
