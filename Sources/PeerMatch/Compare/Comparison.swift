import Foundation

/// Every unit of a comparison, summarised: means with 95% confidence intervals across cohorts,
/// paired differences against a baseline policy with their effect sizes, the same split by
/// setting, and the CSV, runs file and chart. Built from the units' rows alone, so a one-machine
/// run and a merge of shards (``ComparisonMerge``) give the same bytes.
///
/// ```swift
/// let plan = ComparisonPlan(policies: try ["interests", "random"].map { ($0, try PolicyReader.resolve($0)) },
///                           instances: ComparisonInstance.generated(setting: .secondary, mentees: 30, runs: 20, seed: 1), seed: 1)
/// let comparison = try Comparison.run(plan)
/// print(comparison.markdown(baseline: 1))
/// ```
public struct Comparison: Sendable {
    public let identity: RunsIdentity
    /// Every unit's row, in unit order (unit = cohort × policies + policy).
    public let records: [UnitRecord]
    public let policyNames: [String]
    /// The cohorts, in unit order.
    public let instances: [InstanceInfo]
    /// values[policy][cohort][metric], metrics in ``ComparisonMetric/allCases`` order.
    public let values: [[[Double?]]]
    /// outcomes[policy][cohort].
    public let outcomes: [[UnitOutcome]]

    public var cohortNames: [String] { instances.map(\.name) }
    /// The metrics shown: all but seconds, unless the rows were timed.
    public var metrics: [ComparisonMetric] { identity.metrics }

    /// A complete set of rows: one per unit, `identity.unitCount` of them, unit k at position k.
    public init(identity: RunsIdentity, records: [UnitRecord]) {
        let sorted = records.sorted { $0.unit < $1.unit }
        precondition(sorted.count == identity.unitCount && sorted.enumerated().allSatisfy { $0.offset == $0.element.unit },
                     "a comparison needs every unit exactly once")
        let p = identity.policyCount, c = identity.unitCount / max(1, p)
        self.identity = identity
        self.records = sorted
        policyNames = (0..<p).map { sorted[$0].policy }
        instances = (0..<c).map { sorted[$0 * p].instance }
        values = (0..<p).map { q in (0..<c).map { sorted[$0 * p + q].values } }
        outcomes = (0..<p).map { q in (0..<c).map { sorted[$0 * p + q].outcome } }
    }

