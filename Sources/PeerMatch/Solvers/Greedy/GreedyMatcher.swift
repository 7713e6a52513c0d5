import HeapModule

/// A fast matching heuristic that needs no GLPK.
///
/// 1. **Priority and regret order.** Level by level (highest priority first), the mentee whose
///    best remaining option beats its second best by the most (the one with most to lose) picks
///    first, taking its best mentor with a free place.
/// 2. **Augmenting paths.** Then each unmatched mentee of that level looks for a chain of moves
///    (mentee → full mentor → one of its mentees moves on → ... → a free place), before the next
///    level is placed. A chain never unmatches anyone, so this reaches the most mentees per
///    priority level that can be matched (the greedy algorithm on a transversal matroid).
/// 3. **Mentor minimum.** Mentors below the minimum pull mentees from mentors who can spare one.
/// 4. **Local search on score** without losing anyone: ejection chains (``ChainSearch``) that
///    move a mentee, displace another, and so on, ending at a free place, closing a cycle, or
///    giving a place to an unmatched mentee of the same priority; repeated until none helps.
public struct GreedyMatcher: Sendable {
    /// Run the local search on score (step 4); without it the matching is only built, which is
    /// fast and already reaches the most mentees per priority level.
    public var improve: Bool
    /// The command's limits: the local search (step 4) stops when they are reached, so a fallback
    /// after a time limit returns promptly (before, it had no deadline at all). Steps 1 to 3 always
    /// run: they are what makes the answer a matching that reaches the most mentees per level.
    public var limits: RunLimits?
    public init(improve: Bool = true, limits: RunLimits? = nil) { self.improve = improve; self.limits = limits }

    public struct Outcome: Sendable {
        /// Selected pair indices, sorted.
        public var selection: [Int]
        /// False when a hard mentor minimum could not be met by the heuristic (not a proof).
        public var meetsHardMinimum: Bool
    }

    public func solve(_ problem: MatchingProblem) -> Outcome {
        var state = State(problem)
        state.placeLocked()
        // Each level is placed and then augmented before the next level is placed at all: an
        // augmenting path never unmatches anyone, so once a lower level had taken the places,
        // a higher level's path to a free place could be gone (issue 15: 6 of 7 at the top
        // priority where 7 could be matched). Level by level, this is the greedy algorithm on the
        // transversal matroid, which reaches the most mentees at every level in turn.
        for level in problem.priorityLevels {
            state.regretPass(level: level)
            state.augmentAll(level: level)
        }
        if problem.minimumMode != .off, problem.minimum.contains(where: { $0 > 0 }) { state.fillMinimums() }
        if improve { state.improveScores(limits: limits) }
        if problem.minimumMode != .off, problem.minimum.contains(where: { $0 > 0 }) { state.fillMinimums() }
        let selection = state.assigned.compactMap { $0 }.sorted()
        let hardOK = problem.minimumMode != .hard || (0..<problem.mentorCount).allSatisfy { state.load[$0] >= problem.minimum[$0] }
        return Outcome(selection: selection, meetsHardMinimum: hardOK)
    }

    struct State {
        let problem: MatchingProblem
        let pairs: CandidatePairs
        let byMentor: PairsByMentor
        /// Pair index of each mentee's match.
        var assigned: [Int?]
        /// Mentees matched to each mentor (mentee indices).
        var members: [[Int]]
        var load: [Int]
        var locked: [Bool]
        /// Each mentee's candidate pairs, best score first (ties by pair index).
        let bestFirst: [[Int]]
        /// Mentors a failed search proved cannot reach a free place. A later augmenting path
        /// cannot enter that closed set (it holds no free place), so the mark stays true while
        /// only augmentations happen.
        var dead: [Bool]

        init(_ problem: MatchingProblem) {
            self.problem = problem
            pairs = problem.pairs
            byMentor = pairs.pairsByMentor()
            assigned = Array(repeating: nil, count: pairs.menteeCount)
            members = Array(repeating: [], count: pairs.mentorCount)
            load = Array(repeating: 0, count: pairs.mentorCount)
            locked = Array(repeating: false, count: pairs.menteeCount)
            let pairs = problem.pairs
            bestFirst = (0..<pairs.menteeCount).map { j in
                pairs.pairs(ofMentee: j).sorted { (pairs.score[$0], -$0) > (pairs.score[$1], -$1) }
            }
            dead = Array(repeating: false, count: pairs.mentorCount)
        }

