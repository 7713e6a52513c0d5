/// A solver-neutral mixed-integer linear model with a lexicographic objective.
///
/// Columns and rows are stored as parallel arrays (no per-variable objects), so a model with
/// millions of candidate pairs stays compact. Bounds use ±infinity for "none".
public struct LinearModel: Sendable {
    public enum Kind: Sendable { case continuous, integer, binary }

    /// What one lexicographic stage maximises.
    public enum Objective: Sendable {
        /// The value of row `r` (its linear expression). Fixing the stage tightens the row's lower bound.
        case row(Int)
        /// Σ coefficient × column.
        case expression(columns: [Int32], coefficients: [Double])
    }

    public struct Stage: Sendable {
        public var name: String
        public var objective: Objective
        /// Whether the stage's optimal values are integers (counts), so fixing them is exact.
        public var integral: Bool
    }

    public private(set) var columnLower: [Double] = []
    public private(set) var columnUpper: [Double] = []
    public private(set) var columnKind: [Kind] = []

    public private(set) var rowStart: [Int] = [0]
    public private(set) var rowColumns: [Int32] = []
    public private(set) var rowCoefficients: [Double] = []
    public private(set) var rowLower: [Double] = []
    public private(set) var rowUpper: [Double] = []
    public private(set) var rowNames: [String] = []

    /// Lexicographic objectives, most important first; each is maximised.
    public var stages: [Stage] = []
    /// Column names for exported model files (empty: the writer's generic names).
    public var columnNames: [String] = []

    /// An optional primal heuristic: from the LP values at a branch-and-cut node, a full integer
    /// point (or nil). Backends check the point against every bound and row before using it, so a
    /// wrong point only costs time.
    public var heuristic: (@Sendable ([Double]) -> [Double]?)? = nil

    public init() {}

    public var columnCount: Int { columnLower.count }
    public var rowCount: Int { rowLower.count }
    public var nonzeroCount: Int { rowColumns.count }

    @discardableResult
    public mutating func addColumn(lower: Double, upper: Double, kind: Kind) -> Int {
        columnLower.append(lower); columnUpper.append(upper); columnKind.append(kind)
        return columnLower.count - 1
    }

    @discardableResult
    public mutating func addRow(_ name: String, columns: [Int32], coefficients: [Double], lower: Double, upper: Double) -> Int {
        precondition(columns.count == coefficients.count)
        rowColumns.append(contentsOf: columns)
        rowCoefficients.append(contentsOf: coefficients)
        rowStart.append(rowColumns.count)
        rowLower.append(lower); rowUpper.append(upper); rowNames.append(name)
        return rowLower.count - 1
    }

    public mutating func setColumnBounds(_ c: Int, lower: Double, upper: Double) {
        columnLower[c] = lower; columnUpper[c] = upper
    }

    public mutating func setRowBounds(_ r: Int, lower: Double, upper: Double) {
        rowLower[r] = lower; rowUpper[r] = upper
    }

    public func row(_ r: Int) -> (columns: ArraySlice<Int32>, coefficients: ArraySlice<Double>) {
        (rowColumns[rowStart[r] ..< rowStart[r + 1]], rowCoefficients[rowStart[r] ..< rowStart[r + 1]])
    }

    /// The matrix by column (compressed sparse columns): column c has
    /// `rows[start[c] ..< start[c + 1]]` with `coefficients` alongside, rows ascending.
    public struct ColumnMajor: Sendable {
        public var start: [Int]
        public var rows: [Int32]
        public var coefficients: [Double]
        public func entries(_ c: Int) -> Range<Int> { start[c] ..< start[c + 1] }
    }

    /// The matrix by column, built by counting (no per-column arrays).
    public func columnMajor() -> ColumnMajor {
        var start = [Int](repeating: 0, count: columnCount + 1)
        for c in rowColumns { start[Int(c) + 1] += 1 }
        for c in 0..<columnCount { start[c + 1] += start[c] }
        var next = start
        var rows = [Int32](repeating: 0, count: nonzeroCount), coefficients = [Double](repeating: 0, count: nonzeroCount)
        for r in 0..<rowCount {
            for k in rowStart[r] ..< rowStart[r + 1] {
                let c = Int(rowColumns[k])
                rows[next[c]] = Int32(r); coefficients[next[c]] = rowCoefficients[k]; next[c] += 1
            }
        }
        return ColumnMajor(start: start, rows: rows, coefficients: coefficients)
    }

    /// The objective's value at a point.
    public func value(of objective: Objective, at x: [Double]) -> Double {
        switch objective {
        case .row(let r):
            let (cols, coefs) = row(r)
            return zip(cols, coefs).reduce(0) { $0 + $1.1 * x[Int($1.0)] }
        case .expression(let cols, let coefs):
            return zip(cols, coefs).reduce(0) { $0 + $1.1 * x[Int($1.0)] }
        }
    }
}

/// Collects rows and columns in any order (a column's entries in rows added before it, a row's in
/// columns added before it) and makes one ``LinearModel`` of them: the whole model of a
/// formulation that is otherwise solved by column generation, to export or to check against.
public final class LinearModelBuilder: ModelSink {
    private var lower: [Double] = [], upper: [Double] = []
    private var columns: [WorkspaceColumn] = []
    private var entries: [(row: Int32, column: Int32, value: Double)] = []
    public private(set) var objective: [Double] = []
    /// Names for the columns, set by the caller before ``model(rowNames:)``.
    public var columnNames: [String] = []

    public init() {}

    public var rowCount: Int { lower.count }
    public var columnCount: Int { columns.count }

    @discardableResult
    public func addRows(lower: [Double], upper: [Double]) -> Int {
        let first = self.lower.count
        self.lower += lower; self.upper += upper
        return first
    }

    @discardableResult
    public func addColumns(_ new: [WorkspaceColumn]) -> Int {
        let first = columns.count
        for (k, c) in new.enumerated() {
            for (r, a) in zip(c.rows, c.coefficients) { entries.append((r, Int32(first + k), a)) }
            objective.append(c.objective)
        }
        columns += new
        return first
    }

    @discardableResult
    public func addRow(columns cols: [Int32], coefficients: [Double], lower lo: Double, upper hi: Double) -> Int {
        let r = addRows(lower: [lo], upper: [hi])
        for (c, a) in zip(cols, coefficients) { entries.append((Int32(r), c, a)) }
        return r
    }

    /// The model (no stages: the caller sets them); `names` gives each row's name.
    public func model(rowNames names: [String]) -> LinearModel {
        var m = LinearModel()
        m.columnNames = columnNames
        for c in columns { m.addColumn(lower: c.lower, upper: c.upper, kind: c.integer ? (c.lower >= 0 && c.upper <= 1 ? .binary : .integer) : .continuous) }
        let sorted = entries.sorted { ($0.row, $0.column) < ($1.row, $1.column) }
        var k = 0
        for r in 0..<rowCount {
            var cols: [Int32] = [], coefs: [Double] = []
            while k < sorted.count && Int(sorted[k].row) == r { cols.append(sorted[k].column); coefs.append(sorted[k].value); k += 1 }
            m.addRow(r < names.count ? names[r] : "r\(r)", columns: cols, coefficients: coefs, lower: lower[r], upper: upper[r])
        }
        return m
    }
}
