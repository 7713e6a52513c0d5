import Foundation

/// One share of a comparison's work: the units whose id modulo `count` is `index`. Batch systems
/// name the share in their own variables; ``resolve(index:count:environment:)`` reads them, so the
/// same command line runs as a Slurm array task, a Bazel test shard or by hand.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    public var index: Int
    public var count: Int
    /// Where the numbers came from ("--shard-index/--shard-count", "SLURM_ARRAY_TASK_ID and
    /// SLURM_ARRAY_TASK_COUNT", ...), for the note a sharded run prints.
    public var source: String

    public init(index: Int, count: Int, source: String = "--shard-index and --shard-count") {
        self.index = index; self.count = count; self.source = source
    }

    /// All the work in one process.
    public static let whole = Shard(index: 0, count: 1, source: "no sharding")

    public var isWhole: Bool { count == 1 }
    public func contains(_ unit: Int) -> Bool { unit % count == index }
    public var description: String { "shard \(index) of \(count)" }

    /// A problem with the shard numbers, named by where they came from; a usage error (exit 2).
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The shard to run. Flags win; a flag left out is taken from the same batch system's
    /// variables: Slurm job arrays (`SLURM_ARRAY_TASK_ID`, `SLURM_ARRAY_TASK_COUNT`), then Bazel's
    /// test sharding (`TEST_SHARD_INDEX`, `TEST_TOTAL_SHARDS`). Nothing set: the whole comparison.
    ///
    /// Slurm's task id is used as it is, so submit the array as `--array=0-(N-1)`. Resubmitting a
    /// few tasks (`--array=3,5`) makes Slurm's count the number resubmitted, not N: the scripts
    /// in Benchmarks/cluster pass `--shard-count N` for that reason, and an id at or above the
    /// count is an error rather than a silent re-split.
    public static func resolve(index: Int?, count: Int?, environment: [String: String]) throws -> Shard {
        func number(_ name: String) throws -> Int? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            guard let n = Int(raw) else { throw Problem(description: "\(name)=\(raw) is not a whole number") }
            return n
        }
        let systems = [("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT"), ("TEST_SHARD_INDEX", "TEST_TOTAL_SHARDS")]
        var found: (index: Int?, count: Int?, indexName: String, countName: String)? = nil
        for (i, c) in systems {
            let (ei, ec) = (try number(i), try number(c))
            if ei != nil || ec != nil { found = (ei, ec, i, c); break }
        }
        let resolvedIndex: Int, resolvedCount: Int, source: String
        switch (index, count) {
        case let (i?, c?):
            (resolvedIndex, resolvedCount, source) = (i, c, "--shard-index and --shard-count")
        case let (i?, nil):
            guard let found, let c = found.count else {
                throw Problem(description: "--shard-index \(i) needs --shard-count N (or SLURM_ARRAY_TASK_COUNT / TEST_TOTAL_SHARDS)")
            }
            (resolvedIndex, resolvedCount, source) = (i, c, "--shard-index and \(found.countName)")
        case let (nil, c?):
            guard let found, let i = found.index else {
                throw Problem(description: "--shard-count \(c) needs --shard-index I (or SLURM_ARRAY_TASK_ID / TEST_SHARD_INDEX)")
            }
            (resolvedIndex, resolvedCount, source) = (i, c, "\(found.indexName) and --shard-count")
        case (nil, nil):
            guard let found else { return .whole }
            guard let i = found.index, let c = found.count else {
                throw Problem(description: "\(found.indexName) and \(found.countName) must both be set (only one is); or give --shard-index and --shard-count")
            }
            (resolvedIndex, resolvedCount, source) = (i, c, "\(found.indexName) and \(found.countName)")
        }
        guard resolvedCount >= 1 else { throw Problem(description: "the shard count must be at least 1 (\(source) give \(resolvedCount))") }
        guard (0..<resolvedCount).contains(resolvedIndex) else {
            var text = "the shard index must be from 0 to \(resolvedCount - 1) (\(source) give index \(resolvedIndex) of \(resolvedCount))"
            if source.hasPrefix("SLURM") {
                text += "; submit the array as --array=0-\(max(0, resolvedCount - 1)), or when resubmitting some tasks pass --shard-count with the array's full size"
            }
            throw Problem(description: text)
        }
        return Shard(index: resolvedIndex, count: resolvedCount, source: source)
    }
}

/// Seeds for units, derived from the base seed and the unit's id alone (never from the shard or
/// the order of solving), so a unit gives the same result whichever machine solves it.
public enum UnitSeed {
    /// What a derived seed is for: the same id gives unrelated seeds for different purposes.
    public enum Stream: UInt64, Sendable {
        /// The seed a unit's solve uses (method random's scores, method stable's lottery).
        case matcher = 1
        /// The seed of generated cohort number k (`compare --generate`).
        case cohort = 2
    }

    /// SplitMix64 over both: the base seed keys a generator whose first output is xored with the
    /// id, and the mix of that is the seed. Distinct ids give distinct seeds for one base.
    public static func derive(base: UInt64, id: Int, stream: Stream) -> UInt64 {
        var key = SeededRandom(seed: base ^ (stream.rawValue &* 0xD1B5_4A32_D192_ED03))
        var mixed = SeededRandom(seed: key.next() ^ UInt64(id))
        return mixed.next()
    }
}
