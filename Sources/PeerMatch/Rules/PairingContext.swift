import Foundation

/// A mentor–mentee pair by position in the cohort's lists.
public struct PairKey: Hashable, Sendable, Comparable {
    public var mentor: Int32
    public var mentee: Int32
    public init(mentor: Int, mentee: Int) { self.mentor = Int32(mentor); self.mentee = Int32(mentee) }
    public static func < (a: PairKey, b: PairKey) -> Bool {
        (a.mentor, a.mentee) < (b.mentor, b.mentee)
    }
}

/// Everything the rules and score terms look up about a cohort, computed once.
///
/// Rules and terms receive indices into `cohort.mentors` and `cohort.mentees`, so the same code
/// serves candidate generation, both solvers, validation of locks and the explanations.
public struct PairingContext: Sendable {
    public let cohort: Cohort
    public let policy: Policy
    public let mentorIndex: [PersonID: Int]
    public let menteeIndex: [PersonID: Int]

    /// Excluded pairs with the stated reason (empty string when none was given).
    let exclusions: PairTable<String>
    /// Staff ratings, in hundredths.
    let staffScores: PairTable<Int>
    /// Pairs from earlier terms (`history[]`), with the term they met in (empty when not given).
    let history: PairTable<String>

    /// Display names of vocabulary items, by index (first spelling seen).
    let interestNames: [String]
    let skillNames: [String]
    let mentorInterests: [FeatureBits]
    let menteeInterests: [FeatureBits]
    let mentorOffers: [FeatureBits]
    let menteeNeeds: [FeatureBits]
    let mentorQualifications: [FeatureBits]
    let menteeRequires: [FeatureBits]
    /// ``Person/effectiveAge``, NaN when unknown (read through ``ageGap(_:_:)``).
    let mentorAges: [Double]
    let menteeAges: [Double]
    /// Each person's normalised group as a code shared by both sides (equal codes, equal groups), -1 for none.
    let mentorGroups: [Int32]
    let menteeGroups: [Int32]
    /// Each person's stated list: rank (1-based tie group) of each listed partner, by partner index.
    let mentorLists: ListRanks
    let menteeLists: ListRanks
    /// Length of each person's `preferences[]` (tie groups count once each); 0 means no list.
    let mentorListLength: [Int]
    let menteeListLength: [Int]
    /// The active hard rules and the active score terms with their weights, found once per
    /// context: candidate generation asks for them once per mentee.
    public let hardRules: [any HardRule]
    public let scoreTerms: [(term: any ScoreTerm, weight: Double)]
    /// Each person's gender as a code shared by both sides (equal codes, equal genders), -1 when not given.
    let mentorGender: [Int32]
    let menteeGender: [Int32]
    /// Gender tables for the per-pair checks: each person's gender as a one-bit mask (bit
    /// `GenderTable.unknown` when not given) and the set of partner genders their preference
    /// accepts, as a mask of the same bits.
    let mentorGenderBit: [UInt64]
    let menteeGenderBit: [UInt64]
    let mentorAcceptsGender: [UInt64]
    let menteeAcceptsGender: [UInt64]
    /// False with more distinct genders than the mask holds; then the preferences are read directly.
    let gendersTabulated: Bool

