import Foundation

/// Reads a spreadsheet the user gave, whatever program wrote it: CSV (UTF-8 with or without a
/// byte-order mark, UTF-16 with one, Windows-1252; comma, semicolon or tab separated) or an
/// Excel workbook (.xlsx). The kind is told from the bytes, not the file name, since downloads
/// and e-mail attachments are often renamed.
public enum SpreadsheetReader {
    /// Reads one table. `sheet` names a workbook's sheet (ignored for CSV); with nil, a sheet
    /// named like one of `preferred` ("Mentors") is read if there is one, else the first sheet.
    /// Throws ``InputError`` with every problem found, each at its line or row and column.
    public static func read(_ file: ImportFile, sheet: String? = nil, preferred: [String] = []) throws -> SheetTable {
        let bytes = file.data.prefix(8)
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return try XLSXReader.table(file.data, file: file.name, sheet: sheet, preferred: preferred)
        }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            throw InputError(file: file.name, "is an old Excel 97–2003 workbook (.xls), which PeerMatch does not read; in Excel use File > Save As > \"Excel Workbook (*.xlsx)\" or \"CSV UTF-8\"")
        }
        if file.data.isEmpty {
            throw InputError(file: file.name, at: "line 1", "the file is empty: it has no header row (the first row must name the columns, e.g. id, name, age)")
        }
        let decoded = try TextDecoding.decode(file.data, file: file.name)
        return try CSVParser.table(text: decoded.text, file: file.name, notes: decoded.note.map { [$0] } ?? [])
    }

    /// The sheet names of a workbook, in tab order; nil for a CSV (which has one table).
    public static func sheetNames(_ file: ImportFile) throws -> [String]? {
        guard file.data.prefix(4).starts(with: [0x50, 0x4B, 0x03, 0x04]) else { return nil }
        return try XLSXReader.sheetNames(file.data, file: file.name)
    }
}
