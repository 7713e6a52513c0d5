/// Flags values that are probably typos of another value in the same cohort, before anyone is
/// matched on them: "safeguarding trained" beside "safeguarding-trained", "F" beside "female",
/// a gender preference of "girls" when the genders are "female" and "male", a requirement no
/// mentor holds. `validate`, `import` and `solve` all run these checks (through
/// ``CohortReader``), so the three agree.
///
/// Two values are a near miss when, after the matcher's own normalising (case and surrounding
/// spaces, which the rules already ignore, so they are never flagged), they differ only by
/// spaces, hyphens, underscores, dots or apostrophes; by a plural ending; by one letter (words of
/// 4 to 7 letters) or two (8 or more); or, for genders, when one is a common way of writing the
/// other (F, girl, woman → female). The rarer value is the suspect; the message names who holds
/// each. Severity: an error where the value makes someone unmatchable and is a near miss of a
/// value that would not (a requirement or gender wish that is almost certainly a typo); a
/// warning otherwise (including a requirement or wish no one can meet that is not a typo of
/// anything: that is a real shortfall, which the result also reports, and must not stop a run).
public enum NearMisses {
    public struct Finding: Sendable, Hashable {
        public var severity: Diagnostic.Severity
        public var role: Role
        /// Index in the cohort's mentors or mentees.
        public var index: Int
        /// The field the value is in; nil for the person as a whole.
        public var field: String?
        public var message: String
    }

    /// Every finding, in a fixed order (errors and warnings as they are found, field by field).
    public static func check(_ cohort: Cohort, policy: Policy) -> [Finding] {
        var out: [Finding] = []
        let people = cohort.mentors.enumerated().map { ($0.element, Role.mentor, $0.offset) }
            + cohort.mentees.enumerated().map { ($0.element, Role.mentee, $0.offset) }

        // Who holds each value of a field.
        func holders(_ field: String, _ list: [(Person, Role, Int)], _ values: (Person) -> [String]) -> Vocabulary {
            var v = Vocabulary(field: field)
            for (p, role, k) in list { for value in values(p) { v.add(value, Holder(name: p.name, role: role, index: k)) } }
            return v
        }

        // Genders: "F" beside "female".
        if policy.genderPreference != .off || policy.weights.sameGender != 0 {
            let genders = holders("gender", people) { $0.gender.map { [$0] } ?? [] }
            out += similar(within: genders, genderWords: true)
        }
        // Interests, offers, needs, qualifications: each against its own kind.
        out += similar(within: holders("interests", people) { $0.interests })
        let offers = holders("offers", people.filter { $0.1 == .mentor }) { $0.offers }
        let needs = holders("needs", people.filter { $0.1 == .mentee }) { $0.needs }
        out += similar(within: offers)
        out += similar(within: needs)
        out += similar(needs, against: offers, relation: "offered by")
        let qualifications = holders("qualifications", people) { $0.qualifications }
        out += similar(within: qualifications)

        // Requirements no mentor holds.
        if policy.requiredQualifications == .hard {
            let held = holders("qualifications", people.filter { $0.1 == .mentor }) { $0.qualifications }
            let required = holders("requires", people.filter { $0.1 == .mentee }) { $0.requires }
            for value in required.order where held.holders[value] == nil {
                let who = required.holders[value]!
                let names = shortList(who.map(\.name))
                let close = held.closest(to: value, genderWords: false)
                let cannot = who.count == 1 ? "\(names) cannot be matched" : "\(names) cannot be matched"
                if let close {
                    out.append(Finding(severity: .error, role: .mentee, index: who[0].index, field: "requires",
                        message: "\"\(required.spelling[value]!)\" (required by \(names)) is held by no mentor, so \(cannot). It is close to \"\(held.spelling[close]!)\" (\(held.describe(close))): if that is meant, write it the same way"))
                } else {
                    out.append(Finding(severity: .warning, role: .mentee, index: who[0].index, field: "requires",
                        message: "no mentor holds \"\(required.spelling[value]!)\" (required by \(names)), so \(cannot) while the requires rule is hard"))
                }
            }
        }

        // Gender wishes that name a gender nobody on the other side has.
        if policy.genderPreference != .off {
            for side in [Role.mentee, .mentor] {
                let other = side == .mentee ? Role.mentor : .mentee
                let genders = holders("gender", people.filter { $0.1 == other }) { $0.gender.map { [$0] } ?? [] }
                var wishes = Vocabulary(field: "genderPreference")
                var unmeetable: [String: [Holder]] = [:]
                for (p, role, k) in people where role == side {
                    switch p.genderPreference {
                    case .any: continue
                    case .same:
                        if let g = p.gender, genders.holders[normalisedKey(g)] == nil {
                            unmeetable["same:\(normalisedKey(g))", default: []].append(Holder(name: p.name, role: role, index: k))
                        }
                    case .oneOf(let set):
                        let meetable = set.contains { genders.holders[normalisedKey($0)] != nil }
                        for g in set.sorted() where genders.holders[normalisedKey(g)] == nil {
                            wishes.add(g, Holder(name: p.name, role: role, index: k, meetable: meetable))
                        }
                    }
                }
                for value in wishes.order {
                    let who = wishes.holders[value]!
                    let names = shortList(who.map(\.name))
                    let stuck = who.filter { !$0.meetable }
                    let hard = policy.genderPreference == .hard
                    let consequence = stuck.isEmpty ? "" : hard ? ", so \(shortList(stuck.map(\.name))) cannot be matched" : ", so that wish cannot be met"
                    if let close = genders.closest(to: value, genderWords: true) {
                        out.append(Finding(severity: hard && !stuck.isEmpty ? .error : .warning, role: side, index: who[0].index, field: "genderPreference",
                            message: "\(names) want\(who.count == 1 ? "s" : "") a \"\(wishes.spelling[value]!)\" \(other.rawValue), but no \(other.rawValue)'s gender is \"\(wishes.spelling[value]!)\"\(consequence). It is close to \"\(genders.spelling[close]!)\" (\(genders.describe(close))): if that is meant, write it the same way"))
                    } else if !stuck.isEmpty {
                        let known = genders.order.map { "\(genders.spelling[$0]!) \(genders.holders[$0]!.count)" }
                        out.append(Finding(severity: .warning, role: side, index: who[0].index, field: "genderPreference",
                            message: "\(names) want\(who.count == 1 ? "s" : "") a \"\(wishes.spelling[value]!)\" \(other.rawValue), and no \(other.rawValue) is \"\(wishes.spelling[value]!)\"\(consequence) (\(other.rawValue)s' genders: \(known.isEmpty ? "none given" : known.joined(separator: ", ")))"))
                    }
                }
                for (key, who) in unmeetable.sorted(by: { $0.key < $1.key }) {
                    let g = String(key.dropFirst(5))
                    let hard = policy.genderPreference == .hard
                    out.append(Finding(severity: .warning, role: side, index: who[0].index, field: "genderPreference",
                        message: "\(shortList(who.map(\.name))) want\(who.count == 1 ? "s" : "") a \(other.rawValue) of the same gender (\(g)), and no \(other.rawValue) is \(g)\(hard ? ", so they cannot be matched" : "")"))
                }
            }
        }

        // Ages taken from year groups while others give an age: a mix worth knowing about.
        if policy.ageGap.mode != .off {
            let derived = people.filter { $0.0.age == nil && $0.0.yearGroup != nil }
            let given = people.filter { $0.0.age != nil }
            if !derived.isEmpty && !given.isEmpty {
                let first = derived[0]
                out.append(Finding(severity: .warning, role: first.1, index: first.2, field: "yearGroup",
                    message: "\(derived.count) of \(people.count) people have no age, so it is taken from the year group (Year N is N + 4.5 years old: \(shortList(derived.map(\.0.name)))) while the others give an age; the pairs' reasons say where a year group was used"))
            }
        }
        return out
    }

