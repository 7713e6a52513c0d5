/// How strictly a rule is applied.
public enum RuleMode: String, Sendable, Hashable, CaseIterable {
    /// Pairs that break the rule are never produced.
    case hard
    /// Pairs that break the rule are allowed, and the matching score term rewards those that keep it.
    case soft
    /// The rule is ignored altogether.
    case off
}

/// What to do with a mentor and mentee from the same tutor group or friendship circle.
public enum SameGroupMode: String, Sendable, Hashable, CaseIterable {
    case forbid, penalise, ignore
}

/// How a policy turns candidate pairs into a matching.
public enum MatchingMethod: String, Sendable, Hashable, CaseIterable {
    /// The lexicographic optimum through GLPK: most mentees matched by priority, then mentors at the
    /// minimum, then the highest total score.
    case optimal
    /// A stable matching from both sides' `preferences[]` (hospitals/residents deferred acceptance):
    /// no mentor and mentee would both rather be with each other. See ``StableMatcher``.
    case stable
    /// The no-criteria baseline: the optimal model with each pair's score replaced by a seeded
    /// random number, so the matching is a random one among those matching the most mentees.
    case random
    /// As `optimal`, but after the matched counts it maximises the lowest pair score, then the total.
    case fair
}

/// Which side proposes in deferred acceptance, and so which side gets its best stable matching.
public enum ProposingSide: String, Sendable, Hashable, CaseIterable {
    case mentees, mentors
}

/// What to do with pairs from earlier terms (the cohort's `history[]`).
public enum RotationMode: String, Sendable, Hashable, CaseIterable {
    /// Continuity: after matching as many mentees as possible, keep as many earlier pairs as still feasible.
    case keep
    /// New partners each term: an earlier pair is never made again (a hard rule).
    case avoidRepeat
    /// History is not used.
    case ignore
}

/// A matching policy: which hard rules apply and how pairs are scored.
///
/// The shipped default is `instances/policies/default.yaml`, identical to ``Policy/defaultYAML``.
public struct Policy: Sendable, Hashable {
    public struct AgeGap: Sendable, Hashable {
        /// Mentor's age minus mentee's age, in years.
        public var min: Double = 1
        public var max: Double = 4
        public var ideal: Double = 2
        public var mode: RuleMode = .hard
        public init() {}
    }

    public struct MentorMinimum: Sendable, Hashable {
        /// Mentees each mentor should get (capped by the mentor's capacity).
        public var count: Int = 0
        /// `hard`: a must (infeasible if impossible); `soft`: maximise the number of mentors who reach it.
        public var mode: RuleMode = .soft
        public init() {}
    }

    /// Weights of the score terms. A pair's score is the sum of `weight × value`, each rounded to 2 decimals.
    public struct Weights: Sendable, Hashable {
        public var sharedInterests: Double = 40
        public var needsMet: Double = 30
        public var ageCloseness: Double = 10
        public var genderPreference: Double = 10
        public var statedPreferences: Double = 10
        /// Subtracted when mentor and mentee share a group and `sameGroup` is `penalise`.
        public var sameGroupPenalty: Double = 20
        /// Rewards a mentor and mentee of the same (known) gender; 0 in the default policy.
        public var sameGender: Double = 0
        public init() {}
    }

    /// How the matching is chosen among the pairs the hard rules allow.
    public var method: MatchingMethod = .optimal
    /// With `method: stable`: which side proposes (gets its optimal stable matching).
    public var proposer: ProposingSide = .mentees
    /// Soft terms of a timetabled cohort, in points, added to the final objective with the pair scores.
    public struct TimetableWeights: Sendable, Hashable {
        /// A slot, named by id or label, and the points each session there earns.
        public struct PreferredSlot: Sendable, Hashable {
            public var slot: String
            public var bonus: Double
            public init(slot: String, bonus: Double) { self.slot = slot; self.bonus = bonus }
        }
        public var preferredSlots: [PreferredSlot] = []
        /// Points off for each day beyond the first on which a mentor has sessions.
        public var mentorDays: Double = 2
        /// Points off for each pair beyond the first in a room at one slot (`pairs-in-room`): spreads load across rooms.
        public var roomSharing: Double = 1
        public init() {}
    }

    public var ageGap = AgeGap()
    public var genderPreference: RuleMode = .hard
    public var sameGroup: SameGroupMode = .forbid
    public var requiredQualifications: RuleMode = .hard
    public var exclusions: RuleMode = .hard
    public var mentorMinimum = MentorMinimum()
    /// When true, only pairs listed in the cohort's `scores[]` may be matched.
    public var onlyScoredPairs = false
    public var weights = Weights()
    /// Shared interests that earn the full `sharedInterests` weight.
    public var interestsForFullMarks: Int = 3
    public var timetable = TimetableWeights()
    public var rotation: RotationMode = .keep

    public init() {}

    /// The default policy, as shipped in `instances/policies/default.yaml`.
    public static let `default` = Policy()
}
