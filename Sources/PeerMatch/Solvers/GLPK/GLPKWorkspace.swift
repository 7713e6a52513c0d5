import CGLPK
import Foundation

extension GLPKBackend {
    public func makeWorkspace() -> (any LPWorkspace)? { GLPKWorkspace() }
}

/// A GLPK problem kept open for column generation (see ``LPWorkspace``).
///
/// The matrix is also kept by column on the Swift side, so that integer points offered to
/// branch-and-cut are checked against every row before GLPK sees them: a wrong point from a
/// heuristic only costs time.
final class GLPKWorkspace: LPWorkspace {
    private let lp: OpaquePointer
    private var rowLower: [Double] = [], rowUpper: [Double] = []
    private var colLower: [Double] = [], colUpper: [Double] = [], colInteger: [Bool] = []
    private var colStart: [Int] = [0], colRows: [Int32] = [], colCoefs: [Double] = []
    private var objective: [Double] = []
    /// Entries added by ``addRow(columns:coefficients:lower:upper:)`` (to columns that existed then).
    private var rowEntries: [(row: Int, columns: [Int32], coefficients: [Double])] = []

    init() {
        glp_term_out(GLP_OFF)
        lp = glp_create_prob()
        glp_set_obj_dir(lp, GLP_MAX)
    }

    deinit { glp_delete_prob(lp) }

    var rowCount: Int { rowLower.count }
    var columnCount: Int { colLower.count }
    var simplexIterations: Int { Int(glp_get_it_cnt(lp)) }
    var work: WorkBudget?

    @discardableResult
    func addRows(lower: [Double], upper: [Double]) -> Int {
        precondition(lower.count == upper.count)
        let first = rowLower.count
        guard !lower.isEmpty else { return first }
        glp_add_rows(lp, Int32(lower.count))
        for k in lower.indices { glpSetRowBounds(lp, first + k, lower[k], upper[k]) }
        rowLower += lower; rowUpper += upper
        return first
    }

    @discardableResult
    func addColumns(_ columns: [WorkspaceColumn]) -> Int {
        let first = colLower.count
        guard !columns.isEmpty else { return first }
        let g0 = glp_add_cols(lp, Int32(columns.count))
        var idx: [Int32] = [], val: [Double] = []
        for (k, c) in columns.enumerated() {
            let g = g0 + Int32(k)
            glp_set_col_bnds(lp, g, glpBoundType(c.lower, c.upper), c.lower.isFinite ? c.lower : 0, c.upper.isFinite ? c.upper : 0)
            idx.removeAll(keepingCapacity: true); val.removeAll(keepingCapacity: true)
            idx.append(0); val.append(0)
            for (r, a) in zip(c.rows, c.coefficients) { idx.append(r + 1); val.append(a) }
            glp_set_mat_col(lp, g, Int32(c.rows.count), &idx, &val)
            if c.objective != 0 { glp_set_obj_coef(lp, g, c.objective) }
            colLower.append(c.lower); colUpper.append(c.upper); colInteger.append(c.integer)
            colRows += c.rows; colCoefs += c.coefficients; colStart.append(colRows.count)
            objective.append(c.objective)
        }
        return first
    }

    @discardableResult
    func addRow(columns: [Int32], coefficients: [Double], lower: Double, upper: Double) -> Int {
        let r = addRows(lower: [lower], upper: [upper])
        var idx: [Int32] = [0] + columns.map { $0 + 1 }, val: [Double] = [0] + coefficients
        glp_set_mat_row(lp, Int32(r + 1), Int32(columns.count), &idx, &val)
        rowEntries.append((r, columns, coefficients))
        return r
    }

    func setObjective(_ coefficients: [Double]) {
        precondition(coefficients.count == columnCount)
        for c in 0..<columnCount where coefficients[c] != objective[c] {
            glp_set_obj_coef(lp, Int32(c + 1), coefficients[c])
        }
        objective = coefficients
    }

    func setRowBounds(_ row: Int, lower: Double, upper: Double) {
        rowLower[row] = lower; rowUpper[row] = upper
        glpSetRowBounds(lp, row, lower, upper)
    }

