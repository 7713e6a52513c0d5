import Foundation

/// Output formats for results and candidate lists.
public enum OutputFormat: String, Sendable, CaseIterable {
    case json, csv, table
}

/// Renders a ``MatchResult`` as JSON, CSV or a plain-text table. Same result, same bytes.
public enum ResultWriter {
    /// - Parameter workShown: print `stats.work` (the work units spent) even without timings:
    ///   it is deterministic, and a user setting a work limit needs it to choose one.
    public static func render(_ result: MatchResult, cohort: Cohort, format: OutputFormat, timings: Bool = false,
                              workShown: Bool = false) -> String {
        switch format {
        case .json: return json(result, timings: timings, workShown: workShown).rendered()
        case .csv: return csv(result, cohort: cohort)
        case .table: return table(result, cohort: cohort, timings: timings)
        }
    }

    /// `limit`: which limit cut which stage, and the limit as given.
    static func limitJSON(_ l: LimitReport) -> JSONValue {
        var f: [(String, JSONValue)] = [("kind", .string(l.kind == .cancelled ? "interrupt" : l.kind.rawValue)), ("stage", .string(l.stage))]
        switch l.kind {
        case .time: f.append(("seconds", l.value.map { .number($0) } ?? .null))
        case .work: f.append(("units", l.value.map { .number($0) } ?? .null))
        case .cancelled: break
        }
        return .object(f)
    }

    /// One line for a cut: "the time limit of 2 s cut the exact solve".
    public static func limitSentence(_ l: LimitReport) -> String {
        switch l.kind {
        case .time: return "the time limit of \(formatNumber(l.value ?? 0)) s cut the stage \"\(l.stage)\""
        case .work: return "the work limit of \(Int(l.value ?? 0)) units cut the stage \"\(l.stage)\""
        case .cancelled: return "an interrupt stopped the stage \"\(l.stage)\""
        }
    }

    public static func json(_ r: MatchResult, timings: Bool, workShown: Bool = false) -> JSONValue {
        var top: [(String, JSONValue)] = [
            ("status", .string(r.status.rawValue)),
            ("solver", .string(r.solver)),
            ("method", .string(r.method.rawValue)),
        ]
        // Seeds above 2^53 do not survive a JSON number: write those as text.
        if let seed = r.seed { top.append(("seed", seed < 1 << 53 ? .number(Double(seed)) : .string(String(seed)))) }
        if let why = r.fallbackReason { top.append(("fallbackReason", .string(why))) }
        var objective: [(String, JSONValue)] = [("matched", .number(Double(r.matched))), ("score", .number(r.score))]
        if r.matchedByPriority.count > 1 {
            objective.append(("matchedByPriority", .array(r.matchedByPriority.map {
                .object([("priority", .number(Double($0.priority))), ("matched", .number(Double($0.matched))), ("of", .number(Double($0.of)))])
            })))
        }
        if let m = r.mentorsAtMinimum { objective.append(("mentorsAtMinimum", .number(Double(m)))) }
        objective.append(("minPairScore", r.minPairScoreHundredths.map { .number(Score.points($0)) } ?? .null))
        if let opt = r.optimalScoreHundredths, let price = r.priceOfFairnessHundredths {
            objective.append(("optimalScore", .number(Score.points(opt))))
            objective.append(("priceOfFairness", .number(Score.points(price))))
        }
        if r.isTimetabled, let t = r.timetable {
            objective.append(("timetableTerms", .number(Score.points(t.softHundredths))))
            objective.append(("total", .number(Score.points(r.objectiveHundredths))))
        }
        top.append(("objective", .object(objective)))
        top.append(("preferences", preferences(r.preferences)))
        top.append(("bound", r.bound.map { .number($0) } ?? .null))
        top.append(("gap", r.gap.map { .number($0) } ?? .null))
        if let limit = r.limit { top.append(("limit", limitJSON(limit))) }
        if !r.stages.isEmpty {
            top.append(("stages", .array(r.stages.map { s in
                .object([("name", .string(s.name)), ("value", .number(s.value)), ("bound", s.bound.map { .number($0) } ?? .null),
                         ("optimal", .bool(s.optimal))])
            })))
        }
        let timetabled = r.isTimetabled
        top.append(("pairs", .array(r.pairs.map { p in
            var f: [(String, JSONValue)] = [("mentor", .string(p.mentor.rawValue)), ("mentee", .string(p.mentee.rawValue)),
                                            ("score", .number(p.score)),
                                            ("menteeRank", p.menteeRank.map { .number(Double($0)) } ?? .null),
                                            ("mentorRank", p.mentorRank.map { .number(Double($0)) } ?? .null)]
            if timetabled { f += timetableFields(p, term: r.timetable?.setup.term != nil) }
            f.append(("reasons", .array(p.reasons.map { .string($0) })))
            return .object(f)
        })))
        top.append(("unmatched", .array(r.unmatched.map { u in
            .object([("id", .string(u.id.rawValue)), ("role", .string(u.role.rawValue)),
                     ("reasons", .array(u.reasons.map { .string($0) }))])
        })))
        top.append(("shortfalls", .array(r.shortfalls.map { .string($0) })))
        if !r.notes.isEmpty { top.append(("notes", .array(r.notes.map { .string($0) }))) }
        if !r.diagnosis.isEmpty { top.append(("diagnosis", .array(r.diagnosis.map { .string($0) }))) }
        if let t = r.timetable {
            if timetabled { top.append(("timetable", timetableJSON(t))) }
            if let changes = t.changes { top.append(("changes", changesJSON(changes, maxChanges: t.maxChanges))) }
        }
        var stats: [(String, JSONValue)] = [
            ("candidates", .number(Double(r.stats.candidates))),
            ("variables", .number(Double(r.stats.variables))),
            ("constraints", .number(Double(r.stats.constraints))),
            ("method", .string(r.stats.method)),
        ]
        if timings || workShown { stats.append(("work", .number(Double(r.stats.work)))) }
        if timings { stats.append(("seconds", .number((r.stats.seconds * 1000).rounded() / 1000))) }
        top.append(("stats", .object(stats)))
        return .object(top)
    }

