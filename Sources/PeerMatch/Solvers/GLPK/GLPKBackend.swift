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
/// A model that ``NetworkForm`` recognises goes to GLPK's out-of-kilter min-cost-flow code
/// (`glp_mincost_okalg`), which is exact and much faster than simplex on matchings. (GLPK's
/// faster RELAX-IV routine is compiled out of Debian's libglpk for licensing reasons: calling it
/// aborts.) Anything else, or a network whose numbers the flow code cannot hold, goes to
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
        if useNetworkSolver, var network = NetworkForm(model) {
            if let solution = solveNetwork(model, &network) { return solution }
        }
        return solveMIP(model, options: options)
    }

    // MARK: - Network path

    /// Returns nil when the flow code refuses the numbers (GLP_ERANGE/GLP_EDATA), so the caller
    /// can use branch-and-cut instead.
    private func solveNetwork(_ model: LinearModel, _ network: inout NetworkForm) -> LinearSolution? {
        // Arc data: low, cap, cost, x (doubles). Vertex data: rhs (double, all zero).
        let aLow: Int32 = 0, aCap: Int32 = 8, aCost: Int32 = 16, aX: Int32 = 24
        guard let graph = glp_create_graph(8, 32) else { return nil }
        defer { glp_delete_graph(graph) }
        glp_add_vertices(graph, Int32(network.nodeCount))
        var arcPointers: [UnsafeMutablePointer<glp_arc>] = []
        arcPointers.reserveCapacity(network.arcs.count)
        for arc in network.arcs {
            arcPointers.append(glp_add_arc(graph, Int32(arc.tail + 1), Int32(arc.head + 1)))
        }
        func store(_ a: UnsafeMutablePointer<glp_arc>, _ offset: Int32, _ v: Double) {
            a.pointee.data.storeBytes(of: v, toByteOffset: Int(offset), as: Double.self)
        }
        var values: [Double] = []
        var stageValues: [Double] = []
        for (s, stage) in model.stages.enumerated() {
            let cost = network.costs(for: stage.objective, columnCount: model.columnCount)
            guard cost.allSatisfy({ abs($0) < 1e9 }) else { return nil }
            for (k, arc) in network.arcs.enumerated() {
                store(arcPointers[k], aLow, arc.low)
                store(arcPointers[k], aCap, arc.cap)
                store(arcPointers[k], aCost, cost[k])
            }
            var total = 0.0
            let rc = glp_mincost_okalg(graph, -1, aLow, aCap, aCost, &total, aX, -1)
            switch rc {
            case 0: break
            case GLP_ENOPFS:
                return LinearSolution(termination: .infeasible, values: nil, stageValues: stageValues, bound: nil,
                                      rawStatus: "glp_mincost_okalg: GLP_ENOPFS at stage \(s + 1)",
                                      method: "GLPK out-of-kilter min-cost flow")
            default: return nil
            }
            let flows = arcPointers.map { $0.pointee.data.load(fromByteOffset: Int(aX), as: Double.self) }
            values = network.columnValues(flows: flows, model: model, objective: stage.objective)
            let value = model.value(of: stage.objective, at: values).rounded()
            stageValues.append(value)
            if case .row(let r) = stage.objective { network.setRowBounds(r, lower: value, upper: model.rowUpper[r]) }
        }
        return LinearSolution(termination: .optimal, values: values, stageValues: stageValues, bound: stageValues.last,
                              rawStatus: "glp_mincost_relax4: 0", method: "GLPK out-of-kilter min-cost flow")
    }

    // MARK: - Branch-and-cut path

    private func solveMIP(_ model: LinearModel, options: SolveOptions) -> LinearSolution {
        let method = "GLPK branch-and-cut"
        guard let lp = glp_create_prob() else {
            return LinearSolution(termination: .failed, values: nil, stageValues: [], bound: nil,
                                  rawStatus: "glp_create_prob returned NULL", method: method)
        }
        defer { glp_delete_prob(lp) }
        glp_set_obj_dir(lp, GLP_MAX)
        let nc = model.columnCount, nr = model.rowCount
        if nr > 0 { glp_add_rows(lp, Int32(nr)) }
        if nc > 0 { glp_add_cols(lp, Int32(nc)) }
        for r in 0..<nr { setRowBounds(lp, r, model.rowLower[r], model.rowUpper[r]) }
        for c in 0..<nc {
            let (lo, hi) = (model.columnLower[c], model.columnUpper[c])
            glp_set_col_bnds(lp, Int32(c + 1), boundType(lo, hi), lo.isFinite ? lo : 0, hi.isFinite ? hi : 0)
            switch model.columnKind[c] {
            case .continuous: glp_set_col_kind(lp, Int32(c + 1), GLP_CV)
            case .integer: glp_set_col_kind(lp, Int32(c + 1), GLP_IV)
            case .binary:
                glp_set_col_kind(lp, Int32(c + 1), GLP_IV)
                glp_set_col_bnds(lp, Int32(c + 1), lo == hi ? GLP_FX : GLP_DB, lo, hi)
            }
        }
        // Bulk matrix load with GLPK's 1-based arrays (index 0 unused).
        let ne = model.nonzeroCount
        var ia = [Int32](repeating: 0, count: ne + 1), ja = ia, ar = [Double](repeating: 0, count: ne + 1)
        for r in 0..<nr {
            for k in model.rowStart[r] ..< model.rowStart[r + 1] {
                ia[k + 1] = Int32(r + 1); ja[k + 1] = model.rowColumns[k] + 1; ar[k + 1] = model.rowCoefficients[k]
            }
        }
        if ne > 0 { glp_load_matrix(lp, Int32(ne), ia, ja, ar) }

        let deadline = Date().addingTimeInterval(options.timeLimit)
        var stageValues: [Double] = []
        var values: [Double]? = nil
        var finalBound: Double? = nil
        var termination = Termination.optimal
        var raw = ""
        for (s, stage) in model.stages.enumerated() {
            let isFinal = s == model.stages.count - 1
            for c in 0..<nc { glp_set_obj_coef(lp, Int32(c + 1), 0) }
            switch stage.objective {
            case .row(let r):
                let (cols, coefs) = model.row(r)
                for (c, a) in zip(cols, coefs) { glp_set_obj_coef(lp, c + 1, glp_get_obj_coef(lp, c + 1) + a) }
            case .expression(let cols, let coefs):
                for (c, a) in zip(cols, coefs) { glp_set_obj_coef(lp, c + 1, glp_get_obj_coef(lp, c + 1) + a) }
            }
            var parm = glp_iocp()
            glp_init_iocp(&parm)
            parm.msg_lev = GLP_MSG_OFF
            parm.presolve = GLP_ON
            parm.mip_gap = isFinal ? options.gap : 0
            let remaining = deadline.timeIntervalSinceNow
            parm.tm_lim = Int32(max(1, min(Double(Int32.max), remaining * 1000)))
            // Track the best bound of the search tree through the callback; no Swift error crosses it.
            var bound = Double.nan
            let rc = withUnsafeMutablePointer(to: &bound) { boundPointer -> Int32 in
                parm.cb_info = UnsafeMutableRawPointer(boundPointer)
                parm.cb_func = { tree, info in
                    guard let tree, let info else { return }
                    let best = glp_ios_best_node(tree)
                    if best != 0 { info.storeBytes(of: glp_ios_node_bound(tree, best), as: Double.self) }
                }
                return glp_intopt(lp, &parm)
            }
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
                    if !isFinal && rc == GLP_ETMLIM { break }
                }
                if !isFinal {
                    let v = stage.integral ? value.rounded() : value
                    switch stage.objective {
                    case .row(let r): setRowBounds(lp, r, v, model.rowUpper[r])
                    case .expression(let cols, let coefs):
                        let row = glp_add_rows(lp, 1)
                        var idx: [Int32] = [0] + cols.map { $0 + 1 }, val: [Double] = [0] + coefs
                        glp_set_mat_row(lp, row, Int32(cols.count), &idx, &val)
                        glp_set_row_bnds(lp, row, GLP_LO, v - 1e-6 * max(1, abs(v)), 0)
                    }
                }
            } else if status == GLP_NOFEAS || rc == GLP_ENOPFS || rc == GLP_ENODFS {
                return LinearSolution(termination: .infeasible, values: nil, stageValues: stageValues, bound: nil,
                                      rawStatus: raw, method: method)
            } else if rc == GLP_ETMLIM {
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

    private func boundType(_ lo: Double, _ hi: Double) -> Int32 {
        switch (lo.isFinite, hi.isFinite) {
        case (false, false): return GLP_FR
        case (true, false): return GLP_LO
        case (false, true): return GLP_UP
        case (true, true): return lo == hi ? GLP_FX : GLP_DB
        }
    }

    private func setRowBounds(_ lp: OpaquePointer, _ r: Int, _ lo: Double, _ hi: Double) {
        glp_set_row_bnds(lp, Int32(r + 1), boundType(lo, hi), lo.isFinite ? lo : 0, hi.isFinite ? hi : 0)
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
