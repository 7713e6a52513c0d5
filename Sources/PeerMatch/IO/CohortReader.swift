import Foundation

/// Reads and validates a cohort file. Collects every problem (with its JSON path) before failing.
public enum CohortReader {
    /// Reads a cohort file; throws ``InputError`` with every problem found.
    ///
    /// - Parameter departed: ids known to have left since an earlier result (`solve --previous`):
    ///   a preference, exclusion, lock or staff score naming one of them is ignored with a warning
    ///   instead of failing, so removing a withdrawn person from the file is enough.
    public static func read(path: String, policy: Policy = .default, departed: Set<String> = []) throws -> Cohort {
        let data = try InputFile.read(path)
        let (cohort, diagnostics) = try parse(data, file: path, policy: policy, departed: departed)
        if diagnostics.contains(where: { $0.severity == .error }) { throw InputError(diagnostics) }
        return cohort
    }

    /// Parses and validates; returns the cohort (possibly partial) and all diagnostics, warnings included.
    public static func parse(_ data: Data, file: String, policy: Policy = .default, departed: Set<String> = []) throws -> (Cohort, [Diagnostic]) {
        let root = try JSONValue.parseJSON(data, file: file)
        return validate(root, file: file, policy: policy, departed: departed)
    }

    /// Validation is linear in the file: every id is looked up once in one table that also
    /// gives the person's place in its list, pairs are keyed by those places (not by strings),
    /// and JSON paths are built only for messages.
    static func validate(_ root: JSONValue, file: String, policy: Policy, departed: Set<String> = [],
                         limits: ReadLimits = .standard) -> (Cohort, [Diagnostic]) {
        var r = DocumentReader(file: file)
        guard r.object(root, "$") != nil else { return (Cohort(mentors: [], mentees: []), r.diagnostics) }
        /// id -> side, place in `mentors` or `mentees`, and place in the file's list.
        var index: [String: (role: Role, person: Int, item: Int)] = [:]
        func listName(_ role: Role) -> String { role == .mentor ? "mentors" : "mentees" }

        // People: refuse absurd counts before reading anyone.
        let mentorItems = r.array(root["mentors"], "$.mentors"), menteeItems = r.array(root["mentees"], "$.mentees")
        let peopleCount = (mentorItems?.count ?? 0) + (menteeItems?.count ?? 0)
        if peopleCount > limits.maxPeople {
            r.error("$", "lists \(peopleCount) people (mentors and mentees); PeerMatch reads at most \(limits.maxPeople) in one cohort. Split the cohort, or raise the limit (--max-people)")
            return (Cohort(mentors: [], mentees: []), r.diagnostics)
        }
        index.reserveCapacity(peopleCount)
        var timetable = TimetableReader()
        timetable.readSetup(root, &r)

        /// The people of one list, and the place in the file's list each came from.
        func people(_ key: String, _ role: Role, _ items: [JSONValue]?) -> ([Person], [Int]) {
            guard root[key] != nil else { r.error("$", "missing \"\(key)\" (a list of \(role.rawValue)s)"); return ([], []) }
            guard let items else { return ([], []) }
            var out: [Person] = [], places: [Int] = []
            out.reserveCapacity(items.count); places.reserveCapacity(items.count)
            for (k, item) in items.enumerated() {
                guard r.object(item, "$.\(key)[\(k)]") != nil else { continue }
                guard let id = r.string(item["id"], "$.\(key)[\(k)].id", nonEmpty: true) else {
                    if item["id"] == nil { r.error("$.\(key)[\(k)].id", "missing id") }
                    continue
                }
                if let first = index[id] {
                    r.error("$.\(key)[\(k)].id", "duplicate id \"\(id)\" (first used at $.\(listName(first.role))[\(first.item)].id)"); continue
                }
                index[id] = (role, out.count, k)
                var p = Person(id: PersonID(id), role: role)
                p.name = r.string(item["name"], "$.\(key)[\(k)].name") ?? id
                p.age = r.number(item["age"], "$.\(key)[\(k)].age", range: 0...130, what: "an age in years")
                p.yearGroup = r.number(item["yearGroup"], "$.\(key)[\(k)].yearGroup", range: -1...14, what: "a year group")
                p.gender = r.string(item["gender"], "$.\(key)[\(k)].gender").map(normalisedKey).flatMap { $0.isEmpty ? nil : $0 }
                p.genderPreference = genderPreference(item["genderPreference"], "$.\(key)[\(k)].genderPreference", &r)
                p.interests = r.stringList(item["interests"], "$.\(key)[\(k)].interests")
                p.offers = r.stringList(item["offers"], "$.\(key)[\(k)].offers")
                p.needs = r.stringList(item["needs"], "$.\(key)[\(k)].needs")
                p.qualifications = r.stringList(item["qualifications"], "$.\(key)[\(k)].qualifications")
                p.requires = r.stringList(item["requires"], "$.\(key)[\(k)].requires")
                p.group = r.string(item["group"], "$.\(key)[\(k)].group").flatMap { $0.isEmpty ? nil : $0 }
                if role == .mentor {
                    p.capacity = r.integer(item["capacity"], "$.\(key)[\(k)].capacity", minimum: 0) ?? 1
                } else {
                    p.capacity = 1
                    p.priority = r.integer(item["priority"], "$.\(key)[\(k)].priority") ?? 0
                }
                timetable.readPerson(item, "$.\(key)[\(k)]", &p, &r)
                out.append(p); places.append(k)
            }
            return (out, places)
        }

        let readMentors = people("mentors", .mentor, mentorItems), readMentees = people("mentees", .mentee, menteeItems)
        var mentors = readMentors.0, mentees = readMentees.0
        let mentorPlaces = readMentors.1, menteePlaces = readMentees.1

        // Preferences: ids of the other side; an entry may be a list of equally wanted ids.
        func preferences(_ list: inout [Person], _ places: [Int], _ key: String, _ items: [JSONValue]?, other: Role) {
            guard let items else { return }
            for idx in list.indices {
                let k = places[idx]
                guard let prefs = r.array(items[k]["preferences"], "$.\(key)[\(k)].preferences") else { continue }
                var groups: [[PersonID]] = []
                groups.reserveCapacity(prefs.count)
                for (n, entry) in prefs.enumerated() {
                    var ids: [String] = []
                    if case .array(let tie) = entry {
                        for (t, v) in tie.enumerated() { if let s = r.string(v, "$.\(key)[\(k)].preferences[\(n)][\(t)]") { ids.append(s) } }
                    } else if let s = r.string(entry, "$.\(key)[\(k)].preferences[\(n)]") { ids.append(s) }
                    var group: [PersonID] = []
                    for id in ids {
                        let found = index[id]
                        if found == nil && departed.contains(id) { r.warning("$.\(key)[\(k)].preferences[\(n)]", Self.left(id, "preference")) }
                        else if found == nil { r.error("$.\(key)[\(k)].preferences[\(n)]", "unknown id \"\(id)\"") }
                        else if found!.role != other { r.error("$.\(key)[\(k)].preferences[\(n)]", "\"\(id)\" is not a \(other.rawValue)") }
                        else { group.append(PersonID(id)) }
                    }
                    if !group.isEmpty { groups.append(group) }
                }
                if !groups.isEmpty { list[idx].preferences = groups }
            }
        }
        preferences(&mentors, mentorPlaces, "mentors", mentorItems, other: .mentee)
        preferences(&mentees, menteePlaces, "mentees", menteeItems, other: .mentor)

        // Exclusions, locks and staff scores refer to people by id: the id and its place in its list.
        func ref(_ v: JSONValue?, _ path: @autoclosure () -> String, role: Role?, what: String) -> (PersonID, Int)? {
            guard let v else { r.error(path(), "missing"); return nil }
            guard let id = r.string(v, path(), nonEmpty: true) else { return nil }
            guard let found = index[id] else {
                if departed.contains(id) { r.warning(path(), Self.left(id, what)) } else { r.error(path(), "unknown id \"\(id)\"") }
                return nil
            }
            if let role, found.role != role { r.error(path(), "\"\(id)\" is a \(found.role.rawValue), not a \(role.rawValue)"); return nil }
            return (PersonID(id), found.person)
        }
        var exclusions: [Exclusion] = []
        for (k, item) in (r.array(root["exclusions"], "$.exclusions") ?? []).enumerated() {
            guard r.object(item, "$.exclusions[\(k)]") != nil else { continue }
            let a = ref(item["a"], "$.exclusions[\(k)].a", role: nil, what: "exclusion")
            let b = ref(item["b"], "$.exclusions[\(k)].b", role: nil, what: "exclusion")
            let reason = r.string(item["reason"], "$.exclusions[\(k)].reason")
            if let (a, _) = a, let (b, _) = b {
                if a == b { r.error("$.exclusions[\(k)]", "\"\(a)\" is excluded from themself") }
                else { exclusions.append(Exclusion(a: a, b: b, reason: reason)) }
            }
        }
        var locked: [LockedPair] = []
        var lockedMentee: [Int: Int] = [:]                      // mentee place -> lock index in the file
        var lockCount = [Int](repeating: 0, count: mentors.count)
        for (k, item) in (r.array(root["locked"], "$.locked") ?? []).enumerated() {
            guard r.object(item, "$.locked[\(k)]") != nil else { continue }
            let m = ref(item["mentor"], "$.locked[\(k)].mentor", role: .mentor, what: "lock")
            let e = ref(item["mentee"], "$.locked[\(k)].mentee", role: .mentee, what: "lock")
            guard let (mid, mi) = m, let (eid, ei) = e else { continue }
            if let first = lockedMentee[ei] { r.error("$.locked[\(k)].mentee", "\"\(eid)\" is already locked at $.locked[\(first)]"); continue }
            lockedMentee[ei] = k
            lockCount[mi] += 1
            let cap = mentors[mi].capacity
            if lockCount[mi] > cap {
                r.error("$.locked[\(k)].mentor", "\"\(mid)\" has capacity \(cap) but is locked to \(lockCount[mi]) mentees")
            }
            var lock = LockedPair(mentor: mid, mentee: eid)
            if !timetable.checkLock(item, "$.locked[\(k)]", &lock, mentor: mentors[mi], mentee: mentees[ei], &r) { continue }
            locked.append(lock)
        }
        var scores: [StaffScore] = []
        let scoreItems = r.array(root["scores"], "$.scores") ?? []
        scores.reserveCapacity(scoreItems.count)
        var scoreSeen = PairSeen(mentors: mentors.count, mentees: mentees.count, expected: scoreItems.count)
        for (k, item) in scoreItems.enumerated() {
            // One pass over the entry's fields (there may be 640,000 entries), first of each kept.
            guard case .object(let fields) = item else { _ = r.object(item, "$.scores[\(k)]"); continue }
            var mentorValue: JSONValue?, menteeValue: JSONValue?, scoreValue: JSONValue?
            for (key, v) in fields {
                switch key {
                case "mentor": if mentorValue == nil { mentorValue = v }
                case "mentee": if menteeValue == nil { menteeValue = v }
                case "score": if scoreValue == nil { scoreValue = v }
                default: break
                }
            }
            let m = ref(mentorValue, "$.scores[\(k)].mentor", role: .mentor, what: "staff score")
            let e = ref(menteeValue, "$.scores[\(k)].mentee", role: .mentee, what: "staff score")
            guard let value = scoreValue else { r.error("$.scores[\(k)].score", "missing"); continue }
            guard let s = r.number(value, "$.scores[\(k)].score", range: -1_000_000...1_000_000), let (mid, mi) = m, let (eid, ei) = e else { continue }
            if let first = scoreSeen.insert(mentor: mi, mentee: ei, at: k) {
                r.error("$.scores[\(k)]", "(\(mid), \(eid)) is already rated at $.scores[\(first)]"); continue
            }
            scores.append(StaffScore(mentor: mid, mentee: eid, score: s))
        }

        var history: [HistoryPair] = []
        for (k, item) in (r.array(root["history"], "$.history") ?? []).enumerated() {
            guard let fields = r.object(item, "$.history[\(k)]") else { continue }
            r.rejectUnknownKeys(fields, "$.history[\(k)]", known: ["mentor", "mentee", "term"])
            // People from earlier terms may have left: an unknown id is only a warning here.
            var ids: [PersonID] = []
            var known = 0
            for (key, role) in [("mentor", Role.mentor), ("mentee", .mentee)] {
                guard let id = r.string(item[key], "$.history[\(k)].\(key)", nonEmpty: true) else {
                    if item[key] == nil { r.error("$.history[\(k)].\(key)", "missing") }
                    continue
                }
                if let found = index[id], found.role != role {
                    r.error("$.history[\(k)].\(key)", "\"\(id)\" is a \(found.role.rawValue), not a \(role.rawValue)")
                } else {
                    if index[id] == nil { r.warning("$.history[\(k)].\(key)", "\"\(id)\" is not in this cohort; the entry is ignored") } else { known += 1 }
                    ids.append(PersonID(id))
                }
            }
            let term = r.string(item["term"], "$.history[\(k)].term")
            if ids.count == 2 && known == 2 {
                history.append(HistoryPair(mentor: ids[0], mentee: ids[1], term: term))
            }
        }

        // Checks that depend on the policy.
        func policyChecks(_ list: [Person], _ places: [Int], _ key: String) {
            for idx in list.indices {
                let k = places[idx]
                if policy.ageGap.mode != .off && list[idx].effectiveAge == nil {
                    let message = "age missing (give \"age\" or \"yearGroup\") while the age-gap rule is \(policy.ageGap.mode.rawValue)"
                    if policy.ageGap.mode == .hard { r.error("$.\(key)[\(k)]", message) } else { r.warning("$.\(key)[\(k)]", message) }
                }
                if policy.genderPreference != .off, case .same = list[idx].genderPreference, list[idx].gender == nil {
                    r.error("$.\(key)[\(k)].genderPreference", "is \"same\" but \"gender\" is missing")
                }
            }
        }
        policyChecks(mentors, mentorPlaces, "mentors")
        policyChecks(mentees, menteePlaces, "mentees")
        if policy.onlyScoredPairs && scores.isEmpty {
            r.warning("$.scores", "the policy allows only pairs rated by staff, and no pair is rated: nobody can be matched")
        }

        let title = r.string(root["title"], "$.title").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let cohort = Cohort(mentors: mentors, mentees: mentees, exclusions: exclusions,
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

    private static func genderPreference(_ v: JSONValue?, _ path: @autoclosure () -> String, _ r: inout DocumentReader) -> GenderPreference {
        guard let v, v != .null else { return .any }
        if case .string(let s) = v {
            switch normalisedKey(s) {
            case "", "any": return .any
            case "same": return .same
            default: return .oneOf(Set(splitList(s).map(normalisedKey)))
            }
        }
        let list = r.stringList(v, path()).map(normalisedKey)
        return list.isEmpty ? .any : .oneOf(Set(list))
    }
}


/// Which (mentor, mentee) pairs a list has named already, and where: a bit per possible pair when
/// that table is small (the usual case, and OR-Library's 640,000 scores), a dictionary once a
/// repeat is found or the table would be large. Linear either way.
struct PairSeen {
    private let mentees: Int
    private var bits: [UInt64]
    private var order: [(key: UInt64, at: Int32)] = []
    private var places: [UInt64: Int32]? = nil

    init(mentors: Int, mentees: Int, expected: Int) {
        self.mentees = mentees
        let pairs = mentors * mentees
        if pairs > 0 && pairs <= 1 << 27 {
            bits = [UInt64](repeating: 0, count: (pairs + 63) / 64)
            order.reserveCapacity(expected)
        } else {
            bits = []
            places = [:]
            places!.reserveCapacity(expected)
        }
    }

    /// Records the pair at list place `at`; returns the place it was first named at, if it was.
    mutating func insert(mentor: Int, mentee: Int, at: Int) -> Int? {
        let key = UInt64(mentor) << 32 | UInt64(mentee)
        if places == nil {
            let bit = mentor * mentees + mentee
            let word = bit >> 6, mask = UInt64(1) << UInt64(bit & 63)
            if bits[word] & mask == 0 {
                bits[word] |= mask
                order.append((key, Int32(at)))
                return nil
            }
            // A repeat: from now on keep places, so each message names the first one.
            var table: [UInt64: Int32] = [:]
            table.reserveCapacity(order.count * 2)
            for (k, p) in order where table[k] == nil { table[k] = p }
            places = table
            order = []
        }
        if let first = places![key] { return Int(first) }
        places![key] = Int32(at)
        return nil
    }
}
