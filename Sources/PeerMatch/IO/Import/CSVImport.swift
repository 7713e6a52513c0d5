import Foundation

/// Which input of an import a file is.
public enum ImportRole: String, Sendable, Hashable, CaseIterable {
    case mentors, mentees, exclusions, locked, setup

    /// Sheet names a workbook may give this table ("Mentors", "mentor").
    var sheetNames: [String] {
        switch self {
        case .mentors: return ["mentors", "mentor"]
        case .mentees: return ["mentees", "mentee"]
        case .exclusions: return ["exclusions", "exclusion", "exclude"]
        case .locked: return ["locked", "locks", "locked pairs"]
        case .setup: return []
        }
    }
}

/// How to read the spreadsheets.
public struct ImportOptions: Sendable, Hashable {
    /// Header → field choices, separators and value maps; nil: headers named like fields only.
    public var columns: ColumnMap?
    /// Separator for every list column that sets none (nil: ";", unless a column's cells show
    /// they use another, such as Google Forms' ", ").
    public var listSeparator: String?
    /// Separators for single columns, by header (`--list-separator "Hobbies=,"`).
    public var columnSeparators: [String: String]
    /// The sheet to read in every workbook (nil: the sheet named like the file's role, else the first).
    public var sheet: String?
    /// The sheet to read for one input (`--sheet mentees:Year 7`); wins over ``sheet``.
    public var sheets: [ImportRole: String]

    public init(columns: ColumnMap? = nil, listSeparator: String? = nil, columnSeparators: [String: String] = [:],
                sheet: String? = nil, sheets: [ImportRole: String] = [:]) {
        self.columns = columns; self.listSeparator = listSeparator; self.columnSeparators = columnSeparators
        self.sheet = sheet; self.sheets = sheets
    }
}

/// What became of one column of one file.
public struct ColumnUse: Sendable, Hashable {
    public enum Source: String, Sendable, Hashable {
        /// The header is the field's own name ("Year group" is yearGroup).
        case header
        /// The column map (--columns) chose it.
        case columnMap
        /// Not used.
        case ignored
    }
    /// The file as messages name it (`intake.xlsx [Mentors]`).
    public var file: String
    public var role: ImportRole
    /// 1-based column index.
    public var column: Int
    public var header: String
    /// The cohort field it fills, nil when ignored.
    public var field: String?
    public var source: Source
    /// For an ignored header that looks like a field: that field ("What are your hobbies?" → interests).
    public var suggestion: String?
    /// List columns: the separator used between items.
    public var separator: String?
    /// Cells a value map changed.
    public var mappedCells: Int
    /// Non-empty cells in the column.
    public var filledCells: Int
}

/// What an import found: the cohort when there are no errors, and every diagnostic (errors,
/// warnings, near-misses), each at its file, line or row, and column; the column mapping with
/// guesses, ignored headers and suggestions; and the tables as read, so a page can show the rows
/// and let the user fix a cell.
public struct ImportReport: Sendable {
    public var cohort: Cohort?
    public var diagnostics: [Diagnostic]
    public var columns: [ColumnUse]
    public var tables: [ImportRole: SheetTable]
    /// How the files were read (encodings, separators, sheets) and what was assumed.
    public var notes: [String]

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Builds a cohort from spreadsheets: one of mentors, one of mentees, and optional ones of
/// exclusions (a, b, reason) and locks (mentor, mentee, and slot and room for a timetable); for a
/// termly timetable, a setup file (JSON or YAML: `slots`, `rooms`, `term`, `format`, as in a
/// cohort file) and the people's `availability`, `unavailableDates` and `requireRoomFeatures`.
///
/// Every value either arrives or is reported: a header that maps to no field is named (with the
/// field it looks like), a duplicated field is an error naming both columns, lists are split on
/// `;` (or the separator the cells show, or the one given), and the cohort is validated like a
/// cohort file, with each problem turned back into the cell it came from.
public enum CSVImport {
    /// Cohort fields a column can map to.
    public static var fields: [String] { ColumnMap.fields }
    /// The keys a timetable setup file may hold.
    public static let setupKeys = ["slots", "rooms", "term", "format"]

