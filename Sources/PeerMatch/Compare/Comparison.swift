import Foundation

/// Runs every policy on every cohort and summarises the results: means with 95% confidence
/// intervals across cohorts, and paired differences against a baseline policy.
///
/// ```swift
/// let cohorts = Comparison.generatedCohorts(setting: .secondary, mentees: 30, runs: 20, seed: 1)
/// let policies = try ["interests", "random"].map { ($0, try PolicyReader.resolve($0)) }
/// let comparison = try Comparison.run(policies: policies, cohorts: cohorts, seed: 1)
/// print(comparison.markdown(baseline: "random"))
/// ```
///
/// Determinism: each cohort gets one matcher seed (for methods `random` and `stable`), the same
/// for every policy, drawn from `seed`; results are stored by (policy, cohort) position, so the
/// numbers and their order do not depend on how many threads solved them. Solve seconds are kept
/// apart and shown only on request.
public struct Comparison: Sendable {
    public struct NamedCohort: Sendable {
        public var name: String
        public var cohort: Cohort
        public init(name: String, cohort: Cohort) { self.name = name; self.cohort = cohort }
    }

    public let policyNames: [String]
    public let cohortNames: [String]
    /// values[policy][cohort][metric], metrics in ``ComparisonMetric/allCases`` order.
    public let values: [[[Double?]]]
    /// statuses[policy][cohort].
    public let statuses: [[MatchStatus]]

    /// Failure of one policy on one cohort (e.g. a lock that breaks one policy's hard rule).
    public struct RunError: Error, CustomStringConvertible {
        public var cohort: String
        public var policy: String
        public var message: String
        public var description: String { "\(cohort): policy \(policy): \(message)" }
    }

    // MARK: - Running

    /// Threads to use: `requested`, or 1 when GLPK keeps global state (not thread-local), with
    /// the reason.
    public static func effectiveJobs(_ requested: Int) -> (jobs: Int, note: String?) {
        guard requested > 1 else { return (1, nil) }
        if GLPKBackend.threadLocalState { return (requested, nil) }
        return (1, "GLPK was built without thread-local state (glp_config(\"TLS\") is NULL): solving one cohort at a time")
    }

    /// Solves every (policy, cohort) pair, on up to `jobs` threads (use ``effectiveJobs(_:)``),
    /// calling `progress(done, total)` after each solve (from any thread, serialised).
    public static func run(policies: [(name: String, policy: Policy)], cohorts: [NamedCohort], seed: UInt64 = 1,
                           scoring: Policy = .default, options: SolveOptions = SolveOptions(), jobs: Int = 1,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Comparison {
        var seeds = SeededRandom(seed: seed)
        let matcherSeeds = cohorts.map { _ in seeds.next() }
        let scoringContexts = cohorts.map { PairingContext(cohort: $0.cohort, policy: scoring) }
        let tasks = policies.indices.flatMap { p in cohorts.indices.map { c in (p, c) } }
        let store = ResultStore(count: tasks.count, metrics: ComparisonMetric.allCases.count)
        let work: @Sendable (Int) -> Void = { t in
            let (p, c) = tasks[t]
            do {
                let matcher = Matcher(policy: policies[p].policy, options: options, seed: matcherSeeds[c])
                let result = try matcher.match(cohorts[c].cohort)
                let values = ComparisonMetric.values(cohort: cohorts[c].cohort, result: result, scoring: scoringContexts[c])
                store.record(t, values: values, status: result.status, progress: progress)
            } catch {
                store.fail(RunError(cohort: cohorts[c].name, policy: policies[p].name, message: "\(error)"))
            }
        }
        let workers = max(1, min(jobs, tasks.count))
        if workers == 1 {
            for t in tasks.indices where !store.failed { work(t) }
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let t = store.nextTask() { work(t) }
            }
        }
        if let error = store.firstError { throw error }
        let (values, statuses) = store.snapshot()
        return Comparison(
            policyNames: policies.map(\.name), cohortNames: cohorts.map(\.name),
            values: policies.indices.map { p in cohorts.indices.map { c in values[p * cohorts.count + c] } },
            statuses: policies.indices.map { p in cohorts.indices.map { c in statuses[p * cohorts.count + c] } })
    }

