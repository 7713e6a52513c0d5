/// Both sides' rankings of their acceptable partners, one entry per candidate pair, as the
/// stable-matching model reads them from `preferences[]`:
///
/// - A pair is *acceptable* when it is a candidate (passes every hard rule) and both sides' lists
///   allow it: an empty list accepts every candidate partner, a non-empty list only those on it.
/// - A listed partner's rank is its tie group (1 = first choice; equally wanted partners share a rank).
/// - A person with an empty list ranks every candidate partner by pair score (highest first), then
///   by id: a strict order, with no ties.
///
/// Lower rank is better. Ranks are comparable only within one person's list.
public struct PreferenceRanks: Sendable {
    /// Whether pair `p` is acceptable to both sides.
    public let acceptable: [Bool]
    /// The mentee's rank of the mentor in pair `p`.
    public let menteeRank: [Int32]
    /// The mentor's rank of the mentee in pair `p`.
    public let mentorRank: [Int32]

    /// - Complexity: O(P log P) for P candidate pairs (sorting the implicit lists of people with empty lists).
    public init(problem: MatchingProblem, ctx: PairingContext) {
        let pairs = problem.pairs
        var acceptable = [Bool](repeating: false, count: pairs.count)
        var menteeRank = [Int32](repeating: 0, count: pairs.count)
        var mentorRank = [Int32](repeating: 0, count: pairs.count)
        for p in 0..<pairs.count {
            acceptable[p] = ctx.listsAccept(mentor: Int(pairs.mentor[p]), mentee: Int(pairs.mentee[p]))
        }
        // Each person's position in id order, so ties in score compare integers, not strings.
        func idOrder(_ people: [Person]) -> [Int32] {
            var order = [Int32](repeating: 0, count: people.count)
            for (k, idx) in people.indices.sorted(by: { people[$0].id < people[$1].id }).enumerated() { order[idx] = Int32(k) }
            return order
        }
        let mentorOrder = idOrder(ctx.cohort.mentors), menteeOrder = idOrder(ctx.cohort.mentees)
        func byScoreThenID(_ a: Int, _ b: Int, id: (Int) -> Int32) -> Bool {
            pairs.score[a] != pairs.score[b] ? pairs.score[a] > pairs.score[b] : id(a) < id(b)
        }
        for j in 0..<pairs.menteeCount {
            let range = pairs.pairs(ofMentee: j)
            if ctx.mentee(j).preferences.isEmpty {
                let order = range.filter { acceptable[$0] }
                    .sorted { byScoreThenID($0, $1) { mentorOrder[Int(pairs.mentor[$0])] } }
                for (k, p) in order.enumerated() { menteeRank[p] = Int32(k + 1) }
            } else {
                for p in range where acceptable[p] { menteeRank[p] = ctx.menteeLists.rank(of: Int(pairs.mentor[p]), by: j)! }
            }
        }
        for (i, list) in pairs.pairsByMentor().enumerated() {
            if ctx.mentor(i).preferences.isEmpty {
                let order = list.filter { acceptable[$0] }
                    .sorted { byScoreThenID($0, $1) { menteeOrder[Int(pairs.mentee[$0])] } }
                for (k, p) in order.enumerated() { mentorRank[p] = Int32(k + 1) }
            } else {
                for p in list where acceptable[p] { mentorRank[p] = ctx.mentorLists.rank(of: Int(pairs.mentee[p]), by: i)! }
            }
        }
        self.acceptable = acceptable
        self.menteeRank = menteeRank
        self.mentorRank = mentorRank
    }

    /// Ranks given directly (tests and the lottery-broken lists of ``StableMatcher``).
    public init(acceptable: [Bool], menteeRank: [Int32], mentorRank: [Int32]) {
        self.acceptable = acceptable; self.menteeRank = menteeRank; self.mentorRank = mentorRank
    }
}
