import CGLPK
import Foundation

/// GLPK return codes that PeerMatch distinguishes, with their C names.
enum GLPKCode: Int32, CustomStringConvertible {
    case ok = 0
    case ebadb = 0x01, esing = 0x02, econd = 0x03, ebound = 0x04, efail = 0x05
    case eobjll = 0x06, eobjul = 0x07, eitlim = 0x08, etmlim = 0x09, enopfs = 0x0A
    case enodfs = 0x0B, eroot = 0x0C, estop = 0x0D, emipgap = 0x0E, enofeas = 0x0F
    case enocvg = 0x10, einstab = 0x11, edata = 0x12, erange = 0x13

    var description: String {
        switch self {
        case .ok: return "0"
        case .ebadb: return "GLP_EBADB"
        case .esing: return "GLP_ESING"
        case .econd: return "GLP_ECOND"
        case .ebound: return "GLP_EBOUND"
        case .efail: return "GLP_EFAIL"
        case .eobjll: return "GLP_EOBJLL"
        case .eobjul: return "GLP_EOBJUL"
        case .eitlim: return "GLP_EITLIM"
        case .etmlim: return "GLP_ETMLIM"
        case .enopfs: return "GLP_ENOPFS"
        case .enodfs: return "GLP_ENODFS"
        case .eroot: return "GLP_EROOT"
        case .estop: return "GLP_ESTOP"
        case .emipgap: return "GLP_EMIPGAP"
        case .enofeas: return "GLP_ENOFEAS"
        case .enocvg: return "GLP_ENOCVG"
        case .einstab: return "GLP_EINSTAB"
        case .edata: return "GLP_EDATA"
        case .erange: return "GLP_ERANGE"
        }
    }

    static func name(_ raw: Int32) -> String { GLPKCode(rawValue: raw)?.description ?? "code \(raw)" }
}

/// Solves a ``LinearModel`` with GLPK, stage by stage.
///
/// A model that ``NetworkForm`` recognises (a network matrix: totally unimodular) is solved by
/// primal simplex alone, each stage warm-started from the last basis: its basic optimum is
/// integral. (Measured: GLPK's out-of-kilter flow code took 108 s on a 1,000-mentee cohort that
/// simplex solves in seconds; its RELAX-IV code is compiled out of Debian's libglpk for licensing
/// reasons and aborts when called.) Anything else goes to
/// `glp_intopt` (presolve on, branch-and-cut) with the time limit and gap. After each stage the
/// reached value is added as a bound, so later stages cannot undo earlier ones.
public struct GLPKBackend: LinearBackend {
    public var name: String { "glpk" }
    /// Allow the network path (tests switch it off to exercise branch-and-cut on matchings).
    public var useNetworkSolver: Bool

    public init(useNetworkSolver: Bool = true) { self.useNetworkSolver = useNetworkSolver }

    /// GLPK's version string, e.g. "5.0".
    public static var version: String { String(cString: glp_version()) }
    /// Whether this GLPK build keeps its state per thread (so solves may run in parallel).
    public static var threadLocalState: Bool { glp_config("TLS") != nil }

    public func solve(_ model: LinearModel, options: SolveOptions) -> LinearSolution {
        glp_term_out(GLP_OFF)
        if useNetworkSolver, NetworkForm.recognises(model) {
            if let solution = solveNetworkLP(model, options: options) { return solution }
        }
        return solveMIP(model, options: options)
    }

    // MARK: - Totally unimodular path