    /// `runs` generated cohorts of one setting and size, named `secondary-30-001` onwards, each
    /// with its own seed drawn from `seed`.
    public static func generatedCohorts(setting: CohortGenerator.Setting, mentees: Int, runs: Int, seed: UInt64) -> [NamedCohort] {
        var rng = SeededRandom(seed: seed ^ 0x5EED_C0FF_EE00_0000)
        let width = max(3, String(runs).count)
        return (0..<runs).map { k in
            let number = String(k + 1), padded = String(repeating: "0", count: max(0, width - number.count)) + number
            return NamedCohort(name: "\(setting.rawValue)-\(mentees)-\(padded)",
                               cohort: CohortGenerator(setting: setting, mentees: mentees, seed: rng.next()).generate())
        }
    }

    // MARK: - Summaries

    /// Known values of a metric for a policy, across cohorts in order (nil where undefined).
    public func column(_ policy: Int, _ metric: ComparisonMetric) -> [Double?] {
        let m = ComparisonMetric.allCases.firstIndex(of: metric)!
        return values[policy].map { $0[m] }
    }

    /// Mean and 95% interval of a metric for a policy across the cohorts where it is defined.
    public func summary(_ policy: Int, _ metric: ComparisonMetric) -> MeanInterval? {
        Statistics.meanInterval(column(policy, metric).compactMap { $0 })
    }

    /// Mean and 95% interval of (policy − baseline) over cohorts where both are defined.
    public func difference(_ policy: Int, from baseline: Int, _ metric: ComparisonMetric) -> MeanInterval? {
        Statistics.pairedDifference(column(policy, metric), column(baseline, metric))
    }

    /// Runs that did not end `optimal`, per policy, in words ("fair: 2 feasible"), for a note under the table.
    public func statusNotes() -> [String] {
        policyNames.indices.compactMap { p in
            var counts: [(MatchStatus, Int)] = []
            for s in [MatchStatus.feasible, .fallback, .infeasible] {
                let n = statuses[p].filter { $0 == s }.count
                if n > 0 { counts.append((s, n)) }
            }
            guard !counts.isEmpty else { return nil }
            return "\(policyNames[p]): " + counts.map { "\($0.1) of \(cohortNames.count) runs \($0.0.rawValue)" }.joined(separator: ", ")
        }
    }

    // MARK: - Rendering

    func cell(_ interval: MeanInterval?, _ metric: ComparisonMetric, signed: Bool = false) -> String {
        guard let x = interval else { return "–" }
        let scale = metric.isShare ? 100.0 : 1.0
        let digits = metric == .seconds ? 3 : [.blockingPairs, .meanAgeGap, .maxAgeGap].contains(metric) ? 2 : 1
        func f(_ v: Double) -> String {
            let s = String(format: "%.\(digits)f", v * scale)
            let clean = s.hasPrefix("-") && Double(s) == 0 ? String(s.dropFirst()) : s
            return signed && !clean.hasPrefix("-") ? "+" + clean : clean
        }
        var text = f(x.mean)
        if let lo = x.low, let hi = x.high { text += " [\(f(lo)), \(f(hi))]" }
        if signed && x.excludesZero { text += " *" }
        if x.n < cohortNames.count { text += " (n=\(x.n))" }
        return text
    }

