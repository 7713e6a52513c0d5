import Foundation
import Hummingbird
import PeerMatch
import PeerMatchStore

/// Journey 5: the weekly register (held or missed per session, quick to fill on a phone), the
/// review list, ending a pair with its reason, and withdrawing a person with the proposed
/// changes shown as a diff before anything is saved.
enum DuringTermPages {
    static func add(to router: Router<WebContext>, site: Site) {
        router.getCached("/terms/:term/register", site: site) { request, context in try register(site, request, context) }
        router.post("/terms/:term/register") { _, context in try saveRegister(site, context) }
        router.getCached("/terms/:term/review", site: site) { request, context in try review(site, request, context) }
        router.get("/terms/:term/end") { request, context in try endForm(site, request, context) }
        router.post("/terms/:term/end") { _, context in try end(site, context) }
        router.getCached("/terms/:term/withdraw", site: site) { request, context in try withdrawForm(site, request, context) }
        router.get("/terms/:term/withdraw/plan") { request, context in try withdrawPlan(site, request, context) }
        router.get("/terms/:term/withdraw/plan/status") { request, context in try planStatus(site, request, context) }
        router.get("/terms/:term/withdraw/plan/events") { request, context in try planEvents(site, request, context) }
        router.post("/terms/:term/withdraw") { _, context in try withdraw(site, context) }
    }

    /// The day the page treats as today (the store's clock, which tests and examples may fix).
    static func today(_ site: Site) -> CalendarDate { site.today() }

    // MARK: - Register

    static let outcomes: [(SessionOutcome, String)] = [
        (.held, "Held"), (.missedByMentee, "Mentee missed"), (.missedByMentor, "Mentor missed"), (.cancelled, "Cancelled"), (.closure, "Closed"),
    ]

    static func register(_ site: Site, _ request: Request, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let asked = request.uri.queryParameters["week"].flatMap { CalendarDate(String($0)) }
        let (data, rows, termName) = try registerPage(site, term: id, asked: asked)
        var d = data
        d["rowsHTML"] = RegisterRowView.write(rows, choices: choices)
        return site.page("register", title: "Register · \(termName)", context: context, data: d, nav: "register", term: site.termNav(id, name: termName))
    }

    /// The choices of each register row: (value, label).
    static let choices = outcomes.map { (value: $0.0.rawValue, label: $0.1) }

    /// The register page's data without its rows, the rows, and the term's name.
    static func registerPage(_ site: Site, term id: TermID, asked: CalendarDate?) throws -> (data: [String: Any], rows: [RegisterRowView], termName: String) {
        let paths = TermPaths(id: id)
        let detail = try site.store.term(id)
        let t = detail.summary
        let clamp = { (d: CalendarDate) in min(max(d, t.start), t.end) }
        let week = clamp(asked ?? today(site)).weekStart
        let rows = try site.store.register(term: id, week: week)
        let slotByID = Dictionary(uniqueKeysWithValues: detail.setup.slots.map { ($0.id, $0) })
        let roomByID = Dictionary(uniqueKeysWithValues: detail.setup.rooms.map { ($0.id, $0) })
        let items = rows.enumerated().map { n, r -> RegisterRowView in
            let when: String
            if let d = r.date {
                let slot = r.session.flatMap { slotByID[$0.slot] }
                when = Format.date(d) + (slot.map { " \($0.start)–\($0.end)" } ?? "") + (r.session.flatMap { roomByID[$0.room]?.name }.map { ", \($0)" } ?? "")
            } else {
                when = "some day this week"
            }
            let key = "\(PairsPage.key(r.pair))/\(r.date?.description ?? week.description)"
            return RegisterRowView(n: n, key: key, mentor: r.mentorName, mentee: r.menteeName, when: when, planned: r.planned,
                                   outcome: r.record?.outcome.rawValue,
                                   recorded: r.record.map { "recorded \(Format.timestamp($0.at)) by \($0.by)" } ?? "",
                                   note: r.record?.note ?? "", minutes: r.record?.minutes.map(String.init) ?? "")
        }
        let weeks = detail.setup.weeks
        let skipped = Set(detail.setup.skipWeeks.map(\.weekStart)).contains(week)
        var data: [String: Any] = [
            "week": Format.date(week), "weekValue": week.description, "hasRows": !items.isEmpty, "skipped": skipped,
            "saveURL": paths.sub("register"), "registerURL": paths.sub("register"), "reviewURL": paths.sub("review"),
            "withdrawURL": paths.sub("withdraw"), "weekCount": weeks.count,
            "start": t.start.description, "end": t.end.description,
        ]
        if let k = weeks.firstIndex(of: week) { data["weekNumber"] = k + 1 }
        if week > t.start.weekStart { data["prevURL"] = paths.sub("register?week=\(week.adding(days: -7))") }
        if week < t.end.weekStart { data["nextURL"] = paths.sub("register?week=\(week.adding(days: 7))") }
        return (data, items, t.name)
    }

