import Foundation

/// The exact solvers of a matching problem's network form (no soft mentor minimum), behind one
/// call: what ``Matcher`` uses, and what the benchmarks measure side by side on the same problem.
public enum NetworkSolver: String, CaseIterable, Sendable {
    /// Shortest augmenting paths with exact lexicographic costs (``PathMatcher``).
    case paths
    /// LEMON's network simplex (``LemonMatcher``).
    case lemonNetworkSimplex = "lemon-network-simplex"
    /// LEMON's cost scaling.
    case lemonCostScaling = "lemon-cost-scaling"
    /// LEMON's capacity scaling.
    case lemonCapacityScaling = "lemon-capacity-scaling"
    /// PeerMatch's cost-scaling push–relabel, stage by stage (``FlowMatcher``).
    case costScaling = "cost-scaling"
}

extension NetworkSolver {
    /// The solver in a few words, for progress lines.
    public var title: String {
        switch self {
        case .paths: return "shortest augmenting paths"
        case .lemonNetworkSimplex: return "LEMON's network simplex"
        case .lemonCostScaling: return "LEMON's cost scaling"
        case .lemonCapacityScaling: return "LEMON's capacity scaling"
        case .costScaling: return "min-cost flow (cost scaling)"
        }
    }

    /// The method in words, for the result's statistics.
    public var method: String {
        switch self {
        case .paths: return "shortest augmenting paths with exact lexicographic costs and column generation"
        case .lemonNetworkSimplex: return "LEMON network simplex with column generation"
        case .lemonCostScaling: return "LEMON cost scaling with column generation"
        case .lemonCapacityScaling: return "LEMON capacity scaling with column generation"
        case .costScaling: return "cost-scaling min-cost flow with column generation (exact, stage by stage)"
        }
    }
}

/// How the column-generating solvers start and grow their core (for benchmarks and research;
/// the defaults are what ``Matcher`` uses).
public struct NetworkTuning: Sendable, Hashable {
    /// Pairs per mentee in the first core (at most ``CandidatePairs/shortListLength`` are read from the short lists).
    public var corePerMentee = 12
    /// At most this many entering pairs per mentee and pricing round.
    public var enteringPerMentee = 8
    /// Also start from each mentor's 2·capacity + 2 best pairs.
    public var mentorCore = true
    /// Free mentees routed per Dijkstra phase of the path solver (0: all of them).
    public var sourcesPerPhase = 0
    public init(corePerMentee: Int = 12, enteringPerMentee: Int = 8, mentorCore: Bool = true, sourcesPerPhase: Int = 0) {
        self.corePerMentee = corePerMentee; self.enteringPerMentee = enteringPerMentee; self.mentorCore = mentorCore
        self.sourcesPerPhase = sourcesPerPhase
    }
}

/// What a network solver returns.
public struct NetworkSolution: Sendable {
    public enum Status: Equatable, Sendable {
        case optimal
        /// A limit stopped it; `selection` is a valid partial matching.
        case stopped(SolveLimits.Kind)
        /// No flow meets the hard minimum.
        case infeasible
        /// The solver cannot take this problem (a soft minimum, or costs too large to be exact).
        case notApplicable
        case failed(String)
    }
    public var status: Status
    /// Selected pair indices (locked pairs included), ascending.
    public var selection: [Int]
    /// Candidate pairs the solver loaded (the core and every pair that entered).
    public var loadedPairs: Int
    /// Flow solves or pricing rounds.
    public var rounds: Int
    /// A line for the result's raw status.
    public var summary: String
}

/// How a column-generating network solver (``PathMatcher``, ``LemonMatcher``) ended: one type
/// for both, so that one mapping gives the solution's status.
enum NetworkTermination: Equatable, Sendable {
    case optimal
    /// A limit stopped it; the selection so far is a valid partial matching.
    case stopped(SolveLimits.Kind)
    /// No flow meets the hard minimum.
    case infeasible
    /// The exact costs do not fit the solver's integers.
    case tooLarge
    /// The library reported an error.
    case failed(String)
}

