import Foundation
import GRDB
import PeerMatch
@testable import PeerMatchStore

/// A scheme file in a fresh temporary folder, with a fixed clock so stored times are known.
struct TempScheme {
    let folder: URL
    let path: String
    let store: SchemeStore
    static let sam = Actor("sam")

    init(name: String = "Northfield peer mentoring", clock: Date = Date(timeIntervalSince1970: 1_788_000_000)) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pm-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("scheme.peermatch").path
        store = try SchemeStore.create(at: path, name: name, by: Self.sam, options: StoreOptions(clock: { clock }))
    }

    func reopen() throws -> SchemeStore { try SchemeStore.open(at: path, options: StoreOptions(clock: { Date(timeIntervalSince1970: 1_788_000_000) })) }
}

enum Fixture {
    static var folder: URL { Bundle.module.url(forResource: "Fixtures", withExtension: nil)! }
    static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }
    static func file(_ name: String) throws -> ImportFile {
        ImportFile(name: name.components(separatedBy: "/").last!, data: try Data(contentsOf: url(name)))
    }
    static func setup(_ name: String) throws -> TermSetupInput {
        try TermSetupInput.parse(try Data(contentsOf: url(name)), file: name)
    }

    /// The year fixture's autumn term, imported.
    static func autumn(_ s: TempScheme) throws {
        try s.store.addTerm(id: "2026-autumn", name: "Autumn 2026", setup: try setup("year/autumn-setup.yaml"), by: TempScheme.sam)
        _ = try s.store.importSpreadsheets(term: "2026-autumn", files: ImportFiles(
            mentors: try file("year/autumn-mentors.csv"), mentees: try file("year/autumn-mentees.csv"),
            exclusions: try file("year/autumn-exclusions.csv")), by: TempScheme.sam)
    }
}

/// Rows of a table counted directly, to check what a verb did or did not write.
func count(_ store: SchemeStore, _ table: String, _ filter: String = "1") throws -> Int {
    try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE \(filter)") ?? 0 }
}
