import Foundation
import Hummingbird
import PeerMatch
import PeerMatchStore

/// Journey 6: the term report with its plots (attendance by week, matched share, endings by
/// reason) drawn as SVG from the store's ``TermReport``, and its exports.
enum ReportPages {
    static func add(to router: Router<WebContext>, site: Site) {
        router.getCached("/terms/:term/report", site: site) { _, context in try report(site, context) }
        router.getCached("/terms/:term/report.csv", site: site) { _, context in try csv(site, context) }
        router.getCached("/terms/:term/report.html", site: site) { _, context in try printable(site, context) }
        router.get("/export.zip") { request, context in try export(site, request, context) }
    }

    static func report(_ site: Site, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        var (data, mentors, termName) = try reportPage(site, term: id)
        data["mentorsHTML"] = MentorHoursRowView.write(mentors)
        return site.page("report", title: "Report · \(termName)", context: context, data: data, nav: "report", term: site.termNav(id, name: termName))
    }

    /// The report page's data without its mentors' rows, the mentors' rows, and the term's name.
    static func reportPage(_ site: Site, term id: TermID) throws -> (data: [String: Any], mentors: [MentorHoursRowView], termName: String) {
        let r = try site.store.report(term: id)
        let paths = TermPaths(id: id)
        let s = r.sessions
        let hours = Double(r.totalMinutes) / 60
        let cards: [[String: Any]] = [
            ["big": "\(r.matchedMentees) of \(r.mentees)", "text": "mentees matched (\(Format.percent(r.matchedShare)))"],
            ["big": "\(s.held)", "text": "sessions held" + (s.planned > 0 ? " of \(s.planned) planned" : "")],
            ["big": Format.percent(s.attendance), "text": "attendance (held ÷ held and missed)"],
            ["big": String(format: "%.1f", hours), "text": "hours of mentoring"],
            ["big": "\(r.endings.values.reduce(0, +))", "text": "pairs ended early or finished"],
            ["big": "\(r.withdrawals)", "text": "withdrawals"],
        ]
        let weeks = r.weeks.map { w -> [String: Any] in
            ["week": Format.short(w.weekStart), "held": w.sessions.held, "missedMentee": w.sessions.missedByMentee, "missedMentor": w.sessions.missedByMentor,
             "other": w.sessions.cancelled + w.sessions.closure, "attendance": w.skipped ? "no sessions" : Format.percent(w.sessions.attendance)]
        }
        let endings = EndReason.allCases.map { ["reason": $0.label, "count": r.endings[$0] ?? 0] }
        let outcomes = r.outcomes.map { o -> [String: Any] in
            func f(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "–" }
            let ci = (o.low != nil && o.high != nil) ? "[\(f(o.low)), \(f(o.high))]" : "–"
            return ["title": o.title, "group": o.group == .matched ? "matched" : "not matched", "n": o.n, "pre": f(o.preMean), "post": f(o.postMean),
                    "change": o.meanChange.map { ($0 >= 0 ? "+" : "") + f($0) } ?? "–", "ci": ci, "unpaired": o.unpaired]
        }
        let mentors = r.mentorHours.sorted { ($0.name, $0.id) < ($1.name, $1.id) }.map { m in
            MentorHoursRowView(name: m.name, hours: String(format: "%.1f", Double(m.minutes) / 60), sessions: m.sessionsHeld, weeks: m.weeks,
                               most: String(format: "%.1f", Double(m.mostInAWeek) / 60),
                               agreed: m.agreedMinutesPerWeek.map { String(format: "%.1f", Double($0) / 60) } ?? "–")
        }
        let data: [String: Any] = [
            "termName": r.termName, "dates": "\(Format.date(r.start)) to \(Format.date(r.end))", "cards": cards,
            "attendancePlot": attendancePlot(r), "matchedPlot": matchedPlot(r), "endingsPlot": endingsPlot(r),
            "weeks": weeks, "endings": endings, "noRepeat": r.endedNoRepeat,
            "outcomes": outcomes, "hasOutcomes": !outcomes.isEmpty, "hasMentors": !mentors.isEmpty,
            "unmatchedNow": r.unmatchedNow, "revision": r.revision, "defaultMinutes": r.defaultSessionMinutes,
            "csvURL": paths.sub("report.csv"), "htmlURL": paths.sub("report.html"),
            "exportURL": "/export.zip", "redactedURL": "/export.zip?redact=1",
        ]
        return (data, mentors, r.termName)
    }