        func mentor(_ p: Int) -> Int { Int(pairs.mentor[p]) }
        func free(_ i: Int) -> Bool { load[i] < problem.capacity[i] }

        mutating func assign(_ j: Int, _ p: Int) {
            if let old = assigned[j] { unassign(j, old) }
            let i = mentor(p)
            assigned[j] = p; members[i].append(j); load[i] += 1
        }

        mutating func unassign(_ j: Int, _ p: Int) {
            let i = mentor(p)
            assigned[j] = nil
            members[i].removeAll { $0 == j }
            load[i] -= 1
        }

        mutating func placeLocked() {
            for p in problem.locked {
                let j = Int(pairs.mentee[p])
                assign(j, p); locked[j] = true
            }
        }

        /// Best and second-best free options of mentee j (pair indices).
        func options(_ j: Int) -> (best: Int?, regret: Int) {
            var best: Int? = nil, bestScore = Int.min, second = Int.min
            for p in pairs.pairs(ofMentee: j) where free(mentor(p)) {
                let s = pairs.score[p]
                if s > bestScore { second = bestScore; bestScore = s; best = p } else if s > second { second = s }
            }
            guard best != nil else { return (nil, 0) }
            // With one option left, the regret is the whole score plus a premium: pick it now or lose it.
            let regret = second == Int.min ? Int.max / 4 : bestScore - second
            return (best, regret)
        }

        struct Entry: Comparable {
            var regret: Int
            var mentee: Int
            static func < (a: Entry, b: Entry) -> Bool { (a.regret, -a.mentee) < (b.regret, -b.mentee) }
        }

        mutating func regretPass(level: Int) {
            var heap = Heap<Entry>()
            for j in 0..<pairs.menteeCount where problem.priority[j] == level && assigned[j] == nil {
                let o = options(j)
                if o.best != nil { heap.insert(Entry(regret: o.regret, mentee: j)) }
            }
            while let top = heap.popMax() {
                let j = top.mentee
                guard assigned[j] == nil else { continue }
                let o = options(j)
                guard let best = o.best else { continue }
                if o.regret != top.regret {
                    heap.insert(Entry(regret: o.regret, mentee: j))   // stale: re-queue with today's regret
                    continue
                }
                assign(j, best)
            }
        }

        mutating func augmentAll(level: Int) {
            for j in 0..<pairs.menteeCount where problem.priority[j] == level && assigned[j] == nil {
                _ = augmentPath(from: j)
            }
        }

        /// Breadth-first search for a chain mentee → mentor → one of its mentees → ... → a free
        /// place; each mentee tries its mentors best score first. Locked mentees never move.
        mutating func augmentPath(from start: Int) -> Bool {
            var mentorFrom = [Int: Int]()   // mentor reached -> pair (mentee, mentor) used to reach it
            var queue = [start], head = 0
            var seenMentee: Set<Int> = [start]
            while head < queue.count {
                let j = queue[head]; head += 1
                for p in bestFirst[j] {
                    let i = mentor(p)
                    guard !dead[i], mentorFrom[i] == nil, assigned[j] != p else { continue }
                    mentorFrom[i] = p
                    if free(i) {
                        // Unwind: the mentee of pair p moves to mentor i; its old mentor's place goes
                        // to the mentee that reached it, and so on back to the start.
                        var pair = p
                        while true {
                            let m = Int(pairs.mentee[pair])
                            let old = assigned[m]
                            assign(m, pair)
                            guard m != start, let oldPair = old else { break }
                            pair = mentorFrom[mentor(oldPair)]!
                        }
                        return true
                    }
                    for k in members[i] where !locked[k] && !seenMentee.contains(k) {
                        seenMentee.insert(k)
                        queue.append(k)
                    }
                }
            }
            for i in mentorFrom.keys { dead[i] = true }
            return false
        }

