import Foundation

/// Reads CSV text into a ``SheetTable``, knowing where every record starts.
///
/// Written here instead of using CSV.swift (which the project still uses to write CSV): its
/// reader counts records, not lines, so once a quoted cell holds a line break every later line
/// number is wrong; and a stray opening quote makes it read on to the next quote or the end of
/// the file as one cell, with no way to learn where that quote was. Both losses were silent (4
/// mentors imported instead of 6, exit 0). This reader reports an unclosed quote at the line and
/// column where it opened, text after a closing quote where it is, and every record with more or
/// fewer cells than the header at its line, so nothing is ever merged or padded quietly.
///
/// Accepted, as real exports write them: comma, semicolon (Excel where the decimal mark is a
/// comma) or tab (Excel's "Unicode Text") separators, found from the header line or an Excel
/// `sep=;` first line; CRLF, LF or old-Mac CR line ends; quoted cells with separators, doubled
/// quotes and line breaks; a quote inside an unquoted cell (`5'2"`) kept as text; blank lines
/// and rows of empty cells (skipped); empty cells past the last header (dropped: they hold nothing).
enum CSVParser {
    struct Record {
        var line: Int
        var cells: [String]
        /// A quoted cell that spans lines: where it opened and the line it closed on.
        var multiLine: (line: Int, column: Int, closedOn: Int)?
    }

    static func table(text: String, file: String, notes: [String] = []) throws -> SheetTable {
        var scalars = Array(text.unicodeScalars)
        var notes = notes
        var firstLine = 1
        // Excel's "sep=;" hint line names the separator.
        var separator: Unicode.Scalar? = nil
        if scalars.count >= 5, String(String.UnicodeScalarView(scalars.prefix(4))).lowercased() == "sep=" {
            separator = scalars[4]
            var k = 5
            while k < scalars.count, scalars[k] == "\r" || scalars[k] == " " { k += 1 }
            if k < scalars.count, scalars[k] == "\n" { k += 1 }
            scalars.removeFirst(k)
            firstLine = 2
        }
        let sep = separator ?? detectSeparator(scalars)
        if sep == ";" { notes.append("\(file): cells are separated by semicolons (as Excel writes CSV where the decimal mark is a comma)") }
        if sep == "\t" { notes.append("\(file): cells are separated by tabs") }
        let records = try parse(scalars, separator: sep, file: file, firstLine: firstLine)
        var nonBlank = records.filter { !$0.cells.allSatisfy { isBlank($0) } }
        let titles = titleRows(nonBlank.map(\.cells))
        if titles > 0 {
            notes.append(titleNote(file: file, lines: nonBlank.prefix(titles).map { ($0.line, $0.cells) }, where: "line"))
            nonBlank.removeFirst(titles)
        }
        guard let headerRecord = nonBlank.first else {
            throw InputError(file: file, at: "line 1", "the file is empty: it has no header row (the first row must name the columns, e.g. id, name, age)")
        }
        var header = headerRecord.cells.map { trimmed($0) }
        while let last = header.last, last.isEmpty { header.removeLast() }
        let width = header.count
        var rows: [SheetTable.Row] = []
        var problems: [Diagnostic] = []
        let located = SheetTable(file: file, format: .csv, header: header, headerLine: headerRecord.line, rows: [])
        for record in nonBlank.dropFirst() {
            var cells = record.cells
            while cells.count > width, let last = cells.last, isBlank(last) { cells.removeLast() }
            if cells.count != width {
                var message = "this row has \(cells.count) cell\(cells.count == 1 ? "" : "s") but the header (line \(headerRecord.line)) has \(width)"
                if let m = record.multiLine {
                    message += "; a quoted cell opened at line \(m.line), column \(m.column) and closed on line \(m.closedOn), so those lines were read as one row: is the quote at line \(m.line) a stray one? Remove it, or write a quote mark inside a cell as two (\"\")"
                } else if cells.count > width {
                    let extra = cells[width...].first { !isBlank($0) } ?? ""
                    message += " (\"\(short(extra))\" has no column): a cell may hold an unquoted \"\(String(sep))\"; put such a cell in quotes, or add a header for the extra column"
                } else {
                    message += ": cells are missing at the end of the row; add the missing \"\(String(sep))\" separators, or save the file again from the spreadsheet"
                }
                problems.append(located.diagnostic(line: record.line, message))
                continue
            }
            rows.append(SheetTable.Row(line: record.line, cells: cells))
        }
        if !problems.isEmpty {
            if problems.count > 20 {
                let more = problems.count - 20
                problems = Array(problems.prefix(20))
                problems.append(Diagnostic(file: file, at: "", "and \(more) more rows with the wrong number of cells"))
            }
            throw InputError(problems)
        }
        return SheetTable(file: file, format: .csv, header: header, headerLine: headerRecord.line, rows: rows, notes: notes)
    }

