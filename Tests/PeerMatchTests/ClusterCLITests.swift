import Foundation
import Testing
@testable import PeerMatch

/// The cluster contract end to end, through the built binary (in the serialized CLI suite):
/// shards run at once (GNU parallel, the Slurm script, the HTCondor command line), merged, equal
/// a one-machine run byte for byte; a shard killed part way resumes; merge errors are clear.
extension CLITests {
    static let clusterPolicies = "interests,random,mentee-choice,fair"
    static let clusterCohorts = "24"

    /// A process started in the background with its own environment; stderr to a file.
    struct Background {
        let process: Process
        let stderr: URL
        func errors() -> String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }
        func wait() -> Int32 { process.waitUntilExit(); return process.terminationStatus }
    }

    func spawn(_ executable: String, _ args: [String], env: [String: String] = [:], in dir: URL) throws -> Background {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        p.currentDirectoryURL = dir
        p.environment = Self.environment(env)
        let err = dir.appendingPathComponent(".stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardError = try FileHandle(forWritingTo: err)
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        return Background(process: p, stderr: err)
    }

    func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    var clusterArgs: [String] {
        ["compare", "--programme", "pilot", "--cohorts", Self.clusterCohorts, "--seed", "2026", "--policies", Self.clusterPolicies]
    }

    /// The one-machine run the cluster runs are checked against: (stdout, summary CSV, chart, runs file).
    func oneMachine(in dir: URL) throws -> (String, String, String, String) {
        let r = try run(clusterArgs + ["--out", dir.appendingPathComponent("one.csv").path, "--svg", dir.appendingPathComponent("one.svg").path,
                                       "--runs-out", dir.appendingPathComponent("one-runs.csv").path])
        #expect(r.code == 0, "\(r.stderr)")
        return (r.stdout, try text(dir.appendingPathComponent("one.csv")), try text(dir.appendingPathComponent("one.svg")),
                try text(dir.appendingPathComponent("one-runs.csv")))
    }

    func mergeMatches(_ files: [String], _ expected: (String, String, String, String), in dir: URL, _ label: String) throws {
        let m = try run(["compare", "merge"] + files + ["--out", dir.appendingPathComponent("m.csv").path, "--svg", dir.appendingPathComponent("m.svg").path,
                                                       "--runs-out", dir.appendingPathComponent("m-runs.csv").path])
        #expect(m.code == 0, "\(label): \(m.stderr)")
        #expect(m.stdout == expected.0, "\(label): merged tables equal the one-machine tables")
        #expect(try text(dir.appendingPathComponent("m.csv")) == expected.1, "\(label): summary CSV")
        #expect(try text(dir.appendingPathComponent("m.svg")) == expected.2, "\(label): chart")
        #expect(try text(dir.appendingPathComponent("m-runs.csv")) == expected.3, "\(label): runs file")
    }

    /// 8 shards at once (processes started together; GNU parallel through the shipped script when
    /// it is installed; the Slurm script as Slurm runs it; the HTCondor submit file's command
    /// line), each merged: the same bytes as one machine.
    @Test func clusterScriptsGiveTheOneMachineBytes() throws {
        let dir = try tempDir()
        let expected = try oneMachine(in: dir)
        #expect(expected.0.contains("## Policies compared on 24 cohorts") && expected.0.contains("## By setting"))

        // 8 processes started at once, by hand.
        let byHand = dir.appendingPathComponent("hand")
        try FileManager.default.createDirectory(at: byHand, withIntermediateDirectories: true)
        let shards = try (0..<8).map { i in
            try spawn(Self.binary, clusterArgs + ["--shard-index", "\(i)", "--shard-count", "8", "--runs-out", "shard-\(i).csv"], in: byHand)
        }
        for (i, s) in shards.enumerated() { #expect(s.wait() == 0, "shard \(i): \(s.errors())") }
        let handFiles = (0..<8).map { byHand.appendingPathComponent("shard-\($0).csv").path }
        try mergeMatches(handFiles, expected, in: dir, "by hand")
        try mergeMatches(handFiles.reversed(), expected, in: dir, "any order")

        // GNU parallel, through Benchmarks/cluster/pilot-parallel.sh (which also merges).
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/parallel") {
            let out = dir.appendingPathComponent("parallel")
            let r = try run(["-c", Repo.path("Benchmarks/cluster/pilot-parallel.sh")], executable: "/bin/bash",
                            env: ["PEERMATCH": Self.binary, "OUT": out.path, "COHORTS": Self.clusterCohorts, "POLICIES": Self.clusterPolicies, "SHARDS": "8"])
            #expect(r.code == 0, "\(r.stderr)")
            #expect(r.stdout == expected.0)
            #expect(try text(out.appendingPathComponent("summary.csv")) == expected.1)
            #expect(try text(out.appendingPathComponent("chart.svg")) == expected.2)
            #expect(try text(out.appendingPathComponent("runs.csv")) == expected.3)
        }

        // The Slurm script, as Slurm runs an array task: SLURM_ARRAY_TASK_ID and _COUNT set.
        let slurmScript = try String(contentsOfFile: Repo.path("Benchmarks/cluster/pilot.slurm"), encoding: .utf8)
        #expect(slurmScript.contains("#SBATCH --array=0-7") && slurmScript.contains("--shard-count 8"))
        let slurm = dir.appendingPathComponent("slurm")
        try FileManager.default.createDirectory(at: slurm, withIntermediateDirectories: true)
        let tasks = try (0..<8).map { i in
            try spawn("/bin/bash", [Repo.path("Benchmarks/cluster/pilot.slurm")], env: [
                "SLURM_ARRAY_TASK_ID": "\(i)", "SLURM_ARRAY_TASK_COUNT": "8", "PEERMATCH": Self.binary, "OUT": slurm.path,
                "COHORTS": Self.clusterCohorts, "POLICIES": Self.clusterPolicies], in: dir)
        }
        for (i, t) in tasks.enumerated() { #expect(t.wait() == 0, "task \(i): \(t.errors())") }
        try mergeMatches((0..<8).map { slurm.appendingPathComponent("shard-\($0).csv").path }, expected, in: dir, "Slurm")

        // The HTCondor submit file: its arguments for each $(Process) of `queue 8`, on a smaller programme.
        let submit = try String(contentsOfFile: Repo.path("Benchmarks/cluster/pilot.sub"), encoding: .utf8)
        #expect(submit.contains("\nqueue 8\n") && submit.contains("--shard-count 8"))
        let line = try #require(submit.split(separator: "\n").first { $0.hasPrefix("arguments") })
        let quoted = try #require(line.split(separator: "\"", omittingEmptySubsequences: false).dropFirst().first)
        var words = quoted.split(separator: " ").map(String.init)
        words[try #require(words.firstIndex(of: "--cohorts")) + 1] = Self.clusterCohorts
        words[try #require(words.firstIndex(of: "--policies")) + 1] = Self.clusterPolicies
        #expect(words[try #require(words.firstIndex(of: "--seed")) + 1] == "2026")
        let condor = dir.appendingPathComponent("condor")
        try FileManager.default.createDirectory(at: condor.appendingPathComponent("runs"), withIntermediateDirectories: true)
        let jobs = try (0..<8).map { i in try spawn(Self.binary, words.map { $0.replacingOccurrences(of: "$(Process)", with: "\(i)") }, in: condor) }
        for (i, j) in jobs.enumerated() { #expect(j.wait() == 0, "job \(i): \(j.errors())") }
        try mergeMatches((0..<8).map { condor.appendingPathComponent("runs/shard-\($0).csv").path }, expected, in: dir, "HTCondor")
    }

    func dataRows(_ url: URL) -> Int {
        ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n").count - 1
    }

    /// Waits (up to a minute) for a paused test process to say so.
    func waitForPause(_ b: Background) throws {
        let deadline = Date().addingTimeInterval(60)
        while !b.errors().contains("test pause after"), Date() < deadline, b.process.isRunning { usleep(20_000) }
        #expect(b.errors().contains("test pause after"), "\(b.errors())")
    }

    /// A shard killed part way (SIGKILL: nothing it can do) keeps the units it had written; run
    /// again, it solves only the rest and ends with the file an uninterrupted run writes. SIGTERM
    /// (a batch system's time limit) makes it write what it finished first.
    @Test func killedShardResumes() throws {
        let dir = try tempDir()
        let shardArgs = clusterArgs + ["--shard-index", "3", "--shard-count", "8"]
        let reference = dir.appendingPathComponent("reference.csv")
        let whole = try run(shardArgs + ["--runs-out", reference.path])
        #expect(whole.code == 0 && whole.stdout.isEmpty, "\(whole.stderr)")
        let units = dataRows(reference)
        #expect(units == 12 && whole.stderr.contains("shard 3 of 8: 12 of 96 units"))

        let killed = dir.appendingPathComponent("killed.csv")
        let first = try spawn(Self.binary, shardArgs + ["--runs-out", killed.path, "--checkpoint-every", "0"],
                              env: ["PEERMATCH_TEST_PAUSE_AFTER": "4"], in: dir)
        try waitForPause(first)
        kill(first.process.processIdentifier, SIGKILL)
        #expect(first.wait() == SIGKILL && first.process.terminationReason == .uncaughtSignal)
        #expect(dataRows(killed) == 4, "the checkpoints hold the 4 finished units")
        let again = try run(shardArgs + ["--runs-out", killed.path])
        #expect(again.code == 0 && again.stderr.contains("resuming: 4 of 12 units are already in"), "\(again.stderr)")
        #expect(again.stderr.contains("(8 solved now, 4 kept, 0 skipped, 0 failed)"), "\(again.stderr)")
        #expect(try text(killed) == (try text(reference)))
        // Run once more: nothing left to solve, the same file.
        let third = try run(shardArgs + ["--runs-out", killed.path])
        let thirdText = try text(killed), referenceText = try text(reference)
        #expect(third.code == 0 && third.stderr.contains("(0 solved now, 12 kept") && thirdText == referenceText)

        let termed = dir.appendingPathComponent("termed.csv")
        let second = try spawn(Self.binary, shardArgs + ["--runs-out", termed.path, "--checkpoint-every", "1000"],
                               env: ["PEERMATCH_TEST_PAUSE_AFTER": "3"], in: dir)
        try waitForPause(second)
        #expect(!FileManager.default.fileExists(atPath: termed.path), "no checkpoint before the signal")
        kill(second.process.processIdentifier, SIGTERM)
        #expect(second.wait() == 128 + SIGTERM)
        #expect(second.errors().contains("stopped by signal 15"))
        #expect(dataRows(termed) == 3, "SIGTERM wrote the 3 finished units")
        #expect(try run(shardArgs + ["--runs-out", termed.path]).code == 0)
        #expect(try text(termed) == (try text(reference)))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    /// Each way a merge can go wrong is an error naming what is missing or mixed, exit 1, nothing written.
    @Test func mergeErrorsNameWhatIsWrong() throws {
        let dir = try tempDir()
        let args = ["compare", "--generate", "primary:10", "--runs", "12", "--seed", "4", "--policies", "interests,random"]
        func shard(_ i: Int, _ extra: [String] = [], name: String? = nil) throws -> String {
            let path = dir.appendingPathComponent(name ?? "s\(i).csv").path
            let r = try run(args + extra + ["--shard-index", "\(i)", "--shard-count", "4", "--runs-out", path])
            #expect(r.code == 0, "\(r.stderr)")
            return path
        }
        let files = try (0..<4).map { try shard($0) }
        let out = dir.appendingPathComponent("summary.csv").path
        func merge(_ paths: [String]) throws -> Run {
            let r = try run(["compare", "merge"] + paths + ["--out", out])
            #expect(r.code == 1 && r.stdout.isEmpty, "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out), "nothing written on a merge error")
            #expect(!r.stderr.contains("Fatal") && !r.stderr.contains("Backtrace"))
            return r
        }
        #expect(try run(["compare", "merge"] + files).code == 0)

        let missing = try merge([files[0], files[1], files[3]])
        #expect(missing.stderr.contains("compare merge: 6 of 24 units are missing: 2 (primary-10-002 × interests), 6 (primary-10-004 × interests)"), "\(missing.stderr)")
        #expect(missing.stderr.contains("The files look like 4 shards: no file holds shard 2"))

        let lines = try text(URL(fileURLWithPath: files[1])).split(separator: "\n", omittingEmptySubsequences: false)
        let partial = dir.appendingPathComponent("partial-1.csv")
        try (lines.prefix(3).joined(separator: "\n") + "\n").write(to: partial, atomically: true, encoding: .utf8)
        let incomplete = try merge([files[0], partial.path, files[2], files[3]])
        #expect(incomplete.stderr.contains("4 of 24 units are missing") && incomplete.stderr.contains("shard 1 (\(partial.path)) is incomplete"), "\(incomplete.stderr)")

        let copy = dir.appendingPathComponent("copy-of-1.csv")
        try FileManager.default.copyItem(atPath: files[1], toPath: copy.path)
        let duplicated = try merge(files + [copy.path])
        #expect(duplicated.stderr.contains("6 units are in more than one file: unit 1 (primary-10-001 × random) is in \(files[1]) line 2 and \(copy.path) line 2"), "\(duplicated.stderr)")
        let twice = try merge(files + [files[2]])
        #expect(twice.stderr.contains("\(files[2]): is given twice"), "\(twice.stderr)")

        let otherSeed = try shard(2, ["--seed", "5"], name: "seed5-2.csv")
        let mixed = try merge([files[0], files[1], otherSeed, files[3]])
        #expect(mixed.stderr.contains("the files hold runs of different comparisons") && mixed.stderr.contains(otherSeed)
                && mixed.stderr.contains("policies seen: interests, random"), "\(mixed.stderr)")
        let otherPolicies = try run(["compare", "--generate", "primary:10", "--runs", "12", "--seed", "4", "--policies", "interests,fair",
                                     "--shard-index", "1", "--shard-count", "4", "--runs-out", dir.appendingPathComponent("fair-1.csv").path])
        #expect(otherPolicies.code == 0)
        let mixedPolicies = try merge([files[0], dir.appendingPathComponent("fair-1.csv").path, files[2], files[3]])
        #expect(mixedPolicies.stderr.contains("fair-1.csv: comparison") && mixedPolicies.stderr.contains("policies seen: fair")
                && mixedPolicies.stderr.contains("policies seen: interests, random"), "\(mixedPolicies.stderr)")

        let old = dir.appendingPathComponent("old-3.csv")
        try text(URL(fileURLWithPath: files[3])).replacingOccurrences(of: ",\(PeerMatchVersion.current),", with: ",0.0.1,")
            .write(to: old, atomically: true, encoding: .utf8)
        let versions = try merge([files[0], files[1], files[2], old.path])
        #expect(versions.stderr.contains("the shards were made by different versions of PeerMatch") && versions.stderr.contains("PeerMatch 0.0.1: \(old.path)"), "\(versions.stderr)")

        let timed = try shard(0, ["--timings"], name: "timed-0.csv")
        let timings = try merge([timed, files[1], files[2], files[3]])
        #expect(timings.stderr.contains("\(timed) has solve seconds (--timings) and"), "\(timings.stderr)")

        let edited = dir.appendingPathComponent("edited-2.csv")
        let rows = try text(URL(fileURLWithPath: files[2])).split(separator: "\n").map(String.init)
        let hash = try #require(rows[2].split(separator: ",").last)
        try (rows[0...1] + [rows[2].replacingOccurrences(of: String(hash), with: "ffffffffffffffff")] + rows[3...]).joined(separator: "\n")
            .appending("\n").write(to: edited, atomically: true, encoding: .utf8)
        let changed = try merge([files[0], files[1], edited.path, files[3]])
        #expect(changed.stderr.contains("the files disagree about the comparison's units") && changed.stderr.contains("cohort_hash"), "\(changed.stderr)")

        let notRuns = try merge([files[0], Repo.path("Tests/PeerMatchTests/Fixtures/../../../instances/examples/youth-club.json")])
        #expect(notRuns.stderr.contains("is not a PeerMatch runs file"), "\(notRuns.stderr)")
    }

    /// `--runs-out` names a file to resume from only when it is this comparison's, this shard's and
    /// this version's; anything else is refused and left as it was.
    @Test func resumeRefusesFilesThatAreNotItsOwn() throws {
        let dir = try tempDir()
        let args = ["compare", "--generate", "college:8", "--runs", "6", "--policies", "interests,random"]
        let someone = dir.appendingPathComponent("notes.csv")
        try "name,score\nAisha,3\n".write(to: someone, atomically: true, encoding: .utf8)
        let foreign = try run(args + ["--runs-out", someone.path])
        #expect(foreign.code == 1 && foreign.stderr.contains("is not a PeerMatch runs file") && foreign.stderr.contains("it is never overwritten"), "\(foreign.stderr)")
        #expect(try text(someone) == "name,score\nAisha,3\n")

        let mine = dir.appendingPathComponent("runs.csv")
        #expect(try run(args + ["--shard-index", "0", "--shard-count", "2", "--runs-out", mine.path]).code == 0)
        let before = try text(mine)
        let otherShard = try run(args + ["--shard-index", "1", "--shard-count", "2", "--runs-out", mine.path])
        #expect(otherShard.code == 1 && otherShard.stderr.contains("is not one of shard 1 of 2's units"), "\(otherShard.stderr)")
        let otherComparison = try run(args + ["--seed", "9", "--shard-index", "0", "--shard-count", "2", "--runs-out", mine.path])
        #expect(otherComparison.code == 1 && otherComparison.stderr.contains("holds runs of another comparison"), "\(otherComparison.stderr)")
        let timed = try run(args + ["--timings", "--shard-index", "0", "--shard-count", "2", "--runs-out", mine.path])
        #expect(timed.code == 1 && timed.stderr.contains("holds runs of another comparison"), "\(timed.stderr)")
        #expect(try text(mine) == before)
    }

    /// The shard comes from the batch system's variables as well as from flags; bad numbers and
    /// missing outputs are usage errors before anything runs.
    @Test func shardsFromTheEnvironment() throws {
        let dir = try tempDir()
        let args = ["compare", "--generate", "special:6", "--runs", "5", "--policies", "interests,random"]
        let flags = dir.appendingPathComponent("flags.csv"), slurm = dir.appendingPathComponent("slurm.csv"), bazel = dir.appendingPathComponent("bazel.csv")
        #expect(try run(args + ["--shard-index", "2", "--shard-count", "3", "--runs-out", flags.path]).code == 0)
        let s = try run(args + ["--runs-out", slurm.path], env: ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "3"])
        #expect(s.code == 0 && s.stderr.contains("shard 2 of 3: 3 of 10 units (from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT)"), "\(s.stderr)")
        let status = dir.appendingPathComponent("shard-status")
        let b = try run(args + ["--runs-out", bazel.path], env: ["TEST_SHARD_INDEX": "2", "TEST_TOTAL_SHARDS": "3", "TEST_SHARD_STATUS_FILE": status.path])
        #expect(b.code == 0 && b.stderr.contains("(from TEST_SHARD_INDEX and TEST_TOTAL_SHARDS)"))
        #expect(FileManager.default.fileExists(atPath: status.path), "Bazel's shard status file is touched")
        #expect(try text(flags) == (try text(slurm)) && (try text(flags)) == (try text(bazel)))

        let beyond = try run(args + ["--runs-out", dir.appendingPathComponent("x.csv").path], env: ["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "3"])
        #expect(beyond.code == 2 && beyond.stderr.contains("--array=0-2"), "\(beyond.stderr)")
        let noFile = try run(args + ["--shard-index", "0", "--shard-count", "2"])
        #expect(noFile.code == 2 && noFile.stderr.contains("needs --runs-out"), "\(noFile.stderr)")
        let summaryInShard = try run(args + ["--shard-index", "0", "--shard-count", "2", "--runs-out", dir.appendingPathComponent("y.csv").path, "--out", dir.appendingPathComponent("z.csv").path])
        #expect(summaryInShard.code == 2 && summaryInShard.stderr.contains("compare merge"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.csv").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("y.csv").path))
    }

    /// `generate --programme pilot` in shards: disjoint files that together are the unsharded folder.
    @Test func generateProgrammeInShards() throws {
        let dir = try tempDir()
        let whole = dir.appendingPathComponent("whole").path, split = dir.appendingPathComponent("split").path
        #expect(try run(["generate", "--programme", "pilot", "--cohorts", "30", "--seed", "8", "--out", whole]).code == 0)
        for i in 0..<3 {
            let r = try run(["generate", "--programme", "pilot", "--cohorts", "30", "--seed", "8", "--out", split], env: ["SLURM_ARRAY_TASK_ID": "\(i)", "SLURM_ARRAY_TASK_COUNT": "3"])
            #expect(r.code == 0 && r.stderr.contains("wrote 10 of the 30 cohorts (shard \(i) of 3"), "\(r.stderr)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: whole).sorted()
        let splitNames = try FileManager.default.contentsOfDirectory(atPath: split).sorted()
        #expect(names.count == 30 && names == splitNames)
        for name in names {
            #expect(try Data(contentsOf: URL(fileURLWithPath: whole + "/" + name)) == (try Data(contentsOf: URL(fileURLWithPath: split + "/" + name))))
        }
        let again = try run(["generate", "--programme", "pilot", "--cohorts", "30", "--seed", "8", "--out", split, "--shard-index", "1", "--shard-count", "3"])
        #expect(again.code == 1 && again.stderr.contains("10 of the 10 cohort files of shard 1 of 3 already exist"), "\(again.stderr)")
        #expect(try run(["generate", "--setting", "primary", "--mentees", "5", "--shard-count", "2"]).code == 2)
    }

    /// A comparison over `--programme pilot` (in memory) and one over the folder `generate
    /// --programme pilot` wrote give the same tables: the file round trip changes no cohort. Their
    /// runs files differ only in the comparison id and the cohort hashes (of parameters in memory,
    /// of bytes on disk), so their shards are never merged together.
    @Test func programmeInMemoryAndItsFolderGiveTheSameTables() throws {
        let dir = try tempDir()
        let folder = dir.appendingPathComponent("pilot").path
        #expect(try run(["generate", "--programme", "pilot", "--cohorts", "15", "--seed", "3", "--out", folder]).code == 0)
        let common = ["--seed", "3", "--policies", "age,random"]
        let memory = try run(["compare", "--programme", "pilot", "--cohorts", "15", "--runs-out", dir.appendingPathComponent("a.csv").path] + common)
        let files = try run(["compare", "--instances", folder, "--runs-out", dir.appendingPathComponent("b.csv").path] + common)
        #expect(memory.code == 0 && files.code == 0 && memory.stdout == files.stdout, "\(memory.stderr)\(files.stderr)")
        func withoutIdentity(_ name: String) throws -> [String] {
            try text(dir.appendingPathComponent(name)).split(separator: "\n").map { line in
                let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                return cells.prefix(cells.count - 5).joined(separator: ",") + "," + cells.suffix(4).prefix(3).joined(separator: ",")
            }
        }
        #expect(try withoutIdentity("a.csv") == (try withoutIdentity("b.csv")))
        let runs = try text(dir.appendingPathComponent("b.csv")).split(separator: "\n")
        #expect(runs[1].contains(",001-primary,primary,") && runs.last!.contains(",college,"))
        let s0 = dir.appendingPathComponent("s0.csv").path, s1 = dir.appendingPathComponent("s1.csv").path
        #expect(try run(["compare", "--programme", "pilot", "--cohorts", "15", "--shard-index", "0", "--shard-count", "2", "--runs-out", s0] + common).code == 0)
        #expect(try run(["compare", "--instances", folder, "--shard-index", "1", "--shard-count", "2", "--runs-out", s1] + common).code == 0)
        let mixed = try run(["compare", "merge", s0, s1])
        #expect(mixed.code == 1 && mixed.stderr.contains("different comparisons"), "\(mixed.stderr)")
    }

    /// `compare` checks every cohort and every output before its first solve; timetabled cohorts
    /// are skipped by methods that cannot schedule them, and the rest of the comparison runs.
    @Test func compareChecksEverythingFirstAndSkipsWhatItCannotRun() throws {
        let dir = try tempDir()
        let folder = dir.appendingPathComponent("cohorts")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for k in 0..<3 {
            #expect(try run(["generate", "--setting", "primary", "--mentees", "10", "--seed", "\(k)", "--out", folder.appendingPathComponent("c\(k).json").path]).code == 0)
        }
        try #"{"mentors": [{"id": "m", "age": "fourteen"}], "mentees": []}"#.write(to: folder.appendingPathComponent("z-typo.json"), atomically: true, encoding: .utf8)
        let runsOut = dir.appendingPathComponent("runs.csv").path
        let bad = try run(["compare", "--policies", "interests,random", "--instances", folder.path, "--runs-out", runsOut])
        #expect(bad.code == 1 && bad.stderr.contains("z-typo.json: $.mentors[0].age"), "\(bad.stderr)")
        #expect(!bad.stderr.contains("solved") && !FileManager.default.fileExists(atPath: runsOut), "nothing solved, nothing written")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("z-typo.json"))
        let noFolder = try run(["compare", "--policies", "interests,random", "--instances", folder.path, "--runs-out", runsOut,
                                "--svg", dir.appendingPathComponent("missing/chart.svg").path])
        #expect(noFolder.code == 1 && noFolder.stderr.contains("missing/chart.svg: the folder") && noFolder.stderr.contains("does not exist"), "\(noFolder.stderr)")
        #expect(!FileManager.default.fileExists(atPath: runsOut), "the missing folder was found before any output was written")

        try FileManager.default.copyItem(atPath: Repo.path("instances/examples/youth-club-timetable.json"), toPath: folder.appendingPathComponent("d-timetabled.json").path)
        let mixed = try run(["compare", "--policies", "interests,random,mentee-choice", "--instances", folder.path, "--runs-out", runsOut])
        #expect(mixed.code == 0, "\(mixed.stderr)")
        #expect(mixed.stdout.contains("Not run: 1 unit skipped (random on 1 cohort: d-timetabled): method random does not schedule sessions"), "\(mixed.stdout)")
        #expect(mixed.stdout.contains("(n=3)"))
        let ignoring = try run(["compare", "--policies", "interests,random,mentee-choice", "--instances", folder.path, "--ignore-timetables"])
        #expect(ignoring.code == 0 && !ignoring.stdout.contains("Not run"))
    }
}
