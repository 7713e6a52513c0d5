import Foundation

/// Reads and validates a cohort file. Collects every problem (with its JSON path) before failing.
public enum CohortReader {
    /// Reads a cohort file; throws ``InputError`` with every problem found.
    ///
    /// - Parameter departed: ids known to have left since an earlier result (`solve --previous`):
    ///   a preference, exclusion, lock or staff score naming one of them is ignored with a warning
    ///   instead of failing, so removing a withdrawn person from the file is enough.
    public static func read(path: String, policy: Policy = .default, departed: Set<String> = []) throws -> Cohort {
        let data = try AtomicFile.read(path)
        let (cohort, diagnostics) = try parse(data, file: path, policy: policy, departed: departed)
        if diagnostics.contains(where: { $0.severity == .error }) { throw InputError(diagnostics) }
        return cohort
    }

    /// Parses and validates; returns the cohort (possibly partial) and all diagnostics, warnings included.
    public static func parse(_ data: Data, file: String, policy: Policy = .default, departed: Set<String> = []) throws -> (Cohort, [Diagnostic]) {
        let root = try JSONValue.parseJSON(data, file: file)
        return validate(root, file: file, policy: policy, departed: departed)
    }

    static func validate(_ root: JSONValue, file: String, policy: Policy, departed: Set<String> = []) -> (Cohort, [Diagnostic]) {
        var r = DocumentReader(file: file)
        guard r.object(root, "$") != nil else { return (Cohort(mentors: [], mentees: []), r.diagnostics) }
        var firstSeen: [String: String] = [:]   // id -> path where first defined
        var roles: [String: Role] = [:]
        var timetable = TimetableReader()
        timetable.readSetup(root, &r)

        func people(_ key: String, _ role: Role) -> [(Person, String)] {
            guard let value = root[key] else { r.error("$", "missing \"\(key)\" (a list of \(role.rawValue)s)"); return [] }
            guard let items = r.array(value, "$.\(key)") else { return [] }
            var out: [(Person, String)] = []
            for (k, item) in items.enumerated() {
                let path = "$.\(key)[\(k)]"
                guard r.object(item, path) != nil else { continue }
                guard let id = r.string(item["id"], "\(path).id", nonEmpty: true) else {
                    if item["id"] == nil { r.error("\(path).id", "missing id") }
                    continue
                }
                if let first = firstSeen[id] {
                    r.error("\(path).id", "duplicate id \"\(id)\" (first used at \(first))"); continue
                }
                firstSeen[id] = "\(path).id"; roles[id] = role
                var p = Person(id: PersonID(id), role: role)
                p.name = r.string(item["name"], "\(path).name") ?? id
                p.age = r.number(item["age"], "\(path).age", range: 0...130, what: "an age in years")
                p.yearGroup = r.number(item["yearGroup"], "\(path).yearGroup", range: -1...14, what: "a year group")
                p.gender = r.string(item["gender"], "\(path).gender").map(normalisedKey).flatMap { $0.isEmpty ? nil : $0 }
                p.genderPreference = genderPreference(item["genderPreference"], "\(path).genderPreference", &r)
                p.interests = r.stringList(item["interests"], "\(path).interests")
                p.offers = r.stringList(item["offers"], "\(path).offers")
                p.needs = r.stringList(item["needs"], "\(path).needs")
                p.qualifications = r.stringList(item["qualifications"], "\(path).qualifications")
                p.requires = r.stringList(item["requires"], "\(path).requires")
                p.group = r.string(item["group"], "\(path).group").flatMap { $0.isEmpty ? nil : $0 }
                if role == .mentor {
                    p.capacity = r.integer(item["capacity"], "\(path).capacity", minimum: 0) ?? 1
                } else {
                    p.capacity = 1
                    p.priority = r.integer(item["priority"], "\(path).priority") ?? 0
                }
                timetable.readPerson(item, path, &p, &r)
                out.append((p, path))
            }
            return out
        }

        var mentors = people("mentors", .mentor)
        var mentees = people("mentees", .mentee)

        // Preferences: ids of the other side; an entry may be a list of equally wanted ids.
        func preferences(_ list: inout [(Person, String)], _ key: String, other: Role) {
            guard let items = r.array(root[key], "$.\(key)") else { return }
            var byPath: [String: JSONValue] = [:]
            for (k, item) in items.enumerated() { byPath["$.\(key)[\(k)]"] = item }
            for idx in list.indices {
                let path = list[idx].1
                guard let prefs = r.array(byPath[path]?["preferences"], "\(path).preferences") else { continue }
                var groups: [[PersonID]] = []
                for (k, entry) in prefs.enumerated() {
                    let entryPath = "\(path).preferences[\(k)]"
                    var ids: [String] = []
                    if case .array(let tie) = entry {
                        for (t, v) in tie.enumerated() { if let s = r.string(v, "\(entryPath)[\(t)]") { ids.append(s) } }
                    } else if let s = r.string(entry, entryPath) { ids.append(s) }
                    var group: [PersonID] = []
                    for id in ids {
                        if roles[id] == nil && departed.contains(id) { r.warning(entryPath, Self.left(id, "preference")) }
                        else if roles[id] == nil { r.error(entryPath, "unknown id \"\(id)\"") }
                        else if roles[id] != other { r.error(entryPath, "\"\(id)\" is not a \(other.rawValue)") }
                        else { group.append(PersonID(id)) }
                    }
                    if !group.isEmpty { groups.append(group) }
                }
                list[idx].0.preferences = groups
            }
        }
        preferences(&mentors, "mentors", other: .mentee)
        preferences(&mentees, "mentees", other: .mentor)

        // Exclusions, locks and staff scores refer to people by id.
        func ref(_ v: JSONValue?, _ path: String, role: Role?, what: String) -> PersonID? {
            guard let v else { r.error(path, "missing"); return nil }
            guard let id = r.string(v, path, nonEmpty: true) else { return nil }
            guard let actual = roles[id] else {
                if departed.contains(id) { r.warning(path, Self.left(id, what)) } else { r.error(path, "unknown id \"\(id)\"") }
                return nil
            }
            if let role, actual != role { r.error(path, "\"\(id)\" is a \(actual.rawValue), not a \(role.rawValue)"); return nil }
            return PersonID(id)
        }
        var exclusions: [Exclusion] = []
        for (k, item) in (r.array(root["exclusions"], "$.exclusions") ?? []).enumerated() {
            let path = "$.exclusions[\(k)]"
            guard r.object(item, path) != nil else { continue }
            let a = ref(item["a"], "\(path).a", role: nil, what: "exclusion"), b = ref(item["b"], "\(path).b", role: nil, what: "exclusion")
            let reason = r.string(item["reason"], "\(path).reason")
            if let a, let b {
                if a == b { r.error(path, "\"\(a)\" is excluded from themself") }
                else { exclusions.append(Exclusion(a: a, b: b, reason: reason)) }
            }
        }
        var locked: [LockedPair] = []
        var lockedMentee: [PersonID: String] = [:]
        var lockCount: [PersonID: Int] = [:]
        for (k, item) in (r.array(root["locked"], "$.locked") ?? []).enumerated() {
            let path = "$.locked[\(k)]"
            guard r.object(item, path) != nil else { continue }
            let m = ref(item["mentor"], "\(path).mentor", role: .mentor, what: "lock"), e = ref(item["mentee"], "\(path).mentee", role: .mentee, what: "lock")
            guard let m, let e else { continue }
            if let first = lockedMentee[e] { r.error("\(path).mentee", "\"\(e)\" is already locked at \(first)"); continue }
            lockedMentee[e] = path
            lockCount[m, default: 0] += 1
            if let cap = mentors.first(where: { $0.0.id == m })?.0.capacity, lockCount[m]! > cap {
                r.error("\(path).mentor", "\"\(m)\" has capacity \(cap) but is locked to \(lockCount[m]!) mentees")
            }
            var lock = LockedPair(mentor: m, mentee: e)
            let people = (mentors + mentees).map(\.0)
            if !timetable.checkLock(item, path, &lock, people: people, &r) { continue }
            locked.append(lock)
        }
        var scores: [StaffScore] = []
        var scoreSeen: [PairKeyID: String] = [:]
        for (k, item) in (r.array(root["scores"], "$.scores") ?? []).enumerated() {
            let path = "$.scores[\(k)]"
            guard r.object(item, path) != nil else { continue }
            let m = ref(item["mentor"], "\(path).mentor", role: .mentor, what: "staff score"), e = ref(item["mentee"], "\(path).mentee", role: .mentee, what: "staff score")
            guard let value = item["score"] else { r.error("\(path).score", "missing"); continue }
            guard let s = r.number(value, "\(path).score", range: -1_000_000...1_000_000), let m, let e else { continue }
            let key = PairKeyID(mentor: m, mentee: e)
            if let first = scoreSeen[key] { r.error(path, "(\(m), \(e)) is already rated at \(first)"); continue }
            scoreSeen[key] = path
            scores.append(StaffScore(mentor: m, mentee: e, score: s))
        }

        var history: [HistoryPair] = []
        for (k, item) in (r.array(root["history"], "$.history") ?? []).enumerated() {
            let path = "$.history[\(k)]"
            guard let fields = r.object(item, path) else { continue }
            r.rejectUnknownKeys(fields, path, known: ["mentor", "mentee", "term"])
            // People from earlier terms may have left: an unknown id is only a warning here.
            var ids: [PersonID] = []
            for (key, role) in [("mentor", Role.mentor), ("mentee", .mentee)] {
                guard let id = r.string(item[key], "\(path).\(key)", nonEmpty: true) else {
                    if item[key] == nil { r.error("\(path).\(key)", "missing") }
                    continue
                }
                if let actual = roles[id], actual != role {
                    r.error("\(path).\(key)", "\"\(id)\" is a \(actual.rawValue), not a \(role.rawValue)")
                } else {
                    if roles[id] == nil { r.warning("\(path).\(key)", "\"\(id)\" is not in this cohort; the entry is ignored") }
                    ids.append(PersonID(id))
                }
            }
            let term = r.string(item["term"], "\(path).term")
            if ids.count == 2 && roles[ids[0].rawValue] != nil && roles[ids[1].rawValue] != nil {
                history.append(HistoryPair(mentor: ids[0], mentee: ids[1], term: term))
            }
        }

        // Checks that depend on the policy.
        for (p, path) in mentors + mentees {
            if policy.ageGap.mode != .off && p.effectiveAge == nil {
                let message = "age missing (give \"age\" or \"yearGroup\") while the age-gap rule is \(policy.ageGap.mode.rawValue)"
                if policy.ageGap.mode == .hard { r.error(path, message) } else { r.warning(path, message) }
            }
            if policy.genderPreference != .off && p.genderPreference == .same && p.gender == nil {
                r.error("\(path).genderPreference", "is \"same\" but \"gender\" is missing")
            }
        }
        if policy.onlyScoredPairs && scores.isEmpty {
            r.warning("$.scores", "the policy allows only pairs rated by staff, and no pair is rated: nobody can be matched")
        }

        let title = r.string(root["title"], "$.title").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let cohort = Cohort(mentors: mentors.map(\.0), mentees: mentees.map(\.0), exclusions: exclusions,
                            locked: locked, scores: scores, timetable: timetable.setup, history: history, title: title)
        // A locked pair must pass every hard rule of the policy.
        if !r.hasErrors && !locked.isEmpty {
            let ctx = PairingContext(cohort: cohort, policy: policy)
            for (k, lock) in locked.enumerated() {
                guard let i = ctx.mentorIndex[lock.mentor], let j = ctx.menteeIndex[lock.mentee] else { continue }
                for rule in HardRules.violations(mentor: i, mentee: j, in: ctx) {
                    r.error("$.locked[\(k)]", "the locked pair (\(lock.mentor), \(lock.mentee)) breaks the hard rule \(rule.id): \(rule.rejection(mentor: i, mentee: j, in: ctx))")
                }
            }
        }
        // Probable typos ("safeguarding trained" beside "safeguarding-trained"), once the file is sound.
        if !r.hasErrors {
            for f in NearMisses.check(cohort, policy: policy) {
                let path = "$.\(f.role == .mentor ? "mentors" : "mentees")[\(f.index)]" + (f.field.map { ".\($0)" } ?? "")
                if f.severity == .error { r.error(path, f.message) } else { r.warning(path, f.message) }
            }
        }
        return (cohort, r.diagnostics)
    }

    /// The warning for a reference to someone who has left since the previous result.
    static func left(_ id: String, _ what: String) -> String {
        "\"\(id)\" has left (in the previous result, not in this cohort), so this \(what) is ignored"
    }

    private static func genderPreference(_ v: JSONValue?, _ path: String, _ r: inout DocumentReader) -> GenderPreference {
        guard let v, v != .null else { return .any }
        if case .string(let s) = v {
            switch normalisedKey(s) {
            case "", "any": return .any
            case "same": return .same
            default: return .oneOf(Set(splitList(s).map(normalisedKey)))
            }
        }
        let list = r.stringList(v, path).map(normalisedKey)
        return list.isEmpty ? .any : .oneOf(Set(list))
    }
}

private struct PairKeyID: Hashable { var mentor: PersonID; var mentee: PersonID }
