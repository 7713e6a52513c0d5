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
            if let a = p.availability { f.append(("availability", .array(a.map { .string($0) }))) }
            list("requireRoomFeatures", p.requireRoomFeatures)
            if !p.unavailableDates.isEmpty { f.append(("unavailableDates", .array(p.unavailableDates.map { .string($0.description) }))) }
            if !p.preferences.isEmpty {
                f.append(("preferences", .array(p.preferences.map { g in
                    g.count == 1 ? .string(g[0].rawValue) : .array(g.map { .string($0.rawValue) })
                })))
            }
            return .object(f)
        }
        var top: [(String, JSONValue)] = []
        if let title = cohort.title { top.append(("title", .string(title))) }
        if let t = cohort.timetable {
            top.append(("slots", .array(t.slots.map(slotJSON))))
            top.append(("rooms", .array(t.rooms.map { r in
                var o: [(String, JSONValue)] = [("id", .string(r.id)), ("name", .string(r.name)), ("capacity", .number(Double(r.capacity)))]
                if !r.features.isEmpty { o.append(("features", .array(r.features.map { .string($0) }))) }
                if let a = r.availability { o.append(("availability", .array(a.map { .string($0) }))) }
                return .object(o)
            })))
            if let term = t.term { top.append(("term", termJSON(term))) }
            top.append(("format", .string(t.format.rawValue)))
        }
        top += [
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
                var o: [(String, JSONValue)] = [("mentor", .string($0.mentor.rawValue)), ("mentee", .string($0.mentee.rawValue))]
                if let s = $0.slot { o.append(("slot", .string(s))) }
                if let r = $0.room { o.append(("room", .string(r))) }
                return .object(o)
            })))
        }
        if !cohort.history.isEmpty {
            top.append(("history", .array(cohort.history.map {
                var o: [(String, JSONValue)] = [("mentor", .string($0.mentor.rawValue)), ("mentee", .string($0.mentee.rawValue))]
                if let t = $0.term { o.append(("term", .string(t))) }
                return .object(o)
            })))
        }
        if !cohort.scores.isEmpty {
            top.append(("scores", .array(cohort.scores.map {
                .object([("mentor", .string($0.mentor.rawValue)), ("mentee", .string($0.mentee.rawValue)), ("score", .number($0.score))])
            })))
        }
        return .object(top)
    }

    /// A slot as written in cohort and result files.
    static func slotJSON(_ s: Slot) -> JSONValue {
        var o: [(String, JSONValue)] = [("id", .string(s.id)), ("day", .string(s.day.rawValue)),
                                        ("start", .string(s.start.description)), ("end", .string(s.end.description))]
        if let l = s.label { o.append(("label", .string(l))) }
        return .object(o)
    }

    /// A term as written in cohort and result files.
    static func termJSON(_ term: Term) -> JSONValue {
        .object([
            ("start", .string(term.start.description)), ("end", .string(term.end.description)),
            ("skipWeeks", .array(term.skipWeeks.map { .string($0.description) })),
            ("sessionsPerWeek", .number(Double(term.sessionsPerWeek))),
        ])
    }
}
