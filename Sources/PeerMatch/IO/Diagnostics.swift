/// One problem found in an input file: where it is and what is wrong.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }
    public var severity: Severity
    /// The file, as the user named it.
    public var file: String
    /// A JSON path (`$.mentors[3].age`) or a CSV position (`line 4, column 3 (age)`); empty for the whole file.
    public var location: String
    public var message: String

    public init(_ severity: Severity = .error, file: String, at location: String, _ message: String) {
        self.severity = severity; self.file = file; self.location = location; self.message = message
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
