import HeapModule

/// Stable matching with mentor capacities (the hospitals/residents problem) by deferred acceptance
/// (Gale–Shapley; Roth's hospital-resident form).
///
/// Lists are read by ``PreferenceRanks`` (incomplete lists, empty = everyone compatible ranked by
/// score then id, only pairs passing every hard rule). Ties are broken by a lottery: each side's
/// rank of each pair gets a second key drawn from ``SeededRandom`` seeded by `seed`, in pair order,
/// so the same seed gives the same strict lists. The result is stable for the lottery-broken lists,
/// hence weakly stable (no pair strictly prefers each other) for the stated ones.
///
/// - `proposer == .mentees`: the mentee-optimal stable matching (every mentee gets her best
///   partner among all stable matchings of the strict lists).
/// - `proposer == .mentors`: the mentor-optimal stable matching.
///
/// Locked pairs are made first: the mentee leaves the market and takes one of the mentor's places;
/// the rest is a stable matching of everyone else for the remaining places. Mentee priorities and
/// the mentor minimum play no part (by the rural hospitals theorem every stable matching matches
/// the same mentees, so neither could change who is matched without breaking stability).
///
/// - Complexity: O(P log C) for P acceptable pairs and C the largest capacity.
public struct StableMatcher: Sendable {
    public var proposer: ProposingSide
    public var seed: UInt64

    public init(proposer: ProposingSide = .mentees, seed: UInt64 = 0) { self.proposer = proposer; self.seed = seed }

    public struct Outcome: Sendable {
        /// Selected pair indices, ascending.
        public var selection: [Int]
        /// The lists after the lottery: strict ranks (1 = best) for acceptable pairs.
        public var strictRanks: PreferenceRanks
        /// The stated lists (ties shared), for reporting and the weak-stability check.
        public var statedRanks: PreferenceRanks
        /// Tie groups (of two or more acceptable partners) the lottery ordered, per side.
        public var menteeTiesBroken: Int
        public var mentorTiesBroken: Int
        /// Proposals made (for the record).
        public var proposals: Int
    }

    public func solve(_ problem: MatchingProblem, ctx: PairingContext) -> Outcome {
        let stated = PreferenceRanks.tabulated(problem: problem, ctx: ctx)
        return solve(problem, ranks: stated)
    }

    /// Runs deferred acceptance on the given (possibly tied) ranks.
    public func solve(_ problem: MatchingProblem, ranks given: PreferenceRanks) -> Outcome {
        let stated = given.tabulated()
        let (statedAcceptable, statedMenteeRank, statedMentorRank) = stated.tables
        let pairs = problem.pairs
        let n = pairs.count
        // Lottery: one random key per pair and side.
        var rng = SeededRandom(seed: seed)
        var menteeKey = [UInt64](repeating: 0, count: n), mentorKey = [UInt64](repeating: 0, count: n)
        for p in 0..<n { menteeKey[p] = rng.next(); mentorKey[p] = rng.next() }

        let locked = Set(problem.locked)
        var lockedMentee = [Bool](repeating: false, count: pairs.menteeCount)
        var seats = problem.capacity
        for p in problem.locked { lockedMentee[Int(pairs.mentee[p])] = true; seats[Int(pairs.mentor[p])] -= 1 }

        // Strict lists: each person's acceptable pairs sorted by (stated rank, lottery key).
        var menteeList = [[Int]](repeating: [], count: pairs.menteeCount)
        var strictMentee = [Int32](repeating: 0, count: n), strictMentor = [Int32](repeating: 0, count: n)
        var menteeTies = 0, mentorTies = 0
        func countTies(_ order: [Int], _ rank: [Int32]) -> Int {
            var ties = 0, k = 0
            while k < order.count {
                var e = k + 1
                while e < order.count && rank[order[e]] == rank[order[k]] { e += 1 }
                if e - k > 1 { ties += 1 }
                k = e
            }
            return ties
        }
        for j in 0..<pairs.menteeCount {
            let order = pairs.pairs(ofMentee: j).filter { statedAcceptable[$0] && !locked.contains($0) }
                .sorted { (statedMenteeRank[$0], menteeKey[$0]) < (statedMenteeRank[$1], menteeKey[$1]) }
            menteeTies += countTies(order, statedMenteeRank)
            for (k, p) in order.enumerated() { strictMentee[p] = Int32(k + 1) }
            if !lockedMentee[j] { menteeList[j] = order }
        }
        let byMentor = pairs.pairsByMentor()
        var mentorList = [[Int]](repeating: [], count: pairs.mentorCount)
        for i in 0..<pairs.mentorCount {
            let order = byMentor[i].filter { statedAcceptable[$0] && !locked.contains($0) }
                .sorted { (statedMentorRank[$0], mentorKey[$0]) < (statedMentorRank[$1], mentorKey[$1]) }
            mentorTies += countTies(order, statedMentorRank)
            for (k, p) in order.enumerated() { strictMentor[p] = Int32(k + 1) }
            mentorList[i] = order.filter { !lockedMentee[Int(pairs.mentee[$0])] }
        }
        var acceptable = statedAcceptable
        for p in locked { acceptable[p] = true; strictMentee[p] = 0; strictMentor[p] = 0 }
        let strict = PreferenceRanks(acceptable: acceptable, menteeRank: strictMentee, mentorRank: strictMentor)

        var proposals = 0
        var selection: [Int]
        switch proposer {
        case .mentees:
            selection = menteesPropose(problem, menteeList, strictMentor, seats, &proposals)
        case .mentors:
            selection = mentorsPropose(problem, mentorList, strictMentee, seats, &proposals)
        }
        selection.append(contentsOf: problem.locked)
        selection.sort()
        return Outcome(selection: selection, strictRanks: strict, statedRanks: stated,
                       menteeTiesBroken: menteeTies, mentorTiesBroken: mentorTies, proposals: proposals)
    }

