import Foundation
import Mustache

/// The big per-row tables of the whole-term pages (the register's 2,000 sessions, the pairs
/// page's rows and its people pickers (also the withdraw form's), the slips, the week grid, the
/// review list, the report's mentors), written by typed Swift instead of a Mustache
/// section; the page shell stays a template and takes the rows as one ``PreEscapedHTML`` value.
///
/// Why not the templates for these rows (the project prefers the library and hand-writes only
/// what is measured): `perf record -g` on the release server rendering the whole-term pages put
/// about 28% of the first view in swift-mustache (dynamic lookups and casts of `[String: Any]`
/// rows, 11% in child lookups alone, 6% HTML escaping) for rows that are the same few lines
/// repeated 2,000 times (README, "Web page benchmark"). The output is byte for byte what the
/// row templates wrote (`TableWriterTests` renders both ways, awkward names included).
///
/// Every value goes through ``text(_:)``, which escapes as every template's `{{value}}` does
/// (``HTMLEscaping``); only the writer's own literal markup goes through ``raw(_:)``.
struct HTMLWriter {
    /// UTF-8 bytes, turned into one String at the end.
    private var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// Markup of the writer's own (never a value).
    mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A value, HTML-escaped (``HTMLEscaping``).
    mutating func text(_ s: String) { HTMLEscaping.append(s, to: &bytes) }

    mutating func text(_ n: Int) { bytes.append(contentsOf: String(n).utf8) }

    var value: PreEscapedHTML { PreEscapedHTML(html: String(decoding: bytes, as: UTF8.self)) }
}

/// HTML already escaped by ``HTMLWriter``, for a template's `{{{triple}}}` tag. Written with
/// `{{double}}` braces by mistake it would be escaped again (shown as markup, never run).
struct PreEscapedHTML: MustacheCustomRenderable {
    let html: String
    var renderText: String { html }
    var isNull: Bool { html.isEmpty }
}

// MARK: - The register's rows

/// One session of the register page, as the page shows it.
struct RegisterRowView {
    var n: Int
    var key: String
    var mentor: String
    var mentee: String
    var when: String
    var planned: Bool
    /// The recorded outcome, if any (the radio that starts checked).
    var outcome: String?
    var recorded: String
    var note: String
    var minutes: String

    /// The choices, as `DuringTermPages.outcomes` lists them: (value, label).
    static func write(_ rows: [RegisterRowView], choices: [(value: String, label: String)]) -> PreEscapedHTML {
        var w = HTMLWriter(capacity: rows.count * 1_400)
        for r in rows {
            w.raw("<fieldset class=\"register-row\">\n<legend>"); w.text(r.mentor); w.raw(" and "); w.text(r.mentee)
            w.raw(" <span class=\"meta\">"); w.text(r.when)
            if !r.planned { w.raw(" · not on the timetable") }
            w.raw("</span></legend>\n<input type=\"hidden\" name=\"row\" value=\""); w.text(r.key); w.raw("\">\n")
            for c in choices where c.value == r.outcome {
                w.raw("<input type=\"hidden\" name=\"was-"); w.text(r.key); w.raw("\" value=\""); w.text(c.value); w.raw("\">")
            }
            w.raw("\n<input type=\"hidden\" name=\"wasnote-"); w.text(r.key); w.raw("\" value=\""); w.text(r.note)
            w.raw("\"><input type=\"hidden\" name=\"wasminutes-"); w.text(r.key); w.raw("\" value=\""); w.text(r.minutes)
            w.raw("\">\n<div class=\"choices\" role=\"radiogroup\" aria-label=\"What happened: "); w.text(r.mentor); w.raw(" and "); w.text(r.mentee)
            w.raw("\">\n")
            for c in choices {
                let id = "r\(r.n)-\(c.value)"
                w.raw("<label for=\""); w.text(id); w.raw("\"><input type=\"radio\" id=\""); w.text(id); w.raw("\" name=\"outcome-"); w.text(r.key)
                w.raw("\" value=\""); w.text(c.value); w.raw("\"")
                if c.value == r.outcome { w.raw(" checked") }
                w.raw("> "); w.text(c.label); w.raw("</label>")
            }
            w.raw("\n</div>\n<details class=\"more\"><summary>Minutes and a note</summary>\n<div class=\"rowform\">\n")
            w.raw("<div class=\"field\"><label for=\"min-"); w.text(r.n); w.raw("\">Minutes</label><input type=\"number\" id=\"min-"); w.text(r.n)
            w.raw("\" name=\"minutes-"); w.text(r.key); w.raw("\" value=\""); w.text(r.minutes)
            w.raw("\" min=\"1\" max=\"600\" inputmode=\"numeric\"></div>\n")
            w.raw("<div class=\"field\"><label for=\"note-"); w.text(r.n); w.raw("\">Note</label><input id=\"note-"); w.text(r.n)
            w.raw("\" name=\"note-"); w.text(r.key); w.raw("\" value=\""); w.text(r.note); w.raw("\" maxlength=\"200\"></div>\n")
            w.raw("</div>\n</details>\n")
            if !r.recorded.isEmpty { w.raw("<p class=\"hint\">"); w.text(r.recorded); w.raw("</p>") }
            w.raw("\n</fieldset>\n")
        }
        return w.value
    }
}

