import Foundation
import Testing
@testable import PeerMatch

/// The sample timetable's files, byte for byte, against reviewed copies in
/// Fixtures/timetable (the HTML was checked in Chromium, the calendars with Python's icalendar).
/// Any change to the output shows up here as a diff to review. After an intended change:
/// `PEERMATCH_UPDATE_GOLDEN=1 swift test --filter TimetableGoldenTests`, then review `git diff`.
@Suite struct TimetableGoldenTests {
    static let folder = Repo.path("Tests/PeerMatchTests/Fixtures/timetable")
    static let update = ProcessInfo.processInfo.environment["PEERMATCH_UPDATE_GOLDEN"] != nil

    func check(_ name: String, _ text: String) throws {
        let path = Self.folder + "/" + name
        if Self.update {
            try FileManager.default.createDirectory(atPath: Self.folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return
        }
        let golden = try #require(FileManager.default.contents(atPath: path), "missing \(path)")
        #expect(Data(text.utf8) == golden, "\(name) differs from its golden copy")
    }

    @Test func sampleFilesMatchTheirReviewedCopies() throws {
        let v = TimetableFixture.sample()
        try check("sample.csv", TimetableCSV.render(v))
        try check("sample.html", HTMLReport.render(v))
        for f in try ICalendarWriter.files(for: v) where ["room-lib.ics", "person-m4.ics"].contains(f.name) {
            try check(f.name, f.text)
        }
    }
}
