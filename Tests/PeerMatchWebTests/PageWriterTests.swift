import Foundation
import Mustache
import PeerMatch
import PeerMatchStore
import Testing
@testable import PeerMatchWeb

/// The week grid, the review list, the withdraw form's pickers and the report's mentors are
/// written by ``HTMLWriter`` instead of their Mustache sections (as the register, pairs and slips
/// are: ``TableWriterTests``). Each section below is the template's own text from before the
/// change; each test renders it with the library and `Site.compact`, and the writer, on small
/// random cases drawn from ``TableWriterTests/awkward``, then whole pages both ways on a term
/// with awkward names (``AwkwardTerm``): the bytes must be identical.
@Suite struct PageWriterTests {
    typealias Rand = TableWriterTests.Rand

    // MARK: - The week grid

    static let oldDays = #"""
{{#days}}
<tbody>
<tr class="day"><th scope="rowgroup" colspan="{{span}}">{{day}}</th></tr>
{{#rows}}
<tr><th scope="row">{{time}}{{#label}}<span class="meta">{{label}}</span>{{/label}}</th>
{{#cells}}{{#free}}<td class="free">free</td>{{/free}}{{^free}}<td><ul class="meet">{{#meetings}}<li><strong>{{mentor}}</strong> <span aria-hidden="true">→</span><span class="sr">meets</span> {{mentees}}{{#skipped}}<span class="meta">not {{skipped}}</span>{{/skipped}} {{#locked}}<span class="badge state-locked">locked</span>{{/locked}}{{^locked}}<a href="{{moveURL}}" class="noprint small" aria-label="{{moveLabel}}">Move</a>{{/locked}}</li>{{/meetings}}</ul></td>{{/free}}{{/cells}}
</tr>
{{/rows}}
</tbody>
{{/days}}

"""#

    /// A day as the page gave it to the old template (a cell also named its room, unused).
    static func oldDictionary(_ d: WeekGridView.Day) -> [String: Any] {
        ["day": d.day, "span": d.span, "rows": d.rows.map { r -> [String: Any] in
            ["time": r.time, "label": r.label, "cells": r.cells.enumerated().map { n, cell -> [String: Any] in
                ["free": cell.isEmpty, "room": "room \(n)", "meetings": cell.map { m -> [String: Any] in
                    ["mentor": m.mentor, "locked": m.locked, "mentees": m.mentees, "skipped": m.skipped, "moveURL": m.moveURL, "moveLabel": m.moveLabel]
                }]
            }]
        }]
    }

    @Test func gridDaysAreTheBytesTheTemplateWrote() throws {
        var g = Rand(state: 21)
        for _ in 0..<300 {
            let rooms = g.int(4)
            let days = (0..<g.int(3)).map { _ in
                WeekGridView.Day(day: g.text(), span: rooms + 1, rows: (0..<g.int(3)).map { _ in
                    WeekGridView.Row(time: g.text(), label: g.bool() ? "" : g.text(), cells: (0..<rooms).map { _ in
                        (0..<g.int(3)).map { _ in
                            WeekGridView.Meeting(mentor: g.text(), mentees: g.text(), skipped: g.bool() ? "" : g.text(), locked: g.bool(),
                                                 moveURL: g.text(), moveLabel: g.text())
                        }
                    })
                })
            }
            #expect(WeekGridView.write(days).html == (try TableWriterTests.old(Self.oldDays, ["days": days.map(Self.oldDictionary)])))
        }
    }

    @Test func theTimetablePageIsTheBytesTheOldTemplateWrote() async throws {
        let term = try await AwkwardTerm()
        for approvedOnly in [false, true] {
            let (data, days, termName) = try TimetablePages.gridPage(term.site, term: SchemeFixture.term,
                                                                    states: approvedOnly ? [.approved, .active] : PairState.live, approvedOnly: approvedOnly)
            let (newPage, oldPage) = try term.render("timetable", data: data, title: "Timetable · \(termName)", nav: "timetable",
                                                     tag: "{{{daysHTML}}}", oldSection: Self.oldDays,
                                                     new: ["daysHTML": WeekGridView.write(days)], old: ["days": days.map(Self.oldDictionary)])
            // The awkward room, slot label and names are on the page, escaped, and one pair is locked.
            #expect(newPage.contains("Lib &lt;rary&gt; &amp; &#39;Q&#39; &quot;Zoë&quot;"), "\(newPage)")
            #expect(newPage.contains("Lunch &amp; &lt;b&gt;&#39;snack&#39;&lt;/b&gt; 🍎"))
            #expect(newPage.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || newPage.contains("O&#39;Brien &amp; &lt;b&gt;Sons&lt;/b&gt;"))
            #expect(newPage.contains("state-locked\">locked</span>") && newPage.contains(">Move</a>"))
            #expect(newPage.contains("<td class=\"free\">free</td>"))
            #expect(Array(newPage.utf8) == Array(oldPage.utf8))
        }
    }

    // MARK: - The review list

    static let oldGroups = #"""
{{#groups}}
<section aria-labelledby="rv-{{kind}}">
<h2 id="rv-{{kind}}">{{title}} ({{count}})</h2>
<ul class="reviewlist">
{{#items}}<li><strong>{{name}}</strong>: {{message}}{{#endURL}} <a href="{{endURL}}" class="small">End this pair…</a>{{/endURL}}{{#whyURL}} · <a href="{{whyURL}}" class="small">Score</a>{{/whyURL}}{{#pairsURL}} <a href="{{pairsURL}}" class="small">Review the proposals</a>{{/pairsURL}}</li>{{/items}}
</ul>
</section>
{{/groups}}

"""#

    /// A group as the page gave it to the old template: an item's links only where it has them.
    static func oldDictionary(_ g: ReviewGroupView) -> [String: Any] {
        ["title": g.title, "count": g.items.count, "kind": g.kind, "items": g.items.map { i -> [String: Any] in
            var d: [String: Any] = ["name": i.name, "message": i.message]
            for (k, v) in [("endURL", i.endURL), ("whyURL", i.whyURL), ("pairsURL", i.pairsURL)] where !v.isEmpty { d[k] = v }
            return d
        }]
    }

    @Test func reviewGroupsAreTheBytesTheTemplateWrote() throws {
        var g = Rand(state: 22)
        for _ in 0..<300 {
            let groups = (0..<g.int(4)).map { _ in
                ReviewGroupView(kind: g.text(), title: g.text(), items: (0..<g.int(4)).map { _ in
                    ReviewGroupView.Item(name: g.text(), message: g.text(), endURL: g.bool() ? "" : g.text(),
                                         whyURL: g.bool() ? "" : g.text(), pairsURL: g.bool() ? "" : g.text())
                })
            }
            #expect(ReviewGroupView.write(groups).html == (try TableWriterTests.old(Self.oldGroups, ["groups": groups.map(Self.oldDictionary)])))
        }
    }

    @Test func theReviewPageIsTheBytesTheOldTemplateWrote() async throws {
        let term = try await AwkwardTerm()
        let query = ["missed": "1", "attendance": "100", "asOf": "2026-10-01"]
        let (data, groups, termName) = try DuringTermPages.reviewPage(term.site, term: SchemeFixture.term, query: query)
        // Every kind of link is on the page: ending a pair, its score, the proposals.
        let items = groups.flatMap(\.items)
        #expect(items.contains { !$0.endURL.isEmpty && !$0.whyURL.isEmpty } && items.contains { !$0.pairsURL.isEmpty }, "\(groups)")
        let (newPage, oldPage) = try term.render("review", data: data, title: "Review · \(termName)", nav: "register",
                                                 tag: "{{{groupsHTML}}}", oldSection: Self.oldGroups,
                                                 new: ["groupsHTML": ReviewGroupView.write(groups)], old: ["groups": groups.map(Self.oldDictionary)])
        #expect(newPage.components(separatedBy: "<section aria-labelledby=\"rv-").count - 1 == groups.count)
        #expect(Array(newPage.utf8) == Array(oldPage.utf8))
    }

    // MARK: - The withdraw form's pickers

    static let oldMentees = #"{{#mentees}}<option value="{{id}}">{{label}}</option>{{/mentees}}"#
    static let oldMentors = #"{{#mentors}}<option value="{{id}}">{{label}}</option>{{/mentors}}"#

    static func oldPeople(_ people: [(id: String, label: String)]) -> [[String: Any]] { people.map { ["id": $0.id, "label": $0.label] } }

    @Test func theWithdrawFormIsTheBytesTheOldTemplateWrote() async throws {
        var g = Rand(state: 23)
        for _ in 0..<300 {
            let people = (0..<g.int(4)).map { _ in (id: g.text(), label: g.text()) }
            #expect(PairRowView.options(people).html == (try TableWriterTests.old(Self.oldMentees, ["mentees": Self.oldPeople(people)])))
        }
        let term = try await AwkwardTerm()
        let (data, mentees, mentors, termName) = try DuringTermPages.withdrawPage(term.site, term: SchemeFixture.term)
        #expect(mentees.count == 5 && mentors.count == 4)
        let text = try String(contentsOf: AwkwardTerm.templatesFolder.appendingPathComponent("withdraw.mustache"), encoding: .utf8)
        // Both pickers are one template section each; the old page has both sections back.
        let (newPage, oldPage) = try term.render("withdraw", data: data, title: "Withdraw someone", nav: "register",
                                                 tag: "{{{menteesHTML}}}", oldSection: Self.oldMentees,
                                                 new: ["menteesHTML": PairRowView.options(mentees), "mentorsHTML": PairRowView.options(mentors)],
                                                 old: ["mentees": Self.oldPeople(mentees), "mentorsHTML": PairRowView.options(mentors)])
        #expect(Array(newPage.utf8) == Array(oldPage.utf8))
        let (newPage2, oldPage2) = try term.render("withdraw", data: data, title: "Withdraw someone", nav: "register",
                                                   tag: "{{{mentorsHTML}}}", oldSection: Self.oldMentors,
                                                   new: ["menteesHTML": PairRowView.options(mentees), "mentorsHTML": PairRowView.options(mentors)],
                                                   old: ["menteesHTML": PairRowView.options(mentees), "mentors": Self.oldPeople(mentors)])
        #expect(newPage2 == newPage)
        #expect(Array(newPage2.utf8) == Array(oldPage2.utf8))
        #expect(newPage.contains("<option value=\"e1\">Ella &quot;&amp;amp;&quot; Jones (e1)</option>"), "\(newPage)")
        #expect(text.contains("{{{menteesHTML}}}") && text.contains("{{{mentorsHTML}}}"))
    }

    // MARK: - The report's mentors

    static let oldMentorRows = #"{{#mentors}}<tr><td>{{name}}</td><td class="num">{{hours}}</td><td class="num">{{sessions}}</td><td class="num">{{weeks}}</td><td class="num">{{most}}</td><td class="num">{{agreed}}</td></tr>{{/mentors}}"#

    static func oldDictionary(_ m: MentorHoursRowView) -> [String: Any] {
        ["name": m.name, "hours": m.hours, "sessions": m.sessions, "weeks": m.weeks, "most": m.most, "agreed": m.agreed]
    }

    @Test func reportMentorRowsAreTheBytesTheTemplateWrote() throws {
        var g = Rand(state: 24)
        for _ in 0..<300 {
            let rows = (0..<g.int(4)).map { _ in
                MentorHoursRowView(name: g.text(), hours: g.text(), sessions: g.int(40) - 5, weeks: g.int(20), most: g.text(), agreed: g.bool() ? "–" : g.text())
            }
            #expect(MentorHoursRowView.write(rows).html == (try TableWriterTests.old(Self.oldMentorRows, ["mentors": rows.map(Self.oldDictionary)])))
        }
    }

    @Test func theReportPageIsTheBytesTheOldTemplateWrote() async throws {
        let term = try await AwkwardTerm()
        let (data, mentors, termName) = try ReportPages.reportPage(term.site, term: SchemeFixture.term)
        #expect(!mentors.isEmpty && mentors.contains { $0.sessions > 0 })
        let (newPage, oldPage) = try term.render("report", data: data, title: "Report · \(termName)", nav: "report",
                                                 tag: "{{{mentorsHTML}}}", oldSection: Self.oldMentorRows,
                                                 new: ["mentorsHTML": MentorHoursRowView.write(mentors)], old: ["mentors": mentors.map(Self.oldDictionary)])
        #expect(newPage.contains("<td>O&#39;Brien &amp; &lt;b&gt;Sons&lt;/b&gt;</td>"), "\(newPage)")
        #expect(Array(newPage.utf8) == Array(oldPage.utf8))
    }
}