    static func saveRegister(_ site: Site, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let actor = Actor(try context.signedIn.actorName)
        let form = context.postedForm
        let allHeld = form.value("allHeld") != nil
        var inputs: [SessionRecordInput] = []
        var problems: [String] = []
        for key in form.values("row") {
            let parts = key.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 3, let pair = PairsPage.ref("\(parts[0])/\(parts[1])", term: id), let date = CalendarDate(String(parts[2])) else { continue }
            let chosen = form.value("outcome-\(key)").flatMap(SessionOutcome.init(rawValue:)) ?? (allHeld && form.value("was-\(key)") == nil ? .held : nil)
            guard let outcome = chosen else { continue }
            var minutes: Int? = nil
            if let m = form.value("minutes-\(key)") {
                guard let v = Int(m), v > 0, v <= 600 else { problems.append("Minutes for \(pair.mentee) on \(Format.date(date)): a whole number of minutes."); continue }
                minutes = v
            }
            let note = form.value("note-\(key)")
            // An unchanged row is not sent again (the store would count it as a repeat anyway).
            if form.value("was-\(key)") == outcome.rawValue && note == form.value("wasnote-\(key)") && minutes.map(String.init) == form.value("wasminutes-\(key)") { continue }
            inputs.append(SessionRecordInput(pair: pair, date: date, outcome: outcome, minutes: minutes, note: note))
        }
        let back = TermPaths(id: id).sub("register?week=\(form.value("week") ?? "")")
        guard problems.isEmpty else { throw PageError.badForm(problems.joined(separator: " ")) }
        guard !inputs.isEmpty else { return site.redirect(back, flash: "Nothing new to save.", context: context) }
        let s = try site.store.record(inputs, by: actor)
        var line = "Saved \(Format.count(s.added, "session")), \(s.corrected) corrected."
        if !s.activated.isEmpty { line += " \(Format.count(s.activated.count, "pair")) now meeting." }
        return site.redirect(back, flash: line, context: context)
    }

    // MARK: - Review list

    static let kindWords: [ReviewItem.Kind: String] = [
        .missedInARow: "Missed sessions in a row", .lowAttendance: "Low attendance", .mentorOverHours: "Mentors over their agreed time",
        .notRecorded: "Sessions with nothing recorded", .notApproved: "Proposals not yet approved",
    ]

    static func review(_ site: Site, _ request: Request, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        var q: [String: String] = [:]
        for k in ["missed", "attendance", "asOf"] { q[k] = request.uri.queryParameters[Substring(k)].map(String.init) }
        var (data, groups, termName) = try reviewPage(site, term: id, query: q)
        data["groupsHTML"] = ReviewGroupView.write(groups)
        return site.page("review", title: "Review · \(termName)", context: context, data: data, nav: "register", term: site.termNav(id, name: termName))
    }

