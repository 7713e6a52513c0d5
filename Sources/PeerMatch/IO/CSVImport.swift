import CSV
import Foundation

/// Builds a cohort from spreadsheet exports: one CSV of mentors, one of mentees, and optional
/// CSVs of exclusions (a, b, reason) and locks (mentor, mentee); for a termly timetable, a
/// setup file (JSON or YAML: `slots`, `rooms`, `term`, `format`, as in a cohort file) and the
/// people's `availability`, `unavailableDates` and `requireRoomFeatures` columns.
///
/// Headers are matched to cohort fields ignoring case, spaces, `-` and `_` ("Year group" is
/// `yearGroup`), or through an explicit column map. Lists in a cell are `;`-separated. A BOM,
/// quoted commas and line breaks, CRLF line ends and blank trailing rows are all handled by
/// CSV.swift and the row filter below. Problems name the file, line and column.
public enum CSVImport {
    /// Cohort fields a column can map to.
    public static let fields = ["id", "name", "age", "yearGroup", "gender", "genderPreference", "interests", "offers",
                                "needs", "qualifications", "requires", "group", "capacity", "priority", "preferences",
                                "availability", "unavailableDates", "requireRoomFeatures"]
    /// The keys a timetable setup file may hold.
    public static let setupKeys = ["slots", "rooms", "term", "format"]

    /// Parses a column map: `"Pupil ID=id,Form=group"` or the path of a JSON/YAML file `{ "Pupil ID": "id" }`.
    public static func columnMap(_ spec: String) throws -> [String: String] {
        var pairs: [(String, String)] = []
        if FileManager.default.fileExists(atPath: spec) {
            let root = try JSONValue.parseDocument(try InputFile.read(spec), file: spec)
            guard case .object(let o) = root else { throw InputError(file: spec, "must map column headers to field names") }
            for (k, v) in o {
                guard case .string(let f) = v else { throw InputError(file: spec, at: "$.\(k)", "must be a field name") }
                pairs.append((k, f))
            }
        } else {
            for item in spec.split(separator: ",") {
                let kv = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard kv.count == 2, !kv[0].isEmpty else {
                    throw InputError(file: "--columns", "expected HEADER=field pairs separated by commas, found \"\(item)\"")
                }
                pairs.append((kv[0], kv[1]))
            }
        }
        var map: [String: String] = [:]
        for (header, field) in pairs {
            guard let f = fields.first(where: { key($0) == key(field) }) else {
                throw InputError(file: "--columns", "\"\(field)\" is not a cohort field; expected one of \(fields.joined(separator: ", "))")
            }
            map[key(header)] = f
        }
        return map
    }

    static func key(_ s: String) -> String {
        s.lowercased().filter { !" _-".contains($0) }.trimmingCharacters(in: .whitespaces)
    }

    /// A CSV table: header and rows with their line numbers (1-based; the header is line 1).
    struct Table {
        var file: String
        var header: [String]
        var rows: [(line: Int, cells: [String])]
    }