    func setColumnBounds(_ column: Int, lower: Double, upper: Double) {
        colLower[column] = lower; colUpper[column] = upper
        glp_set_col_bnds(lp, Int32(column + 1), glpBoundType(lower, upper), lower.isFinite ? lower : 0, upper.isFinite ? upper : 0)
    }

    func solveLP(deadline: Date, dual: Bool) -> LPStatus {
        var retried = false
        while true {
            var parm = glp_smcp()
            glp_init_smcp(&parm)
            parm.msg_lev = GLP_MSG_OFF
            parm.meth = dual ? GLP_DUALP : GLP_PRIMAL
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return .timeLimit }
            parm.tm_lim = Int32(max(1, min(Double(Int32.max), remaining * 1000)))
            // With a work limit: slices of at most 2,000 iterations, each spent before the next
            // (GLPK keeps the basis between calls), so the stop falls on the same iteration on any machine.
            if let work {
                guard work.left > 0 else { work.spend(0); return .timeLimit }
                parm.it_lim = Int32(min(2_000, max(1, work.left / GLPKBackend.unitsPerIteration)))
            }
            let before = glp_get_it_cnt(lp)
            let rc = glp_simplex(lp, &parm)
            if let work, work.spend(max(1, Int(glp_get_it_cnt(lp) - before) * GLPKBackend.unitsPerIteration)) {
                return .timeLimit
            }
            // A basis made singular by the columns and rows added since: start from an advanced one.
            if (rc == GLP_EBADB || rc == GLP_ESING || rc == GLP_ECOND) && !retried {
                retried = true
                glp_adv_basis(lp, 0)
                continue
            }
            if rc == GLP_EITLIM { continue }
            if rc == GLP_ETMLIM { return .timeLimit }
            guard rc == 0 else { return .failed("glp_simplex: \(GLPKCode.name(rc))") }
            switch glp_get_status(lp) {
            case GLP_OPT: return .optimal(glp_get_obj_val(lp))
            case GLP_NOFEAS: return .infeasible
            case let s: return .failed("glp_simplex: 0, status \(s)")
            }
        }
    }

    func rowDuals() -> [Double] { (0..<rowCount).map { glp_get_row_dual(lp, Int32($0 + 1)) } }
    func rowActivities() -> [Double] { (0..<rowCount).map { glp_get_row_prim(lp, Int32($0 + 1)) } }
    func columnValues() -> [Double] { (0..<columnCount).map { glp_get_col_prim(lp, Int32($0 + 1)) } }
    func reducedCosts() -> [Double] { (0..<columnCount).map { glp_get_col_dual(lp, Int32($0 + 1)) } }
    func isFeasible(_ x: [Double]) -> Bool { feasible(x) }

    func saveBasis() -> LPBasis {
        LPBasis(rows: (0..<rowCount).map { glp_get_row_stat(lp, Int32($0 + 1)) },
                columns: (0..<columnCount).map { glp_get_col_stat(lp, Int32($0 + 1)) })
    }

    func restoreBasis(_ basis: LPBasis) {
        for r in 0..<rowCount { glp_set_row_stat(lp, Int32(r + 1), r < basis.rows.count ? basis.rows[r] : GLP_BS) }
        for c in 0..<columnCount { glp_set_col_stat(lp, Int32(c + 1), c < basis.columns.count ? basis.columns[c] : GLP_NL) }
    }

    /// Whether x keeps every bound and row (integers where required).
    func feasible(_ x: [Double]) -> Bool {
        guard x.count == columnCount else { return false }
        let tol = 1e-6
        var activity = [Double](repeating: 0, count: rowCount)
        for c in 0..<columnCount {
            let v = x[c]
            if v < colLower[c] - tol || v > colUpper[c] + tol { return false }
            if colInteger[c] && abs(v - v.rounded()) > tol { return false }
            if v != 0 { for k in colStart[c] ..< colStart[c + 1] { activity[Int(colRows[k])] += colCoefs[k] * v } }
        }
        for e in rowEntries { for (c, a) in zip(e.columns, e.coefficients) { activity[e.row] += a * x[Int(c)] } }
        for r in 0..<rowCount {
            let a = activity[r], slack = tol * max(1, abs(a))
            if a < rowLower[r] - slack || a > rowUpper[r] + slack { return false }
        }
        return true
    }

    func solveMIP(deadline: Date, gap: Double, step: Double, incumbents: [[Double]],
                  heuristic: (([Double]) -> [Double]?)?) -> MIPOutcome {
        // glp_intopt without presolve starts from an optimal LP basis.
        let rootValue: Double
        switch solveLP(deadline: deadline, dual: false) {
        case .optimal(let v): rootValue = v
        case .infeasible: return MIPOutcome(values: nil, objective: nil, bound: nil, complete: true, nodes: 0, rawStatus: "LP relaxation infeasible")
        case .timeLimit: return MIPOutcome(values: nil, objective: nil, bound: nil, complete: false, nodes: 0, rawStatus: "glp_simplex: GLP_ETMLIM before branch-and-cut")
        case .failed(let why): return MIPOutcome(values: nil, objective: nil, bound: nil, complete: false, nodes: 0, rawStatus: why)
        }
        for c in 0..<columnCount where colInteger[c] { glp_set_col_kind(lp, Int32(c + 1), GLP_IV) }
        defer { for c in 0..<columnCount where colInteger[c] { glp_set_col_kind(lp, Int32(c + 1), GLP_CV) } }
        var parm = glp_iocp()
        glp_init_iocp(&parm)
        parm.msg_lev = GLP_MSG_OFF
        parm.presolve = GLP_OFF
        // GLPK has no absolute gap: it stops when (bound − incumbent) / (|incumbent| + ε) is below
        // mip_gap. Every incumbent lies between the first one and the root LP's value, so a relative
        // gap of just under one step over the larger of their sizes is less than one step for each.
        let offered = incumbents.filter { feasible($0) }
        let first = offered.map { x in x.indices.reduce(0.0) { $0 + x[$1] * objective[$1] } }.max()
        let stepGap = step > 0 ? 0.999 * step / max(1, abs(rootValue), abs(first ?? rootValue)) : 0
        parm.mip_gap = max(gap, stepGap)
        parm.br_tech = GLP_BR_DTH
        parm.bt_tech = GLP_BT_BLB
        // Gomory cuts close the small cohorts' gaps. Clique cuts (on the conflicts of a mentor's,
        // a mentee's and a room's sessions) prove 33 of the 36 30-mentee `small` timetables in 10 s,
        // against 31 without them (both with the first-day rows of several sessions a week; the
        // same objectives), and change nothing on the 120- and 1,000-mentee benchmarks (issue 12).
        // MIR and cover cuts added to them proved no more.
        parm.gmi_cuts = GLP_ON
        parm.clq_cuts = GLP_ON
        let remaining = deadline.timeIntervalSinceNow
        guard remaining > 0 else { return MIPOutcome(values: nil, objective: nil, bound: nil, complete: false, nodes: 0, rawStatus: "no time left") }
        parm.tm_lim = Int32(max(1, min(Double(Int32.max), remaining * 1000)))
        let state = MIPCallbackState(workspace: self, incumbents: offered, heuristic: heuristic, deadline: deadline)
        state.work = work
        state.iterations = Int(glp_get_it_cnt(lp))
        let rc = withExtendedLifetime(state) { () -> Int32 in
            parm.cb_info = Unmanaged.passUnretained(state).toOpaque()
            parm.cb_func = { tree, info in
                guard let tree, let info else { return }
                let state = Unmanaged<MIPCallbackState>.fromOpaque(info).takeUnretainedValue()
                state.visit(tree)
            }
            return glp_intopt(lp, &parm)
        }
        let status = glp_mip_status(lp)
        let raw = "glp_intopt: \(GLPKCode.name(rc)), glp_mip_status: \(status == GLP_OPT ? "GLP_OPT" : status == GLP_FEAS ? "GLP_FEAS" : status == GLP_NOFEAS ? "GLP_NOFEAS" : "GLP_UNDEF"), \(state.nodes) nodes"
        var values: [Double]? = nil, value: Double? = nil
        if status == GLP_OPT || status == GLP_FEAS {
            values = (0..<columnCount).map { c in
                let v = glp_mip_col_val(lp, Int32(c + 1))
                return colInteger[c] ? v.rounded() : v
            }
            value = glp_mip_obj_val(lp)
        }
        // Stopped at the gap: the bound is within mip_gap of the incumbent; within one step, it is
        // the optimum.
        let gapBound = rc == GLP_EMIPGAP ? value.map { $0 + parm.mip_gap * (abs($0) + Double.ulpOfOne) } : nil
        let withinStep = gapBound.map { b in value.map { b - $0 < step } ?? false } ?? false
        let complete = (rc == 0 && (status == GLP_OPT || status == GLP_NOFEAS)) || withinStep
        var bound: Double? = state.bound.isFinite ? state.bound : nil
        if let g = gapBound { bound = min(bound ?? g, g) }
        if complete { bound = value }
        if let b = bound, let v = value { bound = max(b, v) }
        return MIPOutcome(values: values, objective: value, bound: bound, complete: complete, nodes: state.nodes, rawStatus: raw)
    }

    /// What the branch-and-cut callback needs: points to offer, and the bound and tree size seen.
    private final class MIPCallbackState {
        unowned let workspace: GLPKWorkspace
        var incumbents: [[Double]]
        let heuristic: (([Double]) -> [Double]?)?
        var bound = Double.nan
        var nodes = 0
        var heuristicCalls = 0
        let deadline: Date
        /// The work limit's share: iterations and nodes are spent as the search goes.
        var work: WorkBudget?
        var iterations = 0
        var stoppedByWork = false

        init(workspace: GLPKWorkspace, incumbents: [[Double]], heuristic: (([Double]) -> [Double]?)?, deadline: Date) {
            self.workspace = workspace; self.incumbents = incumbents; self.heuristic = heuristic; self.deadline = deadline
        }

        func visit(_ tree: OpaquePointer) {
            // GLPK checks its own time limit between nodes; a slow node (a long LP, the heuristic)
            // can overrun it, so the callback checks the deadline too.
            if Date() >= deadline { glp_ios_terminate(tree); return }
            if let work, let prob = glp_ios_get_prob(tree) {
                let count = Int(glp_get_it_cnt(prob))
                let done = max(0, count - iterations)
                iterations = count
                if work.spend(done * GLPKBackend.unitsPerIteration + GLPKBackend.unitsPerNode) {
                    stoppedByWork = true
                    glp_ios_terminate(tree); return
                }
            }
            let best = glp_ios_best_node(tree)
            if best != 0 { bound = glp_ios_node_bound(tree, best) }
            var a: Int32 = 0, n: Int32 = 0, t: Int32 = 0
            glp_ios_tree_size(tree, &a, &n, &t)
            nodes = Int(t)
            guard glp_ios_reason(tree) == GLP_IHEUR else { return }
            heuristicCalls += 1
            var points = incumbents
            incumbents = []
            // The node heuristic at the first nodes, then at every 50th (each call is a full
            // greedy timetable, so not at every node).
            if let heuristic, heuristicCalls <= 3 || heuristicCalls % 50 == 0, Date() < deadline, let prob = glp_ios_get_prob(tree) {
                let lpValues = (0..<workspace.columnCount).map { glp_get_col_prim(prob, Int32($0 + 1)) }
                if let x = heuristic(lpValues), workspace.feasible(x) { points.append(x) }
            }
            for x in points {
                var point = [0] + x.indices.map { workspace.colInteger[$0] ? x[$0].rounded() : x[$0] }
                _ = glp_ios_heur_sol(tree, &point)
            }
        }
    }
}

func glpBoundType(_ lo: Double, _ hi: Double) -> Int32 {
    switch (lo.isFinite, hi.isFinite) {
    case (false, false): return GLP_FR
    case (true, false): return GLP_LO
    case (false, true): return GLP_UP
    case (true, true): return lo == hi ? GLP_FX : GLP_DB
    }
}

func glpSetRowBounds(_ lp: OpaquePointer, _ r: Int, _ lo: Double, _ hi: Double) {
    glp_set_row_bnds(lp, Int32(r + 1), glpBoundType(lo, hi), lo.isFinite ? lo : 0, hi.isFinite ? hi : 0)
}
