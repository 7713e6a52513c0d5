import Foundation
import Hummingbird
import PeerMatch
import PeerMatchStore

/// Journey 1: upload the two spreadsheets (CSV or xlsx), then a draft page with the column
/// mapping (the tool's guesses, the ignored headers and what they look like), every problem and
/// near-miss at its row and cell with the cell editable in place, a re-upload for a corrected
/// file, and Save into the term once nothing is wrong. The draft lives in the store, so a reload
/// (or the command line) sees the same one.
enum ImportPages {
    static func add(to router: Router<WebContext>, site: Site) {
        router.get("/terms/:term/import") { _, context in try uploadForm(site, context) }
        router.post("/terms/:term/import") { _, context in try upload(site, context) }
        router.get("/terms/:term/import/:draft") { _, context in try draftPage(site, context) }
        router.post("/terms/:term/import/:draft/columns") { _, context in try columns(site, context) }
        router.post("/terms/:term/import/:draft/cells") { _, context in try cells(site, context) }
        router.post("/terms/:term/import/:draft/replace") { _, context in try replace(site, context) }
        router.post("/terms/:term/import/:draft/commit") { _, context in try commit(site, context) }
        router.post("/terms/:term/import/:draft/abandon") { _, context in try abandon(site, context) }
    }

    static let roleWords: [ImportRole: String] = [.mentors: "Mentors", .mentees: "Mentees", .exclusions: "Never pair", .locked: "Keep together", .setup: "Setup"]

    static func uploadForm(_ site: Site, _ context: WebContext, problems: [String] = [], status: HTTPResponse.Status = .ok) throws -> Response {
        let id = try TermPage.termID(context)
        let paths = TermPaths(id: id)
        let t = try site.store.term(id).summary
        let drafts = try site.store.drafts(term: id).filter { $0.state == .open }.map { d -> [String: Any] in
            ["href": paths.sub("import/\(d.id.rawValue)"), "files": d.files.joined(separator: ", "), "at": Format.timestamp(d.updatedAt), "by": d.updatedBy]
        }
        let data: [String: Any] = [
            "uploadURL": paths.sub("import"), "problems": problems, "hasProblems": !problems.isEmpty,
            "mentors": t.mentors, "mentees": t.mentees, "hasPeople": t.mentees + t.mentors > 0,
            "timetabled": t.timetabled, "maxMB": site.limits.uploadBytes / 1_048_576,
            "drafts": drafts, "hasDrafts": !drafts.isEmpty,
        ]
        return site.page("import", title: "Import · \(t.name)", context: context, data: data, status: status, nav: "import",
                         term: site.termNav(id, name: t.name))
    }

    static func importFile(_ f: UploadedFile) -> ImportFile { ImportFile(name: f.filename.isEmpty ? f.field : f.filename, data: f.data) }

    static func upload(_ site: Site, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let actor = Actor(try context.signedIn.actorName)
        let form = context.postedForm
        var missing: [String] = []
        if form.file("mentors") == nil { missing.append("Choose the mentors' spreadsheet.") }
        if form.file("mentees") == nil { missing.append("Choose the mentees' spreadsheet.") }
        guard missing.isEmpty, let mentors = form.file("mentors"), let mentees = form.file("mentees") else {
            return try uploadForm(site, context, problems: missing, status: .badRequest)
        }
        let files = ImportFiles(mentors: importFile(mentors), mentees: importFile(mentees),
                                exclusions: form.file("exclusions").map(importFile), locked: form.file("locked").map(importFile))
        let draft: ImportDraft
        do { draft = try site.store.stageImport(term: id, files: files, by: actor) } catch let e as StoreError {
            return try uploadForm(site, context, problems: [e.description], status: .badRequest)
        }
        return site.redirect(TermPaths(id: id).sub("import/\(draft.id.rawValue)"), context: context)
    }

    // MARK: - The draft

    static func draftID(_ context: WebContext) throws -> DraftID {
        guard let n = Int64(try context.parameters.require("draft")) else { throw PageError.notFound("That import") }
        return DraftID(n)
    }

    /// The draft, checked to belong to the term in the address.
    static func draft(_ site: Site, _ context: WebContext) throws -> (TermID, ImportDraft) {
        let id = try TermPage.termID(context)
        let d = try site.store.importDraft(try draftID(context))
        guard d.term == id else { throw PageError.notFound("That import of term \(id)") }
        return (id, d)
    }