    /// Runs every unit of a plan in this process (``effectiveJobs(_:)`` threads) and summarises.
    public static func run(_ plan: ComparisonPlan, jobs: Int = 1, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Comparison {
        let prepared = try plan.prepare(.whole, jobs: jobs)
        return Comparison(identity: plan.identity, records: try ShardRunner(prepared, jobs: jobs, progress: progress).run())
    }

    /// Threads to use: `requested`, or 1 when GLPK keeps global state (not thread-local), with
    /// the reason.
    public static func effectiveJobs(_ requested: Int) -> (jobs: Int, note: String?) {
        guard requested > 1 else { return (1, nil) }
        if GLPKBackend.threadLocalState { return (requested, nil) }
        return (1, "GLPK was built without thread-local state (glp_config(\"TLS\") is NULL): solving one cohort at a time")
    }

    // MARK: - Summaries

    /// Known values of a metric for a policy, across cohorts in order (nil where undefined);
    /// `cohorts` restricts it to some cohorts (by position).
    public func column(_ policy: Int, _ metric: ComparisonMetric, cohorts: [Int]? = nil) -> [Double?] {
        let m = ComparisonMetric.allCases.firstIndex(of: metric)!
        guard let cohorts else { return values[policy].map { $0[m] } }
        return cohorts.map { values[policy][$0][m] }
    }

    /// Mean and 95% interval of a metric for a policy across the cohorts where it is defined.
    public func summary(_ policy: Int, _ metric: ComparisonMetric, cohorts: [Int]? = nil) -> MeanInterval? {
        Statistics.meanInterval(column(policy, metric, cohorts: cohorts).compactMap { $0 })
    }

    /// Mean, 95% interval and effect size of (policy − baseline) over cohorts where both are defined.
    public func difference(_ policy: Int, from baseline: Int, _ metric: ComparisonMetric, cohorts: [Int]? = nil) -> MeanInterval? {
        Statistics.pairedDifference(column(policy, metric, cohorts: cohorts), column(baseline, metric, cohorts: cohorts))
    }

    /// The settings present, in the order of the pilot evaluation (primary, secondary, youth
    /// club, special, college, then the adult settings, then any other, `unknown` last), each
    /// with its cohorts' positions.
    public func settings() -> [(setting: String, cohorts: [Int])] {
        let order = ["primary", "secondary", "youth-club", "special", "college", "leaving-care", "housing-first"]
        let groups = Dictionary(grouping: instances.indices, by: { instances[$0].setting })
        func rank(_ s: String) -> (Int, String) { (order.firstIndex(of: s) ?? (s == InstanceInfo.unknownSetting ? order.count + 1 : order.count), s) }
        return groups.keys.sorted { rank($0) < rank($1) }.map { ($0, groups[$0]!) }
    }

    /// Runs that did not end `optimal`, per policy, in words ("fair: 2 of 100 runs feasible").
    public func statusNotes() -> [String] {
        policyNames.indices.compactMap { p in
            var counts: [(MatchStatus, Int)] = []
            for s in [MatchStatus.feasible, .fallback, .infeasible] {
                let n = outcomes[p].filter { $0 == .solved(s) }.count
                if n > 0 { counts.append((s, n)) }
            }
            guard !counts.isEmpty else { return nil }
            return "\(policyNames[p]): " + counts.map { "\($0.1) of \(cohortNames.count) runs \($0.0.rawValue)" }.joined(separator: ", ")
        }
    }

    /// Units not run or failed, grouped by reason: "12 units skipped (random, fair on 6
    /// cohorts: 001-a, 002-b, …): reason".
    public func unitNotes() -> [String] {
        var groups: [(kind: String, reason: String, units: [UnitRecord])] = []
        for r in records {
            let kind: String
            switch r.outcome {
            case .solved: continue
            case .skipped: kind = "skipped"
            case .failed: kind = "failed"
            }
            if let k = groups.firstIndex(where: { $0.kind == kind && $0.reason == r.outcome.note }) { groups[k].units.append(r) }
            else { groups.append((kind, r.outcome.note, [r])) }
        }
        return groups.map { g in
            var policies: [String] = [], cohorts: [String] = []
            for r in g.units {
                if !policies.contains(r.policy) { policies.append(r.policy) }
                if !cohorts.contains(r.instance.name) { cohorts.append(r.instance.name) }
            }
            let shown = cohorts.prefix(5).joined(separator: ", ") + (cohorts.count > 5 ? " and \(cohorts.count - 5) more" : "")
            let units = g.units.count == 1 ? "1 unit" : "\(g.units.count) units"
            return "\(units) \(g.kind) (\(policies.joined(separator: ", ")) on \(cohorts.count == 1 ? "1 cohort" : "\(cohorts.count) cohorts"): \(shown)): \(g.reason)"
        }
    }

    /// Whether any unit threw (the command then exits 1 after writing everything).
    public var hasFailures: Bool { records.contains { if case .failed = $0.outcome { return true }; return false } }

    // MARK: - Rendering

    func cell(_ interval: MeanInterval?, _ metric: ComparisonMetric, of total: Int, signed: Bool = false) -> String {
        guard let x = interval else { return "–" }
        let scale = metric.isShare ? 100.0 : 1.0
        let digits = metric == .seconds ? 3 : [.blockingPairs, .meanAgeGap, .maxAgeGap].contains(metric) ? 2 : 1
        func f(_ v: Double, digits: Int, sign: Bool) -> String {
            let s = String(format: "%.\(digits)f", v)
            let clean = s.hasPrefix("-") && Double(s) == 0 ? String(s.dropFirst()) : s
            return sign && !clean.hasPrefix("-") ? "+" + clean : clean
        }
        var text = f(x.mean * scale, digits: digits, sign: signed)
        if let lo = x.low, let hi = x.high { text += " [\(f(lo * scale, digits: digits, sign: signed)), \(f(hi * scale, digits: digits, sign: signed))]" }
        if signed && x.excludesZero { text += " *" }
        if signed, let d = x.standardised { text += " d=" + f(d, digits: 2, sign: true) }
        if x.n < total { text += " (n=\(x.n))" }
        return text
    }

    /// The Markdown report: means with intervals, paired differences against `baseline` with
    /// effect sizes, the same by setting when there is more than one, and notes on runs that
    /// were not optimal, skipped or failed.
    public func markdown(baseline: Int?) -> String {
        let scoringName = identity.scoredWith.isEmpty ? "the default policy" : "`\(identity.scoredWith)`"
        var out = "## Policies compared on \(cohortNames.count) cohorts\n\n"
        out += "Mean across cohorts [95% confidence interval, t distribution]. Pair scores use the weights of \(scoringName) for every policy, so they are on one scale. Shares are in %.\n\n"
        out += tables(cohorts: nil, baseline: baseline, heading: "##")
        let settings = settings()
        if settings.count > 1 {
            out += "\n## By setting\n\nThe same tables for the cohorts of each setting.\n"
            for (setting, cohorts) in settings {
                out += "\n### \(setting) (\(cohorts.count) \(cohorts.count == 1 ? "cohort" : "cohorts"))\n\n"
                out += tables(cohorts: cohorts, baseline: baseline, heading: "####")
            }
        }
        let notes = statusNotes()
        if !notes.isEmpty { out += "\nNot optimal: " + notes.joined(separator: "; ") + ".\n" }
        let units = unitNotes()
        if !units.isEmpty { out += "\nNot run: " + units.joined(separator: "; ") + ".\n" }
        return out
    }

    func tables(cohorts: [Int]?, baseline: Int?, heading: String) -> String {
        let total = cohorts?.count ?? cohortNames.count
        var out = table(rows: policyNames.indices.map { p in (policyNames[p], metrics.map { cell(summary(p, $0, cohorts: cohorts), $0, of: total) }) })
        if let b = baseline {
            out += "\n\(heading) Paired differences against `\(policyNames[b])`\n\n"
            if cohorts == nil {
                out += "Mean of (policy − \(policyNames[b])) over the same cohorts [95% CI]; * where the interval excludes 0; d: the effect size, the mean difference over the differences' standard deviation (Cohen's d_z).\n\n"
            }
            let others = policyNames.indices.filter { $0 != b }
            out += table(rows: others.map { p in (policyNames[p], metrics.map { cell(difference(p, from: b, $0, cohorts: cohorts), $0, of: total, signed: true) }) })
        }
        return out
    }

    func table(rows: [(String, [String])]) -> String {
        var out = "| policy | " + metrics.map(\.label).joined(separator: " | ") + " |\n"
        out += "|---|" + metrics.map { _ in "---:|" }.joined() + "\n"
        for (name, cells) in rows { out += "| \(name) | " + cells.joined(separator: " | ") + " |\n" }
        return out
    }

    /// CSV, one row per setting (`all`, then each setting when there is more than one), policy
    /// and metric: the mean and interval, and the paired difference against the baseline with
    /// its standard deviation and effect size. Shares are fractions (not %), numbers to 6 decimals.
    public func csv(baseline: Int?) -> String {
        func num(_ x: Double?) -> String { x.map { String(format: "%.6f", $0) } ?? "" }
        var groups: [(String, [Int]?)] = [("all", nil)]
        let settings = settings()
        if settings.count > 1 { groups += settings.map { ($0.setting, $0.cohorts) } }
        var rows: [[String]] = []
        for (setting, cohorts) in groups {
            for p in policyNames.indices {
                for metric in metrics {
                    let s = summary(p, metric, cohorts: cohorts)
                    var row = [setting, policyNames[p], metric.rawValue, String(s?.n ?? 0), num(s?.mean), num(s?.low), num(s?.high)]
                    if let b = baseline {
                        let d = p == b ? nil : difference(p, from: b, metric, cohorts: cohorts)
                        row += [policyNames[b], String(d?.n ?? 0), num(d?.mean), num(d?.low), num(d?.high), num(d?.standardDeviation), num(d?.standardised)]
                    }
                    rows.append(row)
                }
            }
        }
        var header = ["setting", "policy", "metric", "n", "mean", "ci_low", "ci_high"]
        if baseline != nil { header += ["baseline", "paired_n", "diff_mean", "diff_ci_low", "diff_ci_high", "diff_sd", "effect_size"] }
        return csvText(header: header, rows: rows)
    }

    /// The runs file of every unit (``RunsFile``): what each shard writes, and what a merge of
    /// the shards writes again.
    public func runsCSV() -> String { RunsFile.render(records, identity: identity) }
}
