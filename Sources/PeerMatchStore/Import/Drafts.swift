import Foundation
import GRDB
import PeerMatch

/// Where a staged import is.
public enum DraftState: String, Sendable, Hashable {
    case open, committed, abandoned
}

/// A file of a draft.
public struct DraftFile: Sendable, Hashable {
    public var role: ImportRole
    public var name: String
    public var bytes: Int
}

/// A staged import, kept in the database so the page and the command line see the same one: the
/// files as given, the column choices and cell edits made since, and what the core's import
/// finds with them (the columns, the rows, every diagnostic at its cell), and, once nothing is
/// wrong, what saving it would do.
public struct ImportDraft: Sendable {
    public var id: DraftID
    public var term: TermID
    public var state: DraftState
    public var files: [DraftFile]
    public var options: ImportOptions
    public var edits: [CellEdit]
    /// The core's report on the files with the edits applied (tables keep the original lines).
    public var report: ImportReport
    /// Problems beyond the sheets: an edit that names no cell, the term's cohort as a whole.
    public var problems: [Diagnostic]
    /// What committing would do; nil while anything is wrong.
    public var preview: ImportSummary?
    public var canCommit: Bool { state == .open && preview != nil }
    /// The import it became, once committed.
    public var importID: Int64?
    public var createdAt: String
    public var createdBy: String
    public var updatedAt: String
    public var updatedBy: String

    /// Every error: the sheets' and the store's.
    public var errors: [Diagnostic] { problems.filter { $0.severity == .error } + report.errors }
}

/// The draft list entry.
public struct DraftSummary: Sendable, Hashable {
    public var id: DraftID
    public var term: TermID
    public var state: DraftState
    public var files: [String]
    public var updatedAt: String
    public var updatedBy: String
}

extension SchemeStore {
    /// Stages an import: keeps the files and options as a draft and returns what the core's import
    /// finds. Nothing about the term changes until ``commitImport(_:by:)``. The draft itself is
    /// written (and audited) even when the files have errors: fixing them is what drafts are for.
    public func stageImport(term: TermID, files: ImportFiles, options: ImportOptions = ImportOptions(), by actor: Actor) throws -> ImportDraft {
        let id = try write(by: actor) { w -> DraftID in
            _ = try requireTerm(term, w.db)
            let id = try insertDraft(w.db, term: term, files: files, options: options, at: w.at, by: actor, state: "open")
            w.audit("draft.stage", term: term, subject: "draft \(id)", detail: files.all.map(\.name).joined(separator: ", "))
            return DraftID(id)
        }
        return try importDraft(id)
    }

    /// A draft, analysed afresh (the term may have changed since it was staged).
    ///
    /// Analysing two spreadsheets of a few thousand rows takes a second or more, so the analysis
    /// is kept for the store's revision it was made at (see ``DraftCache``): the page can show
    /// the draft again and again without redoing it, and any write (an edit, a column choice,
    /// a change to the term) makes it be done again.
    public func importDraft(_ id: DraftID) throws -> ImportDraft {
        let (row, files, revision) = try read { db in
            let (row, files) = try draftRow(db, id)
            return (row, files, try Int.fetchOne(db, sql: "SELECT revision FROM scheme WHERE id = 1") ?? 0)
        }
        if let kept = draftCache.lookup(id, revision: revision) { return kept }
        let draft = try analyseDraft(row, files)
        // Kept only if nothing was written while it was analysed (its reads saw this revision).
        if try self.revision == revision { draftCache.keep(draft, revision: revision) }
        return draft
    }