    static func preferences(_ p: PreferenceReport) -> JSONValue {
        func side(_ s: RankStatistics) -> JSONValue {
            .object([("pairs", .number(Double(s.pairs))), ("listed", .number(Double(s.listed))),
                     ("unlisted", .number(Double(s.unlisted))),
                     ("meanRank", s.meanRank.map { .number(($0 * 1000).rounded() / 1000) } ?? .null),
                     ("firstChoice", .number(Double(s.firstChoice))), ("topThree", .number(Double(s.topThree)))])
        }
        var out: [(String, JSONValue)] = [("blockingPairs", .number(Double(p.blockingPairs))),
                                          ("mentees", side(p.mentees)), ("mentors", side(p.mentors))]
        if let t = p.tiesBroken {
            out.append(("tiesBrokenByLottery", .object([("mentees", .number(Double(t.mentees))), ("mentors", .number(Double(t.mentors)))])))
        }
        return .object(out)
    }

    /// One line on the people's own rankings: "blocking pairs 0; mentees: 8 of 10 pairs listed, mean rank 1.4, ...".
    static func preferenceSummary(_ p: PreferenceReport) -> String {
        func side(_ name: String, _ s: RankStatistics) -> String {
            guard s.listed > 0 else { return "\(name): no pair on their lists" }
            return "\(name): \(s.listed) of \(s.pairs) pairs on their lists, mean rank \(formatNumber((s.meanRank! * 100).rounded() / 100)), first choice \(s.firstChoice), top three \(s.topThree)"
        }
        var text = "blocking pairs \(p.blockingPairs); " + side("mentees", p.mentees) + "; " + side("mentors", p.mentors)
        if let t = p.tiesBroken, t.mentees + t.mentors > 0 {
            text += "; ties broken by lottery: \(t.mentees) in mentees' lists, \(t.mentors) in mentors' lists"
        }
        return text
    }

    /// A pair's `slot`, `room`, `sessions` (all weekly sessions), `sessionCount`, `dates` and `skippedDates`.
    static func timetableFields(_ p: MatchedPair, term: Bool) -> [(String, JSONValue)] {
        var f: [(String, JSONValue)] = [
            ("slot", p.sessions.first.map { .string($0.slot) } ?? .null),
            ("room", p.sessions.first.map { .string($0.room) } ?? .null),
        ]
        if p.sessions.count > 1 {
            f.append(("sessions", .array(p.sessions.map { .object([("slot", .string($0.slot)), ("room", .string($0.room))]) })))
        }
        if term {
            f.append(("sessionCount", .number(Double(p.dates.count))))
            f.append(("dates", .array(p.dates.map { .string($0.description) })))
            f.append(("skippedDates", .array(p.skippedDates.map {
                .object([("date", .string($0.date.description)), ("reason", .string($0.reason))])
            })))
        }
        return f
    }

