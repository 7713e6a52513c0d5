import Foundation
import PeerMatch
import Testing
@testable import PeerMatchStore
@testable import PeerMatchWeb

/// Journey 1 through the handlers: upload, the draft page (columns with guesses and ignored
/// headers, each problem at its row and cell), fixing a cell, choosing a column, re-uploading a
/// corrected file, saving into the term; putting a draft aside.
@Suite(.serialized) struct ImportJourneyTests {
    static let base = "/terms/2026-autumn"

    /// Mentees with a bad year group (line 3, column C) and a "Hobbies" column the tool does not
    /// know but can guess.
    static let messyMentees = """
    ID,Name,Year group,Gender,Hobbies,Needs
    e1,Ella Jones,7,female,art;music,transition
    e2,Finn Walsh,seven,male,football,confidence
    e3,Grace Lee,7,female,dance,reading

    """

    static func upload(_ live: LiveSite, mentees: String = messyMentees) async throws -> String {
        let r = try await live.upload("\(base)/import", files: [("mentors", "mentors.csv", Data(SchemeFixture.mentorsCSV.utf8)),
                                                               ("mentees", "Year 7.csv", Data(mentees.utf8))])
        #expect(r.status == 303)
        let location = try #require(r.header("Location"))
        #expect(location.hasPrefix("\(base)/import/"))
        return location
    }

    @Test func uploadNeedsBothFiles() async throws {
        let scheme = try SchemeFixture().withAutumn(imported: false)
        let live = try await LiveSite.start(scheme)
        let form = try await live.get("\(Self.base)/import")
        #expect(form.status == 200)
        #expect(form.text.contains("enctype=\"multipart/form-data\""))
        let missing = try await live.upload("\(Self.base)/import", files: [("mentors", "mentors.csv", Data(SchemeFixture.mentorsCSV.utf8))])
        #expect(missing.status == 400)
        #expect(missing.text.contains("Choose the mentees&#39; spreadsheet."))
        #expect(try scheme.store.drafts(term: SchemeFixture.term).isEmpty)
        await live.stop()
    }

    @Test func draftShowsColumnsAndEveryProblemAtItsCell() async throws {
        let scheme = try SchemeFixture().withAutumn(imported: false)
        let live = try await LiveSite.start(scheme)
        let draftURL = try await Self.upload(live)
        let page = try await live.get(draftURL)
        #expect(page.status == 200)
        let html = page.text
        // The problem, located: file, line, column and header, with the row around it and an edit box.
        let draft = try #require(try scheme.store.drafts(term: SchemeFixture.term).first).id
        let d = try scheme.store.importDraft(draft)
        let bad = try #require(d.report.errors.first { $0.line == 3 })
        #expect(bad.column == 3)
        #expect(html.contains("Year 7.csv, \(HTMLEscape.text(d.report.tables[.mentees]!.location(line: 3, column: 3)))"))
        #expect(html.contains(HTMLEscape.text(bad.message)))
        #expect(html.contains("<td class=\"cell-error\">seven</td>"))
        #expect(html.contains("name=\"role\" value=\"mentees\"><input type=\"hidden\" name=\"line\" value=\"3\"><input type=\"hidden\" name=\"column\" value=\"3\">"))
        #expect(html.range(of: #"<label for="cell-\d+">New value for Year group</label><input id="cell-\d+" name="value" value="seven""#, options: .regularExpression) != nil)
        // The ignored header's near-miss is said once, with a link to its menu, not in the command line's words.
        #expect(html.contains("Year 7.csv: column E (Hobbies) is not used; it looks like interests (list). <a href=\"#col-mentees-5\">Choose its field</a>"))
        #expect(!html.contains("--columns"))
        // Columns: guessed by header, and the ignored one with what it looks like.
        #expect(html.contains("<th scope=\"row\">Hobbies</th>"))
        #expect(html.contains("not used: Hobbies"))
        #expect(html.contains("looks like <strong>interests (list)</strong>"))
        #expect(html.contains("named like the field"))
        // Not saved yet: the button is off, and the store refuses.
        #expect(html.contains("id=\"commit-button\" disabled"))
        #expect(try await live.post("\(draftURL)/commit", []).status == 400)
        #expect(try scheme.store.term(SchemeFixture.term).summary.mentees == 0)
        // A draft of another term is not found here.
        try scheme.store.addTerm(id: "2027-spring", setup: TermSetupInput(start: CalendarDate("2027-01-04")!, end: CalendarDate("2027-03-26")!), by: SchemeFixture.actor)
        #expect(try await live.get(draftURL.replacingOccurrences(of: "2026-autumn", with: "2027-spring")).status == 404)
        await live.stop()
    }

