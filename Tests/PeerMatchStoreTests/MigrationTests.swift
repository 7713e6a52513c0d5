import Foundation
import GRDB
import Testing
import PeerMatch
@testable import PeerMatchStore

/// A file written by the first schema's code (Fixtures/migrations/scheme-v1.peermatch, made by
/// make-scheme-v1.sh with commit f69c632) opens with this code, upgrades, keeps every row, and
/// shows the same pairs as the first version showed (its `show --format json` is kept beside it).
@Suite struct MigrationTests {
    /// A copy of the fixture in a temporary folder (opening upgrades the file in place).
    func copyOfV1() throws -> (URL, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pm-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("scheme.peermatch").path
        try FileManager.default.copyItem(atPath: Fixture.url("migrations/scheme-v1.peermatch").path, toPath: path)
        return (dir, path)
    }

    func counts(_ path: String) throws -> [String: Int] {
        let q = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        return try q.read { db in
            var out: [String: Int] = [:]
            for t in ["term", "person", "person_version", "import_batch", "exclusion", "match_run", "pair", "pair_event", "audit"] {
                out[t] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(t)")
            }
            out["migrations"] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations")
            return out
        }
    }

    @Test func firstSchemaFileUpgradesAndKeepsEveryRow() throws {
        let (dir, path) = try copyOfV1()
        let before = try counts(path)
        #expect(before["migrations"] == 1)
        #expect(before["term"] == 2 && before["person"] == 11 && before["pair"]! >= 10)

        let store = try SchemeStore.open(at: path)
        let summary = try store.scheme()
        #expect(summary.schemaVersion == Schema.version && Schema.version >= 2)
        var after = try counts(path)
        #expect(after["migrations"] == Schema.version)
        after["migrations"] = before["migrations"]
        #expect(after == before, "every v1 row is still there")
        // The file as it was is kept beside it, readable by its owner only.
        let backup = path + ".schema-v1.backup"
        #expect(try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? Int == 0o600)
        #expect(try counts(backup)["migrations"] == 1)

        // The pairs read back as the first version showed them.
        for (term, file) in [("2026-autumn", "migrations/scheme-v1.autumn.json"), ("2027-spring", "migrations/scheme-v1.spring.json")] {
            let old = try JSONValue.parseJSON(try Data(contentsOf: Fixture.url(file)), file: file)
            guard case .array(let pairs)? = old["pairs"] else { Issue.record("no pairs in \(file)"); continue }
            let then = pairs.map { p -> String in
                guard case .string(let m)? = p["mentor"], case .string(let e)? = p["mentee"], case .string(let s)? = p["state"] else { return "?" }
                return "\(m):\(e) \(s)"
            }.sorted()
            let now = try store.proposals(term: TermID(term)).pairs.map { "\($0.ref) \($0.state.rawValue)" }.sorted()
            #expect(now == then, "\(term)")
        }
        // The upgraded file takes every later verb: records, outcomes (a v2 table), a new match.
        let ella = try store.pairRef("e1", term: "2026-autumn")
        try store.record([SessionRecordInput(pair: ella, date: CalendarDate("2026-09-10")!, outcome: .held)], by: Actor("test"))
        try store.recordOutcome(OutcomeInput(term: "2026-autumn", person: "e1", measure: "swemwbs", phase: .pre,
                                             date: CalendarDate("2026-09-08")!, total: 21), by: Actor("test"))
        try store.match(term: "2027-spring", by: Actor("test"))
        #expect(try store.report(term: "2026-autumn").sessions.held == 1)
        // Opening again changes nothing more.
        _ = try SchemeStore.open(at: path)
        #expect(try counts(path)["migrations"] == Schema.version)
        try? FileManager.default.removeItem(at: dir)
    }

    /// A file from a newer PeerMatch (a migration this code does not know) is refused, with every
    /// row as it was. (Its bytes may differ: GRDB's pool makes sure a write-ahead log exists by
    /// creating and dropping an empty table, which only bumps SQLite's schema counter.)
    @Test func newerFileIsRefused() throws {
        let (dir, path) = try copyOfV1()
        let q = try DatabaseQueue(path: path)
        try q.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')") }
        try q.close()
        let before = try counts(path)
        #expect { try SchemeStore.open(at: path) } throws: { ($0 as? StoreError)?.description.contains("newer PeerMatch") == true }
        #expect(try counts(path) == before)
        #expect(!FileManager.default.fileExists(atPath: path + ".schema-v1.backup"))
        try? FileManager.default.removeItem(at: dir)
    }

    /// An SQLite file that is not a scheme is refused with words, not opened or changed.
    @Test func foreignDatabaseIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pm-foreign-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("other.sqlite").path
        let q = try DatabaseQueue(path: path)
        try q.write { db in try db.execute(sql: "CREATE TABLE notes (t TEXT)") }
        try q.close()
        #expect { try SchemeStore.open(at: path) } throws: { ($0 as? StoreError)?.description.contains("not a PeerMatch scheme") == true }
        try? FileManager.default.removeItem(at: dir)
    }
}