    /// The review page's data without its groups, the groups, and the term's name.
    static func reviewPage(_ site: Site, term id: TermID, query q: [String: String]) throws -> (data: [String: Any], groups: [ReviewGroupView], termName: String) {
        let paths = TermPaths(id: id)
        let t = try site.store.term(id).summary
        var settings = ReviewSettings()
        if let v = q["missed"].flatMap({ Int($0) }), (1...20).contains(v) { settings.missedInARow = v }
        if let v = q["attendance"].flatMap({ Double($0) }), (0...100).contains(v) { settings.attendanceBelow = v / 100 }
        settings.asOf = q["asOf"].flatMap { CalendarDate(String($0)) } ?? min(max(today(site), t.start), t.end)
        let items = try site.store.review(term: id, settings: settings)
        let groups = ReviewItem.Kind.allCases.compactMap { kind -> ReviewGroupView? in
            let mine = items.filter { $0.kind == kind }
            guard !mine.isEmpty else { return nil }
            return ReviewGroupView(kind: kind.rawValue, title: kindWords[kind] ?? kind.rawValue, items: mine.map { i in
                var item = ReviewGroupView.Item(name: i.name, message: i.message, endURL: "", whyURL: "", pairsURL: "")
                if let p = i.pair, kind == .missedInARow || kind == .lowAttendance {
                    item.endURL = paths.sub("end?pair=\(Site.percentEncode(PairsPage.key(p)))")
                    item.whyURL = paths.whyNot(p)
                }
                if kind == .notApproved { item.pairsURL = paths.sub("matches?state=proposed") }
                return item
            })
        }
        let data: [String: Any] = [
            "hasItems": !items.isEmpty, "count": items.count,
            "missed": settings.missedInARow, "attendance": Int((settings.attendanceBelow * 100).rounded()), "asOf": settings.asOf?.description ?? "",
            "reviewURL": paths.sub("review"), "registerURL": paths.sub("register"), "withdrawURL": paths.sub("withdraw"),
            "matchesURL": paths.sub("matches"),
        ]
        return (data, groups, t.name)
    }

    // MARK: - Ending a pair

    static func endForm(_ site: Site, _ request: Request, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let t = try site.store.term(id).summary
        guard let key = request.uri.queryParameters["pair"].map(String.init), let ref = PairsPage.ref(key, term: id),
              let pair = try? site.store.pair(ref) else {
            throw PageError.notFound("That pair")
        }
        let data: [String: Any] = [
            "mentor": pair.mentorName, "mentee": pair.menteeName, "key": key, "state": Format.state(pair.state),
            "reasons": EndReason.allCases.map { ["value": $0.rawValue, "label": $0.label] },
            "date": min(max(today(site), t.start), t.end).description, "endURL": TermPaths(id: id).sub("end"),
            "backURL": TermPaths(id: id).sub("review"), "canEnd": pair.state == .approved || pair.state == .active,
        ]
        return site.page("end", title: "End a pair", context: context, data: data, nav: "register", term: site.termNav(id, name: t.name))
    }

    static func end(_ site: Site, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let actor = Actor(try context.signedIn.actorName)
        let form = context.postedForm
        guard let key = form.value("pair"), let ref = PairsPage.ref(key, term: id) else { throw PageError.badForm("No pair was named.") }
        guard let reason = form.value("reason").flatMap(EndReason.init(rawValue:)) else { throw PageError.badForm("Choose why the pair ends.") }
        guard let date = form.value("date").flatMap({ CalendarDate($0) }) else { throw PageError.badForm("Give the last day, such as 2026-11-20.") }
        try site.store.end(ref, reason: reason, note: form.value("note"), noRepeat: form.value("noRepeat") != nil, date: date, by: actor)
        return site.redirect(TermPaths(id: id).sub("review"), flash: "Ended the pair of \(ref.mentor) and \(ref.mentee) (\(reason.label)).", context: context)
    }

    // MARK: - Withdrawal

    static func withdrawForm(_ site: Site, _ request: Request, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        var (data, mentees, mentors, termName) = try withdrawPage(site, term: id)
        data["menteesHTML"] = PairRowView.options(mentees)
        data["mentorsHTML"] = PairRowView.options(mentors)
        return site.page("withdraw", title: "Withdraw someone", context: context, data: data, nav: "register", term: site.termNav(id, name: termName))
    }

