import Foundation
import GRDB
import PeerMatch

/// A correction to one cell of an imported sheet, made on the page or the command line before the
/// import is saved. Lines and columns are the original file's (1-based; a workbook's row number).
public struct CellEdit: Sendable, Hashable {
    public var role: ImportRole
    public var line: Int
    public var column: Int
    public var value: String
    public init(role: ImportRole, line: Int, column: Int, value: String) {
        self.role = role; self.line = line; self.column = column; self.value = value
    }
}

/// The core's import (`CSVImport.analyse`: encodings, workbooks, column guesses, near-miss checks),
/// run on a draft's files with its cell edits applied. An edited sheet is written out again as
/// CSV for the core to read, and every diagnostic on it is put back at the original file's line
/// and column (a workbook's row and column letter), so the user finds the cell where they left it.
struct SheetAnalysis {
    var report: ImportReport
    /// Problems with the edits themselves (a line the sheet does not have).
    var editProblems: [Diagnostic]

    static func run(_ files: [(ImportRole, ImportFile)], edits: [CellEdit], options: ImportOptions,
                    setup: TermSetupInput, term: TermID, policy: Policy) -> SheetAnalysis {
        let setupFile = setup.isTimetabled ? ImportFile(name: "term \(term) setup", data: Data(setup.json.rendered().utf8)) : nil
        func analyse(_ fs: [ImportRole: ImportFile]) -> ImportReport {
            CSVImport.analyse(mentors: fs[.mentors]!, mentees: fs[.mentees]!, exclusions: fs[.exclusions], locked: fs[.locked],
                              setup: setupFile, options: options, policy: policy)
        }
        let given = Dictionary(files, uniquingKeysWith: { _, b in b })
        let first = analyse(given)
        guard !edits.isEmpty else { return SheetAnalysis(report: first, editProblems: []) }

        var substituted = given
        var edited: [ImportRole: (original: SheetTable, table: SheetTable, lineOf: [Int: Int])] = [:]
        var problems: [Diagnostic] = []
        for role in Set(edits.map(\.role)).sorted(by: { $0.rawValue < $1.rawValue }) {
            guard var table = first.tables[role], let file = given[role] else {
                problems.append(Diagnostic(file: role.rawValue, at: "", "an edit names the \(role.rawValue) sheet, which this import does not have or could not read"))
                continue
            }
            let original = table
            for e in edits where e.role == role {
                guard let r = table.rows.firstIndex(where: { $0.line == e.line }) else {
                    problems.append(original.diagnostic(line: e.line, "no data row here to edit" + (e.line == original.headerLine ? " (this is the header; choose the column's field instead)" : "")))
                    continue
                }
                guard e.column >= 1, e.column <= table.header.count else {
                    problems.append(original.diagnostic(line: e.line, "column \(e.column) does not exist (the sheet has \(table.header.count))"))
                    continue
                }
                table.rows[r].cells[e.column - 1] = e.value
            }
            // The edited sheet as CSV, remembering which new line each original row lands on.
            var text = csvLine(table.header)
            var line = 1 + text.filter { $0 == "\n" }.count
            var lineOf: [Int: Int] = [:]
            for row in table.rows {
                let rowText = csvLine(row.cells)
                lineOf[line] = row.line
                line += rowText.filter { $0 == "\n" }.count
                text += rowText
            }
            substituted[role] = ImportFile(name: file.name, data: Data(text.utf8))
            edited[role] = (original, table, lineOf)
        }
        var report = analyse(substituted)
        // Back to the original files' names, lines and columns; the tables as the user sees them.
        let byName = Dictionary(edited.map { ($0.value.original.file, $0.key) }, uniquingKeysWith: { a, _ in a })
        report.diagnostics = report.diagnostics.map { d in
            guard let role = byName[d.file], let e = edited[role], let newLine = d.line, let line = e.lineOf[newLine] else { return d }
            var out = e.original.diagnostic(d.severity, line: line, column: d.column, d.message)
            out.header = d.header ?? out.header
            return out
        }
        for (role, e) in edited { report.tables[role] = e.table }
        report.notes = Array(NSOrderedSet(array: first.notes + report.notes).compactMap { $0 as? String })
        report.columns = report.columns.map { c in
            var c = c
            if let role = byName[c.file], let e = edited[role] { c.file = e.original.displayName }
            return c
        }
        return SheetAnalysis(report: report, editProblems: problems)
    }

    /// One RFC 4180 record and its line end: cells quoted when they hold a comma, a quote or a line break.
    static func csvLine(_ cells: [String]) -> String {
        cells.map { c in
            c.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + c.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : c
        }.joined(separator: ",") + "\n"
    }

    var errors: [Diagnostic] { editProblems + report.errors }
}