    /// Solves a network-form model by primal simplex with column generation, stage after stage
    /// from the previous basis.
    ///
    /// Only a few columns per row start in GLPK (the best by final-stage objective); after each
    /// simplex the reduced cost of every column left out is computed from the row duals
    /// (d = c − Σ a·π) and the improving ones are added, until none improves: the stage optimum
    /// over all columns. A basic optimum of a totally unimodular LP with integral bounds is
    /// integral, so no branching is needed; returns nil (use branch-and-cut) if a value is not
    /// integral after all.
    private func solveNetworkLP(_ model: LinearModel, options: SolveOptions) -> LinearSolution? {
        let method = "GLPK primal simplex with column generation (network matrix, integral)"
        let nc = model.columnCount, nr = model.rowCount
        let byColumn = model.columnMajor()
        // Initial active set: per row, the columns with the best final-stage coefficients; every
        // column with a positive lower bound (locks) or in no row.
        let finalCoef = objectiveCoefficients(model, model.stages.last!.objective)
        let perRow = 8
        var active = [Bool](repeating: false, count: nc)
        for c in 0..<nc where model.columnLower[c] > 0 || byColumn.entries(c).isEmpty || model.columnKind[c] == .continuous { active[c] = true }
        let start = options.start.flatMap { $0.count == nc ? $0 : nil }
        if let start { for c in 0..<nc where start[c] > 0.5 { active[c] = true } }
        var best: [Int] = []   // the row's best columns so far, best first
        func better(_ a: Int, _ b: Int) -> Bool { (finalCoef[a], -a) > (finalCoef[b], -b) }
        for r in 0..<nr {
            best.removeAll(keepingCapacity: true)
            for k in model.rowStart[r] ..< model.rowStart[r + 1] {
                let c = Int(model.rowColumns[k])
                if best.count == perRow { if !better(c, best[perRow - 1]) { continue }; best.removeLast() }
                best.insert(c, at: best.firstIndex { better(c, $0) } ?? best.count)
            }
            for c in best { active[c] = true }
        }
        guard let lp = glp_create_prob() else { return nil }
        defer { glp_delete_prob(lp) }
        glp_set_obj_dir(lp, GLP_MAX)
        if nr > 0 { glp_add_rows(lp, Int32(nr)) }
        for r in 0..<nr { glpSetRowBounds(lp, r, model.rowLower[r], model.rowUpper[r]) }
        var glpColumn = [Int32](repeating: 0, count: nc)   // 0: not in GLPK yet
        var inGLPK: [Int] = []
        var coef: [Double] = []   // the current stage's objective; columns added mid-stage take theirs from it
        func add(_ cols: [Int]) {
            guard !cols.isEmpty else { return }
            let first = glp_add_cols(lp, Int32(cols.count))
            for (k, c) in cols.enumerated() {
                let g = first + Int32(k)
                glpColumn[c] = g; inGLPK.append(c)
                let (lo, hi) = (model.columnLower[c], model.columnUpper[c])
                glp_set_col_bnds(lp, g, glpBoundType(lo, hi), lo.isFinite ? lo : 0, hi.isFinite ? hi : 0)
                let e = byColumn.entries(c)
                var idx: [Int32] = [0] + byColumn.rows[e].map { $0 + 1 }, val: [Double] = [0] + byColumn.coefficients[e]
                glp_set_mat_col(lp, g, Int32(e.count), &idx, &val)
                if !coef.isEmpty { glp_set_obj_coef(lp, g, coef[c]) }
            }
        }
        add((0..<nc).filter { active[$0] })
        // Warm start: every row's auxiliary variable basic (always a valid basis) and each column
        // non-basic at the bound the starting point puts it on. A feasible start skips phase one.
        if let start {
            for c in inGLPK where model.columnUpper[c].isFinite && model.columnLower[c] < model.columnUpper[c]
                && start[c] >= model.columnUpper[c] - 1e-9 {
                glp_set_col_stat(lp, glpColumn[c], GLP_NU)
            }
        }

        let limits = options.limits ?? SolveLimits(timeLimit: options.timeLimit, workLimit: options.workLimit, cancellation: CancellationFlag())
        var stageValues: [Double] = []
        var values = [Double](repeating: 0, count: nc)
        func timedOut(_ kind: SolveLimits.Kind) -> LinearSolution {
            LinearSolution(termination: .timeLimit, values: stageValues.isEmpty ? nil : values, stageValues: stageValues,
                           bound: nil, rawStatus: "glp_simplex: stopped by \(limits.describe(kind)) after \(stageValues.count) of \(model.stages.count) stages (\(inGLPK.count) of \(nc) columns generated)",
                           method: method)
        }
        for stage in model.stages {
            coef = objectiveCoefficients(model, stage.objective)
            for c in inGLPK { glp_set_obj_coef(lp, glpColumn[c], coef[c]) }
            while true {
                // Out of time or work: the last completed stage's point is feasible and integral;
                // branch-and-cut would have no room left either.
                guard let rc = Self.simplex(lp, limits: limits, stage: stage.name) else {
                    return timedOut(limits.cut?.kind ?? .time)
                }
                // Anything else but an optimum on the active columns (e.g. infeasible among them) is
                // decided on all columns by branch-and-cut.
                guard rc == 0, glp_get_status(lp) == GLP_OPT else { return nil }
                // Price the columns left out.
                let dual = (0..<nr).map { glp_get_row_dual(lp, Int32($0 + 1)) }
                var entering: [(Int, Double)] = []
                for c in 0..<nc where glpColumn[c] == 0 {
                    var d = coef[c]
                    for k in byColumn.entries(c) { d -= byColumn.coefficients[k] * dual[Int(byColumn.rows[k])] }
                    if d > 1e-7 { entering.append((c, d)) }
                }
                if entering.isEmpty { break }
                entering.sort { ($0.1, -$0.0) > ($1.1, -$1.0) }
                add(entering.prefix(max(1000, 2 * nr)).map(\.0).sorted())
            }
            values = [Double](repeating: 0, count: nc)
            for c in 0..<nc { values[c] = glpColumn[c] != 0 ? glp_get_col_prim(lp, glpColumn[c]) : model.columnLower[c] }
            guard values.allSatisfy({ abs($0 - $0.rounded()) < 1e-6 }) else { return nil }
            values = values.map { $0.rounded() }
            let value = model.value(of: stage.objective, at: values).rounded()
            stageValues.append(value)
            if case .row(let r) = stage.objective { glpSetRowBounds(lp, r, value, model.rowUpper[r]) }
        }
        return LinearSolution(termination: .optimal, values: values, stageValues: stageValues, bound: stageValues.last,
                              rawStatus: "glp_simplex: 0, GLP_OPT (\(inGLPK.count) of \(nc) columns generated)", method: method)
    }

