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
    /// A limit (time, work or an interrupt) stopped the run before any matching was found; see `limit`.
    case stopped
}

/// Which solver to use.
public enum SolverChoice: String, Sendable, CaseIterable {
    /// The fastest exact solver for the problem (see ``Matcher/networkSolver(for:)``): a network
    /// solver when the model is a network, else GLPK.
    case auto
    /// GLPK only (simplex with column generation for networks, branch-and-cut otherwise).
    case glpk
    /// Shortest augmenting paths (exact; networks only, else GLPK).
    case paths
    /// LEMON's network simplex (exact; networks only, else GLPK).
    case lemon
    /// PeerMatch's cost-scaling min-cost flow (exact; networks only, else GLPK).
    case flow
    /// The greedy heuristic (no exact solver).
    case greedy
}

/// Which limit stopped a run early, and in which stage (``SolveLimits``).
public struct LimitReport: Sendable, Hashable {
    public var kind: SolveLimits.Kind
    /// The stage the limit cut: "candidates", "exact solve", "fair threshold 3", "greedy", ...
    public var stage: String
    /// The limit as given: seconds (time) or work units (work); nil for an interrupt.
    public var value: Double?
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
    /// The mentee's stated rank of the mentor (1 = first choice), nil when not on her list.
    public var menteeRank: Int?
    /// The mentor's stated rank of the mentee, nil when not on his list.
    public var mentorRank: Int?
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
    /// How the timetable was found ("joint model by column generation (...)", "greedy", "pre-check").
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
    /// Work units spent (deterministic; see ``SolveLimits``).
    public var work: Int = 0
    /// The algorithm that produced the result.
    public var method: String
    /// The backend's own status words.
    public var rawStatus: String
}

/// How well one side's stated `preferences[]` were met, over matched pairs.
public struct RankStatistics: Sendable, Hashable {
    /// Matched pairs seen from this side (a mentor with three mentees counts three times).
    public var pairs: Int
    /// Pairs whose partner is on this side's list.
    public var listed: Int
    /// Mean stated rank over listed pairs (1 = first choice), or nil when none is listed.
    public var meanRank: Double?
    /// Pairs with the partner ranked first (tie groups count as first when they are the first entry).
    public var firstChoice: Int
    /// Pairs with the partner among the first three entries.
    public var topThree: Int
    /// Pairs whose partner is not on this side's list (including people with an empty list).
    public var unlisted: Int { pairs - listed }
    /// Share of pairs with a first choice, 0 when there are no pairs.
    public var firstChoiceShare: Double { pairs == 0 ? 0 : Double(firstChoice) / Double(pairs) }

    public init(pairs: Int = 0, listed: Int = 0, meanRank: Double? = nil, firstChoice: Int = 0, topThree: Int = 0) {
        self.pairs = pairs; self.listed = listed; self.meanRank = meanRank; self.firstChoice = firstChoice; self.topThree = topThree
    }
}

/// What a matching means for the people's own rankings: blocking pairs and each side's ranks.
/// Reported for every method, so policies can be compared on it.
public struct PreferenceReport: Sendable, Hashable {
    /// Pairs who would both rather be together (see ``BlockingPairs``); 0 for a stable matching.
    public var blockingPairs: Int
    public var mentees: RankStatistics
    public var mentors: RankStatistics
    /// With method stable: tie groups the seeded lottery ordered (mentees' lists, mentors' lists).
    public var tiesBroken: (mentees: Int, mentors: Int)?

    public static func == (a: PreferenceReport, b: PreferenceReport) -> Bool {
        a.blockingPairs == b.blockingPairs && a.mentees == b.mentees && a.mentors == b.mentors
            && a.tiesBroken?.mentees == b.tiesBroken?.mentees && a.tiesBroken?.mentors == b.tiesBroken?.mentors
    }
    public func hash(into h: inout Hasher) { h.combine(blockingPairs); h.combine(mentees); h.combine(mentors) }
}

/// Everything one `solve` produces.
public struct MatchResult: Sendable {
    public var status: MatchStatus
    /// The policy's matching method.
    public var method: MatchingMethod
    /// The seed of the lottery / random scores (methods stable and random); nil when unused.
    public var seed: UInt64?
    /// The solver that produced the matching: "paths", "glpk", "greedy", "stable", ...
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
    /// Blocking pairs and rank statistics under the stated preferences.
    public var preferences: PreferenceReport
    /// Lowest pair score among matched pairs (hundredths), nil when nobody is matched.
    public var minPairScoreHundredths: Int?
    /// With method fair: the total score of method optimal on the same cohort (hundredths).
    public var optimalScoreHundredths: Int?
    /// Method-specific notes in plain words (how ties were broken, what the method ignores).
    public var notes: [String]
    /// With method fair: total score given up against method optimal (hundredths), never negative.
    public var priceOfFairnessHundredths: Int? { optimalScoreHundredths.map { max(0, $0 - scoreHundredths) } }
    /// Timetabled cohorts only.
    public var timetable: TimetableReport? = nil
    /// When a limit (time, work, interrupt) cut a stage short: which, and where.
    public var limit: LimitReport? = nil
    /// Each lexicographic stage's value and proven bound, when the solver reports them (empty otherwise).
    public var stages: [StageReport] = []

    /// Whether the cohort had slots, so pairs carry sessions (and the outputs show them).
    public var isTimetabled: Bool { timetable.map { !$0.setup.slots.isEmpty } ?? false }

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
