/// Turns a ``MatchingProblem`` into a ``LinearModel`` and reads solutions back.
///
/// Columns: x(p) ∈ {0,1} for each candidate pair p (locked: fixed at 1); z(j) ∈ [0,1] "mentee j is
/// matched" for each mentee with a candidate; y(i) ∈ {0,1} "mentor i reaches the minimum" (soft
/// minimum only).
///
/// Rows:
/// - mentee j:  Σ_i x(i,j) − z(j) = 0
/// - mentor i:  hardMin(i) ≤ Σ_j x(i,j) ≤ capacity(i)
/// - level l:   0 ≤ Σ_{j of priority l} z(j) ≤ |mentees of priority l|   (stage objective)
/// - soft minimum: Σ_j x(i,j) − minimum(i)·y(i) ≥ 0, and the row Σ_i y(i) (stage objective)
///
/// Stages: each level row, then the soft-minimum row, then Σ score(p)·x(p).
/// Without a soft minimum every column has at most two ±1 entries, so the model is a network
/// and the GLPK backend can solve it with a min-cost-flow code.
public struct MatchingModel: Sendable {
    public let problem: MatchingProblem
    public private(set) var model = LinearModel()
    /// Column of each mentee's z, or -1.
    public private(set) var menteeColumn: [Int] = []
    public private(set) var minimumColumns: [Int] = []

    public init(_ problem: MatchingProblem) {
        self.problem = problem
        let pairs = problem.pairs
        let lockedSet = Set(problem.locked)
        var m = LinearModel()
        for p in 0..<pairs.count {
            m.addColumn(lower: lockedSet.contains(p) ? 1 : 0, upper: 1, kind: .binary)
        }
        var zcol = Array(repeating: -1, count: pairs.menteeCount)
        for j in 0..<pairs.menteeCount where !pairs.pairs(ofMentee: j).isEmpty {
            zcol[j] = m.addColumn(lower: 0, upper: 1, kind: .continuous)
        }
        // Mentee rows.
        for j in 0..<pairs.menteeCount where zcol[j] >= 0 {
            let r = pairs.pairs(ofMentee: j)
            m.addRow("mentee[\(j)]", columns: r.map { Int32($0) } + [Int32(zcol[j])],
                     coefficients: Array(repeating: 1, count: r.count) + [-1], lower: 0, upper: 0)
        }
        // Mentor rows.
        let byMentor = pairs.pairsByMentor()
        let hardMin = problem.minimumMode == .hard
        for i in 0..<pairs.mentorCount {
            let lower = hardMin ? Double(problem.minimum[i]) : 0
            if byMentor[i].isEmpty && lower == 0 { continue }
            m.addRow("mentor[\(i)]", columns: byMentor[i].map { Int32($0) },
                     coefficients: Array(repeating: 1, count: byMentor[i].count),
                     lower: lower, upper: Double(problem.capacity[i]))
        }
        // Level rows and their stages.
        for level in problem.priorityLevels {
            let cols = (0..<pairs.menteeCount).filter { zcol[$0] >= 0 && problem.priority[$0] == level }.map { Int32(zcol[$0]) }
            let r = m.addRow("priority[\(level)]", columns: cols, coefficients: Array(repeating: 1, count: cols.count),
                             lower: 0, upper: Double(cols.count))
            m.stages.append(.init(name: "matched at priority \(level)", objective: .row(r), integral: true))
        }
        // Soft minimum.
        var ycols: [Int] = []
        if problem.hasSoftMinimum {
            for i in 0..<pairs.mentorCount where problem.minimum[i] > 0 && byMentor[i].count >= problem.minimum[i] {
                let y = m.addColumn(lower: 0, upper: 1, kind: .binary)
                ycols.append(y)
                m.addRow("minimum[\(i)]", columns: byMentor[i].map { Int32($0) } + [Int32(y)],
                         coefficients: Array(repeating: 1, count: byMentor[i].count) + [-Double(problem.minimum[i])],
                         lower: 0, upper: .infinity)
            }
            let r = m.addRow("mentors at minimum", columns: ycols.map { Int32($0) },
                             coefficients: Array(repeating: 1, count: ycols.count), lower: 0, upper: Double(ycols.count))
            m.stages.append(.init(name: "mentors at minimum", objective: .row(r), integral: true))
        }
        m.stages.append(.init(name: "total score",
                              objective: .expression(columns: (0..<pairs.count).map { Int32($0) },
                                                     coefficients: pairs.score.map { Double($0) }),
                              integral: true))
        model = m
        menteeColumn = zcol
        minimumColumns = ycols
    }

    /// Column values of a selection of pairs (x, z and, with a soft minimum, y): a starting point.
    public func point(for selection: [Int]) -> [Double] {
        var x = model.columnLower
        var load = Array(repeating: 0, count: problem.mentorCount)
        for p in selection {
            x[p] = 1
            let j = Int(problem.pairs.mentee[p])
            if menteeColumn[j] >= 0 { x[menteeColumn[j]] = 1 }
            load[Int(problem.pairs.mentor[p])] += 1
        }
        var k = 0
        if problem.hasSoftMinimum {
            let counts = problem.pairs.pairCountsByMentor()
            for i in 0..<problem.mentorCount where problem.minimum[i] > 0 && counts[i] >= problem.minimum[i] {
                if load[i] >= problem.minimum[i] { x[minimumColumns[k]] = 1 }
                k += 1
            }
        }
        return x
    }

    /// The selected pair indices of a solution's column values.
    public func selection(from x: [Double]) -> [Int] {
        (0..<problem.pairs.count).filter { x[$0] > 0.5 }
    }
}
