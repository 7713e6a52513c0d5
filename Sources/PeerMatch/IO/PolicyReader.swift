import Foundation

/// Reads a policy file (JSON or YAML). Every key is optional; missing keys keep the default.
/// Unknown keys are errors, so a typo never silently changes a rule.
public enum PolicyReader {
    /// Resolves what the user gave to `--policy`: an existing file path wins; else a preset name
    /// (``PolicyPreset/all``); else an ``InputError`` naming `spec` and listing the presets.
    public static func resolve(_ spec: String) throws -> Policy {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: spec, isDirectory: &isDirectory), !isDirectory.boolValue {
            return try read(path: spec)
        }
        if let preset = PolicyPreset.named(spec) { return preset.policy }
        throw InputError(file: spec, "is neither a policy file nor a preset; presets: "
                         + PolicyPreset.all.map(\.name).joined(separator: ", "))
    }

    public static func read(path: String) throws -> Policy {
        try parse(data: try InputFile.read(path), file: path)
    }

    /// Parses policy text; `file` names it in messages, and its extension (`.json`, `.yaml`)
    /// picks the syntax (else: JSON when it starts with `{`, YAML otherwise).
    public static func parse(_ text: String, file: String) throws -> Policy {
        try parse(data: Data(text.utf8), file: file)
    }

    public static func parse(data: Data, file: String) throws -> Policy {
        let root = try JSONValue.parseDocument(data, file: file)
        var r = DocumentReader(file: file)
        var p = Policy()
        guard let top = r.object(root, "$") else { throw InputError(r.diagnostics) }
        r.rejectUnknownKeys(top, "$", known: ["name", "description", "method", "proposer", "ageGap", "genderPreference", "sameGroup", "requires",
                                              "exclusions", "mentorMinimum", "onlyScoredPairs", "interestsForFullMarks", "weights",
                                              "timetable", "rotation"])
        p.method = r.choice(root["method"], "$.method", as: MatchingMethod.self) ?? p.method
        p.proposer = r.choice(root["proposer"], "$.proposer", as: ProposingSide.self) ?? p.proposer
        if let age = r.object(root["ageGap"], "$.ageGap") {
            r.rejectUnknownKeys(age, "$.ageGap", known: ["mode", "min", "max", "ideal"])
            let a = JSONValue.object(age)
            p.ageGap.mode = r.choice(a["mode"], "$.ageGap.mode", as: RuleMode.self) ?? p.ageGap.mode
            p.ageGap.min = r.number(a["min"], "$.ageGap.min", range: -100...100) ?? p.ageGap.min
            p.ageGap.max = r.number(a["max"], "$.ageGap.max", range: -100...100) ?? p.ageGap.max
            p.ageGap.ideal = r.number(a["ideal"], "$.ageGap.ideal", range: -100...100) ?? p.ageGap.ideal
            if p.ageGap.min > p.ageGap.max { r.error("$.ageGap", "min (\(formatNumber(p.ageGap.min))) is above max (\(formatNumber(p.ageGap.max)))") }
            if !(p.ageGap.min...max(p.ageGap.min, p.ageGap.max)).contains(p.ageGap.ideal) {
                r.error("$.ageGap.ideal", "must lie between min and max")
            }
        }
        p.genderPreference = r.choice(root["genderPreference"], "$.genderPreference", as: RuleMode.self) ?? p.genderPreference
        p.sameGroup = r.choice(root["sameGroup"], "$.sameGroup", as: SameGroupMode.self) ?? p.sameGroup
        p.requiredQualifications = r.choice(root["requires"], "$.requires", as: RuleMode.self) ?? p.requiredQualifications
        p.exclusions = r.choice(root["exclusions"], "$.exclusions", as: RuleMode.self) ?? p.exclusions
        if p.requiredQualifications == .soft { r.error("$.requires", "must be hard or off") }
        if p.exclusions == .soft { r.error("$.exclusions", "must be hard or off") }
        if let mm = r.object(root["mentorMinimum"], "$.mentorMinimum") {
            r.rejectUnknownKeys(mm, "$.mentorMinimum", known: ["count", "mode"])
            let m = JSONValue.object(mm)
            p.mentorMinimum.count = r.integer(m["count"], "$.mentorMinimum.count", minimum: 0) ?? p.mentorMinimum.count
            p.mentorMinimum.mode = r.choice(m["mode"], "$.mentorMinimum.mode", as: RuleMode.self) ?? p.mentorMinimum.mode
        }
        p.onlyScoredPairs = r.bool(root["onlyScoredPairs"], "$.onlyScoredPairs") ?? p.onlyScoredPairs
        p.interestsForFullMarks = r.integer(root["interestsForFullMarks"], "$.interestsForFullMarks", minimum: 1) ?? p.interestsForFullMarks
        if let w = r.object(root["weights"], "$.weights") {
            let names = ["sharedInterests", "needsMet", "ageCloseness", "genderPreference", "statedPreferences", "sameGroupPenalty", "sameGender"]
            r.rejectUnknownKeys(w, "$.weights", known: names)
            let o = JSONValue.object(w)
            func weight(_ key: String, _ value: inout Double) {
                value = r.number(o[key], "$.weights.\(key)", range: 0...10_000, what: "a weight") ?? value
            }
            weight("sharedInterests", &p.weights.sharedInterests)
            weight("needsMet", &p.weights.needsMet)
            weight("ageCloseness", &p.weights.ageCloseness)
            weight("genderPreference", &p.weights.genderPreference)
            weight("statedPreferences", &p.weights.statedPreferences)
            weight("sameGroupPenalty", &p.weights.sameGroupPenalty)
            weight("sameGender", &p.weights.sameGender)
        }
        if p.method == .stable && p.mentorMinimum.mode == .hard && p.mentorMinimum.count > 0 {
            r.error("$.mentorMinimum.mode", "hard cannot be combined with method: stable (a stable matching cannot be forced to give every mentor a minimum); use soft or off")
        }
        if let t = r.object(root["timetable"], "$.timetable") {
            r.rejectUnknownKeys(t, "$.timetable", known: ["preferredSlots", "mentorDays", "roomSharing"])
            let o = JSONValue.object(t)
            p.timetable.mentorDays = r.number(o["mentorDays"], "$.timetable.mentorDays", range: 0...10_000, what: "a weight") ?? p.timetable.mentorDays
            p.timetable.roomSharing = r.number(o["roomSharing"], "$.timetable.roomSharing", range: 0...10_000, what: "a weight") ?? p.timetable.roomSharing
            for (k, item) in (r.array(o["preferredSlots"], "$.timetable.preferredSlots") ?? []).enumerated() {
                let path = "$.timetable.preferredSlots[\(k)]"
                guard let fields = r.object(item, path) else { continue }
                r.rejectUnknownKeys(fields, path, known: ["slot", "bonus"])
                guard let slot = r.string(item["slot"], "\(path).slot", nonEmpty: true) else {
                    if item["slot"] == nil { r.error("\(path).slot", "missing (a slot id or label)") }
                    continue
                }
                guard let bonus = r.number(item["bonus"], "\(path).bonus", range: -10_000...10_000, what: "points") else {
                    if item["bonus"] == nil { r.error("\(path).bonus", "missing (points per session at this slot)") }
                    continue
                }
                p.timetable.preferredSlots.append(.init(slot: slot, bonus: bonus))
            }
        }
        p.rotation = r.choice(root["rotation"], "$.rotation", as: RotationMode.self) ?? p.rotation
        if r.hasErrors { throw InputError(r.diagnostics) }
        return p
    }
}

