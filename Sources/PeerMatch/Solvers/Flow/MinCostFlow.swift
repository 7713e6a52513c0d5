import DequeModule
import Foundation
import HeapModule

/// Minimum-cost flow by cost scaling (Goldberg and Tarjan's push–relabel with ε-scaling), on
/// integer costs, exact.
///
/// Written here because none of the libraries we may use serves a network this size: Debian's
/// GLPK ships RELAX-IV compiled out (it aborts when called), its out-of-kilter code took 108 s on
/// a 1,000-mentee cohort, and its primal simplex needs 32 s on the 46,000 columns of a
/// 5,000-mentee core and does not finish the 20,000-mentee one in ten minutes.
///
/// Costs are multiplied by `slack`·(nodes + 1) on entry. A flow that is `slack`-optimal in scaled
/// costs (every residual arc has reduced cost ≥ −slack) is then ε-optimal with ε = 1/(nodes + 1)
/// < 1/nodes in the original integer costs, hence optimal. Solves go down to 1-optimal, so arcs
/// added later may be up to `slack` below zero without costing another round. Prices stay with
/// the object: arcs may be added after a solve and ``solve(from:limits:stage:)`` continues from the
/// current flow and prices (column generation).
struct MinCostFlow {
    let nodeCount: Int
    private(set) var tail: [Int32] = []
    private(set) var head: [Int32] = []
    private(set) var capacity: [Int32] = []
    private(set) var flow: [Int32] = []
    /// Scaled cost of each arc.
    private(set) var cost: [Int64] = []
    /// Node prices; reduced cost of arc (v, w) is cost + price[v] − price[w].
    private(set) var price: [Int64]
    private var supply: [Int64]
    /// The factor every cost is multiplied by.
    let scale: Int64
    /// How far below zero (scaled) a reduced cost may be while the flow is still proven optimal.
    static let slack: Int64 = 64
    /// Push and relabel operations of all solves, for the statistics.
    private(set) var pushes = 0
    private(set) var relabels = 0

    /// Largest |cost| (before scaling) this network accepts without risking overflow of prices.
    static func maximumCost(nodes: Int) -> Int64 { Int64(1) << 60 / (Int64(nodes + 1) * Int64(nodes + 1) * 8 * slack) }

    init(nodes: Int) {
        nodeCount = nodes
        price = Array(repeating: 0, count: nodes)
        supply = Array(repeating: 0, count: nodes)
        scale = Int64(nodes + 1) * Self.slack
    }

    mutating func setSupply(_ node: Int, _ amount: Int) { supply[node] = Int64(amount) }

    /// Adds an arc with flow 0 and returns its index.
    @discardableResult
    mutating func addArc(from v: Int, to w: Int, capacity cap: Int, cost c: Int64) -> Int {
        precondition(v != w && cap >= 0)
        tail.append(Int32(v)); head.append(Int32(w)); capacity.append(Int32(cap)); flow.append(0)
        cost.append(c * scale)
        return tail.count - 1
    }

    func reducedCost(_ a: Int) -> Int64 { cost[a] + price[Int(tail[a])] - price[Int(head[a])] }

    /// The reduced cost, in scaled units, that an arc from v to w of the given (unscaled) cost would have.
    func reducedCost(from v: Int, to w: Int, cost c: Int64) -> Int64 { c * scale + price[v] - price[w] }

    /// Total cost of the current flow, unscaled.
    var totalCost: Int64 {
        var s: Int64 = 0
        for a in 0..<tail.count where flow[a] != 0 { s += Int64(flow[a]) * (cost[a] / scale) }
        return s
    }

    enum Outcome { case optimal, stopped(SolveLimits.Kind), infeasible }

