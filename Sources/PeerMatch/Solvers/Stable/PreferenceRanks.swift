import Foundation

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
///
/// Two forms hold the same ranks. ``init(problem:ctx:)`` keeps only the stated lists and compares
/// two pairs of one person when asked (a listed partner's rank is looked up; two partners of a
/// person without a list are compared by score, then id), so it costs no memory per pair: the
/// result assembly of every method reads it over all candidate pairs. ``tabulated(problem:ctx:)``
/// and ``init(acceptable:menteeRank:mentorRank:)`` hold one rank per pair and side, which deferred
/// acceptance reads many times; its candidate sets are small (lists only).
public struct PreferenceRanks: Sendable {
    enum Form: Sendable {
        case tables(acceptable: [Bool], menteeRank: [Int32], mentorRank: [Int32])
        case stated(StatedLists)
    }
    let form: Form

    /// The stated lists of a problem, read pair by pair (no per-pair tables).
    ///
    /// - Complexity: O(n log n) for n people (their id order).
    public init(problem: MatchingProblem, ctx: PairingContext) {
        form = .stated(StatedLists(pairs: problem.pairs, ctx: ctx))
    }

    /// Ranks given directly (tests and the lottery-broken lists of ``StableMatcher``).
    public init(acceptable: [Bool], menteeRank: [Int32], mentorRank: [Int32]) {
        form = .tables(acceptable: acceptable, menteeRank: menteeRank, mentorRank: mentorRank)
    }

    /// The stated lists of a problem as tables, one rank per pair and side.
    ///
    /// - Complexity: O(P log P) for P candidate pairs (sorting the implicit lists of people with empty lists).
    public static func tabulated(problem: MatchingProblem, ctx: PairingContext) -> PreferenceRanks {
        StatedLists(pairs: problem.pairs, ctx: ctx).tables()
    }

    /// These ranks as tables (themselves when they already are).
    public func tabulated() -> PreferenceRanks {
        switch form {
        case .tables: return self
        case .stated(let lists): return lists.tables()
        }
    }

    /// The tables of ``tabulated()``.
    var tables: (acceptable: [Bool], menteeRank: [Int32], mentorRank: [Int32]) {
        guard case .tables(let acceptable, let mentee, let mentor) = tabulated().form else { preconditionFailure() }
        return (acceptable, mentee, mentor)
    }

    /// Whether pair `p` is acceptable to both sides.
    public var acceptable: AcceptableView { AcceptableView(ranks: self) }
    /// The mentee's rank of the mentor in pair `p` (0 when the pair is not acceptable).
    ///
    /// Without tables a listed partner's rank is a look-up, but the rank given by a person without
    /// a list is counted over that person's pairs: O(pairs of the mentee) here.
    public var menteeRank: RankView { RankView(ranks: self, side: .mentee) }
    /// The mentor's rank of the mentee in pair `p` (0 when the pair is not acceptable).
    ///
    /// Without tables the rank given by a mentor without a list is counted over all pairs: O(P).
    /// For many pairs at once use ``ranks(ofSelected:)``.
    public var mentorRank: RankView { RankView(ranks: self, side: .mentor) }

    public struct AcceptableView: Sendable {
        let ranks: PreferenceRanks
        public subscript(p: Int) -> Bool { ranks.isAcceptable(p) }
    }

    public struct RankView: Sendable {
        let ranks: PreferenceRanks
        let side: Role
        public subscript(p: Int) -> Int32 {
            switch ranks.form {
            case .tables(_, let mentee, let mentor): return side == .mentee ? mentee[p] : mentor[p]
            case .stated(let lists):
                guard lists.isAcceptable(p) else { return 0 }
                return side == .mentee ? lists.menteeRank(p) : lists.mentorRank(p)
            }
        }
    }

    @inline(__always)
    func isAcceptable(_ p: Int) -> Bool {
        switch form {
        case .tables(let acceptable, _, _): return acceptable[p]
        case .stated(let lists): return lists.isAcceptable(p)
        }
    }

