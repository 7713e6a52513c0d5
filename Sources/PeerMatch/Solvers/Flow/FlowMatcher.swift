import Foundation

/// The exact lexicographic optimum of a matching problem without a soft mentor minimum, by a sequence
/// of min-cost flows with column generation over the candidate pairs: for cohorts too large for
/// GLPK's simplex.
///
/// The stages are those of ``MatchingModel``, each a network:
/// - for each priority level l, highest first: maximise the level-l mentees matched, the levels
///   above held at their optimum. Nodes: mentees, mentors, a sink T and one node per level above
///   l with supply N (its optimum), an arc to each of its mentees; each level-l mentee has supply 1
///   and an arc to T ("unmatched"); pair arcs cost −1 for level-l mentees and 0 for those above;
///   mentor i reaches T through an arc of capacity(i);
/// - the total score: every level held at its optimum, pair arcs cost −score.
///
/// A hard minimum is a lower bound on mentor i's arc to T; the count stages then also carry the
/// lower-priority mentees (supply 1, cost 0), who may be needed to fill it.
///
/// Each stage starts on a core of pairs (each mentee's and each mentor's best by score, and every
/// pair a stage has used) and prices all the others from the node prices after each solve: a pair
/// left out whose reduced cost is below −``MinCostFlow/slack`` (scaled) enters, and the flow
/// continues from where it was. When none does, the flow is optimal over every candidate pair: the
/// stage's optimum is proven, not estimated.
struct FlowMatcher {
    /// Pairs per mentee in the first core.
    var corePerMentee = 12
    /// At most this many entering pairs per mentee and pricing round.
    var enteringPerMentee = 8
    /// Also start from each mentor's best pairs (tests switch it off to force pricing rounds).
    var mentorCore = true

    struct Result {
        enum Termination {
            case optimal, stopped(SolveLimits.Kind), failed(String)
            /// With a hard minimum, no flow on the pairs loaded so far meets it; the whole problem
            /// may still be feasible (branch-and-cut decides).
            case minimumNotMetOnCore
        }
        var termination: Termination
        /// Selected pair indices (locked pairs included), sorted; empty unless optimal.
        var selection: [Int]
        /// Value of each completed stage: matched per level, then the total score.
        var stageValues: [Int]
        var rounds: Int
        var coreSize: Int
        var pushes: Int
        var relabels: Int
    }

    /// Whether this matcher solves the problem: no soft mentor minimum (a hard one is a lower
    /// bound on an arc), scores small enough for exact integer prices.
    static func applies(to problem: MatchingProblem) -> Bool {
        if problem.hasSoftMinimum { return false }
        let nodes = problem.menteeCount + problem.mentorCount + 1 + problem.priorityLevels.count
        let limit = MinCostFlow.maximumCost(nodes: nodes)
        return problem.pairs.score.allSatisfy { abs(Int64($0)) <= limit }
    }

