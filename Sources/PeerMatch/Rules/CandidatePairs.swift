import Foundation

/// Pair scores in hundredths of a point, stored in 32 bits (4 bytes a pair rather than 8) and
/// read as `Int`. Staff ratings are at most ±1,000,000 points and computed scores are sums of
/// weights of at most 10,000, so every score of a valid cohort and policy fits; storing one that
/// does not is a programming error and stops with a message.
public struct PairScores: RandomAccessCollection, Sendable, Hashable {
    private(set) var storage: [Int32]

    public init(_ hundredths: [Int]) { storage = hundredths.map(Self.stored) }
    init(storage: [Int32]) { self.storage = storage }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }
    @inline(__always) public subscript(p: Int) -> Int { Int(storage[p]) }

    mutating func append(_ hundredths: Int) { storage.append(Self.stored(hundredths)) }

    @inline(__always)
    static func stored(_ hundredths: Int) -> Int32 {
        guard let v = Int32(exactly: hundredths) else { preconditionFailure("pair score \(hundredths) hundredths does not fit in 32 bits") }
        return v
    }
}

/// Every mentor–mentee pair that passes the active hard rules, with its score. Sparse: pairs a
/// rule forbids are never stored. Stored by mentee, then mentor (both by position in the cohort).
public struct CandidatePairs: Sendable {
    public let mentorCount: Int
    public let menteeCount: Int
    public private(set) var mentor: [Int32] = []
    public private(set) var mentee: [Int32] = []
    /// Score in hundredths of a point.
    public private(set) var score = PairScores([])
    /// Pairs of mentee j are `menteeStart[j] ..< menteeStart[j+1]`.
    public private(set) var menteeStart: [Int] = [0]
    /// Each mentee's short list: its ``shortListLength`` best pairs by score (ties: by
    /// ``tieKey(mentor:mentee:)``), best first, in `shortList[shortListStart[j] ..< shortListStart[j+1]]`. Kept while
    /// the pairs are made, so the solvers' first core and the greedy's choices need no pass
    /// over every pair (20,000 mentees: 116 million pairs, 1,280 kB of short lists).
    public private(set) var shortListStart: [Int32] = [0]
    public private(set) var shortList: [Int32] = []
    /// Pairs in each mentee's short list (fewer when the mentee has fewer pairs).
    public static let shortListLength = 16

    public var count: Int { mentor.count }

    public func pairs(ofMentee j: Int) -> Range<Int> { menteeStart[j] ..< menteeStart[j + 1] }

    /// Mentee j's best pairs, best first (see ``shortList``).
    public func bestPairs(ofMentee j: Int) -> ArraySlice<Int32> { shortList[Int(shortListStart[j]) ..< Int(shortListStart[j + 1])] }

    /// The short lists recomputed from the pairs (after the scores or the pairs change).
    mutating func rebuildShortLists() {
        var start: [Int32] = [0], list: [Int32] = []
        start.reserveCapacity(menteeCount + 1)
        var best = ShortListBuilder()
        for j in 0..<menteeCount {
            best.reset()
            for p in pairs(ofMentee: j) { best.offer(score: score.storage[p], pair: Int32(p), mentor: mentor[p], mentee: Int32(j)) }
            best.append(to: &list)
            start.append(Int32(list.count))
        }
        shortListStart = start; shortList = list
    }

    /// Pair indices of each mentor, in mentee order (one flat array: 4 bytes a pair).
    ///
    /// - Complexity: O(P) for P pairs.
    public func pairsByMentor() -> PairsByMentor { PairsByMentor(self) }

    /// How many candidate pairs each mentor has. O(P), and memory for the mentors only.
    public func pairCountsByMentor() -> [Int] {
        var counts = [Int](repeating: 0, count: mentorCount)
        for i in mentor { counts[Int(i)] += 1 }
        return counts
    }

    /// The pair index of (mentor i, mentee j), if it is a candidate.
    public func index(mentor i: Int, mentee j: Int) -> Int? {
        // Pairs of one mentee are sorted by mentor.
        sortedPosition(of: i, in: mentor, pairs(ofMentee: j))
    }

