import Foundation
import PeerMatch

/// A small table the co-ordinator keeps (a register, an outcomes sheet), read by the core's
/// spreadsheet reader (CSV in any of its encodings, or a workbook's sheet): header cells matched
/// to known columns by their normalised words, rows with their lines, and problems located at
/// the file, line (or row) and column.
struct SheetRows {
    var table: SheetTable
    var file: String { table.displayName }
    var rows: [(line: Int, cells: [String])] { table.rows.map { ($0.line, $0.cells) } }
    /// Column index (0-based) of each known column found.
    var column: [String: Int]

    /// `columns`: each known column with the header words that name it ("outcome": ["outcome", "status", "attendance"]).
    init(_ file: ImportFile, columns: [String: [String]], required: [String]) throws {
        do { table = try SpreadsheetReader.read(file) } catch let e as InputError { throw StoreError(e) }
        var column: [String: Int] = [:]
        for (k, h) in table.header.enumerated() {
            let key = normalisedWord(h)
            if let (name, _) = columns.sorted(by: { $0.key < $1.key }).first(where: { $0.value.contains(key) }), column[name] == nil { column[name] = k }
        }
        let missing = required.filter { column[$0] == nil }
        if !missing.isEmpty {
            throw StoreError(.invalid, "\(table.displayName): \(table.location(line: table.headerLine)): no \(missing.map { "\"\($0)\"" }.joined(separator: ", ")) column (headers: \(table.header.joined(separator: ", ")); expected \(required.joined(separator: ", ")))")
        }
        self.column = column
    }

    /// The trimmed cell of a known column on a row ("" when absent).
    func cell(_ row: [String], _ name: String) -> String {
        guard let k = column[name], k < row.count else { return "" }
        return row[k].trimmingCharacters(in: .whitespaces)
    }

    /// "register.csv: line 4, column 2 (Outcome)".
    func at(_ line: Int, _ name: String) -> String {
        "\(file): " + table.location(line: line, column: column[name].map { $0 + 1 })
    }
}

extension SchemeStore {
    /// Records a register kept as a CSV: columns date, mentor, mentee, outcome (held, missed by
    /// mentee, missed by mentor, cancelled, closure; also attended, DNA, closed), and optionally
    /// minutes and note. Every row is checked before anything is written; each problem names the
    /// line and column. Importing the same register again records nothing new.
    @discardableResult
    public func importRegister(term: TermID, csv: ImportFile, by actor: Actor) throws -> RecordSummary {
        let sheet = try SheetRows(csv, columns: [
            "date": ["date", "sessiondate", "day"], "mentor": ["mentor", "mentorid"], "mentee": ["mentee", "menteeid"],
            "outcome": ["outcome", "status", "attendance", "attended"], "minutes": ["minutes", "duration", "mins"],
            "note": ["note", "notes", "comment", "comments"],
        ], required: ["date", "mentor", "mentee", "outcome"])
        var inputs: [(SessionRecordInput, String?)] = []
        var problems: [String] = []
        for (line, row) in sheet.rows {
            let dateText = sheet.cell(row, "date"), outcomeText = sheet.cell(row, "outcome"), minutesText = sheet.cell(row, "minutes")
            guard let date = CalendarDate(dateText) else {
                problems.append("\(sheet.at(line, "date")): expected a date such as 2026-09-15, found \"\(dateText)\""); continue
            }
            guard let outcome = SessionOutcome(text: outcomeText) else {
                problems.append("\(sheet.at(line, "outcome")): expected held, missed by mentee, missed by mentor, cancelled or closure, found \"\(outcomeText)\""); continue
            }
            var minutes: Int? = nil
            if !minutesText.isEmpty {
                guard let m = Int(minutesText) else { problems.append("\(sheet.at(line, "minutes")): expected whole minutes, found \"\(minutesText)\""); continue }
                minutes = m
            }
            let note = sheet.cell(row, "note")
            let ref = PairRef(term: term, mentor: PersonID(sheet.cell(row, "mentor")), mentee: PersonID(sheet.cell(row, "mentee")))
            inputs.append((SessionRecordInput(pair: ref, date: date, outcome: outcome, minutes: minutes, note: note.isEmpty ? nil : note),
                           "\(sheet.file): line \(line)"))
        }
        if !problems.isEmpty { throw StoreError(.invalid, problems + ["nothing was recorded"]) }
        guard !inputs.isEmpty else { throw StoreError.invalid("\(csv.name): has no rows") }
        return try write(by: actor) { w in
            let summary = try storeRecords(inputs, w: &w, by: actor, source: csv.name)
            w.audit("register.import", term: term, subject: csv.name,
                    detail: "\(inputs.count) rows: \(summary.added) added, \(summary.corrected) corrected, \(summary.unchanged) unchanged")
            return summary
        }
    }
}