    /// Findings as diagnostics at JSON paths of a cohort file.
    public static func diagnostics(_ cohort: Cohort, policy: Policy, file: String) -> [Diagnostic] {
        check(cohort, policy: policy).map { f in
            let list = f.role == .mentor ? "mentors" : "mentees"
            return Diagnostic(f.severity, file: file, at: "$.\(list)[\(f.index)]" + (f.field.map { ".\($0)" } ?? ""), f.message)
        }
    }

    // MARK: - Comparing values

    struct Holder { var name: String; var role: Role; var index: Int; var meetable = true }

    /// The distinct values of one field (by the matcher's normal form), in first-seen order, with who holds each.
    struct Vocabulary {
        let field: String
        var order: [String] = []
        var holders: [String: [Holder]] = [:]
        var spelling: [String: String] = [:]
        init(field: String) { self.field = field }

        mutating func add(_ value: String, _ h: Holder) {
            let k = normalisedKey(value)
            guard !k.isEmpty else { return }
            if holders[k] == nil { order.append(k); spelling[k] = value.trimmingCharacters(in: .whitespaces) }
            holders[k, default: []].append(h)
        }

        /// "Harvey", "3 mentors", "5 people".
        func describe(_ k: String) -> String {
            let who = holders[k] ?? []
            if who.count == 1 { return who[0].name }
            let roles = Set(who.map(\.role))
            return "\(who.count) " + (roles.count == 1 ? "\(roles.first!.rawValue)s" : "people")
        }

        /// The most held value near `k`, if any.
        /// With genders, the word a letter or synonym stands for comes first ("F" → "female").
        func closest(to k: String, genderWords: Bool) -> String? {
            func rank(_ v: String) -> (Int, Int, String) {
                (genderWords && NearMisses.genderWords[k] == v ? 1 : 0, holders[v]!.count, v)
            }
            return order.filter { $0 != k && NearMisses.near(k, $0, genderWords: genderWords) }
                .max { let a = rank($0), b = rank($1); return (a.0, a.1, b.2) < (b.0, b.1, a.2) }
        }
    }