    /// Builds the candidate pairs of a cohort under its policy.
    ///
    /// When the age-gap rule is hard, mentors are indexed by age so each mentee only looks at
    /// mentors inside its age window. Mentees are processed in parallel chunks, twice: the first
    /// pass applies the hard rules, counts each mentee's pairs and notes which mentors of each
    /// window passed (one bit each); the second reads those bits instead of asking the rules
    /// again and writes each mentee's pairs and scores straight into arrays of the exact final
    /// size. Memory is then 12 bytes a pair and the bits (no per-chunk arrays copied at the end;
    /// a chunk whose bits would take over an eighth of its pairs' memory keeps none and asks the
    /// rules again), and the output does not depend on the number of threads.
    ///
    /// - Complexity: O(Σ over mentees of mentors in its window × (rules + terms)).
    public init(_ ctx: PairingContext) {
        self.init(ctx, limits: nil)!
    }

    /// The candidate pairs, or nil when `limits` stop the generation (checked every 32 mentees;
    /// the stage is "candidates").
    public init?(_ ctx: PairingContext, limits: SolveLimits?) {
        mentorCount = ctx.cohort.mentors.count
        menteeCount = ctx.cohort.mentees.count
        let windows = CandidateWindows(ctx)
        let n = menteeCount, m = mentorCount
        let chunkSize = 32
        let chunks = (n + chunkSize - 1) / chunkSize
        @Sendable func mentees(ofChunk c: Int) -> Range<Int> { c * chunkSize ..< min(n, (c + 1) * chunkSize) }

        let stop = StopFlag()
        @Sendable func stopped() -> Bool {
            if stop.isRaised { return true }
            // An interrupt (solve --on-interrupt write-best) lets the pairs finish: without them
            // there is no best result to write.
            guard let limits, let kind = limits.check(stage: "candidates"), kind != .cancelled else { return false }
            stop.raise()
            return true
        }

        // Pass 1: each mentee's number of pairs, and which mentors of each window passed.
        var menteeCounts = [Int](repeating: 0, count: n)
        var passedBits = [[UInt64]?](repeating: nil, count: chunks)
        menteeCounts.withUnsafeMutableBufferPointer { countBuffer in
            passedBits.withUnsafeMutableBufferPointer { bitsBuffer in
                nonisolated(unsafe) let countOut = countBuffer, bitsOut = bitsBuffer
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    if stopped() { return }
                    var considered: [Int32] = [], window: [Int32] = []
                    considered.reserveCapacity(m); window.reserveCapacity(m + 1)
                    var bits: [UInt64] = [], bitCount = 0, pairs = 0
                    for j in mentees(ofChunk: c) {
                        windows.considered(mentee: j, into: &considered)
                        window.removeAll(keepingCapacity: true)
                        window.append(contentsOf: considered)
                        windows.removeForbidden(mentee: j, from: &window)
                        countOut[j] = window.count
                        pairs += window.count
                        // The passed mentors are a subsequence of the considered ones: one bit each.
                        window.append(Int32.max)
                        bits.append(contentsOf: repeatElement(0, count: (bitCount + considered.count + 63) / 64 - bits.count))
                        var s = 0
                        for k in considered.indices {
                            let passed = considered[k] == window[s] ? 1 : 0
                            bits[(bitCount + k) >> 6] |= UInt64(passed) << UInt64((bitCount + k) & 63)
                            s += passed
                        }
                        bitCount += considered.count
                    }
                    if bitCount <= 12 * pairs { bitsOut[c] = bits }
                }
            }
        }
        if stop.isRaised { return nil }
        let passed = passedBits
        let counts = menteeCounts
        var menteeStart = [Int](repeating: 0, count: n + 1)
        for j in 0..<n { menteeStart[j + 1] = menteeStart[j] + counts[j] }
        let start = menteeStart, total = menteeStart[n]
        var listStart = [Int32](repeating: 0, count: n + 1)
        for j in 0..<n { listStart[j + 1] = listStart[j] + Int32(min(counts[j], Self.shortListLength)) }
        let shortStart = listStart
        var shortList = [Int32](repeating: 0, count: Int(listStart[n]))

