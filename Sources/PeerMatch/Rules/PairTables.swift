/// Values attached to a few mentor–mentee pairs (exclusions, staff scores, history), stored by
/// mentee and sorted by mentor.
///
/// A dictionary keyed by pair hashes on every lookup; candidate generation asks about every
/// mentor–mentee combination, and most mentees have no entry at all. Here the lookup of such a
/// mentee is two array reads, and otherwise a binary search among that mentee's few entries.
struct PairTable<Value: Sendable>: Sendable {
    /// Entries of mentee j are `start[j] ..< start[j + 1]`.
    private let start: [Int]
    private let mentors: [Int32]
    private let values: [Value]

    /// When one pair is given twice, the later entry wins (as assigning into a dictionary would).
    init(menteeCount: Int, _ entries: [(mentor: Int, mentee: Int, value: Value)]) {
        var start = [Int](repeating: 0, count: menteeCount + 1)
        for e in entries { start[e.mentee + 1] += 1 }
        for j in 0..<menteeCount { start[j + 1] += start[j] }
        // Entry positions by mentee (in input order), then by mentor within each mentee.
        var next = start
        var order = [Int](repeating: 0, count: entries.count)
        for (k, e) in entries.enumerated() { order[next[e.mentee]] = k; next[e.mentee] += 1 }
        var mentors: [Int32] = [], values: [Value] = []
        mentors.reserveCapacity(entries.count); values.reserveCapacity(entries.count)
        var kept = [Int](repeating: 0, count: menteeCount + 1)
        for j in 0..<menteeCount {
            let mine = order[start[j] ..< start[j + 1]].sorted { (entries[$0].mentor, $0) < (entries[$1].mentor, $1) }
            for (n, k) in mine.enumerated() where n + 1 == mine.count || entries[mine[n + 1]].mentor != entries[k].mentor {
                mentors.append(Int32(entries[k].mentor)); values.append(entries[k].value)
            }
            kept[j + 1] = mentors.count
        }
        self.start = kept; self.mentors = mentors; self.values = values
    }

    var isEmpty: Bool { mentors.isEmpty }

    /// Whether mentee j has any entry.
    @inline(__always)
    func hasEntries(mentee j: Int) -> Bool { start[j] != start[j + 1] }

    @inline(__always)
    private func position(mentor i: Int, mentee j: Int) -> Int? {
        guard start[j] != start[j + 1] else { return nil }
        return sortedPosition(of: i, in: mentors, start[j] ..< start[j + 1])
    }

    @inline(__always)
    func contains(mentor i: Int, mentee j: Int) -> Bool { position(mentor: i, mentee: j) != nil }

    @inline(__always)
    subscript(mentor i: Int, mentee j: Int) -> Value? { position(mentor: i, mentee: j).map { values[$0] } }
}

/// Each person's stated list (`preferences[]`) as sorted (partner index, rank) entries, so a rank
/// lookup is a binary search over one person's entries and the partners come out in index order.
///
/// A partner listed twice keeps its first (best) rank; ids that are not of the other side are left out.
struct ListRanks: Sendable {
    /// Entries of person k are `start[k] ..< start[k + 1]`, by partner index.
    private let start: [Int]
    private let partners: [Int32]
    private let ranks: [Int32]

    init(_ people: [Person], partnerIndex: [PersonID: Int]) {
        var start = [0], partners: [Int32] = [], ranks: [Int32] = []
        start.reserveCapacity(people.count + 1)
        for person in people {
            var entries: [(partner: Int32, rank: Int32)] = []
            for (g, group) in person.preferences.enumerated() {
                for id in group { if let k = partnerIndex[id] { entries.append((Int32(k), Int32(g + 1))) } }
            }
            entries.sort { ($0.partner, $0.rank) < ($1.partner, $1.rank) }
            for (n, e) in entries.enumerated() where n == 0 || entries[n - 1].partner != e.partner {
                partners.append(e.partner); ranks.append(e.rank)
            }
            start.append(partners.count)
        }
        self.start = start; self.partners = partners; self.ranks = ranks
    }

    /// The rank person k gives partner `other`, or nil if unlisted.
    @inline(__always)
    func rank(of other: Int, by k: Int) -> Int32? {
        let lo = start[k], hi = start[k + 1]
        guard lo != hi else { return nil }
        let key = Int32(truncatingIfNeeded: other)
        if hi - lo <= 8 {
            // Short lists (most are): look at every entry rather than branch on each comparison.
            var rank: Int32 = 0
            for n in lo..<hi { rank = partners[n] == key ? ranks[n] : rank }
            return rank == 0 ? nil : rank
        }
        return sortedPosition(of: other, in: partners, lo ..< hi).map { ranks[$0] }
    }

    /// The partners person k lists, in index order.
    func partners(of k: Int) -> ArraySlice<Int32> { partners[start[k] ..< start[k + 1]] }
}

/// The position of `key` in `range` of `sorted` (ascending within the range), or nil: the lookup
/// behind every per-person sorted segment (candidate pairs, pair tables, stated lists).
@inline(__always)
func sortedPosition(of key: Int, in sorted: [Int32], _ range: Range<Int>) -> Int? {
    var lo = range.lowerBound, hi = range.upperBound
    let key = Int32(truncatingIfNeeded: key)
    while lo < hi {
        let mid = (lo + hi) >> 1
        if sorted[mid] < key { lo = mid + 1 } else { hi = mid }
    }
    return lo < range.upperBound && sorted[lo] == key ? lo : nil
}