    private struct Held: Comparable {
        var rank: Int32
        var pair: Int
        static func < (a: Held, b: Held) -> Bool { a.rank < b.rank }
    }

    /// Mentee-proposing: each free mentee proposes down her list; a full mentor keeps his best.
    private func menteesPropose(_ problem: MatchingProblem, _ lists: [[Int]], _ mentorRank: [Int32], _ seats: [Int],
                                _ proposals: inout Int) -> [Int] {
        let pairs = problem.pairs
        var next = [Int](repeating: 0, count: pairs.menteeCount)
        var held = [Heap<Held>](repeating: Heap(), count: pairs.mentorCount)
        var free = Array((0..<pairs.menteeCount).reversed().filter { !lists[$0].isEmpty })
        while let j = free.popLast() {
            guard next[j] < lists[j].count else { continue }
            let p = lists[j][next[j]]
            next[j] += 1
            proposals += 1
            let i = Int(pairs.mentor[p])
            if held[i].count < seats[i] {
                held[i].insert(Held(rank: mentorRank[p], pair: p))
            } else if let worst = held[i].max, worst.rank > mentorRank[p] {
                _ = held[i].popMax()
                held[i].insert(Held(rank: mentorRank[p], pair: p))
                free.append(Int(pairs.mentee[worst.pair]))
            } else {
                free.append(j)
            }
        }
        return held.flatMap { $0.unordered.map(\.pair) }
    }

    /// Mentor-proposing: each mentor with a free place proposes down his list; a mentee keeps her best offer.
    private func mentorsPropose(_ problem: MatchingProblem, _ lists: [[Int]], _ menteeRank: [Int32], _ seats: [Int],
                                _ proposals: inout Int) -> [Int] {
        let pairs = problem.pairs
        var next = [Int](repeating: 0, count: pairs.mentorCount)
        var load = [Int](repeating: 0, count: pairs.mentorCount)
        var holds = [Int](repeating: -1, count: pairs.menteeCount)   // pair held by each mentee
        var active = Array((0..<pairs.mentorCount).reversed())
        while let i = active.popLast() {
            while load[i] < seats[i] && next[i] < lists[i].count {
                let p = lists[i][next[i]]
                next[i] += 1
                proposals += 1
                let j = Int(pairs.mentee[p])
                let current = holds[j]
                if current < 0 {
                    holds[j] = p; load[i] += 1
                } else if menteeRank[p] < menteeRank[current] {
                    holds[j] = p; load[i] += 1
                    let loser = Int(pairs.mentor[current])
                    load[loser] -= 1
                    active.append(loser)
                }
            }
        }
        return holds.filter { $0 >= 0 }
    }
}
