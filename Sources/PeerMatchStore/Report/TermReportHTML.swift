import Foundation
import PeerMatch

/// The term report as one printable page (A4 portrait): the headline figures, attendance by week
/// (a chart drawn as inline SVG, and the same numbers in a table), mentors' hours, endings by
/// reason, and the outcome measures' paired change with its interval and n.
///
/// Self-contained like the timetable page: inline CSS and SVG, no scripts, fonts, images or
/// fetches, so it opens offline and the children's names stay on the machine; every piece of
/// text is HTML-escaped. The page says which revision of the store it shows rather than the time
/// it was made, so the same store gives the same bytes.
public enum TermReportHTML {
    public static func render(_ r: TermReport) -> String {
        let esc = HTMLReport.esc
        var h = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(esc(r.termName)) — end of term report</title>
        <style>\(css)</style>
        </head>
        <body>
        <header>
        <p class="scheme">\(esc(r.scheme))</p>
        <h1>\(esc(r.termName)): end of term report</h1>
        <p class="summary">Term \(esc(long(r.start))) to \(esc(long(r.end))) · term id \(esc(r.term.rawValue)) · figures as of store revision \(r.revision)</p>
        </header>
        <main>
        <section aria-labelledby="headline">
        <h2 id="headline">At a glance</h2>
        <dl class="cards">

        """
        func card(_ label: String, _ value: String, _ note: String) {
            h += "<div class=\"card\"><dt>\(esc(label))</dt><dd><span class=\"big\">\(esc(value))</span><span class=\"note\">\(esc(note))</span></dd></div>\n"
        }
        card("Mentees matched", percent(r.matchedShare), "\(r.matchedMentees) of \(r.mentees) mentees")
        card("Sessions held", String(r.sessions.held), "of \(r.sessions.planned) planned · \(r.sessions.recorded) recorded")
        card("Attendance", percent(r.sessions.attendance), "held ÷ (held + missed)")
        card("Mentoring time", hours(r.totalMinutes), "by \(r.mentorHours.filter { $0.minutes > 0 }.count) of \(r.mentors) mentors")
        card("Pairs ended", String(r.endings.values.reduce(0, +)), "\(r.endedNoRepeat) not to be paired again")
        card("Withdrawals", String(r.withdrawals), "\(r.unmatchedNow) mentee\(r.unmatchedNow == 1 ? "" : "s") unmatched now")
        h += "</dl>\n</section>\n"

        // Attendance by week: chart and table.
        h += "<section aria-labelledby=\"weeks\">\n<h2 id=\"weeks\">Attendance by week</h2>\n"
        h += chart(r.weeks)
        h += "<table class=\"figures\">\n<caption>Sessions recorded each week. Attendance is held ÷ (held + missed by mentee + missed by mentor); cancelled sessions and closures do not count.</caption>\n"
        h += "<thead><tr><th scope=\"col\">Week of</th><th scope=\"col\">Planned</th><th scope=\"col\">Held</th><th scope=\"col\">Missed by mentee</th><th scope=\"col\">Missed by mentor</th><th scope=\"col\">Cancelled</th><th scope=\"col\">Closure</th><th scope=\"col\">Attendance</th></tr></thead>\n<tbody>\n"
        for w in r.weeks {
            let s = w.sessions
            if w.skipped && s.recorded == 0 {
                h += "<tr class=\"skipped\"><th scope=\"row\">\(esc(short(w.weekStart)))</th><td colspan=\"7\">no sessions (skipped week)</td></tr>\n"
                continue
            }
            h += "<tr><th scope=\"row\">\(esc(short(w.weekStart)))</th><td>\(s.planned)</td><td>\(s.held)</td><td>\(s.missedByMentee)</td><td>\(s.missedByMentor)</td><td>\(s.cancelled)</td><td>\(s.closure)</td><td>\(esc(percent(s.attendance)))</td></tr>\n"
        }
        let s = r.sessions
        h += "</tbody>\n<tfoot><tr><th scope=\"row\">Term</th><td>\(s.planned)</td><td>\(s.held)</td><td>\(s.missedByMentee)</td><td>\(s.missedByMentor)</td><td>\(s.cancelled)</td><td>\(s.closure)</td><td>\(esc(percent(s.attendance)))</td></tr></tfoot>\n</table>\n</section>\n"

        // Outcomes.
        h += "<section aria-labelledby=\"outcomes\">\n<h2 id=\"outcomes\">Outcomes</h2>\n"
        if r.outcomes.isEmpty {
            h += "<p>No outcome scores were recorded this term.</p>\n"
        } else {
            h += "<table class=\"figures\">\n<caption>Paired change (post − pre) for mentees with both scores: mean with its 95% confidence interval (t distribution), and n.</caption>\n"
            h += "<thead><tr><th scope=\"col\">Measure</th><th scope=\"col\">Mentees</th><th scope=\"col\">n</th><th scope=\"col\">Pre mean</th><th scope=\"col\">Post mean</th><th scope=\"col\">Mean change</th><th scope=\"col\">95% interval</th><th scope=\"col\">One score only</th></tr></thead>\n<tbody>\n"
            for o in r.outcomes {
                let interval = (o.low != nil && o.high != nil) ? "\(signed(o.low!)) to \(signed(o.high!))" : "needs n ≥ 2"
                h += "<tr><th scope=\"row\">\(esc(o.title))</th><td>\(o.group == .matched ? "matched" : "not matched")</td><td>\(o.n)</td><td>\(esc(o.preMean.map(fixed) ?? "–"))</td><td>\(esc(o.postMean.map(fixed) ?? "–"))</td><td>\(esc(o.meanChange.map(signed) ?? "–"))</td><td>\(esc(interval))</td><td>\(o.unpaired)</td></tr>\n"
            }
            h += "</tbody>\n</table>\n"
        }
        h += "</section>\n"

        // Mentors' time.
        h += "<section aria-labelledby=\"hours\">\n<h2 id=\"hours\">Mentors' time</h2>\n"
        h += "<table class=\"figures\">\n<caption>Held sessions per mentor. A record without minutes counts the slot's length, or \(r.defaultSessionMinutes) minutes.</caption>\n"
        h += "<thead><tr><th scope=\"col\">Mentor</th><th scope=\"col\">Sessions held</th><th scope=\"col\">Time</th><th scope=\"col\">Weeks</th><th scope=\"col\">Most in a week</th><th scope=\"col\">Agreed a week</th></tr></thead>\n<tbody>\n"
        for m in r.mentorHours {
            let over = m.agreedMinutesPerWeek.map { m.mostInAWeek > $0 } ?? false
            h += "<tr\(over ? " class=\"over\"" : "")><th scope=\"row\">\(esc(m.name)) <span class=\"id\">\(esc(m.id.rawValue))</span></th><td>\(m.sessionsHeld)</td><td>\(esc(hours(m.minutes)))</td><td>\(m.weeks)</td><td>\(esc(hours(m.mostInAWeek)))\(over ? " (over)" : "")</td><td>\(esc(m.agreedMinutesPerWeek.map(hours) ?? "–"))</td></tr>\n"
        }
        h += "</tbody>\n</table>\n</section>\n"

        // Pairs and endings.
        h += "<section aria-labelledby=\"endings\">\n<h2 id=\"endings\">Pairs and endings</h2>\n<div class=\"twocol\">\n"
        h += "<table class=\"figures\">\n<caption>Pairs by state</caption>\n<tbody>\n"
        for state in PairState.allCases where state != .superseded {
            h += "<tr><th scope=\"row\">\(esc(state.rawValue))</th><td>\(r.pairsByState[state] ?? 0)</td></tr>\n"
        }
        h += "</tbody>\n</table>\n"
        h += "<table class=\"figures\">\n<caption>Endings by reason</caption>\n<tbody>\n"
        for e in EndReason.allCases {
            h += "<tr><th scope=\"row\">\(esc(e.label))</th><td>\(r.endings[e] ?? 0)</td></tr>\n"
        }
        h += "</tbody>\n</table>\n</div>\n</section>\n"
        h += "</main>\n<footer><p>Made by PeerMatch from the scheme file. It holds children's data: keep printed copies as you would the register.</p></footer>\n</body>\n</html>\n"
        return h
    }

    /// Stacked bars per week (held, missed by mentee, missed by mentor, cancelled or closure),
    /// with the attendance share above each bar. Drawn in SVG user units; the page scales it.
    static func chart(_ weeks: [WeekFigures]) -> String {
        guard !weeks.isEmpty else { return "" }
        let width = 680.0, height = 200.0, left = 36.0, bottom = 28.0, top = 18.0
        let most = max(1, weeks.map { $0.sessions.recorded }.max() ?? 1)
        let tick = max(1, Int((Double(most) / 4).rounded(.up)))
        let maxCount = ((most + tick - 1) / tick) * tick
        let step = (width - left - 8) / Double(weeks.count)
        let barWidth = max(4, step * 0.62)
        func y(_ n: Double) -> Double { top + (height - top - bottom) * (1 - n / Double(maxCount)) }
        var svg = "<figure class=\"chart\">\n<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"chart-title\">\n"
        svg += "<title id=\"chart-title\">Sessions recorded each week, by outcome</title>\n"
        // Axis with up to five ticks.
        var t = 0
        while t <= maxCount {
            let yy = y(Double(t))
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(yy))\" x2=\"\(f(width - 4))\" y2=\"\(f(yy))\" class=\"grid\"/><text x=\"\(f(left - 4))\" y=\"\(f(yy + 3))\" class=\"axis\" text-anchor=\"end\">\(t)</text>\n"
            t += tick
        }
        for (k, w) in weeks.enumerated() {
            let x = left + Double(k) * step + (step - barWidth) / 2
            let s = w.sessions
            var base = 0.0
            for (n, cls) in [(s.held, "held"), (s.missedByMentee, "mentee"), (s.missedByMentor, "mentor"), (s.cancelled + s.closure, "off")] where n > 0 {
                let y0 = y(base), y1 = y(base + Double(n))
                svg += "<rect x=\"\(f(x))\" y=\"\(f(y1))\" width=\"\(f(barWidth))\" height=\"\(f(y0 - y1))\" class=\"\(cls)\"/>\n"
                base += Double(n)
            }
            if let a = s.attendance {
                svg += "<text x=\"\(f(x + barWidth / 2))\" y=\"\(f(y(base) - 4))\" class=\"pct\" text-anchor=\"middle\">\(Int((a * 100).rounded()))%</text>\n"
            } else if w.skipped {
                svg += "<text x=\"\(f(x + barWidth / 2))\" y=\"\(f(y(0) - 4))\" class=\"pct\" text-anchor=\"middle\">–</text>\n"
            }
            if weeks.count <= 16 || k % 2 == 0 {
                svg += "<text x=\"\(f(x + barWidth / 2))\" y=\"\(f(height - bottom + 12))\" class=\"axis\" text-anchor=\"middle\">\(HTMLReport.esc(short(w.weekStart)))</text>\n"
            }
        }
        svg += "</svg>\n<figcaption><span class=\"key held\"></span>held <span class=\"key mentee\"></span>missed by mentee <span class=\"key mentor\"></span>missed by mentor <span class=\"key off\"></span>cancelled or closure · percentages: attendance</figcaption>\n</figure>\n"
        return svg
    }

    static func f(_ x: Double) -> String { String(format: "%.1f", x) }
    static func percent(_ x: Double?) -> String { x.map { "\(Int(($0 * 100).rounded()))%" } ?? "–" }
    static func fixed(_ x: Double) -> String { String(format: "%.1f", x) }
    static func signed(_ x: Double) -> String { (x >= 0 ? "+" : "−") + String(format: "%.1f", abs(x)) }
    static func hours(_ minutes: Int) -> String { SchemeStore.hours(minutes) }

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    static func long(_ d: CalendarDate) -> String { "\(d.weekday.name) \(d.day) \(months[d.month - 1]) \(d.year)" }
    static func short(_ d: CalendarDate) -> String { "\(d.day) \(months[d.month - 1].prefix(3))" }

    static let css = """
    @page { size: A4 portrait; margin: 14mm; }
    * { box-sizing: border-box; }
    body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; color: #1a1a1a; margin: 0 auto; max-width: 190mm; padding: 8mm 0; line-height: 1.35; }
    header { border-bottom: 2px solid #1a1a1a; margin-bottom: 4mm; }
    .scheme { margin: 0; font-size: 9pt; text-transform: uppercase; letter-spacing: 0.06em; color: #555; }
    h1 { font-size: 17pt; margin: 1mm 0 1mm; }
    h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 1px solid #bbb; padding-bottom: 1mm; }
    .summary { margin: 0 0 2mm; color: #444; }
    /* Long tables may run over a page; a heading stays with what follows it, and the cards,
       the chart and the small tables are never split. */
    h2 { break-after: avoid-page; }
    .cards, figure.chart, .twocol, table.figures caption { break-inside: avoid-page; }
    .cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 3mm; margin: 0; }
    .card { border: 1px solid #999; border-radius: 2mm; padding: 2.5mm 3mm; }
    .card dt { font-size: 8.5pt; color: #444; text-transform: uppercase; letter-spacing: 0.04em; }
    .card dd { margin: 0; }
    .big { display: block; font-size: 18pt; font-weight: bold; }
    .note { display: block; font-size: 8.5pt; color: #444; }
    table.figures { border-collapse: collapse; width: 100%; margin: 2mm 0; font-variant-numeric: tabular-nums; }
    table.figures caption { text-align: left; font-size: 8.5pt; color: #444; padding-bottom: 1mm; }
    table.figures th, table.figures td { border-bottom: 1px solid #ddd; padding: 1mm 1.5mm; text-align: right; }
    table.figures th[scope="row"] { text-align: left; font-weight: normal; }
    table.figures thead th { border-bottom: 1.5px solid #555; font-size: 8.5pt; }
    table.figures thead th:first-child { text-align: left; }
    table.figures tfoot td, table.figures tfoot th { border-top: 1.5px solid #555; font-weight: bold; }
    thead { display: table-header-group; }
    tfoot { display: table-row-group; }
    tr { break-inside: avoid; }
    tr.skipped td { color: #777; text-align: left; font-style: italic; }
    tr.over td, tr.over th { background: #fdecea; }
    .id { color: #777; font-size: 8pt; }
    .twocol { display: grid; grid-template-columns: 1fr 1fr; gap: 6mm; align-items: start; }
    figure.chart { margin: 0 0 2mm; }
    figure.chart svg { width: 100%; height: auto; }
    figcaption { font-size: 8.5pt; color: #444; }
    .key { display: inline-block; width: 3mm; height: 3mm; margin: 0 1mm 0 3mm; vertical-align: middle; }
    svg .grid { stroke: #e2e2e2; stroke-width: 1; }
    svg .axis { font-size: 9px; fill: #555; }
    svg .pct { font-size: 8.5px; fill: #1a1a1a; }
    .held { fill: #2b6a4f; background: #2b6a4f; }
    .mentee { fill: #e0a526; background: #e0a526; }
    .mentor { fill: #c0392b; background: #c0392b; }
    .off { fill: #b5b5b5; background: #b5b5b5; }
    footer { margin-top: 6mm; font-size: 8pt; color: #666; border-top: 1px solid #bbb; padding-top: 2mm; }
    @media print { body { padding: 0; } a { color: inherit; } }
    """
}
