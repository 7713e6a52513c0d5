/// Successive shortest augmenting paths (Dijkstra on reduced costs with node potentials) for the
/// transportation network behind a matching: mentees with supply 1, mentors with a capacity and
/// an optional lower bound, and one sink T that takes every unmatched mentee (an "unmatched" arc
/// of cost 0) and every mentor's places. Costs are exact pairs of integers compared
/// lexicographically (``Cost``), so the lexicographic objective (matched mentees per priority
/// level, then the total score) is one cost with no big-M and no rounding.
///
/// Hand-written because it is the method of choice for assignment-like networks and none of the
/// libraries we may use has it with what PeerMatch needs: LEMON's network simplex and cost
/// scaling (measured beside this in `Benchmarks/`) restart from nothing after each round of
/// column generation, take one integer cost, and cannot be stopped by a deadline; this engine
/// keeps its potentials and matching when pairs are added, and checks the shared ``SolveLimits``.
///
/// Invariant: every residual arc has a non-negative reduced cost c(a,b) + φ(a) − φ(b). A free
/// mentee (excess 1) is routed to the nearest deficit (T while it still lacks flow, or a mentor
/// below its lower bound) by Dijkstra; potentials then move by the distances, which keeps the
/// invariant; when no mentee is free the flow is a min-cost flow of the loaded arcs. Arcs may be
/// added later (column generation): a mentee whose new arc has a negative reduced cost is
/// unassigned and its potential raised, which restores the invariant, and it is routed again.
struct AugmentingPaths {
    /// A lexicographic cost: `hi` carries the matched counts, `lo` the score. An ordered group
    /// under componentwise addition, so Dijkstra and potentials work on it unchanged.
    struct Cost: Comparable, Sendable {
        var hi: Int64
        var lo: Int64
        static let zero = Cost(hi: 0, lo: 0)
        @inline(__always) static func < (a: Cost, b: Cost) -> Bool { a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo) }
        @inline(__always) static func + (a: Cost, b: Cost) -> Cost { Cost(hi: a.hi &+ b.hi, lo: a.lo &+ b.lo) }
        @inline(__always) static func - (a: Cost, b: Cost) -> Cost { Cost(hi: a.hi &- b.hi, lo: a.lo &- b.lo) }
    }

    enum Outcome: Equatable { case optimal, stopped(SolveLimits.Kind), infeasible }

    let menteeCount: Int
    let mentorCount: Int
    /// Node numbering: mentees 0..<n, mentors n..<n+m, T = n+m.
    var sink: Int { menteeCount + mentorCount }

    // Loaded arcs, by mentee (compressed rows): mentor, `lo` cost (−score) and the pair index.
    private(set) var arcStart: [Int]
    private(set) var arcMentor: [Int32] = []
    private(set) var arcCost: [Int64] = []
    private(set) var arcPair: [Int32] = []
    /// The `hi` cost of every pair arc of a mentee (−weight of its priority level).
    let menteeHi: [Int64]

    // Mentors: places on the arc to T (capacity − lower bound), the lower bound, flow on the arc
    // to T, and the mentees assigned (a slot block per mentor; `position` finds a mentee's slot).
    let places: [Int32]
    let lower: [Int32]
    var toSink: [Int32]
    private(set) var load: [Int32]
    let memberStart: [Int]
    var members: [Int32]
    var position: [Int32]

    /// Each mentee's assigned arc: an arc index, `atSink` (unmatched), `free` (still to route) or
    /// `inactive` (not in the network: no candidate pair, or locked).
    var assigned: [Int]
    static let atSink = -1, free = -2, inactive = -3
    /// At most this many free mentees (the first in the queue) are the sources of one phase.
    /// Any subset keeps the method exact: distances from fewer sources still give potentials
    /// that keep every reduced cost non-negative, and a free mentee left out has no arc into
    /// it, while the potentials of the nodes its arcs reach only fall.
    var sourcesPerPhase = Int.max
    /// Mentees still to route, in order.
    var queue: [Int32] = []
    var queueHead = 0

    /// Potentials of every node.
    var potential: [Cost]
    /// Flow T still lacks: unmatched mentees and places it has yet to receive.
    var sinkRemaining: Int

    /// Dijkstra's and the depth-first search's working memory (distances, marks, predecessors,
    /// the heap), reused by every phase; see ``PathScratch``.
    private let scratch: PathScratch
    /// The deficit the current phase's Dijkstra reached.
    private var phaseSink = 0
    var epoch: UInt32 = 0

    /// Work done (arcs scanned), for the deterministic work limit.
    var work = 0
    private(set) var augmentations = 0
    /// Dijkstra searches run and nodes they settled (the statistics say how hard the paths were).
    private(set) var searches = 0
    private(set) var settledTotal = 0
    private(set) var phases = 0
    /// Phases whose distance δ was 0 (the search of the phase before missed a path).
    private(set) var repeatedPhases = 0

    /// - Parameters:
    ///   - active: mentees in the network (the others are ignored and stay unmatched).
    ///   - places: each mentor's capacity minus its lower bound; `lower` the lower bounds.
    ///   - memberLimit: most mentees a mentor can ever hold (≤ capacity).
    init(menteeCount n: Int, menteeHi: [Int64], active: [Bool], places: [Int32], lower: [Int32], memberLimit: [Int]) {
        menteeCount = n
        mentorCount = places.count
        self.menteeHi = menteeHi
        self.places = places
        self.lower = lower
        toSink = Array(repeating: 0, count: places.count)
        load = Array(repeating: 0, count: places.count)
        var start = [Int](repeating: 0, count: places.count + 1)
        for i in 0..<places.count { start[i + 1] = start[i] + memberLimit[i] }
        memberStart = start
        members = Array(repeating: -1, count: start[places.count])
        position = Array(repeating: -1, count: n)
        arcStart = Array(repeating: 0, count: n + 1)
        assigned = (0..<n).map { active[$0] ? Self.free : Self.inactive }
        let nodes = n + places.count + 1
        potential = Array(repeating: .zero, count: nodes)
        let activeCount = active.lazy.filter { $0 }.count
        sinkRemaining = activeCount - lower.reduce(0) { $0 + Int($1) }
        scratch = PathScratch(nodes: nodes)
        for j in 0..<n where active[j] { queue.append(Int32(j)) }
    }

    /// Whether the lower bounds exceed the mentees (no flow can exist).
    var lowerBoundsTooLarge: Bool { sinkRemaining < 0 }

    @inline(__always) func mentorNode(_ i: Int) -> Int { menteeCount + i }
    @inline(__always) private func deficit(_ i: Int) -> Int32 { lower[i] + toSink[i] - load[i] }

    /// The cost of arc `a` (a pair arc of mentee j).
    @inline(__always) func cost(_ j: Int, _ a: Int) -> Cost { Cost(hi: menteeHi[j], lo: arcCost[a]) }

    /// The reduced cost a pair arc from mentee j to mentor i with score `score` has now.
    @inline(__always)
    func reducedCost(mentee j: Int, mentor i: Int, score: Int) -> Cost {
        Cost(hi: menteeHi[j], lo: -Int64(score)) + potential[j] - potential[mentorNode(i)]
    }

    /// Pair indices of the arcs loaded for mentee j.
    func loadedPairs(ofMentee j: Int) -> [Int] { (arcStart[j] ..< arcStart[j + 1]).map { Int(arcPair[$0]) } }

    /// The pair index of mentee j's assignment, or nil when unmatched.
    func assignedPair(_ j: Int) -> Int? { assigned[j] >= 0 ? Int(arcPair[assigned[j]]) : nil }

    /// Adds pair arcs (mentee, mentor, −score, pair index), in any order; arcs of one mentee keep
    /// their order. A mentee with a new arc of negative reduced cost is unassigned, its potential
    /// raised so every arc out of it has a non-negative reduced cost, and queued to be routed again.
    mutating func add(_ new: [(mentee: Int32, mentor: Int32, cost: Int64, pair: Int32)]) {
        guard !new.isEmpty else { return }
        let n = menteeCount
        var count = [Int](repeating: 0, count: n + 1)
        for e in new { count[Int(e.mentee) + 1] += 1 }
        var start = [Int](repeating: 0, count: n + 1)
        for j in 0..<n { start[j + 1] = start[j] + (arcStart[j + 1] - arcStart[j]) + count[j + 1] }
        let total = start[n]
        var mentor = [Int32](repeating: 0, count: total), cost = [Int64](repeating: 0, count: total)
        var pair = [Int32](repeating: 0, count: total)
        var fill = start
        for j in 0..<n {
            let old = arcStart[j] ..< arcStart[j + 1]
            let shift = start[j] - arcStart[j]
            for a in old {
                mentor[a + shift] = arcMentor[a]; cost[a + shift] = arcCost[a]; pair[a + shift] = arcPair[a]
            }
            if assigned[j] >= 0 { assigned[j] += shift }
            fill[j] += old.count
        }
        for e in new {
            let j = Int(e.mentee)
            mentor[fill[j]] = e.mentor; cost[fill[j]] = e.cost; pair[fill[j]] = e.pair
            fill[j] += 1
        }
        arcStart = start; arcMentor = mentor; arcCost = cost; arcPair = pair
        // Restore the invariant where a new arc breaks it.
        var touched = [Bool](repeating: false, count: n)
        for e in new {
            let j = Int(e.mentee)
            guard !touched[j], assigned[j] != Self.free else { continue }
            let r = Cost(hi: menteeHi[j], lo: e.cost) + potential[j] - potential[mentorNode(Int(e.mentor))]
            if r < .zero {
                touched[j] = true
                release(j)
            }
        }
    }

    /// Unassigns mentee j (its mentor, or T, is left with a deficit), raises its potential to the
    /// least value that makes every arc out of it non-negative, and queues it.
    mutating func release(_ j: Int) {
        let a = assigned[j]
        if a >= 0 {
            removeMember(j, of: Int(arcMentor[a]))
        } else if a == Self.atSink {
            sinkRemaining += 1
        }
        assigned[j] = Self.free
        raisePotential(j)
        queue.append(Int32(j))
    }

    /// φ(j) = max over arcs out of j of φ(head) − cost: the least potential that keeps every arc
    /// out of a free mentee non-negative (a free mentee has no arc into it).
    mutating func raisePotential(_ j: Int) {
        var best = potential[sink]   // the unmatched arc: cost 0
        for a in arcStart[j] ..< arcStart[j + 1] {
            let v = potential[mentorNode(Int(arcMentor[a]))] - cost(j, a)
            if best < v { best = v }
        }
        potential[j] = best
    }

    mutating func addMember(_ j: Int, to i: Int) {
        let slot = memberStart[i] + Int(load[i])
        precondition(slot < memberStart[i + 1], "mentor \(i) holds more mentees than its places")
        members[slot] = Int32(j); position[j] = Int32(slot)
        load[i] += 1
    }

    private mutating func removeMember(_ j: Int, of i: Int) {
        let slot = Int(position[j]), last = memberStart[i] + Int(load[i]) - 1
        let moved = members[last]
        members[slot] = moved; position[Int(moved)] = Int32(slot)
        members[last] = -1; position[j] = -1
        load[i] -= 1
    }

    /// Routes every queued mentee, in phases (the primal–dual method): one Dijkstra from all free
    /// mentees at once finds the distance δ to the nearest deficit and moves the potentials, so
    /// every shortest path has reduced cost 0; then a depth-first search routes as many free
    /// mentees as it can along zero-reduced-cost paths (a blocking flow). With coarse, often tied
    /// scores there are few distinct distances, so there are far fewer phases than mentees: at
    /// 20,000 mentees, one Dijkstra per mentee settled 39 million nodes in all.
    mutating func run(limits: SolveLimits, stage: String) -> Outcome {
        while true {
            var sources: [Int32] = []
            for k in queueHead ..< queue.count where assigned[Int(queue[k])] == Self.free {
                sources.append(queue[k])
            }
            queue = sources; queueHead = 0
            guard !sources.isEmpty else { break }
            if sources.count > sourcesPerPhase { sources.removeLast(sources.count - sourcesPerPhase) }
            if let kind = limits.spend(0, stage: stage) { return .stopped(kind) }
            for j in sources { raisePotential(Int(j)) }
            switch distances(from: sources, limits: limits, stage: stage) {
            case .optimal: break
            case let other: return other
            }
            phases += 1
            // First along the path Dijkstra found (so every phase makes progress: the admissible
            // graph may hold cycles of reduced cost 0, which can hide a path from the depth-first
            // search), then as many others as the search finds.
            var routed = 1
            var origin = phaseSink
            while scratch.predecessor[origin] >= 0 { origin = Int(scratch.predecessor[origin]) }
            augment(to: phaseSink, from: origin)
            for j in sources where assigned[Int(j)] == Self.free {
                if route(Int(j)) { routed += 1 }
            }
            augmentations += routed
            if let kind = limits.spend(0, stage: stage) { return .stopped(kind) }
        }
        queue.removeAll(keepingCapacity: true); queueHead = 0
        return .optimal
    }

    /// Multi-source Dijkstra from the free mentees (distance 0 each) until the nearest deficit,
    /// then the potential update: every settled node moves by its distance minus δ.
    ///
    /// The hot loop of the whole solver (at 20,000 mentees it scans over a billion arcs), so it
    /// reads the arc arrays through buffer pointers and writes only ``PathScratch``'s raw memory:
    /// Swift arrays stored in a struct pay a bounds check and a uniqueness check on every write.
    private mutating func distances(from sources: [Int32], limits: SolveLimits, stage: String) -> Outcome {
        epoch &+= 1
        if epoch == 0 { scratch.clearMarks(); epoch = 1 }
        let E = epoch, w = scratch
        w.settledCount = 0
        w.heapCount = 0
        let n = menteeCount, m = mentorCount, T = sink
        let dist = w.distance, stamp = w.stamp, done = w.done, pred = w.predecessor, predArc = w.predecessorArc
        for s32 in sources {
            let s = Int(s32)
            dist[s] = .zero; stamp[s] = E; pred[s] = -1
            w.push(0, 0, s32)
        }
        let sinkOpen = sinkRemaining > 0
        var found = false
        var delta = Cost.zero
        var scanned = 0
        var stop: Outcome? = nil
        // In a block: these copies share the engine's buffers, and must be gone before the
        // engine writes to them again (or every write would copy the whole array).
        do {
        let (arcStart, arcMentor, arcCost, menteeHi, potential, assigned) = (self.arcStart, self.arcMentor, self.arcCost, self.menteeHi, self.potential, self.assigned)
        let (members, memberStart, load, toSink, places, lower) = (self.members, self.memberStart, self.load, self.toSink, self.places, self.lower)
        @inline(__always) func relax(_ y: Int, _ d: Cost, from x: Int, arc: Int) {
            if stamp[y] != E || d < dist[y] {
                if done[y] == E { return }
                stamp[y] = E
                dist[y] = d
                pred[y] = Int32(x)
                predArc[y] = arc
                w.push(d.hi, d.lo, Int32(y))
            }
        }
        arcStart.withUnsafeBufferPointer { arcStart in
        arcMentor.withUnsafeBufferPointer { arcMentor in
        arcCost.withUnsafeBufferPointer { arcCost in
        potential.withUnsafeBufferPointer { potential in
            while w.heapCount > 0 {
                let (d, x32) = w.pop()
                let x = Int(x32)
                if done[x] == E || dist[x] != d { continue }
                if sinkOpen, stamp[T] == E, !(d < dist[T]) { delta = dist[T]; phaseSink = T; found = true; break }
                done[x] = E
                w.settled[w.settledCount] = x32; w.settledCount += 1
                if x == T {
                    if sinkOpen { delta = d; phaseSink = T; found = true; break }
                    for i in 0..<m where toSink[i] > 0 {
                        relax(n + i, d + potential[T] - potential[n + i], from: T, arc: -1)
                    }
                    for k in 0..<n where assigned[k] == Self.atSink {
                        relax(k, d + potential[T] - potential[k], from: T, arc: -1)
                    }
                    scanned += m + n
                } else if x >= n {
                    let i = x - n
                    if lower[i] + toSink[i] - load[i] > 0 { delta = d; phaseSink = x; found = true; break }
                    let px = potential[x]
                    if toSink[i] < places[i] { relax(T, d + px - potential[T], from: x, arc: -1) }
                    let first = memberStart[i], count = Int(load[i])
                    for slot in first ..< first + count {
                        let k = Int(members[slot])
                        let back = d + px - potential[k]
                        relax(k, Cost(hi: back.hi &- menteeHi[k], lo: back.lo &- arcCost[assigned[k]]), from: x, arc: -1)
                    }
                    scanned += count + 1
                } else {
                    let k = x
                    let base = d + potential[k]
                    let hi = base.hi &+ menteeHi[k], lo = base.lo
                    let own = assigned[k]
                    let end = arcStart[k + 1]
                    var a = arcStart[k]
                    while a < end {
                        if a != own {
                            let node = n + Int(arcMentor[a])
                            let pn = potential[node]
                            let c = Cost(hi: hi &- pn.hi, lo: lo &+ arcCost[a] &- pn.lo)
                            if stamp[node] != E || c < dist[node] {
                                if done[node] != E {
                                    stamp[node] = E; dist[node] = c; pred[node] = Int32(k); predArc[node] = a
                                    w.push(c.hi, c.lo, Int32(node))
                                }
                            }
                        }
                        a += 1
                    }
                    if own != Self.atSink { relax(T, base - potential[T], from: k, arc: -1) }
                    scanned += end - arcStart[k] + 1
                }
                if scanned >= 4096 {
                    work += scanned; let units = scanned; scanned = 0
                    if let kind = limits.spend(units, stage: stage) { stop = .stopped(kind); break }
                }
            }
        }}}}
        }
        if let stop { return stop }
        work += scanned
        _ = limits.spend(scanned, stage: stage)
        searches += 1; settledTotal += w.settledCount
        guard found else { return .infeasible }
        if delta == .zero { repeatedPhases += 1 }
        for k in 0..<w.settledCount {
            let x = Int(w.settled[k])
            potential[x] = potential[x] + dist[x] - delta
        }
        return .optimal
    }

    /// Depth-first search from free mentee `s` along arcs of reduced cost 0 to a deficit, with
    /// the augmentation when it finds one. As in Dinic's blocking flow, each node keeps its place
    /// in its arc list for the whole phase and a node whose list is exhausted is dead for the
    /// phase, so a phase's searches together scan each arc about once. A node skipped only
    /// because it was on the current path may have been a way out; marking its parent dead all
    /// the same only defers a path to the next phase (whose Dijkstra finds it at distance 0): it
    /// never costs optimality, since every augmentation here runs along reduced cost 0. (Reopening
    /// such nodes instead looped for ever on zero-cost cycles.)
    ///
    /// Whether a search may enter node y: not found to be a dead end, not on the current path.
    /// (Keeping the search inside the phase's Dijkstra ball was tried: nodes tied with the sink at
    /// distance δ are often not yet reached when Dijkstra stops, and leaving them out took 40%
    /// more phases.) Raw memory as in ``distances(from:limits:stage:)``.
    private mutating func route(_ s: Int) -> Bool {
        let n = menteeCount, m = mentorCount, T = sink
        let E = epoch, w = scratch
        let visit = w.visit, onPath = w.onPath, cursorOf = w.cursor, cursorStamp = w.cursorStamp
        let pred = w.predecessor, predArc = w.predecessorArc, stack = w.stack
        var depth = 1
        stack[0] = Int32(s)
        onPath[s] = E
        pred[s] = -1
        var scanned = 0
        var found = false
        let sinkOpen = sinkRemaining > 0
        @inline(__always) func usable(_ y: Int) -> Bool { visit[y] != E && onPath[y] != E }
        // In a block: these copies share the engine's buffers, and must be gone before the
        // engine writes to them again (or every write would copy the whole array).
        do {
        let (arcStart, arcMentor, arcCost, menteeHi, potential, assigned) = (self.arcStart, self.arcMentor, self.arcCost, self.menteeHi, self.potential, self.assigned)
        let (members, memberStart, load, toSink, places, lower) = (self.members, self.memberStart, self.load, self.toSink, self.places, self.lower)
        arcStart.withUnsafeBufferPointer { arcStart in
        arcMentor.withUnsafeBufferPointer { arcMentor in
        arcCost.withUnsafeBufferPointer { arcCost in
        potential.withUnsafeBufferPointer { potential in
            let pT = potential[T]
            while depth > 0 {
                let x = Int(stack[depth - 1])
                if cursorStamp[x] != E { cursorStamp[x] = E; cursorOf[x] = 0 }
                var c = cursorOf[x]
                var next = -1, nextArc = -1
                if x == T {
                    if sinkOpen { found = true; break }
                    // Through T (only while mentors owe flow): to mentors sending it flow, to unmatched mentees.
                    while c < m + n {
                        let y = c < m ? n + c : c - m
                        scanned += 1
                        let open = y >= n ? toSink[y - n] > 0 : assigned[y] == Self.atSink
                        if open && pT == potential[y] {
                            if usable(y) { next = y; break }
                        }
                        c += 1
                    }
                } else if x >= n {
                    let i = x - n
                    if lower[i] + toSink[i] - load[i] > 0 { found = true; break }
                    let count = Int(load[i]), px = potential[x]
                    while c <= count {
                        scanned += 1
                        if c == 0 {
                            if toSink[i] < places[i], px == pT {
                                if usable(T) { next = T; break }
                            }
                        } else {
                            let k = Int(members[memberStart[i] + c - 1])
                            if Cost(hi: menteeHi[k], lo: arcCost[assigned[k]]) == px - potential[k] {
                                if usable(k) { next = k; break }
                            }
                        }
                        c += 1
                    }
                } else {
                    let k = x
                    let first = arcStart[k], degree = arcStart[k + 1] - first
                    let pk = potential[k], own = assigned[k]
                    let hi = menteeHi[k] &+ pk.hi
                    while c <= degree {
                        scanned += 1
                        if c == degree {
                            if own != Self.atSink, pk == pT {
                                if usable(T) { next = T; break }
                            }
                        } else {
                            let a = first + c
                            if a != own {
                                let node = n + Int(arcMentor[a])
                                let pn = potential[node]
                                if hi == pn.hi && arcCost[a] &+ pk.lo == pn.lo {
                                    if usable(node) { next = node; nextArc = a; break }
                                }
                            }
                        }
                        c += 1
                    }
                }
                cursorOf[x] = c
                if next < 0 {
                    // A dead end for the rest of this phase.
                    visit[x] = E
                    onPath[x] = 0
                    depth -= 1
                    continue
                }
                pred[next] = Int32(x)
                predArc[next] = nextArc
                onPath[next] = E
                stack[depth] = Int32(next)
                depth += 1
            }
        }}}}
        }
        work += scanned
        for k in 0..<depth { onPath[Int(stack[k])] = 0 }
        guard found, depth > 0 else { return false }
        augment(to: Int(stack[depth - 1]), from: s)
        return true
    }

    /// Moves one unit along the predecessor path from `s` to `end`, walking back from `end`. A
    /// mentee on the path leaves where it was (its predecessor: its mentor, or T) when the node
    /// after it takes it.
    private mutating func augment(to end: Int, from s: Int) {
        let n = menteeCount, T = sink
        func detach(_ k: Int) {
            guard k != s else { return }
            let q = Int(scratch.predecessor[k])
            if q == T { sinkRemaining += 1 } else { removeMember(k, of: q - n) }
        }
        var x = end
        while x != s {
            let p = Int(scratch.predecessor[x])
            if x == T {
                if p >= n {
                    toSink[p - n] += 1                       // mentor → T
                } else {
                    detach(p)
                    assigned[p] = Self.atSink                // mentee → T: unmatched
                }
                sinkRemaining -= 1
            } else if x >= n {
                let i = x - n
                if p == T {
                    toSink[i] -= 1                           // T → mentor, backwards
                    sinkRemaining += 1
                } else {
                    detach(p)
                    assigned[p] = scratch.predecessorArc[x]          // mentee p takes its arc to mentor i
                    addMember(p, to: i)
                }
            }
            x = p
        }
    }

    /// Every mentee's selected pair index (matched ones only), ascending.
    func selection() -> [Int] {
        var out: [Int] = []
        for j in 0..<menteeCount where assigned[j] >= 0 { out.append(Int(arcPair[assigned[j]])) }
        return out.sorted()
    }

    /// Mentors below their lower bound (with a deficit); zero when the flow is complete.
    var unmetLowerBounds: Int { (0..<mentorCount).reduce(0) { $0 + max(0, Int(deficit($1))) } }
}