    /// The cohort's slots, rooms and term echoed, so renderers need only the result.
    static func timetableJSON(_ t: TimetableReport) -> JSONValue {
        let setup = t.setup
        var f: [(String, JSONValue)] = [("format", .string(setup.format.rawValue))]
        if let term = setup.term { f.append(("term", CohortWriter.termJSON(term))) }
        f.append(("slots", .array(setup.slots.map(CohortWriter.slotJSON))))
        f.append(("rooms", .array(setup.rooms.map { r in
            .object([("id", .string(r.id)), ("name", .string(r.name)), ("capacity", .number(Double(r.capacity))),
                     ("features", .array(r.features.map { .string($0) }))])
        })))
        f.append(("softScore", .number(Score.points(t.softHundredths))))
        f.append(("approach", .string(t.approach)))
        if let b = t.matchedBound { f.append(("matchedBound", .number(Double(b)))) }
        return .object(f)
    }

    static func changesJSON(_ changes: [Change], maxChanges: Int?) -> JSONValue {
        func sessions(_ list: [Session]) -> JSONValue {
            .array(list.map { .object([("slot", .string($0.slot)), ("room", .string($0.room))]) })
        }
        return .object([
            ("counted", .number(Double(changes.filter(\.counted).count))),
            ("maxChanges", maxChanges.map { .number(Double($0)) } ?? .null),
            ("list", .array(changes.map { c in
                .object([("kind", .string(c.kind.rawValue)), ("mentor", .string(c.mentor.rawValue)), ("mentee", .string(c.mentee.rawValue)),
                         ("before", sessions(c.before)), ("after", sessions(c.after)), ("reason", .string(c.reason)),
                         ("counted", .bool(c.counted))])
            })),
        ])
    }

    static func names(_ cohort: Cohort) -> [PersonID: String] {
        var out: [PersonID: String] = [:]
        for p in cohort.mentors + cohort.mentees { out[p.id] = p.name }
        return out
    }

    public static func csv(_ r: MatchResult, cohort: Cohort) -> String {
        let name = names(cohort)
        let timetabled = r.isTimetabled
        var rows: [[String]] = r.pairs.map {
            ["matched", $0.mentor.rawValue, name[$0.mentor] ?? "", $0.mentee.rawValue, name[$0.mentee] ?? "",
             formatNumber($0.score)] + (timetabled ? sessionCells($0) : [])
                + [$0.reasons.joined(separator: "; "), $0.menteeRank.map(String.init) ?? "", $0.mentorRank.map(String.init) ?? ""]
        }
        let blank = timetabled ? ["", "", ""] : []
        for u in r.unmatched {
            let id = u.id.rawValue, n = name[u.id] ?? ""
            rows.append(u.role == .mentor ? ["unmatched", id, n, "", "", ""] + blank + [u.reasons.joined(separator: "; "), "", ""]
                                          : ["unmatched", "", "", id, n, ""] + blank + [u.reasons.joined(separator: "; "), "", ""])
        }
        // Whole-result lines: the method, the people's rankings, and any notes, in the reasons column.
        func summary(_ text: String) -> [String] { ["summary", "", "", "", "", ""] + blank + [text, "", ""] }
        // How the result was made comes first: a greedy fallback or an infeasible run must not look optimal.
        rows.append(summary("status \(r.status.rawValue), solver \(r.solver)"))
        if let why = r.fallbackReason { rows.append(summary("fallback: \(why)")) }
        for d in r.diagnosis { rows.append(summary("diagnosis: \(d)")) }
        rows.append(summary("method \(r.method.rawValue)" + (r.seed.map { ", seed \($0)" } ?? "")))
        rows.append(summary(preferenceSummary(r.preferences)))
        if let limit = r.limit { rows.append(summary("limit: " + limitSentence(limit))) }
        if let price = r.priceOfFairnessHundredths {
            rows.append(summary("price of fairness \(formatNumber(Score.points(price))) (lowest pair score \(r.minPairScoreHundredths.map { formatNumber(Score.points($0)) } ?? "-"))"))
        }
        for note in r.notes { rows.append(summary(note)) }
        if let changes = r.timetable?.changes {
            rows.append(summary("changes from the previous result: \(changes.filter(\.counted).count) counted" + (r.timetable?.maxChanges.map { " of at most \($0)" } ?? "")))
            for c in changes { rows.append(summary("\(c.kind.rawValue) \(c.mentor)–\(c.mentee): \(c.reason)")) }
        }
        return csvText(header: ["status", "mentor", "mentorName", "mentee", "menteeName", "score"]
                               + (timetabled ? ["slot", "room", "sessions"] : []) + ["reasons", "menteeRank", "mentorRank"], rows: rows)
    }