extension SchemeStore {
    /// Imports spreadsheets into a term in one step (the command line's `scheme import`): the
    /// core's import and checks, exactly as `peermatch import`, then people matched to the
    /// scheme's earlier terms by id. A person already in the term is updated (their earlier details
    /// kept as a superseded version); anyone in the term and not in these sheets stays. Any error in
    /// the sheets, or in the term's cohort as a whole: nothing is written. The files are kept with
    /// the import (as a committed draft).
    public func importSpreadsheets(term: TermID, files: ImportFiles, options: ImportOptions = ImportOptions(), by actor: Actor) throws -> ImportSummary {
        let (setup, policy) = try termSetupAndPolicy(term)
        let analysis = SheetAnalysis.run(files.byRole, edits: [], options: options, setup: setup, term: term, policy: policy)
        guard let cohort = analysis.report.cohort, analysis.errors.isEmpty else {
            throw StoreError(.invalid, [], diagnostics: analysis.errors)
        }
        return try write(by: actor) { w in
            var summary = try storeImport(cohort, files: files.all.map(\.name), term: term, w: &w, by: actor)
            summary.warnings = analysis.report.warnings.map(\.description) + summary.warnings
            let draft = try insertDraft(w.db, term: term, files: files, options: options, at: w.at, by: actor, state: "committed")
            try w.db.execute(sql: "UPDATE import_draft SET import_id = ? WHERE id = ?", arguments: [summary.importID, draft])
            return summary
        }
    }

    /// Imports a cohort file (the JSON `peermatch solve` reads) into a term: its people, exclusions
    /// and locked pairs, checked as `peermatch validate` checks the file, then matched to earlier
    /// terms by id as a spreadsheet import is. The term's own slots, rooms and policy apply; the
    /// file's `history` is not imported (the store keeps its own), and `scores` are refused.
    public func importCohortFile(term: TermID, file: ImportFile, by actor: Actor) throws -> ImportSummary {
        let (_, policy) = try termSetupAndPolicy(term)
        let (cohort, diagnostics): (Cohort, [Diagnostic])
        do { (cohort, diagnostics) = try CohortReader.parse(file.data, file: file.name, policy: policy) } catch let e as InputError { throw StoreError(e) }
        let errors = diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty { throw StoreError(.invalid, [], diagnostics: errors) }
        if !cohort.scores.isEmpty {
            throw StoreError.invalid("\(file.name): $.scores: staff ratings are not kept in a scheme yet; remove them to import the people")
        }
        var people = cohort
        people.history = []
        return try write(by: actor) { w in
            var summary = try storeImport(people, files: [file.name], term: term, w: &w, by: actor)
            summary.warnings = diagnostics.filter { $0.severity == .warning }.map(\.description)
                + (cohort.history.isEmpty ? [] : ["\(file.name): $.history: \(cohort.history.count) earlier pairs not imported (the scheme keeps its own history)"])
                + summary.warnings
            return summary
        }
    }

    func termSetupAndPolicy(_ term: TermID) throws -> (TermSetupInput, Policy) {
        try read { db in
            let row = try requireTerm(term, db)
            return (try TermSetupInput.stored(row["setup"], term: term), try termPolicy(row))
        }
    }

