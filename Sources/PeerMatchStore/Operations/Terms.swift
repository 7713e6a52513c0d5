import Foundation
import GRDB
import PeerMatch

/// The scheme at a glance.
public struct SchemeSummary: Sendable, Hashable {
    public var name: String
    public var createdAt: String
    public var createdBy: String
    /// The schema version of the file (the number of migrations applied).
    public var schemaVersion: Int
    public var revision: Int
    public var terms: [TermSummary]
    /// People ever imported, across all terms.
    public var people: Int
    public var sessionRecords: Int
    public var auditEntries: Int
}

/// One term in lists: dates, whether it is timetabled, people and pairs.
public struct TermSummary: Sendable, Hashable {
    public var id: TermID
    public var name: String
    public var start: CalendarDate
    public var end: CalendarDate
    public var timetabled: Bool
    public var mentors: Int
    public var mentees: Int
    /// Pairs by state (states with none are left out).
    public var pairs: [PairState: Int]
    /// When the term was last matched (ISO 8601), nil before its first match.
    public var lastMatchedAt: String?
}

/// Everything about a term's set-up: its summary, dates, slots and rooms, and its policy.
public struct TermDetail: Sendable, Hashable {
    public var summary: TermSummary
    public var setup: TermSetupInput
    /// The policy as stored (YAML or JSON text) and where it came from ("preset balanced", a file name, "default").
    public var policyText: String
    public var policySource: String
    public var createdAt: String
    public var createdBy: String
    /// Imports into the term, oldest first.
    public var imports: [ImportRecord]
}

/// One import into a term, as the store remembers it.
public struct ImportRecord: Sendable, Hashable {
    public var id: Int64
    public var at: String
    public var by: String
    public var files: [String]
    public var summary: String
}