    /// Parses a column map: `"Pupil ID=id,Form=group"` or the path of a JSON/YAML file. Returns
    /// header keys (see ``ColumnMap/key(_:)``) → field, for the older dictionary form.
    public static func columnMap(_ spec: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for c in try ColumnMap.load(spec).columns { if let f = c.field { out[ColumnMap.key(c.header)] = f } }
        return out
    }

    static func key(_ s: String) -> String { ColumnMap.key(s) }

    // MARK: - The import

    /// Reads and checks every file; never throws: every problem is in the report.
    public static func analyse(mentors: ImportFile, mentees: ImportFile, exclusions: ImportFile? = nil, locked: ImportFile? = nil,
                               setup: ImportFile? = nil, options: ImportOptions = ImportOptions(), policy: Policy = .default) -> ImportReport {
        var run = Run(options: options)
        let m = run.people(mentors, role: .mentors)
        let e = run.people(mentees, role: .mentees)
        var top: [(String, JSONValue)] = []
        if let setup {
            do { top = try self.setup(setup) } catch let error as InputError { run.diagnostics += error.diagnostics } catch {
                run.diagnostics.append(Diagnostic(file: setup.name, at: "", "\(error)"))
            }
        }
        top += [("mentors", .array(m)), ("mentees", .array(e))]
        if let exclusions {
            top.append(("exclusions", .array(run.pairs(exclusions, role: .exclusions, names: ["a", "b", "reason"], required: 2))))
        }
        if let locked {
            top.append(("locked", .array(run.pairs(locked, role: .locked, names: ["mentor", "mentee", "slot", "room"], required: 2))))
        }
        run.checkMapUsed()
        var cohort: Cohort? = nil
        // A file that could not be read, or a column problem, stops the import before validation,
        // so that no message speaks of a half-read file.
        if !run.diagnostics.contains(where: { $0.severity == .error }) {
            let (parsed, diagnostics) = CohortReader.validate(.object(top), file: "(import)", policy: policy)
            run.diagnostics += diagnostics.map { run.translate($0, setup: setup?.name) }
            // The validator has also run the near-miss checks (see ``NearMisses``).
            if !diagnostics.contains(where: { $0.severity == .error }) { cohort = parsed }
        }
        return ImportReport(cohort: cohort, diagnostics: run.diagnostics, columns: run.columns, tables: run.tables, notes: run.notes)
    }

    /// The path-based form for the CLI and tests: reads the files, imports, and throws
    /// ``InputError`` with every error when there is one (warnings are in ``analyse``'s report).
    public static func cohort(mentors: String, mentees: String, exclusions: String? = nil, locked: String? = nil,
                              timetableSetup: String? = nil, options: ImportOptions = ImportOptions(),
                              policy: Policy = .default) throws -> Cohort {
        let report = analyse(mentors: try ImportFile.read(path: mentors), mentees: try ImportFile.read(path: mentees),
                             exclusions: try exclusions.map(ImportFile.read), locked: try locked.map(ImportFile.read),
                             setup: try timetableSetup.map(ImportFile.read), options: options, policy: policy)
        if let cohort = report.cohort { return cohort }
        throw InputError(report.errors)
    }

    /// The older form: `columns` maps header keys to fields.
    public static func cohort(mentors: String, mentees: String, exclusions: String? = nil, locked: String? = nil,
                              timetableSetup: String? = nil, columns: [String: String], policy: Policy = .default) throws -> Cohort {
        let map = ColumnMap(columns: columns.map { ColumnMap.Column(header: $0.key, field: $0.value) }.sorted { $0.header < $1.header })
        return try cohort(mentors: mentors, mentees: mentees, exclusions: exclusions, locked: locked, timetableSetup: timetableSetup,
                          options: ImportOptions(columns: map), policy: policy)
    }

