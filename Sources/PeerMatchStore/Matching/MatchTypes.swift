import Foundation
import PeerMatch

/// How to solve a term (the same choices as `peermatch solve`).
public struct MatchOptions: Sendable, Hashable {
    public var solver: SolverChoice
    /// Seconds for GLPK; past it the best matching found is kept (and the run says so).
    public var timeLimit: Double
    public var gap: Double
    /// Seeds the lottery of method stable and the scores of method random.
    public var seed: UInt64
    /// Why this run (written to the audit log).
    public var note: String?

    public init(solver: SolverChoice = .glpk, timeLimit: Double = 60, gap: Double = 0, seed: UInt64 = 0, note: String? = nil) {
        self.solver = solver; self.timeLimit = timeLimit; self.gap = gap; self.seed = seed; self.note = note
    }
}

/// Where a match run of the store is, for a progress line on the page or the terminal: the
/// store's own stages, and while solving, the core matcher's (`PeerMatch.MatchProgress`: finding
/// candidates, solving with GLPK or min-cost flow, explaining), forwarded as they come. A stage can
/// run for seconds between reports, so a page should tick its own clock between them.
public struct SchemeMatchProgress: Sendable, Hashable {
    public enum Stage: String, Sendable, Hashable, CaseIterable {
        case reading, building, solving, storing, done
    }
    public var stage: Stage
    /// Plain words: "solving with GLPK (stage 2 of 4)", "storing 2000 pairs".
    public var message: String
    public var mentors: Int
    public var mentees: Int
    /// Seconds since the run started (reading included).
    public var elapsed: Double
    /// While solving: the core's report (its stage, and work done of a total when it counts).
    public var solver: MatchProgress?
}

/// What a match run did.
public struct MatchRunSummary: Sendable, Hashable {
    public var runID: Int64
    public var term: TermID
    public var status: MatchStatus
    public var solver: String
    public var mentors: Int
    public var mentees: Int
    public var matched: Int
    /// New proposals this run made.
    public var proposed: Int
    /// Approved, active and locked pairs the run kept.
    public var kept: Int
    /// Earlier proposals this run replaced (kept as superseded records).
    public var superseded: Int
    public var unmatched: Int
    public var shortfalls: [String]
    public var notes: [String]
    public var diagnosis: [String]
    public var fallbackReason: String?
    /// Wall-clock seconds, reading and writing included (not stored: output stays reproducible).
    public var seconds: Double
}

/// A pair of a term as the store holds it.
public struct StoredPair: Sendable, Hashable {
    public var id: Int64
    public var ref: PairRef
    public var mentorName: String
    public var menteeName: String
    public var state: PairState
    public var locked: Bool
    public var scoreHundredths: Int?
    public var reasons: [String]
    /// Weekly sessions and every session date (timetabled terms).
    public var sessions: [Session]
    public var dates: [CalendarDate]
    /// "match", "import", "swap", "withdrawal": what made the pair.
    public var source: String
    public var runID: Int64?
    public var createdAt: String
    public var createdBy: String
    /// When and by whom the state last changed.
    public var stateAt: String
    public var stateBy: String
    public var endDate: CalendarDate?
    public var endReason: EndReason?
    /// The note given when the pair was declined or ended.
    public var note: String?
    public var noRepeat: Bool

    public var score: Double? { scoreHundredths.map(Score.points) }
}

/// Someone in the term without a live pair, and why (from the last run's explanation).
public struct StoredUnmatched: Sendable, Hashable {
    public var id: PersonID
    public var name: String
    public var role: Role
    public var reasons: [String]
}

/// One match run (or a withdrawal's re-match, or a swap), as recorded.
public struct RunInfo: Sendable, Hashable {
    public var id: Int64
    /// "match", "withdrawal" or "swap".
    public var kind: String
    public var at: String
    public var by: String
    public var status: String
    public var solver: String
    public var matched: Int
    public var mentors: Int
    public var mentees: Int
    public var scoreHundredths: Int
    public var notes: [String]
    public var fallbackReason: String?
    public var diagnosis: [String]
}

/// A term's pairs (every state but superseded), who is unmatched and why, the shortfalls, and the
/// last run.
public struct TermMatches: Sendable, Hashable {
    public var term: TermID
    public var pairs: [StoredPair]
    public var unmatched: [StoredUnmatched]
    public var shortfalls: [String]
    public var run: RunInfo?
    public var revision: Int

    /// Pairs in one of the given states.
    public func pairs(in states: [PairState]) -> [StoredPair] { pairs.filter { states.contains($0.state) } }
}
