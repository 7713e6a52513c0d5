import Foundation
import PeerMatch
import Testing
@testable import PeerMatchStore

/// `replaceDraftFile`: the page's re-upload of one corrected spreadsheet.
@Suite struct DraftFileReplaceTests {
    static let mentors = "ID,Name,Year group,Gender,Interests,Capacity\nm1,Asha,10,female,art,1\nm2,Ben,10,male,football,1\n"
    static let badMentees = "ID,Name,Year group,Gender,Interests\ne1,Ella,seven,female,art\ne2,Finn,7,male,football\n"
    static let goodMentees = "ID,Name,Year group,Gender,Interests\ne1,Ella,7,female,art\ne2,Finn,7,male,football\ne3,Grace,7,female,music\n"

    func staged() throws -> (TempScheme, ImportDraft) {
        let s = try TempScheme()
        try s.store.addTerm(id: "t", setup: TermSetupInput(start: CalendarDate("2026-09-07")!, end: CalendarDate("2026-12-18")!), by: TempScheme.sam)
        let draft = try s.store.stageImport(term: "t", files: ImportFiles(
            mentors: ImportFile(name: "mentors.csv", data: Data(Self.mentors.utf8)),
            mentees: ImportFile(name: "mentees.csv", data: Data(Self.badMentees.utf8))), by: TempScheme.sam)
        return (s, draft)
    }

    @Test func replacesOneFileKeepingTheOthersEdits() throws {
        let (s, draft) = try staged()
        #expect(!draft.errors.isEmpty)
        #expect(draft.errors.contains { $0.file == "mentees.csv" && $0.line == 2 })
        // An edit to each file; then the mentees' file is replaced by a corrected one.
        _ = try s.store.updateDraft(draft.id, cellEdits: [CellEdit(role: .mentors, line: 3, column: 2, value: "Ben Okafor"),
                                                           CellEdit(role: .mentees, line: 3, column: 2, value: "Finn W")], by: TempScheme.sam)
        let after = try s.store.replaceDraftFile(draft.id, role: .mentees, with: ImportFile(name: "mentees-fixed.csv", data: Data(Self.goodMentees.utf8)),
                                                 by: TempScheme.sam)
        #expect(after.errors.isEmpty)
        #expect(after.edits == [CellEdit(role: .mentors, line: 3, column: 2, value: "Ben Okafor")])
        #expect(after.files.first { $0.role == .mentees }?.name == "mentees-fixed.csv")
        #expect(after.files.first { $0.role == .mentors }?.name == "mentors.csv")
        #expect(after.report.cohort?.mentees.map(\.name) == ["Ella", "Finn", "Grace"])
        #expect(after.report.cohort?.mentors.map(\.name) == ["Asha", "Ben Okafor"])
        #expect(try s.store.audit(limit: 1).first?.detail == "replaced mentees with mentees-fixed.csv")
        let summary = try s.store.commitImport(draft.id, by: TempScheme.sam)
        #expect((summary.mentors, summary.mentees) == (2, 3))
        // A committed draft no longer changes.
        #expect(throws: StoreError.self) {
            try s.store.replaceDraftFile(draft.id, role: .mentees, with: ImportFile(name: "x.csv", data: Data(Self.goodMentees.utf8)), by: TempScheme.sam)
        }
    }

    @Test func refusesUnknownDraftsAndSetupFiles() throws {
        let (s, draft) = try staged()
        #expect(throws: StoreError.self) { try s.store.replaceDraftFile(DraftID(999), role: .mentees, with: ImportFile(name: "x.csv", data: Data()), by: TempScheme.sam) }
        #expect(throws: StoreError.self) { try s.store.replaceDraftFile(draft.id, role: .setup, with: ImportFile(name: "s.yaml", data: Data()), by: TempScheme.sam) }
    }
}