// MARK: - The pairs page's rows and pickers

/// One row of the pairs table, as the page shows it.
struct PairRowView {
    var key: String
    var mentor: String
    var mentorID: String
    var mentee: String
    var menteeID: String
    var score: String
    var reasons: [String]
    var state: String
    var stateText: String
    var locked: Bool
    var canApprove: Bool
    var canDecline: Bool
    var canLock: Bool
    var canUnlock: Bool
    var whyURL: String

    static func write(_ rows: [PairRowView]) -> PreEscapedHTML {
        var w = HTMLWriter(capacity: rows.count * 1_600)
        for r in rows {
            w.raw("<tr>\n<td><input type=\"checkbox\" name=\"pair\" value=\""); w.text(r.key); w.raw("\" id=\"tick-"); w.text(r.key)
            w.raw("\" aria-label=\"Tick "); w.text(r.mentor); w.raw(" and "); w.text(r.mentee); w.raw("\"></td>\n<td>"); w.text(r.mentor)
            if r.mentor != r.mentorID { w.raw(" <span class=\"id\">"); w.text(r.mentorID); w.raw("</span>") }
            w.raw("</td>\n<td>"); w.text(r.mentee)
            if r.mentee != r.menteeID { w.raw(" <span class=\"id\">"); w.text(r.menteeID); w.raw("</span>") }
            w.raw("</td>\n<td class=\"num score\">"); w.text(r.score); w.raw("</td>\n<td><ul class=\"reasons\">")
            for reason in r.reasons { w.raw("<li>"); w.text(reason); w.raw("</li>") }
            w.raw("</ul></td>\n<td><span class=\"badge state-"); w.text(r.state); w.raw("\">"); w.text(r.stateText); w.raw("</span>")
            if r.locked { w.raw(" <span class=\"badge state-locked\">locked</span>") }
            w.raw("</td>\n<td class=\"rowactions\">\n")
            func button(_ on: Bool, _ action: StaticString, _ cls: StaticString, _ label: StaticString, _ text: StaticString) {
                guard on else { return }
                w.raw("<button type=\"submit\" name=\"row\" value=\""); w.raw(action); w.raw(" "); w.text(r.key); w.raw("\" class=\""); w.raw(cls)
                w.raw("\" aria-label=\""); w.raw(label); w.raw(" "); w.text(r.mentor); w.raw(" and "); w.text(r.mentee); w.raw("\">"); w.raw(text); w.raw("</button>")
            }
            button(r.canApprove, "approve", "small", "Approve", "Approve"); w.raw("\n")
            button(r.canLock, "lock", "small secondary", "Lock", "Lock"); w.raw("\n")
            button(r.canUnlock, "unlock", "small secondary", "Unlock", "Unlock"); w.raw("\n")
            button(r.canDecline, "decline", "small secondary", "Decline", "Decline…"); w.raw("\n")
            w.raw("<a href=\""); w.text(r.whyURL); w.raw("\" class=\"small\">Score</a>\n</td>\n</tr>\n")
        }
        return w.value
    }

    /// `<option value="{{id}}">{{label}}</option>` for each person of a picker.
    static func options(_ people: [(id: String, label: String)]) -> PreEscapedHTML {
        var w = HTMLWriter(capacity: people.count * 60)
        for p in people { w.raw("<option value=\""); w.text(p.id); w.raw("\">"); w.text(p.label); w.raw("</option>") }
        return w.value
    }
}

// MARK: - The slips

/// One person's slip, as the page shows it.
struct SlipView {
    struct Meeting {
        var with: String
        var when: String
        var room: String
        var dates: String
        var first: String
    }
    var name: String
    var role: String
    var meetings: [Meeting]

    static func write(_ slips: [SlipView], termName: String) -> PreEscapedHTML {
        var w = HTMLWriter(capacity: slips.count * 400)
        for s in slips {
            w.raw("<section class=\"slip\" aria-label=\"Slip for "); w.text(s.name); w.raw("\">\n<h2>"); w.text(s.name)
            w.raw("</h2>\n<p class=\"meta\">"); w.text(s.role); w.raw(" · "); w.text(termName); w.raw("</p>\n")
            for m in s.meetings {
                w.raw("<dl>\n<dt>With</dt><dd>"); w.text(m.with); w.raw("</dd>\n<dt>When</dt><dd>"); w.text(m.when)
                w.raw("</dd>\n<dt>Where</dt><dd>"); w.text(m.room); w.raw("</dd>\n")
                if !m.first.isEmpty { w.raw("<dt>First</dt><dd>"); w.text(m.first); w.raw("</dd>") }
                w.raw("\n")
                if !m.dates.isEmpty { w.raw("<dt>Term</dt><dd>"); w.text(m.dates); w.raw("</dd>") }
                w.raw("\n</dl>\n")
            }
            w.raw("</section>\n")
        }
        return w.value
    }
}