        // Pass 2: the pairs and their scores, each mentee's straight into its place.
        var scores: [Int32] = [], menteeColumn: [Int32] = []
        let mentorColumn = [Int32](unsafeUninitializedCapacity: total) { mentorBuffer, mentorFilled in
            scores = [Int32](unsafeUninitializedCapacity: total) { scoreBuffer, scoreFilled in
                menteeColumn = [Int32](unsafeUninitializedCapacity: total) { menteeBuffer, menteeFilled in
                    nonisolated(unsafe) let mentorOut = mentorBuffer, scoreOut = scoreBuffer, menteeOut = menteeBuffer
                    shortList.withUnsafeMutableBufferPointer { listBuffer in
                    nonisolated(unsafe) let listOut = listBuffer
                    DispatchQueue.concurrentPerform(iterations: chunks) { c in
                        if stopped() { return }
                        var window: [Int32] = [], totals: [Int] = []
                        window.reserveCapacity(m); totals.reserveCapacity(m)
                        var best = ShortListBuilder()
                        var bitCount = 0
                        for j in mentees(ofChunk: c) {
                            windows.considered(mentee: j, into: &window)
                            if let bits = passed[c] {
                                let considered = window.count
                                let kept = window.withUnsafeMutableBufferPointer { buffer -> Int in
                                    var kept = 0
                                    for k in 0..<buffer.count {
                                        buffer[kept] = buffer[k]
                                        kept += Int(truncatingIfNeeded: bits[(bitCount + k) >> 6] >> UInt64((bitCount + k) & 63) & 1)
                                    }
                                    return kept
                                }
                                window.removeLast(considered - kept)
                                bitCount += considered
                            } else {
                                windows.removeForbidden(mentee: j, from: &window)
                            }
                            precondition(window.count == counts[j], "candidate generation is not deterministic")
                            ScoreTerms.scores(mentee: j, mentors: window, into: &totals, in: ctx)
                            var at = start[j]
                            best.reset()
                            for k in window.indices {
                                let stored = PairScores.stored(totals[k])
                                mentorOut[at] = window[k]
                                scoreOut[at] = stored
                                menteeOut[at] = Int32(j)
                                best.offer(score: stored, pair: Int32(at), mentor: window[k], mentee: Int32(j))
                                at += 1
                            }
                            best.write(into: listOut, at: Int(shortStart[j]))
                        }
                    }
                    }
                    menteeFilled = stop.isRaised ? 0 : total
                }
                scoreFilled = stop.isRaised ? 0 : total
            }
            mentorFilled = stop.isRaised ? 0 : total
        }
        if stop.isRaised { return nil }
        mentor = mentorColumn
        mentee = menteeColumn
        score = PairScores(storage: scores)
        self.menteeStart = start
        shortListStart = shortStart
        self.shortList = shortList
    }

    /// The same pairs with other scores (method random solves on seeded random scores).
    public func withScores(_ scores: [Int]) -> CandidatePairs {
        precondition(scores.count == count)
        var copy = self
        copy.score = PairScores(scores)
        copy.rebuildShortLists()
        return copy
    }

    /// The pairs whose index passes `keep`, and for each kept pair its index here (method fair's thresholds).
    public func filtered(_ keep: (Int) -> Bool) -> (pairs: CandidatePairs, original: [Int]) {
        var copy = self
        copy.mentor = []; copy.mentee = []; copy.score = PairScores([]); copy.menteeStart = [0]
        var original: [Int] = []
        for j in 0..<menteeCount {
            for p in pairs(ofMentee: j) where keep(p) {
                copy.mentor.append(mentor[p]); copy.mentee.append(mentee[p]); copy.score.append(score[p])
                original.append(p)
            }
            copy.menteeStart.append(copy.mentor.count)
        }
        copy.rebuildShortLists()
        return (copy, original)
    }

    /// Candidate pairs from explicit arrays (tests and converted benchmark instances).
    public init(mentorCount: Int, menteeCount: Int, pairs: [(mentor: Int, mentee: Int, score: Int)]) {
        self.mentorCount = mentorCount
        self.menteeCount = menteeCount
        let sorted = pairs.sorted { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) }
        var next = 0
        for j in 0..<menteeCount {
            while next < sorted.count, sorted[next].mentee == j {
                mentor.append(Int32(sorted[next].mentor)); mentee.append(Int32(j)); score.append(sorted[next].score)
                next += 1
            }
            menteeStart.append(mentor.count)
        }
        rebuildShortLists()
    }
}