    /// Whether the mentee of pair `q` strictly prefers it to her pair `p` (both hers and acceptable).
    func menteePrefers(_ q: Int, over p: Int) -> Bool {
        switch form {
        case .tables(_, let rank, _): return rank[q] < rank[p]
        case .stated(let lists): return lists.menteeKey(q)! < lists.menteeKey(p)!
        }
    }

    /// The ranks of each selected pair (0 for a pair that is not acceptable), in selection order.
    ///
    /// - Complexity: O(S) with tables; else O(P log C) for P candidate pairs and C the largest
    ///   number of selected pairs of one mentor, with memory for the selection only.
    public func ranks(ofSelected selection: [Int]) -> [(mentee: Int32, mentor: Int32)] {
        switch form {
        case .tables(_, let mentee, let mentor): return selection.map { (mentee[$0], mentor[$0]) }
        case .stated(let lists): return lists.ranks(ofSelected: selection)
        }
    }
}

/// Both sides' stated lists, read pair by pair: ``PreferenceRanks`` without per-pair tables.
struct StatedLists: Sendable {
    let pairs: CandidatePairs
    let ctx: PairingContext
    /// Each person's position in id order, so ties in score compare integers, not strings.
    let mentorOrder: [Int32]
    let menteeOrder: [Int32]

    init(pairs: CandidatePairs, ctx: PairingContext) {
        self.pairs = pairs; self.ctx = ctx
        func idOrder(_ people: [Person]) -> [Int32] {
            var order = [Int32](repeating: 0, count: people.count)
            for (k, idx) in people.indices.sorted(by: { people[$0].id < people[$1].id }).enumerated() { order[idx] = Int32(k) }
            return order
        }
        mentorOrder = idOrder(ctx.cohort.mentors)
        menteeOrder = idOrder(ctx.cohort.mentees)
    }

    /// A person without a list ranks partners by score (highest first), then id order: as one
    /// integer, lower is better. Scores are 32-bit, so `Int32.max - score` takes 32 bits and the
    /// id order (below 2^31) the 31 below them.
    @inline(__always)
    static func scoreKey(_ score: Int, _ order: Int32) -> Int64 {
        (Int64(Int32.max) - Int64(score)) << 31 | Int64(order)
    }

    @inline(__always)
    func isAcceptable(_ p: Int) -> Bool { ctx.listsAccept(mentor: Int(pairs.mentor[p]), mentee: Int(pairs.mentee[p])) }

    /// The mentee's key for her pair `p`, lower is better (comparable among her acceptable pairs):
    /// her stated rank, or the score key when she has no list. Nil when her list leaves the mentor out.
    @inline(__always)
    func menteeKey(_ p: Int) -> Int64? {
        let j = Int(pairs.mentee[p])
        if ctx.menteeListLength[j] == 0 { return Self.scoreKey(pairs.score[p], mentorOrder[Int(pairs.mentor[p])]) }
        return ctx.menteeLists.rank(of: Int(pairs.mentor[p]), by: j).map(Int64.init)
    }

    /// The mentor's key for his pair `p`, as ``menteeKey(_:)``. Nil when his list leaves the mentee out.
    @inline(__always)
    func mentorKey(_ p: Int) -> Int64? {
        let i = Int(pairs.mentor[p])
        if ctx.mentorListLength[i] == 0 { return Self.scoreKey(pairs.score[p], menteeOrder[Int(pairs.mentee[p])]) }
        return ctx.mentorLists.rank(of: Int(pairs.mentee[p]), by: i).map(Int64.init)
    }

    /// The mentee's rank of acceptable pair `p`. O(pairs of the mentee).
    func menteeRank(_ p: Int) -> Int32 {
        let j = Int(pairs.mentee[p])
        guard ctx.menteeListLength[j] == 0 else { return Int32(menteeKey(p)!) }
        let key = menteeKey(p)!
        var rank: Int32 = 1
        for q in pairs.pairs(ofMentee: j) where isAcceptable(q) && menteeKey(q)! < key { rank += 1 }
        return rank
    }