extension NetworkSolution.Status {
    init(_ termination: NetworkTermination) {
        switch termination {
        case .optimal: self = .optimal
        case .stopped(let kind): self = .stopped(kind)
        case .infeasible: self = .infeasible
        case .tooLarge: self = .notApplicable
        case .failed(let why): self = .failed(why)
        }
    }
}

extension NetworkSolver {
    /// Solves `problem` exactly, within `limits` (stage names in a cut: `stage`).
    ///
    /// - Parameter everything: load every candidate pair at once instead of generating columns
    ///   (benchmarks compare both).
    public func solve(_ problem: MatchingProblem, limits: SolveLimits, stage: String = "exact solve",
                      everything: Bool = false, tuning: NetworkTuning = NetworkTuning()) -> NetworkSolution {
        if problem.hasSoftMinimum {
            return NetworkSolution(status: .notApplicable, selection: [], loadedPairs: 0, rounds: 0, summary: "a soft mentor minimum is not a network")
        }
        switch self {
        case .paths:
            guard PathMatcher.applies(to: problem) else {
                return NetworkSolution(status: .notApplicable, selection: [], loadedPairs: 0, rounds: 0,
                                       summary: "too many priority levels and mentees for exact 64-bit path costs")
            }
            let r = PathMatcher(corePerMentee: tuning.corePerMentee, enteringPerMentee: tuning.enteringPerMentee,
                                mentorCore: tuning.mentorCore, loadEverything: everything,
                                sourcesPerPhase: tuning.sourcesPerPhase).solve(problem, limits: limits, stage: stage)
            return NetworkSolution(status: NetworkSolution.Status(r.termination), selection: r.selection, loadedPairs: r.loaded, rounds: r.rounds,
                                   summary: "\(r.rounds) pricing rounds, \(r.loaded) of \(problem.pairs.count) pairs loaded, \(r.augmentations) augmenting paths (\(r.searches) Dijkstra phases, \(r.repeated) at the same distance, settling \(r.settled) nodes), \(r.work) arcs scanned")
        case .lemonNetworkSimplex, .lemonCostScaling, .lemonCapacityScaling:
            let algorithm: LemonMatcher.Algorithm = self == .lemonNetworkSimplex ? .networkSimplex
                : self == .lemonCostScaling ? .costScaling : .capacityScaling
            let r = LemonMatcher(algorithm: algorithm, corePerMentee: tuning.corePerMentee, enteringPerMentee: tuning.enteringPerMentee,
                                 mentorCore: tuning.mentorCore, everything: everything).solve(problem, limits: limits, stage: stage)
            return NetworkSolution(status: NetworkSolution.Status(r.termination), selection: r.selection, loadedPairs: r.loaded, rounds: r.rounds,
                                   summary: "LEMON \(algorithm.rawValue): \(r.rounds) runs, \(r.loaded) of \(problem.pairs.count) pairs loaded")
        case .costScaling:
            guard FlowMatcher.applies(to: problem) else {
                return NetworkSolution(status: .notApplicable, selection: [], loadedPairs: 0, rounds: 0,
                                       summary: "the scores are too large for the cost-scaling solver's exact integer prices")
            }
            let r = FlowMatcher(corePerMentee: everything ? 1 << 30 : tuning.corePerMentee, enteringPerMentee: tuning.enteringPerMentee,
                                mentorCore: tuning.mentorCore).solve(problem, limits: limits, stage: stage)
            let status: NetworkSolution.Status
            switch r.termination {
            case .optimal: status = .optimal
            case .stopped(let kind): status = .stopped(kind)
            case .failed(let why): status = .failed(why)
            case .minimumNotMetOnCore:
                // Not a proof: the pairs loaded could not meet the hard minimum; GLPK decides on every pair.
                return NetworkSolution(status: .notApplicable, selection: [], loadedPairs: r.coreSize, rounds: r.rounds,
                                       summary: "the pairs the cost-scaling solver loaded could not meet the hard minimum")
            }
            return NetworkSolution(status: status, selection: r.selection, loadedPairs: r.coreSize, rounds: r.rounds,
                                   summary: "\(r.rounds) flow solves over \(problem.priorityLevels.count + 1) stages, \(r.coreSize) of \(problem.pairs.count) pairs generated, \(r.pushes) pushes, \(r.relabels) relabels")
        }
    }
}