        /// Mentors below the minimum take mentees from mentors who can spare one (or who will
        /// miss the minimum anyway). A mentor is only changed when it then reaches the minimum.
        mutating func fillMinimums() {
            let minimum = problem.minimum
            for a in 0..<pairs.mentorCount where minimum[a] > 0 && load[a] < minimum[a] && byMentor[a].count >= minimum[a] {
                let before = (assigned, members, load)
                var progress = true
                while load[a] < minimum[a] && progress {
                    progress = false
                    let options = byMentor[a].sorted { pairs.score[$0] > pairs.score[$1] }
                    for p in options {
                        let j = Int(pairs.mentee[p])
                        if locked[j] { continue }
                        if let cur = assigned[j] {
                            let b = mentor(cur)
                            if b == a || !keepsMinimum(leaving: b) { continue }
                        }
                        assign(j, p); progress = true
                        break
                    }
                }
                if load[a] < minimum[a] { (assigned, members, load) = before }
            }
        }

        /// Keeps the soft minimum: a move may not take a mentor that reached it below it.
        func keepsMinimum(leaving b: Int) -> Bool {
            problem.minimumMode == .off || problem.minimum[b] == 0 || load[b] - 1 >= problem.minimum[b] || load[b] < problem.minimum[b]
        }

        mutating func improveScores(limits: RunLimits? = nil) {
            var search = ChainSearch()
            // Rounds until one gains less than 0.01% of the total: later rounds on large dense
            // cohorts took most of the time for almost nothing (2,000 mentees: 10.5 s for 0.9973).
            for _ in 0..<100 {
                var gained = 0
                for j in 0..<pairs.menteeCount where !locked[j] {
                    if j & 63 == 0 {
                        if Interruption.isRequested { return }   // solve --on-interrupt write-best
                        // 64 searches a unit block, charged before they run: the same cut each run.
                        if let limits, !limits.charge(64) || limits.exhausted { return }
                    }
                    if let (chain, gain) = search.best(from: j, in: self) { apply(chain); gained += gain }
                }
                let total = assigned.reduce(0) { $0 + ($1.map { pairs.score[$0] } ?? 0) }
                if gained == 0 || gained * 10_000 < abs(total) { break }
            }
        }

        /// Moves each mentee of a chain to its new pair (a mentee with no pair is unmatched).
        mutating func apply(_ chain: [(mentee: Int, pair: Int?)]) {
            for (k, _) in chain { if let old = assigned[k] { unassign(k, old) } }
            for (k, p) in chain { if let p { assign(k, p) } }
        }
    }

    /// Ejection chains: the best score-improving sequence of moves that starts with one mentee
    /// and loses nobody. Mentee j moves to mentor b1; if b1 is full, one of its mentees moves on
    /// to b2, and so on, until a mentor with a free place, or j's old mentor (a cycle), or, when j
    /// was unmatched, a mentee of j's priority leaves the matching. Move, swap and replace are the
    /// chains of length one and two; longer chains find what those miss on sparse cohorts.
    ///
    /// A beam search: at each depth only the `beam` best partial chains are extended, up to
    /// `maxDepth` moves. Written here because it works on PeerMatch's own state (loads, locks,
    /// soft minimum); it is a heuristic, the exact answer is GLPK's.
    struct ChainSearch {
        struct Node {
            var mentor: Int        // mentor entered by this move
            var gain: Int          // total score change so far
            var parent: Int        // index in nodes, or -1
            var pair: Int          // pair of the move (mentee -> mentor)
        }
        var nodes: [Node] = []
        /// Measured on OR-Library assignp3000/5000 and a generated 2,000-mentee cohort: depth 4 and
        /// beam 12 reached 0.971/0.942 of the optimum; depth 6, beam 16, width 8 reach 0.993/0.983/0.992.
        let maxDepth = 6
        /// Partial chains extended at each depth.
        let beam = 16
        /// Options of a displaced mentee tried, best first.
        let width = 8
        /// Options of the starting mentee tried, best first (each also checked for closing a cycle).
        let firstWidth = 64

        /// Whether the chain ending at node n already moves mentee k or enters mentor i.
        func uses(_ n: Int, mentee k: Int, mentor i: Int, _ pairs: CandidatePairs) -> Bool {
            var n = n
            while n >= 0 {
                if nodes[n].mentor == i || Int(pairs.mentee[nodes[n].pair]) == k { return true }
                n = nodes[n].parent
            }
            return false
        }