    /// Work units one simplex iteration counts for the work limit (about the cost of 100 arcs
    /// scanned by a network solver; what matters is that it does not depend on the clock).
    static let unitsPerIteration = 100
    /// Work units each branch-and-cut callback counts besides its iterations.
    static let unitsPerNode = 100

    /// Primal simplex from the current basis within the limits, in slices of at most 2,000
    /// iterations so the deadline, the work limit and an interrupt are checked between slices
    /// (GLPK keeps the basis between calls). Returns GLPK's code, or nil when a limit stopped it.
    ///
    /// `setUp` is an estimate of the seconds one glp_simplex call spends before its first
    /// iteration (it copies every column into its own working arrays, and reads no clock while it
    /// does): a call is not begun with less time than that left, so the time limit is not overrun by it.
    static func simplex(_ lp: OpaquePointer, limits: SolveLimits, stage: String, setUp: Double = 0) -> Int32? {
        while true {
            var parm = glp_smcp()
            glp_init_smcp(&parm)
            parm.msg_lev = GLP_MSG_OFF
            parm.meth = GLP_PRIMAL
            if limits.check(stage: stage) != nil { return nil }
            let remaining = limits.remaining
            if remaining < setUp { limits.stopForTime(stage: stage); return nil }
            parm.tm_lim = Int32(max(1, min(Double(Int32.max), remaining * 1000)))
            var slice = 2_000
            if let work = limits.workRemaining { slice = min(slice, max(1, work / unitsPerIteration)) }
            parm.it_lim = Int32(slice)
            let before = glp_get_it_cnt(lp)
            let rc = glp_simplex(lp, &parm)
            let done = Int(glp_get_it_cnt(lp) - before)
            if limits.spend(done * unitsPerIteration, stage: stage) != nil { return nil }
            if rc == GLP_ETMLIM { _ = limits.spend(0, stage: stage); return nil }
            if rc == GLP_EITLIM { continue }
            return rc
        }
    }