    func solve(_ problem: MatchingProblem, limits: SolveLimits, stage stageName: String = "exact solve") -> Result {
        let pairs = problem.pairs
        let n = problem.menteeCount, m = problem.mentorCount
        let levels = problem.priorityLevels
        let levelOf = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, $0) })
        let level = problem.priority.map { levelOf[$0]! }
        var residual = problem.capacity
        var lockedMentee = [Bool](repeating: false, count: n)
        var lockedAtLevel = [Int](repeating: 0, count: levels.count)
        for p in problem.locked {
            let j = Int(pairs.mentee[p])
            lockedMentee[j] = true
            residual[Int(pairs.mentor[p])] -= 1
            lockedAtLevel[level[j]] += 1
        }
        if let i = residual.firstIndex(where: { $0 < 0 }) {
            return Result(termination: .failed("mentor \(i) has more locked pairs than places"), selection: [], stageValues: [],
                          rounds: 0, coreSize: 0, pushes: 0, relabels: 0)
        }
        let free = (0..<n).map { !lockedMentee[$0] && !pairs.pairs(ofMentee: $0).isEmpty }
        // A hard minimum: mentor i must still take this many (its arc to T has this lower bound).
        let hardMinimum = problem.hasHardMinimum
        let lower = (0..<m).map { hardMinimum ? max(0, min(problem.minimum[$0] - (problem.capacity[$0] - residual[$0]), residual[$0])) : 0 }
        var core = CoreSet(pairCount: pairs.count)
        for p in Self.bestPairs(pairs, perMentee: corePerMentee, of: free) { core.insert(p) }
        if mentorCore { for p in Self.bestPairsOfMentors(pairs, capacity: residual, of: free) { core.insert(p) } }

        var stageValues: [Int] = []
        var matchedAtLevel: [Int] = []   // unlocked mentees matched, per completed level
        var rounds = 0, pushes = 0, relabels = 0
        var selection: [Int] = []
        for stage in 0...levels.count {
            let scoring = stage == levels.count
            // Mentees in this stage: levels above (held) and the current one; all when scoring, and
            // with a hard minimum (lower levels may be needed to fill it; they count 0 here).
            let active = (0..<n).map { free[$0] && (scoring || hardMinimum || level[$0] <= stage) }
            let T = n + m, firstLevelNode = n + m + 1
            var net = MinCostFlow(nodes: n + m + 1 + levels.count)
            var arcPair: [Int] = []   // pair of each arc, −1 for the others
            // A pair's cost in this stage: −score, or −1 for a mentee of the level being counted.
            let stageCost: @Sendable (Int) -> Int64 = { p in
                scoring ? -Int64(pairs.score[p]) : (level[Int(pairs.mentee[p])] == stage ? -1 : 0)
            }
            func addPairArc(_ p: Int) {
                net.addArc(from: Int(pairs.mentee[p]), to: n + Int(pairs.mentor[p]), capacity: 1, cost: stageCost(p))
                arcPair.append(p)
            }
            var sinkDemand = 0
            for l in 0..<levels.count where scoring || l < stage {
                net.setSupply(firstLevelNode + l, matchedAtLevel[l])
                sinkDemand += matchedAtLevel[l]
            }
            for j in 0..<n where active[j] {
                if !scoring && level[j] >= stage {
                    net.setSupply(j, 1)
                    net.addArc(from: j, to: T, capacity: 1, cost: 0)
                    sinkDemand += 1
                } else {
                    net.addArc(from: firstLevelNode + level[j], to: j, capacity: 1, cost: 0)
                }
                arcPair.append(-1)
            }
            // Lower bounds by substitution: x = x' + lower, the mentor node owing `lower` to T.
            for i in 0..<m where residual[i] > 0 {
                if lower[i] > 0 { net.setSupply(n + i, -lower[i]) }
                if residual[i] > lower[i] {
                    net.addArc(from: n + i, to: T, capacity: residual[i] - lower[i], cost: 0)
                    arcPair.append(-1)
                }
            }
            net.setSupply(T, -sinkDemand + lower.reduce(0, +))
            for p in core.members where active[Int(pairs.mentee[p])] { addPairArc(p) }

            var start: Int64? = nil
            while true {
                rounds += 1
                switch net.solve(from: start, limits: limits, stage: stageName) {
                case .optimal: break
                case .stopped(let kind):
                    return Result(termination: .stopped(kind), selection: [], stageValues: stageValues, rounds: rounds,
                                  coreSize: core.count, pushes: pushes + net.pushes, relabels: relabels + net.relabels)
                case .infeasible:
                    return Result(termination: hardMinimum ? .minimumNotMetOnCore : .failed("the flow network of stage \(stage + 1) was infeasible"), selection: [],
                                  stageValues: stageValues, rounds: rounds, coreSize: core.count,
                                  pushes: pushes + net.pushes, relabels: relabels + net.relabels)
                }
                // A count stage that matched every mentee of its level cannot do better.
                if !scoring {
                    var unmatched = false
                    for a in 0..<arcPair.count where arcPair[a] < 0 && Int(net.head[a]) == T && Int(net.tail[a]) < n
                        && level[Int(net.tail[a])] == stage && net.flow[a] > 0 {
                        unmatched = true; break
                    }
                    if !unmatched { break }
                }
                let entering = price(pairs, net: net, active: active, core: core, mentorNode: n, cost: stageCost)
                if entering.pairs.isEmpty { break }
                for p in entering.pairs { core.insert(p); addPairArc(p) }
                start = entering.worst
            }
            pushes += net.pushes; relabels += net.relabels
            var chosen: [Int] = []
            for a in 0..<arcPair.count where arcPair[a] >= 0 && net.flow[a] > 0 { chosen.append(arcPair[a]) }
            if scoring {
                selection = (chosen + problem.locked).sorted()
                stageValues.append(selection.reduce(0) { $0 + pairs.score[$1] })
            } else {
                let count = chosen.filter { level[Int(pairs.mentee[$0])] == stage }.count
                matchedAtLevel.append(count)
                stageValues.append(count + lockedAtLevel[stage])
            }
        }
        return Result(termination: .optimal, selection: selection, stageValues: stageValues, rounds: rounds,
                      coreSize: core.count, pushes: pushes, relabels: relabels)
    }

    /// The pairs left out whose reduced cost is below −``MinCostFlow/slack`` (scaled), at most `enteringPerMentee`
    /// per mentee (most negative first), and the most negative reduced cost among them.
    private func price(_ pairs: CandidatePairs, net: MinCostFlow, active: [Bool], core: CoreSet, mentorNode: Int,
                       cost: @Sendable (Int) -> Int64) -> (pairs: [Int], worst: Int64) {
        let chunk = 512
        let chunks = (pairs.menteeCount + chunk - 1) / chunk
        var found = [[Int]](repeating: [], count: chunks)
        var worst = [Int64](repeating: 0, count: chunks)
        let limit = enteringPerMentee
        found.withUnsafeMutableBufferPointer { out in
            worst.withUnsafeMutableBufferPointer { low in
                nonisolated(unsafe) let out = out, low = low
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    var mine: [Int] = [], lowest: Int64 = 0
                    // Most negative reduced cost first; ties (common in the count stages) by higher score.
                    var best = SmallestKeys(limit: limit)
                    for j in c * chunk ..< min(pairs.menteeCount, (c + 1) * chunk) where active[j] {
                        best.removeAll()
                        for p in pairs.pairs(ofMentee: j) where !core.contains(p) {
                            let rc = net.reducedCost(from: j, to: mentorNode + Int(pairs.mentor[p]), cost: cost(p))
                            guard rc < -MinCostFlow.slack else { continue }
                            best.offer(RankedPair(first: rc, second: -pairs.score[p], pair: p))
                        }
                        for key in best.keys { mine.append(key.pair); lowest = min(lowest, key.first) }
                    }
                    out[c] = mine; low[c] = lowest
                }
            }
        }
        return (found.flatMap { $0 }, -(worst.min() ?? 0))
    }

    /// Each mentor's 2·capacity + 2 best pairs by score (ties: ``tieKey(mentor:mentee:)``) among the
    /// included mentees. Without them a core of each mentee's favourites crowds onto the popular
    /// mentors, and the count stages spend round after round finding the others (20,000 mentees:
    /// six rounds adding 150,000 pairs each).
    ///
    /// One pass over every candidate pair (97.7 million at 20,000 × 6,700, where this took 2 CPU s
    /// on one core before the solve could start, outside any limit's checks), so: the mentees are
    /// split into chunks scanned on every core, each with its own per-mentor best, merged at the
    /// end (the `limit` smallest keys of a total order are the same however the pairs were split,
    /// so the core is too); and a pair scoring below a full list's worst is passed over on its
    /// score alone, before its tie key is computed.
    /// `pairsPerChunk`: about how many pairs make one chunk (tests split tiny problems).
    static func bestPairsOfMentors(_ pairs: CandidatePairs, capacity: [Int], of include: [Bool],
                                   pairsPerChunk: Int = 200_000) -> [Int] {
        let limit = capacity.map { 2 * max(0, $0) + 2 }
        let n = pairs.menteeCount, m = capacity.count
        let chunks = max(1, min(4 * ProcessInfo.processInfo.activeProcessorCount, n, pairs.count / max(1, pairsPerChunk)))
        let size = (n + chunks - 1) / max(1, chunks)
        var parts = [[SmallestKeys]](repeating: [], count: chunks)
        parts.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                var best = limit.map { SmallestKeys(limit: $0) }
                // The score a pair must reach to enter a mentor's full list (its worst key's).
                var entry = [Int32](repeating: .min, count: m)
                pairs.mentor.withUnsafeBufferPointer { mentor in
                    pairs.score.storage.withUnsafeBufferPointer { score in
                        for j in min(n, c * size) ..< min(n, (c + 1) * size) where include[j] {
                            for p in pairs.pairs(ofMentee: j) {
                                let i = Int(mentor[p])
                                guard score[p] >= entry[i] else { continue }
                                best[i].offer(.byScore(p, pairs))
                                if let worst = best[i].worstWhenFull { entry[i] = Int32(-worst.first) }
                            }
                        }
                    }
                }
                out[c] = best
            }
        }
        var merged: [Int] = []
        for i in 0..<m {
            var best = SmallestKeys(limit: limit[i])
            for part in parts { for key in part[i].keys { best.offer(key) } }
            merged.append(contentsOf: best.keys.map(\.pair))
        }
        return merged
    }

    /// Each listed mentee's `perMentee` best pairs by score (ties: ``tieKey(mentor:mentee:)``), ascending
    /// per mentee. Read from the short lists kept with the pairs when they are long enough.
    static func bestPairs(_ pairs: CandidatePairs, perMentee k: Int, of include: [Bool]) -> [Int] {
        var out: [Int] = []
        var best = SmallestKeys(limit: k)
        for j in 0..<pairs.menteeCount where include[j] {
            let r = pairs.pairs(ofMentee: j)
            if r.count <= k { out.append(contentsOf: r); continue }
            if k <= CandidatePairs.shortListLength {
                out.append(contentsOf: pairs.bestPairs(ofMentee: j).prefix(k).map(Int.init).sorted())
                continue
            }
            best.removeAll()
            for p in r { best.offer(.byScore(p, pairs)) }
            out.append(contentsOf: best.keys.map(\.pair).sorted())
        }
        return out
    }
}