    public static func table(_ r: MatchResult, cohort: Cohort, timings: Bool) -> String {
        let name = names(cohort)
        var out = "Status: \(r.status.rawValue) (solver: \(r.solver), method: \(r.method.rawValue)\(r.seed.map { ", seed \($0)" } ?? ""))\n"
        if let why = r.fallbackReason { out += "Fallback: \(why)\n" }
        if let limit = r.limit { out += "Limit: \(limitSentence(limit))\n" }
        out += "Matched: \(r.matched) of \(cohort.mentees.count) mentees, total score \(formatNumber(r.score))"
        if r.isTimetabled, let t = r.timetable {
            out += ", timetable terms \(formatNumber(Score.points(t.softHundredths))) (total \(formatNumber(Score.points(r.objectiveHundredths))))"
        }
        if let b = r.bound { out += ", bound \(formatNumber(b))" }
        out += "\n"
        if !r.stages.isEmpty {
            out += "Stages: " + r.stages.map { s in
                "\(s.name) \(formatNumber(s.value))" + (s.optimal ? " (optimal)" : s.bound.map { " (bound \(formatNumber($0)))" } ?? " (no bound)")
            }.joined(separator: "; ") + "\n"
        }
        if let m = r.minPairScoreHundredths { out += "Lowest pair score: \(formatNumber(Score.points(m)))" }
        if let price = r.priceOfFairnessHundredths, let opt = r.optimalScoreHundredths {
            out += ", price of fairness \(formatNumber(Score.points(price))) (method optimal: \(formatNumber(Score.points(opt))))"
        }
        if r.minPairScoreHundredths != nil { out += "\n" }
        out += "Preferences: " + preferenceSummary(r.preferences) + "\n"
        for note in r.notes { out += "Note: \(note)\n" }
        for d in r.diagnosis { out += "Diagnosis: \(d)\n" }
        if !r.pairs.isEmpty {
            let timetabled = r.isTimetabled
            let setup = r.timetable?.setup
            let rows = r.pairs.map { ["\(name[$0.mentor] ?? "") (\($0.mentor))", "\(name[$0.mentee] ?? "") (\($0.mentee))",
                                      formatNumber($0.score)] + (timetabled ? sessionNames($0, setup) : []) + [$0.reasons.joined(separator: "; ")] }
            out += "\n" + textTable(header: ["Mentor", "Mentee", "Score"] + (timetabled ? ["Slot", "Room", "Sessions"] : []) + ["Reasons"],
                                    rows: rows)
        }
        if !r.unmatched.isEmpty {
            let rows = r.unmatched.map { ["\(name[$0.id] ?? "") (\($0.id))", $0.role.rawValue, $0.reasons.joined(separator: "; ")] }
            out += "\nUnmatched\n" + textTable(header: ["Person", "Role", "Why"], rows: rows)
        }
        if let changes = r.timetable?.changes {
            out += "\nChanges from the previous result (\(changes.filter(\.counted).count) counted"
                + (r.timetable?.maxChanges.map { " of at most \($0)" } ?? "") + ")\n"
            out += changes.isEmpty ? "- none\n" : changes.map { "- \($0.kind.rawValue) \($0.mentor)–\($0.mentee): \($0.reason)\n" }.joined()
        }
        if !r.shortfalls.isEmpty { out += "\nShortfalls\n" + r.shortfalls.map { "- \($0)\n" }.joined() }
        if timings { out += String(format: "\nSolved in %.3f s (%@)\n", r.stats.seconds, r.stats.method) }
        return out
    }

    /// For people to read: the slots as day and time ("Wed 12:40–13:05 Lunch"), the rooms by name,
    /// and the number of session dates. (CSV keeps the ids, for programs.)
    static func sessionNames(_ p: MatchedPair, _ setup: TimetableSetup?) -> [String] {
        let slots = Dictionary(uniqueKeysWithValues: (setup?.slots ?? []).map { ($0.id, $0) })
        let rooms = Dictionary(uniqueKeysWithValues: (setup?.rooms ?? []).map { ($0.id, $0.name) })
        let slot = p.sessions.map { s -> String in
            guard let sl = slots[s.slot] else { return s.slot }
            return "\(sl.day.rawValue.prefix(1).uppercased())\(sl.day.rawValue.dropFirst()) \(sl.start)–\(sl.end)" + (sl.label.map { " \($0)" } ?? "")
        }
        return [slot.joined(separator: "; "), p.sessions.map { rooms[$0.room] ?? $0.room }.joined(separator: "; "), String(p.dates.count)]
    }

    /// Slot ids, room ids (";"-separated for several sessions a week) and the number of session dates.
    static func sessionCells(_ p: MatchedPair) -> [String] {
        [p.sessions.map(\.slot).joined(separator: ";"), p.sessions.map(\.room).joined(separator: ";"), String(p.dates.count)]
    }

    /// Left-aligned columns separated by two spaces; the last column is not padded.
    static func textTable(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = (0..<header.count).map { c in all.map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, s in c == cells.count - 1 ? s : s.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
                .joined(separator: "  ") + "\n"
        }
        return line(header) + line(widths.map { String(repeating: "-", count: $0) }) + rows.map(line).joined()
    }
}
