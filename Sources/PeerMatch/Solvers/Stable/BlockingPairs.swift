import Foundation

/// Blocking pairs of any matching: pairs that would both rather be together than with (one of)
/// their current partners. Zero for a stable matching.
public enum BlockingPairs {
    /// The blocking pairs of `selection` (pair indices of `problem`), as (mentor, mentee) cohort
    /// indices in pair order, under the stated lists (``PreferenceRanks``).
    ///
    /// A pair (i, j) that is acceptable, not selected, and whose mentee is not locked blocks when
    /// - the mentee is unmatched, or strictly prefers i to her mentor; and
    /// - the mentor has a free place, or strictly prefers j to one of his non-locked mentees.
    ///
    /// "Strictly": partners in one tie group do not block each other (weak stability). Locked pairs
    /// are fixed, so a locked mentee never blocks and a locked mentee is never displaced. Being
    /// matched to a partner one's list rules out (possible under other methods) counts as worse
    /// than any acceptable partner. Works for a matching produced by any method.
    ///
    /// - Complexity: O(P) for P candidate pairs, with memory for the people and the selection only
    ///   (a person without a list compares two partners by score and id, without ranking them all).
    public static func find(selection: [Int], problem: MatchingProblem, ctx: PairingContext) -> [(mentor: Int, mentee: Int)] {
        find(selection: selection, problem: problem, ranks: PreferenceRanks(problem: problem, ctx: ctx))
    }

    /// As ``find(selection:problem:ctx:)`` with ranks already built (or lottery-broken ones).
    public static func find(selection: [Int], problem: MatchingProblem, ranks: PreferenceRanks) -> [(mentor: Int, mentee: Int)] {
        switch ranks.form {
        case .tables(let acceptable, let menteeRank, let mentorRank):
            return Scan(selection, problem, RankTables(acceptable: acceptable, menteeRank: menteeRank, mentorRank: mentorRank)).list()
        case .stated(let lists):
            return Scan(selection, problem, lists).list()
        }
    }

    /// How many blocking pairs ``find(selection:problem:ranks:)`` would list, without listing them.
    public static func count(selection: [Int], problem: MatchingProblem, ranks: PreferenceRanks) -> Int {
        switch ranks.form {
        case .tables(let acceptable, let menteeRank, let mentorRank):
            return Scan(selection, problem, RankTables(acceptable: acceptable, menteeRank: menteeRank, mentorRank: mentorRank)).count()
        case .stated(let lists):
            return Scan(selection, problem, lists).count()
        }
    }
}

/// One side's preference between pairs, as keys: lower is better, comparable within one person.
/// Nil when that side's list rules the pair out (tables: when the pair is not acceptable).
protocol PairKeys: Sendable {
    func menteeKey(_ p: Int) -> Int64?
    func mentorKey(_ p: Int) -> Int64?
}

extension StatedLists: PairKeys {}

/// Ranks given as tables: a pair's key is its rank.
struct RankTables: PairKeys {
    let acceptable: [Bool]
    let menteeRank: [Int32]
    let mentorRank: [Int32]
    @inline(__always) func menteeKey(_ p: Int) -> Int64? { acceptable[p] ? Int64(menteeRank[p]) : nil }
    @inline(__always) func mentorKey(_ p: Int) -> Int64? { acceptable[p] ? Int64(mentorRank[p]) : nil }
}

/// The blocking-pair scan over every candidate pair, mentee by mentee (in parallel chunks; the
/// result is in pair order whatever the number of threads).
private struct Scan<Keys: PairKeys>: Sendable {
    let pairs: CandidatePairs
    let capacity: [Int]
    let keys: Keys
    /// The key each matched mentee gives her mentor; `worst` when unmatched or matched outside her list.
    let menteeHas: [Int64]
    let menteeMatched: [Bool]
    let lockedMentee: [Bool]
    /// Each mentee's selected pair (-1 when none); a mentee selected more than once (an invalid
    /// selection, checked elsewhere) uses `chosenTwice`.
    let menteeChosen: [Int]
    let chosenTwice: Set<Int>
    let load: [Int]
    /// The worst key each mentor gives a non-locked mentee of his (-1 when none).
    let mentorWorst: [Int64]

