import Foundation
import GRDB
import PeerMatch

/// Everything in the scheme as files in memory: `scheme.json` (all of it) and one CSV per table.
/// The caller writes them (the command line into a new folder readable by its owner only).
public struct ExportBundle: Sendable, Hashable {
    public struct File: Sendable, Hashable {
        public var name: String
        public var text: String
    }
    public var files: [File]
    public var redacted: Bool
}

extension SchemeStore {
    /// All of the scheme as JSON and CSV (the spreadsheets as uploaded stay in the file: what
    /// they held is in people, pairs and exclusions). With `redact`, people appear by id and initials only:
    /// names become initials, and free text that may name or describe someone (notes, pair
    /// reasons, exclusion reasons, people's details, audit details) is left out. Outcome scores,
    /// session outcomes and pair states stay, so the export still serves an evaluation.
    /// Each export is recorded in the audit log (children's data leaving the store).
    public func exportAll(redact: Bool, by actor: Actor = .login) throws -> ExportBundle {
        let bundle = try read { db in try buildExport(db, redact: redact) }
        try write(by: actor) { w in
            w.audit("export", subject: redact ? "redacted" : "full", detail: bundle.files.map(\.name).joined(separator: ", "))
        }
        return bundle
    }

    /// "Asha Patel" → "A.P.".
    static func initials(_ name: String) -> String {
        name.split(whereSeparator: { $0 == " " || $0 == "-" }).compactMap(\.first).map { "\($0.uppercased())." }.joined()
    }

