import Foundation

/// Runs a prepared shard. Units its runs file already holds are kept as they are; the rest are
/// solved on up to `jobs` threads, and the rows so far are handed to `checkpoint` (which writes
/// the runs file atomically) at most every `checkpointEvery` seconds, so a killed shard loses at
/// most that much work and, run again, skips what its file holds. The rows never depend on the
/// order or the thread that solved them.
public final class ShardRunner: @unchecked Sendable {
    public typealias Checkpoint = @Sendable (_ records: [UnitRecord], _ solvedNow: Int) throws -> Void

    public let prepared: PreparedShard
    /// Units still to solve, in order.
    public let pending: [Int]
    public let kept: Int
    let jobs: Int
    let checkpointEvery: Double
    let checkpoint: Checkpoint?
    let progress: (@Sendable (Int, Int) -> Void)?
    let afterUnit: (@Sendable (Int) -> Void)?

    private let lock = NSLock()
    private let writeLock = NSLock()
    private var records: [Int: UnitRecord]
    private var solvedNow = 0
    private var lastWrite = Date()
    private var lastWriteSeconds = 0.0
    private var writing = false
    private var stopped = false
    private var writeError: Error?
    private let tasks: TaskCounter

    /// `existing`: rows read back from the shard's runs file (each must be one of its units).
    /// `progress(done, total)` is called after each unit (serialised); `afterUnit(solvedNow)`
    /// after each unit and its checkpoint, outside every lock, on the worker's thread.
    public init(_ prepared: PreparedShard, existing: [UnitRecord] = [], jobs: Int = 1, checkpointEvery: Double = 5,
                checkpoint: Checkpoint? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil,
                afterUnit: (@Sendable (Int) -> Void)? = nil) {
        self.prepared = prepared; self.jobs = jobs; self.checkpointEvery = checkpointEvery
        self.checkpoint = checkpoint; self.progress = progress; self.afterUnit = afterUnit
        records = Dictionary(existing.map { ($0.unit, $0) }, uniquingKeysWith: { a, _ in a })
        kept = records.count
        pending = prepared.units.filter { [records] in records[$0] == nil }
        tasks = TaskCounter(pending.count)
    }

    /// Solves the pending units; returns every row of the shard in unit order. Throws the
    /// checkpoint's error if a write failed (the run stops at the first failed write).
    public func run() throws -> [UnitRecord] {
        concurrentForEach(tasks, jobs: jobs) { [self] k in record(prepared.solve(pending[k])) }
        if let writeError { throw writeError }
        return snapshot()
    }

    /// Hands every row to the checkpoint once more (the final write of the runs file), under the
    /// same lock as the checkpoints and ``stop()``, so a signal arriving now never writes beside it.
    public func writeAll() throws {
        guard let checkpoint else { return }
        try writeLock.withLock {
            let (rows, solved) = lock.withLock { (records.values.sorted { $0.unit < $1.unit }, solvedNow) }
            try checkpoint(rows, solved)
        }
    }

    /// Every row so far, in unit order.
    public func snapshot() -> [UnitRecord] { lock.withLock { records.values.sorted { $0.unit < $1.unit } } }

    /// Stops taking units and writes a last checkpoint (for SIGTERM and SIGINT: a batch system
    /// that ends a task early keeps what it finished). Units being solved finish but are not
    /// written. The caller exits afterwards.
    public func stop() throws {
        tasks.stop()
        lock.withLock { stopped = true }
        try writeAll()
    }

    private func record(_ r: UnitRecord) {
        let (due, solved): ([UnitRecord]?, Int) = lock.withLock {
            records[r.unit] = r
            solvedNow += 1
            progress?(kept + solvedNow, prepared.units.count)
            // The last unit is written by the caller; a write in progress is caught up by the next.
            // Writes are spaced by at least 20 times the last one's duration, so rewriting a large
            // file never costs more than 5% of the run (0 seconds asks for every unit, whatever it costs).
            let spacing = checkpointEvery == 0 ? 0 : max(checkpointEvery, 20 * lastWriteSeconds)
            guard checkpoint != nil, !stopped, !writing, tasks.end > solvedNow,
                  Date().timeIntervalSince(lastWrite) >= spacing else { return (nil, solvedNow) }
            writing = true
            return (records.values.sorted { $0.unit < $1.unit }, solvedNow)
        }
        if let rows = due, let checkpoint {
            let start = Date()
            do { try writeLock.withLock { try checkpoint(rows, solved) } } catch {
                lock.withLock { if writeError == nil { writeError = error } }
                tasks.stop()
            }
            lock.withLock { writing = false; lastWrite = Date(); lastWriteSeconds = lastWrite.timeIntervalSince(start) }
        }
        afterUnit?(solved)
    }
}

// MARK: - Resuming from a runs file

extension ComparisonPlan {
    /// The rows the runs file at `path` already holds for `shard`; none when there is no file.
    /// Refuses (and so never overwrites) a file that is not a runs file of this comparison,
    /// shard, version and timing mode.
    public func keptRows(from path: String, shard: Shard) throws -> [UnitRecord] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let contents: RunsFile.Contents
        do { contents = try RunsFile.read(path) } catch let error as InputError {
            throw InputError(error.diagnostics + [Diagnostic(file: path, at: "", "--runs-out names an existing file that is not a runs file this comparison can resume from; choose another --runs-out (it is never overwritten)")])
        }
        if let theirs = contents.identity, theirs != identity {
            throw InputError(file: path, "holds runs of another comparison (\(RunsFile.difference(theirs, identity))); delete it to start again, or choose another --runs-out")
        }
        if contents.timed != timed {
            throw InputError(file: path, "was written \(contents.timed ? "with" : "without") --timings; run \(contents.timed ? "with" : "without") it, or choose another --runs-out")
        }
        var problems: [Diagnostic] = []
        for (r, line) in contents.records {
            let (c, p) = locate(r.unit)
            if !shard.contains(r.unit) {
                problems.append(Diagnostic(file: path, at: "line \(line)", "unit \(r.unit) is not one of \(shard)'s units (was the file written by another shard, or with another --shard-count?)"))
            } else if r.policy != policies[p].name || r.instance.name != instances[c].name || r.seed != unitSeed(r.unit) {
                problems.append(Diagnostic(file: path, at: "line \(line)", "unit \(r.unit) is \(r.instance.name) × \(r.policy) there, but \(instances[c].name) × \(policies[p].name) in this comparison"))
            }
            if problems.count >= 10 { break }
        }
        if !problems.isEmpty { throw InputError(problems) }
        return contents.records.map(\.record)
    }
}

extension PreparedShard {
    /// The cohorts the kept rows ran on are the cohorts read now (a cohort file edited since
    /// would put two cohorts under one name).
    public func checkKept(_ rows: [UnitRecord], file: String) throws {
        for r in rows where r.instance != info(ofUnit: r.unit) {
            throw InputError(file: file, "holds runs of \(r.instance.name) made from a different cohort than the one read now (its file changed?); delete \(file) to start again")
        }
    }
}
