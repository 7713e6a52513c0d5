import HeapModule

/// A fast matching heuristic that needs no GLPK.
///
/// 1. **Priority and regret order.** Level by level (highest priority first), the mentee whose
///    best remaining option beats its second best by the most (the one with most to lose) picks
///    first, taking its best mentor with a free place.
/// 2. **Augmenting paths.** Each unmatched mentee, highest priority first, looks for a chain of
///    moves (mentee → full mentor → one of its mentees moves on → ... → a free place). A chain
///    never unmatches anyone, so this reaches the most mentees per priority level that can be
///    matched (the greedy algorithm on a transversal matroid).
/// 3. **Mentor minimum.** Mentors below the minimum pull mentees from mentors who can spare one.
/// 4. **Local search on score** without losing anyone: move a mentee to a mentor with a free
///    place, swap two mentees' mentors, or give a place to an unmatched mentee of the same
///    priority who scores higher there; repeated until no move helps.
public struct GreedyMatcher: Sendable {
    public init() {}

    public struct Outcome: Sendable {
        /// Selected pair indices, sorted.
        public var selection: [Int]
        /// False when a hard mentor minimum could not be met by the heuristic (not a proof).
        public var meetsHardMinimum: Bool
    }

    public func solve(_ problem: MatchingProblem) -> Outcome {
        var state = State(problem)
        state.placeLocked()
        for level in problem.priorityLevels { state.regretPass(level: level) }
        for level in problem.priorityLevels { state.augmentAll(level: level) }
        if problem.minimumMode != .off, problem.minimum.contains(where: { $0 > 0 }) { state.fillMinimums() }
        state.improveScores()
        if problem.minimumMode != .off, problem.minimum.contains(where: { $0 > 0 }) { state.fillMinimums() }
        let selection = state.assigned.compactMap { $0 }.sorted()
        let hardOK = problem.minimumMode != .hard || (0..<problem.mentorCount).allSatisfy { state.load[$0] >= problem.minimum[$0] }
        return Outcome(selection: selection, meetsHardMinimum: hardOK)
    }

    struct State {
        let problem: MatchingProblem
        let pairs: CandidatePairs
        let byMentor: [[Int]]
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

        func score(_ i: Int, _ j: Int) -> Int? {
            pairs.index(mentor: i, mentee: j).map { pairs.score[$0] }
        }

        /// Keeps the soft minimum: a move may not take a mentor that reached it below it.
        func keepsMinimum(leaving b: Int) -> Bool {
            problem.minimumMode == .off || problem.minimum[b] == 0 || load[b] - 1 >= problem.minimum[b] || load[b] < problem.minimum[b]
        }

        mutating func improveScores() {
            var improved = true
            var rounds = 0
            while improved && rounds < 50 {
                improved = false; rounds += 1
                for j in 0..<pairs.menteeCount {
                    guard !locked[j], let cur = assigned[j] else { continue }
                    let a = mentor(cur), s0 = pairs.score[cur]
                    // Move to a free mentor.
                    var bestMove: Int? = nil, bestGain = 0
                    for p in pairs.pairs(ofMentee: j) where mentor(p) != a && free(mentor(p)) && keepsMinimum(leaving: a) {
                        let g = pairs.score[p] - s0
                        if g > bestGain { bestGain = g; bestMove = p }
                    }
                    if let p = bestMove { assign(j, p); improved = true; continue }
                    // Swap with a mentee k of another mentor b.
                    var bestSwap: (Int, Int, Int, Int)? = nil   // (pair j->b, k, pair k->a, gain)
                    for p in pairs.pairs(ofMentee: j) {
                        let b = mentor(p)
                        guard b != a else { continue }
                        for k in members[b] where !locked[k] {
                            guard let q = pairs.index(mentor: a, mentee: k), let kcur = assigned[k] else { continue }
                            let g = pairs.score[p] + pairs.score[q] - s0 - pairs.score[kcur]
                            if g > (bestSwap?.3 ?? 0) { bestSwap = (p, k, q, g) }
                        }
                    }
                    if let (p, k, q, _) = bestSwap {
                        let old = assigned[k]!
                        unassign(k, old); unassign(j, cur)
                        assign(j, p); assign(k, q)
                        improved = true
                        continue
                    }
                }
                // Replace: an unmatched mentee takes the place of a matched one of the same priority.
                for u in 0..<pairs.menteeCount where assigned[u] == nil {
                    var best: (Int, Int, Int)? = nil  // (pair u->a, displaced j, gain)
                    for p in pairs.pairs(ofMentee: u) {
                        let a = mentor(p)
                        for j in members[a] where !locked[j] && problem.priority[j] == problem.priority[u] {
                            let g = pairs.score[p] - pairs.score[assigned[j]!]
                            if g > (best?.2 ?? 0) { best = (p, j, g) }
                        }
                    }
                    if let (p, j, _) = best {
                        unassign(j, assigned[j]!)
                        assign(u, p)
                        improved = true
                    }
                }
            }
        }
    }
}
