import Foundation
import Testing
import PeerMatch
@testable import PeerMatchStore

/// The page's operations one by one: drafts, why-not, swaps, session moves, the timetable and
/// slips, exports and backups; and that bad input writes nothing.
@Suite struct OperationsTests {
    let sam = TempScheme.sam

    func matchedAutumn() throws -> TempScheme {
        let s = try TempScheme()
        try Fixture.autumn(s)
        try s.store.match(term: "2026-autumn", by: sam)
        return s
    }

    // MARK: - Drafts

    @Test func draftShowsProblemsAtTheirCellAndCommitsOnceCorrected() throws {
        let s = try TempScheme()
        try s.store.addTerm(id: "2026-autumn", setup: try Fixture.setup("year/autumn-setup.yaml"), by: sam)
        // A quoted cell with a line break moves every later line: the problem must still be on line 5.
        let mentees = """
            ID,Name,Year group,Gender,Interests,Needs,Availability
            e1,"Ella
            Jones",7,female,art,friends,tue-lunch
            e2,Finn,seven,male,games,confidence,tue-lunch

            e3,Grace,7,female,dance,reading,thu-lunch
            """
        let files = ImportFiles(mentors: try Fixture.file("year/autumn-mentors.csv"), mentees: ImportFile(name: "mentees.csv", data: Data(mentees.utf8)))
        let revision = try s.store.revision
        // The one-step import refuses, naming the cell, and writes nothing.
        #expect { try s.store.importSpreadsheets(term: "2026-autumn", files: files, by: sam) } throws: { e in
            (e as? StoreError)?.diagnostics.contains { $0.description == "mentees.csv: line 4, column 3 (Year group): must be a year group, found \"seven\"" } == true
        }
        #expect(try s.store.revision == revision)
        // A draft keeps the files and the same problem.
        var draft = try s.store.stageImport(term: "2026-autumn", files: files, by: sam)
        #expect(draft.state == .open && !draft.canCommit && draft.preview == nil)
        #expect(draft.errors.contains { $0.line == 4 && $0.column == 3 })
        #expect(draft.report.tables[.mentees]?.rows.map(\.line) == [2, 4, 6])
        #expect(try s.store.drafts(term: "2026-autumn").map(\.id) == [draft.id])
        // An edit of a line that has no row is its own problem; the right edit clears the error.
        draft = try s.store.updateDraft(draft.id, cellEdits: [CellEdit(role: .mentees, line: 5, column: 3, value: "7")], by: sam)
        #expect(draft.problems.contains { $0.line == 5 && $0.message.contains("no data row") })
        draft = try s.store.updateDraft(draft.id, cellEdits: [CellEdit(role: .mentees, line: 4, column: 3, value: "7")], by: sam)
        // The bad edit is still recorded, so the draft still cannot be saved until it is undone by a real row edit...
        #expect(!draft.canCommit)
        #expect { try s.store.commitImport(draft.id, by: sam) } throws: { ($0 as? StoreError)?.kind == .invalid }
        // ... so replace the files with corrected ones: edits to the replaced sheet are dropped.
        let fixed = mentees.replacingOccurrences(of: ",seven,", with: ",7,")
        draft = try s.store.updateDraft(draft.id, replace: ImportFiles(mentors: try Fixture.file("year/autumn-mentors.csv"),
                                                                       mentees: ImportFile(name: "mentees-fixed.csv", data: Data(fixed.utf8))), by: sam)
        #expect(draft.edits.isEmpty && draft.errors.isEmpty && draft.canCommit)
        #expect(draft.preview?.added.count == 7)
        let summary = try s.store.commitImport(draft.id, by: sam)
        #expect(summary.mentees == 3 && summary.mentors == 4)
        #expect(try s.store.importDraft(draft.id).state == .committed)
        #expect(try s.store.term("2026-autumn").summary.mentees == 3)
        // The name with a line break arrived whole.
        #expect(try s.store.proposals(term: "2026-autumn").unmatched.contains { $0.name == "Ella\nJones" })
    }

    @Test func draftEditFixesACellOnAWorkbookRowLikeOnACSVLine() throws {
        let s = try TempScheme()
        try s.store.addTerm(id: "t", setup: TermSetupInput(start: CalendarDate("2026-09-07")!, end: CalendarDate("2026-12-18")!), by: sam)
        let mentees = "id,age\ne1,12\ne2,twelve\n"
        let draft = try s.store.stageImport(term: "t", files: ImportFiles(mentors: ImportFile(name: "m.csv", data: Data("id,age,capacity\nm1,15,2\n".utf8)),
                                                                          mentees: ImportFile(name: "e.csv", data: Data(mentees.utf8))), by: sam)
        #expect(draft.errors.map(\.description) == ["e.csv: line 3, column 2 (age): must be an age in years, found \"twelve\"",
                                                    "e.csv: line 3: age missing (give \"age\" or \"yearGroup\") while the age-gap rule is hard"])
        let fixed = try s.store.updateDraft(draft.id, cellEdits: [CellEdit(role: .mentees, line: 3, column: 2, value: "12")], by: sam)
        #expect(fixed.canCommit && fixed.report.tables[.mentees]?.rows.last?.cells == ["e2", "12"])
        try s.store.commitImport(fixed.id, by: sam)
        try s.store.match(term: "t", by: sam)
        #expect(try s.store.proposals(term: "t").pairs.count == 2)
    }

    /// A workbook: the edited sheet is read again as CSV, and its problems still name the
    /// workbook's sheet, row and column letter.
    @Test func draftEditOnAWorkbookKeepsItsRowsAndColumnLetters() throws {
        let s = try TempScheme()
        try s.store.addTerm(id: "t", setup: TermSetupInput(start: CalendarDate("2026-09-07")!, end: CalendarDate("2026-12-18")!), by: sam)
        let book = try Fixture.file("import/intake.xlsx")
        var draft = try s.store.stageImport(term: "t", files: ImportFiles(mentors: book, mentees: book), by: sam)
        #expect(draft.report.tables[.mentees]?.rows.map(\.line) == [2, 3, 5])
        draft = try s.store.updateDraft(draft.id, cellEdits: [CellEdit(role: .mentees, line: 5, column: 3, value: "seven")], by: sam)
        #expect(draft.errors.first?.description == "intake.xlsx [Mentees]: row 5, column C (year group): must be a year group, found \"seven\"")
        #expect(draft.report.tables[.mentees]?.format == .xlsx && draft.report.tables[.mentees]?.rows.map(\.line) == [2, 3, 5])
        draft = try s.store.updateDraft(draft.id, cellEdits: [CellEdit(role: .mentees, line: 5, column: 3, value: "8")], by: sam)
        #expect(draft.errors.isEmpty, "\(draft.errors)")
        #expect(draft.edits.count == 1 && draft.edits[0].value == "8")
        let summary = try s.store.commitImport(draft.id, by: sam)
        #expect(summary.mentees == 3 && summary.mentors == 3)
    }

    // MARK: - Why not, swap

    @Test func whyNotGivesTheRuleOrTheScore() throws {
        let s = try matchedAutumn()
        let excluded = try s.store.whyNot(term: "2026-autumn", mentor: "m2", mentee: "e6")
        #expect(excluded.breaches.map(\.rule) == ["exclusion"] && excluded.breaches[0].text == "excluded (neighbours)")
        #expect(!excluded.allowed && excluded.summary.contains("cannot be paired"))
        // Ella wants a female mentor; Ben is male.
        let gender = try s.store.whyNot(term: "2026-autumn", mentor: "m2", mentee: "e1")
        #expect(gender.breaches.map(\.rule).contains("genderPreference"))
        // Dan and Ella: allowed; the breakdown adds up to the score; Dan is full.
        let dan = try s.store.whyNot(term: "2026-autumn", mentor: "m4", mentee: "e3")
        #expect(dan.allowed && dan.breakdown.reduce(0) { $0 + $1.hundredths } == dan.scoreHundredths)
        #expect(dan.mentorLoad == 1 && dan.mentorCapacity == 1 && dan.summary.contains("is full"))
        #expect(dan.menteePair?.ref.mentor == "m3")
        #expect { try s.store.whyNot(term: "2026-autumn", mentor: "e1", mentee: "e2") } throws: { ($0 as? StoreError)?.description.contains("not a mentor") == true }
    }

    @Test func swapChecksRulesAndTimetableThenTradesMentorsAndSessions() throws {
        let s = try matchedAutumn()
        // Finn (Tuesday only) and Jack are not both matched; Finn and Harry: Harry takes Finn's
        // Tuesday with Ben and Finn takes Harry's Tuesday with Dan.
        let preview = try s.store.previewSwap(term: "2026-autumn", menteeA: "e2", menteeB: "e4")
        #expect(preview.allowed, "\(preview.problems)")
        #expect(preview.after.map { "\($0.mentor):\($0.mentee)" } == ["m4:e2", "m2:e4"])
        #expect(preview.after[0].sessions == preview.before[1].sessions)
        // Ella (female mentor wanted) cannot take Ben.
        let no = try s.store.previewSwap(term: "2026-autumn", menteeA: "e1", menteeB: "e2")
        #expect(!no.allowed && no.problems.contains { $0.contains("genderPreference") })
        #expect { try s.store.swap(term: "2026-autumn", menteeA: "e1", menteeB: "e2", by: sam) } throws: { ($0 as? StoreError)?.kind == .invalid }
        // Grace (Thursday only) cannot take Finn's Tuesday: the timetable check says so.
        let slot = try s.store.previewSwap(term: "2026-autumn", menteeA: "e3", menteeB: "e2")
        #expect(!slot.allowed)
        try s.store.swap(term: "2026-autumn", menteeA: "e2", menteeB: "e4", by: sam, note: "friends")
        let pairs = try s.store.proposals(term: "2026-autumn").pairs
        #expect(pairs.contains { $0.ref.description == "m4:e2" && $0.source == "swap" && $0.sessions == preview.before[1].sessions })
        #expect(!pairs.contains { $0.ref.description == "m2:e2" })
        #expect(try s.store.check() == [])
    }

    // MARK: - Withdrawal without a timetable

    /// A term without slots: a withdrawal re-matches through the core's re-matching too. Ella
    /// (e1) can have Asha or Ben, Finn (e2) Asha or Cara; the best start is Asha-Ella, Cara-Finn.
    /// Cara leaves: with no change allowed Finn waits; with one, Ella moves to Ben and Finn takes Asha.
    @Test func withdrawalWithoutATimetableRespectsTheCap() throws {
        let s = try TempScheme()
        let term: TermID = "t"
        try s.store.addTerm(id: term, setup: TermSetupInput(start: CalendarDate("2026-09-07")!, end: CalendarDate("2026-12-18")!), by: sam)
        let mentors = "id,name,age,interests,capacity\nmA,Asha,15,art;music,1\nmB,Ben,15,chess,1\nmC,Cara,15,football;games,1\n"
        let mentees = "id,name,age,interests\ne1,Ella,12,art;music\ne2,Finn,12,football;games\n"
        let exclusions = "a,b,reason\nmB,e2,rule\nmC,e1,rule\n"
        _ = try s.store.importSpreadsheets(term: term, files: ImportFiles(mentors: ImportFile(name: "m.csv", data: Data(mentors.utf8)),
                                                                          mentees: ImportFile(name: "e.csv", data: Data(mentees.utf8)),
                                                                          exclusions: ImportFile(name: "x.csv", data: Data(exclusions.utf8))), by: sam)
        try s.store.match(term: term, by: sam)
        #expect(try s.store.proposals(term: term).pairs.map(\.ref.description) == ["mA:e1", "mC:e2"])
        try s.store.approve(try s.store.proposals(term: term).pairs.map(\.ref), by: sam)
        let none = try s.store.planWithdrawal(person: "mC", term: term, date: CalendarDate("2026-10-01")!)
        #expect(none.ended.map(\.description) == ["mC:e2"] && none.changes.isEmpty && none.matchedAfter == 1)
        let one = try s.store.planWithdrawal(person: "mC", term: term, date: CalendarDate("2026-10-01")!, maxChanges: 1)
        #expect(one.changes.map { "\($0.kind.rawValue) \($0.mentor):\($0.mentee) \($0.counted)" } == ["removed mA:e1 true", "added mA:e2 false", "added mB:e1 false"])
        #expect(one.matchedAfter == 2)
        try s.store.applyWithdrawal(one, by: sam)
        let after = try s.store.proposals(term: term)
        #expect(after.pairs(in: PairState.live).map { "\($0.ref) \($0.state.rawValue)" } == ["mA:e2 proposed", "mB:e1 proposed"])
        #expect(after.pairs.first { $0.ref.description == "mC:e2" }?.state == .ended)
        #expect(try s.store.check() == [])
    }

    // MARK: - Timetable, moves, slips

    @Test func movesOnlyToPlacesEveryRuleAllows() throws {
        let s = try matchedAutumn()
        let ref = try s.store.pairRef("m1:e1", term: "2026-autumn")   // Thursday, Library
        let options = try s.store.moveOptions(ref)
        #expect(options.contains { $0.current && $0.session == Session(slot: "thu-lunch", room: "library") })
        // Asha meets Isla on Tuesdays in Room 12, so Tuesday Room 12 is taken (one pair) and Tuesday
        // Library holds Ben's and Dan's pairs (capacity 2): no Tuesday place, and Thursday Room 12 is Chloe's.
        #expect(!options.contains { $0.session.slot == "tue-lunch" })
        #expect(options.map(\.session.room) == ["library"])
        #expect { try s.store.moveSession(ref, from: Session(slot: "thu-lunch", room: "library"), to: Session(slot: "tue-lunch", room: "room-12"), by: sam) } throws: {
            ($0 as? StoreError)?.description.contains("cannot move") == true
        }
        // Dan and Harry (Tuesday, Library) can move to Thursday in the Library (one pair there so far).
        let dan = try s.store.pairRef("m4:e4", term: "2026-autumn")
        let danOptions = try s.store.moveOptions(dan)
        #expect(danOptions.contains { $0.session == Session(slot: "thu-lunch", room: "library") })
        try s.store.moveSession(dan, from: Session(slot: "tue-lunch", room: "library"), to: Session(slot: "thu-lunch", room: "library"),
                                from: CalendarDate("2026-10-01")!, by: sam)
        let moved = try s.store.proposals(term: "2026-autumn").pairs.first { $0.ref == dan }!
        #expect(moved.sessions == [Session(slot: "thu-lunch", room: "library")])
        #expect(moved.dates.filter { $0 < CalendarDate("2026-10-01")! }.allSatisfy { $0.weekday == .tue })
        #expect(moved.dates.filter { $0 >= CalendarDate("2026-10-01")! }.allSatisfy { $0.weekday == .thu })
        // The view the renderers take holds every live pair's session, and renders.
        let view = try s.store.timetable(term: "2026-autumn")
        #expect(view.sessions.count == 5 && view.unmatched.map(\.person.id) == ["e6"])
        try view.validate()
        #expect(try TimetableCSV.render(view).contains("Dan Murphy"))
        #expect(try !HTMLReport.render(view).isEmpty)
        // Slips: only approved pairs by default, and no reasons, needs or scores in them.
        #expect(try s.store.slips(term: "2026-autumn").isEmpty)
        try s.store.approve([dan], by: sam)
        let slips = try s.store.slips(term: "2026-autumn")
        #expect(slips.map(\.person) == ["e4", "m4"])
        #expect(slips[0].meetings.map { "\($0.with) \($0.day.name) \($0.room)" } == ["[\"Dan Murphy\"] Thursday Library"])
    }

    // MARK: - Export, backup

    @Test func redactedExportHoldsIdsAndInitialsOnly() throws {
        let s = try matchedAutumn()
        try s.store.decline([try s.store.pairRef("e4", term: "2026-autumn")], by: sam, note: "Harry's mum asked")
        let full = try s.store.exportAll(redact: false, by: sam)
        #expect(full.files.map(\.name) == ["scheme.json", "people.csv", "pairs.csv", "sessions.csv", "outcomes.csv", "exclusions.csv", "audit.csv"])
        #expect(full.files[0].text.contains("Ella Jones") && full.files.contains { $0.text.contains("Harry's mum asked") })
        let red = try s.store.exportAll(redact: true, by: sam)
        for f in red.files {
            for name in ["Ella", "Jones", "Asha", "Patel", "Harry", "neighbours", "football", "\"sam\"", ",sam,"] {
                #expect(!f.text.contains(name), "\(f.name) contains \(name)")
            }
        }
        #expect(red.files[1].text.contains("2026-autumn,e1,mentee,E.J.,yes"))
        // Both exports are in the audit log.
        #expect(try s.store.audit(limit: 2, offset: 0).map(\.action) == ["export", "export"])
    }

    @Test func backupIsAConsistentPrivateCopy() throws {
        let s = try matchedAutumn()
        let copy = s.folder.appendingPathComponent("copy.peermatch").path
        try s.store.backup(to: copy, by: sam)
        #expect(try FileManager.default.attributesOfItem(atPath: copy)[.posixPermissions] as? Int == 0o600)
        let b = try SchemeStore.open(at: copy)
        #expect(try b.check() == [])
        #expect(try b.proposals(term: "2026-autumn").pairs == (try s.store.proposals(term: "2026-autumn")).pairs)
        #expect(throws: StoreError.self) { try s.store.backup(to: copy, by: sam) }   // never over an existing file
    }

    // MARK: - Bad input writes nothing

    @Test func badInputNamesWhatIsWrongAndWritesNothing() throws {
        let s = try matchedAutumn()
        let store = s.store
        let before = try store.revision
        let term: TermID = "2026-autumn"
        func refused(_ what: String, _ body: () throws -> Void) {
            do { try body(); Issue.record("\(what): expected an error") } catch let e as StoreError {
                #expect(!e.description.isEmpty, "\(what)")
            } catch { Issue.record("\(what): \(error)") }
        }
        refused("unknown term") { try store.match(term: "2099", by: sam) }
        refused("unknown pair") { try store.approve([PairRef(term: term, mentor: "m1", mentee: "e6")], by: sam) }
        refused("a good pair with a bad one") {
            try store.approve([try store.pairRef("e1", term: term), PairRef(term: term, mentor: "nobody", mentee: "e2")], by: sam)
        }
        refused("record on a proposal") { try store.record([SessionRecordInput(pair: try store.pairRef("e1", term: term), date: CalendarDate("2026-09-10")!, outcome: .held)], by: sam) }
        try store.approve([try store.pairRef("e1", term: term)], by: sam)
        let afterApprove = try store.revision
        #expect(afterApprove == before + 1)
        refused("session outside the term") {
            try store.record([SessionRecordInput(pair: try store.pairRef("e1", term: term), date: CalendarDate("2027-09-10")!, outcome: .held)], by: sam)
        }
        refused("register with a bad outcome") {
            try store.importRegister(term: term, csv: ImportFile(name: "reg.csv", data: Data("date,mentor,mentee,outcome\n2026-09-10,m1,e1,held\n2026-09-17,m1,e1,maybe\n".utf8)), by: sam)
        }
        refused("withdraw someone not in the term") { _ = try store.planWithdrawal(person: "zz", term: term, date: CalendarDate("2026-10-01")!) }
        refused("a term that ends before it starts") {
            try store.addTerm(id: "bad", setup: TermSetupInput(start: CalendarDate("2026-12-01")!, end: CalendarDate("2026-09-01")!), by: sam)
        }
        refused("an existing term") { try store.addTerm(id: term, setup: try Fixture.setup("year/autumn-setup.yaml"), by: sam) }
        refused("agreed hours for a mentee") { try store.setAgreedHours(term: term, mentor: "e1", minutesPerWeek: 30, by: sam) }
        refused("an unknown measure") {
            try store.recordOutcome(OutcomeInput(term: term, person: "e1", measure: "wemwbs", phase: .pre, date: CalendarDate("2026-09-08")!, total: 30), by: sam)
        }
        #expect(try store.revision == afterApprove)
        do {
            try store.importRegister(term: term, csv: ImportFile(name: "reg.csv", data: Data("date,mentor,mentee,outcome\n2026-09-10,m1,e1,held\n2026-09-17,m1,e1,maybe\n".utf8)), by: sam)
        } catch let e as StoreError {
            #expect(e.description.contains("reg.csv: line 3, column 4 (outcome): expected held"))
        }
    }
}
