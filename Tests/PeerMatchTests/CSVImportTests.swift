import Foundation
import Testing
@testable import PeerMatch

@Suite struct CSVImportTests {
    func temp(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pm-csv-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// A real export: BOM, CRLF, quoted commas, human headers, blank trailing rows.
    @Test func messySpreadsheetExport() throws {
        let mentors = try temp("mentors.csv", "\u{FEFF}ID,Name,Age,Gender,Interests,Offers,Capacity,Group\r\nm1,\"Smith, Jo\",15,female,\"football; art\",maths,2,9A\r\n,,,,,,,\r\n\r\n")
        let mentees = try temp("mentees.csv", "id,name,year group,gender,gender preference,interests,needs\r\ne1,Amira,7,female,female,art;music,maths\r\n")
        let exclusions = try temp("excl.csv", "a,b,reason\nm1,e1,\"cousins, same house\"\n")
        let cohort = try CSVImport.cohort(mentors: mentors, mentees: mentees, exclusions: exclusions)
        #expect(cohort.mentors.count == 1)
        #expect(cohort.mentors[0].name == "Smith, Jo")
        #expect(cohort.mentors[0].interests == ["football", "art"])
        #expect(cohort.mentors[0].capacity == 2)
        #expect(cohort.mentees[0].yearGroup == 7)
        #expect(cohort.mentees[0].genderPreference == .oneOf(["female"]))
        #expect(cohort.exclusions == [Exclusion(a: "m1", b: "e1", reason: "cousins, same house")])
    }

    @Test func errorsNameFileLineAndColumn() throws {
        let mentors = try temp("m2.csv", "id,age,capacity\nm1,15,2\nm2,fifteen,-1\n")
        let mentees = try temp("e2.csv", "id,age\ne1,12\n")
        do {
            _ = try CSVImport.cohort(mentors: mentors, mentees: mentees)
            Issue.record("expected an error")
        } catch let error as InputError {
            let text = error.description
            #expect(text.contains("m2.csv: line 3, column 2 (age): must be an age in years, found \"fifteen\""), "\(text)")
            #expect(text.contains("m2.csv: line 3, column 3 (capacity): must be at least 0, found -1"), "\(text)")
        }
    }

    /// A termly timetable from spreadsheets: the setup file gives slots, rooms and term; people's
    /// columns give availability, unavailable dates and room needs. Errors name the CSV line and
    /// column, or the setup file and its JSON path.
    @Test func timetableColumnsAndSetup() throws {
        let setup = try temp("setup.yaml", """
            slots:
              - { id: wed-lunch, day: wed, start: "12:40", end: "13:05" }
              - { id: thu-lunch, day: thu, start: "12:40", end: "13:05" }
            rooms:
              - { id: library, name: Library, capacity: 2, features: [quiet] }
            term: { start: "2026-09-07", end: "2026-12-18", skipWeeks: ["2026-10-26"], sessionsPerWeek: 1 }
            format: pairs-in-room
            """)
        let mentors = try temp("tm.csv", "id,age,availability,unavailable dates\nm1,15,wed-lunch;thu-lunch,2026-10-07\n")
        let mentees = try temp("te.csv", "id,age,availability,require room features\ne1,12,wed-lunch,quiet\n")
        let cohort = try CSVImport.cohort(mentors: mentors, mentees: mentees, timetableSetup: setup)
        #expect(cohort.timetable?.slots.map(\.id) == ["wed-lunch", "thu-lunch"])
        #expect(cohort.timetable?.rooms.map(\.id) == ["library"])
        #expect(cohort.timetable?.format == .pairsInRoom)
        #expect(cohort.mentors[0].availability == ["wed-lunch", "thu-lunch"])
        #expect(cohort.mentors[0].unavailableDates.map(\.description) == ["2026-10-07"])
        #expect(cohort.mentees[0].availability == ["wed-lunch"])
        #expect(cohort.mentees[0].requireRoomFeatures == ["quiet"])
        let result = try Matcher().match(cohort)
        #expect(result.pairs.count == 1)
        #expect(result.pairs.first?.sessions == [Session(slot: "wed-lunch", room: "library")])

        // An unknown slot in a CSV cell, and a bad time and an unknown key in the setup file.
        let badMentees = try temp("te2.csv", "id,age,availability\ne1,12,fri-lunch\n")
        do {
            _ = try CSVImport.cohort(mentors: mentors, mentees: badMentees, timetableSetup: setup)
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.description.contains("te2.csv: line 2, column 3 (availability)"), "\(error.description)")
            #expect(error.description.contains("fri-lunch"), "\(error.description)")
        }
        let badSetup = try temp("setup2.json", #"{"slots": [{"id": "s", "day": "wed", "start": "25:00", "end": "13:05"}], "rooms": [], "colour": "red"}"#)
        do {
            _ = try CSVImport.cohort(mentors: mentors, mentees: mentees, timetableSetup: badSetup)
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.description.contains("setup2.json: $.colour: unknown key"), "\(error.description)")
        }
        let badTime = try temp("setup3.json", #"{"slots": [{"id": "wed-lunch", "day": "wed", "start": "25:00", "end": "13:05"}], "rooms": []}"#)
        do {
            _ = try CSVImport.cohort(mentors: mentors, mentees: mentees, timetableSetup: badTime)
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.description.contains("setup3.json: $.slots[0].start"), "\(error.description)")
        }
    }

    @Test func columnMap() throws {
        let mentors = try temp("m3.csv", "Pupil,Years\nm1,15\n")
        let mentees = try temp("e3.csv", "Pupil,Years\ne1,12\n")
        let map = try CSVImport.columnMap("Pupil=id,Years=age")
        let cohort = try CSVImport.cohort(mentors: mentors, mentees: mentees, columns: map)
        #expect(cohort.mentors[0].id == "m1" && cohort.mentees[0].age == 12)
        #expect(throws: InputError.self) { try CSVImport.columnMap("Pupil=shoe") }
    }

    /// Generated cohort → CSV files (the way a spreadsheet would hold it) → import → the same cohort.
    @Test func roundTrip() throws {
        let generated = CohortGenerator(mentees: 40, seed: 11).generate()
        // Ranked lists (with tie groups) have no spreadsheet spelling here; they go through the cohort file.
        #expect(try CohortReader.parse(Data(CohortWriter.json(generated).rendered().utf8), file: "g.json").0 == generated)
        let (original, mentors, mentees, exclusions) = SpreadsheetImportTests.roundTripTables()
        let m = try temp("rt-m.csv", mentors)
        let e = try temp("rt-e.csv", mentees)
        let x = try temp("rt-x.csv", exclusions)
        let imported = try CSVImport.cohort(mentors: m, mentees: e, exclusions: x)
        #expect(imported == original)
        // And through the cohort file format.
        let reread = try CohortReader.parse(Data(CohortWriter.json(imported).rendered().utf8), file: "rt.json")
        #expect(reread.0 == original)
    }
}