    public init(cohort: Cohort, policy: Policy) {
        self.cohort = cohort
        self.policy = policy
        var mi: [PersonID: Int] = [:], ei: [PersonID: Int] = [:]
        for (i, p) in cohort.mentors.enumerated() { mi[p.id] = i }
        for (j, p) in cohort.mentees.enumerated() { ei[p.id] = j }
        mentorIndex = mi; menteeIndex = ei
        let menteeCount = cohort.mentees.count

        var ex: [(mentor: Int, mentee: Int, value: String)] = []
        for e in cohort.exclusions {
            if let i = mi[e.a], let j = ei[e.b] { ex.append((i, j, e.reason ?? "")) }
            if let i = mi[e.b], let j = ei[e.a] { ex.append((i, j, e.reason ?? "")) }
        }
        exclusions = PairTable(menteeCount: menteeCount, ex)
        var ss: [(mentor: Int, mentee: Int, value: Int)] = []
        for s in cohort.scores {
            if let i = mi[s.mentor], let j = ei[s.mentee] {
                let h = Score.hundredths(s.score)
                // Pair scores are stored in 32 bits (the reader allows ±1,000,000 points).
                precondition(Int32(exactly: h) != nil, "staff score \(s.score) for (\(s.mentor), \(s.mentee)) is out of range")
                ss.append((i, j, h))
            }
        }
        staffScores = PairTable(menteeCount: menteeCount, ss)
        var hist: [(mentor: Int, mentee: Int, value: String)] = []
        for h in cohort.history {
            if let i = mi[h.mentor], let j = ei[h.mentee] { hist.append((i, j, h.term ?? "")) }
        }
        history = PairTable(menteeCount: menteeCount, hist)

        // Vocabularies: interests on their own; needs, offers, qualifications and requirements share one.
        var interestVocab = Vocabulary(), skillVocab = Vocabulary()
        let mInt = cohort.mentors.map { interestVocab.indices($0.interests) }
        let eInt = cohort.mentees.map { interestVocab.indices($0.interests) }
        let mOff = cohort.mentors.map { skillVocab.indices($0.offers) }
        let eNeed = cohort.mentees.map { skillVocab.indices($0.needs) }
        let mQual = cohort.mentors.map { skillVocab.indices($0.qualifications) }
        let eReq = cohort.mentees.map { skillVocab.indices($0.requires) }
        let iw = interestVocab.names.count, sw = skillVocab.names.count
        mentorInterests = mInt.map { FeatureBits(indices: $0, width: iw) }
        menteeInterests = eInt.map { FeatureBits(indices: $0, width: iw) }
        mentorOffers = mOff.map { FeatureBits(indices: $0, width: sw) }
        menteeNeeds = eNeed.map { FeatureBits(indices: $0, width: sw) }
        mentorQualifications = mQual.map { FeatureBits(indices: $0, width: sw) }
        menteeRequires = eReq.map { FeatureBits(indices: $0, width: sw) }
        interestNames = interestVocab.names
        skillNames = skillVocab.names
        mentorAges = cohort.mentors.map { $0.effectiveAge ?? .nan }
        menteeAges = cohort.mentees.map { $0.effectiveAge ?? .nan }
        var groupCodes: [String: Int32] = [:]
        func groupCode(_ group: String?) -> Int32 {
            guard let group else { return -1 }
            let key = normalisedKey(group)
            if let c = groupCodes[key] { return c }
            let c = Int32(groupCodes.count)
            groupCodes[key] = c
            return c
        }
        mentorGroups = cohort.mentors.map { groupCode($0.group) }
        menteeGroups = cohort.mentees.map { groupCode($0.group) }
        mentorLists = ListRanks(cohort.mentors, partnerIndex: ei)
        menteeLists = ListRanks(cohort.mentees, partnerIndex: mi)
        mentorListLength = cohort.mentors.map(\.preferences.count)
        menteeListLength = cohort.mentees.map(\.preferences.count)
        hardRules = HardRules.active(policy)
        scoreTerms = ScoreTerms.active(policy).map { ($0, $0.weight(policy)) }
        let genders = GenderTable(cohort)
        mentorGender = cohort.mentors.map { Int32(genders.code($0.gender)) }
        menteeGender = cohort.mentees.map { Int32(genders.code($0.gender)) }
        mentorGenderBit = cohort.mentors.map { genders.bit($0.gender) }
        menteeGenderBit = cohort.mentees.map { genders.bit($0.gender) }
        mentorAcceptsGender = cohort.mentors.map { genders.accepted(by: $0) }
        menteeAcceptsGender = cohort.mentees.map { genders.accepted(by: $0) }
        gendersTabulated = !genders.overflow
    }

    /// Whether each side's gender preference accepts the other (``GenderPreference/accepts(partnerGender:ownGender:)``,
    /// read from the tables).
    @inline(__always)
    func genderAccepted(mentor i: Int, mentee j: Int) -> (byMentee: Bool, byMentor: Bool) {
        guard gendersTabulated else { return genderAcceptedUntabulated(mentor: i, mentee: j) }
        return (menteeAcceptsGender[j] & mentorGenderBit[i] != 0, mentorAcceptsGender[i] & menteeGenderBit[j] != 0)
    }

    @inline(never)
    private func genderAcceptedUntabulated(mentor i: Int, mentee j: Int) -> (byMentee: Bool, byMentor: Bool) {
        let m = cohort.mentors[i], e = cohort.mentees[j]
        return (e.genderPreference.accepts(partnerGender: m.gender, ownGender: e.gender),
                m.genderPreference.accepts(partnerGender: e.gender, ownGender: m.gender))
    }

    /// Whether mentor and mentee have the same known gender.
    @inline(__always)
    func sameKnownGender(mentor i: Int, mentee j: Int) -> Bool {
        let a = mentorGender[i]
        return a >= 0 && a == menteeGender[j]
    }

    /// Genders in a cohort as small codes, so a preference becomes a bit mask. Hand-written: it is
    /// ``GenderPreference/accepts(partnerGender:ownGender:)`` tabulated, and a test checks the two agree.
    struct GenderTable {
        /// The mask bit of a missing gender.
        static let unknown = 63
        /// Every distinct gender, numbered in order of first appearance (mentors, then mentees).
        var codes: [String: Int] = [:]
        /// More than 63 distinct genders: the masks cannot hold them (the context then reads the preferences).
        var overflow: Bool { codes.count > Self.unknown }

