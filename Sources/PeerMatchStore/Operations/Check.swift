import Foundation
import GRDB
import PeerMatch

extension SchemeStore {
    /// Everything wrong with the file (empty when nothing is): SQLite's own integrity and foreign
    /// key checks, then the store's rules: at most one live pair per mentee in a term, no mentor
    /// over capacity with live pairs, every pair's people in its term, revision and audit in step.
    public func check() throws -> [String] {
        try read { db in
            var problems: [String] = []
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            if integrity != ["ok"] { problems += integrity.map { "integrity: \($0)" } }
            for r in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                problems.append("foreign key: table \(r[0] as String? ?? "?") row \(r[1] as Int64? ?? -1) refers to a missing \(r[2] as String? ?? "?") row")
            }
            for r in try Row.fetchAll(db, sql: """
                SELECT term_id, mentee_id, COUNT(*) AS n FROM pair WHERE state IN ('proposed', 'approved', 'active')
                GROUP BY term_id, mentee_id HAVING n > 1
                """) {
                problems.append("term \(r["term_id"] as String): mentee \(r["mentee_id"] as String) has \(r["n"] as Int) live pairs")
            }
            for r in try Row.fetchAll(db, sql: """
                SELECT p.term_id, p.mentor_id, COUNT(*) AS n FROM pair p WHERE p.state IN ('proposed', 'approved', 'active')
                GROUP BY p.term_id, p.mentor_id
                """) {
                let term: String = r["term_id"], mentor: String = r["mentor_id"], n: Int = r["n"]
                guard let data = try String.fetchOne(db, sql: "SELECT data FROM person_version WHERE term_id = ? AND person_id = ? AND superseded_at IS NULL",
                                                     arguments: [term, mentor]) else {
                    problems.append("term \(term): mentor \(mentor) has live pairs but is not in the term"); continue
                }
                if case .number(let cap)? = (try? CompactJSON.parse(data, what: "person"))?["capacity"], Double(n) > cap {
                    problems.append("term \(term): mentor \(mentor) has \(n) live pairs, capacity \(formatNumber(cap))")
                }
            }
            let revision = try Int.fetchOne(db, sql: "SELECT revision FROM scheme WHERE id = 1") ?? 0
            let audited = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(revision), 0) FROM audit") ?? 0
            if revision != audited { problems.append("revision \(revision) but the last audit row is at revision \(audited)") }
            return problems
        }
    }
}
