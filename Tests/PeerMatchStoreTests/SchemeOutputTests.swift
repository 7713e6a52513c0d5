import Foundation
import Testing
import PeerMatch
@testable import PeerMatchStore

/// Issue 15 for the scheme verbs' files: `scheme timetable --csv --html --calendar` writes all
/// three or none (a bad --calendar used to come after the CSV and the page were written), a
/// device given as an output is written in place and never replaced, the scheme file is never
/// written over however it is spelled, and every file written is readable by its owner only.
@Suite(.serialized) struct SchemeOutputTests {
    typealias R = ReliabilityTests

    /// Everything under `dir` but the scheme file itself and SQLite's files beside it (the
    /// store's own writes are transactional, and opening it may touch them): path -> kind, size,
    /// mode and modification time.
    func snapshot(_ dir: URL) throws -> [String: String] {
        var all: [String: String] = [:]
        let fm = FileManager.default
        for name in try fm.subpathsOfDirectory(atPath: dir.path) where !name.hasPrefix("s.peermatch") {
            let a = try fm.attributesOfItem(atPath: dir.appendingPathComponent(name).path)
            all[name] = "\(a[.type] ?? "") \(a[.size] ?? 0) \(a[.posixPermissions] ?? 0) \(a[.modificationDate].map { "\($0)" } ?? "")"
        }
        return all
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: R.binary), "build the peermatch binary first (swift build)"))
    func timetableFilesAllOrNoneAndPrivate() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pm-scheme-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.peermatch").path
        let year = Fixture.folder.appendingPathComponent("year").path
        let env = ["PEERMATCH_SCHEME": file, "PEERMATCH_CLOCK": "2026-09-01T08:00:00Z"]
        func run(_ args: [String]) throws -> (code: Int32, out: String, err: String) { try R.run(["scheme"] + args, env: env) }
        for args in [["init", file, "--name", "Northfield"],
                     ["term", "add", "2026-autumn", "--setup", "\(year)/autumn-setup.yaml", "--name", "Autumn 2026", "--by", "sam"],
                     ["import", "\(year)/autumn-mentors.csv", "\(year)/autumn-mentees.csv"],
                     ["match"]] {
            let r = try run(args)
            try #require(r.code == 0, "\(args): \(r.err)")
        }
        let csv = dir.appendingPathComponent("t.csv").path, html = dir.appendingPathComponent("t.html").path
        let cal = dir.appendingPathComponent("cal").path

        // A calendar folder that cannot be made: nothing at all is written, and the folder is as it was.
        let before = try snapshot(dir)
        var r = try run(["timetable", "--csv", csv, "--html", html, "--calendar", dir.appendingPathComponent("nodir/cal").path])
        #expect(r.code == 1 && r.err.contains("does not exist"), "\(r.err)")
        #expect(try snapshot(dir) == before, "a failing scheme timetable changed its folder")
        // The scheme file, however spelled, is refused before anything is written.
        r = try run(["timetable", "--csv", csv, "--html", file + "/"])
        #expect(r.code != 0 && !FileManager.default.fileExists(atPath: csv), "\(r.err)")
        r = try run(["report", "--out", dir.path + "/./s.peermatch"])
        #expect(r.code != 0 && r.err.contains("refusing to overwrite"), "\(r.err)")
        #expect(try snapshot(dir) == before)

        // All three, each readable by its owner only.
        r = try run(["timetable", "--csv", csv, "--html", html, "--calendar", cal])
        #expect(r.code == 0, "\(r.err)")
        for path in [csv, html] {
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600, "\(path)")
        }
        #expect(try FileManager.default.attributesOfItem(atPath: cal)[.posixPermissions] as? Int == 0o700)
        let calendars = try FileManager.default.contentsOfDirectory(atPath: cal)
        #expect(!calendars.isEmpty && calendars.allSatisfy { $0.hasSuffix(".ics") })
        // Again: the previous calendars are replaced whole, the files replaced in place.
        r = try run(["timetable", "--csv", csv, "--html", html, "--calendar", cal])
        #expect(r.code == 0, "\(r.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cal).sorted() == calendars.sorted())

        // A private character device (a copy of /dev/null made with mknod) is written, not replaced.
        if geteuid() == 0 {
            let null = dir.appendingPathComponent("null").path
            try #require(mknod(null, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0, "mknod: \(String(cString: strerror(errno)))")
            r = try run(["report", "--out", null])
            #expect(r.code == 0, "\(r.err)")
            var st = stat()
            #expect(stat(null, &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR, "the device was replaced")
        }
    }
}
