import Foundation
import Hummingbird
import PeerMatch
import PeerMatchStore

/// Journey 3's questions: "why not these two?" for any mentor and mentee (the rules that rule
/// them out, or the score term by term), and a swap of two mentees' mentors shown with what it
/// costs before it is saved.
enum ExplainPages {
    static func add(to router: Router<WebContext>, site: Site) {
        router.get("/terms/:term/why-not") { request, context in try whyNot(site, request, context) }
        router.get("/terms/:term/swap") { request, context in try swapPreview(site, request, context) }
        router.post("/terms/:term/swap") { _, context in try swap(site, context) }
    }

    /// Words for the core's score term ids.
    static let termWords = [
        "sharedInterests": "Shared interests", "needsMet": "Needs met by what the mentor offers", "ageCloseness": "Age gap close to ideal",
        "genderPreference": "Gender wishes met", "statedPreferences": "On each other's lists",
        "sameGroupPenalty": "Same group (penalty)", "sameGender": "Same gender",
    ]

    static func whyNot(_ site: Site, _ request: Request, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let detail = try site.store.term(id)
        let t = detail.summary
        let q = request.uri.queryParameters
        let mentor = try required(q, "mentor", "Choose a mentor and a mentee."), mentee = try required(q, "mentee", "Choose a mentor and a mentee.")
        let e = try site.store.whyNot(term: id, mentor: PersonID(mentor), mentee: PersonID(mentee))
        let paired = e.menteePair.map { $0.ref.mentor == e.mentor } ?? false
        var data: [String: Any] = [
            "mentor": e.mentorName, "mentee": e.menteeName, "summary": e.summary, "allowed": e.allowed, "paired": paired,
            "breaches": e.breaches.map { ["rule": $0.rule, "text": $0.text] },
            "breakdown": e.breakdown.map { ["term": termWords[$0.term] ?? $0.term, "points": Format.score($0.hundredths)] },
            "score": Format.score(e.scoreHundredths), "reasons": e.reasons, "hasReasons": !e.reasons.isEmpty,
            "load": e.mentorLoad, "capacity": e.mentorCapacity,
            "backURL": TermPaths(id: id).sub("matches"),
        ]
        if let slots = e.commonSlots {
            let words = slots.map { id in detail.setup.slots.first { $0.id == id }.map(slotWords) ?? id }
            data["commonSlots"] = words.isEmpty ? "none" : words.joined(separator: "; ")
        }
        if let p = e.menteePair, !paired {
            data["current"] = ["mentor": p.mentorName, "state": Format.state(p.state), "score": Format.score(p.scoreHundredths)]
        }
        return site.page("whynot", title: "\(e.mentorName) and \(e.menteeName)", context: context, data: data, nav: "matches",
                         term: site.termNav(id, name: t.name))
    }

    /// "Thursday 12:30–13:00 (Lunch)".
    static func slotWords(_ s: Slot) -> String { "\(s.day.name) \(s.start)–\(s.end)" + (s.label.map { " (\($0))" } ?? "") }

    static func swapPreview(_ site: Site, _ request: Request, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let detail = try site.store.term(id)
        let t = detail.summary
        let q = request.uri.queryParameters
        let a = try required(q, "a", "Choose the two mentees to swap."), b = try required(q, "b", "Choose the two mentees to swap.")
        guard a != b else { throw PageError.badForm("Choose two different mentees.") }
        let preview = try site.store.previewSwap(term: id, menteeA: PersonID(a), menteeB: PersonID(b))
        let names = try site.store.names(term: id)
        func side(_ s: SwapSide) -> [String: Any] {
            ["mentor": names[s.mentor] ?? s.mentor.rawValue, "mentee": names[s.mentee] ?? s.mentee.rawValue,
             "score": Format.score(s.scoreHundredths), "sessions": s.sessions.map { SchemeText.session($0, setup: detail.setup) }.joined(separator: "; "),
             "breaches": s.breaches.map(\.text), "ok": s.breaches.isEmpty]
        }
        let change = preview.scoreAfter.map { $0 - preview.scoreBefore }
        let data: [String: Any] = [
            "before": preview.before.map(side), "after": preview.after.map(side),
            "scoreBefore": Format.score(preview.scoreBefore), "scoreAfter": Format.score(preview.scoreAfter),
            "change": change.map { ($0 >= 0 ? "+" : "") + Format.score($0) } ?? "–",
            "worse": (change ?? 0) < 0, "allowed": preview.allowed, "problems": preview.problems,
            "newState": Format.state(preview.newState), "a": a, "b": b,
            "swapURL": TermPaths(id: id).sub("swap"), "backURL": TermPaths(id: id).sub("matches"),
        ]
        return site.page("swap", title: "Swap mentees", context: context, data: data, nav: "matches", term: site.termNav(id, name: t.name))
    }

    static func swap(_ site: Site, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let actor = Actor(try context.signedIn.actorName)
        let form = context.postedForm
        guard let a = form.value("a"), let b = form.value("b") else { throw PageError.badForm("The swap named no mentees; choose them again.") }
        try site.store.swap(term: id, menteeA: PersonID(a), menteeB: PersonID(b), by: actor, note: form.value("note"))
        return site.redirect(TermPaths(id: id).sub("matches"), flash: "Swapped the mentors of \(a) and \(b).", context: context)
    }
}
