import Foundation
import PeerMatch

/// Output formats of the store's listings.
public enum SchemeOutputFormat: String, Sendable, CaseIterable {
    case table, json, csv
}

/// The plain-text lines the command line prints for the store's summaries: one place, so the
/// verbs stay thin and the wording is tested once.
public enum SchemeText {
    public static func summary(_ s: SchemeSummary) -> String {
        var out = "\(s.name): schema \(s.schemaVersion), revision \(s.revision), created \(s.createdAt) by \(s.createdBy)\n"
        out += "\(s.people) people, \(s.terms.count) term\(s.terms.count == 1 ? "" : "s"), \(s.sessionRecords) session records, \(s.auditEntries) audit entries\n"
        if !s.terms.isEmpty { out += terms(s.terms) }
        return out
    }

    public static func terms(_ list: [TermSummary]) -> String {
        guard !list.isEmpty else { return "no terms yet\n" }
        return list.map { t in
            let pairs = PairState.allCases.compactMap { s in t.pairs[s].map { "\($0) \(s.rawValue)" } }
            return "\(t.id)  \(t.name)  \(t.start) to \(t.end)  \(t.timetabled ? "timetabled" : "no timetable")  \(t.mentors) mentors, \(t.mentees) mentees"
                + (pairs.isEmpty ? "" : "; pairs: " + pairs.joined(separator: ", "))
        }.joined(separator: "\n") + "\n"
    }

    public static func term(_ d: TermDetail) -> String {
        var out = terms([d.summary])
        let s = d.setup
        if !s.skipWeeks.isEmpty { out += "  weeks skipped: " + s.skipWeeks.map(\.description).joined(separator: ", ") + "\n" }
        if s.isTimetabled {
            out += "  \(s.slots.count) slots, \(s.rooms.count) rooms, \(s.format.rawValue), \(s.sessionsPerWeek) session\(s.sessionsPerWeek == 1 ? "" : "s") a week\n"
        }
        out += "  policy: \(d.policySource)\n"
        return out
    }

    public static func importSummary(_ s: ImportSummary) -> String {
        var out = s.line + "\n"
        if !s.returning.isEmpty { out += "  known from earlier terms: " + s.returning.map(\.rawValue).joined(separator: ", ") + "\n" }
        for p in s.updated {
            out += "  updated \(p.id): " + p.changes.map { "\($0.field) \($0.before.isEmpty ? "(none)" : $0.before) → \($0.after.isEmpty ? "(none)" : $0.after)" }.joined(separator: "; ") + "\n"
        }
        for w in s.warnings { out += "  warning: \(w)\n" }
        return out
    }

    public static func run(_ s: MatchRunSummary) -> String {
        var out = "term \(s.term): run \(s.runID): \(s.status.rawValue) (\(s.solver)): \(s.matched) of \(s.mentees) mentees matched; "
            + "\(s.proposed) proposed, \(s.kept) kept, \(s.superseded) earlier proposals superseded\n"
        if let why = s.fallbackReason { out += "  note: greedy result: \(why)\n" }
        for n in s.notes { out += "  note: \(n)\n" }
        for d in s.diagnosis { out += "  infeasible: \(d)\n" }
        for f in s.shortfalls { out += "  shortfall: \(f)\n" }
        return out
    }

    public static func withdrawal(_ p: WithdrawalPlan, setup: TermSetupInput?) -> String {
        var out = "withdrawal of \(p.person) (\(p.name), \(p.role.rawValue)) from term \(p.term) on \(p.date): \(p.reason.label)\n"
        for r in p.ended { out += "  ends \(r)\n" }
        for r in p.dropped { out += "  drops the proposal \(r)\n" }
        if p.changes.isEmpty { out += "  no other pair changes\n" }
        func sessions(_ list: [Session]) -> String { list.isEmpty ? "-" : list.map { session($0, setup: setup) }.joined(separator: " and ") }
        for c in p.changes {
            let cap = c.counted ? " [counts against --max-changes]" : ""
            switch c.kind {
            case .added: out += "  adds \(c.mentor):\(c.mentee)" + (c.after.isEmpty ? "" : ", \(sessions(c.after))") + ": \(c.reason)\(cap)\n"
            case .moved: out += "  moves \(c.mentor):\(c.mentee) from \(sessions(c.before)) to \(sessions(c.after)): \(c.reason)\(cap)\n"
            case .removed: out += "  removes \(c.mentor):\(c.mentee): \(c.reason)\(cap)\n"
            }
        }
        out += "  mentees matched: \(p.matchedBefore) before, \(p.matchedAfter) after\n"
        for n in p.notes { out += "  note: \(n)\n" }
        return out
    }

    /// "Wednesday 12:30–13:00 in Library" for a session, from the term's setup.
    public static func session(_ s: Session, setup: TermSetupInput?) -> String {
        guard let setup, let slot = setup.slots.first(where: { $0.id == s.slot }) else { return "\(s.slot) in \(s.room)" }
        let room = setup.rooms.first { $0.id == s.room }?.name ?? s.room
        return slotText(slot) + " in \(room)"
    }

    /// "Wednesday 12:30–13:00 (Lunch)".
    public static func slotText(_ slot: Slot) -> String {
        "\(slot.day.name) \(slot.start)–\(slot.end)" + (slot.label.map { " (\($0))" } ?? "")
    }
}