    private func buildExport(_ db: Database, redact: Bool) throws -> ExportBundle {
        func rows(_ sql: String) throws -> [Row] { try Row.fetchAll(db, sql: sql) }
        func text(_ r: Row, _ key: String) -> JSONValue { (r[key] as String?).map { .string($0) } ?? .null }
        func num(_ r: Row, _ key: String) -> JSONValue { (r[key] as Double?).map { .number($0) } ?? .null }
        func free(_ r: Row, _ key: String) -> JSONValue { redact ? .null : text(r, key) }
        let scheme = try Row.fetchOne(db, sql: "SELECT * FROM scheme WHERE id = 1")!
        var top: [(String, JSONValue)] = [
            ("format", .string("peermatch-scheme-export")), ("schema", .number(Double(try Schema.migrator.appliedMigrations(db).count))),
            ("redacted", .bool(redact)), ("revision", num(scheme, "revision")),
            ("scheme", .object([("name", text(scheme, "name")), ("createdAt", text(scheme, "created_at")), ("createdBy", redact ? .null : text(scheme, "created_by"))])),
        ]
        let terms = try rows("SELECT * FROM term ORDER BY start_date, id")
        top.append(("terms", .array(terms.map { t in
            .object([("id", text(t, "id")), ("name", text(t, "name")), ("start", text(t, "start_date")), ("end", text(t, "end_date")),
                     ("setup", (try? CompactJSON.parse(t["setup"], what: "setup")) ?? .null),
                     ("policySource", text(t, "policy_source")), ("policy", text(t, "policy_text"))])
        })))
        let people = try rows("SELECT * FROM person_version ORDER BY term_id, person_id, id")
        top.append(("people", .array(people.map { p in
            var f: [(String, JSONValue)] = [("term", text(p, "term_id")), ("id", text(p, "person_id")), ("role", text(p, "role")),
                                            ("current", .bool((p["superseded_at"] as String?) == nil))]
            if redact { f.append(("initials", .string(Self.initials(p["name"])))) }
            else {
                f.append(("name", text(p, "name")))
                f.append(("details", (try? CompactJSON.parse(p["data"], what: "person")) ?? .null))
            }
            return .object(f)
        })))
        let pairs = try rows("SELECT * FROM pair ORDER BY term_id, mentor_id, mentee_id, id")
        top.append(("pairs", .array(pairs.map { p in
            .object([("id", num(p, "id")), ("term", text(p, "term_id")), ("mentor", text(p, "mentor_id")), ("mentee", text(p, "mentee_id")),
                     ("state", text(p, "state")), ("locked", .bool(p["locked"])), ("score", (p["score_h"] as Int?).map { .number(Score.points($0)) } ?? .null),
                     ("sessions", (try? CompactJSON.parse(p["sessions"], what: "sessions")) ?? .null),
                     ("endDate", text(p, "end_date")), ("endReason", text(p, "end_reason")), ("noRepeat", .bool(p["no_repeat"])),
                     ("note", free(p, "note")), ("reasons", redact ? .null : ((try? CompactJSON.parse(p["reasons"], what: "reasons")) ?? .null))])
        })))
        let records = try rows("SELECT r.*, p.mentor_id, p.mentee_id FROM session_record r JOIN pair p ON p.id = r.pair_id ORDER BY r.term_id, r.date, p.mentor_id, p.mentee_id, r.id")
        top.append(("sessions", .array(records.map { r in
            .object([("term", text(r, "term_id")), ("mentor", text(r, "mentor_id")), ("mentee", text(r, "mentee_id")), ("date", text(r, "date")),
                     ("outcome", text(r, "outcome")), ("minutes", num(r, "minutes")), ("note", free(r, "note")),
                     ("current", .bool((r["superseded_by"] as Int64?) == nil))])
        })))
        let outcomes = try rows("SELECT * FROM outcome ORDER BY term_id, measure, person_id, phase, id")
        top.append(("outcomes", .array(outcomes.map { o in
            .object([("term", text(o, "term_id")), ("person", text(o, "person_id")), ("measure", text(o, "measure")), ("phase", text(o, "phase")),
                     ("date", text(o, "date")), ("items", (try? CompactJSON.parse(o["items"], what: "items")) ?? .null), ("total", num(o, "total")),
                     ("current", .bool((o["superseded_by"] as Int64?) == nil))])
        })))
        let exclusions = try rows("SELECT * FROM exclusion ORDER BY id")
        top.append(("exclusions", .array(exclusions.map { x in
            .object([("a", text(x, "a")), ("b", text(x, "b")), ("source", text(x, "source")), ("term", text(x, "term_id")), ("reason", free(x, "reason"))])
        })))
        let withdrawals = try rows("SELECT * FROM withdrawal ORDER BY id")
        top.append(("withdrawals", .array(withdrawals.map { x in
            .object([("term", text(x, "term_id")), ("person", text(x, "person_id")), ("date", text(x, "date")), ("reason", text(x, "reason")), ("note", free(x, "note"))])
        })))
        let runs = try rows("SELECT * FROM match_run ORDER BY id")
        top.append(("runs", .array(runs.map { r in
            .object([("id", num(r, "id")), ("term", text(r, "term_id")), ("kind", text(r, "kind")), ("at", text(r, "at")),
                     ("by", redact ? .string(Self.initials(r["by"])) : text(r, "by")), ("status", text(r, "status")), ("solver", text(r, "solver")),
                     ("matched", num(r, "matched")), ("mentors", num(r, "mentors")), ("mentees", num(r, "mentees")),
                     ("score", (r["score_h"] as Int?).map { .number(Score.points($0)) } ?? .null),
                     // The result names people in its reasons: left out when redacting.
                     ("result", redact ? .null : ((try? CompactJSON.parse(r["result"], what: "run")) ?? .null))])
        })))
        let events = try rows("SELECT e.*, p.term_id, p.mentor_id, p.mentee_id FROM pair_event e JOIN pair p ON p.id = e.pair_id ORDER BY e.id")
        top.append(("pairEvents", .array(events.map { e in
            .object([("term", text(e, "term_id")), ("mentor", text(e, "mentor_id")), ("mentee", text(e, "mentee_id")), ("at", text(e, "at")),
                     ("by", redact ? .string(Self.initials(e["by"])) : text(e, "by")), ("event", text(e, "event")),
                     ("from", text(e, "from_state")), ("to", text(e, "to_state")), ("note", free(e, "note"))])
        })))
        top.append(("mentorHours", .array(try rows("SELECT * FROM mentor_hours ORDER BY id").map { h in
            .object([("term", text(h, "term_id")), ("mentor", text(h, "person_id")), ("minutesPerWeek", num(h, "minutes_per_week")),
                     ("current", .bool((h["superseded_at"] as String?) == nil))])
        })))
        top.append(("measures", .array(try rows("SELECT * FROM outcome_measure ORDER BY name").map { m in
            .object([("name", text(m, "name")), ("title", text(m, "title")), ("items", num(m, "items")), ("itemMin", num(m, "item_min")),
                     ("itemMax", num(m, "item_max")), ("higherIsBetter", .bool(m["higher_is_better"]))])
        })))
        top.append(("imports", .array(try rows("SELECT * FROM import_batch ORDER BY id").map { i in
            .object([("id", num(i, "id")), ("term", text(i, "term_id")), ("at", text(i, "at")),
                     ("by", redact ? .string(Self.initials(i["by"])) : text(i, "by")), ("files", redact ? .null : ((try? CompactJSON.parse(i["files"], what: "files")) ?? .null)),
                     ("summary", text(i, "summary"))])
        })))
        let audit = try rows("SELECT * FROM audit ORDER BY id")
        top.append(("audit", .array(audit.map { a in
            .object([("at", text(a, "at")), ("actor", redact ? .string(Self.initials(a["actor"])) : text(a, "actor")), ("action", text(a, "action")),
                     ("term", text(a, "term_id")), ("subject", free(a, "subject")), ("detail", free(a, "detail")), ("why", free(a, "why")),
                     ("revision", num(a, "revision"))])
        })))

        func csv(_ header: [String], _ list: [Row], _ cells: (Row) -> [String]) -> String { StoreCSV.text(header: header, rows: list.map(cells)) }
        func s(_ r: Row, _ key: String) -> String { (r[key] as String?) ?? "" }
        func n(_ r: Row, _ key: String) -> String { (r[key] as Double?).map(formatNumber) ?? "" }
        let peopleCSV = redact
            ? csv(["term", "id", "role", "initials", "current"], people) { [s($0, "term_id"), s($0, "person_id"), s($0, "role"), Self.initials($0["name"]), (($0["superseded_at"] as String?) == nil) ? "yes" : "no"] }
            : csv(["term", "id", "role", "name", "current", "details"], people) { [s($0, "term_id"), s($0, "person_id"), s($0, "role"), s($0, "name"), (($0["superseded_at"] as String?) == nil) ? "yes" : "no", s($0, "data")] }
        let files: [ExportBundle.File] = [
            .init(name: "scheme.json", text: JSONValue.object(top).rendered()),
            .init(name: "people.csv", text: peopleCSV),
            .init(name: "pairs.csv", text: csv(["term", "mentor", "mentee", "state", "locked", "score", "sessions", "endDate", "endReason", "noRepeat", "note"], pairs) {
                [s($0, "term_id"), s($0, "mentor_id"), s($0, "mentee_id"), s($0, "state"), ($0["locked"] as Bool) ? "yes" : "",
                 ($0["score_h"] as Int?).map { formatNumber(Score.points($0)) } ?? "",
                 CompactJSON.sessionList($0["sessions"]).map { "\($0.slot)@\($0.room)" }.joined(separator: ";"),
                 s($0, "end_date"), s($0, "end_reason"), ($0["no_repeat"] as Bool) ? "yes" : "", redact ? "" : s($0, "note")]
            }),
            .init(name: "sessions.csv", text: csv(["term", "mentor", "mentee", "date", "outcome", "minutes", "note", "current"], records) {
                [s($0, "term_id"), s($0, "mentor_id"), s($0, "mentee_id"), s($0, "date"), s($0, "outcome"), n($0, "minutes"),
                 redact ? "" : s($0, "note"), (($0["superseded_by"] as Int64?) == nil) ? "yes" : "no"]
            }),
            .init(name: "outcomes.csv", text: csv(["term", "person", "measure", "phase", "date", "total", "items", "current"], outcomes) {
                [s($0, "term_id"), s($0, "person_id"), s($0, "measure"), s($0, "phase"), s($0, "date"), n($0, "total"),
                 Self.intList($0["items"]).map(String.init).joined(separator: ";"), (($0["superseded_by"] as Int64?) == nil) ? "yes" : "no"]
            }),
            .init(name: "exclusions.csv", text: csv(["a", "b", "source", "term", "reason"], exclusions) {
                [s($0, "a"), s($0, "b"), s($0, "source"), s($0, "term_id"), redact ? "" : s($0, "reason")]
            }),
            .init(name: "audit.csv", text: csv(["at", "actor", "action", "term", "subject", "detail", "why", "revision"], audit) {
                [s($0, "at"), redact ? Self.initials($0["actor"]) : s($0, "actor"), s($0, "action"), s($0, "term_id"),
                 redact ? "" : s($0, "subject"), redact ? "" : s($0, "detail"), redact ? "" : s($0, "why"), n($0, "revision")]
            }),
        ]
        return ExportBundle(files: files, redacted: redact)
    }

    /// A consistent copy of the scheme while it is in use (SQLite's online backup: one snapshot,
    /// even while other processes write), to a new file readable by its owner only. Recorded in
    /// the audit log.
    public func backup(to path: String, by actor: Actor = .login) throws {
        try backupFile(to: path)
        try write(by: actor) { w in w.audit("backup", subject: path) }
    }
}
