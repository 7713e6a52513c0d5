import Foundation

/// A comparison, defined before anything is solved: the policies, the cohorts, the seed, the
/// yardstick and the solve options. Its units are every (cohort, policy) pair, numbered
/// cohort-major (unit = cohort × policies + policy); the numbering, each unit's seed and the
/// comparison's ``id`` depend on the definition alone, never on how the work is split.
///
/// ```swift
/// let plan = ComparisonPlan(policies: try ["interests", "random"].map { ($0, try PolicyReader.resolve($0)) },
///                           instances: ComparisonInstance.programme(seed: 1, cohorts: 100), seed: 1)
/// let shard = try plan.prepare(Shard(index: 3, count: 8))       // reads or generates its cohorts, checks them
/// let records = ShardRunner(shard).run()                       // the shard's rows
/// ```
public struct ComparisonPlan: Sendable {
    public var policies: [(name: String, policy: Policy)]
    public var instances: [ComparisonInstance]
    /// Base seed: every unit's matcher seed is derived from it and the unit id.
    public var seed: UInt64
    /// The policy whose weights score every pair in the metrics (one scale for all policies).
    public var scoring: Policy
    /// Its name as given (`--score-with`); nil for the default policy.
    public var scoringName: String?
    public var options: SolveOptions
    /// Solve timetabled cohorts as plain matchings (their slots, rooms and term dropped), so
    /// every method applies. Otherwise methods that cannot schedule skip them.
    public var ignoreTimetables: Bool
    /// Record solve seconds (rows then differ between runs).
    public var timed: Bool

    public init(policies: [(name: String, policy: Policy)], instances: [ComparisonInstance], seed: UInt64 = 1,
                scoring: Policy = .default, scoringName: String? = nil, options: SolveOptions = SolveOptions(),
                ignoreTimetables: Bool = false, timed: Bool = false) {
        self.policies = policies; self.instances = instances; self.seed = seed; self.scoring = scoring
        self.scoringName = scoringName; self.options = options; self.ignoreTimetables = ignoreTimetables; self.timed = timed
    }

    public var unitCount: Int { instances.count * policies.count }

    /// The cohort and policy of a unit.
    public func locate(_ unit: Int) -> (instance: Int, policy: Int) { (unit / policies.count, unit % policies.count) }

    /// The seed a unit's solve uses: from the base seed and the unit id alone.
    public func unitSeed(_ unit: Int) -> UInt64 { UnitSeed.derive(base: seed, id: unit, stream: .matcher) }

    /// The units a shard solves, in order.
    public func units(in shard: Shard) -> [Int] { Array(stride(from: shard.index, to: unitCount, by: shard.count)) }

    /// The comparison's fingerprint: FNV-1a of everything that decides its results (format,
    /// seed, solve options, timetable mode, the scoring policy, each policy's name and settings,
    /// each cohort's name and whether it is read or generated). Not the cohorts' contents: every
    /// row carries its cohort's own hash, and a merge checks those, so reading the 10,000 cohort
    /// files of a comparison is never needed to name it.
    public var id: String {
        var text = "peermatch compare runs 1\nseed \(seed)\ntime-limit \(options.timeLimit)\ngap \(options.gap)\n"
        text += "timetables \(ignoreTimetables ? "ignored" : "scheduled")\nscoring \(scoring)\n"
        for (name, policy) in policies { text += "policy \(name) \(policy)\n" }
        text += "instances \(instances.count)\n"
        for instance in instances { text += (instance.isGenerated ? "generated " : "file ") + instance.name + "\n" }
        return fnv1a(text)
    }

    public var identity: RunsIdentity {
        RunsIdentity(comparison: id, unitCount: unitCount, policyCount: policies.count, scoredWith: scoringName ?? "", timed: timed)
    }

    /// Why a unit cannot be run, or nil: a method that does not schedule sessions, on a cohort
    /// with slots (the Matcher's timetable planner takes method optimal only; a test checks
    /// that it still refuses the others, so this list cannot drift from it).
    public static func skipReason(method: MatchingMethod, cohort: Cohort) -> String? {
        guard cohort.timetable != nil, method != .optimal else { return nil }
        return "method \(method.rawValue) does not schedule sessions, and this cohort has a timetable (only method optimal matches and timetables it; compare with --ignore-timetables to match every cohort without its timetable)"
    }

