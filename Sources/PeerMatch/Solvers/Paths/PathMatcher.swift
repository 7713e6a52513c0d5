import Foundation

/// The exact lexicographic optimum of a matching problem without a soft mentor minimum, in one
/// min-cost flow solved by shortest augmenting paths (``AugmentingPaths``) with column generation.
///
/// The lexicographic objective is one exact cost per pair arc, (−w(level), −score), compared
/// word by word: w(level) = Π over lower levels k of (mentees at k + 1), so the first word sums
/// to a mixed-radix number whose digits are the matched counts per level, highest priority
/// first, and the second word is only compared when the counts tie. No stage is solved twice.
///
/// Like ``FlowMatcher`` it starts from a core of pairs (each mentee's and each mentor's best by
/// score), then prices every candidate pair from the potentials: a pair whose reduced cost is
/// negative enters, the mentees it touches are routed again from where they were, and when no
/// pair enters the flow is optimal over every candidate pair: proven, not estimated. A hard
/// minimum is a lower bound on the mentor's arc to the sink (a deficit the paths must fill).
struct PathMatcher {
    /// Pairs per mentee in the first core.
    var corePerMentee = 12
    /// At most this many entering pairs per mentee and pricing round.
    var enteringPerMentee = 8
    /// Also start from each mentor's best pairs (tests switch it off to force pricing rounds).
    var mentorCore = true
    /// Load every candidate pair at once (no column generation).
    var loadEverything = false
    /// Free mentees routed per Dijkstra phase (0: all); see ``AugmentingPaths/sourcesPerPhase``.
    var sourcesPerPhase = 0


    struct Result {
        /// Never `tooLarge` (``PathMatcher/applies(to:)`` is checked first) nor `failed`.
        typealias Termination = NetworkTermination
        var termination: Termination
        /// Selected pair indices (locked pairs included), sorted. When stopped: the matching so
        /// far (valid, but neither complete nor optimal).
        var selection: [Int]
        var rounds: Int
        var loaded: Int
        var augmentations: Int
        var work: Int
        var searches = 0
        var settled = 0
        var repeated = 0
    }

