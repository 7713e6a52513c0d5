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
    let exclusions: [PairKey: String]
    /// Staff ratings, in hundredths.
    let staffScores: [PairKey: Int]
    /// Pairs from earlier terms (`history[]`), with the term they met in (empty when not given).
    let history: [PairKey: String]

    /// Display names of vocabulary items, by index (first spelling seen).
    let interestNames: [String]
    let skillNames: [String]
    let mentorInterests: [FeatureBits]
    let menteeInterests: [FeatureBits]
    let mentorOffers: [FeatureBits]
    let menteeNeeds: [FeatureBits]
    let mentorQualifications: [FeatureBits]
    let menteeRequires: [FeatureBits]
    let mentorAges: [Double?]
    let menteeAges: [Double?]
    let mentorGroups: [String?]
    let menteeGroups: [String?]
    /// Each mentor's stated rank (1-based tie group) of each listed mentee, by mentee index.
    let mentorListRank: [[Int32: Int32]]
    /// Each mentee's stated rank (1-based tie group) of each listed mentor, by mentor index.
    let menteeListRank: [[Int32: Int32]]
    /// Length of each person's `preferences[]` (tie groups count once each).
    let mentorListLength: [Int]
    let menteeListLength: [Int]
    /// The active hard rules and the active score terms with their weights, found once per
    /// context: candidate generation asks for them once per pair.
    public let hardRules: [any HardRule]
    public let scoreTerms: [(term: any ScoreTerm, weight: Double)]
    /// Gender tables for the per-pair checks: each person's gender as a code (`GenderTable.unknown`
    /// when not given) and the set of partner codes their preference accepts, as a bit mask.
    let mentorGender: [Int]
    let menteeGender: [Int]
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

        var ex: [PairKey: String] = [:]
        for e in cohort.exclusions {
            if let i = mi[e.a], let j = ei[e.b] { ex[PairKey(mentor: i, mentee: j)] = e.reason ?? "" }
            if let i = mi[e.b], let j = ei[e.a] { ex[PairKey(mentor: i, mentee: j)] = e.reason ?? "" }
        }
        exclusions = ex
        var ss: [PairKey: Int] = [:]
        for s in cohort.scores {
            if let i = mi[s.mentor], let j = ei[s.mentee] { ss[PairKey(mentor: i, mentee: j)] = Score.hundredths(s.score) }
        }
        staffScores = ss
        var hist: [PairKey: String] = [:]
        for h in cohort.history {
            if let i = mi[h.mentor], let j = ei[h.mentee] { hist[PairKey(mentor: i, mentee: j)] = h.term ?? "" }
        }
        history = hist

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
        mentorAges = cohort.mentors.map(\.effectiveAge)
        menteeAges = cohort.mentees.map(\.effectiveAge)
        mentorGroups = cohort.mentors.map { $0.group.map(normalisedKey) }
        menteeGroups = cohort.mentees.map { $0.group.map(normalisedKey) }
        // Rank tables, so a lookup is O(1) even for lists of tens of thousands of ids.
        func ranks(_ person: Person, _ index: [PersonID: Int]) -> [Int32: Int32] {
            var out: [Int32: Int32] = [:]
            for (g, group) in person.preferences.enumerated() {
                for id in group { if let k = index[id], out[Int32(k)] == nil { out[Int32(k)] = Int32(g + 1) } }
            }
            return out
        }
        mentorListRank = cohort.mentors.map { ranks($0, ei) }
        menteeListRank = cohort.mentees.map { ranks($0, mi) }
        mentorListLength = cohort.mentors.map(\.preferences.count)
        menteeListLength = cohort.mentees.map(\.preferences.count)
        hardRules = HardRules.active(policy)
        scoreTerms = ScoreTerms.active(policy).map { ($0, $0.weight(policy)) }
        let genders = GenderTable(cohort)
        mentorGender = cohort.mentors.map { genders.code($0.gender) }
        menteeGender = cohort.mentees.map { genders.code($0.gender) }
        mentorAcceptsGender = cohort.mentors.map { genders.accepted(by: $0) }
        menteeAcceptsGender = cohort.mentees.map { genders.accepted(by: $0) }
        gendersTabulated = !genders.overflow
    }

    /// Whether each side's gender preference accepts the other (``GenderPreference/accepts(partnerGender:ownGender:)``,
    /// read from the tables).
    func genderAccepted(mentor i: Int, mentee j: Int) -> (byMentee: Bool, byMentor: Bool) {
        guard gendersTabulated else {
            let m = cohort.mentors[i], e = cohort.mentees[j]
            return (e.genderPreference.accepts(partnerGender: m.gender, ownGender: e.gender),
                    m.genderPreference.accepts(partnerGender: e.gender, ownGender: m.gender))
        }
        return (menteeAcceptsGender[j] >> UInt64(mentorGender[i]) & 1 == 1, mentorAcceptsGender[i] >> UInt64(menteeGender[j]) & 1 == 1)
    }

    /// Genders in a cohort as small codes, so a preference becomes a bit mask. Hand-written: it is
    /// ``GenderPreference/accepts(partnerGender:ownGender:)`` tabulated, and a test checks the two agree.
    struct GenderTable {
        /// The code of a missing gender.
        static let unknown = 63
        var codes: [String: Int] = [:]
        /// More than 63 distinct genders: the table cannot hold them (the context then reads the preferences).
        var overflow = false

        init(_ cohort: Cohort) {
            for p in cohort.mentors + cohort.mentees {
                guard let g = p.gender, codes[g] == nil else { continue }
                if codes.count < Self.unknown { codes[g] = codes.count } else { overflow = true }
            }
        }

        func code(_ gender: String?) -> Int { gender.flatMap { codes[$0] } ?? Self.unknown }

        /// Partner codes this person's preference accepts.
        func accepted(by p: Person) -> UInt64 {
            switch p.genderPreference {
            case .any: return ~0
            case .same:
                let own = code(p.gender)
                return own == Self.unknown ? 0 : 1 << UInt64(own)
            case .oneOf(let set):
                return set.reduce(UInt64(0)) { mask, g in
                    let c = code(g)
                    return c == Self.unknown ? mask : mask | 1 << UInt64(c)
                }
            }
        }
    }

    /// The mentee's stated rank of the mentor (1 = first choice; ties share a rank), or nil if unlisted.
    public func menteeRank(mentor i: Int, mentee j: Int) -> Int? { menteeListRank[j][Int32(i)].map(Int.init) }
    /// The mentor's stated rank of the mentee, or nil if unlisted.
    public func mentorRank(mentor i: Int, mentee j: Int) -> Int? { mentorListRank[i][Int32(j)].map(Int.init) }

    /// Whether both sides' lists allow the pair: an empty list accepts everyone, a non-empty one only those on it.
    public func listsAccept(mentor i: Int, mentee j: Int) -> Bool {
        (cohort.mentees[j].preferences.isEmpty || menteeListRank[j][Int32(i)] != nil)
            && (cohort.mentors[i].preferences.isEmpty || mentorListRank[i][Int32(j)] != nil)
    }

    public func mentor(_ i: Int) -> Person { cohort.mentors[i] }
    public func mentee(_ j: Int) -> Person { cohort.mentees[j] }

    /// Mentor's age minus mentee's age, if both are known.
    func ageGap(_ i: Int, _ j: Int) -> Double? {
        guard let a = mentorAges[i], let b = menteeAges[j] else { return nil }
        return a - b
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