        init(_ cohort: Cohort) {
            for people in [cohort.mentors, cohort.mentees] {
                for p in people { if let g = p.gender, codes[g] == nil { codes[g] = codes.count } }
            }
        }

        /// The gender's code, -1 when not given.
        func code(_ gender: String?) -> Int { gender.flatMap { codes[$0] } ?? -1 }

        /// The gender's mask bit (only meaningful without overflow).
        func bit(_ gender: String?) -> UInt64 {
            let c = code(gender)
            return c < 0 || c >= Self.unknown ? 1 << UInt64(Self.unknown) : 1 << UInt64(c)
        }

        /// Partner genders this person's preference accepts, as a mask of their bits.
        func accepted(by p: Person) -> UInt64 {
            switch p.genderPreference {
            case .any: return ~0
            case .same:
                let own = code(p.gender)
                return own < 0 || own >= Self.unknown ? 0 : 1 << UInt64(own)
            case .oneOf(let set):
                return set.reduce(UInt64(0)) { mask, g in
                    let c = code(g)
                    return c < 0 || c >= Self.unknown ? mask : mask | 1 << UInt64(c)
                }
            }
        }
    }

    /// The mentee's stated rank of the mentor (1 = first choice; ties share a rank), or nil if unlisted.
    @inline(__always)
    public func menteeRank(mentor i: Int, mentee j: Int) -> Int? { menteeLists.rank(of: i, by: j).map(Int.init) }
    /// The mentor's stated rank of the mentee, or nil if unlisted.
    @inline(__always)
    public func mentorRank(mentor i: Int, mentee j: Int) -> Int? { mentorLists.rank(of: j, by: i).map(Int.init) }

    /// Whether both sides' lists allow the pair: an empty list accepts everyone, a non-empty one only those on it.
    @inline(__always)
    public func listsAccept(mentor i: Int, mentee j: Int) -> Bool {
        (menteeListLength[j] == 0 || menteeLists.rank(of: i, by: j) != nil)
            && (mentorListLength[i] == 0 || mentorLists.rank(of: j, by: i) != nil)
    }

    public func mentor(_ i: Int) -> Person { cohort.mentors[i] }
    public func mentee(_ j: Int) -> Person { cohort.mentees[j] }

    /// Mentor's age minus mentee's age, if both are known.
    @inline(__always)
    func ageGap(_ i: Int, _ j: Int) -> Double? {
        let gap = mentorAges[i] - menteeAges[j]
        return gap.isNaN ? nil : gap
    }

    func sharedInterestNames(_ i: Int, _ j: Int) -> [String] {
        let mine = Set(cohort.mentors[i].interests.map(normalisedKey))
        var seen = Set<String>(), out: [String] = []
        for s in cohort.mentees[j].interests {
            let k = normalisedKey(s)
            if mine.contains(k), seen.insert(k).inserted { out.append(s.trimmingCharacters(in: .whitespaces)) }
        }
        return out
    }

    func metNeedNames(_ i: Int, _ j: Int) -> [String] {
        let offers = Set(cohort.mentors[i].offers.map(normalisedKey))
        var seen = Set<String>(), out: [String] = []
        for s in cohort.mentees[j].needs {
            let k = normalisedKey(s)
            if offers.contains(k), seen.insert(k).inserted { out.append(s.trimmingCharacters(in: .whitespaces)) }
        }
        return out
    }

    func missingRequirements(_ i: Int, _ j: Int) -> [String] {
        let have = Set(cohort.mentors[i].qualifications.map(normalisedKey))
        return cohort.mentees[j].requires.filter { !have.contains(normalisedKey($0)) }
    }
}

/// Assigns a stable index to each distinct normalised item, in order of first appearance.
private struct Vocabulary {
    var index: [String: Int] = [:]
    var names: [String] = []
    mutating func indices(_ items: [String]) -> [Int] {
        items.map { item in
            let k = normalisedKey(item)
            if let i = index[k] { return i }
            index[k] = names.count
            names.append(item)
            return names.count - 1
        }
    }
}

/// Joins words the way a person would: "a", "a and b", "a, b and c".
func naturalList(_ items: [String]) -> String {
    switch items.count {
    case 0: return ""
    case 1: return items[0]
    default: return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}

func ordinal(_ n: Int) -> String {
    let suffix: String
    switch (n % 10, n % 100) {
    case (_, 11...13): suffix = "th"
    case (1, _): suffix = "st"
    case (2, _): suffix = "nd"
    case (3, _): suffix = "rd"
    default: suffix = "th"
    }
    return "\(n)\(suffix)"
}

/// Years as people say them: "2 years", "1 year", "1.5 years".
func years(_ x: Double) -> String {
    let v = abs(x)
    let text = v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)
    return text + (v == 1 ? " year" : " years")
}