    /// Reads or generates the cohorts a shard needs and checks every one of its units before
    /// anything is solved: a cohort file that does not read, a lock a policy's hard rules
    /// forbid, a hard minimum with method stable. Throws an ``InputError`` listing every problem,
    /// each with its file. Units that cannot run (``skipReason(method:cohort:)``) are marked.
    public func prepare(_ shard: Shard, jobs: Int = 1) throws -> PreparedShard {
        let units = units(in: shard)
        let needed = Array(Set(units.map { locate($0).instance })).sorted()
        let loaded = ConcurrentSlots<Result<(Cohort, InstanceInfo), Error>>(count: needed.count)
        concurrentForEach(needed.count, jobs: jobs) { k in loaded.set(k, Result { try instances[needed[k]].load() }) }
        var cohorts: [Int: Cohort] = [:], infos: [Int: InstanceInfo] = [:]
        var problems: [Diagnostic] = []
        for (k, c) in needed.enumerated() {
            switch loaded.get(k)! {
            case .success(var (cohort, info)):
                if ignoreTimetables { cohort.timetable = nil; info.slots = 0 }
                cohorts[c] = cohort; infos[c] = info
            case .failure(let error as InputError): problems += error.diagnostics
            case .failure(let error): problems.append(Diagnostic(file: instances[c].path ?? instances[c].name, at: "", "\(error)"))
            }
        }
        var skips: [Int: String] = [:]
        for u in units {
            let (c, p) = locate(u)
            guard let cohort = cohorts[c] else { continue }
            let policy = policies[p].policy
            if let reason = Self.skipReason(method: policy.method, cohort: cohort) { skips[u] = reason; continue }
            for message in Matcher(policy: policy).inputProblems(cohort) {
                problems.append(Diagnostic(file: instances[c].path ?? instances[c].name, at: "", "policy \(policies[p].name): \(message)"))
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        let scoringContexts = cohorts.mapValues { PairingContext(cohort: $0, policy: scoring) }
        return PreparedShard(plan: self, shard: shard, units: units, cohorts: cohorts, infos: infos,
                             scoringContexts: scoringContexts, skips: skips)
    }
}

/// A shard ready to run: its units, their cohorts (read and checked) and the units it skips.
public struct PreparedShard: Sendable {
    public let plan: ComparisonPlan
    public let shard: Shard
    public let units: [Int]
    let cohorts: [Int: Cohort]
    let infos: [Int: InstanceInfo]
    let scoringContexts: [Int: PairingContext]
    /// Units not run, with the reason.
    public let skips: [Int: String]

    /// What the runs rows say about the cohort of a unit.
    public func info(ofUnit unit: Int) -> InstanceInfo { infos[plan.locate(unit).instance]! }

    /// Solves one unit (or records why it is skipped, or the error it threw).
    public func solve(_ unit: Int) -> UnitRecord {
        let (c, p) = plan.locate(unit)
        let seed = plan.unitSeed(unit), name = plan.policies[p].name, info = infos[c]!
        let none = [Double?](repeating: nil, count: ComparisonMetric.allCases.count)
        if let reason = skips[unit] {
            return UnitRecord(unit: unit, seed: seed, policy: name, instance: info, outcome: .skipped(reason), values: none)
        }
        let cohort = cohorts[c]!
        do {
            let result = try Matcher(policy: plan.policies[p].policy, options: plan.options, seed: seed).match(cohort)
            var values = ComparisonMetric.values(cohort: cohort, result: result, scoring: scoringContexts[c]!)
            if !plan.timed { values[ComparisonMetric.allCases.firstIndex(of: .seconds)!] = nil }
            return UnitRecord(unit: unit, seed: seed, policy: name, instance: info, outcome: .solved(result.status), values: values)
        } catch {
            return UnitRecord(unit: unit, seed: seed, policy: name, instance: info, outcome: .failed("\(error)"), values: none)
        }
    }
}

/// Fixed slots written by worker threads, so results never depend on timing.
final class ConcurrentSlots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T?]
    init(count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ k: Int, _ value: T) { lock.withLock { items[k] = value } }
    func get(_ k: Int) -> T? { lock.withLock { items[k] } }
}

/// Hands out 0, 1, 2, ... to worker threads until `end` or ``stop()``.
final class TaskCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0, stopped = false
    let end: Int
    init(_ end: Int) { self.end = end }
    func take() -> Int? {
        lock.withLock {
            guard !stopped, next < end else { return nil }
            next += 1
            return next - 1
        }
    }
    func stop() { lock.withLock { stopped = true } }
}

/// Runs `body` for 0..<count on up to `jobs` threads (in order on one).
func concurrentForEach(_ count: Int, jobs: Int, _ body: @Sendable (Int) -> Void) {
    let tasks = TaskCounter(count)
    concurrentForEach(tasks, jobs: jobs, body)
}

/// Runs `body` for each task `tasks` hands out, on up to `jobs` threads.
func concurrentForEach(_ tasks: TaskCounter, jobs: Int, _ body: @Sendable (Int) -> Void) {
    let workers = max(1, min(jobs, tasks.end))
    if workers == 1 { while let k = tasks.take() { body(k) }; return }
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while let k = tasks.take() { body(k) }
    }
}
