import ArgumentParser
import Foundation
import PeerMatch

/// `peermatch compare`: runs the comparison (the default subcommand) or merges shards of it.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run several policies on the same cohorts and compare them (Markdown table, CSV, SVG chart), on one machine or in shards.",
        discussion: "peermatch compare --policies ... runs it (the run subcommand); peermatch compare merge SHARD.csv... puts the shards of a cluster run back together. README, section Research.",
        subcommands: [CompareRun.self, CompareMerge.self],
        defaultSubcommand: CompareRun.self)
}

struct CompareRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run several policies on the same cohorts and compare them.",
        discussion: """
        Metrics per cohort, then mean and 95% confidence interval across cohorts, paired differences against a baseline policy with effect sizes, and the same by setting. Output is the same for the same inputs and seed, whatever --jobs or the sharding; solve seconds are added only with --timings.

        Sharding: --shard-index I --shard-count N (or SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, or TEST_SHARD_INDEX/TEST_TOTAL_SHARDS) solves the units whose id mod N is I and writes them to --runs-out; run again, it skips the units that file holds. Merge the files with peermatch compare merge.
        """)

    enum ProgrammeName: String, ExpressibleByArgument { case pilot }

    @Option(help: "Comma-separated presets (peermatch policies) or policy files.") var policies: String
    @Option(help: "Folder of cohort files (*.json), e.g. from generate --programme pilot.") var instances: String?
    @Option(help: "Generate cohorts instead: SETTING:MENTEES, e.g. secondary:30.") var generate: String?
    @Option(help: "With --generate: number of cohorts.") var runs: Int = 20
    @Option(help: "Generate a programme's cohorts instead (in memory, none on disk): pilot.") var programme: ProgrammeName?
    @Option(help: "With --programme: number of cohorts (the pilot's mix of settings, scaled).") var cohorts: Int = 100
    @Option(help: "Seed for generated cohorts and for every unit's solve (random and stable methods).") var seed: UInt64 = 1
    @Option(help: "Threads (used when GLPK keeps its state per thread).") var jobs: Int = 1
    @Option(help: "Policy the others are compared with (default: random if listed, else the first).") var baseline: String?
    @Option(name: .customLong("score-with"), help: "Policy (preset or file) whose weights score every pair in the table (default: the default policy).")
    var scoreWith: String?
    @Option(name: .customLong("time-limit"), help: "Seconds for GLPK per solve.") var timeLimit: Double = 60
    @Flag(name: .customLong("ignore-timetables"), help: "Match timetabled cohorts without their slots and rooms, so every method runs on them (otherwise methods that cannot schedule skip them, with the reason in the table).")
    var ignoreTimetables = false
    @Option(help: "Write the summary as CSV here.") var out: String?
    @Option(name: .customLong("runs-out"), help: "Write every unit (cohort × policy) as CSV here; a rerun skips the units it already holds.") var runsOut: String?
    @Option(help: "Write the chart (SVG) here.") var svg: String?
    @Flag(help: "Add solve seconds to the tables (makes output differ between runs).") var timings = false
    @Option(name: .customLong("shard-index"), help: "Solve only the units whose id mod --shard-count is this (0-based).") var shardIndex: Int?
    @Option(name: .customLong("shard-count"), help: "Number of shards the comparison is split into.") var shardCount: Int?
    @Option(name: .customLong("checkpoint-every"), help: "Seconds between rewrites of --runs-out while running (what a killed run loses at most).")
    var checkpointEvery: Double = 5

    var policyList: [String] {
        policies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `SETTING:MENTEES`.
    static func parseGenerate(_ spec: String) throws -> (CohortGenerator.Setting, Int) {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let settings = CohortGenerator.Setting.allCases.map(\.rawValue).joined(separator: ", ")
        guard parts.count == 2 else { throw ValidationError("--generate expects SETTING:MENTEES (e.g. secondary:30), got \"\(spec)\"") }
        guard let setting = CohortGenerator.Setting(rawValue: parts[0]) else {
            throw ValidationError("--generate: unknown setting \"\(parts[0])\"; expected one of \(settings)")
        }
        guard let n = Int(parts[1]), n > 0 else { throw ValidationError("--generate: MENTEES must be a positive whole number, got \"\(parts[1])\"") }
        return (setting, n)
    }

    func validate() throws {
        let names = policyList
        guard !names.isEmpty else { throw ValidationError("--policies needs at least one policy") }
        if let dup = Dictionary(grouping: names, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw ValidationError("--policies lists \"\(dup)\" twice")
        }
        if let bad = names.first(where: { $0.contains(where: \.isNewline) }) {
            throw ValidationError("--policies: \(bad.debugDescription) holds a line break; rename the file")
        }
        let sources = [instances != nil, generate != nil, programme != nil].filter { $0 }.count
        guard sources == 1 else { throw ValidationError("give exactly one of --instances DIR, --generate SETTING:MENTEES and --programme pilot") }
        if let generate { _ = try Self.parseGenerate(generate) }
        guard runs > 0 else { throw ValidationError("--runs must be positive") }
        guard cohorts > 0 else { throw ValidationError("--cohorts must be positive") }
        guard jobs > 0 else { throw ValidationError("--jobs must be positive") }
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be positive") }
        guard checkpointEvery >= 0 else { throw ValidationError("--checkpoint-every must be 0 or more") }
        if let baseline, !names.contains(baseline) { throw ValidationError("--baseline \"\(baseline)\" is not one of --policies") }
    }

    @OptionGroup var limits: ReadLimitOptions

    func run() throws {
        limits.apply()
        let shard: Shard
        do { shard = try Shard.resolve(index: shardIndex, count: shardCount, environment: ProcessInfo.processInfo.environment) } catch let problem as Shard.Problem {
            throw ValidationError(problem.description)
        }
        if !shard.isWhole {
            guard runsOut != nil else { throw ValidationError("\(shard) (from \(shard.source)) needs --runs-out FILE.csv: a shard writes its units there for peermatch compare merge") }
            guard out == nil, svg == nil else { throw ValidationError("a shard writes only its --runs-out file; give --out and --svg to peermatch compare merge") }
        }
        if shard.source.hasPrefix("TEST_"), let status = ProcessInfo.processInfo.environment["TEST_SHARD_STATUS_FILE"], !status.isEmpty,
           !FileManager.default.fileExists(atPath: status) {
            // Bazel's test sharding protocol: touching this file says the runner honours the shard.
            _ = FileManager.default.createFile(atPath: status, contents: Data())
        }

        // Everything that can be checked is checked before the first solve: policies, outputs, cohorts.
        let names = policyList
        let policies = try names.map { (name: $0, policy: try PolicyReader.resolve($0)) }
        let scoring = try scoreWith.map(PolicyReader.resolve) ?? .default
        let instanceList: [ComparisonInstance]
        if let generate {
            let (setting, mentees) = try Self.parseGenerate(generate)
            instanceList = ComparisonInstance.generated(setting: setting, mentees: mentees, runs: runs, seed: seed)
        } else if programme != nil {
            instanceList = ComparisonInstance.programme(seed: seed, cohorts: cohorts)
        } else {
            instanceList = try ComparisonInstance.files(in: instances!)
        }
        let inputs = names.filter { FileManager.default.fileExists(atPath: $0) } + (scoreWith.map { [$0] } ?? []) + instanceList.compactMap(\.path)
        var outputProblems: [Diagnostic] = []
        for path in [out, svg, runsOut].compactMap({ $0 }) {
            do { try AtomicFile.check(path, protecting: inputs) } catch let error as InputError { outputProblems += error.diagnostics }
        }
        if !outputProblems.isEmpty { throw InputError(outputProblems) }
        let plan = ComparisonPlan(policies: policies, instances: instanceList, seed: seed, scoring: scoring, scoringName: scoreWith,
                                  options: SolveOptions(timeLimit: timeLimit), ignoreTimetables: ignoreTimetables, timed: timings)
        let existing = try runsOut.map { try plan.keptRows(from: $0, shard: shard) } ?? []

        let (jobs, note) = Comparison.effectiveJobs(self.jobs)
        if let note { warn("note: " + note) }
        let prepared = try plan.prepare(shard, jobs: jobs)
        if let runsOut { try prepared.checkKept(existing, file: runsOut) }
        let label = shard.isWhole ? "" : "\(shard): "
        if !shard.isWhole { warn("\(label)\(prepared.units.count) of \(plan.unitCount) units (from \(shard.source))") }
        if !existing.isEmpty, let runsOut { warn("\(label)resuming: \(existing.count) of \(prepared.units.count) units are already in \(runsOut) (delete it to start again)") }

        let identity = plan.identity
        let pauseAfter = ProcessInfo.processInfo.environment["PEERMATCH_TEST_PAUSE_AFTER"].flatMap(Int.init)
        var checkpoint: ShardRunner.Checkpoint? = nil
        if let path = runsOut {
            checkpoint = { @Sendable (records: [UnitRecord], solvedNow: Int) throws in
                try AtomicFile.write(RunsFile.render(records, identity: identity), to: path)
            }
        }
        let progress = Progress(total: prepared.units.count, label: label)
        let runner = ShardRunner(prepared, existing: existing, jobs: jobs, checkpointEvery: checkpointEvery, checkpoint: checkpoint,
                                 progress: { done, total in progress.update(done, total) },
                                 afterUnit: { solvedNow in
                                     // Test seam (never set in use): stop here, as if killed part way, so a test can kill or signal this process.
                                     if let pauseAfter, solvedNow >= pauseAfter {
                                         warn("test pause after \(solvedNow) units")
                                         while true { sleep(60) }
                                     }
                                 })
        let uninstall = runsOut == nil ? {} : SignalCheckpoint.install(runner: runner)
        let records: [UnitRecord]
        do {
            defer { uninstall() }
            records = try runner.run()
            try runner.writeAll()      // the runs file, whole (its path was checked against the inputs above)
        }
        progress.finish()

        if !shard.isWhole {
            let skipped = records.filter { if case .skipped = $0.outcome { return true }; return false }.count
            let failed = records.filter { if case .failed = $0.outcome { return true }; return false }.count
            warn("\(label)\(records.count) units in \(runsOut!) (\(runner.pending.count) solved now, \(existing.count) kept, \(skipped) skipped, \(failed) failed); when every shard is done: peermatch compare merge FILES...")
            if failed > 0 { throw ExitCode(1) }
            return
        }
        let comparison = Comparison(identity: identity, records: records)
        try CompareOutputs(out: out, svg: svg, baseline: baseline).write(comparison, protecting: inputs)
    }
}

