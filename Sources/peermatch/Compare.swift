import ArgumentParser
import Foundation
import PeerMatch

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run several policies on the same cohorts and compare them (Markdown table, CSV, SVG chart).",
        discussion: "Metrics per cohort, then mean and 95% confidence interval across cohorts, and the paired difference against a baseline policy. Output is the same for the same inputs and seed, whatever --jobs; solve seconds are added only with --timings. Metric definitions: README, section Research.")

    @Option(help: "Comma-separated presets (peermatch policies) or policy files.") var policies: String
    @Option(help: "Folder of cohort files (*.json), e.g. from generate --programme pilot.") var instances: String?
    @Option(help: "Generate cohorts instead: SETTING:MENTEES, e.g. secondary:30.") var generate: String?
    @Option(help: "With --generate: number of cohorts.") var runs: Int = 20
    @Option(help: "Seed for generated cohorts and for the random and stable methods.") var seed: UInt64 = 1
    @Option(help: "Threads (used when GLPK keeps its state per thread).") var jobs: Int = 1
    @Option(help: "Policy the others are compared with (default: random if listed, else the first).") var baseline: String?
    @Option(name: .customLong("score-with"), help: "Policy (preset or file) whose weights score every pair in the table (default: the default policy).")
    var scoreWith: String?
    @Option(name: .customLong("time-limit"), help: "Seconds for GLPK per solve.") var timeLimit: Double = 60
    @Option(help: "Write the summary as CSV here.") var out: String?
    @Option(name: .customLong("runs-out"), help: "Write every run (cohort × policy) as CSV here.") var runsOut: String?
    @Option(help: "Write the chart (SVG) here.") var svg: String?
    @Flag(help: "Add solve seconds to the tables (makes output differ between runs).") var timings = false

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
        guard (instances == nil) != (generate == nil) else { throw ValidationError("give exactly one of --instances DIR and --generate SETTING:MENTEES") }
        if let generate { _ = try Self.parseGenerate(generate) }
        guard runs > 0 else { throw ValidationError("--runs must be positive") }
        guard jobs > 0 else { throw ValidationError("--jobs must be positive") }
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be positive") }
        if let baseline, !names.contains(baseline) { throw ValidationError("--baseline \"\(baseline)\" is not one of --policies") }
    }

    @OptionGroup var limits: ReadLimitOptions

    func run() throws {
        limits.apply()
        let names = policyList
        // Inputs (policy files, the instances folder and its cohorts) are known before anything
        // runs, so every output is checked before the first solve.
        var inputs = names.filter { FileManager.default.fileExists(atPath: $0) } + (scoreWith.map { [$0] } ?? [])
        var instanceFiles: [(name: String, path: String)] = []
        if let folder = instances {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
                throw InputError(file: folder, "no such folder")
            }
            let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }.sorted()
            guard !files.isEmpty else { throw InputError(file: folder, "holds no cohort files (*.json)") }
            instanceFiles = files.map { (String($0.dropLast(5)), URL(fileURLWithPath: folder).appendingPathComponent($0).path) }
            inputs += [folder] + instanceFiles.map(\.path)
        }
        var plan = OutputPlan(protecting: inputs)
        let summaryOut = try out.map { try plan.file($0, option: "--out") }
        let runsOutput = try runsOut.map { try plan.file($0, option: "--runs-out") }
        let svgOut = try svg.map { try plan.file($0, option: "--svg") }
        let policies = try names.map { (name: $0, policy: try PolicyReader.resolve($0)) }
        let scoring = try scoreWith.map(PolicyReader.resolve) ?? .default
        let cohorts: [Comparison.NamedCohort]
        if let generate {
            let (setting, mentees) = try Self.parseGenerate(generate)
            cohorts = Comparison.generatedCohorts(setting: setting, mentees: mentees, runs: runs, seed: seed)
        } else {
            cohorts = try instanceFiles.map { Comparison.NamedCohort(name: $0.name, cohort: try CohortReader.read(path: $0.path)) }
        }
        let (jobs, note) = Comparison.effectiveJobs(self.jobs)
        if let note { warn("note: " + note) }
        let progress = Progress(total: policies.count * cohorts.count)
        let comparison: Comparison
        do {
            comparison = try Comparison.run(policies: policies, cohorts: cohorts, seed: seed, scoring: scoring,
                                            options: SolveOptions(timeLimit: timeLimit), jobs: jobs,
                                            progress: { done, total in progress.update(done, total) })
        } catch let error as Comparison.RunError {
            progress.finish()
            throw InputError(file: error.cohort, "policy \(error.policy): \(error.message)")
        }
        progress.finish()
        let baselineIndex = baseline.flatMap { names.firstIndex(of: $0) } ?? names.firstIndex(of: "random") ?? 0
        let baselineArg: Int? = names.count > 1 ? baselineIndex : nil
        let metrics = timings ? ComparisonMetric.allCases : ComparisonMetric.deterministic
        let scoringName = scoreWith.map { "`\($0)`" } ?? "the default policy"
        if let summaryOut { plan.set(summaryOut, text: comparison.csv(metrics: metrics, baseline: baselineArg)) }
        if let runsOutput { plan.set(runsOutput, text: comparison.runsCSV(metrics: metrics)) }
        if let svgOut { plan.set(svgOut, text: ComparisonChart.svg(comparison, metrics: metrics, baseline: baselineArg)) }
        plan.set(try plan.file("-"), text: comparison.markdown(metrics: metrics, baseline: baselineArg, scoringName: scoringName))
        try plan.commit()
    }
}

/// A progress line on stderr, redrawn at most twice a second and only once a run has taken 2 s,
/// so short runs stay quiet.
final class Progress: @unchecked Sendable {
    let start = Date()
    var lastDraw = Date.distantPast
    var drawn = false
    let total: Int
    init(total: Int) { self.total = total }

    func update(_ done: Int, _ total: Int) {
        let now = Date()
        guard now.timeIntervalSince(start) > 2, now.timeIntervalSince(lastDraw) > 0.5 || done == total else { return }
        lastDraw = now; drawn = true
        let elapsed = now.timeIntervalSince(start)
        let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        FileHandle.standardError.write(Data(String(format: "\rsolved %d of %d runs, %.0f s, about %.0f s left   ", done, total, elapsed, eta).utf8))
    }

    func finish() {
        if drawn { FileHandle.standardError.write(Data(String(format: "\rsolved %d runs in %.1f s%@\n", total, Date().timeIntervalSince(start), String(repeating: " ", count: 20)).utf8)) }
    }
}