    /// Stores an imported cohort's people, exclusions and locks in a term, inside a write.
    func storeImport(_ cohort: Cohort, files: [String], term: TermID, w: inout Writer, by actor: Actor) throws -> ImportSummary {
        let db = w.db
        _ = try requireTerm(term, db)
        guard case .object(let top) = CohortWriter.json(cohort) else { preconditionFailure("a cohort is written as an object") }
        var written: [PersonID: JSONValue] = [:]
        for key in ["mentors", "mentees"] {
            guard case .array(let list)? = top.first(where: { $0.0 == key })?.1 else { continue }
            for item in list { if case .string(let id)? = item["id"] { written[PersonID(id)] = item } }
        }
        try db.execute(sql: "INSERT INTO import_batch (term_id, at, by, files, summary) VALUES (?, ?, ?, ?, '')",
                       arguments: [term, w.at, actor.name, CompactJSON.strings(files)])
        let importID = db.lastInsertedRowID

        var added: [PersonID] = [], returning: [PersonID] = [], updated: [PersonChange] = []
        var unchanged = 0
        let livePairs = try PairRow.live(db, term: term)
        var current: [PersonID: Row] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT id, person_id, role, data FROM person_version WHERE term_id = ? AND superseded_at IS NULL", arguments: [term]) {
            current[r["person_id"]] = r
        }
        let known = Set(try String.fetchAll(db, sql: "SELECT id FROM person").map { PersonID($0) })
        for person in cohort.mentors + cohort.mentees {
            let data = CompactJSON.text(written[person.id]!)
            if let old = current[person.id] {
                let oldRole: String = old["role"], oldData: String = old["data"]
                if oldRole == person.role.rawValue && oldData == data { unchanged += 1; continue }
                if oldRole != person.role.rawValue, livePairs.contains(where: { $0.mentor == person.id || $0.mentee == person.id }) {
                    throw StoreError.invalid("\(person.id) (\(person.name)) is a \(oldRole) with pairs in term \(term), and these sheets list them as a \(person.role.rawValue); end or decline their pairs first, or correct the sheets")
                }
                try db.execute(sql: "UPDATE person_version SET superseded_at = ? WHERE id = ?", arguments: [w.at, old["id"] as Int64])
                updated.append(PersonChange(id: person.id, role: person.role,
                                            changes: Self.fieldChanges(from: try CompactJSON.parse(oldData, what: "person \(person.id)"), to: written[person.id]!,
                                                                       roleBefore: oldRole, roleAfter: person.role.rawValue)))
            } else {
                added.append(person.id)
                if known.contains(person.id) {
                    returning.append(person.id)
                } else {
                    try db.execute(sql: "INSERT INTO person (id, first_term, created_at) VALUES (?, ?, ?)", arguments: [person.id, term, w.at])
                }
            }
            try db.execute(sql: """
                INSERT INTO person_version (term_id, person_id, role, name, data, import_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [term, person.id, person.role.rawValue, person.name, data, importID, w.at])
        }

        var exclusionsAdded = 0
        for x in cohort.exclusions {
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM exclusion WHERE (a = ? AND b = ?) OR (a = ? AND b = ?)",
                                           arguments: [x.a, x.b, x.b, x.a]) == true
            if exists { continue }
            try db.execute(sql: "INSERT INTO exclusion (a, b, reason, source, term_id, created_at, created_by) VALUES (?, ?, ?, 'import', ?, ?, ?)",
                           arguments: [x.a, x.b, x.reason, term, w.at, actor.name])
            exclusionsAdded += 1
        }

        var locksAdded = 0
        for lock in cohort.locked {
            if let same = livePairs.first(where: { $0.mentor == lock.mentor && $0.mentee == lock.mentee }) {
                if !same.locked {
                    try db.execute(sql: "UPDATE pair SET locked = 1 WHERE id = ?", arguments: [same.id])
                    try recordEvent(db, pair: same.id, at: w.at, by: actor, event: "lock", from: same.state, to: same.state, note: "locked by an import")
                    locksAdded += 1
                }
                continue
            }
            if let other = livePairs.first(where: { $0.mentee == lock.mentee }) {
                throw StoreError.invalid("the locked pair \(lock.mentor):\(lock.mentee) in the import: \(lock.mentee) already has a \(other.state.rawValue) pair with \(other.mentor) in term \(term); end or decline it first")
            }
            let sessions = lock.slot.map { slot in lock.room.map { [Session(slot: slot, room: $0)] } ?? [] } ?? []
            try db.execute(sql: """
                INSERT INTO pair (term_id, mentor_id, mentee_id, state, locked, sessions, source, created_at, created_by, state_at, state_by)
                VALUES (?, ?, ?, 'proposed', 1, ?, 'import', ?, ?, ?, ?)
                """, arguments: [term, lock.mentor, lock.mentee, CompactJSON.sessions(sessions), w.at, actor.name, w.at, actor.name])
            try recordEvent(db, pair: db.lastInsertedRowID, at: w.at, by: actor, event: "propose", from: nil, to: .proposed, note: "locked pair from an import")
            locksAdded += 1
        }

        // The term as a whole must still be a valid cohort (people from earlier imports included).
        let whole = try TermCohort.build(db, store: self, term: term)
        let summary = ImportSummary(importID: importID, term: term, mentors: cohort.mentors.count, mentees: cohort.mentees.count,
                                    added: added, returning: returning, updated: updated, unchanged: unchanged,
                                    exclusionsAdded: exclusionsAdded, locksAdded: locksAdded, warnings: whole.warnings)
        try db.execute(sql: "UPDATE import_batch SET summary = ? WHERE id = ?", arguments: [summary.line, importID])
        w.audit("import", term: term, subject: files.joined(separator: ", "), detail: summary.line)
        return summary
    }

    /// Field by field, what changed between two stored person objects.
    static func fieldChanges(from old: JSONValue, to new: JSONValue, roleBefore: String, roleAfter: String) -> [FieldChange] {
        guard case .object(let a) = old, case .object(let b) = new else { return [] }
        var out: [FieldChange] = []
        if roleBefore != roleAfter { out.append(FieldChange(field: "role", before: roleBefore, after: roleAfter)) }
        let keys = a.map(\.0) + b.map(\.0).filter { k in !a.contains { $0.0 == k } }
        for k in keys {
            let x = old[k].map(CompactJSON.text) ?? "", y = new[k].map(CompactJSON.text) ?? ""
            if x != y { out.append(FieldChange(field: k, before: x, after: y)) }
        }
        return out
    }

    func recordEvent(_ db: Database, pair: Int64, at: String, by actor: Actor, event: String, from: PairState?, to: PairState?, note: String?) throws {
        try db.execute(sql: "INSERT INTO pair_event (pair_id, at, by, event, from_state, to_state, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [pair, at, actor.name, event, from?.rawValue, to?.rawValue, note])
    }
}