/// A term's pairs, unmatched and shortfalls as a table (for people), JSON or CSV.
public enum MatchesWriter {
    public static func render(_ m: TermMatches, format: SchemeOutputFormat, setup: TermSetupInput? = nil) -> String {
        switch format {
        case .json: return json(m).rendered()
        case .csv: return csv(m)
        case .table: return table(m, setup: setup)
        }
    }

    public static func json(_ m: TermMatches) -> JSONValue {
        var top: [(String, JSONValue)] = [("term", .string(m.term.rawValue)), ("revision", .number(Double(m.revision)))]
        if let r = m.run {
            top.append(("run", .object([
                ("id", .number(Double(r.id))), ("kind", .string(r.kind)), ("at", .string(r.at)), ("by", .string(r.by)),
                ("status", .string(r.status)), ("solver", .string(r.solver)), ("matched", .number(Double(r.matched))),
                ("mentees", .number(Double(r.mentees))), ("mentors", .number(Double(r.mentors))),
                ("notes", .array(r.notes.map { .string($0) })),
            ])))
        }
        top.append(("pairs", .array(m.pairs.map { p in
            var f: [(String, JSONValue)] = [
                ("mentor", .string(p.ref.mentor.rawValue)), ("mentorName", .string(p.mentorName)),
                ("mentee", .string(p.ref.mentee.rawValue)), ("menteeName", .string(p.menteeName)),
                ("state", .string(p.state.rawValue)), ("locked", .bool(p.locked)),
                ("score", p.score.map { .number($0) } ?? .null),
            ]
            if !p.sessions.isEmpty {
                f.append(("sessions", .array(p.sessions.map { .object([("slot", .string($0.slot)), ("room", .string($0.room))]) })))
                f.append(("dates", .number(Double(p.dates.count))))
            }
            if let d = p.endDate { f.append(("endDate", .string(d.description))) }
            if let r = p.endReason { f.append(("endReason", .string(r.rawValue))) }
            if p.noRepeat { f.append(("noRepeat", .bool(true))) }
            if let n = p.note { f.append(("note", .string(n))) }
            f.append(("reasons", .array(p.reasons.map { .string($0) })))
            return .object(f)
        })))
        top.append(("unmatched", .array(m.unmatched.map { u in
            .object([("id", .string(u.id.rawValue)), ("name", .string(u.name)), ("role", .string(u.role.rawValue)),
                     ("reasons", .array(u.reasons.map { .string($0) }))])
        })))
        top.append(("shortfalls", .array(m.shortfalls.map { .string($0) })))
        return .object(top)
    }

    public static func csv(_ m: TermMatches) -> String {
        let header = ["kind", "mentor", "mentorName", "mentee", "menteeName", "state", "locked", "score", "sessions", "endDate", "endReason", "reasons"]
        var rows = m.pairs.map { p in
            ["pair", p.ref.mentor.rawValue, p.mentorName, p.ref.mentee.rawValue, p.menteeName, p.state.rawValue, p.locked ? "yes" : "",
             p.score.map(formatNumber) ?? "", p.sessions.map { "\($0.slot)@\($0.room)" }.joined(separator: ";"),
             p.endDate?.description ?? "", p.endReason?.rawValue ?? "", p.reasons.joined(separator: "; ")]
        }
        rows += m.unmatched.map { u in
            ["unmatched", "", "", u.id.rawValue, u.name, "", "", "", "", "", "", u.reasons.joined(separator: "; ")]
        }
        return StoreCSV.text(header: header, rows: rows)
    }

    public static func table(_ m: TermMatches, setup: TermSetupInput? = nil) -> String {
        var out = ""
        let counts = PairState.allCases.compactMap { s -> String? in
            let n = m.pairs.filter { $0.state == s }.count
            return n == 0 ? nil : "\(n) \(s.rawValue)"
        }
        out += "term \(m.term): \(m.pairs.count) pairs" + (counts.isEmpty ? "" : " (" + counts.joined(separator: ", ") + ")")
            + "; \(m.unmatched.count) mentee\(m.unmatched.count == 1 ? "" : "s") unmatched\n"
        if let r = m.run {
            out += "last run: \(r.kind) run \(r.id), \(r.at) by \(r.by): \(r.status) (\(r.solver)), \(r.matched) of \(r.mentees) mentees matched\n"
        } else {
            out += "not matched yet (peermatch scheme match \(m.term))\n"
        }
        for p in m.pairs {
            let lock = p.locked ? ", locked" : ""
            let score = p.score.map { ", score \(formatNumber($0))" } ?? ""
            let dates = p.dates.isEmpty ? "" : ", \(p.dates.count) session dates"
            out += "\n\(p.state.rawValue)\(lock)\(score)\(dates): \(p.ref.mentor) \(p.mentorName) + \(p.ref.mentee) \(p.menteeName)\n"
            if let d = p.endDate { out += "    ended \(d): \(p.endReason?.label ?? "")" + (p.noRepeat ? ", not to be paired again" : "") + "\n" }
            if let n = p.note { out += "    note: \(n)\n" }
            for r in p.reasons { out += "    - \(r)\n" }
        }
        if !m.unmatched.isEmpty {
            out += "\nunmatched:\n"
            for u in m.unmatched { out += "  \(u.id) \(u.name): \(u.reasons.joined(separator: "; "))\n" }
        }
        if !m.shortfalls.isEmpty {
            out += "\nshortfalls:\n"
            for s in m.shortfalls { out += "  \(s)\n" }
        }
        return out
    }
}