/// The summary outputs both `compare` and `compare merge` write, the same way.
struct CompareOutputs {
    var out: String?
    var svg: String?
    var baseline: String?

    func write(_ comparison: Comparison, protecting inputs: [String]) throws {
        let names = comparison.policyNames
        let baselineIndex = baseline.flatMap { names.firstIndex(of: $0) } ?? names.firstIndex(of: "random") ?? 0
        let baselineArg: Int? = names.count > 1 ? baselineIndex : nil
        // The summary, the chart and the tables on standard output: all of them, or none.
        var plan = OutputPlan(protecting: inputs)
        let outFile = try out.map { try plan.file($0, option: "--out") }
        let svgFile = try svg.map { try plan.file($0, option: "--svg") }
        if let outFile { plan.set(outFile, text: comparison.csv(baseline: baselineArg)) }
        if let svgFile { plan.set(svgFile, text: ComparisonChart.svg(comparison, baseline: baselineArg)) }
        plan.set(try plan.file("-"), text: comparison.markdown(baseline: baselineArg))
        try plan.commit()
        if comparison.hasFailures {
            warn("some units failed (see \"Not run\" under the tables); exiting 1")
            throw ExitCode(1)
        }
    }
}

/// On SIGTERM or SIGINT (a batch system ending a task, Ctrl-C) a run with a runs file writes
/// the units it has finished, then exits 128 + the signal, so rerunning it loses nothing done.
enum SignalCheckpoint {
    /// Installs the handlers; the returned function removes them (default signal actions again).
    static func install(runner: ShardRunner) -> () -> Void {
        let sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                do { try runner.stop() } catch { warn("\(error)") }
                warn("\nstopped by signal \(number): the finished units are in the runs file; run the same command again to go on")
                exit(128 + number)
            }
            source.resume()
            return (number, source)
        }
        return {
            for (number, source) in sources { source.cancel(); signal(number, SIG_DFL) }
        }
    }
}

/// A progress line on stderr, redrawn at most twice a second and only once a run has taken 2 s,
/// so short runs stay quiet.
final class Progress: @unchecked Sendable {
    let start = Date()
    var lastDraw = Date.distantPast
    var drawn = false
    let total: Int
    let label: String
    init(total: Int, label: String = "") { self.total = total; self.label = label }

    func update(_ done: Int, _ total: Int) {
        let now = Date()
        guard now.timeIntervalSince(start) > 2, now.timeIntervalSince(lastDraw) > 0.5 || done == total else { return }
        lastDraw = now; drawn = true
        let elapsed = now.timeIntervalSince(start)
        let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        FileHandle.standardError.write(Data(String(format: "\r%@solved %d of %d runs, %.0f s, about %.0f s left   ", label, done, total, elapsed, eta).utf8))
    }

    func finish() {
        if drawn { FileHandle.standardError.write(Data(String(format: "\r%@solved %d runs in %.1f s%@\n", label, total, Date().timeIntervalSince(start), String(repeating: " ", count: 20)).utf8)) }
    }
}
