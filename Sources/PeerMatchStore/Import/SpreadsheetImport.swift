import Foundation
import GRDB
import PeerMatch

/// The core's spreadsheet import, on files given as bytes: the same reading, column matching and
/// checks as `peermatch import`, with every problem naming the user's file, line and column.
///
/// Interim: the core import reads paths, so the bytes go to a private temporary folder (mode 0700,
/// removed at once) for the call. The frontdoor work (issue 9) gives the core an in-memory entry
/// (`CSVImport.analyse`); this file then calls it directly.
enum SpreadsheetImport {
    static func cohort(_ files: ImportFiles, setup: TermSetupInput, options: ImportOptions, policy: Policy, term: TermID) throws -> Cohort {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("peermatch-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        var names: [String: String] = [:]
        func place(_ file: ImportFile?, _ slot: String) throws -> String? {
            guard let file else { return nil }
            let path = folder.appendingPathComponent(slot).path
            try PrivateFile.write(file.data, to: path)
            names[path] = file.name
            return path
        }
        let mentors = try place(files.mentors, "mentors.csv")!, mentees = try place(files.mentees, "mentees.csv")!
        let exclusions = try place(files.exclusions, "exclusions.csv"), locked = try place(files.locked, "locked.csv")
        let setupPath = setup.isTimetabled
            ? try place(ImportFile(name: "term \(term) setup", data: Data(setup.json.rendered().utf8)), "setup.json") : nil
        func rename(_ d: Diagnostic) -> Diagnostic {
            var d = d
            d.file = names[d.file] ?? d.file
            return d
        }
        do {
            var columns: [String: String] = [:]
            if !options.columns.isEmpty {
                let spec = options.columns.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                columns = try CSVImport.columnMap(spec)
            }
            return try CSVImport.cohort(mentors: mentors, mentees: mentees, exclusions: exclusions, locked: locked,
                                        timetableSetup: setupPath, columns: columns, policy: policy)
        } catch let e as InputError {
            throw StoreError(.invalid, [], diagnostics: e.diagnostics.map(rename))
        }
    }
}

extension SchemeStore {
    /// Imports spreadsheets into a term in one step (the command line's `scheme import`): the
    /// same import and checks as `peermatch import`, then people matched to the scheme's earlier
    /// terms by id. A person already in the term is updated (their earlier details are kept as a
    /// superseded version); anyone in the term and not in these sheets stays. Any problem in the
    /// sheets or in the term's cohort as a whole: an error, and nothing is written.
    public func importSpreadsheets(term: TermID, files: ImportFiles, options: ImportOptions = ImportOptions(), by actor: Actor) throws -> ImportSummary {
        let (setup, policy) = try read { db -> (TermSetupInput, Policy) in
            let row = try requireTerm(term, db)
            return (try TermSetupInput.stored(row["setup"], term: term), try termPolicy(row))
        }
        let cohort = try SpreadsheetImport.cohort(files, setup: setup, options: options, policy: policy, term: term)
        return try write(by: actor) { w in try storeImport(cohort, files: files.all.map(\.name), term: term, w: &w, by: actor) }
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
        for person in cohort.mentors + cohort.mentees {
            let data = CompactJSON.text(written[person.id]!)
            let current = try Row.fetchOne(db, sql: "SELECT id, role, data FROM person_version WHERE term_id = ? AND person_id = ? AND superseded_at IS NULL",
                                           arguments: [term, person.id])
            if let current {
                let oldRole: String = current["role"], oldData: String = current["data"]
                if oldRole == person.role.rawValue && oldData == data { unchanged += 1; continue }
                if oldRole != person.role.rawValue, livePairs.contains(where: { $0.mentor == person.id || $0.mentee == person.id }) {
                    throw StoreError.invalid("\(person.id) (\(person.name)) is a \(oldRole) with pairs in term \(term), and these sheets list them as a \(person.role.rawValue); end or decline their pairs first, or correct the sheets")
                }
                try db.execute(sql: "UPDATE person_version SET superseded_at = ? WHERE id = ?", arguments: [w.at, current["id"] as Int64])
                updated.append(PersonChange(id: person.id, role: person.role,
                                            changes: Self.fieldChanges(from: try CompactJSON.parse(oldData, what: "person \(person.id)"), to: written[person.id]!,
                                                                       roleBefore: oldRole, roleAfter: person.role.rawValue)))
            } else {
                added.append(person.id)
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM person WHERE id = ?", arguments: [person.id]) == true {
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
            try db.execute(sql: """
                INSERT INTO pair (term_id, mentor_id, mentee_id, state, locked, source, created_at, created_by, state_at, state_by)
                VALUES (?, ?, ?, 'proposed', 1, 'import', ?, ?, ?, ?)
                """, arguments: [term, lock.mentor, lock.mentee, w.at, actor.name, w.at, actor.name])
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
