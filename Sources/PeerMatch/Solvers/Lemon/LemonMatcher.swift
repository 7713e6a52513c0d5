import CLemon
import Foundation

/// The exact lexicographic optimum by one of LEMON's minimum-cost-flow algorithms (Debian's
/// liblemon-dev, through the C shim `CLemon`): NetworkSimplex, CostScaling or CapacityScaling.
/// The only file that imports `CLemon`.
///
/// Same network and column generation as ``PathMatcher`` (core of each side's best pairs, every
/// pair priced from the potentials, negative reduced costs enter), but LEMON takes one integer
/// cost per arc, so the two words of the lexicographic cost become w(level)·R − score with R
/// above twice the largest total score, and LEMON starts afresh on each round (it keeps no
/// state between runs and has no deadline: a round runs to its end).
struct LemonMatcher {
    enum Algorithm: String, CaseIterable, Sendable {
        case networkSimplex = "network simplex", costScaling = "cost scaling", capacityScaling = "capacity scaling"
        var code: clemon_algorithm {
            switch self {
            case .networkSimplex: return CLEMON_NETWORK_SIMPLEX
            case .costScaling: return CLEMON_COST_SCALING
            case .capacityScaling: return CLEMON_CAPACITY_SCALING
            }
        }
    }

    var algorithm: Algorithm = .networkSimplex
    var corePerMentee = 12
    var enteringPerMentee = 8
    var mentorCore = true
    /// Load every candidate pair at once (no column generation).
    var everything = false

    struct Result {
        typealias Termination = NetworkTermination
        var termination: Termination
        var selection: [Int]
        var rounds: Int
        var loaded: Int
    }

    /// One LEMON run on explicit arrays.
    static func minCostFlow(_ algorithm: Algorithm, nodes: Int, source: [Int32], target: [Int32], lower: [Int64],
                            upper: [Int64], cost: [Int64], supply: [Int64]) -> (status: clemon_status, flow: [Int64], potential: [Int64]) {
        var flow = [Int64](repeating: 0, count: source.count), potential = [Int64](repeating: 0, count: nodes)
        let status = clemon_min_cost_flow(algorithm.code, Int32(nodes), Int32(source.count), source, target, lower, upper,
                                          cost, supply, &flow, &potential)
        return (status, flow, potential)
    }