    /// The term's drafts (every term's with nil), newest first.
    public func drafts(term: TermID? = nil) throws -> [DraftSummary] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM import_draft \(term == nil ? "" : "WHERE term_id = ?") ORDER BY id DESC",
                                        arguments: StatementArguments(term.map { [$0.rawValue] } ?? []))
            return try rows.map { r in
                let names = try String.fetchAll(db, sql: "SELECT name FROM import_draft_file WHERE draft_id = ? AND superseded_at IS NULL ORDER BY rowid",
                                                arguments: [r["id"] as Int64])
                return DraftSummary(id: DraftID(r["id"]), term: TermID(r["term_id"]), state: DraftState(rawValue: r["state"]) ?? .open,
                                    files: names, updatedAt: r["updated_at"], updatedBy: r["updated_by"])
            }
        }
    }

    /// Changes an open draft: the column choices (nil keeps them), more cell edits (a later edit of
    /// the same cell wins), and files to replace (those given; the earlier ones are kept, marked
    /// superseded). Cell edits made to a replaced file are dropped.
    public func updateDraft(_ id: DraftID, columns: ColumnMap?? = nil, cellEdits: [CellEdit] = [], replace: ImportFiles? = nil,
                            options: ImportOptions? = nil, by actor: Actor) throws -> ImportDraft {
        try write(by: actor) { w in
            let (row, _) = try draftRow(w.db, id)
            guard (row["state"] as String) == "open" else { throw StoreError.invalid("\(id) is \(row["state"] as String); only an open draft can change") }
            var opts = try Self.decodeOptions(row["options"])
            if let options { opts = options }
            if let columns { opts.columns = columns }
            var edits = Self.decodeEdits(row["edits"])
            var replaced: Set<ImportRole> = []
            if let replace {
                for (role, file) in replace.byRole {
                    try w.db.execute(sql: "UPDATE import_draft_file SET superseded_at = ? WHERE draft_id = ? AND role = ? AND superseded_at IS NULL",
                                     arguments: [w.at, id.rawValue, role.rawValue])
                    try w.db.execute(sql: "INSERT INTO import_draft_file (draft_id, role, name, data, added_at) VALUES (?, ?, ?, ?, ?)",
                                     arguments: [id.rawValue, role.rawValue, file.name, file.data, w.at])
                    replaced.insert(role)
                }
                edits.removeAll { replaced.contains($0.role) }
            }
            for e in cellEdits {
                edits.removeAll { $0.role == e.role && $0.line == e.line && $0.column == e.column }
                edits.append(e)
            }
            try w.db.execute(sql: "UPDATE import_draft SET options = ?, edits = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                             arguments: [Self.encodeOptions(opts), Self.encodeEdits(edits), w.at, actor.name, id.rawValue])
            var what: [String] = []
            if columns != nil || options != nil { what.append("column choices") }
            if !cellEdits.isEmpty { what.append("\(cellEdits.count) cell edit\(cellEdits.count == 1 ? "" : "s")") }
            if !replaced.isEmpty { what.append("replaced " + replaced.map(\.rawValue).sorted().joined(separator: ", ")) }
            w.audit("draft.update", term: TermID(row["term_id"]), subject: "\(id)", detail: what.isEmpty ? "no change" : what.joined(separator: "; "))
        }
        return try importDraft(id)
    }

    /// Saves an open draft as the term's import: refused while any error remains (the sheets', an
    /// edit's, or the term's as a whole), then stored exactly as ``importSpreadsheets`` does.
    @discardableResult
    public func commitImport(_ id: DraftID, by actor: Actor) throws -> ImportSummary {
        let draft = try importDraft(id)
        guard draft.state == .open else { throw StoreError.invalid("\(id) is \(draft.state.rawValue); only an open draft can be saved") }
        guard let cohort = draft.report.cohort, draft.errors.isEmpty else {
            throw StoreError(.invalid, ["\(id) still has \(draft.errors.count) error\(draft.errors.count == 1 ? "" : "s"); fix them first:"], diagnostics: draft.errors)
        }
        return try write(by: actor) { w in
            let (row, _) = try draftRow(w.db, id)
            guard (row["updated_at"] as String) == draft.updatedAt, (row["state"] as String) == "open" else {
                throw StoreError(.conflict, "\(id) changed while it was being saved; look at it again")
            }
            var summary = try storeImport(cohort, files: draft.files.map(\.name), term: draft.term, w: &w, by: actor)
            summary.warnings = draft.report.warnings.map(\.description) + summary.warnings
            try w.db.execute(sql: "UPDATE import_draft SET state = 'committed', import_id = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                             arguments: [summary.importID, w.at, actor.name, id.rawValue])
            return summary
        }
    }

    /// Puts an open draft aside (kept, never deleted).
    public func abandonDraft(_ id: DraftID, by actor: Actor) throws {
        try write(by: actor) { w in
            let (row, _) = try draftRow(w.db, id)
            guard (row["state"] as String) == "open" else { throw StoreError.invalid("\(id) is \(row["state"] as String), not open") }
            try w.db.execute(sql: "UPDATE import_draft SET state = 'abandoned', updated_at = ?, updated_by = ? WHERE id = ?", arguments: [w.at, actor.name, id.rawValue])
            w.audit("draft.abandon", term: TermID(row["term_id"]), subject: "\(id)")
        }
    }

    // MARK: - Storage

    func insertDraft(_ db: Database, term: TermID, files: ImportFiles, options: ImportOptions, at: String, by actor: Actor, state: String) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO import_draft (term_id, state, options, columns, edits, created_at, created_by, updated_at, updated_by)
            VALUES (?, ?, ?, '{}', '[]', ?, ?, ?, ?)
            """, arguments: [term, state, Self.encodeOptions(options), at, actor.name, at, actor.name])
        let id = db.lastInsertedRowID
        for (role, file) in files.byRole {
            try db.execute(sql: "INSERT INTO import_draft_file (draft_id, role, name, data, added_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, role.rawValue, file.name, file.data, at])
        }
        return id
    }

    private func draftRow(_ db: Database, _ id: DraftID) throws -> (Row, [(ImportRole, ImportFile)]) {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM import_draft WHERE id = ?", arguments: [id.rawValue]) else {
            throw StoreError.notFound("no \(id) in this scheme")
        }
        let files = try Row.fetchAll(db, sql: "SELECT role, name, data FROM import_draft_file WHERE draft_id = ? AND superseded_at IS NULL ORDER BY rowid",
                                     arguments: [id.rawValue]).compactMap { r -> (ImportRole, ImportFile)? in
            guard let role = ImportRole(rawValue: r["role"]) else { return nil }
            return (role, ImportFile(name: r["name"], data: r["data"]))
        }
        return (row, files)
    }

    private func analyseDraft(_ row: Row, _ files: [(ImportRole, ImportFile)]) throws -> ImportDraft {
        let term = TermID(row["term_id"])
        let options = try Self.decodeOptions(row["options"])
        let edits = Self.decodeEdits(row["edits"])
        let (setup, policy) = try termSetupAndPolicy(term)
        let analysis = SheetAnalysis.run(files, edits: edits, options: options, setup: setup, term: term, policy: policy)
        var problems = analysis.editProblems
        var preview: ImportSummary? = nil
        let state = DraftState(rawValue: row["state"]) ?? .open
        if state == .open, let cohort = analysis.report.cohort, analysis.errors.isEmpty {
            // What saving would do, worked out in a transaction that is rolled back.
            do {
                preview = try dryRun(by: Actor(row["updated_by"])) { w in
                    try storeImport(cohort, files: files.map(\.1.name), term: term, w: &w, by: w.actor)
                }
            } catch let e as StoreError {
                problems += e.messages.map { Diagnostic(file: "term \(term)", at: "", $0) } + e.diagnostics
            }
        }
        return ImportDraft(id: DraftID(row["id"]), term: term, state: state,
                           files: files.map { DraftFile(role: $0.0, name: $0.1.name, bytes: $0.1.data.count) },
                           options: options, edits: edits, report: analysis.report, problems: problems, preview: preview,
                           importID: row["import_id"], createdAt: row["created_at"], createdBy: row["created_by"],
                           updatedAt: row["updated_at"], updatedBy: row["updated_by"])
    }

    /// Runs a write's body and rolls it back: what an operation would do, without doing it.
    func dryRun<T>(by actor: Actor, _ body: (inout Writer) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            var result: T? = nil
            try db.inTransaction(.immediate) {
                let now = options.clock()
                var w = Writer(db: db, at: Instant.format(now), now: now, revision: 0, actor: actor)
                result = try body(&w)
                return .rollback
            }
            return result!
        }
    }

    static func encodeOptions(_ o: ImportOptions) -> String {
        CompactJSON.text(.object([
            ("columns", o.columns.map { .string($0.yaml()) } ?? .null),
            ("listSeparator", o.listSeparator.map { .string($0) } ?? .null),
            ("columnSeparators", .object(o.columnSeparators.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("sheet", o.sheet.map { .string($0) } ?? .null),
            ("sheets", .object(o.sheets.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key.rawValue, .string($0.value)) })),
        ]))
    }

    static func decodeOptions(_ text: String) throws -> ImportOptions {
        let v = try CompactJSON.parse(text, what: "draft options")
        var o = ImportOptions()
        if case .string(let yaml)? = v["columns"] {
            do { o.columns = try ColumnMap.parse(yaml, file: "draft column choices") } catch let e as InputError { throw StoreError(e) }
        }
        if case .string(let s)? = v["listSeparator"] { o.listSeparator = s }
        if case .object(let m)? = v["columnSeparators"] { for (k, x) in m { if case .string(let s) = x { o.columnSeparators[k] = s } } }
        if case .string(let s)? = v["sheet"] { o.sheet = s }
        if case .object(let m)? = v["sheets"] { for (k, x) in m { if let r = ImportRole(rawValue: k), case .string(let s) = x { o.sheets[r] = s } } }
        return o
    }

    static func encodeEdits(_ edits: [CellEdit]) -> String {
        CompactJSON.text(.array(edits.map {
            .object([("role", .string($0.role.rawValue)), ("line", .number(Double($0.line))), ("column", .number(Double($0.column))), ("value", .string($0.value))])
        }))
    }

    static func decodeEdits(_ text: String) -> [CellEdit] {
        guard case .array(let list)? = try? CompactJSON.parse(text, what: "draft edits") else { return [] }
        return list.compactMap { e in
            guard case .string(let r)? = e["role"], let role = ImportRole(rawValue: r), case .number(let l)? = e["line"],
                  case .number(let c)? = e["column"], case .string(let v)? = e["value"] else { return nil }
            return CellEdit(role: role, line: Int(l), column: Int(c), value: v)
        }
    }
}