// MARK: - The week grid

/// The timetable page's week grid below its header (rooms across, slots down): a `<tbody>` a day.
struct WeekGridView {
    struct Meeting {
        /// The mentor; every mentee, by name, joined by ", "; the dates this session alone drops, or "".
        var mentor, mentees, skipped: String
        /// A locked pair keeps its place: no Move link.
        var locked: Bool
        var moveURL, moveLabel: String
    }
    struct Row {
        var time, label: String
        /// One cell a room, in the header's order: the meetings there (none: free).
        var cells: [[Meeting]]
    }
    struct Day {
        /// The day, and the columns its heading spans (the rooms and the slot column).
        var day: String, span: Int
        var rows: [Row]
    }

    static func write(_ days: [Day]) -> PreEscapedHTML {
        var w = HTMLWriter(capacity: days.reduce(0) { $0 + $1.rows.count } * 4_000)
        for d in days {
            w.raw("<tbody>\n<tr class=\"day\"><th scope=\"rowgroup\" colspan=\""); w.text(d.span); w.raw("\">"); w.text(d.day); w.raw("</th></tr>\n")
            for r in d.rows {
                w.raw("<tr><th scope=\"row\">"); w.text(r.time)
                if !r.label.isEmpty { w.raw("<span class=\"meta\">"); w.text(r.label); w.raw("</span>") }
                w.raw("</th>\n")
                for cell in r.cells {
                    guard !cell.isEmpty else { w.raw("<td class=\"free\">free</td>"); continue }
                    w.raw("<td><ul class=\"meet\">")
                    for m in cell {
                        w.raw("<li><strong>"); w.text(m.mentor); w.raw("</strong> <span aria-hidden=\"true\">→</span><span class=\"sr\">meets</span> "); w.text(m.mentees)
                        if !m.skipped.isEmpty { w.raw("<span class=\"meta\">not "); w.text(m.skipped); w.raw("</span>") }
                        w.raw(" ")
                        if m.locked {
                            w.raw("<span class=\"badge state-locked\">locked</span>")
                        } else {
                            w.raw("<a href=\""); w.text(m.moveURL); w.raw("\" class=\"noprint small\" aria-label=\""); w.text(m.moveLabel); w.raw("\">Move</a>")
                        }
                        w.raw("</li>")
                    }
                    w.raw("</ul></td>")
                }
                w.raw("\n</tr>\n")
            }
            w.raw("</tbody>\n")
        }
        return w.value
    }
}

// MARK: - The review list

/// One group of the review list (missed sessions in a row, low attendance, ...) and its items.
struct ReviewGroupView {
    struct Item {
        var name, message: String
        /// Links shown when not "".
        var endURL, whyURL, pairsURL: String
    }
    var kind, title: String
    var items: [Item]

    static func write(_ groups: [ReviewGroupView]) -> PreEscapedHTML {
        var w = HTMLWriter(capacity: groups.reduce(0) { $0 + $1.items.count } * 300)
        for g in groups {
            w.raw("<section aria-labelledby=\"rv-"); w.text(g.kind); w.raw("\">\n<h2 id=\"rv-"); w.text(g.kind); w.raw("\">"); w.text(g.title)
            w.raw(" ("); w.text(g.items.count); w.raw(")</h2>\n<ul class=\"reviewlist\">\n")
            for i in g.items {
                w.raw("<li><strong>"); w.text(i.name); w.raw("</strong>: "); w.text(i.message)
                if !i.endURL.isEmpty { w.raw(" <a href=\""); w.text(i.endURL); w.raw("\" class=\"small\">End this pair…</a>") }
                if !i.whyURL.isEmpty { w.raw(" · <a href=\""); w.text(i.whyURL); w.raw("\" class=\"small\">Score</a>") }
                if !i.pairsURL.isEmpty { w.raw(" <a href=\""); w.text(i.pairsURL); w.raw("\" class=\"small\">Review the proposals</a>") }
                w.raw("</li>")
            }
            w.raw("\n</ul>\n</section>\n")
        }
        return w.value
    }
}

// MARK: - The report's mentors

/// One mentor's row of the report's "Mentors' time" table.
struct MentorHoursRowView {
    var name, hours: String
    var sessions, weeks: Int
    var most, agreed: String

    static func write(_ rows: [MentorHoursRowView]) -> PreEscapedHTML {
        var w = HTMLWriter(capacity: rows.count * 200)
        for r in rows {
            w.raw("<tr><td>"); w.text(r.name); w.raw("</td><td class=\"num\">"); w.text(r.hours); w.raw("</td><td class=\"num\">"); w.text(r.sessions)
            w.raw("</td><td class=\"num\">"); w.text(r.weeks); w.raw("</td><td class=\"num\">"); w.text(r.most)
            w.raw("</td><td class=\"num\">"); w.text(r.agreed); w.raw("</td></tr>")
        }
        return w.value
    }
}