    static func draftPage(_ site: Site, _ context: WebContext) throws -> Response {
        let (id, d) = try draft(site, context)
        let paths = TermPaths(id: id)
        let base = paths.sub("import/\(d.id.rawValue)")
        let t = try site.store.term(id).summary
        let report = d.report
        // Which role each file name belongs to, so a diagnostic finds its table.
        var roleOfFile: [String: ImportRole] = [:]
        for (role, table) in report.tables { roleOfFile[table.file] = role }
        for f in d.files { roleOfFile[f.name] = roleOfFile[f.name] ?? f.role }

        // Columns, per file.
        let fieldOptions = ColumnMap.fields
        let columnFiles = [ImportRole.mentors, .mentees, .exclusions, .locked].compactMap { role -> [String: Any]? in
            let uses = report.columns.filter { $0.role == role }.sorted { $0.column < $1.column }
            guard !uses.isEmpty else { return nil }
            let rows = uses.map { u -> [String: Any] in
                let chosen = u.field
                var options: [[String: Any]] = [["value": "", "label": "(not used)", "selected": chosen == nil]]
                if role == .mentors || role == .mentees {
                    options += fieldOptions.map { ["value": $0, "label": fieldWords[$0] ?? $0, "selected": $0 == chosen] }
                } else if let chosen {
                    options.append(["value": chosen, "label": chosen, "selected": true])
                }
                return ["header": u.header, "letter": SheetTable.columnLetters(u.column), "role": role.rawValue, "n": u.column,
                        "field": chosen.map { fieldWords[$0] ?? $0 } ?? "", "ignored": chosen == nil,
                        "how": u.source == .header ? "named like the field" : u.source == .columnMap ? "your choice" : "not used",
                        "suggestion": u.suggestion.map { fieldWords[$0] ?? $0 } ?? "", "separator": u.separator.map(ColumnMap.separatorWord) ?? "",
                        "filled": u.filledCells, "options": options, "editable": role == .mentors || role == .mentees,
                        "selectID": "col-\(role.rawValue)-\(u.column)"]
            }
            let ignored = uses.filter { $0.field == nil }.map(\.header)
            return ["role": roleWords[role] ?? role.rawValue, "file": report.tables[role]?.file ?? role.rawValue, "columns": rows,
                    "ignored": ignored.joined(separator: ", "), "rows": report.tables[role]?.rows.count ?? 0]
        }

        // Problems, grouped by cell so each cell has one edit form.
        struct CellKey: Hashable { var role: ImportRole; var line: Int; var column: Int }
        var byCell: [CellKey: [Diagnostic]] = [:]
        var cellOrder: [CellKey] = []
        var other: [Diagnostic] = []
        // An ignored header that looks like a field is said by the Columns table, with its menu;
        // the core's words for it speak of the command line's --columns.
        let suggested = Set(report.columns.filter { $0.field == nil && $0.suggestion != nil }.map { "\($0.role.rawValue)/\($0.column)" })
        var columnNotes: [Diagnostic] = []
        for diag in d.problems + report.diagnostics {
            if diag.severity == .warning, let column = diag.column, let role = roleOfFile[diag.file],
               suggested.contains("\(role.rawValue)/\(column)"), diag.line == nil || diag.line == report.tables[role]?.headerLine {
                columnNotes.append(diag)
                continue
            }
            if let line = diag.line, let column = diag.column, let role = roleOfFile[diag.file], report.tables[role] != nil {
                let k = CellKey(role: role, line: line, column: column)
                if byCell[k] == nil { cellOrder.append(k) }
                byCell[k, default: []].append(diag)
            } else {
                other.append(diag)
            }
        }
        let editsByCell = Dictionary(d.edits.map { (CellKey(role: $0.role, line: $0.line, column: $0.column), $0.value) }, uniquingKeysWith: { _, b in b })
        let cells = cellOrder.enumerated().map { n, k -> [String: Any] in
            let table = report.tables[k.role]!
            let row = table.rows.first { $0.line == k.line }
            let value = row.flatMap { k.column - 1 < $0.cells.count ? $0.cells[k.column - 1] : nil } ?? ""
            let header = k.column - 1 < table.header.count ? table.header[k.column - 1] : SheetTable.columnLetters(k.column)
            let diags = byCell[k]!
            let isError = diags.contains { $0.severity == .error }
            let context = row.map { r in
                r.cells.enumerated().map { i, c -> [String: Any] in
                    ["value": c, "header": i < table.header.count ? table.header[i] : "", "here": i == k.column - 1]
                }
            } ?? []
            return ["n": n, "role": k.role.rawValue, "line": k.line, "column": k.column, "value": value, "header": header,
                    "where": table.location(line: k.line, column: k.column), "file": table.file,
                    "messages": diags.map { ["text": $0.message, "severity": $0.severity.rawValue] },
                    "error": isError, "edited": editsByCell[k] != nil, "context": context,
                    "inputID": "cell-\(n)"]
        }
        let errors = d.errors.count, warnings = (d.problems + report.diagnostics).filter { $0.severity == .warning }.count - columnNotes.count
        let columnHints = report.columns.filter { $0.field == nil && $0.suggestion != nil }.map { u -> [String: Any] in
            ["text": "\(report.tables[u.role]?.file ?? u.role.rawValue): column \(SheetTable.columnLetters(u.column)) (\(u.header)) is not used; it looks like \(fieldWords[u.suggestion!] ?? u.suggestion!).",
             "selectID": "col-\(u.role.rawValue)-\(u.column)"]
        }
        var data: [String: Any] = [
            "draftID": d.id.rawValue, "open": d.state == .open, "state": d.state.rawValue,
            "files": d.files.map { ["role": roleWords[$0.role] ?? $0.role.rawValue, "name": $0.name, "size": byteWords($0.bytes)] },
            "notes": report.notes, "columnFiles": columnFiles,
            "cells": cells, "hasCells": !cells.isEmpty, "other": other.map { ["text": $0.description, "severity": $0.severity.rawValue] },
            "hasOther": !other.isEmpty, "columnHints": columnHints, "hasColumnHints": !columnHints.isEmpty, "errors": errors, "warnings": warnings, "hasWarnings": warnings > 0, "clean": errors == 0,
            "errorWords": Format.count(errors, "problem"), "warningWords": Format.count(warnings, "warning"),
            "canCommit": d.canCommit, "editedCount": d.edits.count,
            "columnsURL": base + "/columns", "cellsURL": base + "/cells", "replaceURL": base + "/replace",
            "commitURL": base + "/commit", "abandonURL": base + "/abandon", "importURL": paths.sub("import"),
            "replaceRoles": d.files.filter { $0.role != .setup }.map { ["value": $0.role.rawValue, "label": "\(roleWords[$0.role] ?? $0.role.rawValue) (\($0.name))"] },
        ]
        if let p = d.preview {
            data["preview"] = [
                "line": p.line, "added": p.added.count, "returning": p.returning.count, "updated": p.updated.count, "unchanged": p.unchanged,
                "changes": p.updated.prefix(50).map { c in ["id": c.id.rawValue, "role": c.role.rawValue,
                                                            "fields": c.changes.map { "\($0.field): \($0.before) → \($0.after)" }.joined(separator: "; ")] },
                "warnings": p.warnings.prefix(20).map { $0 },
            ]
            if p.updated.count > 50 { (data["preview"] as? [String: Any]).map { var v = $0; v["moreChanges"] = p.updated.count - 50; data["preview"] = v } }
        }
        return site.page("draft", title: "Check the import · \(t.name)", context: context, data: data, nav: "import",
                         term: site.termNav(id, name: t.name))
    }