    // MARK: - Plots

    static func attendancePlot(_ r: TermReport) -> String {
        let bars = r.weeks.map { w -> Plot.Bar in
            let c = w.sessions
            let counted = Double(c.held + c.missedByMentee + c.missedByMentor)
            guard counted > 0 else { return Plot.Bar(label: Format.short(w.weekStart), segments: [], note: w.skipped ? "–" : "", gap: w.skipped) }
            return Plot.Bar(label: Format.short(w.weekStart),
                            segments: [(Double(c.held) / counted, Plot.ok), (Double(c.missedByMentee) / counted, Plot.warn), (Double(c.missedByMentor) / counted, Plot.bad)],
                            note: Format.percent(c.attendance))
        }
        let held = r.weeks.filter { $0.sessions.attendance != nil }.count
        return Plot.columns(id: "plot-attendance", title: "Attendance by week",
                            description: "Share of the sessions that could happen that were held, week by week (\(held) weeks with records); weeks without sessions are dashed.",
                            bars: bars, maxValue: 1, ticks: [0, 0.25, 0.5, 0.75, 1], tickLabel: { "\(Int($0 * 100))%" },
                            legend: [("held", Plot.ok), ("mentee missed", Plot.warn), ("mentor missed", Plot.bad)])
    }

    static func matchedPlot(_ r: TermReport) -> String {
        let matched = Double(r.matchedMentees), total = Double(max(r.mentees, 1))
        let unmatched = max(0, total - matched)
        return Plot.rows(id: "plot-matched", title: "Matched share",
                         description: "\(r.matchedMentees) of \(r.mentees) mentees had a pair this term (\(Format.percent(r.matchedShare))); \(r.unmatchedNow) are unmatched now; \(r.withdrawals) withdrew.",
                         bars: [Plot.Bar(label: "Mentees", segments: [(matched, Plot.ok), (unmatched, Plot.grey)], note: Format.percent(r.matchedShare))],
                         maxValue: total, labelWidth: 90,
                         // Only the bar's own segments have a swatch: withdrawals (of mentors too) are
                         // not a part of this bar, so they stay in the caption and the figure cards.
                         legend: [("matched (\(r.matchedMentees))", Plot.ok), ("not matched (\(Int(unmatched)))", Plot.grey)])
    }

    static func endingsPlot(_ r: TermReport) -> String {
        let most = Double(r.endings.values.max() ?? 0)
        let bars = EndReason.allCases.map { reason -> Plot.Bar in
            let n = r.endings[reason] ?? 0
            return Plot.Bar(label: reason.label, segments: [(Double(n), reason == .goalsMet ? Plot.ok : reason == .safeguarding ? Plot.bad : Plot.brand)], note: "\(n)")
        }
        let total = r.endings.values.reduce(0, +)
        return Plot.rows(id: "plot-endings", title: "Endings by reason",
                         description: total == 0 ? "No pair has ended this term." : "\(total) pairs ended: " + EndReason.allCases.compactMap { reason in
                             (r.endings[reason] ?? 0) > 0 ? "\(r.endings[reason]!) \(reason.label)" : nil }.joined(separator: ", ") + ".",
                         bars: bars, maxValue: max(most, 1))
    }

    // MARK: - Exports

    static func csv(_ site: Site, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        return TimetablePages.download(Data(TermReportCSV.render(try site.store.report(term: id)).utf8), type: "text/csv; charset=utf-8",
                                       filename: "\(TimetablePages.fileStem(id))-report.csv")
    }

    /// The store's printable report (its own inline styles), as a file: see ``TimetablePages/printable``.
    static func printable(_ site: Site, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        return TimetablePages.download(Data(TermReportHTML.render(try site.store.report(term: id)).utf8), type: "text/html; charset=utf-8",
                                       filename: "\(TimetablePages.fileStem(id))-report.html")
    }

    /// The whole scheme as JSON and CSV files in one zip; `redact=1` leaves out names and notes.
    static func export(_ site: Site, _ request: Request, _ context: WebContext) throws -> Response {
        let redact = request.uri.queryParameters["redact"] == "1"
        let bundle = try site.store.exportAll(redact: redact, by: Actor(try context.signedIn.actorName))
        let data = try TimetablePages.zip(bundle.files.map { ($0.name, $0.text) }, modified: Date(timeIntervalSince1970: 0))
        return TimetablePages.download(data, type: "application/zip", filename: redact ? "scheme-export-redacted.zip" : "scheme-export.zip")
    }
}