    /// A column map file for these spreadsheets, to edit and pass back with `--columns`: every
    /// header with the field it maps to (its own name or a guess, marked for checking) or
    /// `ignore`, list separators the cells show, and value maps for genders written as letters.
    public static func guessColumns(_ files: [(ImportFile, Role)], options: ImportOptions = ImportOptions()) throws -> String {
        var columns: [ColumnMap.Column] = []
        var comments: [String: String] = [:]
        var seen: Set<String> = []
        var problems: [Diagnostic] = []
        for (file, role) in files {
            let importRole: ImportRole = role == .mentor ? .mentors : .mentees
            let table: SheetTable
            do { table = try SpreadsheetReader.read(file, sheet: options.sheets[importRole] ?? options.sheet, preferred: importRole.sheetNames) }
            catch let error as InputError { problems += error.diagnostics; continue }
            let guess = ColumnMap.guess(header: table.header, role: role)
            for var c in guess.columns where !seen.contains(ColumnMap.key(c.header)) {
                seen.insert(ColumnMap.key(c.header))
                guard let index = table.header.firstIndex(of: c.header) else { continue }
                let cells = table.rows.map { trimmed($0.cells[index]) }.filter { !$0.isEmpty }
                if let f = c.field {
                    if ColumnMap.field(named: c.header) == nil { comments[c.header] = "guessed from the header: check" }
                    if ColumnMap.listFields.contains(f) {
                        let (sep, _) = detectSeparator(cells)
                        if sep != ";" { c.separator = sep }
                    }
                    if f == "gender" || f == "genderPreference" {
                        c.values = NearMisses.genderValueMap(cells, listField: f == "genderPreference")
                    }
                } else {
                    let sample = cells.first.map { ", e.g. \"\($0.count > 30 ? String($0.prefix(30)) + "…" : $0)\"" } ?? ", empty"
                    comments[c.header] = "no field is called this" + sample
                }
                columns.append(c)
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        let intro = [
            "Column map for peermatch import. Edit it, then:",
            "  peermatch import MENTORS MENTEES --columns THIS-FILE",
            "Each header maps to a cohort field or to ignore. Fields: \(ColumnMap.fields.joined(separator: ", ")).",
            "A list column may set its own separator (\";\" unless set; \", \" is what Google Forms writes);",
            "values maps what a cell says to what PeerMatch expects (F: female). Headers match ignoring case and spaces.",
        ]
        return ColumnMap(columns: columns).yaml(comments: comments, intro: intro)
    }

    /// The separator a list column's cells use: ";" if any cell has one, else a line break, else
    /// a comma (Google Forms' checkbox answers), else ";". Returns it and whether it was seen.
    static func detectSeparator(_ cells: [String]) -> (String, Bool) {
        if cells.contains(where: { $0.contains(";") }) { return (";", true) }
        if cells.contains(where: { $0.contains("\n") }) { return ("\n", true) }
        if cells.contains(where: { $0.contains(",") }) { return (cells.contains(where: { $0.contains(", ") }) ? ", " : ",", true) }
        return (";", false)
    }

    /// "7/10/2026", "07.10.2026", "7-10-2026" (day first, as UK spreadsheets show dates) or
    /// "2026/10/07" as an ISO date; nil for anything else (the validator then says what it wants).
    static func dayFirstDate(_ s: String) -> String? {
        let parts = s.split(whereSeparator: { "/.-".contains($0) }).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }), !s.contains(" ") else { return nil }
        let (d, m, y): (String, String, String) = parts[0].count == 4 ? (parts[2], parts[1], parts[0]) : (parts[0], parts[1], parts[2])
        guard y.count == 4, d.count <= 2, m.count <= 2 else { return nil }
        let iso = "\(y)-\(m.count == 1 ? "0" + m : m)-\(d.count == 1 ? "0" + d : d)"
        guard iso != s, CalendarDate(iso) != nil else { return nil }
        return iso
    }

