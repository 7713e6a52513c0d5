import Dispatch
import Foundation

/// The limits one command's stages share: a wall-clock deadline for the whole command, a
/// deterministic work budget, and cancellation. Every stage that can run long (candidate
/// generation, each exact solve and each of method fair's threshold solves, the greedy fallback,
/// GLPK) draws on the same object, so a limit bounds the command, not each stage in turn.
///
/// - The deadline is measured on the monotonic clock from when the limits were made (the start
///   of the command), so it holds whatever the load.
/// - The work limit counts elementary steps each solver reports (see ``spend(_:stage:)``); they
///   do not depend on the clock, so a run cut by work is reproduced byte for byte.
/// - ``CancellationFlag/process`` is the seam for signals: a SIGINT/SIGTERM handler raises it
///   and every solver stops at its next check, as if its deadline had passed.
///
/// The first limit that cuts is recorded with the stage it cut (``cut``), for the result.
public final class SolveLimits: @unchecked Sendable {
    public enum Kind: String, Sendable, Hashable {
        case time, work, cancelled
    }

    /// Which limit stopped which stage first.
    public struct Cut: Sendable, Hashable {
        public var kind: Kind
        public var stage: String
    }

    /// Seconds allowed from `start` (nil: no deadline).
    public let timeLimit: Double?
    /// Work units allowed (nil: no work limit).
    public let workLimit: Int?
    public let cancellation: CancellationFlag
    private let start: UInt64
    private let deadline: UInt64
    /// Work spent and the first cut, shared with limits made by ``reserving(seconds:)``.
    private final class Shared: @unchecked Sendable {
        let lock = NSLock()
        var used = 0
        var recorded: Cut?
    }
    private let shared: Shared

    public init(timeLimit: Double? = nil, workLimit: Int? = nil, cancellation: CancellationFlag = .process) {
        self.timeLimit = timeLimit
        self.workLimit = workLimit
        self.cancellation = cancellation
        start = DispatchTime.now().uptimeNanoseconds
        if let timeLimit, timeLimit.isFinite {
            deadline = start &+ UInt64(max(0, min(timeLimit, 1e9)) * 1e9)
        } else {
            deadline = .max
        }
        shared = Shared()
    }

    private init(parent: SolveLimits, deadline: UInt64) {
        timeLimit = parent.timeLimit; workLimit = parent.workLimit; cancellation = parent.cancellation
        start = parent.start; shared = parent.shared
        self.deadline = deadline
    }

    /// The same limits with a deadline `seconds` earlier (work, cancellation and the record of
    /// cuts shared): a stage that must leave time for what follows it.
    public func reserving(seconds: Double) -> SolveLimits {
        guard deadline != .max, seconds > 0 else { return self }
        let early = UInt64(min(seconds, 1e9) * 1e9)
        return SolveLimits(parent: self, deadline: deadline > start &+ early ? deadline - early : start)
    }

    /// No limits at all (tests, and solves that must finish).
    public static var none: SolveLimits { SolveLimits(cancellation: CancellationFlag()) }

    /// Seconds since the limits were made.
    public var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds &- start) / 1e9 }

    /// Seconds left before the deadline (infinite without one; 0 once past it).
    public var remaining: Double {
        guard deadline != .max else { return .infinity }
        let now = DispatchTime.now().uptimeNanoseconds
        return now >= deadline ? 0 : Double(deadline - now) / 1e9
    }

    /// Work units spent so far.
    public var workUsed: Int { shared.lock.withLock { shared.used } }

    /// Work units left (nil without a work limit).
    public var workRemaining: Int? { workLimit.map { max(0, $0 - workUsed) } }

    /// The first cut recorded, if any.
    public var cut: Cut? { shared.lock.withLock { shared.recorded } }

    /// Adds `units` of work done by `stage` and says which limit, if any, now stops it. The first
    /// stop is recorded. Cheap enough to call every few thousand steps.
    @discardableResult
    public func spend(_ units: Int, stage: String) -> Kind? {
        shared.lock.lock(); defer { shared.lock.unlock() }
        shared.used &+= units
        let kind: Kind?
        if cancellation.isRaised {
            kind = .cancelled
        } else if let workLimit, shared.used > workLimit {
            kind = .work
        } else if deadline != .max, DispatchTime.now().uptimeNanoseconds >= deadline {
            kind = .time
        } else {
            kind = nil
        }
        if let kind, shared.recorded == nil { shared.recorded = Cut(kind: kind, stage: stage) }
        return kind
    }

    /// Which limit stops `stage` now, without spending work.
    public func check(stage: String) -> Kind? { spend(0, stage: stage) }

    /// Whether the work limit (not the clock) has been reached; for stages that reserve room for a fallback.
    public var workExhausted: Bool { workLimit.map { workUsed >= $0 } ?? false }

    /// Words for a cut: "the time limit of 2 s" / "the work limit of 1000000 units" / "an interrupt".
    public func describe(_ kind: Kind) -> String {
        switch kind {
        case .time: return "the time limit of \(formatNumber(timeLimit ?? 0)) s"
        case .work: return "the work limit of \(workLimit ?? 0) units"
        case .cancelled: return "an interrupt"
        }
    }
}

/// A flag raised once to stop every solver that reads it (signals: see ``SolveLimits``).
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    public init() {}
    /// The process-wide flag a signal handler raises.
    public static let process = CancellationFlag()
    public func raise() { lock.withLock { raised = true } }
    public var isRaised: Bool { lock.withLock { raised } }
}
