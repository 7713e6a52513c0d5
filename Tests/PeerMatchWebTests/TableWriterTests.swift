import Foundation
import Mustache
import PeerMatch
import PeerMatchStore
import Testing
@testable import PeerMatchWeb

/// The register, pairs and slips rows are written by ``HTMLWriter`` instead of their Mustache
/// sections: the bytes must be the very ones the sections wrote. Each test renders the old
/// section (kept here, copied from the templates before the change) with the library and the
/// page's `Site.compact`, and the writer, on small random cases drawn from awkward strings.
@Suite struct TableWriterTests {
    /// Names and notes that escaping must get right: markup, both quotes, ampersands (also one
    /// already escaped), non-ASCII, a quote and an ampersand with a combining mark on them (one
    /// `Character` that swift-mustache's own escaping leaves as it is: ``HTMLEscaping``), emoji, empty.
    static let awkward = [
        "<script>alert(1)</script>", "\"quoted\" & 'single'", "O'Brien & Sons", "Zoë Ångström", "李小龙", "&amp;", "",
        "e\u{301}", "\"\u{301}", "&\u{301}x", "👩🏽‍🔬 Dr. <b>", "a>b<c", "line\nbreak\ttab", "Ben Okafor", "m1", "{{mentor}}", "%2F/x",
    ]

    struct Rand {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func bool() -> Bool { next() & 1 == 1 }
        mutating func text() -> String {
            let k = int(3) + 1
            return (0..<k).map { _ in TableWriterTests.awkward[int(TableWriterTests.awkward.count)] }.joined(separator: int(2) == 0 ? " " : "")
        }
    }

    static func old(_ template: String, _ data: [String: Any]) throws -> String {
        try MustacheTemplate(string: PageHTML.pragma + template).render(Site.compact(data))
    }

    // MARK: - Register

