/// Writes a ``Cohort`` as a cohort file (JSON, camelCase, fields in a fixed order).
public enum CohortWriter {
    public static func json(_ cohort: Cohort) -> JSONValue {
        func person(_ p: Person) -> JSONValue {
            var f: [(String, JSONValue)] = [("id", .string(p.id.rawValue)), ("name", .string(p.name))]
            if let a = p.age { f.append(("age", .number(a))) }
            if let y = p.yearGroup { f.append(("yearGroup", .number(y))) }
            if let g = p.gender { f.append(("gender", .string(g))) }
            switch p.genderPreference {
            case .any: break
            case .same: f.append(("genderPreference", .string("same")))
            case .oneOf(let set): f.append(("genderPreference", .array(set.sorted().map { .string($0) })))
            }
            func list(_ key: String, _ items: [String]) { if !items.isEmpty { f.append((key, .array(items.map { .string($0) }))) } }
            list("interests", p.interests)
            list(p.role == .mentor ? "offers" : "needs", p.role == .mentor ? p.offers : p.needs)
            list("qualifications", p.qualifications)
            list("requires", p.requires)
            if let g = p.group { f.append(("group", .string(g))) }
            if p.role == .mentor { f.append(("capacity", .number(Double(p.capacity)))) }
            if p.role == .mentee && p.priority != 0 { f.append(("priority", .number(Double(p.priority)))) }
            if !p.preferences.isEmpty {
                f.append(("preferences", .array(p.preferences.map { g in
                    g.count == 1 ? .string(g[0].rawValue) : .array(g.map { .string($0.rawValue) })
                })))
            }
            return .object(f)
        }
        var top: [(String, JSONValue)] = [
            ("mentors", .array(cohort.mentors.map(person))),
            ("mentees", .array(cohort.mentees.map(person))),
        ]
        if !cohort.exclusions.isEmpty {
            top.append(("exclusions", .array(cohort.exclusions.map { e in
                var f: [(String, JSONValue)] = [("a", .string(e.a.rawValue)), ("b", .string(e.b.rawValue))]
                if let r = e.reason { f.append(("reason", .string(r))) }
                return .object(f)
            })))
        }
        if !cohort.locked.isEmpty {
            top.append(("locked", .array(cohort.locked.map {
                .object([("mentor", .string($0.mentor.rawValue)), ("mentee", .string($0.mentee.rawValue))])
            })))
        }
        if !cohort.scores.isEmpty {
            top.append(("scores", .array(cohort.scores.map {
                .object([("mentor", .string($0.mentor.rawValue)), ("mentee", .string($0.mentee.rawValue)), ("score", .number($0.score))])
            })))
        }
        return .object(top)
    }
}
