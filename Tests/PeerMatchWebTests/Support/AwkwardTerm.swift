import Foundation
import Mustache
import PeerMatch
import PeerMatchStore
import Testing
@testable import PeerMatchWeb

/// A matched, timetabled term whose people, rooms, slot labels, notes and names in the audit are
/// the awkward strings escaping must get right (markup, both quotes, `&amp;`, non-ASCII, emoji),
/// for rendering whole pages two ways (and a slot nobody can make): all pairs but the last approved, one approved pair locked,
/// the week of 14 September with one session held (with a note) and one missed.
struct AwkwardTerm {
    let scheme: SchemeFixture
    let site: Site
    let week: CalendarDate
    static let termName = "Autumn <2026> & \"co\""

    static let setupYAML = SchemeFixture.setupYAML
        .replacingOccurrences(of: "name: Library", with: "name: \"Lib <rary> & 'Q' \\\"Zoë\\\"\"")
        .replacingOccurrences(of: "day: tue, start: \"12:30\", end: \"13:00\", label: Lunch", with: "day: tue, start: \"12:30\", end: \"13:00\", label: \"Lunch & <b>'snack'</b> 🍎\"")
        // A slot without a label that nobody can make: a row of free cells.
        .replacingOccurrences(of: "\nrooms:\n", with: "\n  - { id: wed-club, day: wed, start: \"15:30\", end: \"16:30\" }\nrooms:\n")

    static let mentors = """
    ID,Name,Year group,Gender,Interests,Offers,Capacity,Group,Availability
    m1,"O'Brien & <b>Sons</b>",10,female,football;art;music,transition;maths,2,10A,tue-lunch;thu-lunch
    m2,"Zoë ""Zed"" Ångström",10,male,football;games,confidence;friends,1,10B,tue-lunch
    m3,李小龙,9,female,art;dance;music,reading;friends,2,9C,thu-lunch
    m4,<script>alert(1)</script>,9,male,games;science,maths;transition,1,9A,tue-lunch;thu-lunch

    """
    static let mentees = """
    ID,Name,Year group,Gender,Gender preference,Interests,Needs,Group,Availability
    e1,"Ella ""&amp;"" Jones",7,female,female,art;music,transition;friends,7A,tue-lunch;thu-lunch
    e2,Finn 'Walsh',7,male,,football;games,confidence,7B,tue-lunch
    e3,Grâce Lée 👩🏽‍🔬,7,female,,dance;music,reading,7C,thu-lunch
    e4,a>b<c,7,male,,science;games,maths,7A,tue-lunch;thu-lunch
    e5,Isla Brown,7,female,,football;art,transition,7B,tue-lunch;thu-lunch

    """

    init() async throws {
        scheme = try SchemeFixture()
        let store = scheme.store
        try store.addTerm(id: SchemeFixture.term, name: Self.termName, setup: try TermSetupInput.parse(Data(Self.setupYAML.utf8), file: "setup.yaml"),
                          by: SchemeFixture.actor)
        _ = try store.importSpreadsheets(term: SchemeFixture.term, files: ImportFiles(
            mentors: ImportFile(name: "mentors.csv", data: Data(Self.mentors.utf8)),
            mentees: ImportFile(name: "mentees.csv", data: Data(Self.mentees.utf8))), by: SchemeFixture.actor)
        try store.match(term: SchemeFixture.term, by: SchemeFixture.actor)
        let proposals = try store.proposals(term: SchemeFixture.term).pairs.map(\.ref)
        try #require(proposals.count >= 4)
        try store.approve(Array(proposals.dropLast()), by: SchemeFixture.actor)
        try store.lock([proposals[0]], by: SchemeFixture.actor)
        week = CalendarDate("2026-09-14")!
        let rows = try store.register(term: SchemeFixture.term, week: week)
        try #require(rows.count >= 3)
        try store.record([SessionRecordInput(pair: rows[0].pair, date: rows[0].date!, outcome: .held, minutes: 25, note: "<i>late</i> & \"tired\" — 'ok'"),
                          SessionRecordInput(pair: rows[1].pair, date: rows[1].date!, outcome: .missedByMentee)], by: Actor("Ann & <Bob>"))
        site = try await WebServer.makeSite(.init(schemePath: scheme.path, binding: Binding(host: "127.0.0.1", port: 8470)))
    }

    /// The page's data with the layout's own values (awkward too), as `Site.page` adds them.
    func shell(_ data: [String: Any], title: String, nav: String) -> [String: Any] {
        var d = data
        d["pageTitle"] = title; d["schemeName"] = "Scheme <&>"; d["csrf"] = "tok\"en"; d["actor"] = "Ann & <Bob>"
        d["signedIn"] = true; d["here"] = "/terms/x?a=1&b=2"; d["nav_\(nav)"] = true
        d["term"] = site.termNav(SchemeFixture.term, name: Self.termName)
        return d
    }

    /// The page rendered with its template as it is (`new` added to the data) and with the old
    /// template (`old` added): the template's text with `tag` replaced by the old section.
    func render(_ template: String, data: [String: Any], title: String, nav: String, tag: String, oldSection: String,
                new: [String: Any], old: [String: Any]) throws -> (new: String, old: String) {
        let text = try String(contentsOf: Self.templatesFolder.appendingPathComponent("\(template).mustache"), encoding: .utf8)
        #expect(text.components(separatedBy: tag).count == 2, "\(template) writes \(tag) once")
        var library = site.templates.library
        try library.register(PageHTML.pragma + text.replacingOccurrences(of: tag, with: oldSection), named: "\(template)-old")
        let shell = shell(data, title: title, nav: nav)
        let newPage = try #require(library.render(Site.compact(shell.merging(new) { $1 }), withTemplate: template))
        let oldPage = try #require(library.render(Site.compact(shell.merging(old) { $1 }), withTemplate: "\(template)-old"))
        return (newPage, oldPage)
    }

    static let templatesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/PeerMatchWeb/Templates")
}
