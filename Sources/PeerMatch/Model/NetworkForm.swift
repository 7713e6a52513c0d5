/// Recognises a ``LinearModel`` that is a min-cost-flow problem in disguise and writes it as a
/// circulation on a directed graph.
///
/// A model qualifies when every coefficient is ±1, every column appears in at most two rows,
/// rows can be re-signed so each two-entry column has one +1 and one −1 (a 2-colouring of rows),
/// and every bound and objective coefficient is integral. Then each row is a node, each column
/// an arc, and each row's bounds become slack arcs to one extra root node. Such a matrix is
/// totally unimodular: the flow solution is integral and optimal for the integer model.
public struct NetworkForm: Sendable {
    public struct Arc: Sendable {
        public var tail: Int
        public var head: Int
        public var low: Double
        public var cap: Double
        /// Column this arc carries, or nil for a row's slack arc.
        public var column: Int?
    }

    public let nodeCount: Int
    public var root: Int { nodeCount - 1 }
    public private(set) var arcs: [Arc] = []
    /// +1 or −1 for each row.
    public let rowSign: [Double]
    /// Slack arcs of each row: (outgoing r→root, incoming root→r), either may be absent.
    public private(set) var slack: [(out: Int?, into: Int?)] = []
    /// Columns in no row: their value is set directly from the objective.
    public let looseColumns: [Int]
    /// A capacity that stands for "unbounded".
    public let bigCapacity: Double

    public init?(_ model: LinearModel) {
        let nr = model.rowCount, nc = model.columnCount
        func integral(_ x: Double) -> Bool { x.isInfinite || x == x.rounded() }
        guard model.columnLower.allSatisfy({ $0.isFinite && integral($0) }),
              model.columnUpper.allSatisfy({ $0.isFinite && integral($0) }),
              model.rowLower.allSatisfy(integral), model.rowUpper.allSatisfy(integral),
              model.rowCoefficients.allSatisfy({ $0 == 1 || $0 == -1 }) else { return nil }
        for stage in model.stages {
            if case .expression(_, let coefs) = stage.objective, !coefs.allSatisfy({ $0 == $0.rounded() }) { return nil }
        }
        // Column incidence.
        var entries = Array(repeating: [(row: Int, coef: Double)](), count: nc)
        for r in 0..<nr {
            let (cols, coefs) = model.row(r)
            for (c, a) in zip(cols, coefs) {
                entries[Int(c)].append((r, a))
                if entries[Int(c)].count > 2 { return nil }
            }
        }
        // Row signs by breadth-first 2-colouring: for a column with entries a1 in r1 and a2 in r2,
        // sign(r1)·a1 = −sign(r2)·a2.
        var neighbours = Array(repeating: [(row: Int, relation: Double)](), count: nr)
        for e in entries where e.count == 2 {
            let rel = -e[0].coef * e[1].coef
            neighbours[e[0].row].append((e[1].row, rel))
            neighbours[e[1].row].append((e[0].row, rel))
        }
        var sign = Array(repeating: 0.0, count: nr)
        for start in 0..<nr where sign[start] == 0 {
            sign[start] = 1
            var queue = [start], head = 0
            while head < queue.count {
                let r = queue[head]; head += 1
                for (s, rel) in neighbours[r] {
                    let want = sign[r] * rel
                    if sign[s] == 0 { sign[s] = want; queue.append(s) } else if sign[s] != want { return nil }
                }
            }
        }
        rowSign = sign
        nodeCount = nr + 1
        let rootNode = nr
        bigCapacity = model.columnUpper.reduce(1, +)
        var loose: [Int] = []
        for c in 0..<nc {
            let e = entries[c].map { (row: $0.row, coef: sign[$0.row] * $0.coef) }
            let tail: Int, head: Int
            switch e.count {
            case 0: loose.append(c); continue
            case 1: (tail, head) = e[0].coef > 0 ? (rootNode, e[0].row) : (e[0].row, rootNode)
            default:
                (tail, head) = e[0].coef > 0 ? (e[1].row, e[0].row) : (e[0].row, e[1].row)
            }
            arcs.append(Arc(tail: tail, head: head, low: model.columnLower[c], cap: model.columnUpper[c], column: c))
        }
        looseColumns = loose
        slack = Array(repeating: (nil, nil), count: nr)
        for r in 0..<nr {
            let out = arcs.count
            arcs.append(Arc(tail: r, head: rootNode, low: 0, cap: 0, column: nil))
            let into = arcs.count
            arcs.append(Arc(tail: rootNode, head: r, low: 0, cap: 0, column: nil))
            slack[r] = (out, into)
            setRowBounds(r, lower: model.rowLower[r], upper: model.rowUpper[r])
        }
    }

    /// Re-states row r's bounds on its slack arcs. The signed row value leaves node r on the
    /// outgoing slack arc (when positive) or enters it on the incoming one (when negative).
    public mutating func setRowBounds(_ r: Int, lower: Double, upper: Double) {
        let s = rowSign[r]
        var lo = s > 0 ? lower : -upper, hi = s > 0 ? upper : -lower
        if lo.isInfinite { lo = -bigCapacity }
        if hi.isInfinite { hi = bigCapacity }
        let (out, into) = slack[r]
        // out carries max(value, 0), into carries max(-value, 0).
        arcs[out!].low = max(0, lo); arcs[out!].cap = max(0, hi)
        arcs[into!].low = max(0, -hi); arcs[into!].cap = max(0, -lo)
    }

    /// Arc costs (to minimise) that maximise one stage's objective.
    public func costs(for objective: LinearModel.Objective, columnCount: Int) -> [Double] {
        var cost = Array(repeating: 0.0, count: arcs.count)
        switch objective {
        case .row(let r):
            // Row value = sign × (flow out − flow in) on the slack arcs.
            cost[slack[r].out!] = -rowSign[r]
            cost[slack[r].into!] = rowSign[r]
        case .expression(let cols, let coefs):
            var byColumn = Array(repeating: 0.0, count: columnCount)
            for (c, a) in zip(cols, coefs) { byColumn[Int(c)] += a }
            for (k, arc) in arcs.enumerated() { if let c = arc.column { cost[k] = -byColumn[c] } }
        }
        return cost
    }

    /// Column values from arc flows.
    public func columnValues(flows: [Double], model: LinearModel, objective: LinearModel.Objective) -> [Double] {
        var x = model.columnLower
        for (k, arc) in arcs.enumerated() { if let c = arc.column { x[c] = flows[k] } }
        if case .expression(let cols, let coefs) = objective {
            var byColumn = [Int: Double]()
            for (c, a) in zip(cols, coefs) { byColumn[Int(c), default: 0] += a }
            for c in looseColumns where (byColumn[c] ?? 0) > 0 { x[c] = model.columnUpper[c] }
        }
        return x
    }
}