    /// Words for the cohort fields in the column menus.
    static let fieldWords: [String: String] = [
        "id": "id (unique per person)", "name": "name", "age": "age (years)", "yearGroup": "year group", "gender": "gender",
        "genderPreference": "gender preference", "interests": "interests (list)", "offers": "offers (mentors; list)",
        "needs": "needs (mentees; list)", "qualifications": "qualifications (list)", "requires": "requires (mentees; list)",
        "group": "group (tutor group)", "capacity": "capacity (mentors)", "priority": "priority (mentees)",
        "preferences": "preferred partners (list)", "availability": "availability (slot ids)", "unavailableDates": "unavailable dates",
        "requireRoomFeatures": "room needs (mentees)",
    ]

    static func byteWords(_ n: Int) -> String {
        n < 1024 ? "\(n) bytes" : n < 1_048_576 ? "\(n / 1024) kB" : String(format: "%.1f MB", Double(n) / 1_048_576)
    }

    static func columns(_ site: Site, _ context: WebContext) throws -> Response {
        let (id, d) = try draft(site, context)
        let actor = Actor(try context.signedIn.actorName)
        let form = context.postedForm
        // Every mentors' and mentees' header with the field chosen for it ("" = not used). The
        // same header in both files gets one choice: the column map goes by header.
        var chosen: [String: String?] = [:]
        var order: [String] = []
        for u in d.report.columns where u.role == .mentors || u.role == .mentees {
            guard let v = form.fields.first(where: { $0.name == "field-\(u.role.rawValue)-\(u.column)" })?.value else { continue }
            if chosen[u.header] == nil { order.append(u.header) }
            chosen[u.header] = v.isEmpty ? .some(nil) : .some(v)
        }
        // Only choices that differ from what the header says on its own go into the map, so the
        // page keeps showing which columns were read by name and which were chosen.
        var map = d.options.columns ?? ColumnMap()
        for header in order {
            let field = chosen[header]!
            let byName = ColumnMap.field(named: header)
            let k = map.columns.firstIndex { $0.header == header }
            if field == byName {
                if let k, map.columns[k].separator == nil, map.columns[k].values.isEmpty { map.columns.remove(at: k) } else if let k { map.columns[k].field = field }
            } else if let k {
                map.columns[k].field = field
            } else {
                map.columns.append(ColumnMap.Column(header: header, field: field))
            }
        }
        _ = try site.store.updateDraft(d.id, columns: .some(map), by: actor)
        return site.redirect(TermPaths(id: id).sub("import/\(d.id.rawValue)"), flash: "Column choices saved; the sheets were read again.", context: context)
    }