/// The engine's working memory, allocated once for its life and reached through raw pointers
/// (hand-managed because this is the inner loop: see ``AugmentingPaths/distances(from:limits:stage:)``).
/// Marks are valid where they equal the engine's current epoch, so a phase starts without
/// clearing anything. Copies of an engine share it; only one of them may run at a time (the
/// pricing reads potentials from a copy, never this memory).
///
/// The heap is a binary min-heap of (cost, node) ordered by (hi, lo, node), stale entries
/// skipped by the caller. Hand-written: swift-collections' Heap is a min-max heap, which costs
/// more per operation than Dijkstra needs; the total order makes the pops (hence the paths and
/// the selection) the same whatever the heap's layout.
final class PathScratch: @unchecked Sendable {
    struct Entry { var hi: Int64; var lo: Int64; var node: Int32 }
    let nodes: Int
    let distance: UnsafeMutablePointer<AugmentingPaths.Cost>
    let stamp, done, visit, onPath, cursorStamp: UnsafeMutablePointer<UInt32>
    let cursor: UnsafeMutablePointer<Int>
    let predecessor: UnsafeMutablePointer<Int32>
    let predecessorArc: UnsafeMutablePointer<Int>
    /// Nodes settled this phase (each at most once), and the depth-first search's path.
    let settled, stack: UnsafeMutablePointer<Int32>
    var settledCount = 0
    private(set) var heap: UnsafeMutablePointer<Entry>
    private var heapCapacity: Int
    var heapCount = 0