extension SchemeStore {
    /// The scheme's name, schema version, revision, terms and counts.
    public func scheme() throws -> SchemeSummary {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT name, created_at, created_by, revision FROM scheme WHERE id = 1") else {
                throw StoreError(.database, "\(path): has no scheme row")
            }
            return SchemeSummary(
                name: row["name"], createdAt: row["created_at"], createdBy: row["created_by"],
                schemaVersion: try Schema.migrator.appliedMigrations(db).count, revision: row["revision"],
                terms: try termSummaries(db),
                people: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM person") ?? 0,
                sessionRecords: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM session_record WHERE superseded_by IS NULL") ?? 0,
                auditEntries: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit") ?? 0)
        }
    }

    /// Adds a term. Its id must be new (letters, digits, `-`, `_`, `.`); `setup` gives its dates and,
    /// for a timetabled term, slots, rooms and format; `policy` nil means the default policy.
    public func addTerm(id: TermID, name: String? = nil, setup: TermSetupInput, policy: PolicyInput? = nil, by actor: Actor) throws {
        let raw = id.rawValue
        guard !raw.isEmpty, raw.count <= 64, raw.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw StoreError.invalid("term id \"\(raw)\": use letters, digits, -, _ and . only (for example 2026-autumn), at most 64 characters")
        }
        guard setup.start <= setup.end else {
            throw StoreError.invalid("term \(raw): ends (\(setup.end)) before it starts (\(setup.start))")
        }
        let (text, source, _) = try policy?.resolved() ?? (PolicyInput.defaultPolicy.text, PolicyInput.defaultPolicy.source, Policy.default)
        let title = (name?.trimmingCharacters(in: .whitespaces)).flatMap { $0.isEmpty ? nil : $0 } ?? raw
        try write(by: actor) { w in
            if try Bool.fetchOne(w.db, sql: "SELECT 1 FROM term WHERE id = ?", arguments: [raw]) == true {
                throw StoreError.invalid("term \(raw) already exists; choose another id (a term's set-up is changed with a new term, not by replacing it)")
            }
            try w.db.execute(sql: """
                INSERT INTO term (id, name, start_date, end_date, setup, policy_text, policy_source, created_at, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [raw, title, setup.start, setup.end, CompactJSON.text(setup.json), text, source, w.at, actor.name])
            let shape = setup.isTimetabled ? "\(setup.slots.count) slots, \(setup.rooms.count) rooms, \(setup.format.rawValue)" : "no timetable"
            w.audit("term.add", term: id, subject: title, detail: "\(setup.start) to \(setup.end); \(shape); policy \(source)")
        }
    }

    /// Every term, earliest start first.
    public func terms() throws -> [TermSummary] {
        try read { db in try termSummaries(db) }
    }

    /// One term in full; a clear error naming the term when there is none.
    public func term(_ id: TermID) throws -> TermDetail {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM term WHERE id = ?", arguments: [id]) else { throw try unknownTerm(id, db) }
            let imports = try Row.fetchAll(db, sql: "SELECT id, at, by, files, summary FROM import_batch WHERE term_id = ? ORDER BY id", arguments: [id]).map {
                ImportRecord(id: $0["id"], at: $0["at"], by: $0["by"], files: CompactJSON.stringList($0["files"]), summary: $0["summary"])
            }
            return TermDetail(summary: try termSummaries(db, only: id).first!,
                              setup: try TermSetupInput.stored(row["setup"], term: id),
                              policyText: row["policy_text"], policySource: row["policy_source"],
                              createdAt: row["created_at"], createdBy: row["created_by"], imports: imports)
        }
    }

    /// The term with the latest start (what the command line uses when `--term` is not given).
    public func latestTerm() throws -> TermID {
        try read { db in
            guard let id = try String.fetchOne(db, sql: "SELECT id FROM term ORDER BY start_date DESC, created_at DESC, id DESC LIMIT 1") else {
                throw StoreError.notFound("the scheme has no terms yet; add one with `peermatch scheme term add ID --start DATE --end DATE`")
            }
            return TermID(id)
        }
    }

    // MARK: - Shared by the operations

    func termSummaries(_ db: Database, only: TermID? = nil) throws -> [TermSummary] {
        let filter = only == nil ? "" : "WHERE t.id = ?"
        let rows = try Row.fetchAll(db, sql: """
            SELECT t.id, t.name, t.start_date, t.end_date, t.setup,
                   (SELECT COUNT(*) FROM person_version v WHERE v.term_id = t.id AND v.superseded_at IS NULL AND v.role = 'mentor') AS mentors,
                   (SELECT COUNT(*) FROM person_version v WHERE v.term_id = t.id AND v.superseded_at IS NULL AND v.role = 'mentee') AS mentees,
                   (SELECT MAX(at) FROM match_run r WHERE r.term_id = t.id) AS last_run
            FROM term t \(filter) ORDER BY t.start_date, t.created_at, t.id
            """, arguments: only.map { [$0] } ?? [])
        var pairCounts: [String: [PairState: Int]] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT term_id, state, COUNT(*) AS n FROM pair \(only == nil ? "" : "WHERE term_id = ?") GROUP BY term_id, state",
                                  arguments: only.map { [$0] } ?? []) {
            if let s = PairState(rawValue: r["state"]) { pairCounts[r["term_id"], default: [:]][s] = r["n"] }
        }
        return rows.map { r in
            let setup: String = r["setup"]
            return TermSummary(id: TermID(r["id"]), name: r["name"], start: r["start_date"], end: r["end_date"],
                               timetabled: setup.contains("\"slots\""), mentors: r["mentors"], mentees: r["mentees"],
                               pairs: pairCounts[r["id"]] ?? [:], lastMatchedAt: r["last_run"])
        }
    }

    /// "no term X; the terms are A, B" (or how to add one).
    func unknownTerm(_ id: TermID, _ db: Database) throws -> StoreError {
        let ids = try String.fetchAll(db, sql: "SELECT id FROM term ORDER BY start_date")
        return StoreError.notFound("no term \"\(id)\" in this scheme; " + (ids.isEmpty
            ? "add one with `peermatch scheme term add ID --start DATE --end DATE`"
            : "its terms are \(ids.joined(separator: ", "))"))
    }

    func requireTerm(_ id: TermID, _ db: Database) throws -> Row {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM term WHERE id = ?", arguments: [id]) else { throw try unknownTerm(id, db) }
        return row
    }

    /// A term's policy, parsed from its stored text.
    func termPolicy(_ term: Row) throws -> Policy {
        let text: String = term["policy_text"], source: String = term["policy_source"]
        do { return try PolicyReader.parse(text, file: "term \(term["id"] as String) policy (\(source))") } catch let e as InputError {
            throw StoreError(e)
        }
    }
}