        func moves(_ n: Int, _ pairs: CandidatePairs) -> [(mentee: Int, pair: Int?)] {
            var out: [(mentee: Int, pair: Int?)] = []
            var n = n
            while n >= 0 { out.append((Int(pairs.mentee[nodes[n].pair]), nodes[n].pair)); n = nodes[n].parent }
            return out
        }

        mutating func best(from j: Int, in st: State) -> (chain: [(mentee: Int, pair: Int?)], gain: Int)? {
            let pairs = st.pairs, problem = st.problem
            let home = st.assigned[j].map { st.mentor($0) }          // nil: j is unmatched
            let base = st.assigned[j].map { pairs.score[$0] } ?? 0
            nodes.removeAll(keepingCapacity: true)
            var bestGain = 0
            var bestChain: [(mentee: Int, pair: Int?)]? = nil
            // A chain may end where a mentor has room: a free place, or j's old mentor (a cycle).
            func ends(at i: Int, gain: Int, node: Int) {
                guard gain > bestGain,
                      i == home || (st.free(i) && (home.map { st.keepsMinimum(leaving: $0) } ?? true)) else { return }
                bestGain = gain; bestChain = moves(node, pairs)
            }
            var frontier: [Int] = []
            for p in st.bestFirst[j].prefix(firstWidth) {
                let b = st.mentor(p)
                guard b != home else { continue }
                nodes.append(Node(mentor: b, gain: pairs.score[p] - base, parent: -1, pair: p))
                frontier.append(nodes.count - 1)
            }
            for depth in 1...maxDepth {
                for n in frontier { ends(at: nodes[n].mentor, gain: nodes[n].gain, node: n) }
                // Close a cycle: a mentee of a full mentor on the chain moves into j's old place.
                if let home, depth < maxDepth {
                    for n in frontier where nodes[n].mentor != home && !st.free(nodes[n].mentor) {
                        let b = nodes[n].mentor
                        for k in st.members[b] where !st.locked[k] && k != j {
                            guard let q = pairs.index(mentor: home, mentee: k) else { continue }
                            let g = nodes[n].gain + pairs.score[q] - pairs.score[st.assigned[k]!]
                            if g > bestGain, !uses(n, mentee: k, mentor: -1, pairs) {
                                bestGain = g
                                bestChain = moves(n, pairs) + [(k, q)]
                            }
                        }
                    }
                }
                // An unmatched j may push out a mentee of its own priority from a full mentor.
                if home == nil {
                    for n in frontier where !st.free(nodes[n].mentor) {
                        for k in st.members[nodes[n].mentor] where !st.locked[k] && problem.priority[k] == problem.priority[j] {
                            let g = nodes[n].gain - pairs.score[st.assigned[k]!]
                            if g > bestGain, !uses(n, mentee: k, mentor: -1, pairs) {
                                bestGain = g; bestChain = moves(n, pairs) + [(k, nil)]
                            }
                        }
                    }
                }
                guard depth < maxDepth else { break }
                // Keep the most promising partial chains that still need room.
                let open = frontier.filter { !st.free(nodes[$0].mentor) && nodes[$0].mentor != home }
                    .sorted { (nodes[$0].gain, -$0) > (nodes[$1].gain, -$1) }.prefix(beam)
                var next: [Int] = []
                for n in open {
                    let b = nodes[n].mentor
                    for k in st.members[b] where !st.locked[k] && k != j && !uses(n, mentee: k, mentor: -1, pairs) {
                        let out = pairs.score[st.assigned[k]!]
                        for q in st.bestFirst[k].prefix(width) {
                            let c = st.mentor(q)
                            guard c != b, c == home || !uses(n, mentee: -1, mentor: c, pairs) else { continue }
                            nodes.append(Node(mentor: c, gain: nodes[n].gain + pairs.score[q] - out, parent: n, pair: q))
                            next.append(nodes.count - 1)
                        }
                    }
                }
                frontier = next
            }
            return bestChain.map { ($0, bestGain) }
        }
    }
}
