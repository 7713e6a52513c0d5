/// A named policy shipped inside the library, so `--policy interests` works from any directory.
///
/// Each preset is a short, commented policy file that a user can print (`peermatch policies
/// --show NAME`), copy and edit. The same text is shipped as `instances/policies/<name>.yaml`; a
/// test keeps the two identical. Keys a preset does not set keep the default policy's values, so
/// every preset keeps the default hard rules (age gap, gender wishes, groups, requirements,
/// exclusions) unless it says otherwise.
public struct PolicyPreset: Sendable, Hashable {
    /// The name given to `--policy`.
    public var name: String
    /// One line for `peermatch policies`.
    public var summary: String
    /// The policy file, as YAML with comments.
    public var yaml: String

    public init(name: String, summary: String, yaml: String) {
        self.name = name; self.summary = summary; self.yaml = yaml
    }

    /// The parsed policy.
    public var policy: Policy {
        // The texts are part of the library and a test parses every one, so this cannot fail at run time.
        do { return try PolicyReader.parse(yaml, file: "preset \(name)") } catch { preconditionFailure("preset \(name): \(error)") }
    }

    /// Every shipped preset, in the order `peermatch policies` lists them.
    public static let all: [PolicyPreset] = [interests, age, gender, balanced, random, menteeChoice, fair, adults]

    /// The preset with this name, if any.
    public static func named(_ name: String) -> PolicyPreset? { all.first { $0.name == name } }

    static let interests = PolicyPreset(name: "interests", summary: "match on shared interests first (the most common criterion in pilots)", yaml: """
    # Preset "interests": pair mentors and mentees who like the same things.
    # Copy and edit: peermatch policies --show interests > my-policy.yaml
    # Keys not listed keep the default policy's values (peermatch policy), including every hard rule.

    method: optimal
    interestsForFullMarks: 3    # shared interests that earn the full sharedInterests weight
    weights:
      sharedInterests: 70
      needsMet: 15
      ageCloseness: 5
      genderPreference: 5
      statedPreferences: 5

    """)

    static let age = PolicyPreset(name: "age", summary: "match on age: mentors about two years older, as close to that as possible", yaml: """
    # Preset "age": pair each mentee with a mentor as close as possible to the ideal age gap.
    # Copy and edit: peermatch policies --show age > my-policy.yaml
    # Keys not listed keep the default policy's values (peermatch policy), including every hard rule.

    method: optimal
    ageGap:
      mode: hard    # pairs outside min..max years are never made
      min: 1
      max: 4
      ideal: 2
    weights:
      sharedInterests: 10
      needsMet: 10
      ageCloseness: 70
      genderPreference: 5
      statedPreferences: 5

    """)

    static let gender = PolicyPreset(name: "gender", summary: "match on gender: same-gender pairs first, gender wishes always kept", yaml: """
    # Preset "gender": prefer mentor and mentee of the same gender; stated gender wishes stay hard rules.
    # Copy and edit: peermatch policies --show gender > my-policy.yaml
    # Keys not listed keep the default policy's values (peermatch policy), including every hard rule.

    method: optimal
    genderPreference: hard
    weights:
      sharedInterests: 10
      needsMet: 10
      ageCloseness: 5
      genderPreference: 5
      statedPreferences: 5
      sameGender: 65        # a pair of the same known gender earns this

    """)

    static let balanced = PolicyPreset(name: "balanced", summary: "the default weights: interests, needs, age, gender wishes and stated preferences together", yaml: """
    # Preset "balanced": the default policy's weights, written out so they are easy to change.
    # Copy and edit: peermatch policies --show balanced > my-policy.yaml
    # Keys not listed keep the default policy's values (peermatch policy), including every hard rule.

    method: optimal
    weights:
      sharedInterests: 40
      needsMet: 30
      ageCloseness: 10
      genderPreference: 10
      statedPreferences: 10

    """)

    static let random = PolicyPreset(name: "random", summary: "no criteria: a seeded random matching among those matching the most mentees (baseline)", yaml: """
    # Preset "random": the no-criteria baseline. Every hard rule still applies, and as many mentees
    # are matched as under any other optimal policy; which compatible mentor each gets is random:
    # every candidate pair's score is replaced by a random number drawn from solve --seed, and the
    # highest-scoring maximum matching is taken. Same seed, same matching.
    # Copy and edit: peermatch policies --show random > my-policy.yaml

    method: random

    """)

    static let menteeChoice = PolicyPreset(name: "mentee-choice", summary: "mentees' ranked choices: the mentee-optimal stable matching (deferred acceptance)", yaml: """
    # Preset "mentee-choice": let mentees choose. Each mentee ranks mentors in "preferences" (an entry
    # may be a list of equally wanted mentors); mentors may rank mentees too. The result is the
    # mentee-optimal stable matching: no mentor and mentee would both rather be together, and every
    # mentee gets the best mentor they can have in any stable matching.
    # - A non-empty list that leaves someone out means "not that person".
    # - An empty list accepts every compatible partner, ranked by pair score (the weights below), then id.
    # - Ties are broken by a lottery seeded by solve --seed; the result says how many.
    # - Every hard rule still applies; locked pairs are kept and take a place before anyone proposes.
    # Copy and edit: peermatch policies --show mentee-choice > my-policy.yaml

    method: stable
    proposer: mentees    # mentors: the mentor-optimal stable matching instead

    """)

    static let fair = PolicyPreset(name: "fair", summary: "fairness first: raise the worst pair's score, then the total (price of fairness reported)", yaml: """
    # Preset "fair": after matching as many mentees as the optimal policy (by priority), make the
    # weakest pair as good as possible, then maximise the total score. The result reports the price
    # of fairness: the total score given up against method optimal.
    # Copy and edit: peermatch policies --show fair > my-policy.yaml
    # Keys not listed keep the default policy's values (peermatch policy), including every hard rule.

    method: fair

    """)

    static let adults = PolicyPreset(name: "adults", summary: "adult schemes: no age-gap rule, gender wishes soft, teams ignored (Housing First, leaving care)", yaml: """
    # Preset "adults": adult peer mentoring schemes (Housing First, leaving care, perinatal support,
    # kinship carers, ...). Adults are matched on interests and hopes rather than age, so the age-gap
    # rule is switched off. Gender wishes are honoured where possible but do not block a pair, and the
    # service teams ("group") are only for staff records, so sharing a team does not matter.
    # Use with: peermatch solve instances/examples/housing-first.json --policy adults
    # Copy and edit: peermatch policies --show adults > my-policy.yaml
    # Keys not listed keep the default policy's values (peermatch policy).

    ageGap:
      mode: "off"      # quoted: a bare off is read as false by YAML 1.1 parsers
    genderPreference: soft
    sameGroup: ignore

    """)
}

extension Policy {
    /// The shipped preset with this name (`interests`, `age`, `gender`, `balanced`, `random`,
    /// `mentee-choice`, `fair`, `adults`), or nil.
    public static func preset(named name: String) -> Policy? { PolicyPreset.named(name)?.policy }
}