    /// "15,5" → 15.5: a decimal comma, as spreadsheets write numbers in much of Europe.
    static func decimalComma(_ s: String) -> Double? {
        let parts = s.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "-") } }) else { return nil }
        return Double(parts[0] + "." + parts[1])
    }

    /// The cohort-level timetable keys of a setup file; any other key is an error naming it.
    static func setup(_ file: ImportFile) throws -> [(String, JSONValue)] {
        guard case .object(let o) = try JSONValue.parseDocument(file.data, file: file.name) else {
            throw InputError(file: file.name, "must be an object with \(naturalList(setupKeys.map { "\"\($0)\"" }))")
        }
        let unknown = o.map(\.0).filter { !setupKeys.contains($0) }
        if !unknown.isEmpty {
            throw InputError(unknown.map { Diagnostic(file: file.name, at: "$.\($0)", "unknown key; a timetable setup holds \(naturalList(setupKeys))") })
        }
        guard o.contains(where: { $0.0 == "slots" }) else { throw InputError(file: file.name, at: "$", "has no \"slots\"") }
        return o
    }

    /// One import's working state: what was read, where each value came from, what was found.
    struct Run {
        let options: ImportOptions
        var diagnostics: [Diagnostic] = []
        var columns: [ColumnUse] = []
        var tables: [ImportRole: SheetTable] = [:]
        var notes: [String] = []
        /// JSON list ("mentors") → element path ("[3].age") → cell.
        var positions: [String: [String: Cell]] = [:]
        /// Headers of every people file read, to check that the column map's headers exist.
        var headersSeen: Set<String> = []

        struct Cell { var table: SheetTable; var line: Int; var column: Int? }

        init(options: ImportOptions) { self.options = options }

        mutating func read(_ file: ImportFile, role: ImportRole) -> SheetTable? {
            do {
                let table = try SpreadsheetReader.read(file, sheet: options.sheets[role] ?? options.sheet, preferred: role.sheetNames)
                tables[role] = table
                notes += table.notes
                return table
            } catch let error as InputError {
                diagnostics += error.diagnostics
            } catch {
                diagnostics.append(Diagnostic(file: file.name, at: "", "cannot be read: \(error)"))
            }
            return nil
        }

        /// The separator for a list column: given for the column (on the command line, then in the
        /// map), for every column (likewise), or seen in its cells.
        func separator(header: String, given: ColumnMap.Column?, cells: [String]) -> (String, detected: Bool) {
            if let s = options.columnSeparators.first(where: { ColumnMap.key($0.key) == ColumnMap.key(header) })?.value {
                return (ColumnMap.separatorWord(s), false)
            }
            if let s = given?.separator { return (s, false) }
            if let s = options.listSeparator { return (ColumnMap.separatorWord(s), false) }
            if let s = options.columns?.listSeparator { return (s, false) }
            let (s, seen) = detectSeparator(cells)
            return (s, seen && s != ";")
        }

        /// Reads people from a table into the JSON shape a cohort file has, so that one validator
        /// serves both; positions are recorded to turn JSON paths back into cells.
        mutating func people(_ file: ImportFile, role importRole: ImportRole) -> [JSONValue] {
            guard let table = read(file, role: importRole) else { return [] }
            let role: Role = importRole == .mentors ? .mentor : .mentee
            let listName = importRole.rawValue
            let name = table.displayName
            var fieldColumn: [(field: String, column: Int, given: ColumnMap.Column?)] = []
            var byField: [String: Int] = [:]
            var uses: [ColumnUse] = []
            for (c, header) in table.header.enumerated() {
                let col = c + 1
                let cells = table.rows.map { trimmed($0.cells[c]) }
                let filled = cells.filter { !$0.isEmpty }
                var use = ColumnUse(file: name, role: importRole, column: col, header: header, field: nil, source: .ignored,
                                    suggestion: nil, separator: nil, mappedCells: 0, filledCells: filled.count)
                defer { uses.append(use) }
                headersSeen.insert(ColumnMap.key(header))
                if header.isEmpty {
                    if let first = table.rows.first(where: { !isBlank($0.cells[c]) }) {
                        diagnostics.append(table.diagnostic(.warning, line: table.headerLine, column: col,
                            "this column has no header, so its \(filled.count) value\(filled.count == 1 ? "" : "s") (e.g. \"\(short(first.cells[c]))\" at \(table.location(line: first.line))) are ignored; give it a header naming a field, or delete the column"))
                    }
                    continue
                }
                let given = options.columns?.column(for: header)
                var field: String?
                if let given {
                    field = given.field
                    use.source = field == nil ? .ignored : .columnMap
                } else if let f = ColumnMap.field(named: header) {
                    field = f; use.source = .header
                } else {
                    let suggestion = ColumnMap.suggestion(for: header, role: role)
                    use.suggestion = suggestion
                    var message = "ignored: no cohort field is called \"\(header)\""
                    if filled.isEmpty { message += " (the column is empty)" }
                    if let s = suggestion {
                        message += "; it looks like \"\(s)\": map it with --columns \"\(header)=\(s)\" (or peermatch import --guess writes a column map to edit)"
                    } else if !filled.isEmpty {
                        message += "; its values (e.g. \"\(short(filled[0]))\") are not imported. If it is one of \(ColumnMap.fields.joined(separator: ", ")), map it with --columns \"\(header)=FIELD\"; to silence this, map it to ignore"
                    }
                    diagnostics.append(table.diagnostic(.warning, line: table.headerLine, column: col, message))
                    continue
                }
                guard let f = field else { continue }
                if !ColumnMap.applies(f, to: role) {
                    let other = role == .mentor ? "mentees" : "mentors"
                    // A shared template (one sheet layout for both sides) is common: a warning, not an error.
                    let what = filled.isEmpty ? "the column is empty" : "its \(filled.count) value\(filled.count == 1 ? " is" : "s are") not imported"
                    diagnostics.append(table.diagnostic(.warning, line: table.headerLine, column: col,
                        "ignored: \"\(f)\" is a field of \(other) only, so \(what); check that this is the \(listName) file, or map the column to ignore"))
                    use.source = .ignored
                    continue
                }
                if let first = byField[f] {
                    diagnostics.append(table.diagnostic(line: table.headerLine, column: col,
                        "columns \(table.format == .csv ? String(first + 1) : SheetTable.columnLetters(first + 1)) (\(table.header[first])) and \(table.format == .csv ? String(col) : SheetTable.columnLetters(col)) (\(header)) both give \"\(f)\", and one would overwrite the other; delete or rename one, or map one to ignore with --columns \"\(header)=ignore\""))
                    continue
                }
                byField[f] = c
                use.field = f
                if ColumnMap.listFields.contains(f) {
                    let (sep, detected) = separator(header: header, given: given, cells: filled)
                    use.separator = sep
                    if detected {
                        let words = sep == "\n" ? "line breaks" : trimmed(sep) == "," ? "commas (as Google Forms writes checkbox answers)" : "\"\(sep)\""
                        notes.append("\(name): column \(header) (\(f)): items are separated by \(words), since no cell uses \";\"; set --list-separator \"\(header)=;\" if a comma belongs inside an item")
                    }
                }
                fieldColumn.append((f, c, given))
            }
            columns += uses
            guard fieldColumn.contains(where: { $0.field == "id" }) else {
                let seen = table.header.filter { !$0.isEmpty }.map { "\"\($0)\"" }.joined(separator: ", ")
                let hint = uses.first { $0.suggestion == "id" }.map { " (\"\($0.header)\" looks like one: --columns \"\($0.header)=id\")" } ?? ""
                diagnostics.append(table.diagnostic(line: table.headerLine,
                    "no \"id\" column (headers: \(seen)); every person needs an id that is unique across both files\(hint); map a column with --columns \"HEADER=id\""))
                return []
            }
            if role == .mentor && !fieldColumn.contains(where: { $0.field == "capacity" }) {
                notes.append("\(name): no capacity column, so every mentor takes at most 1 mentee")
            }
            var out: [JSONValue] = []
            var positions: [String: Cell] = [:]
            positions.reserveCapacity(table.rows.count * fieldColumn.count)
            var mapped = [Int: Int]()
            var dayFirst: Set<Int> = [], decimalCommas: Set<Int> = []
            for (k, row) in table.rows.enumerated() {
                var obj: [(String, JSONValue)] = []
                for (field, c, given) in fieldColumn {
                    let raw = trimmed(row.cells[c], newlines: true)
                    positions["[\(k)].\(field)"] = Cell(table: table, line: row.line, column: c + 1)
                    if raw.isEmpty { continue }
                    func mapValue(_ v: String) -> String {
                        guard let values = given?.values, !values.isEmpty else { return v }
                        let key = trimmed(v).lowercased()
                        if let to = values.first(where: { trimmed($0.key).lowercased() == key })?.value {
                            mapped[c, default: 0] += 1
                            return to
                        }
                        return v
                    }
                    if ColumnMap.listFields.contains(field) {
                        let sep = uses[c].separator ?? ";", commas = trimmed(sep) == ","
                        var items = pieces(raw, separatedBy: sep)
                            .flatMap { commas ? pieces($0, separatedBy: ",") : [$0] }
                            .map { mapValue(trimmed($0, newlines: true)) }
                            .filter { !$0.isEmpty }
                        if field == "unavailableDates" {
                            items = items.map { item in
                                guard let iso = CSVImport.dayFirstDate(item) else { return item }
                                dayFirst.insert(c)
                                return iso
                            }
                        }
                        if items.isEmpty { continue }
                        if field == "genderPreference" && items.count == 1 { obj.append((field, .string(items[0]))) }
                        else { obj.append((field, .array(items.map { .string($0) }))) }
                    } else {
                        let cell = mapValue(raw)
                        if cell.isEmpty { continue }
                        if ColumnMap.numberFields.contains(field), let x = Double(cell) { obj.append((field, .number(x))) }
                        else if ColumnMap.numberFields.contains(field), let x = CSVImport.decimalComma(cell) {
                            obj.append((field, .number(x))); decimalCommas.insert(c)
                        } else { obj.append((field, .string(cell))) }
                    }
                }
                positions["[\(k)]"] = Cell(table: table, line: row.line, column: nil)
                out.append(.object(obj))
            }
            for (c, n) in mapped { if let u = columns.firstIndex(where: { $0.file == name && $0.column == c + 1 }) { columns[u].mappedCells = n } }
            for c in dayFirst.sorted() {
                notes.append("\(name): column \(table.header[c]): dates like 07/10/2026 were read day first, as in the UK (7 October 2026)")
            }
            for c in decimalCommas.sorted() {
                notes.append("\(name): column \(table.header[c]): numbers with a decimal comma (15,5) were read as 15.5")
            }
            self.positions[listName] = positions
            return out
        }

        /// Reads an exclusions or locks table (fixed column names).
        mutating func pairs(_ file: ImportFile, role: ImportRole, names: [String], required: Int) -> [JSONValue] {
            guard let table = read(file, role: role) else { return [] }
            var col: [String: Int] = [:]
            for (c, h) in table.header.enumerated() {
                let k = ColumnMap.key(h)
                var use = ColumnUse(file: table.displayName, role: role, column: c + 1, header: h, field: nil, source: .ignored,
                                    suggestion: nil, separator: nil, mappedCells: 0,
                                    filledCells: table.rows.filter { !isBlank($0.cells[c]) }.count)
                if let n = names.first(where: { ColumnMap.key($0) == k }) {
                    if let first = col[n] {
                        diagnostics.append(table.diagnostic(line: table.headerLine, column: c + 1,
                            "columns \(first + 1) (\(table.header[first])) and \(c + 1) (\(h)) are both \"\(n)\"; delete or rename one"))
                    } else { col[n] = c; use.field = n; use.source = .header }
                } else if !h.isEmpty {
                    diagnostics.append(table.diagnostic(.warning, line: table.headerLine, column: c + 1,
                        "ignored: the \(role.rawValue) file's columns are \(naturalList(names))"))
                }
                columns.append(use)
            }
            for n in names.prefix(required) where col[n] == nil {
                diagnostics.append(table.diagnostic(line: table.headerLine,
                    "no \"\(n)\" column (expected columns: \(names.joined(separator: ", ")))"))
            }
            var out: [JSONValue] = []
            var positions: [String: Cell] = [:]
            for (k, row) in table.rows.enumerated() {
                var obj: [(String, JSONValue)] = []
                for n in names {
                    guard let c = col[n] else { continue }
                    let cell = trimmed(row.cells[c])
                    positions["[\(k)].\(n)"] = Cell(table: table, line: row.line, column: c + 1)
                    if !cell.isEmpty { obj.append((n, .string(cell))) }
                }
                positions["[\(k)]"] = Cell(table: table, line: row.line, column: nil)
                out.append(.object(obj))
            }
            self.positions[role.rawValue] = positions
            return out
        }

        /// A column map entry whose header no people file has is most likely a typo in the map.
        mutating func checkMapUsed() {
            guard let map = options.columns, !tables.isEmpty else { return }
            for c in map.columns where !headersSeen.contains(ColumnMap.key(c.header)) {
                let known = tables.values.filter { $0.format == .csv || $0.sheet != nil }.flatMap(\.header).filter { !$0.isEmpty }
                let close = known.min { editDistance(ColumnMap.key($0), ColumnMap.key(c.header)) < editDistance(ColumnMap.key($1), ColumnMap.key(c.header)) }
                let hint = close.flatMap { editDistance(ColumnMap.key($0), ColumnMap.key(c.header)) <= 3 ? " (did you mean \"\($0)\"?)" : nil } ?? ""
                diagnostics.append(Diagnostic(.warning, file: "--columns", at: "", "no file has a column \"\(c.header)\"\(hint), so this entry of the column map is not used"))
            }
        }

        /// `$.mentees[3].age` → `mentees.csv: line 5, column 3 (Age)`.
        func translate(_ d: Diagnostic, setup: String?) -> Diagnostic {
            var out = d
            let path = d.location
            guard path.hasPrefix("$.") else { return out }
            let rest = path.dropFirst(2)
            // Problems in the setup file keep their JSON path there.
            if let setup, setupKeys.contains(where: { rest == $0 || rest.hasPrefix($0 + ".") || rest.hasPrefix($0 + "[") }) {
                out.file = setup
                return out
            }
            guard let bracket = rest.firstIndex(of: "[") else { return out }
            let list = String(rest[..<bracket])
            guard let positions = positions[list] else { return out }
            // The longest prefix of the remaining path that was recorded.
            var tail = String(rest[bracket...])
            while !tail.isEmpty {
                if let cell = positions[tail] {
                    let located = cell.table.diagnostic(d.severity, line: cell.line, column: cell.column, d.message)
                    return located
                }
                guard let cut = tail.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
                tail = String(tail[..<cut])
            }
            return out
        }

        private func short(_ s: String) -> String {
            let t = trimmed(s, newlines: true)
            return t.count > 30 ? String(t.prefix(30)) + "…" : t
        }
    }
}