    /// The weight of one matched mentee at each priority level (highest first), or nil when the
    /// mixed-radix number would not leave room for exact sums.
    static func levelWeights(_ problem: MatchingProblem, active: [Bool]) -> [Int64]? {
        let levels = problem.priorityLevels
        var count = [Int64](repeating: 0, count: levels.count)
        let index = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, $0) })
        for j in 0..<problem.menteeCount where active[j] { count[index[problem.priority[j]]!] += 1 }
        let nodes = Int64(problem.menteeCount + problem.mentorCount + 2)
        // Sums along paths and potentials stay below (nodes + 1)·range; keep them under 2^61.
        let room = (Int64(1) << 61) / (nodes + 1)
        var weights = [Int64](repeating: 1, count: levels.count)
        var w: Int64 = 1
        for l in stride(from: levels.count - 1, through: 0, by: -1) {
            weights[l] = w
            let (next, overflow) = w.multipliedReportingOverflow(by: count[l] + 1)
            guard !overflow, next <= room else { return nil }
            w = next
        }
        return weights
    }

    /// Whether this matcher solves the problem: no soft minimum, and exact costs fit.
    static func applies(to problem: MatchingProblem) -> Bool {
        !problem.hasSoftMinimum && levelWeights(problem, active: Array(repeating: true, count: problem.menteeCount)) != nil
    }

    func solve(_ problem: MatchingProblem, limits: SolveLimits, stage: String = "exact solve") -> Result {
        let pairs = problem.pairs
        let n = problem.menteeCount, m = problem.mentorCount
        var residual = problem.capacity
        var lockedMentee = [Bool](repeating: false, count: n)
        for p in problem.locked {
            lockedMentee[Int(pairs.mentee[p])] = true
            residual[Int(pairs.mentor[p])] -= 1
        }
        let active = (0..<n).map { !lockedMentee[$0] && !pairs.pairs(ofMentee: $0).isEmpty }
        guard residual.allSatisfy({ $0 >= 0 }), let weights = Self.levelWeights(problem, active: active) else {
            return Result(termination: .infeasible, selection: [], rounds: 0, loaded: 0, augmentations: 0, work: 0)
        }
        let levelIndex = Dictionary(uniqueKeysWithValues: problem.priorityLevels.enumerated().map { ($1, $0) })
        let menteeHi = (0..<n).map { -weights[levelIndex[problem.priority[$0]]!] }
        let lower = (0..<m).map { i -> Int32 in
            guard problem.hasHardMinimum else { return 0 }
            return Int32(max(0, min(problem.minimum[i] - (problem.capacity[i] - residual[i]), residual[i])))
        }
        let pairCount = pairs.pairCountsByMentor()
        var engine = AugmentingPaths(menteeCount: n, menteeHi: menteeHi, active: active,
                                     places: (0..<m).map { Int32(residual[$0]) - lower[$0] }, lower: lower,
                                     memberLimit: (0..<m).map { min(residual[$0], pairCount[$0]) })
        let locked = problem.locked
        func result(_ t: Result.Termination, rounds: Int, loaded: Int) -> Result {
            Result(termination: t, selection: t == .infeasible ? [] : (engine.selection() + locked).sorted(),
                   rounds: rounds, loaded: loaded, augmentations: engine.augmentations, work: engine.work,
                   searches: engine.searches, settled: engine.settledTotal, repeated: engine.repeatedPhases)
        }
        if sourcesPerPhase > 0 { engine.sourcesPerPhase = sourcesPerPhase }
        if engine.lowerBoundsTooLarge { return result(.infeasible, rounds: 0, loaded: 0) }

        // The first core: everything for small problems, else the best pairs of each side.
        var loaded = 0
        var everything = loadEverything
        func arc(_ p: Int) -> (mentee: Int32, mentor: Int32, cost: Int64, pair: Int32) {
            (pairs.mentee[p], pairs.mentor[p], -Int64(pairs.score[p]), Int32(p))
        }
        if everything {
            var all: [(mentee: Int32, mentor: Int32, cost: Int64, pair: Int32)] = []
            all.reserveCapacity(pairs.count)
            for j in 0..<n where active[j] { for p in pairs.pairs(ofMentee: j) { all.append(arc(p)) } }
            loaded = all.count
            engine.add(all)
        } else {
            var first = FlowMatcher.bestPairs(pairs, perMentee: corePerMentee, of: active)
            if mentorCore { first += FlowMatcher.bestPairsOfMentors(pairs, capacity: residual, of: active) }
            var core = Set<Int>()
            var arcs: [(mentee: Int32, mentor: Int32, cost: Int64, pair: Int32)] = []
            arcs.reserveCapacity(first.count)
            for p in first where core.insert(p).inserted { arcs.append(arc(p)) }
            arcs.sort { ($0.mentee, $0.pair) < ($1.mentee, $1.pair) }
            loaded = arcs.count
            engine.add(arcs)
        }
        var rounds = 0
        while true {
            rounds += 1
            switch engine.run(limits: limits, stage: stage) {
            case .optimal: break
            case .stopped(let kind): return result(.stopped(kind), rounds: rounds, loaded: loaded)
            case .infeasible:
                // A lower bound the loaded pairs cannot meet: load every pair, then decide.
                guard !everything else { return result(.infeasible, rounds: rounds, loaded: loaded) }
                everything = true
                var rest: [(mentee: Int32, mentor: Int32, cost: Int64, pair: Int32)] = []
                for j in 0..<n where active[j] {
                    let have = Set(engine.loadedPairs(ofMentee: j))
                    for p in pairs.pairs(ofMentee: j) where !have.contains(p) { rest.append(arc(p)) }
                }
                loaded += rest.count
                engine.add(rest)
                continue
            }
            if everything { break }
            let (entering, work) = price(problem, engine: engine, active: active)
            if let kind = limits.spend(work, stage: stage) { return result(.stopped(kind), rounds: rounds, loaded: loaded) }
            if entering.isEmpty { break }
            loaded += entering.count
            engine.add(entering.map(arc))
        }
        return result(.optimal, rounds: rounds, loaded: loaded)
    }

    /// The pairs whose reduced cost is negative, at most `enteringPerMentee` per mentee (most
    /// negative first, ties by higher score, then lower index), in mentee order; and the pairs looked at.
    private func price(_ problem: MatchingProblem, engine: AugmentingPaths, active: [Bool]) -> (pairs: [Int], work: Int) {
        let pairs = problem.pairs
        let chunk = 512
        let chunks = (pairs.menteeCount + chunk - 1) / chunk
        var found = [[Int]](repeating: [], count: chunks)
        let limit = enteringPerMentee
        let n = pairs.menteeCount
        found.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                var mine: [Int] = []
                var best: [(cost: AugmentingPaths.Cost, score: Int, pair: Int)] = []
                engine.potential.withUnsafeBufferPointer { potential in
                    pairs.mentor.withUnsafeBufferPointer { mentor in
                        pairs.score.storage.withUnsafeBufferPointer { score in
                            for j in c * chunk ..< min(n, (c + 1) * chunk) where active[j] {
                                best.removeAll(keepingCapacity: true)
                                let own = engine.assignedPair(j) ?? -1
                                let base = AugmentingPaths.Cost(hi: engine.menteeHi[j], lo: 0) + potential[j]
                                for p in pairs.pairs(ofMentee: j) where p != own {
                                    let pi = potential[n + Int(mentor[p])]
                                    let hi = base.hi &- pi.hi
                                    if hi > 0 { continue }
                                    let s = Int(score[p])
                                    let r = AugmentingPaths.Cost(hi: hi, lo: base.lo &- Int64(s) &- pi.lo)
                                    guard r < .zero else { continue }
                                    if best.count == limit {
                                        let worst = best[limit - 1]
                                        guard r < worst.cost || (r == worst.cost && (s > worst.score || (s == worst.score && p < worst.pair))) else { continue }
                                        best.removeLast()
                                    }
                                    let at = best.firstIndex { r < $0.cost || (r == $0.cost && (s > $0.score || (s == $0.score && p < $0.pair))) } ?? best.count
                                    best.insert((r, s, p), at: at)
                                }
                                mine.append(contentsOf: best.map(\.pair))
                            }
                        }
                    }
                }
                out[c] = mine
            }
        }
        var work = 0
        for j in 0..<n where active[j] { work += pairs.pairs(ofMentee: j).count }
        return (found.flatMap { $0 }, work)
    }
}