    /// Makes the flow optimal for the current arcs. `start` is an ε (scaled units) for which the
    /// current flow and prices are ε-optimal; nil means the largest scaled cost (any prices are).
    mutating func solve(from start: Int64? = nil, limits: SolveLimits, stage: String) -> Outcome {
        var epsilon = start ?? max(1, cost.lazy.map { abs($0) }.max() ?? 1)
        let alpha: Int64 = 8
        // Generous guard on how far a price may fall before the network is declared infeasible
        // (a feasible network never needs prices below about 3·nodes·ε summed over phases).
        let floor = (price.min() ?? 0) - Int64(nodeCount + 2) * 8 * max(epsilon, scale)
        var work = Work(self)
        repeat {
            epsilon = max(1, epsilon / alpha)
            switch refine(epsilon, &work, floor: floor, limits: limits, stage: stage) {
            case .optimal: continue
            case let other: return other
            }
        } while epsilon > 1
        return .optimal
    }

    /// Adjacency of the residual network: for each node its half-arcs, 2a for arc a forwards and
    /// 2a + 1 backwards. Built afresh by each solve, since arcs may have been added in between.
    private struct Work {
        var start: [Int32]
        var halfArcs: [Int32]
        var excess: [Int64]
        var current: [Int32]

        init(_ f: MinCostFlow) {
            let n = f.nodeCount
            var degree = [Int32](repeating: 0, count: n + 1)
            for a in 0..<f.tail.count { degree[Int(f.tail[a]) + 1] += 1; degree[Int(f.head[a]) + 1] += 1 }
            for v in 0..<n { degree[v + 1] += degree[v] }
            start = degree
            var fill = degree
            halfArcs = [Int32](repeating: 0, count: 2 * f.tail.count)
            for a in 0..<f.tail.count {
                let t = Int(f.tail[a]), h = Int(f.head[a])
                halfArcs[Int(fill[t])] = Int32(2 * a); fill[t] += 1
                halfArcs[Int(fill[h])] = Int32(2 * a + 1); fill[h] += 1
            }
            excess = f.supply
            for a in 0..<f.tail.count where f.flow[a] != 0 {
                excess[Int(f.tail[a])] -= Int64(f.flow[a]); excess[Int(f.head[a])] += Int64(f.flow[a])
            }
            current = Array(start.dropLast())
        }
    }

    /// One ε-phase: saturate every residual arc of negative reduced cost, then push excess along
    /// admissible arcs (reduced cost < 0) and relabel, first in, first out, until no node has excess.
    private mutating func refine(_ epsilon: Int64, _ w: inout Work, floor: Int64, limits: SolveLimits, stage: String) -> Outcome {
        for a in 0..<tail.count {
            let rc = reducedCost(a)
            let t = Int(tail[a]), h = Int(head[a])
            if rc < 0, flow[a] < capacity[a] {
                let d = Int64(capacity[a] - flow[a])
                flow[a] = capacity[a]; w.excess[t] -= d; w.excess[h] += d
            } else if rc > 0, flow[a] > 0 {
                let d = Int64(flow[a])
                flow[a] = 0; w.excess[t] += d; w.excess[h] -= d
            }
        }
        guard priceUpdate(epsilon, &w) else { return .infeasible }
        var queue = Deque<Int32>()
        var queued = [Bool](repeating: false, count: nodeCount)
        for v in 0..<nodeCount where w.excess[v] > 0 { queue.append(Int32(v)); queued[v] = true }
        for v in 0..<nodeCount { w.current[v] = w.start[v] }
        var steps = 0
        var relabelsSinceUpdate = 0
        while let v32 = queue.popFirst() {
            let v = Int(v32)
            queued[v] = false
            // Discharge v.
            while w.excess[v] > 0 {
                steps += 1
                // The limits are read every 1,024 steps (a push, a relabel or an arc scanned) and the
                // work spent in those whole blocks, so a work limit cuts at the same step each run.
                if steps & 0x3FF == 0, let kind = limits.spend(0x400, stage: stage) { return .stopped(kind) }
                let k = Int(w.current[v])
                if k == Int(w.start[v + 1]) {
                    // Relabel: the highest price that makes some residual arc admissible by ε.
                    var best = Int64.min
                    for q in Int(w.start[v]) ..< Int(w.start[v + 1]) {
                        let h = Int(w.halfArcs[q]), a = h >> 1
                        if h & 1 == 0 {
                            if flow[a] < capacity[a] { best = max(best, price[Int(head[a])] - cost[a]) }
                        } else if flow[a] > 0 {
                            best = max(best, price[Int(tail[a])] + cost[a])
                        }
                    }
                    guard best != Int64.min else { return .infeasible }
                    price[v] = best - epsilon
                    relabels += 1
                    relabelsSinceUpdate += 1
                    if relabelsSinceUpdate > nodeCount {
                        relabelsSinceUpdate = 0
                        guard priceUpdate(epsilon, &w) else { return .infeasible }
                        for u in 0..<nodeCount { w.current[u] = w.start[u] }
                    }
                    if price[v] < floor { return .infeasible }
                    w.current[v] = w.start[v]
                    continue
                }
                let h = Int(w.halfArcs[k]), a = h >> 1
                let forward = h & 1 == 0
                let to = Int(forward ? head[a] : tail[a])
                let residual = forward ? capacity[a] - flow[a] : flow[a]
                let rc = forward ? cost[a] + price[v] - price[to] : -cost[a] + price[v] - price[to]
                guard residual > 0, rc < 0 else { w.current[v] += 1; continue }
                let d = min(w.excess[v], Int64(residual))
                flow[a] += forward ? Int32(d) : -Int32(d)
                w.excess[v] -= d
                w.excess[to] += d
                pushes += 1
                if w.excess[to] > 0, !queued[to] { queue.append(Int32(to)); queued[to] = true }
            }
        }
        _ = limits.spend(steps & 0x3FF, stage: stage)
        return .optimal
    }

