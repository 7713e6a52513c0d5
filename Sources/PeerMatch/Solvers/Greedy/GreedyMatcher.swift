import HeapModule

/// A fast matching heuristic that needs no exact solver: the fallback when a limit cuts the
/// exact solve, and `--solver greedy`.
///
/// 1. **Priority levels, one at a time** (highest first), each in two steps, so no mentee of a
///    level waits behind one of a lower level (earlier versions placed every level before
///    augmenting any, and could match 6 of 7 top-priority mentees where 7 can be matched):
///    - **regret order**: the mentee whose best free option on her short list (her 16 best
///      pairs, kept with the candidate pairs) beats her second best by the most picks first;
///    - **augmenting paths** for the level's mentees still unmatched: a chain of moves (mentee →
///      full mentor → one of its mentees moves on → ... → a free place) over all their pairs.
///      A chain never unmatches anyone, so each level reaches the most mentees that can be
///      matched given the levels above (the greedy algorithm on a transversal matroid): the
///      matched counts per level are those of the optimum.
/// 2. **Mentor minimum**: mentors below it pull mentees from mentors who can spare one.
/// 3. **Local search on score** without losing anyone: ejection chains (``ChainSearch``) over
///    the short lists that move a mentee, displace another, and so on, ending at a free place,
///    closing a cycle, or giving a place to an unmatched mentee of the same priority. Mentees are
///    searched from a work list: every mentee once, then only those near a change (the mentees
///    of, and the mentees who short-list, a mentor a chain changed), until the list is empty,
///    the work budget (``Search/budgetPerEntry``) is spent or the limits (``SolveLimits``) say stop.
public struct GreedyMatcher: Sendable {
    /// Run the local search on score (step 3); without it the matching is only built, which is
    /// fast and already reaches the most mentees per priority level.
    public var improve: Bool
    /// How far the local search looks and how much work it may do.
    public var search: Search
    public init(improve: Bool = true, search: Search = Search()) { self.improve = improve; self.search = search }

    /// The local search's shape and budget. The budget is counted in pairs looked at, not in
    /// seconds, so the same input gives the same matching (the same bytes) on a loaded machine
    /// and a quiet one; it is scaled to the instance by its short-list entries (at most 16 per
    /// mentee), since the exact solve it stands in for grows with the pairs too.
    ///
    /// Chosen on generated secondary cohorts (seed 2026, `peermatch-bench solvers gen:N --greedy
    /// D,B,W,K`), the smallest budget that keeps 0.99 of the optimum at 200, 2,000 and 5,000
    /// mentees: depth 6, beam 8, width 6, 300 per entry gives 0.998, 0.9925 (0.76 CPU s) and
    /// 0.9911 (3.5 s); 200 per entry 0.9903 at 2,000 but 0.9896 at 5,000; depth 4, beam 6,
    /// width 4, 40 per entry 0.98 in 0.09 s. Before (depth 6, beam 16, width 8, rounds over every
    /// mentee until one gained under 0.01%): 0.9965 at 2,000 mentees in 4.31 CPU s.
    public struct Search: Sendable, Hashable {
        /// Moves in a chain.
        public var depth: Int
        /// Partial chains extended at each depth.
        public var beam: Int
        /// Options of a displaced mentee tried, best first.
        public var width: Int
        /// Pairs the whole local search may look at, per short-list entry of the instance.
        public var budgetPerEntry: Int
        public init(depth: Int = 6, beam: Int = 8, width: Int = 6, budgetPerEntry: Int = 300) {
            self.depth = depth; self.beam = beam; self.width = width; self.budgetPerEntry = budgetPerEntry
        }
    }

    public struct Outcome: Sendable {
        /// Selected pair indices, sorted.
        public var selection: [Int]
        /// False when a hard mentor minimum could not be met by the heuristic (not a proof).
        public var meetsHardMinimum: Bool
        /// False when a limit stopped the construction before every level was placed.
        public var complete: Bool = true
    }

    public func solve(_ problem: MatchingProblem, limits: SolveLimits = .none, stage: String = "greedy") -> Outcome {
        var state = State(problem)
        state.placeLocked()
        var complete = true
        for level in problem.priorityLevels {
            state.regretPass(level: level)
            if !state.augmentAll(level: level, limits: limits, stage: stage) { complete = false; break }
        }
        let minimum = problem.minimumMode != .off && problem.minimum.contains { $0 > 0 }
        if complete && minimum { state.fillMinimums() }
        if complete && improve { state.improveScores(search, limits: limits, stage: stage) }
        if complete && minimum { state.fillMinimums() }
        let selection = state.assigned.compactMap { $0 }.sorted()
        let hardOK = problem.minimumMode != .hard || (0..<problem.mentorCount).allSatisfy { state.load[$0] >= problem.minimum[$0] }
        return Outcome(selection: selection, meetsHardMinimum: hardOK, complete: complete)
    }