    /// Dense objective coefficients of one stage.
    private func objectiveCoefficients(_ model: LinearModel, _ objective: LinearModel.Objective) -> [Double] {
        var coef = [Double](repeating: 0, count: model.columnCount)
        switch objective {
        case .row(let r):
            let (cols, coefs) = model.row(r)
            for (c, a) in zip(cols, coefs) { coef[Int(c)] += a }
        case .expression(let cols, let coefs):
            for (c, a) in zip(cols, coefs) { coef[Int(c)] += a }
        }
        return coef
    }

    /// A GLPK problem holding the model's columns, rows and matrix (bulk-loaded, 1-based arrays).
    /// Also the start of an exported model file (GLPKModelFile.swift).
    ///
    /// `stop` is asked between blocks of columns and rows (a matching with a soft minimum can have
    /// millions of columns; loading them takes seconds): when it says stop, the half-built problem
    /// is deleted and nil returned.
    static func buildProblem(_ model: LinearModel, integer: Bool, stop: () -> Bool = { false }) -> OpaquePointer? {
        guard let lp = glp_create_prob() else { return nil }
        func abandon() -> OpaquePointer? { glp_delete_prob(lp); return nil }
        glp_set_obj_dir(lp, GLP_MAX)
        let nc = model.columnCount, nr = model.rowCount
        if nr > 0 { glp_add_rows(lp, Int32(nr)) }
        if nc > 0 { glp_add_cols(lp, Int32(nc)) }
        for r in 0..<nr { glpSetRowBounds(lp, r, model.rowLower[r], model.rowUpper[r]) }
        let block = 1 << 16
        for c in 0..<nc {
            if c % block == block - 1, stop() { return abandon() }
            let (lo, hi) = (model.columnLower[c], model.columnUpper[c])
            glp_set_col_bnds(lp, Int32(c + 1), glpBoundType(lo, hi), lo.isFinite ? lo : 0, hi.isFinite ? hi : 0)
            if integer && model.columnKind[c] != .continuous { glp_set_col_kind(lp, Int32(c + 1), GLP_IV) }
        }
        let ne = model.nonzeroCount
        var ia = [Int32](repeating: 0, count: ne + 1), ja = ia, ar = [Double](repeating: 0, count: ne + 1)
        for r in 0..<nr {
            if r % 256 == 255, stop() { return abandon() }
            for k in model.rowStart[r] ..< model.rowStart[r + 1] {
                ia[k + 1] = Int32(r + 1); ja[k + 1] = model.rowColumns[k] + 1; ar[k + 1] = model.rowCoefficients[k]
            }
        }
        if stop() { return abandon() }
        if ne > 0 { glp_load_matrix(lp, Int32(ne), ia, ja, ar) }
        return lp
    }

    /// The stage names a cut while building a model for GLPK and loading it into GLPK records.
    public static let buildingStage = "building the GLPK model"
    public static let loadingStage = "loading the model into GLPK"

    /// Sets the objective coefficients of one stage (all others zero).
    private func setObjective(_ lp: OpaquePointer, _ model: LinearModel, _ objective: LinearModel.Objective) {
        let coef = objectiveCoefficients(model, objective)
        for c in 0..<model.columnCount { glp_set_obj_coef(lp, Int32(c + 1), coef[c]) }
    }

    // MARK: - Branch-and-cut path

