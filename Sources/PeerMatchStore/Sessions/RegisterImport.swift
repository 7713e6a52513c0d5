import CSV
import Foundation
import PeerMatch

/// A small table read from a CSV the co-ordinator keeps (a register, an outcomes sheet): header
/// cells matched to known columns by their normalised words, rows with their line numbers, and
/// problems located at the file, line and column.
///
/// Interim: the frontdoor work gives the core a spreadsheet reader for bytes (encodings, xlsx);
/// this then reads through it.
struct SheetRows {
    var file: String
    var header: [String]
    var rows: [(line: Int, cells: [String])]
    /// Column index of each known column found.
    var column: [String: Int]

    /// `columns`: each known column with the header words that name it ("outcome": ["outcome", "status", "attendance"]).
    init(_ file: ImportFile, columns: [String: [String]], required: [String]) throws {
        self.file = file.name
        var data = file.data
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data = data.dropFirst(3) }
        guard String(data: data, encoding: .utf8) != nil else {
            throw StoreError(.invalid, "\(file.name): is not UTF-8 text; save it from the spreadsheet as \"CSV UTF-8\"")
        }
        let reader: CSVReader
        do { reader = try CSVReader(stream: InputStream(data: data), hasHeaderRow: true) } catch {
            throw StoreError(.invalid, "\(file.name): line 1: cannot read the header row: \(error)")
        }
        guard let header = reader.headerRow, !header.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw StoreError(.invalid, "\(file.name): line 1: the file has no header row")
        }
        self.header = header.map { $0.trimmingCharacters(in: .whitespaces) }
        var column: [String: Int] = [:]
        for (k, h) in self.header.enumerated() {
            let key = normalisedWord(h)
            if let (name, _) = columns.first(where: { $0.value.contains(key) }), column[name] == nil { column[name] = k }
        }
        let missing = required.filter { column[$0] == nil }
        if !missing.isEmpty {
            throw StoreError(.invalid, "\(file.name): line 1: no \(missing.map { "\"\($0)\"" }.joined(separator: ", ")) column (headers: \(self.header.joined(separator: ", ")); expected \(required.joined(separator: ", ")))")
        }
        self.column = column
        var rows: [(Int, [String])] = []
        var line = 1
        while let row = reader.next() {
            line += 1
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            rows.append((line, row))
        }
        if let error = reader.error { throw StoreError(.invalid, "\(file.name): line \(line + 1): malformed CSV: \(error)") }
        self.rows = rows
    }

    /// The trimmed cell of a known column on a row ("" when absent).
    func cell(_ row: [String], _ name: String) -> String {
        guard let k = column[name], k < row.count else { return "" }
        return row[k].trimmingCharacters(in: .whitespaces)
    }

    /// "register.csv: line 4, column 2 (Outcome)".
    func at(_ line: Int, _ name: String) -> String {
        guard let k = column[name] else { return "\(file): line \(line)" }
        return "\(file): line \(line), column \(k + 1) (\(header[k]))"
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