    static func cells(_ site: Site, _ context: WebContext) throws -> Response {
        let (id, d) = try draft(site, context)
        let actor = Actor(try context.signedIn.actorName)
        let form = context.postedForm
        var edits: [CellEdit] = []
        // One form per cell: role, line, column and the new value.
        guard let r = form.value("role").flatMap(ImportRole.init(rawValue:)), let line = form.value("line").flatMap({ Int($0) }),
              let column = form.value("column").flatMap({ Int($0) }) else { throw PageError.badForm("That form named no cell; reload the page.") }
        edits.append(CellEdit(role: r, line: line, column: column, value: form.fields.first { $0.name == "value" }?.value.trimmingCharacters(in: .whitespaces) ?? ""))
        _ = try site.store.updateDraft(d.id, cellEdits: edits, by: actor)
        let table = d.report.tables[r]
        let where_ = table?.location(line: line, column: column) ?? "line \(line), column \(column)"
        return site.redirect(TermPaths(id: id).sub("import/\(d.id.rawValue)"), flash: "Changed \(table?.file ?? r.rawValue), \(where_).", context: context)
    }

    static func replace(_ site: Site, _ context: WebContext) throws -> Response {
        let (id, d) = try draft(site, context)
        let actor = Actor(try context.signedIn.actorName)
        let form = context.postedForm
        guard let role = form.value("role").flatMap(ImportRole.init(rawValue:)) else { throw PageError.badForm("Choose which spreadsheet the new file replaces.") }
        guard let file = form.file("file") else { throw PageError.badForm("Choose the corrected file.") }
        _ = try site.store.replaceDraftFile(d.id, role: role, with: importFile(file), by: actor)
        return site.redirect(TermPaths(id: id).sub("import/\(d.id.rawValue)"), flash: "Read \(file.filename) in place of the earlier \(roleWords[role]?.lowercased() ?? role.rawValue) file.", context: context)
    }

    static func commit(_ site: Site, _ context: WebContext) throws -> Response {
        let (id, d) = try draft(site, context)
        let actor = Actor(try context.signedIn.actorName)
        let summary = try site.store.commitImport(d.id, by: actor)
        return site.redirect(TermPaths(id: id).sub("matches"), flash: "Saved into the term: " + summary.line + ". Next: Match.", context: context)
    }

    static func abandon(_ site: Site, _ context: WebContext) throws -> Response {
        let (id, d) = try draft(site, context)
        try site.store.abandonDraft(d.id, by: Actor(try context.signedIn.actorName))
        return site.redirect(TermPaths(id: id).sub("import"), flash: "The import was put aside; nothing was saved into the term.", context: context)
    }
}