    /// The mentor's rank of acceptable pair `p`. O(P) without a list.
    func mentorRank(_ p: Int) -> Int32 {
        let i = Int(pairs.mentor[p])
        guard ctx.mentorListLength[i] == 0 else { return Int32(mentorKey(p)!) }
        let key = mentorKey(p)!
        var rank: Int32 = 1
        for q in 0..<pairs.count where Int(pairs.mentor[q]) == i && isAcceptable(q) && mentorKey(q)! < key { rank += 1 }
        return rank
    }

    func ranks(ofSelected selection: [Int]) -> [(mentee: Int32, mentor: Int32)] {
        var out = [(mentee: Int32, mentor: Int32)](repeating: (0, 0), count: selection.count)
        // Selected acceptable pairs of mentors without a list: their rank is 1 + the number of the
        // mentor's acceptable pairs with a lower key. Each mentor's selected keys are sorted, and
        // one pass over all pairs adds each pair to the selected pairs it beats (a suffix) by a
        // difference array.
        var slots: [Int: [(key: Int64, k: Int)]] = [:]
        for (k, p) in selection.enumerated() where isAcceptable(p) {
            out[k].mentee = menteeRank(p)
            let i = Int(pairs.mentor[p])
            if ctx.mentorListLength[i] > 0 { out[k].mentor = Int32(mentorKey(p)!) } else { slots[i, default: []].append((mentorKey(p)!, k)) }
        }
        guard !slots.isEmpty else { return out }
        var sorted = [[(key: Int64, k: Int)]?](repeating: nil, count: pairs.mentorCount)
        var beaten = [[Int32]?](repeating: nil, count: pairs.mentorCount)
        for (i, list) in slots {
            sorted[i] = list.sorted { $0.key < $1.key }
            beaten[i] = [Int32](repeating: 0, count: list.count + 1)
        }
        for q in 0..<pairs.count {
            let i = Int(pairs.mentor[q])
            guard let keys = sorted[i], isAcceptable(q) else { continue }
            let key = mentorKey(q)!
            // First selected pair with a key above q's: q beats it and every later one.
            var lo = 0, hi = keys.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if keys[mid].key <= key { lo = mid + 1 } else { hi = mid }
            }
            beaten[i]![lo] += 1
        }
        for i in 0..<pairs.mentorCount {
            guard let keys = sorted[i], let counts = beaten[i] else { continue }
            var above: Int32 = 0
            for (n, slot) in keys.enumerated() {
                above += counts[n]
                out[slot.k].mentor = above + 1
            }
        }
        return out
    }

    /// The same ranks as tables.
    func tables() -> PreferenceRanks {
        var acceptable = [Bool](repeating: false, count: pairs.count)
        var menteeRank = [Int32](repeating: 0, count: pairs.count)
        var mentorRank = [Int32](repeating: 0, count: pairs.count)
        for p in 0..<pairs.count { acceptable[p] = isAcceptable(p) }
        for j in 0..<pairs.menteeCount {
            let range = pairs.pairs(ofMentee: j)
            if ctx.menteeListLength[j] == 0 {
                let order = range.filter { acceptable[$0] }.sorted { menteeKey($0)! < menteeKey($1)! }
                for (k, p) in order.enumerated() { menteeRank[p] = Int32(k + 1) }
            } else {
                for p in range where acceptable[p] { menteeRank[p] = Int32(menteeKey(p)!) }
            }
        }
        let byMentor = pairs.pairsByMentor()
        for i in 0..<pairs.mentorCount {
            if ctx.mentorListLength[i] == 0 {
                let order = byMentor[i].filter { acceptable[$0] }.sorted { mentorKey($0)! < mentorKey($1)! }
                for (k, p) in order.enumerated() { mentorRank[p] = Int32(k + 1) }
            } else {
                for p in byMentor[i] where acceptable[p] { mentorRank[p] = Int32(mentorKey(p)!) }
            }
        }
        return PreferenceRanks(acceptable: acceptable, menteeRank: menteeRank, mentorRank: mentorRank)
    }
}