/// A pair ranked by (first, second, pair index), smallest first.
private struct RankedPair: Comparable {
    var first: Int64
    var second: Int
    var pair: Int
    /// Best score first, ties by ``tieKey(mentor:mentee:)``, then lower pair index.
    static func byScore(_ p: Int, _ pairs: CandidatePairs) -> RankedPair {
        RankedPair(first: -Int64(pairs.score[p]), second: Int(tieKey(mentor: pairs.mentor[p], mentee: pairs.mentee[p])), pair: p)
    }
    static func < (a: RankedPair, b: RankedPair) -> Bool { (a.first, a.second, a.pair) < (b.first, b.second, b.pair) }
}

/// The `limit` smallest keys offered, in order: a short sorted array (limits here are 8 to 64,
/// and most offers fail the first comparison).
private struct SmallestKeys {
    let limit: Int
    private(set) var keys: [RankedPair] = []
    init(limit: Int) { self.limit = limit }
    mutating func offer(_ key: RankedPair) {
        guard limit > 0 else { return }
        if keys.count == limit {
            if key >= keys[limit - 1] { return }
            keys.removeLast()
        }
        keys.insert(key, at: keys.firstIndex { key < $0 } ?? keys.count)
    }
    mutating func removeAll() { keys.removeAll(keepingCapacity: true) }
    /// The largest key kept, once `limit` are kept (a key must be smaller to enter).
    var worstWhenFull: RankedPair? { keys.count == limit && limit > 0 ? keys[limit - 1] : nil }
}

/// Pair indices in the core, as a bit set (one bit per candidate pair) and a list in insertion order.
private struct CoreSet {
    private var bits: [UInt64]
    private(set) var members: [Int] = []
    var count: Int { members.count }

    init(pairCount: Int) { bits = Array(repeating: 0, count: (pairCount + 63) / 64) }

    func contains(_ p: Int) -> Bool { bits[p >> 6] >> UInt64(p & 63) & 1 == 1 }

    mutating func insert(_ p: Int) {
        guard !contains(p) else { return }
        bits[p >> 6] |= 1 << UInt64(p & 63)
        members.append(p)
    }
}
