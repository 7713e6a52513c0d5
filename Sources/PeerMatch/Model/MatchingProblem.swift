/// The optimisation problem behind one cohort, independent of any solver: candidate pairs with
/// scores, capacities, priorities, locks and the mentor minimum.
///
/// The objective is lexicographic, always maximised:
/// 1. for each priority from highest to lowest, the number of mentees of that priority matched;
/// 2. with a soft mentor minimum, the number of mentors who reach it;
/// 3. the total score.
public struct MatchingProblem: Sendable {
    public let pairs: CandidatePairs
    public let capacity: [Int]
    /// Mentees each mentor should get: min(policy minimum, capacity). All zero when there is none.
    public let minimum: [Int]
    public let minimumMode: RuleMode
    public let priority: [Int]
    /// Distinct mentee priorities, highest first.
    public let priorityLevels: [Int]
    /// Pair indices that must be in every solution.
    public let locked: [Int]

    public var mentorCount: Int { pairs.mentorCount }
    public var menteeCount: Int { pairs.menteeCount }
    public var hasSoftMinimum: Bool { minimumMode == .soft && minimum.contains { $0 > 0 } }
    public var hasHardMinimum: Bool { minimumMode == .hard && minimum.contains { $0 > 0 } }

    public init(pairs: CandidatePairs, capacity: [Int], priority: [Int], minimum: Int = 0,
                minimumMode: RuleMode = .soft, locked: [Int] = []) {
        self.pairs = pairs
        self.capacity = capacity
        self.priority = priority
        self.minimum = minimumMode == .off ? capacity.map { _ in 0 } : capacity.map { Swift.min(minimum, $0) }
        self.minimumMode = minimumMode
        self.priorityLevels = Array(Set(priority)).sorted(by: >)
        self.locked = locked.sorted()
    }

    /// The same problem with other pair scores.
    public func withScores(_ scores: [Int]) -> MatchingProblem {
        MatchingProblem(pairs: pairs.withScores(scores), capacity: capacity, priority: priority, minimum: minimum,
                        minimumMode: minimumMode, locked: locked)
    }

    /// The problem restricted to the pairs passing `keep` (locked pairs must pass), and each kept
    /// pair's index in this problem.
    public func restricted(to keep: (Int) -> Bool) -> (problem: MatchingProblem, original: [Int]) {
        let (sub, original) = pairs.filtered(keep)
        var newIndex: [Int: Int] = [:]
        for (k, p) in original.enumerated() { newIndex[p] = k }
        let subLocked = locked.compactMap { newIndex[$0] }
        precondition(subLocked.count == locked.count, "a restriction dropped a locked pair")
        return (MatchingProblem(pairs: sub, capacity: capacity, priority: priority, minimum: minimum,
                                minimumMode: minimumMode, locked: subLocked), original)
    }

    /// Per-mentor minimum given directly (already capped by capacity).
    init(pairs: CandidatePairs, capacity: [Int], priority: [Int], minimum: [Int], minimumMode: RuleMode, locked: [Int]) {
        self.pairs = pairs
        self.capacity = capacity
        self.priority = priority
        self.minimum = minimum
        self.minimumMode = minimumMode
        self.priorityLevels = Array(Set(priority)).sorted(by: >)
        self.locked = locked.sorted()
    }

    /// The value of a selection of pairs, compared lexicographically.
    public struct Evaluation: Comparable, Sendable, Hashable, CustomStringConvertible {
        /// Matched mentees per priority level, highest priority first.
        public var matchedByLevel: [Int]
        /// Mentors reaching their minimum (counted only with a soft minimum, else 0).
        public var mentorsAtMinimum: Int
        /// Total score in hundredths.
        public var score: Int

        public var matched: Int { matchedByLevel.reduce(0, +) }

        public static func < (a: Evaluation, b: Evaluation) -> Bool {
            if a.matchedByLevel != b.matchedByLevel { return a.matchedByLevel.lexicographicallyPrecedes(b.matchedByLevel) }
            if a.mentorsAtMinimum != b.mentorsAtMinimum { return a.mentorsAtMinimum < b.mentorsAtMinimum }
            return a.score < b.score
        }
        public var description: String { "matched \(matchedByLevel), at minimum \(mentorsAtMinimum), score \(Score.points(score))" }
    }

    public func evaluate(_ selection: [Int]) -> Evaluation {
        var byLevel = Array(repeating: 0, count: priorityLevels.count)
        let levelOf = Dictionary(uniqueKeysWithValues: priorityLevels.enumerated().map { ($1, $0) })
        var load = Array(repeating: 0, count: mentorCount)
        var score = 0
        for p in selection {
            byLevel[levelOf[priority[Int(pairs.mentee[p])]]!] += 1
            load[Int(pairs.mentor[p])] += 1
            score += pairs.score[p]
        }
        let atMin = hasSoftMinimum ? (0..<mentorCount).filter { minimum[$0] > 0 && load[$0] >= minimum[$0] }.count : 0
        return Evaluation(matchedByLevel: byLevel, mentorsAtMinimum: atMin, score: score)
    }

    /// Everything wrong with a selection (empty when feasible): a mentee twice, a capacity
    /// exceeded, a lock missing, a hard minimum not met.
    public func violations(_ selection: [Int]) -> [String] {
        var problems: [String] = []
        var menteeSeen = Array(repeating: false, count: menteeCount)
        var load = Array(repeating: 0, count: mentorCount)
        for p in selection {
            guard p >= 0, p < pairs.count else { problems.append("pair \(p) is not a candidate"); continue }
            let j = Int(pairs.mentee[p])
            if menteeSeen[j] { problems.append("mentee \(j) matched twice") }
            menteeSeen[j] = true
            load[Int(pairs.mentor[p])] += 1
        }
        for i in 0..<mentorCount where load[i] > capacity[i] { problems.append("mentor \(i) over capacity") }
        let chosen = Set(selection)
        for p in locked where !chosen.contains(p) { problems.append("locked pair \(p) missing") }
        if minimumMode == .hard {
            for i in 0..<mentorCount where load[i] < minimum[i] { problems.append("mentor \(i) below the minimum") }
        }
        return problems
    }
}
