import Foundation

/// The limits every reader holds an input to, so that a hostile or broken file ends in a clear
/// error instead of an allocation abort, a stack overflow or a run that never ends.
///
/// Each limit is far above any real scheme (the largest published instances PeerMatch reads are
/// 40 MB of JSON and 50,000 people) and well below what would take the process past 4 GiB:
/// a JSON cohort takes about 5 bytes of memory per byte of text while it is read, so 512 MiB of
/// input stays near 3 GiB at its peak.
///
/// The command-line tool sets ``standard`` from `--max-input-size`; library callers pass their own
/// or change ``standard`` once at start-up.
public struct ReadLimits: Sendable, Hashable {
    /// Largest input file, in bytes (JSON cohorts, results, CSV exports).
    public var maxInputBytes: Int
    /// Largest YAML file, in bytes (policies, timetable setups, column maps). YAML's node tree
    /// takes about 40 bytes of memory per byte of text, hence the lower limit; real policy files
    /// are a few kilobytes.
    public var maxYAMLBytes: Int
    /// Deepest nesting of lists and objects. Cohorts nest 4 deep; 1,000 is generous and keeps the
    /// recursive readers far from the end of the stack.
    public var maxDepth: Int
    /// Longest single text value or key, in bytes of UTF-8.
    public var maxStringBytes: Int
    /// Most people (mentors and mentees together) in one cohort.
    public var maxPeople: Int
    /// Most values a YAML document may hold once its aliases (`*name`) are expanded. A "billion
    /// laughs" document of a few hundred bytes expands to billions; a real policy to a few hundred.
    public var maxYAMLValues: Int

    public init(maxInputBytes: Int = 512 << 20, maxYAMLBytes: Int = 16 << 20, maxDepth: Int = 1_000,
                maxStringBytes: Int = 1 << 20, maxPeople: Int = 1_000_000, maxYAMLValues: Int = 1_000_000) {
        self.maxInputBytes = maxInputBytes; self.maxYAMLBytes = maxYAMLBytes; self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes; self.maxPeople = maxPeople; self.maxYAMLValues = maxYAMLValues
    }

    /// The limits readers use when none are passed. Set it once, before reading (the CLI does so
    /// from `--max-input-size`).
    public static var standard: ReadLimits {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
    private static let storage = LockedValue(ReadLimits())

    /// `512 MiB`, `16 MiB`, `900 KiB`, `12 bytes`: sizes as messages print them.
    public static func describe(bytes: Int) -> String {
        if bytes >= 1 << 30 && bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 20 { return formatNumber((Double(bytes) / Double(1 << 20) * 10).rounded() / 10) + " MiB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return bytes == 1 ? "1 byte" : "\(bytes) bytes"
    }

    /// Parses a size as the command line takes it: `512M`, `2G`, `800K`, `1000000` (bytes); a
    /// trailing `B`, `iB` and spaces are allowed. Nil when it is not a positive size.
    public static func parseSize(_ text: String) -> Int? {
        var s = text.trimmingCharacters(in: .whitespaces).uppercased()
        for suffix in ["IB", "B"] where s.hasSuffix(suffix) && s.count > suffix.count { s.removeLast(suffix.count); break }
        s = s.trimmingCharacters(in: .whitespaces)
        var scale = 1
        if let last = s.last, let power = ["K": 10, "M": 20, "G": 30, "T": 40][String(last)] {
            scale = 1 << power; s.removeLast()
        }
        guard let x = Double(s.trimmingCharacters(in: .whitespaces)), x.isFinite, x >= 1 else { return nil }
        let bytes = x * Double(scale)
        guard bytes < Double(Int.max / 2) else { return nil }
        return Int(bytes)
    }
}

/// A value behind a lock, for the few process-wide settings (limits, signal state).
final class LockedValue<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ value: T) { self.value = value }
    func withLock<R>(_ body: (inout T) throws -> R) rethrows -> R {
        lock.lock(); defer { lock.unlock() }
        return try body(&value)
    }
}
