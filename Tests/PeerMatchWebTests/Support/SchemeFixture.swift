import Foundation
import PeerMatch
@testable import PeerMatchStore

/// A scheme file in a fresh temporary folder, optionally with a timetabled term and its people.
struct SchemeFixture {
    let folder: URL
    let path: String
    let store: SchemeStore
    static let actor = Actor("test")
    static let term: TermID = "2026-autumn"

    init(name: String = "Northfield peer mentoring") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pm-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("scheme.peermatch").path
        store = try SchemeStore.create(at: path, name: name, by: Self.actor)
    }

    static let setupYAML = """
    term: { start: "2026-09-07", end: "2026-12-18", skipWeeks: ["2026-10-26"], sessionsPerWeek: 1 }
    slots:
      - { id: tue-lunch, day: tue, start: "12:30", end: "13:00", label: Lunch }
      - { id: thu-lunch, day: thu, start: "12:30", end: "13:00", label: Lunch }
    rooms:
      - { id: library, name: Library, capacity: 2, features: [quiet] }
      - { id: room-12, name: Room 12, capacity: 1 }
    format: pairs-in-room
    """

    static let mentorsCSV = """
    ID,Name,Year group,Gender,Interests,Offers,Capacity,Group,Availability
    m1,Asha Patel,10,female,football;art;music,transition;maths,2,10A,tue-lunch;thu-lunch
    m2,Ben Okafor,10,male,football;games,confidence;friends,1,10B,tue-lunch
    m3,Chloe Evans,9,female,art;dance;music,reading;friends,2,9C,thu-lunch
    m4,<script>alert(1)</script>,9,male,games;science,maths;transition,1,9A,tue-lunch;thu-lunch

    """

    static let menteesCSV = """
    ID,Name,Year group,Gender,Gender preference,Interests,Needs,Group,Availability
    e1,Ella Jones,7,female,female,art;music,transition;friends,7A,tue-lunch;thu-lunch
    e2,Finn Walsh,7,male,,football;games,confidence,7B,tue-lunch
    e3,Grace Lee,7,female,,dance;music,reading,7C,thu-lunch
    e4,Harry Kim,7,male,,science;games,maths,7A,tue-lunch;thu-lunch
    e5,Isla Brown,7,female,,football;art,transition,7B,tue-lunch;thu-lunch

    """

    /// Adds the autumn term (timetabled) and imports its people.
    @discardableResult
    func withAutumn(imported: Bool = true) throws -> SchemeFixture {
        try store.addTerm(id: Self.term, name: "Autumn 2026", setup: try TermSetupInput.parse(Data(Self.setupYAML.utf8), file: "setup.yaml"), by: Self.actor)
        if imported {
            _ = try store.importSpreadsheets(term: Self.term, files: ImportFiles(
                mentors: ImportFile(name: "mentors.csv", data: Data(Self.mentorsCSV.utf8)),
                mentees: ImportFile(name: "mentees.csv", data: Data(Self.menteesCSV.utf8))), by: Self.actor)
        }
        return self
    }
}
