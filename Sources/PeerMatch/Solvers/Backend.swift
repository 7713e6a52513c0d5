import Foundation

/// Options shared by every solver.
public struct SolveOptions: Sendable, Hashable {
    /// Seconds for the whole run (every stage together, fallback included) when no ``limits``
    /// are given; a backend given options directly takes it as its own limit.
    public var timeLimit: Double = 60
    /// Work units for the whole run (deterministic; nil: none).
    public var workLimit: Int? = nil
    /// Relative gap at which the final stage may stop (0 = prove optimality).
    public var gap: Double = 0
    /// A feasible point (one value per model column) a backend may start from, e.g. the greedy
    /// matching. Only a starting basis: it never changes the answer.
    public var start: [Double]? = nil
    /// The limits of the command this solve belongs to (shared with every other stage). When nil,
    /// ``Matcher`` makes them from `timeLimit` and `workLimit` when a match starts.
    public var limits: SolveLimits? = nil
    public init(timeLimit: Double = 60, gap: Double = 0, start: [Double]? = nil, workLimit: Int? = nil, limits: SolveLimits? = nil) {
        self.timeLimit = timeLimit; self.gap = gap; self.start = start; self.workLimit = workLimit; self.limits = limits
    }

    public static func == (a: SolveOptions, b: SolveOptions) -> Bool {
        a.timeLimit == b.timeLimit && a.workLimit == b.workLimit && a.gap == b.gap && a.start == b.start && a.limits === b.limits
    }
    public func hash(into h: inout Hasher) { h.combine(timeLimit); h.combine(workLimit); h.combine(gap); h.combine(start) }

    /// The shared limits, or fresh ones starting now (a backend or planner called on its own).
    public var run: SolveLimits { limits ?? SolveLimits(timeLimit: timeLimit, workLimit: workLimit) }
}

/// Why a linear solve stopped. Paired with ``LinearSolution/values`` (what it holds), following
/// the two status axes of MathOptInterface: "time limit with a feasible point" is normal.
public enum Termination: String, Sendable {
    case optimal
    /// Stopped at the relative gap tolerance with a feasible point.
    case gapReached
    /// Stopped by the time limit or the work limit (``SolveLimits/cut`` says which).
    case timeLimit
    case infeasible
    case failed
}

public struct LinearSolution: Sendable {
    public var termination: Termination
    /// Column values of the best point found, if any.
    public var values: [Double]?
    /// Objective value reached at each completed stage.
    public var stageValues: [Double]
    /// Proven upper bound on the final stage's objective, when known.
    public var bound: Double?
    /// The backend's own status words (e.g. GLPK's return code and status), kept for diagnosis.
    public var rawStatus: String
    /// Which algorithm solved it ("GLPK RELAX-IV min-cost flow", "GLPK branch-and-cut").
    public var method: String
}

/// A backend solves a solver-neutral ``LinearModel``.
public protocol LinearBackend: Sendable {
    var name: String { get }
    func solve(_ model: LinearModel, options: SolveOptions) -> LinearSolution
}