/// Raised once by the first chunk that sees a limit, so the others stop without asking again.
private final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    func raise() { lock.withLock { raised = true } }
    var isRaised: Bool { lock.withLock { raised } }
}

/// A fixed pseudo-random key per (mentor, mentee), for breaking ties between equal scores.
///
/// Generated and real cohorts have many equal pair scores (terms are rounded, ages come in tenths):
/// a mentee often has dozens of mentors on her best score. Broken by index, every mentee's short
/// list would name the same low-numbered mentors, and solvers starting from the short lists would
/// spend their time resolving that crowding. A hash spreads the ties evenly and is the same on
/// every run (SplitMix64's finaliser).
@inline(__always)
func tieKey(mentor i: Int32, mentee j: Int32) -> UInt32 {
    var z = (UInt64(UInt32(bitPattern: j)) << 32 | UInt64(UInt32(bitPattern: i))) &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return UInt32(truncatingIfNeeded: z ^ (z >> 31))
}

/// The best ``CandidatePairs/shortListLength`` pairs offered, best score first, ties by
/// ``tieKey(mentor:mentee:)`` (then lower pair index). A short sorted array: most offers fail
/// the first comparison.
struct ShortListBuilder {
    private var scores: [Int32] = []
    private var keys: [UInt32] = []
    private var pairs: [Int32] = []
    let limit = CandidatePairs.shortListLength

    init() { scores.reserveCapacity(limit); keys.reserveCapacity(limit); pairs.reserveCapacity(limit) }

    mutating func reset() {
        scores.removeAll(keepingCapacity: true); keys.removeAll(keepingCapacity: true); pairs.removeAll(keepingCapacity: true)
    }

    /// Offers pair `pair` (pairs are offered in index order) of `mentor` and `mentee`.
    @inline(__always)
    mutating func offer(score: Int32, pair: Int32, mentor: Int32, mentee: Int32) {
        if scores.count == limit && score < scores[limit - 1] { return }
        let key = tieKey(mentor: mentor, mentee: mentee)
        // (score, key) beats (s, k) when the score is higher or equal with a smaller key.
        if scores.count == limit {
            guard score > scores[limit - 1] || key < keys[limit - 1] else { return }
            scores.removeLast(); keys.removeLast(); pairs.removeLast()
        }
        var k = scores.count
        while k > 0 && (scores[k - 1] < score || (scores[k - 1] == score && keys[k - 1] > key)) { k -= 1 }
        scores.insert(score, at: k); keys.insert(key, at: k); pairs.insert(pair, at: k)
    }

    func append(to list: inout [Int32]) { list.append(contentsOf: pairs) }

    func write(into out: UnsafeMutableBufferPointer<Int32>, at start: Int) {
        for k in pairs.indices { out[start + k] = pairs[k] }
    }
}

/// Pair indices of each mentor, in mentee order: ``CandidatePairs/pairsByMentor()``.
public struct PairsByMentor: RandomAccessCollection, Sendable {
    /// Pairs of mentor i are `pairIndex[start[i] ..< start[i + 1]]`.
    private let start: [Int]
    private let pairIndex: [Int32]