    struct State {
        let problem: MatchingProblem
        let pairs: CandidatePairs
        /// Pair index of each mentee's match.
        var assigned: [Int?]
        /// Mentees matched to each mentor (mentee indices).
        var members: [[Int]]
        var load: [Int]
        var locked: [Bool]
        /// Mentors a failed search proved cannot reach a free place. A later augmenting path
        /// cannot enter that closed set (it holds no free place, and only additions happen
        /// until every level is placed), so the mark stays true.
        var dead: [Bool]

        init(_ problem: MatchingProblem) {
            self.problem = problem
            pairs = problem.pairs
            assigned = Array(repeating: nil, count: pairs.menteeCount)
            members = Array(repeating: [], count: pairs.mentorCount)
            load = Array(repeating: 0, count: pairs.mentorCount)
            locked = Array(repeating: false, count: pairs.menteeCount)
            dead = Array(repeating: false, count: pairs.mentorCount)
        }

        @inline(__always) func mentor(_ p: Int) -> Int { Int(pairs.mentor[p]) }
        @inline(__always) func free(_ i: Int) -> Bool { load[i] < problem.capacity[i] }
        /// Mentee j's short list: her best pairs, best score first.
        @inline(__always) func shortList(_ j: Int) -> ArraySlice<Int32> { pairs.bestPairs(ofMentee: j) }

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