    /// The withdraw form's data without its two people pickers, the pickers' people, and the term's name.
    static func withdrawPage(_ site: Site, term id: TermID) throws
        -> (data: [String: Any], mentees: [(id: String, label: String)], mentors: [(id: String, label: String)], termName: String) {
        let t = try site.store.term(id).summary
        let matches = try site.store.proposals(term: id)
        let data: [String: Any] = [
            "reasons": EndReason.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0 == .movedAway] },
            "date": min(max(today(site), t.start), t.end).description, "planURL": TermPaths(id: id).sub("withdraw/plan"),
        ]
        return (data, try PairsPage.peopleOptions(site, id, role: .mentee, matches: matches),
                try PairsPage.peopleOptions(site, id, role: .mentor, matches: matches), t.name)
    }

    /// The plan of a withdrawal: a re-match of the whole term, so it runs as a background job
    /// (like Match) and this page shows its progress, refreshing itself each second without
    /// script and by server-sent events with it; once the plan is ready the same address shows
    /// it as a diff, and *Confirm* applies it. A plan made before the scheme changed is made
    /// again; a plan that failed shows why, and asking again tries again.
    static func withdrawPlan(_ site: Site, _ request: Request, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let t = try site.store.term(id).summary
        let q = request.uri.queryParameters
        let person = PersonID(try required(q, "person", "Choose who is withdrawing."))
        guard let date = q["date"].flatMap({ CalendarDate(String($0)) }) else { throw PageError.badForm("Give the date they leave, such as 2026-11-20.") }
        let maxChanges = q["maxChanges"].flatMap { Int($0) }
        let reason = q["reason"].flatMap { EndReason(rawValue: String($0)) }
        let note = q["note"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let key = [id.rawValue, person.rawValue, date.description, maxChanges.map(String.init) ?? "", reason?.rawValue ?? "", note ?? ""]
            .joined(separator: "\u{1F}")
        let revision = try site.store.revision
        let store = site.store
        let job = site.planJobs.start(key: key, term: id, by: Actor(try context.signedIn.actorName), thread: "peermatch-withdraw-\(id.rawValue)",
                                      restart: { j in j.output.map { $0.revision != revision } ?? false }) { progress in
            try store.planWithdrawal(person: person, term: id, date: date, maxChanges: maxChanges, reason: reason, note: note, progress: progress)
        }
        let here = request.uri.path + "?" + (request.uri.query ?? "")
        if job.running {
            var data = MatchPages.view(job)
            let paths = TermPaths(id: id)
            data["heading"] = "Working out the changes"
            data["statusURL"] = paths.sub("withdraw/plan/status") + "?job=\(job.id)"
            data["eventsURL"] = paths.sub("withdraw/plan/events") + "?job=\(job.id)"
            data["progressURL"] = here
            data["backURL"] = paths.sub("withdraw")
            return site.page("progress", title: "Planning the withdrawal of \(person)", context: context, data: data, nav: "register",
                             term: site.termNav(id, name: t.name))
        }
        if let error = job.error {
            site.planJobs.forget(key: key, id: job.id)
            throw error
        }
        let plan = job.output!
        site.plans.keep(plan)
        let names = try site.store.names(term: id)
        let detail = try site.store.term(id)
        func sessions(_ s: [Session]) -> String { s.map { SchemeText.session($0, setup: detail.setup) }.joined(separator: " and ") }
        func name(_ p: PersonID) -> String { names[p] ?? p.rawValue }
        var lines: [[String: Any]] = []
        for r in plan.ended { lines.append(["kind": "removed", "sign": "−", "text": "\(name(r.mentor)) and \(name(r.mentee)): ends on \(Format.date(plan.date)) (\(plan.reason.label))"]) }
        for r in plan.dropped { lines.append(["kind": "removed", "sign": "−", "text": "\(name(r.mentor)) and \(name(r.mentee)): proposal dropped"]) }
        for c in plan.changes {
            let who = "\(name(c.mentor)) and \(name(c.mentee))"
            switch c.kind {
            case .removed: lines.append(["kind": "removed", "sign": "−", "text": "\(who)" + (c.before.isEmpty ? "" : ", \(sessions(c.before))"), "why": c.reason])
            case .added: lines.append(["kind": "added", "sign": "+", "text": "\(who)" + (c.after.isEmpty ? "" : ", \(sessions(c.after))"), "why": c.reason])
            case .moved: lines.append(["kind": "moved", "sign": "~", "text": "\(who): \(sessions(c.before)) → \(sessions(c.after))", "why": c.reason])
            }
        }
        // Person by person, and who is left without a partner: said outright, so nobody is lost unseen.
        let before = try site.store.proposals(term: id).pairs.filter { PairState.live.contains($0.state) }.map(\.ref)
        let words = WithdrawalWords(plan: plan, before: before, name: name, session: sessions)
        let data: [String: Any] = [
            "name": plan.name, "role": plan.role.rawValue, "date": Format.date(plan.date), "reason": plan.reason.label,
            "lines": lines, "hasLines": !lines.isEmpty, "notes": plan.notes,
            "people": words.people.map { ["name": $0.name, "text": $0.text] }, "hasPeople": !words.people.isEmpty,
            "left": words.leftWithout.map { ["name": $0.name, "text": $0.text] }, "hasLeft": !words.leftWithout.isEmpty,
            "before": plan.matchedBefore, "after": plan.matchedAfter, "planID": plan.planID,
            "applyURL": TermPaths(id: id).sub("withdraw"), "backURL": TermPaths(id: id).sub("withdraw"),
            "changes": plan.changes.count, "maxChanges": plan.maxChanges.map(String.init) ?? "0",
        ]
        return site.page("withdraw-plan", title: "Withdraw \(plan.name)?", context: context, data: data, nav: "register",
                         term: site.termNav(id, name: t.name))
    }

    static func planJob(_ site: Site, _ request: Request, _ context: WebContext) throws -> PlanJobs.Snapshot {
        let id = try TermPage.termID(context)
        guard let n = request.uri.queryParameters["job"].flatMap({ Int($0) }), let job = site.planJobs.snapshot(id: n), job.term == id else {
            throw PageError.notFound("That withdrawal plan")
        }
        return job
    }

    /// The plan job's state as JSON (for a script that polls instead of listening to events).
    static func planStatus(_ site: Site, _ request: Request, _ context: WebContext) throws -> Response {
        MatchPages.json(MatchPages.json(try planJob(site, request, context), outcome: nil))
    }

    /// Server-sent events of the plan job, as for a match run.
    static func planEvents(_ site: Site, _ request: Request, _ context: WebContext) throws -> Response {
        let job = try planJob(site, request, context)
        let jobs = site.planJobs
        return MatchPages.eventStream { jobs.snapshot(id: job.id).map { ($0.running, MatchPages.json($0, outcome: nil)) } }
    }

    static func withdraw(_ site: Site, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let actor = Actor(try context.signedIn.actorName)
        guard let planID = context.postedForm.value("plan"), let plan = site.plans.take(planID), plan.term == id else {
            throw PageError(.conflict, "The plan has expired", "Plans are kept only while the page runs and are used once. Make the plan again from the withdrawal page.")
        }
        let summary = try site.store.applyWithdrawal(plan, by: actor)
        return site.redirect(TermPaths(id: id).sub("matches"),
                             flash: "\(plan.name) has withdrawn from \(Format.date(plan.date)). \(summary.matched) of \(summary.mentees) mentees are matched.",
                             context: context)
    }
}

/// Withdrawal plans shown on a page and waiting for the co-ordinator's confirmation, by plan id:
/// the button applies exactly the plan that was shown (presentation state; the store checks the
/// plan is still current when it applies it).
final class PlanShelf: @unchecked Sendable {
    private let lock = NSLock()
    private var plans: [String: WithdrawalPlan] = [:]
    func keep(_ plan: WithdrawalPlan) {
        lock.withLock {
            if plans.count > 32 { plans.removeAll() }
            plans[plan.planID] = plan
        }
    }
    func take(_ id: String) -> WithdrawalPlan? { lock.withLock { plans.removeValue(forKey: id) } }
}
