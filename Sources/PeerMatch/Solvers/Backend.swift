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
    /// An empty ``LPWorkspace`` for column generation, or nil when the backend has none (then
    /// timetables are scheduled by the greedy scheduler).
    func makeWorkspace() -> (any LPWorkspace)?
}

extension LinearBackend {
    public func makeWorkspace() -> (any LPWorkspace)? { nil }
}

/// Where a formulation puts its rows and columns: an ``LPWorkspace`` (to solve) or a
/// ``LinearModelBuilder`` (a whole ``LinearModel``, to export or to check against).
public protocol ModelSink: AnyObject {
    var rowCount: Int { get }
    var columnCount: Int { get }
    /// Adds empty rows with these bounds (±infinity for none); returns the first new row's index.
    @discardableResult func addRows(lower: [Double], upper: [Double]) -> Int
    /// Adds columns (their entries in rows that exist); returns the first new column's index.
    @discardableResult func addColumns(_ columns: [WorkspaceColumn]) -> Int
    /// Adds one row with entries in columns that exist; returns its index.
    @discardableResult func addRow(columns: [Int32], coefficients: [Double], lower: Double, upper: Double) -> Int
}

/// One column to add to an ``LPWorkspace``: its rows (ascending, 0-based), bounds and kind, and its
/// coefficient in the objective being solved now.
public struct WorkspaceColumn: Sendable {
    public var rows: [Int32]
    public var coefficients: [Double]
    public var lower: Double
    public var upper: Double
    /// Integer (or binary) in ``LPWorkspace/solveMIP``; every column is continuous in ``LPWorkspace/solveLP``.
    public var integer: Bool
    public var objective: Double
    public init(rows: [Int32], coefficients: [Double], lower: Double, upper: Double, integer: Bool, objective: Double) {
        self.rows = rows; self.coefficients = coefficients; self.lower = lower; self.upper = upper
        self.integer = integer; self.objective = objective
    }
}

/// How an LP solve in an ``LPWorkspace`` ended.
public enum LPStatus: Sendable, Equatable {
    case optimal(Double)
    case infeasible
    case timeLimit
    case failed(String)
}

/// A basis saved by ``LPWorkspace/saveBasis()``: each row's and column's status, as the backend
/// numbers them.
public struct LPBasis: Sendable {
    public var rows: [Int32]
    public var columns: [Int32]
}

/// How a branch-and-cut run in an ``LPWorkspace`` ended.
public struct MIPOutcome: Sendable {
    /// The best integer point found (every column), nil when none was.
    public var values: [Double]?
    public var objective: Double?
    /// The search tree's best bound when it stopped (the optimum when `complete`).
    public var bound: Double?
    /// The search finished: `values` is optimal over the workspace's columns (or none exists).
    public var complete: Bool
    public var nodes: Int
    public var rawStatus: String
}

/// An LP kept open between solves, for column generation: the caller adds rows and columns as it
/// needs them, changes the objective and row bounds between lexicographic stages, reads duals to
/// price columns it has not added, and runs branch-and-cut on the columns it has. Each solve starts
/// from the last basis. Work counts (`simplexIterations`) are reported beside wall-clock time,
/// because the machines this runs on are shared.
public protocol LPWorkspace: ModelSink {
    /// Replaces the whole objective (maximised): one coefficient per column.
    func setObjective(_ coefficients: [Double])
    func setRowBounds(_ row: Int, lower: Double, upper: Double)
    func setColumnBounds(_ column: Int, lower: Double, upper: Double)
    /// Simplex from the current basis, every column continuous: primal after columns were added
    /// (the basis stays primal feasible), dual after rows or bounds were tightened (it stays dual
    /// feasible).
    func solveLP(deadline: Date, dual: Bool) -> LPStatus
    /// After an optimal ``solveLP``: row duals (reduced cost of column c is objective(c) − Σ a·dual).
    func rowDuals() -> [Double]
    func rowActivities() -> [Double]
    func columnValues() -> [Double]
    /// After an optimal ``solveLP``: each column's reduced cost.
    func reducedCosts() -> [Double]
    /// Whether a point keeps every bound and row of the workspace as it is now (integers where required).
    func isFeasible(_ x: [Double]) -> Bool
    /// The current basis, to return to after a heuristic changed bounds and re-solved (a dive):
    /// with the bounds put back and ``restoreBasis(_:)``, the LP optimal before is optimal again
    /// (rows added since are basic, columns added since at their lower bound), so the next solve
    /// starts there instead of re-solving from the heuristic's last basis.
    func saveBasis() -> LPBasis
    func restoreBasis(_ basis: LPBasis)
    /// Branch-and-cut over the columns added so far, integer where ``WorkspaceColumn/integer``, from an
    /// optimal LP. `incumbents` are offered first; `heuristic` turns node LP values into integer
    /// points to offer (both are checked against every row and bound before they are offered). The
    /// search stops at the deadline or at the relative `gap`. `step` (0: none) is the objective's
    /// granularity at every integer point (1 for counts and for scores in hundredths): the search
    /// also stops, complete, once its bound is less than one step above the incumbent, which then
    /// cannot be beaten; without it, GLPK must push the bound all the way down to the incumbent
    /// wherever a column with an objective coefficient is continuous.
    func solveMIP(deadline: Date, gap: Double, step: Double, incumbents: [[Double]],
                  heuristic: (([Double]) -> [Double]?)?) -> MIPOutcome
    /// Simplex iterations so far, all solves together.
    var simplexIterations: Int { get }
    /// The command's work limit as far as the current stage may use it (nil: none): every solve
    /// spends its simplex iterations and branch-and-cut nodes on it and stops once it is used up,
    /// at the same point on any machine.
    var work: WorkBudget? { get set }
}

/// A share of the command's work limit: solves spend on `limits` (under `stage`) until its meter reaches `until`.
public struct WorkBudget {
    public let limits: SolveLimits
    public let until: Int
    public let stage: String
    /// Whether using up this share counts as the work limit cutting the run (not for a heuristic's part of a stage).
    public var recordsCut = true
    public init(limits: SolveLimits, until: Int, stage: String, recordsCut: Bool = true) {
        self.limits = limits; self.until = until; self.stage = stage; self.recordsCut = recordsCut
    }
    /// Work units left in this share.
    public var left: Int { until - limits.workUsed }
    /// Spends units; true when the share (or the command's work limit) is used up, which is then recorded as the work limit's cut.
    @discardableResult
    public func spend(_ units: Int) -> Bool {
        if limits.spend(units, stage: stage) != nil { return true }
        if left <= 0 { if recordsCut { limits.record(.work, stage: stage) }; return true }
        return false
    }
}
