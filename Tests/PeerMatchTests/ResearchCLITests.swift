import Foundation
import Testing
@testable import PeerMatch

/// `peermatch generate` and `peermatch compare` end to end (in the serialized CLI suite).
extension CLITests {
    @Test func generateIsReproducibleAndChecksItsArguments() throws {
        let a = try run(["generate", "--setting", "youth-club", "--mentees", "25", "--seed", "9"])
        let b = try run(["generate", "--setting", "youth-club", "--mentees", "25", "--seed", "9"])
        let c = try run(["generate", "--setting", "youth-club", "--mentees", "25", "--seed", "10"])
        #expect(a.code == 0 && a.stdout == b.stdout && a.stdout != c.stdout)
        #expect(try CohortReader.parse(Data(a.stdout.utf8), file: "g.json").0.mentees.count == 25)
        let skewed = try run(["generate", "--setting", "primary", "--mentees", "400", "--gender-mix", "skewed"])
        let cohort = try CohortReader.parse(Data(skewed.stdout.utf8), file: "s.json").0
        #expect(cohort.mentees.filter { $0.gender == "female" }.count > 280)
        #expect(try run(["generate"]).code == 2)                                      // no --mentees
        #expect(try run(["generate", "--mentees", "0"]).code == 2)
        #expect(try run(["generate", "--mentees", "5", "--setting", "nursery"]).code == 2)
        #expect(try run(["generate", "--programme", "pilot"]).code == 2)              // no --out
        let describe = try run(["generate", "--describe"])
        #expect(describe.code == 0 && describe.stdout == GeneratorSettings.markdown())
    }

    @Test func generateProgrammeNeverOverwritesSilently() throws {
        let dir = try tempDir().appendingPathComponent("pilot").path
        let first = try run(["generate", "--programme", "pilot", "--seed", "5", "--out", dir])
        #expect(first.code == 0, "\(first.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files.count == 100 && files.first == "001-primary.json" && files.last == "100-college.json")
        #expect(files.filter { $0.hasSuffix("-secondary.json") }.count == 41)
        let path = dir + "/042-secondary.json"
        let before = try String(contentsOfFile: path, encoding: .utf8)
        #expect(before == Programme.pilot(seed: 5)[41].generator.document())
        // A second run into the same folder refuses and writes nothing.
        try "edited by hand".write(toFile: path, atomically: true, encoding: .utf8)
        let again = try run(["generate", "--programme", "pilot", "--seed", "6", "--out", dir])
        #expect(again.code == 1)
        #expect(again.stderr.contains("100 of the 100 cohort files already exist") && again.stderr.contains("--force"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "edited by hand")
        // --force replaces them and says so.
        let forced = try run(["generate", "--programme", "pilot", "--seed", "5", "--out", dir, "--force"])
        #expect(forced.code == 0 && forced.stderr.contains("replacing 100 existing cohort files"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == before)
    }
}

extension CLITests {
    @Test func compareErrorsAndExitCodes() throws {
        let unknown = try run(["compare", "--policies", "interests,telepathy", "--generate", "primary:8", "--runs", "2"])
        #expect(unknown.code == 1 && unknown.stderr.contains("telepathy") && unknown.stderr.contains("presets: interests"))
        for spec in ["secondary", "nursery:10", "secondary:-3", "secondary:ten", "secondary:10:2"] {
            let r = try run(["compare", "--policies", "interests", "--generate", spec])
            #expect(r.code == 2, "\(spec)")
            #expect(r.stderr.contains("--generate"), "\(spec): \(r.stderr)")
        }
        #expect(try run(["compare", "--policies", "interests,age", "--generate", "primary:8", "--baseline", "fair"]).code == 2)
        #expect(try run(["compare", "--policies", "interests,interests", "--generate", "primary:8"]).code == 2)
        #expect(try run(["compare", "--policies", "interests", "--generate", "primary:8", "--instances", "x"]).code == 2)
        #expect(try run(["compare", "--policies", "interests"]).code == 2)
        #expect(try run(["compare", "--policies", "interests", "--generate", "primary:8", "--jobs", "0"]).code == 2)
        // A lock that one policy's hard rules forbid: the run stops with the cohort and policy named, exit 1.
        let dir = try tempDir()
        try #"{"mentors":[{"id":"m","age":14}],"mentees":[{"id":"e","age":12}],"locked":[{"mentor":"m","mentee":"e"}]}"#
            .write(to: dir.appendingPathComponent("locked.json"), atomically: true, encoding: .utf8)
        let strict = dir.appendingPathComponent("strict.yaml").path
        try "ageGap:\n  min: 3\n  ideal: 3\n".write(toFile: strict, atomically: true, encoding: .utf8)
        let broken = try run(["compare", "--policies", "interests,\(strict)", "--instances", dir.path])
        #expect(broken.code == 1 && broken.stderr.contains("locked.json: policy \(strict): locked[0]"), "\(broken.stderr)")
        let missing = try run(["compare", "--policies", "interests", "--instances", "no-such-folder"])
        #expect(missing.code == 1 && missing.stderr == "no-such-folder: no such folder\n")
    }

    @Test func compareOutputIsTheSameForAnyJobsAndProtectsInputs() throws {
        let dir = try tempDir()
        for (k, setting) in ["primary", "secondary", "youth-club"].enumerated() {
            let r = try run(["generate", "--setting", setting, "--mentees", "12", "--seed", String(k), "--out", dir.appendingPathComponent("c\(k).json").path])
            #expect(r.code == 0)
        }
        let args = ["compare", "--policies", "interests,random,mentee-choice", "--instances", dir.path]
        let one = try run(args + ["--jobs", "1", "--out", dir.appendingPathComponent("one.csv").path])
        let two = try run(args + ["--jobs", "2", "--out", dir.appendingPathComponent("two.csv").path,
                                  "--svg", dir.appendingPathComponent("chart.svg").path])
        #expect(one.code == 0 && two.code == 0, "\(one.stderr)\(two.stderr)")
        #expect(one.stdout == two.stdout && one.stdout.contains("## Policies compared on 3 cohorts"))
        #expect(one.stdout.contains("## Paired differences against `random`"))
        let csv1 = try String(contentsOf: dir.appendingPathComponent("one.csv"), encoding: .utf8)
        #expect(csv1 == (try String(contentsOf: dir.appendingPathComponent("two.csv"), encoding: .utf8)))
        #expect(try String(contentsOf: dir.appendingPathComponent("chart.svg"), encoding: .utf8).hasPrefix("<svg"))
        // An input is never overwritten.
        let clash = try run(args + ["--out", dir.appendingPathComponent("c0.json").path])
        #expect(clash.code == 1 && clash.stderr.contains("refusing to overwrite an input"))
        // --timings adds seconds.
        let timed = try run(["compare", "--policies", "interests", "--generate", "primary:8", "--runs", "2", "--timings"])
        #expect(timed.code == 0 && timed.stdout.contains("seconds"))
    }
}