        /// Best and second-best free options of mentee j on her short list (pair indices).
        func options(_ j: Int) -> (best: Int?, regret: Int) {
            var best: Int? = nil, bestScore = Int.min, second = Int.min
            for p32 in shortList(j) {
                let p = Int(p32)
                guard free(mentor(p)) else { continue }
                let s = pairs.score[p]
                if best == nil { best = p; bestScore = s } else if s > second { second = s; break }
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

        /// Augmenting paths for every unmatched mentee of the level; false when the clock stopped
        /// it. Neither the work limit nor an interrupt stops the construction (it is what makes
        /// the fallback reach the most mentees per level, it is deterministic, so a work-limited
        /// run still gives the same bytes, and it is the best result an interrupt can write);
        /// they stop the local search after it.
        mutating func augmentAll(level: Int, limits: SolveLimits, stage: String) -> Bool {
            var search = AugmentingSearch(mentorCount: pairs.mentorCount)
            for j in 0..<pairs.menteeCount where problem.priority[j] == level && assigned[j] == nil && !pairs.pairs(ofMentee: j).isEmpty {
                let work = search.augment(from: j, in: &self)
                if limits.spend(work, stage: stage) == .time { return false }
            }
            return true
        }

        /// Mentors below the minimum take mentees from mentors who can spare one (or who will
        /// miss the minimum anyway). A mentor is only changed when it then reaches the minimum.
        mutating func fillMinimums() {
            let minimum = problem.minimum
            let byMentor = pairs.pairsByMentor()
            for a in 0..<pairs.mentorCount where minimum[a] > 0 && load[a] < minimum[a] && byMentor[a].count >= minimum[a] {
                let before = (assigned, members, load)
                var progress = true
                let options = byMentor[a].sorted { (pairs.score[$0], -$0) > (pairs.score[$1], -$1) }
                while load[a] < minimum[a] && progress {
                    progress = false
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

        /// The local search from a work list (see the type's step 3). Profiled at 2,000 mentees
        /// before: rounds over every mentee took 4.3 CPU s, nearly all in ``ChainSearch/best``
        /// on mentees around whom nothing had changed since their last search.
        mutating func improveScores(_ settings: Search, limits: SolveLimits, stage: String) {
            var search = ChainSearch(maxDepth: settings.depth, beam: settings.beam, width: settings.width)
            let n = pairs.menteeCount, m = pairs.mentorCount
            // Who short-lists each mentor (CSR): when a mentor changes, they may gain from it.
            var listStart = [Int](repeating: 0, count: m + 1)
            for p in pairs.shortList { listStart[mentor(Int(p)) + 1] += 1 }
            for i in 0..<m { listStart[i + 1] += listStart[i] }
            var listers = [Int32](repeating: 0, count: listStart[m])
            var fill = listStart
            for j in 0..<n { for p in shortList(j) { let i = mentor(Int(p)); listers[fill[i]] = Int32(j); fill[i] += 1 } }

            let budget = max(1, settings.budgetPerEntry) * max(pairs.shortList.count, n)
            var spent = 0
            var queue: [Int] = [], queued = [Bool](repeating: false, count: n), head = 0
            for j in 0..<n where !locked[j] && !shortList(j).isEmpty { queue.append(j); queued[j] = true }
            var touched: [Int] = []
            while head < queue.count {
                let j = queue[head]; head += 1; queued[j] = false
                if head >= 1 << 14, head * 2 >= queue.count { queue.removeFirst(head); head = 0 }
                if let chain = search.best(from: j, in: self) {
                    touched.removeAll(keepingCapacity: true)
                    for (k, p) in chain {
                        if let old = assigned[k] { touched.append(mentor(old)) }
                        if let p { touched.append(mentor(p)) }
                    }
                    apply(chain)
                    for i in touched {
                        for k32 in listers[listStart[i] ..< listStart[i + 1]] {
                            let k = Int(k32)
                            if !queued[k] && !locked[k] { queued[k] = true; queue.append(k) }
                        }
                        for k in members[i] where !queued[k] && !locked[k] { queued[k] = true; queue.append(k) }
                    }
                }
                if search.work >= 4096 {
                    let units = search.work; search.work = 0; spent += units
                    if spent >= budget || limits.spend(units, stage: stage) != nil { return }
                }
            }
            limits.spend(search.work, stage: stage)
        }

        /// Moves each mentee of a chain to its new pair (a mentee with no pair is unmatched).
        mutating func apply(_ chain: [(mentee: Int, pair: Int?)]) {
            for (k, _) in chain { if let old = assigned[k] { unassign(k, old) } }
            for (k, p) in chain { if let p { assign(k, p) } }
        }
    }

    /// Breadth-first search for a chain mentee → mentor → one of its mentees → ... → a free
    /// place. Each mentee tries her short list first (her best mentors), then every other pair;
    /// locked mentees never move. Working arrays are reused between searches (stamped, not cleared).
    struct AugmentingSearch {
        private var reachedBy: [Int]       // pair used to reach each mentor in this search
        private var stamp: [UInt32]
        private var epoch: UInt32 = 0
        private var seenMentee: [UInt32] = []
        private var queue: [Int] = []
        private var reached: [Int] = []

        init(mentorCount: Int) {
            reachedBy = Array(repeating: -1, count: mentorCount)
            stamp = Array(repeating: 0, count: mentorCount)
        }

        /// Tries to match `start`; returns the work done (pairs looked at).
        mutating func augment(from start: Int, in st: inout State) -> Int {
            let pairs = st.pairs
            if seenMentee.count != pairs.menteeCount { seenMentee = Array(repeating: 0, count: pairs.menteeCount) }
            epoch &+= 1
            if epoch == 0 {
                for k in stamp.indices { stamp[k] = 0 }
                for k in seenMentee.indices { seenMentee[k] = 0 }
                epoch = 1
            }
            queue.removeAll(keepingCapacity: true); reached.removeAll(keepingCapacity: true)
            queue.append(start); seenMentee[start] = epoch
            var head = 0, work = 0
            while head < queue.count {
                let j = queue[head]; head += 1
                // Short list first, then the rest (already-reached mentors are skipped either way).
                let short = st.shortList(j)
                let all = pairs.pairs(ofMentee: j)
                var k = 0
                while k < short.count + all.count {
                    let p = k < short.count ? Int(short[short.startIndex + k]) : all.lowerBound + (k - short.count)
                    k += 1
                    work += 1
                    let i = st.mentor(p)
                    guard !st.dead[i], stamp[i] != epoch, st.assigned[j] != p else { continue }
                    stamp[i] = epoch; reachedBy[i] = p; reached.append(i)
                    if st.free(i) {
                        // Unwind: the mentee of pair p moves to mentor i; its old mentor's place goes
                        // to the mentee that reached it, and so on back to the start.
                        var pair = p
                        while true {
                            let m = Int(pairs.mentee[pair])
                            let old = st.assigned[m]
                            st.assign(m, pair)
                            guard m != start, let oldPair = old else { break }
                            pair = reachedBy[st.mentor(oldPair)]
                        }
                        return work
                    }
                    for member in st.members[i] where !st.locked[member] && seenMentee[member] != epoch {
                        seenMentee[member] = epoch
                        queue.append(member)
                    }
                }
            }
            for i in reached { st.dead[i] = true }
            return work
        }
    }

    /// Ejection chains: the best score-improving sequence of moves that starts with one mentee
    /// and loses nobody. Mentee j moves to mentor b1; if b1 is full, one of its mentees moves on
    /// to b2, and so on, until a mentor with a free place, or j's old mentor (a cycle), or, when j
    /// was unmatched, a mentee of j's priority leaves the matching. Move, swap and replace are the
    /// chains of length one and two; longer chains find what those miss on sparse cohorts.
    ///
    /// A beam search over the short lists: at each depth only the `beam` best partial chains are
    /// extended, up to `maxDepth` moves. Written here because it works on PeerMatch's own state
    /// (loads, locks, soft minimum); it is a heuristic, the exact answer is the network solvers'.
    struct ChainSearch {
        struct Node {
            var mentor: Int        // mentor entered by this move
            var gain: Int          // total score change so far
            var parent: Int        // index in nodes, or -1
            var pair: Int          // pair of the move (mentee -> mentor)
        }
        var nodes: [Node] = []
        /// Pairs looked at since the caller last took the count (for the work limit).
        var work = 0
        /// Moves in a chain (``GreedyMatcher/Search``).
        let maxDepth: Int
        /// Partial chains extended at each depth.
        let beam: Int
        /// Options of a displaced mentee tried, best first.
        let width: Int
        private var frontier: [Int] = [], next: [Int] = [], open: [Int] = []

        init(maxDepth: Int = 6, beam: Int = 8, width: Int = 6) {
            self.maxDepth = max(1, maxDepth); self.beam = max(1, beam); self.width = max(1, width)
        }

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

        /// The best score-improving chain from mentee j, or nil when none is found.
        mutating func best(from j: Int, in st: State) -> [(mentee: Int, pair: Int?)]? {
            let pairs = st.pairs, problem = st.problem
            let home = st.assigned[j].map { st.mentor($0) }          // nil: j is unmatched
            let base = st.assigned[j].map { pairs.score[$0] } ?? 0
            nodes.removeAll(keepingCapacity: true)
            var bestGain = 0
            // The best chain: the moves back from a node, then one more move (a cycle's close or
            // a mentee pushed out), kept as indices so that no chain is built until the end.
            var bestNode = -1
            var bestExtra: (mentee: Int, pair: Int?)? = nil
            let homeKeepsMinimum = home.map { st.keepsMinimum(leaving: $0) } ?? true
            frontier.removeAll(keepingCapacity: true)
            for p32 in st.shortList(j) {
                let p = Int(p32)
                let b = st.mentor(p)
                work += 1
                guard b != home else { continue }
                nodes.append(Node(mentor: b, gain: pairs.score[p] - base, parent: -1, pair: p))
                frontier.append(nodes.count - 1)
            }
            for depth in 1...maxDepth {
                // A chain may end where a mentor has room: a free place, or j's old mentor (a cycle).
                for n in frontier {
                    let i = nodes[n].mentor, gain = nodes[n].gain
                    if gain > bestGain, i == home || (st.free(i) && homeKeepsMinimum) {
                        bestGain = gain; bestNode = n; bestExtra = nil
                    }
                }
                // Close a cycle: a mentee of a full mentor on the chain moves into j's old place.
                if let home, depth < maxDepth {
                    for n in frontier where nodes[n].mentor != home && !st.free(nodes[n].mentor) {
                        let b = nodes[n].mentor
                        for k in st.members[b] where !st.locked[k] && k != j {
                            work += 1
                            guard let q = pairs.index(mentor: home, mentee: k) else { continue }
                            let g = nodes[n].gain + pairs.score[q] - pairs.score[st.assigned[k]!]
                            if g > bestGain, !uses(n, mentee: k, mentor: -1, pairs) {
                                bestGain = g; bestNode = n; bestExtra = (k, q)
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
                                bestGain = g; bestNode = n; bestExtra = (k, nil)
                            }
                        }
                    }
                }
                guard depth < maxDepth else { break }
                // Keep the most promising partial chains that still need room.
                open.removeAll(keepingCapacity: true)
                for n in frontier where !st.free(nodes[n].mentor) && nodes[n].mentor != home { open.append(n) }
                if open.count > beam {
                    open.sort { (nodes[$0].gain, -$0) > (nodes[$1].gain, -$1) }
                    open.removeLast(open.count - beam)
                }
                next.removeAll(keepingCapacity: true)
                for n in open {
                    let b = nodes[n].mentor
                    for k in st.members[b] where !st.locked[k] && k != j && !uses(n, mentee: k, mentor: -1, pairs) {
                        let out = pairs.score[st.assigned[k]!]
                        for q32 in st.shortList(k).prefix(width) {
                            let q = Int(q32)
                            let c = st.mentor(q)
                            work += 1
                            guard c != b, c == home || !uses(n, mentee: -1, mentor: c, pairs) else { continue }
                            nodes.append(Node(mentor: c, gain: nodes[n].gain + pairs.score[q] - out, parent: n, pair: q))
                            next.append(nodes.count - 1)
                        }
                    }
                }
                swap(&frontier, &next)
                if frontier.isEmpty { break }
            }
            guard bestNode >= 0 else { return nil }
            return moves(bestNode, pairs) + (bestExtra.map { [$0] } ?? [])
        }
    }
}