    private func solveMIP(_ model: LinearModel, options: SolveOptions) -> LinearSolution {
        let method = "GLPK branch-and-cut"
        let nc = model.columnCount
        let limits = options.limits ?? SolveLimits(timeLimit: options.timeLimit, workLimit: options.workLimit, cancellation: CancellationFlag())
        // Loading a large model takes seconds: it is a stage of its own, and the limits reach it.
        let loading = Self.loadingStage
        let loadStart = DispatchTime.now().uptimeNanoseconds
        guard let lp = Self.buildProblem(model, integer: true, stop: { limits.check(stage: loading) != nil }) else {
            if let cut = limits.cut {
                return LinearSolution(termination: .timeLimit, values: nil, stageValues: [], bound: nil,
                                      rawStatus: "stopped by \(limits.describe(cut.kind)) during \(cut.stage) (\(nc) columns)", method: method)
            }
            return LinearSolution(termination: .failed, values: nil, stageValues: [], bound: nil,
                                  rawStatus: "glp_create_prob returned NULL", method: method)
        }
        defer { glp_delete_prob(lp) }
        // Each glp_simplex and glp_intopt call first copies the whole problem into its own arrays
        // without reading a clock: measured here as the time loading took, on this machine under
        // its present load (2.6 million columns: seconds). No call is begun without that time left.
        let setUp = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e9
        // Warm start, as on the network path: every row's auxiliary variable basic and each column
        // non-basic at the bound the starting point (the greedy matching) puts it on.
        if let start = options.start, start.count == nc {
            for c in 0..<nc where model.columnUpper[c].isFinite && model.columnLower[c] < model.columnUpper[c]
                && start[c] >= model.columnUpper[c] - 1e-9 {
                glp_set_col_stat(lp, Int32(c + 1), GLP_NU)
            }
        }
        var stageValues: [Double] = []
        var values: [Double]? = nil
        var finalBound: Double? = nil
        var termination = Termination.optimal
        var raw = ""
        // GLPK's presolver is off: it runs to the end before glp_intopt looks at its time limit
        // or calls back (53 s of a `--time-limit 2` run on 2.6 million candidate pairs with a soft
        // minimum, issue 15), and nothing can stop it. Instead each stage's LP relaxation is solved
        // here by primal simplex in slices the limits are checked between, warm-started from the
        // last stage's basis (the first from the greedy matching); branch-and-cut starts from that
        // optimal basis, keeps the model's columns, and its callback offers GLPK verified integer
        // points: the previous stage's optimum, and the heuristic's when the model has one.
        let search = SearchState(model: model)
        for (s, stage) in model.stages.enumerated() {
            let isFinal = s == model.stages.count - 1
            setObjective(lp, model, stage.objective)
            var parm = glp_iocp()
            glp_init_iocp(&parm)
            parm.msg_lev = GLP_MSG_OFF
            parm.presolve = GLP_OFF
            // No node preprocessing either: at the root it passes over every row up to 100 times
            // before the first callback, unchecked (seconds on millions of columns); the matching
            // models' LP relaxations are nearly integral already.
            parm.pp_tech = GLP_PP_NONE
            parm.mip_gap = isFinal ? options.gap : 0
            do {
                var rc = Self.simplex(lp, limits: limits, stage: stage.name, setUp: setUp) ?? GLP_ETMLIM
                if rc == GLP_EBADB { glp_adv_basis(lp, 0); rc = Self.simplex(lp, limits: limits, stage: stage.name, setUp: setUp) ?? GLP_ETMLIM }
                if rc != 0 || glp_get_status(lp) != GLP_OPT {
                    if glp_get_status(lp) == GLP_NOFEAS {
                        return LinearSolution(termination: .infeasible, values: nil, stageValues: stageValues, bound: nil,
                                              rawStatus: "glp_simplex: \(GLPKCode.name(rc)), no feasible LP at stage \(s + 1) (\(stage.name))", method: method)
                    }
                    let why: Termination = rc == GLP_ETMLIM || rc == GLP_EITLIM ? .timeLimit : .failed
                    return LinearSolution(termination: why, values: values, stageValues: stageValues, bound: nil,
                                          rawStatus: "glp_simplex: \(GLPKCode.name(rc)) at stage \(s + 1) (\(stage.name))", method: method)
                }
            }
            // Branch-and-cut copies the problem into its search tree and re-solves the root LP
            // before its first callback: not begun without time for both.
            var stop = limits.check(stage: stage.name) != nil
            if !stop && limits.remaining < 2 * setUp { limits.stopForTime(stage: stage.name); stop = true }
            if stop {
                return LinearSolution(termination: .timeLimit, values: values, stageValues: stageValues, bound: nil,
                                      rawStatus: "stopped by \(limits.describe(limits.cut?.kind ?? .time)) before stage \(s + 1) (\(stage.name))", method: method)
            }
            parm.tm_lim = Int32(max(1, min(Double(Int32.max), limits.remaining * 1000)))
            search.bound = .nan
            search.calls = 0
            search.limits = limits
            search.stage = stage.name
            search.iterations = 0
            search.objective = objectiveCoefficients(model, stage.objective)
            // Track the best bound of the search tree through the callback; no Swift error crosses it.
            let rc = withExtendedLifetime(search) { () -> Int32 in
                parm.cb_info = Unmanaged.passUnretained(search).toOpaque()
                parm.cb_func = { tree, info in
                    guard let tree, let info else { return }
                    let state = Unmanaged<SearchState>.fromOpaque(info).takeUnretainedValue()
                    let best = glp_ios_best_node(tree)
                    if best != 0 { state.bound = glp_ios_node_bound(tree, best) }
                    if glp_ios_reason(tree) == GLP_IHEUR { state.offer(tree) }
                    // The shared limits: iterations count as work; the deadline, the work limit
                    // and an interrupt end the search (GLPK returns GLP_ESTOP with its best point).
                    if let prob = glp_ios_get_prob(tree), let limits = state.limits {
                        let count = Int(glp_get_it_cnt(prob))
                        let done = max(0, count - state.iterations)
                        state.iterations = count
                        if limits.spend(done * GLPKBackend.unitsPerIteration + GLPKBackend.unitsPerNode, stage: state.stage) != nil {
                            glp_ios_terminate(tree)
                        }
                    }
                }
                return glp_intopt(lp, &parm)
            }
            // A stage is one unit of work at least; this also records a cut by GLPK's own timer.
            _ = limits.spend(1, stage: stage.name)
            let bound = search.bound
            let status = glp_mip_status(lp)
            raw = "glp_intopt: \(GLPKCode.name(rc)), glp_mip_status: \(mipStatusName(status)) at stage \(s + 1) (\(stage.name))"
            if status == GLP_OPT || status == GLP_FEAS {
                let value = glp_mip_obj_val(lp)
                values = (0..<nc).map { glp_mip_col_val(lp, Int32($0 + 1)) }
                stageValues.append(stage.integral ? value.rounded() : value)
                if isFinal {
                    if status == GLP_OPT && rc == 0 { finalBound = value } else if bound.isFinite { finalBound = max(bound, value) }
                }
                if status != GLP_OPT || rc != 0 {
                    termination = rc == GLP_EMIPGAP ? .gapReached : .timeLimit
                    if !isFinal && (rc == GLP_ETMLIM || rc == GLP_ESTOP) { break }
                }
                search.incumbent = values
                if !isFinal {
                    let v = stage.integral ? value.rounded() : value
                    switch stage.objective {
                    case .row(let r):
                        glpSetRowBounds(lp, r, v, model.rowUpper[r])
                        search.rowLower[r] = v
                    case .expression(let cols, let coefs):
                        let row = glp_add_rows(lp, 1)
                        var idx: [Int32] = [0] + cols.map { $0 + 1 }, val: [Double] = [0] + coefs
                        glp_set_mat_row(lp, row, Int32(cols.count), &idx, &val)
                        glp_set_row_bnds(lp, row, GLP_LO, v - 1e-6 * max(1, abs(v)), 0)
                        search.extraRows.append((cols, coefs, v - 1e-6 * max(1, abs(v))))
                    }
                }
            } else if status == GLP_NOFEAS || rc == GLP_ENOPFS || rc == GLP_ENODFS {
                return LinearSolution(termination: .infeasible, values: nil, stageValues: stageValues, bound: nil,
                                      rawStatus: raw, method: method)
            } else if rc == GLP_ETMLIM || rc == GLP_ESTOP {
                return LinearSolution(termination: .timeLimit, values: values, stageValues: stageValues,
                                      bound: nil, rawStatus: raw, method: method)
            } else {
                return LinearSolution(termination: .failed, values: values, stageValues: stageValues, bound: nil,
                                      rawStatus: raw, method: method)
            }
        }
        return LinearSolution(termination: termination, values: values, stageValues: stageValues,
                              bound: termination == .optimal ? stageValues.last : finalBound, rawStatus: raw, method: method)
    }