    static func readTable(_ path: String) throws -> Table {
        let data = try AtomicFile.read(path)
        let stream = InputStream(data: data)
        let reader: CSVReader
        do { reader = try CSVReader(stream: stream, hasHeaderRow: true) } catch {
            throw InputError(file: path, at: "line 1", "cannot read the header row: \(error)")
        }
        guard let header = reader.headerRow, !header.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw InputError(file: path, at: "line 1", "the file has no header row")
        }
        var rows: [(Int, [String])] = []
        var line = 1
        while let row = reader.next() {
            line += 1
            // Blank rows (spreadsheets often export a few at the end) are skipped.
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            rows.append((line, row))
        }
        if let error = reader.error { throw InputError(file: path, at: "line \(line + 1)", "malformed CSV: \(error)") }
        return Table(file: path, header: header.map { $0.trimmingCharacters(in: .whitespaces) }, rows: rows)
    }

    /// Reads people from a table into the JSON shape a cohort file has, so that one validator
    /// serves both; positions are recorded to turn JSON paths back into line and column.
    static func people(_ table: Table, columns: [String: String]) throws -> ([JSONValue], [String: String]) {
        var fieldColumn: [String: Int] = [:]
        for (c, h) in table.header.enumerated() {
            let k = key(h)
            if let f = columns[k] ?? fields.first(where: { key($0) == k }) { fieldColumn[f] = c }
        }
        guard fieldColumn["id"] != nil else {
            throw InputError(file: table.file, at: "line 1", "no \"id\" column (headers: \(table.header.joined(separator: ", "))); map one with --columns \"HEADER=id\"")
        }
        let listFields: Set<String> = ["interests", "offers", "needs", "qualifications", "requires", "preferences",
                                       "availability", "unavailableDates", "requireRoomFeatures"]
        let numberFields: Set<String> = ["age", "yearGroup", "capacity", "priority"]
        var out: [JSONValue] = []
        var positions: [String: String] = [:]
        for (k, row) in table.rows.enumerated() {
            var obj: [(String, JSONValue)] = []
            for (field, c) in fieldColumn.sorted(by: { $0.value < $1.value }) {
                let cell = c < row.cells.count ? row.cells[c].trimmingCharacters(in: .whitespaces) : ""
                positions["[\(k)].\(field)"] = "line \(row.line), column \(c + 1) (\(table.header[c]))"
                if cell.isEmpty { continue }
                if listFields.contains(field) {
                    obj.append((field, .array(splitList(cell).map { .string($0) })))
                } else if numberFields.contains(field), let x = Double(cell) {
                    obj.append((field, .number(x)))
                } else if field == "genderPreference" && cell.contains(";") {
                    obj.append((field, .array(splitList(cell).map { .string($0) })))
                } else {
                    obj.append((field, .string(cell)))
                }
            }
            positions["[\(k)]"] = "line \(row.line)"
            out.append(.object(obj))
        }
        return (out, positions)
    }

    static func pairsTable(_ path: String, _ names: [String]) throws -> ([JSONValue], [String: String]) {
        let table = try readTable(path)
        var col: [String: Int] = [:]
        for (c, h) in table.header.enumerated() { col[key(h)] = c }
        for n in names.prefix(2) where col[key(n)] == nil {
            throw InputError(file: path, at: "line 1", "no \"\(n)\" column (expected columns: \(names.joined(separator: ", ")))")
        }
        var out: [JSONValue] = []
        var positions: [String: String] = [:]
        for (k, row) in table.rows.enumerated() {
            var obj: [(String, JSONValue)] = []
            for n in names {
                guard let c = col[key(n)] else { continue }
                let cell = c < row.cells.count ? row.cells[c].trimmingCharacters(in: .whitespaces) : ""
                positions["[\(k)].\(n)"] = "line \(row.line), column \(c + 1) (\(table.header[c]))"
                if !cell.isEmpty { obj.append((n, .string(cell))) }
            }
            positions["[\(k)]"] = "line \(row.line)"
            out.append(.object(obj))
        }
        return (out, positions)
    }

    /// Imports the CSVs and validates the result like a cohort file. Diagnostics point at the CSV
    /// line and column, never at an intermediate JSON path.
    public static func cohort(mentors: String, mentees: String, exclusions: String? = nil, locked: String? = nil,
                              timetableSetup: String? = nil,
                              columns: [String: String] = [:], policy: Policy = .default) throws -> Cohort {
        let (m, mPos) = try people(try readTable(mentors), columns: columns)
        let (e, ePos) = try people(try readTable(mentees), columns: columns)
        var top: [(String, JSONValue)] = []
        if let timetableSetup { top = try setup(timetableSetup) }
        top += [("mentors", .array(m)), ("mentees", .array(e))]
        var sources: [String: (String, [String: String])] = ["mentors": (mentors, mPos), "mentees": (mentees, ePos)]
        if let exclusions {
            let (x, pos) = try pairsTable(exclusions, ["a", "b", "reason"])
            top.append(("exclusions", .array(x))); sources["exclusions"] = (exclusions, pos)
        }
        if let locked {
            let (l, pos) = try pairsTable(locked, ["mentor", "mentee"])
            top.append(("locked", .array(l))); sources["locked"] = (locked, pos)
        }
        let (cohort, diagnostics) = CohortReader.validate(.object(top), file: "(import)", policy: policy)
        let errors = diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty { throw InputError(errors.map { translate($0, sources, setup: timetableSetup) }) }
        return cohort
    }

    /// The cohort-level timetable keys of a setup file; any other key is an error naming it.
    static func setup(_ path: String) throws -> [(String, JSONValue)] {
        guard case .object(let o) = try JSONValue.parseDocument(try InputFile.read(path), file: path) else {
            throw InputError(file: path, "must be an object with \(naturalList(setupKeys.map { "\"\($0)\"" }))")
        }
        let unknown = o.map(\.0).filter { !setupKeys.contains($0) }
        if !unknown.isEmpty {
            throw InputError(unknown.map { Diagnostic(file: path, at: "$.\($0)", "unknown key; a timetable setup holds \(naturalList(setupKeys))") })
        }
        guard o.contains(where: { $0.0 == "slots" }) else { throw InputError(file: path, at: "$", "has no \"slots\"") }
        return o
    }

    /// `$.mentees[3].age` → `mentees.csv: line 5, column 3 (Age)`.
    static func translate(_ d: Diagnostic, _ sources: [String: (String, [String: String])], setup: String? = nil) -> Diagnostic {
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
        guard let (file, positions) = sources[list] else { return out }
        out.file = file
        // Try the longest prefix of the remaining path that we recorded.
        var tail = String(rest[bracket...])
        while !tail.isEmpty {
            if let pos = positions[tail] { out.location = pos; return out }
            guard let cut = tail.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            tail = String(tail[..<cut])
        }
        return out
    }
}