    static let oldRegisterRows = #"""
{{#rows}}
<fieldset class="register-row">
<legend>{{mentor}} and {{mentee}} <span class="meta">{{when}}{{^planned}} · not on the timetable{{/planned}}</span></legend>
<input type="hidden" name="row" value="{{key}}">
{{#choices}}{{#checked}}<input type="hidden" name="was-{{key}}" value="{{value}}">{{/checked}}{{/choices}}
<input type="hidden" name="wasnote-{{key}}" value="{{note}}"><input type="hidden" name="wasminutes-{{key}}" value="{{minutes}}">
<div class="choices" role="radiogroup" aria-label="What happened: {{mentor}} and {{mentee}}">
{{#choices}}<label for="{{id}}"><input type="radio" id="{{id}}" name="outcome-{{key}}" value="{{value}}"{{#checked}} checked{{/checked}}> {{label}}</label>{{/choices}}
</div>
<details class="more"><summary>Minutes and a note</summary>
<div class="rowform">
<div class="field"><label for="min-{{n}}">Minutes</label><input type="number" id="min-{{n}}" name="minutes-{{key}}" value="{{minutes}}" min="1" max="600" inputmode="numeric"></div>
<div class="field"><label for="note-{{n}}">Note</label><input id="note-{{n}}" name="note-{{key}}" value="{{note}}" maxlength="200"></div>
</div>
</details>
{{#recorded}}<p class="hint">{{recorded}}</p>{{/recorded}}
</fieldset>
{{/rows}}

"""#

    static func oldDictionary(_ r: RegisterRowView) -> [String: Any] {
        ["n": r.n, "key": r.key, "mentor": r.mentor, "mentee": r.mentee, "when": r.when, "planned": r.planned,
         "choices": DuringTermPages.outcomes.map { o in ["value": o.0.rawValue, "label": o.1, "checked": r.outcome == o.0.rawValue, "id": "r\(r.n)-\(o.0.rawValue)"] },
         "recorded": r.recorded, "note": r.note, "minutes": r.minutes]
    }

    @Test func registerRowsAreTheBytesTheTemplateWrote() throws {
        var g = Rand(state: 11)
        for _ in 0..<300 {
            let rows = (0..<g.int(4)).map { n in
                RegisterRowView(n: n, key: g.text(), mentor: g.text(), mentee: g.text(), when: g.text(), planned: g.bool(),
                                outcome: g.int(3) == 0 ? nil : DuringTermPages.outcomes[g.int(DuringTermPages.outcomes.count)].0.rawValue,
                                recorded: g.bool() ? "" : g.text(), note: g.bool() ? "" : g.text(), minutes: g.bool() ? "" : String(g.int(600)))
            }
            let new = RegisterRowView.write(rows, choices: DuringTermPages.choices).html
            #expect(new == (try Self.old(Self.oldRegisterRows, ["rows": rows.map(Self.oldDictionary)])))
        }
    }

    /// The whole register page, shell included, the old way (the template before the change,
    /// with the rows as dictionaries) and the new, on a term whose people have awkward names
    /// and whose records carry awkward notes.
    @Test func theRegisterPageIsTheBytesTheOldTemplateWrote() async throws {
        let term = try await AwkwardTerm()
        let rows = try term.scheme.store.register(term: SchemeFixture.term, week: term.week)
        let (data, views, termName) = try DuringTermPages.registerPage(term.site, term: SchemeFixture.term, asked: term.week)
        #expect(views.count == rows.count)
        let (newPage, oldPage) = try term.render("register", data: data, title: "Register · \(termName)", nav: "register",
                                                 tag: "{{{rowsHTML}}}", oldSection: Self.oldRegisterRows,
                                                 new: ["rowsHTML": RegisterRowView.write(views, choices: DuringTermPages.choices)],
                                                 old: ["rows": views.map(Self.oldDictionary)])
        #expect(newPage.contains("O&#39;Brien &amp; &lt;b&gt;Sons&lt;/b&gt;") && newPage.contains("&lt;i&gt;late&lt;/i&gt;"))
        #expect(newPage.components(separatedBy: "<fieldset class=\"register-row\">").count - 1 == rows.count)
        #expect(Array(newPage.utf8) == Array(oldPage.utf8))
    }

    // MARK: - Pairs

    static let oldPairRows = #"""
{{#rows}}
<tr>
<td><input type="checkbox" name="pair" value="{{key}}" id="tick-{{key}}" aria-label="Tick {{mentor}} and {{mentee}}"></td>
<td>{{mentor}}{{#showMentorID}} <span class="id">{{mentorID}}</span>{{/showMentorID}}</td>
<td>{{mentee}}{{#showMenteeID}} <span class="id">{{menteeID}}</span>{{/showMenteeID}}</td>
<td class="num score">{{score}}</td>
<td><ul class="reasons">{{#reasons}}<li>{{.}}</li>{{/reasons}}</ul></td>
<td><span class="badge state-{{state}}">{{stateText}}</span>{{#locked}} <span class="badge state-locked">locked</span>{{/locked}}</td>
<td class="rowactions">
{{#canApprove}}<button type="submit" name="row" value="approve {{key}}" class="small" aria-label="Approve {{mentor}} and {{mentee}}">Approve</button>{{/canApprove}}
{{#canLock}}<button type="submit" name="row" value="lock {{key}}" class="small secondary" aria-label="Lock {{mentor}} and {{mentee}}">Lock</button>{{/canLock}}
{{#canUnlock}}<button type="submit" name="row" value="unlock {{key}}" class="small secondary" aria-label="Unlock {{mentor}} and {{mentee}}">Unlock</button>{{/canUnlock}}
{{#canDecline}}<button type="submit" name="row" value="decline {{key}}" class="small secondary" aria-label="Decline {{mentor}} and {{mentee}}">Decline…</button>{{/canDecline}}
<a href="{{whyURL}}" class="small">Score</a>
</td>
</tr>
{{/rows}}

"""#

    static func oldDictionary(_ p: PairRowView) -> [String: Any] {
        ["key": p.key, "mentor": p.mentor, "mentorID": p.mentorID, "mentee": p.mentee, "menteeID": p.menteeID,
         "showMentorID": p.mentor != p.mentorID, "showMenteeID": p.mentee != p.menteeID,
         "score": p.score, "reasons": p.reasons, "state": p.state, "stateText": p.stateText, "locked": p.locked,
         "canApprove": p.canApprove, "canDecline": p.canDecline, "canLock": p.canLock, "canUnlock": p.canUnlock, "whyURL": p.whyURL]
    }

    @Test func pairRowsAndPickersAreTheBytesTheTemplateWrote() throws {
        var g = Rand(state: 12)
        for _ in 0..<300 {
            let rows = (0..<g.int(4)).map { _ in
                let mentor = g.text(), mentee = g.text()
                return PairRowView(key: g.text(), mentor: mentor, mentorID: g.bool() ? mentor : g.text(), mentee: mentee, menteeID: g.bool() ? mentee : g.text(),
                                   score: g.text(), reasons: (0..<g.int(3)).map { _ in g.text() }, state: g.text(), stateText: g.text(), locked: g.bool(),
                                   canApprove: g.bool(), canDecline: g.bool(), canLock: g.bool(), canUnlock: g.bool(), whyURL: g.text())
            }
            #expect(PairRowView.write(rows).html == (try Self.old(Self.oldPairRows, ["rows": rows.map(Self.oldDictionary)])))
            let people = (0..<g.int(4)).map { _ in (id: g.text(), label: g.text()) }
            let oldOptions = try Self.old(#"{{#mentorOptions}}<option value="{{id}}">{{label}}</option>{{/mentorOptions}}"#,
                                          ["mentorOptions": people.map { ["id": $0.id, "label": $0.label] }])
            #expect(PairRowView.options(people).html == oldOptions)
        }
    }

    // MARK: - Slips

    static let oldSlips = #"""
{{#slips}}
<section class="slip" aria-label="Slip for {{name}}">
<h2>{{name}}</h2>
<p class="meta">{{role}} · {{termName}}</p>
{{#meetings}}
<dl>
<dt>With</dt><dd>{{with}}</dd>
<dt>When</dt><dd>{{when}}</dd>
<dt>Where</dt><dd>{{room}}</dd>
{{#first}}<dt>First</dt><dd>{{first}}</dd>{{/first}}
{{#dates}}<dt>Term</dt><dd>{{dates}}</dd>{{/dates}}
</dl>
{{/meetings}}
</section>
{{/slips}}

"""#

    @Test func slipsAreTheBytesTheTemplateWrote() throws {
        var g = Rand(state: 13)
        for _ in 0..<300 {
            let termName = g.text()
            let slips = (0..<g.int(4)).map { _ in
                SlipView(name: g.text(), role: g.bool() ? "Mentor" : "Mentee", meetings: (0..<g.int(3)).map { _ in
                    SlipView.Meeting(with: g.text(), when: g.text(), room: g.text(), dates: g.bool() ? "" : g.text(), first: g.bool() ? "" : g.text())
                })
            }
            let dicts = slips.map { s -> [String: Any] in
                ["name": s.name, "role": s.role,
                 "meetings": s.meetings.map { m -> [String: Any] in ["with": m.with, "when": m.when, "room": m.room, "dates": m.dates, "first": m.first] }]
            }
            #expect(SlipView.write(slips, termName: termName).html == (try Self.old(Self.oldSlips, ["slips": dicts, "termName": termName])))
        }
    }

    /// A quote or an ampersand with a combining mark on it is one `Character`, which
    /// swift-mustache's own escaping leaves as it is; a browser still ends an attribute at that
    /// quote. Every template the site loads and the row writer escape it (``HTMLEscaping``), and
    /// text without such a mark comes out as the library's escaping wrote it.
    @Test func aQuoteWithACombiningMarkIsEscapedEverywhere() async throws {
        let name = "\"\u{301} autofocus onfocus=alert(1) x=\"&\u{301}lt;<\u{301}"
        #expect(HTMLEscaping.escape(name) == "&quot;\u{301} autofocus onfocus=alert(1) x=&quot;&amp;\u{301}lt;&lt;\u{301}")
        var w = HTMLWriter()
        w.text(name)
        #expect(w.value.html == HTMLEscaping.escape(name))
        let templates = try await Templates.bundled()
        let field = templates.render("csrf", ["csrf": name])
        #expect(field == "<input type=\"hidden\" name=\"_csrf\" value=\"\(HTMLEscaping.escape(name))\">\n", "\(field)")
        #expect(field.utf8.filter { $0 == 0x22 }.count == 6, "only the template's own quotes: \(field)")
        // Text without a combining mark on one of the five: the library's escaping, byte for byte.
        var rand = Rand(state: 11)
        for _ in 0..<300 {
            let text = rand.text().filter { !["\"\u{301}", "&\u{301}"].contains($0) }
            let plain = try MustacheTemplate(string: "{{v}}").render(["v": text])
            #expect(Array(HTMLEscaping.escape(text).utf8) == Array(plain.utf8), "\(text)")
        }
    }
}
