import Foundation
import Testing
@testable import PeerMatch

/// The sharding contract in the library: units, seeds, shards, the runs file, resuming and
/// merging, against a one-machine run of the same comparison.
@Suite struct ShardingTests {
    static func plan(_ names: [String], instances: [ComparisonInstance], seed: UInt64 = 7) throws -> ComparisonPlan {
        ComparisonPlan(policies: try names.map { ($0, try PolicyReader.resolve($0)) }, instances: instances, seed: seed)
    }

    static let small = ComparisonInstance.programme(seed: 11, cohorts: 12)

    @Test func shardsPartitionTheUnitsAndSeedsIgnoreTheSplit() throws {
        let plan = try Self.plan(["interests", "random", "mentee-choice"], instances: Self.small)
        #expect(plan.unitCount == 36)
        for n in 1...10 {
            let parts = (0..<n).map { plan.units(in: Shard(index: $0, count: n)) }
            #expect(parts.joined().sorted() == Array(0..<36), "shards of \(n) cover every unit once")
            for (i, part) in parts.enumerated() { #expect(part.allSatisfy { $0 % n == i }) }
        }
        // A unit's seed is a function of the base seed and its id: the same in every shard, distinct across units.
        let seeds = (0..<plan.unitCount).map(plan.unitSeed)
        #expect(Set(seeds).count == seeds.count)
        #expect(plan.unitSeed(17) == UnitSeed.derive(base: 7, id: 17, stream: .matcher))
        var other = plan
        other.seed = 8
        #expect(other.unitSeed(17) != plan.unitSeed(17))
        #expect(UnitSeed.derive(base: 7, id: 17, stream: .cohort) != plan.unitSeed(17))
        // Cohort-major numbering: unit = cohort × policies + policy.
        #expect(plan.locate(17) == (5, 2))
    }

    @Test func shardFromFlagsAndBatchSystems() throws {
        func shard(_ i: Int?, _ n: Int?, _ env: [String: String] = [:]) throws -> Shard { try Shard.resolve(index: i, count: n, environment: env) }
        #expect(try shard(nil, nil) == .whole)
        #expect(try shard(2, 5) == Shard(index: 2, count: 5))
        let slurm = try shard(nil, nil, ["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "8"])
        #expect(slurm.index == 3 && slurm.count == 8 && slurm.source == "SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT")
        let bazel = try shard(nil, nil, ["TEST_SHARD_INDEX": "1", "TEST_TOTAL_SHARDS": "4"])
        #expect(bazel.index == 1 && bazel.count == 4 && bazel.source == "TEST_SHARD_INDEX and TEST_TOTAL_SHARDS")
        // Slurm wins over Bazel; flags win over both; a missing flag comes from the environment.
        let both = ["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "8", "TEST_SHARD_INDEX": "1", "TEST_TOTAL_SHARDS": "4"]
        #expect(try shard(nil, nil, both).count == 8)
        #expect(try shard(0, 2, both) == Shard(index: 0, count: 2))
        // A resubmitted Slurm task (--array=3: count 1) with --shard-count 8 is shard 3 of 8.
        let resubmitted = try shard(nil, 8, ["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "1"])
        #expect(resubmitted.index == 3 && resubmitted.count == 8 && resubmitted.source == "SLURM_ARRAY_TASK_ID and --shard-count")
        // ...and without it, a clear error rather than a silent re-split.
        #expect(throws: Shard.Problem.self) { try shard(nil, nil, ["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "1"]) }
        do { _ = try shard(nil, nil, ["SLURM_ARRAY_TASK_ID": "8", "SLURM_ARRAY_TASK_COUNT": "8"]); Issue.record("no error") } catch {
            #expect("\(error)".contains("--array=0-7") && "\(error)".contains("index 8 of 8"), "\(error)")
        }
        for bad: [String: String] in [["SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_COUNT": "8"], ["TEST_SHARD_INDEX": "1"],
                                      ["TEST_SHARD_INDEX": "-1", "TEST_TOTAL_SHARDS": "4"], ["TEST_SHARD_INDEX": "0", "TEST_TOTAL_SHARDS": "0"]] {
            #expect(throws: Shard.Problem.self, "\(bad)") { try shard(nil, nil, bad) }
        }
        #expect(throws: Shard.Problem.self) { try shard(1, nil) }
        #expect(throws: Shard.Problem.self) { try shard(nil, 4) }
        #expect(throws: Shard.Problem.self) { try shard(4, 4) }
    }

    /// Shards run in any number, with any threads, and merged, give the one-machine bytes: the
    /// tables, the CSV, the runs file and the chart.
    @Test func mergedShardsEqualOneMachine() throws {
        let plan = try Self.plan(["interests", "random", "mentee-choice", "fair"], instances: Self.small)
        let one = try Comparison.run(plan)
        let (jobs, _) = Comparison.effectiveJobs(2)
        for n in [1, 2, 3, 8, 50] {
            var files: [RunsFile.Contents] = []
            for i in 0..<n {
                let records = try ShardRunner(try plan.prepare(Shard(index: i, count: n)), jobs: i % 2 == 0 ? 1 : jobs).run()
                let text = RunsFile.render(records, identity: plan.identity)
                files.append(try RunsFile.parse(Data(text.utf8), file: "shard-\(i).csv"))
            }
            let merged = try ComparisonMerge.merge(files.shuffled())
            #expect(merged.markdown(baseline: 1) == one.markdown(baseline: 1), "\(n) shards")
            #expect(merged.csv(baseline: 1) == one.csv(baseline: 1))
            #expect(merged.runsCSV() == one.runsCSV())
            #expect(ComparisonChart.svg(merged, baseline: 1) == ComparisonChart.svg(one, baseline: 1))
        }
    }

    /// Values are written exactly: read back, they are the same doubles, so summaries agree to the bit.
    @Test func runsFileRoundTripsExactly() throws {
        var rng = SeededRandom(seed: 3)
        let info = InstanceInfo(name: "a, \"quoted\" name", setting: "primary", cohortSeed: UInt64.max, mentees: 3, mentors: 2,
                                places: 4, slots: 0, hash: "0123456789abcdef")
        var records: [UnitRecord] = []
        for u in 0..<40 {
            var values: [Double?] = ComparisonMetric.allCases.map { _ in rng.chance(0.2) ? nil : [rng.double() * 100, 1.0 / 3, 0.1 + 0.2, 5e-9, 1e17, -2.5][rng.int(6)] }
            values[ComparisonMetric.allCases.firstIndex(of: .seconds)!] = nil
            let outcome: UnitOutcome = u == 5 ? .skipped("no slots, \"why\"") : u == 6 ? .failed("locked[0]: broken") : .solved(u % 7 == 0 ? .feasible : .optimal)
            records.append(UnitRecord(unit: u, seed: rng.next(), policy: "p\(u % 4)", instance: info, outcome: outcome, values: values))
        }
        let identity = RunsIdentity(comparison: "abc", unitCount: 40, policyCount: 4, scoredWith: "interests", timed: false)
        let text = RunsFile.render(records.shuffled(), identity: identity)
        let back = try RunsFile.parse(Data(text.utf8), file: "r.csv")
        #expect(back.identity == identity && !back.timed)
        #expect(back.records.map(\.record) == records)
        #expect(back.records.map(\.line) == Array(2...41))
        #expect(RunsFile.render(back.records.map(\.record), identity: identity) == text)
        // The hand-written line writer quotes exactly as CSV.swift's writer does.
        let tricky = ["plain", "a,b", "say \"hi\"", "line\nbreak", "", "ü, \"x\"", "cr\rhere", "\""]
        #expect(RunsFile.line(tricky) == csvText(header: tricky, rows: []))
        #expect(RunsFile.line(["x"]) + RunsFile.line(tricky) == csvText(header: ["x"], rows: [tricky]))
        // The note of a failed unit stays on its line.
        var multiLine = records[6]; multiLine.outcome = .failed("first\nsecond")
        let one = RunsFile.render([multiLine], identity: identity)
        #expect(one.split(separator: "\n").count == 2 && one.contains("first second"))
    }

    @Test func runsFileErrorsNameTheLineAndColumn() throws {
        let plan = try Self.plan(["interests", "random"], instances: Array(Self.small.prefix(2)))
        let text = try Comparison.run(plan).runsCSV()
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[2] = lines[2].replacingOccurrences(of: ",optimal,", with: ",great,")
        lines[3] = lines[3].replacingOccurrences(of: "\(plan.identity.comparison)", with: "0000000000000000")
        do { _ = try RunsFile.parse(Data(lines.joined(separator: "\n").utf8), file: "r.csv"); Issue.record("no error") } catch {
            let message = "\(error)"
            #expect(message.contains("r.csv: line 3, column 12 (status): must be optimal, feasible, fallback, infeasible, skipped or error, found \"great\""), "\(message)")
            #expect(message.contains("r.csv: line 4: belongs to another comparison than line 2"), "\(message)")
        }
        #expect(throws: InputError.self) { try RunsFile.parse(Data("id,name\n1,a\n".utf8), file: "people.csv") }
        do { _ = try RunsFile.parse(Data("id,name\n1,a\n".utf8), file: "people.csv") } catch {
            #expect("\(error)".contains("people.csv: line 1: is not a PeerMatch runs file"), "\(error)")
        }
        #expect(throws: InputError.self) { try RunsFile.parse(Data(), file: "empty.csv") }
    }

    /// A shard resumed from the rows a killed run left behind solves only the rest and ends with
    /// the same rows; the checkpoints it writes on the way are complete files of finished units.
    @Test func resumingSolvesOnlyWhatIsMissing() throws {
        let plan = try Self.plan(["interests", "random", "fair"], instances: Self.small)
        let shard = Shard(index: 1, count: 3)
        let full = try ShardRunner(try plan.prepare(shard)).run()
        #expect(full.count == 12)
        let kept = Array(full.prefix(5))
        let written = ConcurrentSlots<[Int]>(count: 1)
        written.set(0, [])
        let runner = ShardRunner(try plan.prepare(shard), existing: kept, checkpointEvery: 0, checkpoint: { rows, solved in
            // Every checkpoint holds the kept rows and the ones solved so far, in unit order.
            #expect(rows.count == 5 + solved && rows == rows.sorted { $0.unit < $1.unit })
            written.set(0, written.get(0)! + [solved])
        })
        #expect(runner.pending == full.dropFirst(5).map(\.unit) && runner.kept == 5)
        #expect(try runner.run() == full)
        #expect(written.get(0)! == Array(1...6), "a checkpoint after every unit but the last (the caller writes that)")
        // stop() writes what is finished and takes no more units.
        let stopped = ConcurrentSlots<Int>(count: 1)
        let halted = ShardRunner(try plan.prepare(shard), checkpointEvery: 1000, checkpoint: { rows, _ in stopped.set(0, rows.count) })
        try halted.stop()
        let after = try halted.run()
        #expect(stopped.get(0) == 0 && after.isEmpty)
    }

    /// Resuming checks the file against the comparison, the shard and the cohorts read now.
    @Test func resumingChecksTheFileAndTheCohorts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pm-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for member in Programme.pilot(seed: 2, cohorts: 6) {
            try member.generator.document().write(to: dir.appendingPathComponent(member.fileName), atomically: true, encoding: .utf8)
        }
        let plan = try Self.plan(["interests", "random"], instances: try ComparisonInstance.files(in: dir.path))
        let shard = Shard(index: 0, count: 2)
        let runs = dir.appendingPathComponent("runs.csv").path
        #expect(try plan.keptRows(from: runs, shard: shard).isEmpty, "no file: nothing kept")
        let prepared = try plan.prepare(shard)
        let rows = try ShardRunner(prepared).run()
        try RunsFile.render(Array(rows.prefix(3)), identity: plan.identity).write(toFile: runs, atomically: true, encoding: .utf8)
        let kept = try plan.keptRows(from: runs, shard: shard)
        #expect(kept == Array(rows.prefix(3)))
        try prepared.checkKept(kept, file: runs)
        #expect(throws: InputError.self) { try plan.keptRows(from: runs, shard: Shard(index: 1, count: 2)) }
        var other = plan
        other.seed += 1
        #expect(throws: InputError.self) { try other.keptRows(from: runs, shard: shard) }
        // The first cohort file is edited: its kept rows no longer describe it.
        let first = dir.appendingPathComponent("001-primary.json")
        try (try String(contentsOf: first, encoding: .utf8)).replacingOccurrences(of: "\"capacity\": 1", with: "\"capacity\": 2")
            .write(to: first, atomically: true, encoding: .utf8)
        let reread = try plan.prepare(shard)
        do { try reread.checkKept(kept, file: runs); Issue.record("no error") } catch {
            #expect("\(error)".contains("holds runs of 001-primary made from a different cohort"), "\(error)")
        }
    }

    @Test func programmeScalesWithThePilotMix() {
        #expect(Programme.scaledCounts(100).map(\.count) == [41, 41, 9, 5, 4])
        #expect(Programme.scaledCounts(10_000).map(\.count) == [4100, 4100, 900, 500, 400])
        for n in 1...300 {
            let counts = Programme.scaledCounts(n).map(\.count)
            #expect(counts.reduce(0, +) == n)
            for (k, c) in counts.enumerated() { #expect(abs(Double(c) - Double(n * [41, 41, 9, 5, 4][k]) / 100) < 1, "\(n)") }
        }
        // The 100-cohort programme is the pilot as before; names take as many digits as needed.
        let big = Programme.pilot(seed: 3, cohorts: 1200)
        #expect(big.first?.fileName == "0001-primary.json" && big.last?.fileName == "1200-college.json")
        #expect(Programme.pilot(seed: 3).map(\.fileName) == Programme.pilot(seed: 3, cohorts: 100).map(\.fileName))
    }

    @Test func generatedFilesCarryTheirProvenance() throws {
        let generator = CohortGenerator(setting: .youthClub, mentees: 9, seed: UInt64.max - 3, genderMix: .skewed)
        let text = generator.document()
        #expect(text.hasPrefix("{\n  \"generated\": {\n    \"setting\": \"youth-club\",\n    \"seed\": \"18446744073709551612\""))
        let meta = try #require(GeneratedMetadata.read(from: Data(text.utf8)))
        #expect(meta == GeneratedMetadata(setting: "youth-club", seed: UInt64.max - 3, mentees: 9, mentors: generator.mentors))
        // The reader ignores it: the cohort is the generator's.
        let (cohort, diagnostics) = try CohortReader.parse(Data(text.utf8), file: "g.json")
        #expect(cohort == generator.generate() && diagnostics.isEmpty)
        // No block, or not at the head: no metadata (hand-written files).
        #expect(GeneratedMetadata.read(from: Data(CohortWriter.json(cohort).rendered().utf8)) == nil)
        #expect(GeneratedMetadata.read(from: Data("{\"mentors\": [], \"generated\": {\"setting\": \"x\"}}".utf8)) == nil)
        // A generated cohort's identity is its generator's parameters: any change gives another.
        var other = generator
        other.seed -= 1
        #expect(ComparisonInstance.hash(of: other) != ComparisonInstance.hash(of: generator))
        other = generator
        other.mentors += 1
        #expect(ComparisonInstance.hash(of: other) != ComparisonInstance.hash(of: generator))
        #expect(InstanceInfo.setting(fromName: "001-primary") == "primary")
        #expect(InstanceInfo.setting(fromName: "007-youth-club") == "youth-club")
        #expect(InstanceInfo.setting(fromName: "special-2026") == "special")
        #expect(InstanceInfo.setting(fromName: "secondary-transition") == "secondary")
        #expect(InstanceInfo.setting(fromName: "my-cohort") == nil)
    }
}

/// The metrics researchers asked for: same-gender share, effect sizes, results by setting, metadata.
@Suite struct ResearchMetricsTests {
    @Test func sameGenderShare() throws {
        func share(_ cohort: Cohort) throws -> Double? {
            let v = ComparisonMetric.values(cohort: cohort, result: try Matcher().match(cohort), scoring: PairingContext(cohort: cohort, policy: .default))
            return v[ComparisonMetric.allCases.firstIndex(of: .sameGenderShare)!]
        }
        var cohort = CompareTests.handCohort                     // f–f, f–f, m–m
        #expect(try share(cohort) == 1)
        cohort.mentees[1].gender = "female"                      // m2 (male) – e2 (female)
        #expect(try share(cohort) == 2.0 / 3)
        cohort.mentees[1].gender = nil                           // unknown: not counted
        #expect(try share(cohort) == 1)
        cohort.mentees[0].genderPreference = .any                // so m1 may have no gender
        cohort.mentors[0].gender = nil
        cohort.mentees[1].gender = "male"
        #expect(try share(cohort) == 1)                          // only m2–e2 has both genders
        cohort.mentors[1].gender = nil
        #expect(try share(cohort) == nil)                        // no pair with both known
    }

    @Test func effectSizes() throws {
        let d = try #require(Statistics.pairedDifference([1, 2, nil, 4, 10], [0, 1, 5, nil, 6]))   // differences 1, 1, 4
        #expect(abs(d.standardDeviation! - 3.0.squareRoot()) < 1e-12 && abs(d.standardised! - 2 / 3.0.squareRoot()) < 1e-12)
        #expect(Statistics.meanInterval([0.1, 0.1, 0.1])!.standardised == nil)    // no spread: no effect size
        #expect(Statistics.meanInterval([5])!.standardised == nil)
        #expect(abs(Statistics.meanInterval([-1, -3])!.standardised! + 2 / 2.0.squareRoot()) < 1e-12)
        // In the tables: d beside each paired interval, and in the CSV.
        let plan = try ShardingTests.plan(["balanced", "random"], instances: ComparisonInstance.generated(setting: .secondary, mentees: 20, runs: 6, seed: 2))
        let c = try Comparison.run(plan)
        let diff = try #require(c.difference(0, from: 1, .meanPairScore))
        let dz = try #require(diff.standardised)
        #expect(c.markdown(baseline: 1).contains(String(format: "d=%@%.2f", dz >= 0 ? "+" : "", dz)))
        let row = try #require(c.csv(baseline: 1).split(separator: "\n").first { $0.hasPrefix("all,balanced,meanPairScore,") })
        #expect(row.hasSuffix(String(format: ",%.6f,%.6f", diff.standardDeviation!, dz)))
    }

    @Test func resultsBySetting() throws {
        let plan = try ShardingTests.plan(["interests", "random"], instances: ComparisonInstance.programme(seed: 4, cohorts: 20))
        let c = try Comparison.run(plan)
        let settings = c.settings()
        #expect(settings.map(\.setting) == ["primary", "secondary", "youth-club", "special", "college"])
        #expect(settings.map(\.cohorts.count) == [8, 8, 2, 1, 1])
        let markdown = c.markdown(baseline: 1)
        #expect(markdown.contains("## By setting") && markdown.contains("### primary (8 cohorts)") && markdown.contains("### college (1 cohort)"))
        #expect(markdown.contains("#### Paired differences against `random`"))
        for (_, cohorts) in settings {
            for metric in ComparisonMetric.deterministic {
                #expect(c.summary(0, metric, cohorts: cohorts) == Statistics.meanInterval(cohorts.compactMap { c.values[0][$0][ComparisonMetric.allCases.firstIndex(of: metric)!] }))
            }
        }
        let csv = c.csv(baseline: 1).split(separator: "\n")
        #expect(csv.filter { $0.hasPrefix("all,") }.count == 2 * ComparisonMetric.deterministic.count)
        #expect(csv.filter { $0.hasPrefix("special,") }.count == 2 * ComparisonMetric.deterministic.count)
        // One setting: no split.
        let one = try Comparison.run(ShardingTests.plan(["interests", "random"], instances: ComparisonInstance.generated(setting: .college, mentees: 10, runs: 3, seed: 1)))
        #expect(!one.markdown(baseline: 1).contains("By setting"))
    }

    /// Every runs row carries the cohort's setting, sizes and seed.
    @Test func metadataInEveryRow() throws {
        let instances = ComparisonInstance.programme(seed: 9, cohorts: 10)
        let plan = try ShardingTests.plan(["interests", "mentee-choice"], instances: instances)
        let c = try Comparison.run(plan)
        let members = Programme.pilot(seed: 9, cohorts: 10)
        for r in c.records {
            let (k, _) = plan.locate(r.unit)
            let g = members[k].generator, cohort = g.generate()
            #expect(r.instance.setting == g.setting.rawValue && r.instance.cohortSeed == g.seed)
            #expect(r.instance.mentees == cohort.mentees.count && r.instance.mentors == cohort.mentors.count)
            #expect(r.instance.places == cohort.mentors.map(\.capacity).reduce(0, +) && r.instance.slots == 0)
            #expect(r.instance.hash == ComparisonInstance.hash(of: g))
            #expect(r.seed == plan.unitSeed(r.unit))
        }
    }

    /// Methods that cannot schedule skip timetabled cohorts with the reason; the rest of the
    /// comparison runs. The Matcher must still refuse them (so the skip list cannot go stale).
    @Test func timetabledCohortsAreSkippedWithAReason() throws {
        let timetabled = try CohortReader.read(path: Repo.path("instances/examples/youth-club-timetable.json"))
        for name in ["random", "mentee-choice", "fair"] {
            let policy = try PolicyReader.resolve(name)
            #expect(ComparisonPlan.skipReason(method: policy.method, cohort: timetabled) != nil)
            #expect(throws: MatchInputError.self, "\(name)") { try Matcher(policy: policy).match(timetabled) }
        }
        #expect(ComparisonPlan.skipReason(method: .optimal, cohort: timetabled) == nil)
        let instances = [ComparisonInstance(name: "youth-club-timetable", source: .file(path: Repo.path("instances/examples/youth-club-timetable.json"))),
                         ComparisonInstance(name: "youth-club", source: .file(path: Repo.path("instances/examples/youth-club.json")))]
        let plan = try ShardingTests.plan(["interests", "random", "mentee-choice"], instances: instances)
        let c = try Comparison.run(plan)
        #expect(c.outcomes[0] == [.solved(.optimal), .solved(.optimal)])
        #expect(c.outcomes[1][1] == .solved(.optimal) && !c.outcomes[1][0].isSolved && !c.outcomes[2][0].isSolved)
        let markdown = c.markdown(baseline: 1)
        #expect(markdown.contains("Not run: 2 units skipped (random, mentee-choice on 1 cohort: youth-club-timetable): method random does not schedule sessions") == false)
        #expect(markdown.contains("Not run: 1 unit skipped (random on 1 cohort: youth-club-timetable): method random does not schedule sessions"), "\(markdown)")
        #expect(markdown.contains("1 unit skipped (mentee-choice on 1 cohort: youth-club-timetable): method stable does not schedule sessions"))
        #expect(c.runsCSV().contains(",skipped,\"method random does not schedule sessions"))
        #expect(c.records[0].instance.slots > 0)
        // With --ignore-timetables every method runs, on the cohort without its timetable.
        var ignoring = plan
        ignoring.ignoreTimetables = true
        let all = try Comparison.run(ignoring)
        #expect(all.outcomes.joined().allSatisfy(\.isSolved) && all.records[0].instance.slots == 0)
        #expect(ignoring.id != plan.id)
    }

    /// A lock one policy's hard rules forbid, or an unreadable cohort, stops the comparison before
    /// its first solve, with every problem and its file.
    @Test func problemsAreFoundBeforeTheFirstSolve() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pm-pre-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try #"{"mentors":[{"id":"m","age":14}],"mentees":[{"id":"e","age":12}],"locked":[{"mentor":"m","mentee":"e"}]}"#
            .write(to: dir.appendingPathComponent("a-locked.json"), atomically: true, encoding: .utf8)
        try #"{"mentors":[{"id":"m","age":"old"}],"mentees":[]}"#.write(to: dir.appendingPathComponent("b-bad.json"), atomically: true, encoding: .utf8)
        var strict = Policy()
        strict.ageGap.min = 3; strict.ageGap.ideal = 3
        let plan = ComparisonPlan(policies: [("default", .default), ("strict", strict)], instances: try ComparisonInstance.files(in: dir.path))
        do { _ = try plan.prepare(.whole); Issue.record("no error") } catch let error as InputError {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.contains { $0.hasSuffix("a-locked.json: policy strict: locked[0]: the pair (m, e) breaks the hard rule ageGap: age gap 2 years is outside the allowed 3–4") || ($0.contains("a-locked.json: policy strict: locked[0]") && $0.contains("ageGap")) }, "\(lines)")
            #expect(lines.contains { $0.contains("b-bad.json: $.mentors[0].age") }, "\(lines)")
            #expect(!lines.contains { $0.contains("policy default") })
        }
    }
}
