import Foundation

/// One number `peermatch compare` reports for a policy on a cohort. Each is computed from the
/// cohort and the result alone (``values(cohort:result:scoring:)``), so two policies are measured
/// the same way whatever they optimise.
public enum ComparisonMetric: String, Sendable, CaseIterable {
    /// Matched mentees / mentees.
    case matchedShare
    /// Mean pair score over matched pairs, scored with the comparison's scoring policy.
    case meanPairScore
    /// Lowest pair score over matched pairs, same scoring.
    case minPairScore
    /// Matched pairs sharing at least one interest / matched pairs.
    case sharedInterestShare
    /// Mean of mentor age − mentee age over matched pairs with both ages known.
    case meanAgeGap
    /// Largest mentor age − mentee age over those pairs.
    case maxAgeGap
    /// Over matched pairs where at least one side states a gender wish (not `any`): the share
    /// where every stated wish is met.
    case genderWishesMet
    /// Over matched pairs where both genders are known: the share where they are the same (as the
    /// `sameGender` score term compares them). The `gender` preset's aim, visible even though
    /// gender wishes are a hard rule in every preset.
    case sameGenderShare
    /// Over mentees with a non-empty `preferences[]`: the share matched to a mentor in their first
    /// three entries (tie groups count as one entry); unmatched ones count as not.
    case topThreeChoice
    /// Pairs who would both rather be together (``BlockingPairs``, under the policy's own hard rules).
    case blockingPairs
    /// Wall-clock seconds of the solve. Reported only on request (`--timings`): it differs between runs.
    case seconds

    /// Column heading.
    public var label: String {
        switch self {
        case .matchedShare: return "matched %"
        case .meanPairScore: return "mean pair score"
        case .minPairScore: return "min pair score"
        case .sharedInterestShare: return "≥1 shared interest %"
        case .meanAgeGap: return "mean age gap"
        case .maxAgeGap: return "max age gap"
        case .genderWishesMet: return "gender wishes met %"
        case .sameGenderShare: return "same-gender pairs %"
        case .topThreeChoice: return "top-3 choice %"
        case .blockingPairs: return "blocking pairs"
        case .seconds: return "seconds"
        }
    }

    /// Shares are shown as percentages.
    public var isShare: Bool { [.matchedShare, .sharedInterestShare, .genderWishesMet, .sameGenderShare, .topThreeChoice].contains(self) }

    /// Which direction is better, for the chart's reading aid (nil: neither, e.g. age gap).
    public var higherIsBetter: Bool? {
        switch self {
        case .matchedShare, .meanPairScore, .minPairScore, .sharedInterestShare, .genderWishesMet, .topThreeChoice: return true
        case .blockingPairs, .seconds: return false
        case .meanAgeGap, .maxAgeGap, .sameGenderShare: return nil
        }
    }

    /// The metrics shown by default: all but seconds.
    public static let deterministic: [ComparisonMetric] = allCases.filter { $0 != .seconds }

    /// Every metric for one result, in `allCases` order; nil where the metric is undefined (no
    /// matched pair, nobody with a gender wish, nobody with a list).
    public static func values(cohort: Cohort, result: MatchResult, scoring: PairingContext) -> [Double?] {
        let mentors = scoring.mentorIndex, mentees = scoring.menteeIndex
        var scores: [Double] = [], gaps: [Double] = [], sharing = 0, wishPairs = 0, wishesMet = 0
        var gendered = 0, sameGender = 0
        var mentorOf: [PersonID: PersonID] = [:]
        for pair in result.pairs {
            mentorOf[pair.mentee] = pair.mentor
            guard let i = mentors[pair.mentor], let j = mentees[pair.mentee] else { continue }
            let m = scoring.mentor(i), e = scoring.mentee(j)
            scores.append(Score.points(ScoreTerms.score(mentor: i, mentee: j, in: scoring)))
            if let a = m.effectiveAge, let b = e.effectiveAge { gaps.append(a - b) }
            if !Set(m.interests.map(normalisedKey)).isDisjoint(with: e.interests.map(normalisedKey)) { sharing += 1 }
            // Genders compared as the `sameGender` score term compares them.
            if scoring.mentorGender[i] >= 0 && scoring.menteeGender[j] >= 0 {
                gendered += 1
                if scoring.sameKnownGender(mentor: i, mentee: j) { sameGender += 1 }
            }
            if m.genderPreference != .any || e.genderPreference != .any {
                wishPairs += 1
                if m.genderPreference.accepts(partnerGender: e.gender, ownGender: m.gender),
                   e.genderPreference.accepts(partnerGender: m.gender, ownGender: e.gender) { wishesMet += 1 }
            }
        }
        let ranking = cohort.mentees.filter { !$0.preferences.isEmpty }
        let topThree = ranking.filter { e in mentorOf[e.id].flatMap { e.rank(of: $0) }.map { $0 <= 3 } ?? false }.count
        func ratio(_ a: Int, _ b: Int) -> Double? { b == 0 ? nil : Double(a) / Double(b) }
        return allCases.map { metric -> Double? in
            switch metric {
            case .matchedShare: return ratio(result.matched, cohort.mentees.count)
            case .meanPairScore: return scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count)
            case .minPairScore: return scores.min()
            case .sharedInterestShare: return ratio(sharing, scores.count)
            case .meanAgeGap: return gaps.isEmpty ? nil : gaps.reduce(0, +) / Double(gaps.count)
            case .maxAgeGap: return gaps.max()
            case .genderWishesMet: return ratio(wishesMet, wishPairs)
            case .sameGenderShare: return ratio(sameGender, gendered)
            case .topThreeChoice: return ratio(topThree, ranking.count)
            case .blockingPairs: return Double(result.preferences.blockingPairs)
            case .seconds: return result.stats.seconds
            }
        }
    }
}
