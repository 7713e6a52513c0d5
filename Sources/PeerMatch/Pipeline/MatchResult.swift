/// How a run ended.
public enum MatchStatus: String, Sendable {
    /// Proven optimal (lexicographically).
    case optimal
    /// A valid matching, but not proven optimal (time limit or gap); `bound` says how far off it may be.
    case feasible
    /// The greedy solver's result, because GLPK failed, ran out of time with nothing, or greedy was asked for.
    case fallback
    /// No matching satisfies the hard rules (e.g. a hard mentor minimum that cannot hold).
    case infeasible
}

/// Which solver to use.
public enum SolverChoice: String, Sendable, CaseIterable {
    case glpk, greedy
}

public struct MatchedPair: Sendable, Hashable {
    public var mentor: PersonID
    public var mentee: PersonID
    /// Score in hundredths.
    public var scoreHundredths: Int
    public var reasons: [String]
    public var score: Double { Score.points(scoreHundredths) }
}

public struct UnmatchedPerson: Sendable, Hashable {
    public var id: PersonID
    public var role: Role
    public var reasons: [String]
}

public struct MatchStats: Sendable, Hashable {
    public var candidates: Int
    public var variables: Int
    public var constraints: Int
    /// Wall-clock seconds for the whole run. Printed only on request, so output stays reproducible.
    public var seconds: Double
    /// The algorithm that produced the result.
    public var method: String
    /// The backend's own status words.
    public var rawStatus: String
}

/// Everything one `solve` produces.
public struct MatchResult: Sendable {
    public var status: MatchStatus
    /// "glpk" or "greedy".
    public var solver: String
    /// Why the greedy result was returned, when it was.
    public var fallbackReason: String?
    public var matched: Int
    /// Total score in hundredths.
    public var scoreHundredths: Int
    /// Matched mentees per priority, highest first.
    public var matchedByPriority: [(priority: Int, matched: Int, of: Int)]
    /// Mentors reaching the soft minimum, when there is one.
    public var mentorsAtMinimum: Int?
    /// Proven upper bound on the total score (hundredths), when known.
    public var boundHundredths: Int?
    public var pairs: [MatchedPair]
    public var unmatched: [UnmatchedPerson]
    public var shortfalls: [String]
    /// Plain-language diagnosis when infeasible.
    public var diagnosis: [String]
    public var stats: MatchStats

    public var score: Double { Score.points(scoreHundredths) }
    public var bound: Double? { boundHundredths.map(Score.points) }
    /// Relative gap between the score and the bound: (bound − score) / max(1, |bound|).
    public var gap: Double? {
        guard let b = boundHundredths else { return nil }
        return Double(b - scoreHundredths) / max(100, Double(abs(b)))
    }
}