    static var worst: Int64 { Int64.max }

    init(_ selection: [Int], _ problem: MatchingProblem, _ keys: Keys) {
        let pairs = problem.pairs
        self.pairs = pairs; self.capacity = problem.capacity; self.keys = keys
        var menteeHas = [Int64](repeating: Self.worst, count: pairs.menteeCount)
        var menteeMatched = [Bool](repeating: false, count: pairs.menteeCount)
        var load = [Int](repeating: 0, count: pairs.mentorCount)
        var mentorWorst = [Int64](repeating: -1, count: pairs.mentorCount)
        let locked = Set(problem.locked)
        var lockedMentee = [Bool](repeating: false, count: pairs.menteeCount)
        var menteeChosen = [Int](repeating: -1, count: pairs.menteeCount)
        var twice: Set<Int> = []
        for p in selection {
            let i = Int(pairs.mentor[p]), j = Int(pairs.mentee[p])
            if menteeChosen[j] >= 0 { twice.insert(menteeChosen[j]); twice.insert(p) }
            menteeChosen[j] = p
            load[i] += 1
            menteeMatched[j] = true
            let (ek, mk) = (keys.menteeKey(p), keys.mentorKey(p))
            let acceptable = ek != nil && mk != nil
            menteeHas[j] = acceptable ? ek! : Self.worst
            if locked.contains(p) { lockedMentee[j] = true; continue }
            mentorWorst[i] = max(mentorWorst[i], acceptable ? mk! : Self.worst)
        }
        self.menteeHas = menteeHas; self.menteeMatched = menteeMatched; self.lockedMentee = lockedMentee
        self.menteeChosen = menteeChosen; self.chosenTwice = twice; self.load = load; self.mentorWorst = mentorWorst
    }

    /// Calls `body` with each blocking pair of mentee j, in pair order.
    @inline(__always)
    func blocking(ofMentee j: Int, _ body: (Int) -> Void) {
        if lockedMentee[j] { return }
        let matched = menteeMatched[j], has = menteeHas[j], chosen = menteeChosen[j]
        for p in pairs.pairs(ofMentee: j) {
            if p == chosen || (!chosenTwice.isEmpty && chosenTwice.contains(p)) { continue }
            guard let ek = keys.menteeKey(p), !matched || ek < has else { continue }
            let i = Int(pairs.mentor[p])
            guard let mk = keys.mentorKey(p), load[i] < capacity[i] || mk < mentorWorst[i] else { continue }
            body(p)
        }
    }

    /// Runs `chunk` over the mentees in parallel chunks and returns the chunk results in order.
    func perChunk<T: Sendable>(_ empty: T, _ chunk: @Sendable (Range<Int>) -> T) -> [T] {
        let n = pairs.menteeCount, size = 256
        let chunks = (n + size - 1) / size
        var results = [T](repeating: empty, count: chunks)
        results.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: chunks) { c in out[c] = chunk(c * size ..< min(n, (c + 1) * size)) }
        }
        return results
    }

    func list() -> [(mentor: Int, mentee: Int)] {
        perChunk([(mentor: Int, mentee: Int)]()) { mentees in
            var found: [(mentor: Int, mentee: Int)] = []
            for j in mentees { blocking(ofMentee: j) { p in found.append((Int(pairs.mentor[p]), j)) } }
            return found
        }.flatMap { $0 }
    }

    func count() -> Int {
        perChunk(0) { mentees in
            var n = 0
            for j in mentees { blocking(ofMentee: j) { _ in n += 1 } }
            return n
        }.reduce(0, +)
    }
}
