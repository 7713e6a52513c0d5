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
    /// - Complexity: O(P) for P candidate pairs, after building the ranks.
    public static func find(selection: [Int], problem: MatchingProblem, ctx: PairingContext) -> [(mentor: Int, mentee: Int)] {
        find(selection: selection, problem: problem, ranks: PreferenceRanks(problem: problem, ctx: ctx))
    }

    /// As ``find(selection:problem:ctx:)`` with ranks already built (or lottery-broken ones).
    public static func find(selection: [Int], problem: MatchingProblem, ranks: PreferenceRanks) -> [(mentor: Int, mentee: Int)] {
        let pairs = problem.pairs
        let worst = Int32.max
        var menteeHas = [Int32](repeating: worst, count: pairs.menteeCount)   // rank of current mentor; max = unmatched/unacceptable
        var menteeMatched = [Bool](repeating: false, count: pairs.menteeCount)
        var load = [Int](repeating: 0, count: pairs.mentorCount)
        var mentorWorst = [Int32](repeating: -1, count: pairs.mentorCount)     // worst rank among non-locked mentees
        let locked = Set(problem.locked)
        var lockedMentee = [Bool](repeating: false, count: pairs.menteeCount)
        var chosen = [Bool](repeating: false, count: pairs.count)
        for p in selection {
            let i = Int(pairs.mentor[p]), j = Int(pairs.mentee[p])
            chosen[p] = true
            load[i] += 1
            menteeMatched[j] = true
            menteeHas[j] = ranks.acceptable[p] ? ranks.menteeRank[p] : worst
            if locked.contains(p) { lockedMentee[j] = true; continue }
            mentorWorst[i] = max(mentorWorst[i], ranks.acceptable[p] ? ranks.mentorRank[p] : worst)
        }
        var out: [(mentor: Int, mentee: Int)] = []
        for p in 0..<pairs.count where ranks.acceptable[p] && !chosen[p] {
            let i = Int(pairs.mentor[p]), j = Int(pairs.mentee[p])
            if lockedMentee[j] { continue }
            let menteeWants = !menteeMatched[j] || ranks.menteeRank[p] < menteeHas[j]
            guard menteeWants else { continue }
            let mentorWants = load[i] < problem.capacity[i] || ranks.mentorRank[p] < mentorWorst[i]
            if mentorWants { out.append((i, j)) }
        }
        return out
    }
}
