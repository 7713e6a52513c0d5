import Foundation
import GRDB
import PeerMatch

/// One row of the audit log: every write appends one.
public struct AuditEntry: Sendable, Hashable {
    public var id: Int64
    /// ISO 8601 UTC.
    public var at: String
    public var actor: String
    /// "import", "match", "approve", "end", ...
    public var action: String
    public var term: TermID?
    /// What it was about: pairs, a file, a person.
    public var subject: String
    public var detail: String
    /// The note or reason given, if any.
    public var why: String?
    /// The revision the write made.
    public var revision: Int
}

extension SchemeStore {
    /// The audit log, newest first.
    public func audit(limit: Int = 100, offset: Int = 0, term: TermID? = nil) throws -> [AuditEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit \(term == nil ? "" : "WHERE term_id = ?") ORDER BY id DESC LIMIT ? OFFSET ?",
                             arguments: StatementArguments((term.map { [$0.rawValue] } ?? []) + [max(0, limit), max(0, offset)])).map { r in
                AuditEntry(id: r["id"], at: r["at"], actor: r["actor"], action: r["action"], term: (r["term_id"] as String?).map { TermID($0) },
                           subject: r["subject"], detail: r["detail"], why: r["why"], revision: r["revision"])
            }
        }
    }
}