    /// The Markdown report: means with intervals, then paired differences against `baseline`.
    public func markdown(metrics: [ComparisonMetric] = ComparisonMetric.deterministic, baseline: Int?,
                         scoringName: String = "the default policy") -> String {
        var out = "## Policies compared on \(cohortNames.count) cohorts\n\n"
        out += "Mean across cohorts [95% confidence interval, t distribution]. Pair scores use the weights of \(scoringName) for every policy, so they are on one scale. Shares are in %.\n\n"
        out += table(metrics: metrics, rows: policyNames.indices.map { p in (policyNames[p], metrics.map { cell(summary(p, $0), $0) }) })
        if let b = baseline {
            out += "\n## Paired differences against `\(policyNames[b])`\n\n"
            out += "Mean of (policy − \(policyNames[b])) over the same cohorts [95% CI]; * where the interval excludes 0.\n\n"
            let others = policyNames.indices.filter { $0 != b }
            out += table(metrics: metrics, rows: others.map { p in (policyNames[p], metrics.map { cell(difference(p, from: b, $0), $0, signed: true) }) })
        }
        let notes = statusNotes()
        if !notes.isEmpty { out += "\nNot optimal: " + notes.joined(separator: "; ") + ".\n" }
        return out
    }

    func table(metrics: [ComparisonMetric], rows: [(String, [String])]) -> String {
        var out = "| policy | " + metrics.map(\.label).joined(separator: " | ") + " |\n"
        out += "|---|" + metrics.map { _ in "---:|" }.joined() + "\n"
        for (name, cells) in rows { out += "| \(name) | " + cells.joined(separator: " | ") + " |\n" }
        return out
    }

    /// CSV, one row per policy and metric: the mean and interval, and the paired difference
    /// against the baseline. Shares are fractions (not %), numbers unrounded to 6 decimals.
    public func csv(metrics: [ComparisonMetric] = ComparisonMetric.deterministic, baseline: Int?) -> String {
        func num(_ x: Double?) -> String { x.map { String(format: "%.6f", $0) } ?? "" }
        var rows: [[String]] = []
        for p in policyNames.indices {
            for metric in metrics {
                let s = summary(p, metric)
                var row = [policyNames[p], metric.rawValue, String(s?.n ?? 0), num(s?.mean), num(s?.low), num(s?.high)]
                if let b = baseline {
                    let d = p == b ? nil : difference(p, from: b, metric)
                    row += [policyNames[b], String(d?.n ?? 0), num(d?.mean), num(d?.low), num(d?.high)]
                }
                rows.append(row)
            }
        }
        var header = ["policy", "metric", "n", "mean", "ci_low", "ci_high"]
        if baseline != nil { header += ["baseline", "paired_n", "diff_mean", "diff_ci_low", "diff_ci_high"] }
        return csvText(header: header, rows: rows)
    }

    /// CSV of every run: one row per cohort and policy, one column per metric (empty where undefined).
    public func runsCSV(metrics: [ComparisonMetric] = ComparisonMetric.deterministic) -> String {
        var rows: [[String]] = []
        for c in cohortNames.indices {
            for p in policyNames.indices {
                let row = metrics.map { m in values[p][c][ComparisonMetric.allCases.firstIndex(of: m)!].map { String(format: "%.6f", $0) } ?? "" }
                rows.append([cohortNames[c], policyNames[p], statuses[p][c].rawValue] + row)
            }
        }
        return csvText(header: ["cohort", "policy", "status"] + metrics.map(\.rawValue), rows: rows)
    }
}

/// Results written by worker threads into fixed slots, so their order never depends on timing.
private final class ResultStore: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [[Double?]]
    private var statuses: [MatchStatus]
    private var next = 0
    private var done = 0
    private(set) var firstError: Error?

    init(count: Int, metrics: Int) {
        values = Array(repeating: Array(repeating: nil, count: metrics), count: count)
        statuses = Array(repeating: .infeasible, count: count)
    }

    var failed: Bool { lock.withLock { firstError != nil } }

    func nextTask() -> Int? {
        lock.withLock {
            guard firstError == nil, next < values.count else { return nil }
            next += 1
            return next - 1
        }
    }

    func record(_ t: Int, values v: [Double?], status: MatchStatus, progress: (@Sendable (Int, Int) -> Void)?) {
        lock.withLock {
            values[t] = v; statuses[t] = status; done += 1
            progress?(done, values.count)
        }
    }

    func fail(_ error: Error) { lock.withLock { if firstError == nil { firstError = error } } }

    func snapshot() -> ([[Double?]], [MatchStatus]) { lock.withLock { (values, statuses) } }
}
