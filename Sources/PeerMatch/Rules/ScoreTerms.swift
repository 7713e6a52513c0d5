import Foundation

/// A pair score in hundredths of a point, so that sums are exact and reproducible by hand.
public enum Score {
    /// Rounds to 2 decimals, half away from zero, and returns hundredths.
    ///
    /// Equal to `Int((x * 100).rounded(.toNearestOrAwayFromZero))` (a test checks it), without the
    /// call into the C library's `round` that candidate generation made once per pair and term:
    /// the fraction `t - trunc(t)` is exact, so comparing it with ±0.5 decides the rounding exactly.
    @inline(__always)
    public static func hundredths(_ x: Double) -> Int {
        let t = x * 100
        let whole = Int(t)   // toward zero; traps on NaN and out-of-range values, as the rounding did
        let fraction = t - Double(whole)
        // Selects rather than branches: the fraction is as good as random from pair to pair.
        return whole + (fraction >= 0.5 ? 1 : 0) - (fraction <= -0.5 ? 1 : 0)
    }
    /// Hundredths back to points.
    public static func points(_ h: Int) -> Double { Double(h) / 100 }
}

/// One term of a pair's score: `weight × value`, with value in [0, 1]. One named piece used by
/// candidate scoring, the `candidates` breakdown and the reasons printed for each pair.
public protocol ScoreTerm: Sendable {
    /// Stable identifier used as the breakdown key and CSV column (`"sharedInterests"`).
    var id: String { get }
    func weight(_ policy: Policy) -> Double
    /// The term's value in [0, 1] for this pair.
    func value(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> Double
    /// Plain words for a pair that earns this term ("both like football and art"), or nil.
    func reason(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> String?
    /// Adds `Score.hundredths(weight × value)` of mentee j with each of `mentors` to `totals` (same
    /// positions). Candidate generation's form of ``value(mentor:mentee:in:)``, one call per mentee
    /// and term: leave it to the default, which asks `value` for each mentor (compiled for each
    /// term type, so `value` is a direct call there, not a dynamic one).
    func addHundredths(weight: Double, mentee j: Int, mentors: [Int32], to totals: inout [Int], in ctx: PairingContext)
}

extension ScoreTerm {
    public func addHundredths(weight: Double, mentee j: Int, mentors: [Int32], to totals: inout [Int], in ctx: PairingContext) {
        precondition(totals.count == mentors.count)
        for k in mentors.indices {
            totals[k] += Score.hundredths(weight * value(mentor: Int(mentors[k]), mentee: j, in: ctx))
        }
    }
}

public enum ScoreTerms {
    public static let all: [any ScoreTerm] = [
        SharedInterestsTerm(), NeedsMetTerm(), AgeClosenessTerm(), GenderPreferenceTerm(),
        StatedPreferencesTerm(), SameGroupPenaltyTerm(), SameGenderTerm(),
    ]

    /// Terms with a non-zero weight under the policy.
    public static func active(_ policy: Policy) -> [any ScoreTerm] { all.filter { $0.weight(policy) != 0 } }

    /// Each active term's contribution in hundredths: round(weight × value, 2 decimals).
    public static func breakdown(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> [(term: any ScoreTerm, hundredths: Int)] {
        ctx.scoreTerms.map { t in (t.term, Score.hundredths(t.weight * t.term.value(mentor: i, mentee: j, in: ctx))) }
    }

    /// The pair's score in hundredths: the staff rating if there is one, else the sum of the breakdown.
    public static func score(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> Int {
        if let staff = ctx.staffScores[mentor: i, mentee: j] { return staff }
        var total = 0
        for t in ctx.scoreTerms {
            total += Score.hundredths(t.weight * t.term.value(mentor: i, mentee: j, in: ctx))
        }
        return total
    }

    /// ``score(mentor:mentee:in:)`` of mentee j with each of `mentors`, into `totals` (resized to
    /// match): term by term for the whole list, then the staff ratings in place of the sums.
    static func scores(mentee j: Int, mentors: [Int32], into totals: inout [Int], in ctx: PairingContext) {
        totals.removeAll(keepingCapacity: true)
        totals.append(contentsOf: repeatElement(0, count: mentors.count))
        for t in ctx.scoreTerms {
            t.term.addHundredths(weight: t.weight, mentee: j, mentors: mentors, to: &totals, in: ctx)
        }
        if ctx.staffScores.hasEntries(mentee: j) {
            for k in mentors.indices {
                if let staff = ctx.staffScores[mentor: Int(mentors[k]), mentee: j] { totals[k] = staff }
            }
        }
    }
}

/// min(shared interests, interestsForFullMarks) / interestsForFullMarks.
public struct SharedInterestsTerm: ScoreTerm {
    public var id: String { "sharedInterests" }
    public func weight(_ p: Policy) -> Double { p.weights.sharedInterests }
    public func value(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> Double {
        let cap = max(1, ctx.policy.interestsForFullMarks)
        return Double(min(ctx.mentorInterests[i].intersectionCount(ctx.menteeInterests[j]), cap)) / Double(cap)
    }
    public func reason(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> String? {
        let shared = ctx.sharedInterestNames(i, j)
        return shared.isEmpty ? nil : "both like \(naturalList(shared))"
    }
}

/// Share of the mentee's needs that the mentor offers (0 when the mentee lists none).
public struct NeedsMetTerm: ScoreTerm {
    public var id: String { "needsMet" }
    public func weight(_ p: Policy) -> Double { p.weights.needsMet }
    public func value(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> Double {
        let needs = ctx.menteeNeeds[j].count
        guard needs > 0 else { return 0 }
        return Double(ctx.menteeNeeds[j].intersectionCount(ctx.mentorOffers[i])) / Double(needs)
    }
    public func reason(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> String? {
        let met = ctx.metNeedNames(i, j)
        return met.isEmpty ? nil : "offers \(naturalList(met)), which \(ctx.mentee(j).name) asked for"
    }
}

/// 1 − |gap − ideal| / max(ideal − min, max − ideal) inside the bounds, 0 outside or when an age is unknown.
public struct AgeClosenessTerm: ScoreTerm {
    public var id: String { "ageCloseness" }
    public func weight(_ p: Policy) -> Double { p.ageGap.mode == .off ? 0 : p.weights.ageCloseness }
    public func value(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> Double {
        guard let gap = ctx.ageGap(i, j) else { return 0 }
        let b = ctx.policy.ageGap, eps = 1e-9
        guard gap >= b.min - eps, gap <= b.max + eps else { return 0 }
        let spread = max(b.ideal - b.min, b.max - b.ideal)
        guard spread > 0 else { return abs(gap - b.ideal) < eps ? 1 : 0 }
        return max(0, min(1, 1 - abs(gap - b.ideal) / spread))
    }
    public func reason(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> String? {
        guard let gap = ctx.ageGap(i, j) else { return nil }
        let text = abs(gap) < 1e-9 ? "same age" : gap > 0 ? "\(years(gap)) older" : "\(years(gap)) younger"
        return text + Self.yearGroupNote(ctx.mentor(i), ctx.mentee(j))
    }

    /// Where an age came from the year group (Year N counts as N + 4.5), the reason says so: a
    /// colleague checking the pair should know the gap is between school years, not birthdays.
    static func yearGroupNote(_ m: Person, _ e: Person) -> String {
        func year(_ y: Double) -> String { "Year \(formatNumber(y))" }
        switch (m.age == nil ? m.yearGroup : nil, e.age == nil ? e.yearGroup : nil) {
        case let (a?, b?): return " (by year group: \(year(a)) and \(year(b)))"
        case let (a?, nil): return " (\(m.name)'s age from \(year(a)))"
        case let (nil, b?): return " (\(e.name)'s age from \(year(b)))"
        default: return ""
        }
    }
}

/// Half a point for each side whose gender preference the pair meets ("any" always counts as met).
public struct GenderPreferenceTerm: ScoreTerm {
    public var id: String { "genderPreference" }
    public func weight(_ p: Policy) -> Double { p.genderPreference == .off ? 0 : p.weights.genderPreference }
    public func value(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> Double {
        let (byMentee, byMentor) = ctx.genderAccepted(mentor: i, mentee: j)
        return (byMentee ? 0.5 : 0) + (byMentor ? 0.5 : 0)
    }
    public func reason(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> String? {
        let m = ctx.mentor(i), e = ctx.mentee(j)
        var parts: [String] = []
        if e.genderPreference != .any, e.genderPreference.accepts(partnerGender: m.gender, ownGender: e.gender) {
            parts.append("meets \(e.name)'s wish for \(e.genderPreference.describe(partnerRole: .mentor, ownGender: e.gender))")
        }
        if m.genderPreference != .any, m.genderPreference.accepts(partnerGender: e.gender, ownGender: m.gender) {
            parts.append("meets \(m.name)'s wish for \(m.genderPreference.describe(partnerRole: .mentee, ownGender: m.gender))")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}

/// Average over both sides of 1 − (rank − 1) / (length of that side's list); 0 for an unlisted partner.
public struct StatedPreferencesTerm: ScoreTerm {
    public var id: String { "statedPreferences" }
    public func weight(_ p: Policy) -> Double { p.weights.statedPreferences }
    @inline(__always)
    static func side(_ rank: Int?, listLength: Int) -> Double {
        guard let r = rank else { return 0 }
        return 1 - Double(r - 1) / Double(listLength)
    }
    public func value(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> Double {
        let (ne, nm) = (ctx.menteeListLength[j], ctx.mentorListLength[i])
        if ne == 0 && nm == 0 { return 0 }
        return (Self.side(ne == 0 ? nil : ctx.menteeRank(mentor: i, mentee: j), listLength: ne)
                + Self.side(nm == 0 ? nil : ctx.mentorRank(mentor: i, mentee: j), listLength: nm)) / 2
    }
    public func reason(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> String? {
        let m = ctx.mentor(i), e = ctx.mentee(j)
        var parts: [String] = []
        if let r = ctx.menteeRank(mentor: i, mentee: j) { parts.append("\(e.name)'s \(ordinal(r)) choice") }
        if let r = ctx.mentorRank(mentor: i, mentee: j) { parts.append("\(m.name) ranked \(e.name) \(ordinal(r))") }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}

/// 1 when both share a group and the policy penalises it; its weight is negative.
public struct SameGroupPenaltyTerm: ScoreTerm {
    public var id: String { "sameGroupPenalty" }
    public func weight(_ p: Policy) -> Double { p.sameGroup == .penalise ? -p.weights.sameGroupPenalty : 0 }
    public func value(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> Double {
        let a = ctx.mentorGroups[i]
        return a >= 0 && a == ctx.menteeGroups[j] ? 1 : 0
    }
    public func reason(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> String? {
        value(mentor: i, mentee: j, in: ctx) > 0 ? "same group (\(ctx.mentor(i).group ?? "")), which the policy discourages" : nil
    }
}

/// 1 when mentor and mentee have the same known gender (the `gender` preset matches on it).
public struct SameGenderTerm: ScoreTerm {
    public var id: String { "sameGender" }
    public func weight(_ p: Policy) -> Double { p.weights.sameGender }
    public func value(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> Double {
        ctx.sameKnownGender(mentor: i, mentee: j) ? 1 : 0
    }
    public func reason(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> String? {
        value(mentor: i, mentee: j, in: ctx) > 0 ? "both \(ctx.mentor(i).gender ?? "")" : nil
    }
}