    @Test func fixCellChooseColumnThenSave() async throws {
        let scheme = try SchemeFixture().withAutumn(imported: false)
        let live = try await LiveSite.start(scheme)
        let draftURL = try await Self.upload(live)
        let id = try #require(try scheme.store.drafts(term: SchemeFixture.term).first).id

        let fixed = try await live.post("\(draftURL)/cells", [("role", "mentees"), ("line", "3"), ("column", "3"), ("value", "7")])
        #expect(fixed.status == 303)
        var d = try scheme.store.importDraft(id)
        #expect(d.errors.isEmpty)
        #expect(d.edits == [CellEdit(role: .mentees, line: 3, column: 3, value: "7")])
        let page = try await live.get(draftURL)
        #expect(page.text.contains("Changed Year 7.csv, "))
        #expect(!page.text.contains("id=\"commit-button\" disabled"))

        // Hobbies → interests, by the column menu (every other column keeps its field).
        var fields: [(String, String)] = []
        for u in d.report.columns where u.role == .mentors || u.role == .mentees {
            fields.append(("field-\(u.role.rawValue)-\(u.column)", u.header == "Hobbies" ? "interests" : (u.field ?? "")))
        }
        #expect(try await live.post("\(draftURL)/columns", fields).status == 303)
        d = try scheme.store.importDraft(id)
        #expect(d.options.columns?.column(for: "Hobbies")?.field == "interests")
        #expect(d.options.columns?.columns.map(\.header) == ["Hobbies"], "columns read by their names stay out of the map")
        #expect(d.report.columns.first { $0.header == "Hobbies" }?.field == "interests")
        #expect(d.report.cohort?.mentees.first { $0.id == "e1" }?.interests == ["art", "music"])

        let saved = try await live.post("\(draftURL)/commit", [])
        #expect(saved.status == 303)
        #expect(saved.header("Location") == "\(Self.base)/matches")
        let t = try scheme.store.term(SchemeFixture.term).summary
        #expect((t.mentors, t.mentees) == (4, 3))
        #expect(try scheme.store.importDraft(id).state == .committed)
        #expect(try await live.get("\(Self.base)/matches").text.contains("Saved into the term: "))
        await live.stop()
    }

    @Test func reuploadReplacesOneFileAndAbandonKeepsTheTermAsItWas() async throws {
        let scheme = try SchemeFixture().withAutumn(imported: false)
        let live = try await LiveSite.start(scheme)
        let draftURL = try await Self.upload(live)
        let id = try #require(try scheme.store.drafts(term: SchemeFixture.term).first).id
        let corrected = Self.messyMentees.replacingOccurrences(of: "seven", with: "7")
        let r = try await live.upload("\(draftURL)/replace", fields: [("role", "mentees")], files: [("file", "Year 7 fixed.csv", Data(corrected.utf8))])
        #expect(r.status == 303)
        let d = try scheme.store.importDraft(id)
        #expect(d.errors.isEmpty)
        #expect(d.files.first { $0.role == .mentees }?.name == "Year 7 fixed.csv")
        #expect(try await live.upload("\(draftURL)/replace", fields: [("role", "mentees")], files: []).status == 400)

        // The import page lists the open draft; putting it aside saves nothing.
        #expect(try await live.get("\(Self.base)/import").text.contains("Year 7 fixed.csv"))
        #expect(try await live.post("\(draftURL)/abandon", []).status == 303)
        #expect(try scheme.store.importDraft(id).state == .abandoned)
        #expect(try scheme.store.term(SchemeFixture.term).summary.mentees == 0)
        #expect(!(try await live.get("\(Self.base)/import").text.contains("Year 7 fixed.csv")))
        // An abandoned draft takes no more changes.
        #expect(try await live.post("\(draftURL)/cells", [("role", "mentees"), ("line", "3"), ("column", "3"), ("value", "7")]).status == 400)
        await live.stop()
    }
}