    /// What the branch-and-cut callback needs: the bound seen, and integer points to offer.
    private final class SearchState {
        let model: LinearModel
        var rowLower: [Double]
        var extraRows: [(cols: [Int32], coefs: [Double], lower: Double)] = []
        var incumbent: [Double]?
        var objective: [Double] = []
        var bound = Double.nan
        var calls = 0
        var limits: SolveLimits?
        var stage = ""
        var iterations = 0

        init(model: LinearModel) { self.model = model; rowLower = model.rowLower }

        /// Whether x keeps every bound and row (the model's, tightened by earlier stages), with integers where required.
        func feasible(_ x: [Double]) -> Bool {
            guard x.count == model.columnCount else { return false }
            let tol = 1e-6
            for c in 0..<x.count {
                if x[c] < model.columnLower[c] - tol || x[c] > model.columnUpper[c] + tol { return false }
                if model.columnKind[c] != .continuous && abs(x[c] - x[c].rounded()) > tol { return false }
            }
            for r in 0..<model.rowCount {
                var a = 0.0
                for k in model.rowStart[r] ..< model.rowStart[r + 1] { a += model.rowCoefficients[k] * x[Int(model.rowColumns[k])] }
                if a < rowLower[r] - tol * max(1, abs(a)) || a > model.rowUpper[r] + tol * max(1, abs(a)) { return false }
            }
            for row in extraRows {
                let a = zip(row.cols, row.coefs).reduce(0) { $0 + $1.1 * x[Int($1.0)] }
                if a < row.lower - tol * max(1, abs(a)) { return false }
            }
            return true
        }

        /// Offers GLPK the previous stage's point and the heuristic's rounding of the node LP (when the
    /// model has a heuristic), each only when feasible.
        func offer(_ tree: OpaquePointer) {
            calls += 1
            guard calls <= 3 || calls % 50 == 0 else { return }
            var candidates: [[Double]] = []
            if calls == 1, let incumbent { candidates.append(incumbent) }
            if let heuristic = model.heuristic, let prob = glp_ios_get_prob(tree) {
                let lpValues = (0..<model.columnCount).map { glp_get_col_prim(prob, Int32($0 + 1)) }
                if let x = heuristic(lpValues) { candidates.append(x) }
            }
            for x in candidates where feasible(x) {
                var point = [0] + x.enumerated().map { model.columnKind[$0.offset] == .continuous ? $0.element : $0.element.rounded() }
                _ = glp_ios_heur_sol(tree, &point)
            }
        }
    }

    private func mipStatusName(_ s: Int32) -> String {
        switch s {
        case GLP_OPT: return "GLP_OPT"
        case GLP_FEAS: return "GLP_FEAS"
        case GLP_NOFEAS: return "GLP_NOFEAS"
        case GLP_UNDEF: return "GLP_UNDEF"
        default: return "status \(s)"
        }
    }
}
