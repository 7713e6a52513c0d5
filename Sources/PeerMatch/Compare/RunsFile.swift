import CSV
import Foundation

/// How one unit ended.
public enum UnitOutcome: Sendable, Hashable {
    /// Solved; the match status (`optimal`, `feasible`, `fallback`, `infeasible`).
    case solved(MatchStatus)
    /// Not run, for the stated reason (a method that cannot schedule a timetabled cohort).
    case skipped(String)
    /// The solve threw; the message. The rest of the comparison goes on.
    case failed(String)

    /// The runs file's `status` column.
    public var status: String {
        switch self {
        case .solved(let s): return s.rawValue
        case .skipped: return "skipped"
        case .failed: return "error"
        }
    }

    /// The runs file's `note` column.
    public var note: String {
        switch self {
        case .solved: return ""
        case .skipped(let reason), .failed(let reason): return reason
        }
    }

    public var isSolved: Bool { if case .solved = self { return true }; return false }
}

/// One unit's row: which unit, its seed, the cohort it ran on, the policy, how it ended, and
/// every metric (nil where undefined or not run).
public struct UnitRecord: Sendable, Hashable {
    public var unit: Int
    public var seed: UInt64
    public var policy: String
    public var instance: InstanceInfo
    public var outcome: UnitOutcome
    /// In ``ComparisonMetric/allCases`` order; `seconds` is nil unless the run was timed.
    public var values: [Double?]

    public init(unit: Int, seed: UInt64, policy: String, instance: InstanceInfo, outcome: UnitOutcome, values: [Double?]) {
        self.unit = unit; self.seed = seed; self.policy = policy; self.instance = instance; self.outcome = outcome; self.values = values
    }
}

/// What every row of one comparison's runs files shares. Two files merge only if these agree.
public struct RunsIdentity: Sendable, Hashable {
    /// The comparison's fingerprint (``ComparisonPlan/id``).
    public var comparison: String
    public var version: String
    public var unitCount: Int
    public var policyCount: Int
    /// The `--score-with` policy's name; empty for the default policy.
    public var scoredWith: String
    /// Whether rows carry solve seconds (`--timings`).
    public var timed: Bool

    public init(comparison: String, version: String = PeerMatchVersion.current, unitCount: Int, policyCount: Int, scoredWith: String, timed: Bool) {
        self.comparison = comparison; self.version = version; self.unitCount = unitCount
        self.policyCount = policyCount; self.scoredWith = scoredWith; self.timed = timed
    }

    /// The metrics a row carries.
    public var metrics: [ComparisonMetric] { timed ? ComparisonMetric.allCases : ComparisonMetric.deterministic }
}

/// The per-unit runs CSV: the file each shard writes, `compare merge` reads and a one-machine
/// run writes with `--runs-out`. One header row, then one row per unit in unit order:
///
/// `unit, seed, policy, instance, setting, cohort_seed, mentees, mentors, places, slots, version,
/// status, note`, one column per metric, then `comparison, unit_count, policy_count, scored_with,
/// cohort_hash`.
///
/// Every row carries the comparison's identity, so rows are self-describing (files can be
/// concatenated, filtered, loaded into a data frame) and a merge can check them one by one.
/// Metric values are written exactly (the shortest text that reads back as the same double), so
/// a summary computed from the file is the summary computed in memory, to the last bit.
public enum RunsFile {
    static let leading = ["unit", "seed", "policy", "instance", "setting", "cohort_seed", "mentees", "mentors",
                          "places", "slots", "version", "status", "note"]
    static let trailing = ["comparison", "unit_count", "policy_count", "scored_with", "cohort_hash"]

    public static func header(timed: Bool) -> [String] {
        leading + (timed ? ComparisonMetric.allCases : ComparisonMetric.deterministic).map(\.rawValue) + trailing
    }