extension Policy {
    /// The shipped default policy file, with its documentation. `instances/policies/default.yaml`
    /// holds the same text; a test keeps the two identical.
    public static let defaultYAML = """
    # PeerMatch default policy. Copy this file, edit it and pass it with --policy FILE.
    # Every key is optional: a missing key keeps the value shown here.
    # Named presets (peermatch policies) are short files like this one: --policy NAME.

    # How the matching is chosen among the pairs the hard rules allow:
    #   optimal: most mentees matched (by priority), then mentors at the minimum, then the highest total score
    #   stable:  deferred acceptance on both sides' "preferences" lists: no mentor and mentee would both
    #            rather be together (ties broken by a lottery seeded by solve --seed)
    #   random:  as optimal, with every pair's score replaced by a random number (solve --seed): the baseline
    #   fair:    as optimal, but after the matched counts raise the lowest pair score first, then the total
    method: optimal
    # With method stable: which side proposes and so gets its best stable matching (mentees | mentors).
    proposer: mentees

    # Mentor's age minus mentee's age, in years. Age is "age", or "yearGroup" + 4.5.
    ageGap:
      mode: hard        # hard: pairs outside min..max are never made | soft: allowed, scored 0 for age | off
      min: 1
      max: 4
      ideal: 2

    # Each side's genderPreference (any | same | a list of genders).
    genderPreference: hard   # hard | soft (rewarded by the genderPreference weight) | off

    # A mentor and mentee in the same group (tutor group or friendship circle).
    sameGroup: forbid        # forbid | penalise (subtract sameGroupPenalty) | ignore

    # A mentee's "requires" must all be among the mentor's "qualifications".
    requires: hard           # hard | off

    # Pairs listed in the cohort's exclusions are never made.
    exclusions: hard         # hard | off

    # Mentees each mentor should get (capped by the mentor's capacity).
    mentorMinimum:
      count: 0
      mode: soft             # hard: infeasible if impossible | soft: maximise mentors who reach it | off

    # When true, only pairs listed in the cohort's "scores" may be matched.
    onlyScoredPairs: false

    # Shared interests that earn the full sharedInterests weight.
    interestsForFullMarks: 3

    # A pair's score is the sum over terms of round(weight × value, 2 decimals); see the README.
    weights:
      sharedInterests: 40
      needsMet: 30
      ageCloseness: 10
      genderPreference: 10
      statedPreferences: 10
      sameGroupPenalty: 20
      sameGender: 0          # rewards a mentor and mentee of the same known gender

    # Timetables (cohorts with "slots"): soft terms in points, added to the pair scores.
    timetable:
      preferredSlots: []     # e.g. [{slot: Lunch, bonus: 5}]: a slot id or label, points per session there
      mentorDays: 2          # points off per day beyond the first on which a mentor has sessions
      roomSharing: 1         # points off per pair beyond the first in a room at one slot (pairs-in-room)

    # Pairs from earlier terms (the cohort's "history").
    rotation: keep           # keep: earlier pairs stay together where still feasible | avoidRepeat: never again | ignore

    """
}