    /// Title rows above the header ("Year 7 intake, autumn 2026" in the first cell, nothing else),
    /// as schools' exports often have: the number of leading rows with one filled cell when a row
    /// with two or more follows within the first ten. A one-column table has no title rows.
    static func titleRows(_ rows: [[String]]) -> Int {
        func filled(_ cells: [String]) -> Int { cells.filter { !isBlank($0) }.count }
        guard let k = rows.prefix(10).firstIndex(where: { filled($0) >= 2 }), k > 0 else { return 0 }
        return rows.prefix(k).allSatisfy { filled($0) == 1 } ? k : 0
    }

    static func titleNote(file: String, lines: [(Int, [String])], where word: String) -> String {
        let texts = lines.map { line, cells in "\(word) \(line): \"\(cells.first { !isBlank($0) }!.trimmingCharacters(in: .whitespaces))\"" }
        return "\(file): the header is the first row with several columns; the title\(lines.count == 1 ? "" : "s") above it (\(texts.joined(separator: ", "))) \(lines.count == 1 ? "was" : "were") skipped"
    }

    /// The separator of the first non-blank line (outside quotes): tab, semicolon or comma.
    static func detectSeparator(_ s: [Unicode.Scalar]) -> Unicode.Scalar {
        var counts: [Unicode.Scalar: Int] = [",": 0, ";": 0, "\t": 0]
        var quoted = false, seenText = false
        for c in s {
            if c == "\"" { quoted.toggle(); continue }
            if !quoted && (c == "\n" || c == "\r") { if seenText { break } else { continue } }
            if quoted { continue }
            if counts[c] != nil { counts[c]! += 1 }
            if c != " " { seenText = true }
        }
        let tabs = counts["\t"]!, semis = counts[";"]!, commas = counts[","]!
        if tabs > 0 && tabs >= max(semis, commas) { return "\t" }
        if semis > commas { return ";" }
        return ","
    }

    /// Splits text into records. Throws at an unclosed quote (where it opened) or text after a
    /// closing quote (where it is): past either, positions would be guesses.
    static func parse(_ s: [Unicode.Scalar], separator: Unicode.Scalar, file: String, firstLine: Int = 1) throws -> [Record] {
        var records: [Record] = []
        var line = firstLine, column = 1
        var k = 0
        let n = s.count
        var cells: [String] = []
        var recordLine = line
        var multiLine: (line: Int, column: Int, closedOn: Int)? = nil
        var cell = String.UnicodeScalarView()

        func endRecord() {
            records.append(Record(line: recordLine, cells: cells, multiLine: multiLine))
            cells = []; multiLine = nil
        }
        /// Consumes a line break at k (CRLF, LF or CR) and moves to the next line.
        func lineBreak() {
            if s[k] == "\r" && k + 1 < n && s[k + 1] == "\n" { k += 1 }
            k += 1; line += 1; column = 1
        }

        while k < n {
            // Start of a cell.
            if cells.isEmpty { recordLine = line }
            cell = String.UnicodeScalarView()
            // Spaces before an opening quote (`a, "b, c"`) are not part of the cell.
            var q = k
            while q < n && s[q] == " " { q += 1 }
            if q < n && s[q] == "\"" {
                let openLine = line, openColumn = column + (q - k)
                column += q - k + 1
                k = q + 1
                var closed = false
                while k < n {
                    let c = s[k]
                    if c == "\"" {
                        if k + 1 < n && s[k + 1] == "\"" { cell.append("\""); k += 2; column += 2; continue }
                        k += 1; column += 1; closed = true; break
                    }
                    if c == "\n" || c == "\r" {
                        cell.append("\n")
                        lineBreak()
                        continue
                    }
                    cell.append(c); k += 1; column += 1
                }
                if !closed {
                    throw InputError([Diagnostic(file: file, at: "line \(openLine), column \(openColumn)",
                                                 "a quote opens here and is never closed, so everything after it would be read as one cell; remove the stray quote, or close it (a quote mark inside a cell is written as two: \"\")",
                                                 line: openLine, column: openColumn)])
                }
                if line != openLine { multiLine = (openLine, openColumn, line) }
                // Only spaces may follow a closing quote before the separator or the line end.
                while k < n && s[k] == " " { k += 1; column += 1 }
                if k < n && s[k] != separator && s[k] != "\n" && s[k] != "\r" {
                    var rest = String.UnicodeScalarView()
                    var m = k
                    while m < n && m < k + 20 && s[m] != "\n" && s[m] != "\r" { rest.append(s[m]); m += 1 }
                    throw InputError([Diagnostic(file: file, at: "line \(line), column \(column)",
                                                 "text (\"\(String(rest))\") follows the closing quote of a cell that opened at line \(openLine), column \(openColumn); a quote mark inside a cell must be written as two (\"\"), or the whole cell put in quotes",
                                                 line: line, column: column)])
                }
            } else {
                while k < n && s[k] != separator && s[k] != "\n" && s[k] != "\r" { cell.append(s[k]); k += 1; column += 1 }
            }
            cells.append(String(cell))
            if k >= n { endRecord(); break }
            if s[k] == separator {
                k += 1; column += 1
                if k >= n { cells.append(""); endRecord() }
                continue
            }
            // A line break ends the record.
            lineBreak()
            endRecord()
        }
        return records
    }

    private static func short(_ s: String) -> String { s.count > 30 ? String(s.prefix(30)) + "…" : s }
}