    /// The file's text: the header, then the records in unit order.
    public static func render(_ records: [UnitRecord], identity: RunsIdentity) -> String {
        let metrics = identity.metrics.map { ComparisonMetric.allCases.firstIndex(of: $0)! }
        let rows = records.sorted { $0.unit < $1.unit }.map { r -> [String] in
            let i = r.instance
            var row = [String(r.unit), String(r.seed), r.policy, i.name, i.setting, i.cohortSeed.map(String.init) ?? "",
                       String(i.mentees), String(i.mentors), String(i.places), String(i.slots), identity.version,
                       r.outcome.status, oneLine(r.outcome.note)]
            row += metrics.map { r.values[$0].map(exact) ?? "" }
            row += [identity.comparison, String(identity.unitCount), String(identity.policyCount), identity.scoredWith, i.hash]
            return row
        }
        var out = line(header(timed: identity.timed))
        for row in rows { out += line(row) }
        return out
    }

    /// One CSV line, quoted as ``csvText`` quotes (``CSVBytes``): a shard rewrites its whole
    /// file at every checkpoint, so this must stay cheap (CSV.swift's writer took 57 µs a row).
    static func line(_ fields: [String]) -> String {
        var csv = CSVBytes()
        csv.row(fields)
        if csv.bytes.isEmpty { csv.end() }
        return String(decoding: csv.bytes, as: UTF8.self)
    }

    /// A number as the shortest text that reads back as the same double (whole numbers without
    /// a decimal point).
    static func exact(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return "\(x)"
    }

    /// Notes go in one CSV line, so line numbers in messages are file lines.
    static func oneLine(_ s: String) -> String {
        s.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }

    /// A runs file read back: its identity (nil for a file with a header and no rows) and each
    /// record with its line number.
    public struct Contents: Sendable {
        public var file: String
        public var identity: RunsIdentity?
        public var timed: Bool
        public var records: [(record: UnitRecord, line: Int)]
    }

    /// Reads a runs file. Every problem is an ``InputError`` naming the file, line and column.
    public static func read(_ path: String) throws -> Contents {
        try parse(AtomicFile.read(path), file: path)
    }