    func solve(_ problem: MatchingProblem, limits: SolveLimits, stage: String = "exact solve") -> Result {
        let pairs = problem.pairs
        let n = problem.menteeCount, m = problem.mentorCount
        var residual = problem.capacity
        var lockedMentee = [Bool](repeating: false, count: n)
        for p in problem.locked { lockedMentee[Int(pairs.mentee[p])] = true; residual[Int(pairs.mentor[p])] -= 1 }
        let active = (0..<n).map { !lockedMentee[$0] && !pairs.pairs(ofMentee: $0).isEmpty }
        guard residual.allSatisfy({ $0 >= 0 }) else { return Result(termination: .infeasible, selection: [], rounds: 0, loaded: 0) }
        guard let weights = PathMatcher.levelWeights(problem, active: active) else {
            return Result(termination: .tooLarge, selection: [], rounds: 0, loaded: 0)
        }
        // R above twice the largest total |score|: the score word never outweighs one count.
        var scoreRange: Int64 = 0
        for j in 0..<n where active[j] {
            var most: Int64 = 0
            for p in pairs.pairs(ofMentee: j) { most = max(most, abs(Int64(pairs.score[p]))) }
            scoreRange += most
        }
        let R = 2 * scoreRange + 1
        let nodes = n + m + 1, T = n + m
        let (top, overflow) = (weights.first ?? 1).multipliedReportingOverflow(by: R)
        guard !overflow, top < (Int64(1) << 62) / Int64(nodes + 1) else {
            return Result(termination: .tooLarge, selection: [], rounds: 0, loaded: 0)
        }
        let levelIndex = Dictionary(uniqueKeysWithValues: problem.priorityLevels.enumerated().map { ($1, $0) })
        let hi = (0..<n).map { weights[levelIndex[problem.priority[$0]]!] * R }
        let lower = (0..<m).map { i -> Int64 in
            guard problem.hasHardMinimum else { return 0 }
            return Int64(max(0, min(problem.minimum[i] - (problem.capacity[i] - residual[i]), residual[i])))
        }
        // Fixed arcs: each active mentee's unmatched arc, each mentor's arc to T.
        var source: [Int32] = [], target: [Int32] = [], lo: [Int64] = [], up: [Int64] = [], cost: [Int64] = []
        for j in 0..<n where active[j] { source.append(Int32(j)); target.append(Int32(T)); lo.append(0); up.append(1); cost.append(0) }
        for i in 0..<m where residual[i] > 0 {
            source.append(Int32(n + i)); target.append(Int32(T)); lo.append(lower[i]); up.append(Int64(residual[i])); cost.append(0)
        }
        let fixed = source.count
        var supply = [Int64](repeating: 0, count: nodes)
        for j in 0..<n where active[j] { supply[j] = 1 }
        supply[T] = -Int64(active.lazy.filter { $0 }.count)
        var loadedPairs: [Int] = []
        func load(_ p: Int) {
            source.append(pairs.mentee[p]); target.append(Int32(n) + pairs.mentor[p]); lo.append(0); up.append(1)
            cost.append(-(hi[Int(pairs.mentee[p])] + Int64(pairs.score[p])))
            loadedPairs.append(p)
        }
        if everything {
            for j in 0..<n where active[j] { for p in pairs.pairs(ofMentee: j) { load(p) } }
        } else {
            var first = FlowMatcher.bestPairs(pairs, perMentee: corePerMentee, of: active)
            if mentorCore { first += FlowMatcher.bestPairsOfMentors(pairs, capacity: residual, of: active) }
            var seen = Set<Int>()
            for p in first.sorted() where seen.insert(p).inserted { load(p) }
        }
        var rounds = 0
        var selection: [Int] = []
        var triedEverything = everything
        while true {
            rounds += 1
            if let kind = limits.check(stage: stage) {
                return Result(termination: .stopped(kind), selection: problem.locked, rounds: rounds, loaded: loadedPairs.count)
            }
            let run = Self.minCostFlow(algorithm, nodes: nodes, source: source, target: target, lower: lo, upper: up, cost: cost, supply: supply)
            if run.status == CLEMON_INFEASIBLE {
                guard !triedEverything else { return Result(termination: .infeasible, selection: [], rounds: rounds, loaded: loadedPairs.count) }
                triedEverything = true
                let have = Set(loadedPairs)
                for j in 0..<n where active[j] { for p in pairs.pairs(ofMentee: j) where !have.contains(p) { load(p) } }
                continue
            }
            guard run.status == CLEMON_OPTIMAL else { return Result(termination: .failed("LEMON reported an error"), selection: [], rounds: rounds, loaded: loadedPairs.count) }
            selection = (0..<loadedPairs.count).filter { run.flow[fixed + $0] > 0 }.map { loadedPairs[$0] }
            if triedEverything { break }
            // Price every pair left out: cost + π(mentee) − π(mentor) < 0 enters.
            var assignedPair = [Int](repeating: -1, count: n)
            for p in selection { assignedPair[Int(pairs.mentee[p])] = p }
            let own = assignedPair
            let potential = run.potential
            let chunk = 512, chunks = (n + chunk - 1) / chunk
            var found = [[Int]](repeating: [], count: chunks)
            let limit = enteringPerMentee
            let loadedSet = Set(loadedPairs)
            found.withUnsafeMutableBufferPointer { out in
                nonisolated(unsafe) let out = out
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    var mine: [Int] = []
                    var best: [(Int64, Int)] = []
                    for j in c * chunk ..< min(n, (c + 1) * chunk) where active[j] {
                        best.removeAll(keepingCapacity: true)
                        for p in pairs.pairs(ofMentee: j) where p != own[j] {
                            let r = -(hi[j] + Int64(pairs.score[p])) + potential[j] - potential[n + Int(pairs.mentor[p])]
                            guard r < 0, !loadedSet.contains(p) else { continue }
                            if best.count == limit { if (r, p) >= best[limit - 1] { continue }; best.removeLast() }
                            best.insert((r, p), at: best.firstIndex { (r, p) < $0 } ?? best.count)
                        }
                        mine.append(contentsOf: best.map(\.1))
                    }
                    out[c] = mine
                }
            }
            let entering = found.flatMap { $0 }
            var work = 0
            for j in 0..<n where active[j] { work += pairs.pairs(ofMentee: j).count }
            if let kind = limits.spend(work, stage: stage) {
                return Result(termination: .stopped(kind), selection: (selection + problem.locked).sorted(), rounds: rounds, loaded: loadedPairs.count)
            }
            if entering.isEmpty { break }
            for p in entering { load(p) }
        }
        return Result(termination: .optimal, selection: (selection + problem.locked).sorted(), rounds: rounds, loaded: loadedPairs.count)
    }
}
