/// A rule that removes pairs. One named piece used by candidate generation, both solvers'
/// verification, lock validation and the explanations of rejected pairs.
public protocol HardRule: Sendable {
    /// Stable identifier used in output (`"ageGap"`).
    var id: String { get }
    /// Whether the policy switches this rule on as a hard rule.
    func isActive(_ policy: Policy) -> Bool
    /// Whether the pair passes.
    func allows(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> Bool
    /// Plain words on why the pair fails ("Sam is 0.5 years older; the policy needs 1 to 4").
    func rejection(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> String
    /// Removes from `mentors` (mentor indices) those that this rule forbids with mentee j, keeping
    /// the order of the rest. Candidate generation's form of ``allows(mentor:mentee:in:)``, one call
    /// per mentee and rule: leave it to the default, which asks `allows` for each mentor (the
    /// default is compiled for each rule type, so `allows` is a direct call there, not a dynamic one).
    func removeForbidden(_ mentors: inout [Int32], mentee j: Int, in ctx: PairingContext)
}

extension HardRule {
    public func removeForbidden(_ mentors: inout [Int32], mentee j: Int, in ctx: PairingContext) {
        // Compacts in place without a branch on the answer, which is as good as random from one
        // mentor to the next (a mispredicted branch per mentor cost more than the rule itself).
        let kept = mentors.withUnsafeMutableBufferPointer { buffer -> Int in
            var kept = 0
            for k in 0..<buffer.count {
                let i = buffer[k]
                buffer[kept] = i
                kept += allows(mentor: Int(i), mentee: j, in: ctx) ? 1 : 0
            }
            return kept
        }
        mentors.removeLast(mentors.count - kept)
    }
}

/// The hard rules, in the order they are checked (cheapest and most decisive first).
public enum HardRules {
    public static let all: [any HardRule] = [
        ExclusionRule(), OnlyScoredPairsRule(), AgeGapRule(), GenderPreferenceRule(),
        RequiredQualificationsRule(), SameGroupRule(), RotationRule(),
    ]

    public static func active(_ policy: Policy) -> [any HardRule] { all.filter { $0.isActive(policy) } }

    /// The ids of every active rule the pair breaks, in check order.
    public static func violations(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> [any HardRule] {
        ctx.hardRules.filter { !$0.allows(mentor: i, mentee: j, in: ctx) }
    }
}

/// `exclusions[]`: never pair these two.
public struct ExclusionRule: HardRule {
    public var id: String { "exclusion" }
    public func isActive(_ p: Policy) -> Bool { p.exclusions == .hard }
    public func allows(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> Bool {
        !ctx.exclusions.contains(mentor: i, mentee: j)
    }
    public func rejection(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> String {
        let reason = ctx.exclusions[mentor: i, mentee: j] ?? ""
        return "excluded" + (reason.isEmpty ? "" : " (\(reason))")
    }
}

/// `onlyScoredPairs`: only pairs staff have rated may be matched.
public struct OnlyScoredPairsRule: HardRule {
    public var id: String { "onlyScoredPairs" }
    public func isActive(_ p: Policy) -> Bool { p.onlyScoredPairs }
    public func allows(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> Bool {
        ctx.staffScores.contains(mentor: i, mentee: j)
    }
    public func rejection(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> String {
        "not rated by staff, and only rated pairs may be matched"
    }
}

/// Age gap (mentor minus mentee) within the policy's bounds.
public struct AgeGapRule: HardRule {
    public var id: String { "ageGap" }
    public func isActive(_ p: Policy) -> Bool { p.ageGap.mode == .hard }
    public func allows(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> Bool {
        guard let gap = ctx.ageGap(i, j) else { return false }
        let eps = 1e-9
        return gap >= ctx.policy.ageGap.min - eps && gap <= ctx.policy.ageGap.max + eps
    }
    public func rejection(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> String {
        let b = ctx.policy.ageGap
        let bounds = "\(formatNumber(b.min)) to \(formatNumber(b.max)) years older"
        guard let gap = ctx.ageGap(i, j) else { return "age unknown; the mentor must be \(bounds)" }
        let name = ctx.mentor(i).name
        let said = gap == 0 ? "\(name) is the same age" : gap > 0 ? "\(name) is \(years(gap)) older" : "\(name) is \(years(gap)) younger"
        return "age gap: \(said); the mentor must be \(bounds)"
    }
}

/// Each side's gender preference, as a hard rule.
public struct GenderPreferenceRule: HardRule {
    public var id: String { "genderPreference" }
    public func isActive(_ p: Policy) -> Bool { p.genderPreference == .hard }
    public func allows(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> Bool {
        let (byMentee, byMentor) = ctx.genderAccepted(mentor: i, mentee: j)
        return byMentee && byMentor
    }
    public func rejection(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> String {
        let m = ctx.mentor(i), e = ctx.mentee(j)
        if !e.genderPreference.accepts(partnerGender: m.gender, ownGender: e.gender) {
            return "gender: \(e.name) wants \(e.genderPreference.describe(partnerRole: .mentor, ownGender: e.gender))"
        }
        return "gender: \(m.name) wants \(m.genderPreference.describe(partnerRole: .mentee, ownGender: m.gender))"
    }
}

/// Mentee's `requires[]` must all be among the mentor's `qualifications[]`.
public struct RequiredQualificationsRule: HardRule {
    public var id: String { "requires" }
    public func isActive(_ p: Policy) -> Bool { p.requiredQualifications == .hard }
    public func allows(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> Bool {
        ctx.menteeRequires[j].isSubset(of: ctx.mentorQualifications[i])
    }
    public func rejection(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> String {
        // No "requires:" prefix: every caller puts the rule's id in front already.
        "\(ctx.mentee(j).name) needs a mentor who is \(naturalList(ctx.missingRequirements(i, j)))"
    }
}

/// Same tutor group or friendship circle, when the policy forbids it.
public struct SameGroupRule: HardRule {
    public var id: String { "sameGroup" }
    public func isActive(_ p: Policy) -> Bool { p.sameGroup == .forbid }
    public func allows(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> Bool {
        let a = ctx.mentorGroups[i]
        return a < 0 || a != ctx.menteeGroups[j]
    }
    public func rejection(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> String {
        "same group (\(ctx.mentor(i).group ?? "")), and the policy keeps mentors outside their mentee's circle"
    }
}

/// `rotation: avoidRepeat`: people who were paired in an earlier term (`history[]`) are not paired again.
public struct RotationRule: HardRule {
    public var id: String { "rotation" }
    public func isActive(_ p: Policy) -> Bool { p.rotation == .avoidRepeat }
    public func allows(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> Bool {
        !ctx.history.contains(mentor: i, mentee: j)
    }
    public func rejection(mentor i: Int, mentee j: Int, in ctx: PairingContext) -> String {
        let term = ctx.history[mentor: i, mentee: j] ?? ""
        return "already paired in an earlier term" + (term.isEmpty ? "" : " (\(term))") + ", and the policy rotates partners"
    }
}

/// Numbers as people write them: 2, 1.5, 0.25.
public func formatNumber(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    var s = String(format: "%.2f", x)
    while s.hasSuffix("0") { s.removeLast() }
    return s
}