    init(_ pairs: CandidatePairs) {
        precondition(pairs.count <= Int(Int32.max), "too many candidate pairs to index by mentor")
        var start = [Int](repeating: 0, count: pairs.mentorCount + 1)
        for i in pairs.mentor { start[Int(i) + 1] += 1 }
        for i in 0..<pairs.mentorCount { start[i + 1] += start[i] }
        var next = start
        var index = [Int32](repeating: 0, count: pairs.count)
        for p in 0..<pairs.count {
            let i = Int(pairs.mentor[p])
            index[next[i]] = Int32(p)
            next[i] += 1
        }
        self.start = start; self.pairIndex = index
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { start.count - 1 }
    public subscript(i: Int) -> MentorPairs { MentorPairs(slice: pairIndex[start[i] ..< start[i + 1]]) }
}

/// One mentor's pair indices, ascending (so in mentee order).
public struct MentorPairs: RandomAccessCollection, Sendable {
    let slice: ArraySlice<Int32>
    public var startIndex: Int { 0 }
    public var endIndex: Int { slice.count }
    @inline(__always) public subscript(k: Int) -> Int { Int(slice[slice.startIndex + k]) }
}

/// The mentors candidate generation looks at for each mentee, narrowed by the active hard rules.
private struct CandidateWindows: Sendable {
    let ctx: PairingContext
    let ageWindow: Bool
    let listsOnly: Bool
    /// Known mentor ages, ascending, and the mentors they belong to (ties by index).
    let sortedAges: [Double]
    let byAge: [Int32]

    init(_ ctx: PairingContext) {
        self.ctx = ctx
        ageWindow = ctx.policy.ageGap.mode == .hard
        listsOnly = ctx.policy.method == .stable
        let known = ctx.mentorAges.indices.filter { !ctx.mentorAges[$0].isNaN }
            .sorted { (ctx.mentorAges[$0], $0) < (ctx.mentorAges[$1], $1) }
        sortedAges = known.map { ctx.mentorAges[$0] }
        byAge = known.map { Int32($0) }
    }

    /// The mentors (ascending) that candidate generation considers for mentee j, into `window`:
    /// a superset of those every active hard rule allows.
    func considered(mentee j: Int, into window: inout [Int32]) {
        window.removeAll(keepingCapacity: true)
        if listsOnly && ctx.menteeListLength[j] > 0 {
            // The age window is only a shortcut (the age rule is checked below), so a listed
            // mentee uses her list as the window instead.
            window.append(contentsOf: ctx.menteeLists.partners(of: j))
        } else if ageWindow {
            appendAgeWindow(mentee: j, into: &window)
        } else {
            window.append(contentsOf: 0 ..< Int32(ctx.cohort.mentors.count))
        }
        if listsOnly { window.removeAll { !ctx.listsAccept(mentor: Int($0), mentee: j) } }
    }

    /// Removes from `window` the mentors an active hard rule forbids with mentee j.
    func removeForbidden(mentee j: Int, from window: inout [Int32]) {
        for rule in ctx.hardRules { rule.removeForbidden(&window, mentee: j, in: ctx) }
    }

    /// Mentors whose age lies within the mentee's age window (a superset of those the age rule allows).
    private func appendAgeWindow(mentee j: Int, into window: inout [Int32]) {
        let a = ctx.menteeAges[j]
        guard !a.isNaN else { return }
        let lo = a + ctx.policy.ageGap.min - 1e-9, hi = a + ctx.policy.ageGap.max + 1e-9
        let first = partition(from: 0) { $0 < lo }
        let end = partition(from: first) { $0 <= hi }
        guard end > first else { return }
        let mentorCount = ctx.cohort.mentors.count
        if (end - first) * 16 >= mentorCount {
            // A wide window: scanning every mentor in index order beats sorting the window. The
            // scan writes every index and advances over those in the window, without branching.
            window.append(contentsOf: repeatElement(0, count: mentorCount))
            let kept = ctx.mentorAges.withUnsafeBufferPointer { ages in
                window.withUnsafeMutableBufferPointer { out -> Int in
                    var kept = 0
                    for i in 0..<ages.count {
                        out[kept] = Int32(truncatingIfNeeded: i)
                        kept += ages[i] >= lo && ages[i] <= hi ? 1 : 0
                    }
                    return kept
                }
            }
            window.removeLast(mentorCount - kept)
        } else {
            window.append(contentsOf: byAge[first ..< end])
            window.sort()
        }
    }

    /// The first position at or after `from` whose age fails `below` (ages ascending).
    private func partition(from: Int, _ below: (Double) -> Bool) -> Int {
        var lo = from, hi = sortedAges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if below(sortedAges[mid]) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