    init(nodes: Int) {
        self.nodes = nodes
        func make<T>(_ value: T) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(1, nodes))
            p.initialize(repeating: value, count: max(1, nodes))
            return p
        }
        distance = make(.zero)
        stamp = make(0); done = make(0); visit = make(0); onPath = make(0); cursorStamp = make(0)
        cursor = make(0); predecessor = make(-1); predecessorArc = make(-1)
        settled = make(0); stack = make(0)
        heapCapacity = max(16, nodes)
        heap = .allocate(capacity: heapCapacity)
    }

    deinit {
        for p in [stamp, done, visit, onPath, cursorStamp] { p.deallocate() }
        distance.deallocate(); cursor.deallocate(); predecessor.deallocate(); predecessorArc.deallocate()
        settled.deallocate(); stack.deallocate(); heap.deallocate()
    }

    /// After the epoch wraps round (once in 4 billion phases).
    func clearMarks() {
        for p in [stamp, done, visit, onPath, cursorStamp] { p.update(repeating: 0, count: nodes) }
    }

    @inline(__always) private func less(_ a: Entry, _ b: Entry) -> Bool {
        a.hi < b.hi || (a.hi == b.hi && (a.lo < b.lo || (a.lo == b.lo && a.node < b.node)))
    }

    @inline(__always) func push(_ hi: Int64, _ lo: Int64, _ x: Int32) {
        if heapCount == heapCapacity {
            let bigger = UnsafeMutablePointer<Entry>.allocate(capacity: 2 * heapCapacity)
            bigger.moveInitialize(from: heap, count: heapCount)
            heap.deallocate()
            heap = bigger; heapCapacity *= 2
        }
        let e = Entry(hi: hi, lo: lo, node: x)
        var k = heapCount
        heapCount += 1
        while k > 0 {
            let parent = (k - 1) >> 1
            let p = heap[parent]
            guard less(e, p) else { break }
            heap[k] = p
            k = parent
        }
        heap[k] = e
    }

    /// The least entry, removed (the caller checks `heapCount > 0`).
    @inline(__always) func pop() -> (AugmentingPaths.Cost, Int32) {
        let top = heap[0]
        heapCount -= 1
        let count = heapCount
        if count > 0 {
            let e = heap[count]
            var k = 0
            while true {
                let l = 2 * k + 1
                guard l < count else { break }
                let r = l + 1
                var child = l
                if r < count && less(heap[r], heap[l]) { child = r }
                guard less(heap[child], e) else { break }
                heap[k] = heap[child]
                k = child
            }
            heap[k] = e
        }
        return (AugmentingPaths.Cost(hi: top.hi, lo: top.lo), top.node)
    }
}