    public static func parse(_ data: Data, file: String) throws -> Contents {
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: file, "is not a PeerMatch runs file (not UTF-8 text)")
        }
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        lines = lines.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
        guard let first = lines.first, let header = fields(first) else {
            throw InputError(file: file, "is empty, not a PeerMatch runs file")
        }
        let timed: Bool
        if header == Self.header(timed: false) { timed = false }
        else if header == Self.header(timed: true) { timed = true }
        else {
            // Say whether this is some other CSV, or a runs file of another PeerMatch version.
            let versionColumn = header.firstIndex(of: "version")
            if let v = versionColumn, header.first == "unit", lines.count > 1, let row = fields(lines[1]), row.count > v,
               row[v] != PeerMatchVersion.current {
                throw InputError(file: file, "was written by PeerMatch \(row[v]), whose runs files have other columns; this is PeerMatch \(PeerMatchVersion.current): run every shard and the merge with one version")
            }
            let expected = Self.header(timed: false)
            let missing = expected.filter { !header.contains($0) }, extra = header.filter { !Self.header(timed: true).contains($0) }
            var detail = [String]()
            if !missing.isEmpty { detail.append("missing \(missing.prefix(5).joined(separator: ", "))") }
            if !extra.isEmpty { detail.append("unexpected \(extra.prefix(5).joined(separator: ", "))") }
            if detail.isEmpty { detail.append("columns in another order") }
            throw InputError(file: file, at: "line 1", "is not a PeerMatch runs file (its header has \(detail.joined(separator: "; "))); give the files that compare --runs-out wrote")
        }
        let column = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        let metrics = (timed ? ComparisonMetric.allCases : ComparisonMetric.deterministic)
        var problems: [Diagnostic] = []
        var records: [(UnitRecord, Int)] = []
        var identity: RunsIdentity?
        var identityLine = 0
        for (k, line) in lines.enumerated().dropFirst() {
            let lineNumber = k + 1
            if line.isEmpty { continue }
            func problem(_ name: String?, _ message: String) {
                let at = name.map { "line \(lineNumber), column \(column[$0]! + 1) (\($0))" } ?? "line \(lineNumber)"
                problems.append(Diagnostic(file: file, at: at, message))
            }
            guard problems.count < 20 else { break }
            guard let row = fields(line) else { problem(nil, "not a CSV row (a quote is not closed)"); continue }
            guard row.count == header.count else {
                problem(nil, "has \(row.count) cells, the header has \(header.count)"); continue
            }
            func cell(_ name: String) -> String { row[column[name]!] }
            func int(_ name: String) -> Int? {
                guard let n = Int(cell(name)), n >= 0 else { problem(name, "must be a whole number ≥ 0, found \(cell(name).debugDescription)"); return nil }
                return n
            }
            func seed(_ name: String, optional: Bool) -> UInt64?? {
                if optional && cell(name).isEmpty { return .some(nil) }
                guard let n = UInt64(cell(name)) else { problem(name, "must be a seed (a whole number), found \(cell(name).debugDescription)"); return nil }
                return .some(n)
            }
            let before = problems.count
            let unit = int("unit"), unitSeed = seed("seed", optional: false), cohortSeed = seed("cohort_seed", optional: true)
            let mentees = int("mentees"), mentors = int("mentors"), places = int("places"), slots = int("slots")
            let unitCount = int("unit_count"), policyCount = int("policy_count")
            var values = [Double?](repeating: nil, count: ComparisonMetric.allCases.count)
            for metric in metrics where !cell(metric.rawValue).isEmpty {
                guard let x = Double(cell(metric.rawValue)), x.isFinite else {
                    problem(metric.rawValue, "must be a number or empty, found \(cell(metric.rawValue).debugDescription)"); continue
                }
                values[ComparisonMetric.allCases.firstIndex(of: metric)!] = x
            }
            let outcome: UnitOutcome?
            switch cell("status") {
            case "skipped": outcome = .skipped(cell("note"))
            case "error": outcome = .failed(cell("note"))
            case let s: outcome = MatchStatus(rawValue: s).map(UnitOutcome.solved)
            }
            if outcome == nil { problem("status", "must be optimal, feasible, fallback, infeasible, skipped or error, found \(cell("status").debugDescription)") }
            guard problems.count == before, let unit, let unitSeed = unitSeed ?? nil, let cohortSeed, let mentees, let mentors,
                  let places, let slots, let unitCount, let policyCount, let outcome else { continue }
            let rowIdentity = RunsIdentity(comparison: cell("comparison"), version: cell("version"), unitCount: unitCount,
                                           policyCount: policyCount, scoredWith: cell("scored_with"), timed: timed)
            if let identity, identity != rowIdentity {
                problem(nil, "belongs to another comparison than line \(identityLine) (\(difference(identity, rowIdentity))): a runs file holds one comparison")
                continue
            }
            if identity == nil { identity = rowIdentity; identityLine = lineNumber }
            if unit >= unitCount { problem("unit", "unit \(unit) is not below unit_count \(unitCount)"); continue }
            let info = InstanceInfo(name: cell("instance"), setting: cell("setting"), cohortSeed: cohortSeed, mentees: mentees,
                                    mentors: mentors, places: places, slots: slots, hash: cell("cohort_hash"))
            records.append((UnitRecord(unit: unit, seed: unitSeed, policy: cell("policy"), instance: info, outcome: outcome, values: values), lineNumber))
        }
        if !problems.isEmpty { throw InputError(problems) }
        return Contents(file: file, identity: identity, timed: timed, records: records)
    }

    /// What differs between two identities, in words.
    public static func difference(_ a: RunsIdentity, _ b: RunsIdentity) -> String {
        var parts: [String] = []
        if a.version != b.version { parts.append("PeerMatch \(a.version) and \(b.version)") }
        if a.comparison != b.comparison { parts.append("comparison \(a.comparison) and \(b.comparison)") }
        if a.unitCount != b.unitCount { parts.append("\(a.unitCount) and \(b.unitCount) units") }
        if a.policyCount != b.policyCount { parts.append("\(a.policyCount) and \(b.policyCount) policies") }
        if a.scoredWith != b.scoredWith { parts.append("scored with \(a.scoredWith.isEmpty ? "the default policy" : a.scoredWith) and \(b.scoredWith.isEmpty ? "the default policy" : b.scoredWith)") }
        if a.timed != b.timed { parts.append("with and without --timings") }
        return parts.joined(separator: ", ")
    }

    /// One line's cells (RFC 4180, through CSV.swift); nil when a quote is left open.
    static func fields(_ line: String) -> [String]? {
        guard line.filter({ $0 == "\"" }).count % 2 == 0, let reader = try? CSVReader(string: line), let row = reader.next(),
              reader.error == nil else { return nil }
        return row
    }
}
