/// Recognises a ``LinearModel`` whose constraint matrix is a network matrix, so that its LP
/// relaxation has integral basic solutions and simplex alone solves the integer model.
///
/// A model qualifies when every coefficient is ±1, every column appears in at most two rows,
/// rows can be re-signed so each two-entry column has one +1 and one −1 (a consistent
/// 2-colouring of the rows), and every bound and objective coefficient is integral. Each row is
/// then a node and each column an arc of a flow network: the matrix is totally unimodular.
public enum NetworkForm {
    public static func recognises(_ model: LinearModel) -> Bool {
        let nr = model.rowCount, nc = model.columnCount
        func integral(_ x: Double) -> Bool { x.isInfinite || x == x.rounded() }
        guard model.columnLower.allSatisfy(integral), model.columnUpper.allSatisfy(integral),
              model.rowLower.allSatisfy(integral), model.rowUpper.allSatisfy(integral),
              model.rowCoefficients.allSatisfy({ $0 == 1 || $0 == -1 }) else { return false }
        for stage in model.stages {
            if case .expression(_, let coefs) = stage.objective, !coefs.allSatisfy({ $0 == $0.rounded() }) { return false }
        }
        // Each column in at most two rows.
        let byColumn = model.columnMajor()
        var neighbours = Array(repeating: [(row: Int, relation: Double)](), count: nr)
        for c in 0..<nc {
            let e = byColumn.entries(c)
            if e.count > 2 { return false }
            if e.count == 2 {
                let (r1, r2) = (Int(byColumn.rows[e.lowerBound]), Int(byColumn.rows[e.lowerBound + 1]))
                let relation = -byColumn.coefficients[e.lowerBound] * byColumn.coefficients[e.lowerBound + 1]
                neighbours[r1].append((r2, relation))
                neighbours[r2].append((r1, relation))
            }
        }
        // Breadth-first 2-colouring: for a column with a1 in r1 and a2 in r2, sign(r1)·a1 = −sign(r2)·a2.
        var sign = [Double](repeating: 0, count: nr)
        for start in 0..<nr where sign[start] == 0 {
            sign[start] = 1
            var queue = [start], head = 0
            while head < queue.count {
                let r = queue[head]; head += 1
                for (s, relation) in neighbours[r] {
                    let want = sign[r] * relation
                    if sign[s] == 0 { sign[s] = want; queue.append(s) } else if sign[s] != want { return false }
                }
            }
        }
        return true
    }
}
