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

/// Where a pair meets each week: ids from the cohort's `slots` and `rooms`.
public struct Session: Sendable, Hashable {
    public var slot: String
    public var room: String
    public init(slot: String, room: String) { self.slot = slot; self.room = room }
}

public struct MatchedPair: Sendable, Hashable {
    public var mentor: PersonID
    public var mentee: PersonID
    /// Score in hundredths.
    public var scoreHundredths: Int
    public var reasons: [String]
    /// Weekly sessions (timetabled cohorts only), in slot order.
    public var sessions: [Session] = []
    /// Every session date of the term, in order (timetabled cohorts with a term).
    public var dates: [CalendarDate] = []
    /// Term dates at the pair's slots that were dropped, with why.
    public var skippedDates: [SkippedDate] = []
    public var score: Double { Score.points(scoreHundredths) }
}

/// One difference from the previous result when re-matching (`solve --previous`).
public struct Change: Sendable, Hashable {
    public enum Kind: String, Sendable { case removed, moved, added }
    public var kind: Kind
    public var mentor: PersonID
    public var mentee: PersonID
    /// Sessions before and after (empty when the pair did not exist).
    public var before: [Session]
    public var after: [Session]
    public var reason: String
    /// Whether the change counts against `--max-changes` (a change the solver chose, not one forced on it).
    public var counted: Bool
}

/// The timetable side of a result.
public struct TimetableReport: Sendable {
    public var setup: TimetableSetup
    /// Soft timetable terms (slot bonuses minus day and room-sharing penalties), hundredths.
    public var softHundredths: Int
    /// How the timetable was found ("joint model", "decomposed: ...").
    public var approach: String
    /// Upper bound on the number of mentees matched, when the run did not prove its count optimal.
    public var matchedBound: Int?
    /// Re-matching only: what changed from the previous result.
    public var changes: [Change]?
    public var maxChanges: Int?
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
    /// Timetabled cohorts only.
    public var timetable: TimetableReport? = nil

    /// The final-stage objective: the total score plus the timetable's soft terms (hundredths).
    public var objectiveHundredths: Int { scoreHundredths + (timetable?.softHundredths ?? 0) }

    public var score: Double { Score.points(scoreHundredths) }
    public var bound: Double? { boundHundredths.map(Score.points) }
    /// Relative gap between the score and the bound: (bound − score) / max(1, |bound|).
    public var gap: Double? {
        guard let b = boundHundredths else { return nil }
        return Double(b - objectiveHundredths) / max(100, Double(abs(b)))
    }
}
