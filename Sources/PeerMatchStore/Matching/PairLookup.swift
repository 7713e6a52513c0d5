import Foundation
import GRDB
import PeerMatch

extension SchemeStore {
    /// One pair of a term as the pairs page shows it (its latest record that is not superseded),
    /// without reading the whole term: for pages about one pair (move a session, end a pair).
    public func pair(_ ref: PairRef) throws -> StoredPair {
        try read { db in
            let row = try resolvePair(db, ref)
            let names = try Row.fetchAll(db, sql: "SELECT person_id, name FROM person_version WHERE term_id = ? AND superseded_at IS NULL AND person_id IN (?, ?)",
                                         arguments: [ref.term, ref.mentor, ref.mentee])
            var byID: [PersonID: String] = [:]
            for r in names { byID[(r["person_id"] as PersonID)] = r["name"] }
            guard let full = try Row.fetchOne(db, sql: "SELECT * FROM pair WHERE id = ?", arguments: [row.id]) else {
                throw StoreError.notFound("pair \(ref) is not in term \(ref.term)")
            }
            return storedPair(full, names: byID)
        }
    }

    /// The names of the term's people (current versions), by id.
    public func names(term: TermID) throws -> [PersonID: String] {
        try read { db in
            _ = try requireTerm(term, db)
            return try personNames(db, term: term)
        }
    }
}