    /// Goldberg's global price update: lowers every node's price by ε times its distance to the
    /// nearest node with a deficit, arc (v, w) counting ⌊rc/ε⌋ + 1, so excess finds an admissible
    /// path at once instead of by many single relabels. Keeps ε-optimality (the distances are
    /// shortest). False when some excess cannot reach any deficit (the network is infeasible).
    private mutating func priceUpdate(_ epsilon: Int64, _ w: inout Work) -> Bool {
        let unreached = Int64.max
        var distance = [Int64](repeating: unreached, count: nodeCount)
        var heap = Heap<Pair>()
        for v in 0..<nodeCount where w.excess[v] < 0 { distance[v] = 0; heap.insert(Pair(distance: 0, node: Int32(v))) }
        var farthest: Int64 = 0
        var excessLeft = 0
        for v in 0..<nodeCount where w.excess[v] > 0 { excessLeft += 1 }
        // Backwards from the deficits: a residual arc (u, v) gives u the distance d(v) + ⌊rc/ε⌋ + 1.
        while excessLeft > 0, let top = heap.popMin() {
            let v = Int(top.node)
            guard top.distance == distance[v] else { continue }
            farthest = top.distance
            if w.excess[v] > 0 { excessLeft -= 1 }
            for q in Int(w.start[v]) ..< Int(w.start[v + 1]) {
                let h = Int(w.halfArcs[q]), a = h >> 1
                // The half-arc at v stands for the residual arc into v from its other end u.
                let u: Int, rc: Int64
                if h & 1 == 1 {
                    // v is the head of arc a: residual u → v forwards if not full.
                    guard flow[a] < capacity[a] else { continue }
                    u = Int(tail[a]); rc = cost[a] + price[u] - price[v]
                } else {
                    // v is the tail of arc a: residual u → v backwards if it carries flow.
                    guard flow[a] > 0 else { continue }
                    u = Int(head[a]); rc = -cost[a] + price[u] - price[v]
                }
                // ⌊rc/ε⌋ + 1, with rc ≥ −ε (ε-optimality): 0 for a negative rc.
                let d = top.distance + (rc < 0 ? 0 : rc / epsilon + 1)
                if d < distance[u] { distance[u] = d; heap.insert(Pair(distance: d, node: Int32(u))) }
            }
        }
        if excessLeft > 0 { return false }
        for v in 0..<nodeCount {
            let d = distance[v] == unreached ? farthest : min(distance[v], farthest)
            price[v] -= d * epsilon
        }
        return true
    }

    private struct Pair: Comparable {
        var distance: Int64
        var node: Int32
        static func < (a: Pair, b: Pair) -> Bool { (a.distance, a.node) < (b.distance, b.node) }
    }
}
