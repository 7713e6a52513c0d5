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
/// - A stop request (``Interruption``: SIGINT/SIGTERM with `solve --on-interrupt write-best`) or
///   a raised ``CancellationFlag`` stops every solver at its next check, as if its deadline had passed.
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
    /// Work spent: one meter for the whole command, shared by every limits object made from it.
    private final class Meter: @unchecked Sendable {
        let lock = NSLock()
        var used = 0
    }
    /// The first cut: shared with limits made by ``reserving(seconds:)``; a step made by
    /// ``within(seconds:)`` keeps its own (its own budget running out is not the command's limit).
    private final class Record: @unchecked Sendable {
        let lock = NSLock()
        var cut: Cut?
    }
    private let meter: Meter
    private let record: Record
    /// The command's limits, for a step made by ``within(seconds:)``: a cut by the command's own
    /// deadline is recorded there too.
    private let parent: SolveLimits?

    /// - Parameter startedAgo: seconds the command has already run (tests of a deadline already past).
    public init(timeLimit: Double? = nil, workLimit: Int? = nil, cancellation: CancellationFlag = .process, startedAgo: Double = 0) {
        self.timeLimit = timeLimit
        self.workLimit = workLimit
        self.cancellation = cancellation
        let now = DispatchTime.now().uptimeNanoseconds
        let ago = UInt64(max(0, min(startedAgo, 1e6)) * 1e9)
        start = now > ago ? now - ago : 0
        if let timeLimit, timeLimit.isFinite {
            deadline = start &+ UInt64(max(0, min(timeLimit, 1e9)) * 1e9)
        } else {
            deadline = .max
        }
        meter = Meter(); record = Record(); parent = nil
    }

    private init(from other: SolveLimits, deadline: UInt64, ownRecord: Bool) {
        timeLimit = other.timeLimit; workLimit = other.workLimit; cancellation = other.cancellation
        start = other.start; meter = other.meter
        record = ownRecord ? Record() : other.record
        parent = ownRecord ? other : other.parent
        self.deadline = deadline
    }

    /// The same limits with a deadline `seconds` earlier (work, cancellation and the record of
    /// cuts shared): a stage that must leave time for what follows it.
    public func reserving(seconds: Double) -> SolveLimits {
        guard deadline != .max, seconds > 0 else { return self }
        let early = UInt64(min(seconds, 1e9) * 1e9)
        return SolveLimits(from: self, deadline: deadline > start &+ early ? deadline - early : start, ownRecord: false)
    }

    /// Limits for one step of the command that may take at most `seconds` of what is left: its
    /// own shorter deadline, the command's work meter, and its own record of cuts.
    public func within(seconds: Double) -> SolveLimits {
        let own = DispatchTime.now().uptimeNanoseconds &+ UInt64(max(0, min(seconds, 1e9)) * 1e9)
        return SolveLimits(from: self, deadline: min(deadline, own), ownRecord: true)
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

    /// Work units spent so far (by the whole command).
    public var workUsed: Int { meter.lock.withLock { meter.used } }

    /// Work units left (nil without a work limit).
    public var workRemaining: Int? { workLimit.map { max(0, $0 - workUsed) } }

    /// The first cut recorded, if any.
    public var cut: Cut? { record.lock.withLock { record.cut } }

    /// Adds `units` of work done by `stage` and says which limit, if any, now stops it. The first
    /// stop is recorded. Cheap enough to call every few thousand steps.
    @discardableResult
    public func spend(_ units: Int, stage: String) -> Kind? {
        let used = meter.lock.withLock { meter.used &+= units; return meter.used }
        let kind: Kind?
        if cancellation.isRaised || Interruption.isRequested {
            kind = .cancelled
        } else if let workLimit, used > workLimit {
            kind = .work
        } else if deadline != .max, DispatchTime.now().uptimeNanoseconds >= deadline {
            kind = .time
        } else {
            kind = nil
        }
        if let kind {
            record.lock.withLock { if record.cut == nil { record.cut = Cut(kind: kind, stage: stage) } }
            // A cut that is the command's (not only this step's own budget) is the command's too.
            if let parent, kind != .time || parent.remaining == 0 { parent.spend(0, stage: stage) }
        }
        return kind
    }

    /// Records a cut made by a stage's own share of these limits (the first cut only), so the
    /// result says which limit stopped the run. Used by the timetable solver, whose stages share the work limit.
    public func record(_ kind: Kind, stage: String) {
        record.lock.withLock { if record.cut == nil { record.cut = Cut(kind: kind, stage: stage) } }
    }

    /// Records that the time limit stops `stage` now, before the deadline itself: for a stage
    /// that cannot be stopped once begun (a GLPK call's set-up) and would not end in the time left.
    public func stopForTime(stage: String) {
        record(.time, stage: stage)
        parent?.stopForTime(stage: stage)
    }

    /// Which limit stops `stage` now, without spending work.
    public func check(stage: String) -> Kind? { spend(0, stage: stage) }

    /// Whether the work limit (not the clock) has been reached; for stages that reserve room for a fallback.
    public var workExhausted: Bool { workLimit.map { workUsed >= $0 } ?? false }

    /// Words for a cut: "the time limit of 2 s" / "the work limit of 1000000 units" / "an interrupt".
    public func describe(_ kind: Kind) -> String {
        switch kind {
        case .time: return "the time limit of \(formatNumber(timeLimit ?? 0)) s (--time-limit)"
        case .work: return "the work limit of \(workLimit ?? 0) units (--work-limit)"
        case .cancelled: return "an interrupt"
        }
    }

    /// ``describe(_:)`` of the cut recorded (the time limit when none is).
    public var cutDescription: String { describe(cut?.kind ?? .time) }
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
