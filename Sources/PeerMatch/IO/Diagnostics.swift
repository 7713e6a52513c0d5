/// One problem found in an input file: where it is and what is wrong.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }
    public var severity: Severity
    /// The file, as the user named it.
    public var file: String
    /// A JSON path (`$.mentors[3].age`) or a spreadsheet position (`line 4, column 3 (age)` in a
    /// CSV, `row 4, column C (age)` in an xlsx sheet); empty for the whole file.
    public var location: String
    public var message: String
    /// Spreadsheets: the line (CSV) or row (xlsx) the problem is on, 1-based, so a page can
    /// highlight the cell; nil for JSON paths and whole-file problems.
    public var line: Int?
    /// Spreadsheets: the 1-based column index (A = 1), when the problem is in one cell or column.
    public var column: Int?
    /// Spreadsheets: the column's header as written in the file.
    public var header: String?

    public init(_ severity: Severity = .error, file: String, at location: String, _ message: String,
                line: Int? = nil, column: Int? = nil, header: String? = nil) {
        self.severity = severity; self.file = file; self.location = location; self.message = message
        self.line = line; self.column = column; self.header = header
    }

    /// `cohort.json: $.mentors[3].age: must be a number, found "ten"`.
    public var description: String {
        let prefix = severity == .warning ? "warning: " : ""
        return location.isEmpty ? "\(file): \(prefix)\(message)" : "\(file): \(location): \(prefix)\(message)"
    }
}

/// Thrown when an input has errors; carries every diagnostic found, not only the first.
public struct InputError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public init(file: String, at location: String = "", _ message: String) {
        diagnostics = [Diagnostic(file: file, at: location, message)]
    }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
