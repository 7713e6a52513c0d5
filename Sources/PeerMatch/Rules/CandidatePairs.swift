import Foundation

/// Every mentor–mentee pair that passes the active hard rules, with its score. Sparse: pairs a
/// rule forbids are never stored. Stored by mentee, then mentor (both by position in the cohort).
public struct CandidatePairs: Sendable {
    public let mentorCount: Int
    public let menteeCount: Int
    public private(set) var mentor: [Int32] = []
    public private(set) var mentee: [Int32] = []
    /// Score in hundredths of a point.
    public private(set) var score: [Int] = []
    /// Pairs of mentee j are `menteeStart[j] ..< menteeStart[j+1]`.
    public private(set) var menteeStart: [Int] = [0]

    public var count: Int { mentor.count }

    public func pairs(ofMentee j: Int) -> Range<Int> { menteeStart[j] ..< menteeStart[j + 1] }

    /// Pair indices of each mentor, in mentee order.
    public func pairsByMentor() -> [[Int]] {
        var out = Array(repeating: [Int](), count: mentorCount)
        for p in 0..<count { out[Int(mentor[p])].append(p) }
        return out
    }

    /// The pair index of (mentor i, mentee j), if it is a candidate.
    public func index(mentor i: Int, mentee j: Int) -> Int? {
        let r = pairs(ofMentee: j)
        // Pairs of one mentee are sorted by mentor: binary search.
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(mentor[mid]) < i { lo = mid + 1 } else { hi = mid }
        }
        return lo < r.upperBound && Int(mentor[lo]) == i ? lo : nil
    }

    /// Builds the candidate pairs of a cohort under its policy.
    ///
    /// When the age-gap rule is hard, mentors are indexed by age so each mentee only looks at
    /// mentors inside its age window. Mentees are processed in parallel chunks; the output order
    /// does not depend on the number of threads.
    ///
    /// - Complexity: O(Σ over mentees of mentors in its window × rules).
    public init(_ ctx: PairingContext) {
        mentorCount = ctx.cohort.mentors.count
        menteeCount = ctx.cohort.mentees.count
        let rules = ctx.hardRules
        let ageWindow = ctx.policy.ageGap.mode == .hard
        let listsOnly = ctx.policy.method == .stable
        // Mentors with a known age, sorted by age (ties by index) for the age window.
        let byAge: [(age: Double, index: Int)] = ctx.mentorAges.enumerated()
            .compactMap { i, a in a.map { ($0, i) } }
            .sorted { ($0.age, $0.index) < ($1.age, $1.index) }
        let allMentors = Array(0..<mentorCount)

        let chunkSize = 256
        let nMentees = menteeCount
        let chunks = (nMentees + chunkSize - 1) / chunkSize
        var results = [(mentor: [Int32], score: [Int], counts: [Int])](repeating: ([], [], []), count: chunks)
        results.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                var ms: [Int32] = [], ss: [Int] = [], counts: [Int] = []
                for j in (c * chunkSize) ..< min(nMentees, (c + 1) * chunkSize) {
                    var window = allMentors
                    if ageWindow {
                        window = []
                        if let a = ctx.menteeAges[j] {
                            let lo = a + ctx.policy.ageGap.min - 1e-9, hi = a + ctx.policy.ageGap.max + 1e-9
                            var k = lowerBound(byAge, lo)
                            while k < byAge.count, byAge[k].age <= hi { window.append(byAge[k].index); k += 1 }
                            window.sort()
                        }
                    }
                    if listsOnly {
                        // The age window is only a shortcut (the age rule is checked below), so a
                        // listed mentee may use her list as the window instead.
                        if !ctx.mentee(j).preferences.isEmpty { window = ctx.menteeListRank[j].keys.map { Int($0) }.sorted() }
                        window = window.filter { ctx.listsAccept(mentor: $0, mentee: j) }
                    }
                    var n = 0
                    for i in window where rules.allSatisfy({ $0.allows(mentor: i, mentee: j, in: ctx) }) {
                        ms.append(Int32(i))
                        ss.append(ScoreTerms.score(mentor: i, mentee: j, in: ctx))
                        n += 1
                    }
                    counts.append(n)
                }
                out[c] = (ms, ss, counts)
            }
        }
        var j = 0
        for r in results {
            mentor.append(contentsOf: r.mentor)
            score.append(contentsOf: r.score)
            var start = 0
            for n in r.counts {
                mentee.append(contentsOf: repeatElement(Int32(j), count: n))
                start += n
                menteeStart.append(mentee.count)
                j += 1
            }
        }
    }

    /// The same pairs with other scores (method random solves on seeded random scores).
    public func withScores(_ scores: [Int]) -> CandidatePairs {
        precondition(scores.count == count)
        var copy = self
        copy.score = scores
        return copy
    }

    /// The pairs whose index passes `keep`, and for each kept pair its index here (method fair's thresholds).
    public func filtered(_ keep: (Int) -> Bool) -> (pairs: CandidatePairs, original: [Int]) {
        var copy = self
        copy.mentor = []; copy.mentee = []; copy.score = []; copy.menteeStart = [0]
        var original: [Int] = []
        for j in 0..<menteeCount {
            for p in pairs(ofMentee: j) where keep(p) {
                copy.mentor.append(mentor[p]); copy.mentee.append(mentee[p]); copy.score.append(score[p])
                original.append(p)
            }
            copy.menteeStart.append(copy.mentor.count)
        }
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
    }
}

private func lowerBound(_ a: [(age: Double, index: Int)], _ x: Double) -> Int {
    var lo = 0, hi = a.count
    while lo < hi {
        let mid = (lo + hi) / 2
        if a[mid].age < x { lo = mid + 1 } else { hi = mid }
    }
    return lo
}