    /// Near misses among one field's own values: the rarer of each near pair is flagged once,
    /// at its first holder.
    static func similar(within v: Vocabulary, genderWords: Bool = false) -> [Finding] {
        // Thousands of free-text values would make this quadratic scan slow; real cohorts have tens.
        guard v.order.count <= 3000 else { return [] }
        var out: [Finding] = []
        var flagged: Set<String> = []
        for a in v.order where !flagged.contains(a) {
            let countA = v.holders[a]!.count
            // The suspect is the rarer value; a letter or synonym of a gender word is always the suspect.
            let canonical = genderWords ? NearMisses.genderWords[a] : nil
            let better = v.order.filter { b in
                guard b != a && near(a, b, genderWords: genderWords) else { return false }
                if genderWords && NearMisses.genderWords[b] == a { return false }
                return canonical == b || (v.holders[b]!.count, a) > (countA, b)
            }
            guard let b = better.first(where: { $0 == canonical }) ?? better.max(by: { (v.holders[$0]!.count, $1) < (v.holders[$1]!.count, $0) }) else { continue }
            flagged.insert(a)
            let who = v.holders[a]!
            out.append(Finding(severity: .warning, role: who[0].role, index: who[0].index, field: v.field,
                message: "\"\(v.spelling[a]!)\" (\(shortList(who.map(\.name)))) is close to \"\(v.spelling[b]!)\" (\(v.describe(b))) in \(v.field): if they mean the same, write them the same way, or they will not match"))
        }
        return out
    }

    /// Values of `v` close to a value of `other` but not equal to any (needs against offers).
    static func similar(_ v: Vocabulary, against other: Vocabulary, relation: String) -> [Finding] {
        guard v.order.count * other.order.count <= 1_000_000 else { return [] }
        var out: [Finding] = []
        for a in v.order where other.holders[a] == nil {
            guard let b = other.closest(to: a, genderWords: false) else { continue }
            let who = v.holders[a]!
            out.append(Finding(severity: .warning, role: who[0].role, index: who[0].index, field: v.field,
                message: "\"\(v.spelling[a]!)\" (\(shortList(who.map(\.name)))) is close to \"\(other.spelling[b]!)\", \(relation) \(other.describe(b)) in \(other.field), but is not the same, so it will not count as met"))
        }
        return out
    }

    /// Common ways of writing a gender, for the near-miss check and `import --guess`'s value maps.
    static let genderWords: [String: String] = [
        "f": "female", "fem": "female", "girl": "female", "girls": "female", "woman": "female", "women": "female",
        "w": "female", "feminine": "female",
        "m": "male", "boy": "male", "boys": "male", "man": "male", "men": "male", "masculine": "male",
        "nb": "non-binary", "enby": "non-binary", "nonbinary": "non-binary", "non binary": "non-binary",
    ]

    /// Whether two normalised values are a near miss.
    static func near(_ a: String, _ b: String, genderWords useGenders: Bool) -> Bool {
        if a == b { return false }
        if useGenders {
            let ga = genderWords[a] ?? a, gb = genderWords[b] ?? b
            if ga == gb { return true }
        }
        let ca = compact(a), cb = compact(b)
        if ca == cb { return true }
        if ca.isEmpty || cb.isEmpty { return false }
        let (short, long) = ca.count <= cb.count ? (ca, cb) : (cb, ca)
        for ending in ["s", "es"] where short + ending == long { return true }
        if short.hasSuffix("y") && String(short.dropLast()) + "ies" == long { return true }
        let limit = short.count >= 8 ? 2 : short.count >= 4 ? 1 : 0
        guard limit > 0, long.count - short.count <= limit else { return false }
        // Digits are not typos of each other: "year 7" and "year 8" are different values.
        if ca.contains(where: \.isNumber) || cb.contains(where: \.isNumber) { return false }
        return editDistance(ca, cb) <= limit
    }

    /// Letters and digits only: "safeguarding-trained" and "Safeguarding trained" agree.
    static func compact(_ s: String) -> String { String(s.lowercased().filter { $0.isLetter || $0.isNumber }) }

    /// A value map for a gender column whose cells use letters or words (F, Girl) beside, or
    /// instead of, the words PeerMatch's examples use; for `import --guess`.
    static func genderValueMap(_ cells: [String], listField: Bool) -> [String: String] {
        var out: [String: String] = [:]
        let items = listField ? cells.flatMap { $0.split(whereSeparator: { ";,".contains($0) }).map(String.init) } : cells
        for raw in items {
            let v = raw.trimmingCharacters(in: .whitespaces)
            if let to = genderWords[normalisedKey(v)], normalisedKey(v) != to { out[v] = to }
        }
        return out
    }

    static func shortList(_ names: [String]) -> String { Explainer.shortList(names, limit: 3) }
}
