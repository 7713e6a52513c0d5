import Foundation

/// A spreadsheet as the user gave it: the name shown in messages, and its bytes. The web page
/// receives uploads, not paths, so every import works on this; the CLI reads a path into one.
public struct ImportFile: Sendable, Hashable {
    /// The name used in every message ("mentors.csv", or a path as typed).
    public var name: String
    public var data: Data

    public init(name: String, data: Data) { self.name = name; self.data = data }

    /// Reads a file from disk; the path is its name in messages.
    public static func read(path: String) throws -> ImportFile {
        ImportFile(name: path, data: try AtomicFile.read(path))
    }
}

/// One parsed sheet: the header and the rows with their line (CSV) or row (xlsx) numbers, plus
/// notes on how it was read ("read as Windows-1252").
public struct SheetTable: Sendable, Hashable {
    public enum Format: String, Sendable, Hashable { case csv, xlsx }

    /// A data row: where it starts in the file and its cells (the same count as the header;
    /// rows of a CSV with another count are errors, never padded or merged).
    public struct Row: Sendable, Hashable {
        /// CSV: the physical line the record starts on (a quoted cell may hold line breaks, so
        /// this is not the record's ordinal). xlsx: the sheet's row number.
        public var line: Int
        public var cells: [String]
        public init(line: Int, cells: [String]) { self.line = line; self.cells = cells }
    }

    /// The file's name, as in ``ImportFile/name``.
    public var file: String
    public var format: Format
    /// xlsx: the sheet that was read; nil for CSV.
    public var sheet: String?
    /// Header cells, trimmed, in column order.
    public var header: [String]
    /// The line (CSV) or row (xlsx) the header is on.
    public var headerLine: Int
    /// Data rows; blank rows are left out.
    public var rows: [Row]
    /// How the file was read, in plain words ("read as Windows-1252 (the bytes are not UTF-8)").
    public var notes: [String]

    public init(file: String, format: Format, sheet: String? = nil, header: [String], headerLine: Int = 1,
                rows: [Row], notes: [String] = []) {
        self.file = file; self.format = format; self.sheet = sheet; self.header = header
        self.headerLine = headerLine; self.rows = rows; self.notes = notes
    }

    /// The name of a 1-based column as a spreadsheet shows it: A, B, ..., Z, AA, ...
    public static func columnLetters(_ column: Int) -> String {
        var n = column, out = ""
        while n > 0 { let r = (n - 1) % 26; out = String(UnicodeScalar(UInt8(65 + r))) + out; n = (n - 1) / 26 }
        return out
    }

    /// `line 4, column 3 (Age)` for a CSV, `row 4, column C (Age)` for a sheet of a workbook: the
    /// way each program numbers its cells, so the user finds the cell where they would look.
    public func location(line: Int, column: Int? = nil) -> String {
        let prefix = (format == .csv ? "line \(line)" : "row \(line)")
        guard let column else { return prefix }
        let name = format == .csv ? String(column) : Self.columnLetters(column)
        let header = column >= 1 && column <= self.header.count && !self.header[column - 1].isEmpty ? " (\(self.header[column - 1]))" : ""
        return "\(prefix), column \(name)\(header)"
    }

    /// The file name as messages give it: `intake.xlsx [Mentors]` for a workbook's sheet.
    public var displayName: String { sheet.map { "\(file) [\($0)]" } ?? file }

    /// A diagnostic at a cell (or a whole row when `column` is nil), with the structured position filled in.
    public func diagnostic(_ severity: Diagnostic.Severity = .error, line: Int, column: Int? = nil, _ message: String) -> Diagnostic {
        let header = column.flatMap { $0 >= 1 && $0 <= self.header.count ? self.header[$0 - 1] : nil }
        return Diagnostic(severity, file: displayName, at: location(line: line, column: column), message,
                          line: line, column: column, header: header)
    }
}
