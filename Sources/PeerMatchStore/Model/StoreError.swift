import Foundation
import PeerMatch

/// Every problem a store operation reports: what is wrong, naming the person, term, pair or file,
/// and what to do. The command line prints ``description`` and exits 1; nothing was written.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// A term, person, pair, draft or file that does not exist.
        case notFound
        /// Bad input: a value, a file's contents, a state the operation does not apply to.
        case invalid
        /// The store changed since a plan was made (re-plan), or another writer held it too long.
        case conflict
        /// The database file itself: cannot be opened, is not a scheme, is newer than this program.
        case database
    }

    public var kind: Kind
    /// One line per problem, each naming what it is about.
    public var messages: [String]
    /// Located problems in an input file (CSV line and column, JSON path), when the input was a file.
    public var diagnostics: [Diagnostic]

    public init(_ kind: Kind, _ messages: [String], diagnostics: [Diagnostic] = []) {
        self.kind = kind; self.messages = messages; self.diagnostics = diagnostics
    }
    public init(_ kind: Kind, _ message: String) { self.init(kind, [message]) }

    /// Input problems from the core library (an import, a setup or policy file), kept located.
    init(_ error: InputError, context: String? = nil) {
        self.init(.invalid, context.map { [$0] } ?? [], diagnostics: error.diagnostics)
    }

    public var description: String {
        (messages + diagnostics.map(\.description)).joined(separator: "\n")
    }

    static func notFound(_ message: String) -> StoreError { StoreError(.notFound, message) }
    static func invalid(_ message: String) -> StoreError { StoreError(.invalid, message) }
}
