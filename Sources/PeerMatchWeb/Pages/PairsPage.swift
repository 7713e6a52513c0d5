import Foundation
import Hummingbird
import PeerMatch
import PeerMatchStore

/// Journeys 2 and 3: the pairs with scores and reasons, the unmatched with reasons, shortfalls on
/// top; approve, decline ("never suggest again"), lock and unlock per pair or in bulk; re-match.
enum PairsPage {
    static let pageSize = 200

    static func add(to router: Router<WebContext>, site: Site) {
        router.getCached("/terms/:term/matches", site: site) { request, context in try list(site, request, context) }
        router.post("/terms/:term/pairs") { _, context in try act(site, context) }
        router.get("/terms/:term/decline") { request, context in try confirmDecline(site, request, context) }
        router.post("/terms/:term/decline") { _, context in try decline(site, context) }
    }

    // MARK: - Pair keys in forms

    /// A pair in a form value: both ids percent-encoded, joined by `/` (which the encoding never leaves).
    static func key(_ ref: PairRef) -> String { "\(Site.percentEncode(ref.mentor.rawValue))/\(Site.percentEncode(ref.mentee.rawValue))" }

    static func ref(_ key: String, term: TermID) -> PairRef? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = parts[0].removingPercentEncoding, let b = parts[1].removingPercentEncoding,
              !a.isEmpty, !b.isEmpty else { return nil }
        return PairRef(term: term, mentor: PersonID(a), mentee: PersonID(b))
    }

    // MARK: - Filter

    struct Filter {
        var state: String = "live"
        var locked = false
        var query = ""
        var page = 0

        init(_ q: [String: String]) {
            state = q["state"].flatMap { ["live", "all", "proposed", "approved", "active", "declined", "ended"].contains($0) ? $0 : nil } ?? "live"
            locked = q["locked"] == "1"
            query = (q["q"] ?? "").trimmingCharacters(in: .whitespaces)
            page = max(0, q["page"].flatMap { Int($0) } ?? 0)
        }

        func keeps(_ p: StoredPair) -> Bool {
            switch state {
            case "live": if !PairState.live.contains(p.state) { return false }
            case "all": break
            default: if p.state.rawValue != state { return false }
            }
            if locked && !p.locked { return false }
            if !query.isEmpty {
                let hay = [p.mentorName, p.menteeName, p.ref.mentor.rawValue, p.ref.mentee.rawValue]
                if !hay.contains(where: { $0.localizedCaseInsensitiveContains(query) }) { return false }
            }
            return true
        }

        var queryString: String {
            var parts = ["state=\(state)"]
            if locked { parts.append("locked=1") }
            if !query.isEmpty { parts.append("q=\(Site.percentEncode(query))") }
            return parts.joined(separator: "&")
        }
    }

    static func queryDictionary(_ request: Request) -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { out[String(k)] = String(v) }
        return out
    }

    // MARK: - The list

    static func list(_ site: Site, _ request: Request, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let paths = TermPaths(id: id)
        let detail = try site.store.term(id)
        let matches = try site.store.proposals(term: id)
        let filter = Filter(queryDictionary(request))
        let shown = matches.pairs.filter(filter.keeps).sorted { a, b in
            (a.mentorName, a.ref.mentor.rawValue, a.menteeName, a.ref.mentee.rawValue) < (b.mentorName, b.ref.mentor.rawValue, b.menteeName, b.ref.mentee.rawValue)
        }
        let pages = max(1, (shown.count + pageSize - 1) / pageSize)
        let page = min(filter.page, pages - 1)
        let slice = shown.dropFirst(page * pageSize).prefix(pageSize)
        let rows = slice.map { p in
            PairRowView(key: key(p.ref), mentor: p.mentorName, mentorID: p.ref.mentor.rawValue, mentee: p.menteeName, menteeID: p.ref.mentee.rawValue,
                        score: Format.score(p.scoreHundredths), reasons: p.reasons, state: p.state.rawValue, stateText: Format.state(p.state),
                        locked: p.locked, canApprove: p.state == .proposed, canDecline: p.state == .proposed || p.state == .approved,
                        canLock: !p.locked && PairState.live.contains(p.state), canUnlock: p.locked,
                        whyURL: paths.whyNot(p.ref))
        }
        let counts = Dictionary(grouping: matches.pairs, by: \.state).mapValues(\.count)
        let stateOptions: [[String: Any]] = [
            ("live", "Proposed, approved and meeting"), ("proposed", "Proposed"), ("approved", "Approved"),
            ("active", "Meeting"), ("declined", "Declined"), ("ended", "Ended"), ("all", "All"),
        ].map { ["value": $0.0, "label": $0.1, "selected": $0.0 == filter.state] }
        let unmatched = matches.unmatched.sorted { ($0.role.rawValue, $0.name) < ($1.role.rawValue, $1.name) }.map { u -> [String: Any] in
            ["name": u.name, "id": u.id.rawValue, "showID": u.name != u.id.rawValue, "role": u.role.rawValue, "reasons": u.reasons]
        }
        var data: [String: Any] = [
            "shortfalls": matches.shortfalls, "hasShortfalls": !matches.shortfalls.isEmpty,
            "rowsHTML": PairRowView.write(Array(rows)), "hasRows": !rows.isEmpty, "shownCount": shown.count, "totalCount": matches.pairs.count,
            "unmatched": unmatched, "hasUnmatched": !unmatched.isEmpty, "unmatchedCount": unmatched.count,
            "stateOptions": stateOptions, "q": filter.query, "lockedOnly": filter.locked,
            "proposed": counts[.proposed] ?? 0, "approved": counts[.approved] ?? 0, "active": counts[.active] ?? 0,
            "declined": counts[.declined] ?? 0,
            "matchURL": paths.sub("match"), "pairsURL": paths.sub("pairs"), "listURL": paths.sub("matches"),
            "whyURL": paths.sub("why-not"), "swapURL": paths.sub("swap"),
            "filterQuery": filter.queryString, "mentees": detail.summary.mentees, "mentors": detail.summary.mentors,
            "hasPeople": detail.summary.mentees > 0,
            // Before the first match every mentee would be listed as "not matched yet": one line says it.
            "matchedYet": matches.run != nil || !matches.pairs.isEmpty,
            "hasMatchedMentees": matches.pairs.contains { PairState.live.contains($0.state) },
            "running": site.jobs.snapshot(id)?.running ?? false,
        ]
        if let run = matches.run {
            data["run"] = ["at": Format.timestamp(run.at), "by": run.by, "status": runStatus(run.status), "solver": run.solver,
                           "matched": run.matched, "mentees": run.mentees, "mentors": run.mentors, "kind": run.kind,
                           "notes": run.notes, "diagnosis": run.diagnosis, "fallback": run.fallbackReason ?? "",
                           "infeasible": run.status == MatchStatus.infeasible.rawValue]
            data["rematch"] = true
        }
        if pages > 1 {
            data["hasPagination"] = true
            data["pagination"] = (0..<pages).map { n -> [String: Any] in
                ["n": n + 1, "href": paths.sub("matches?\(filter.queryString)&page=\(n)"), "current": n == page]
            }
        }
        // People to pick for "why not these two?" and for swaps.
        data["mentorOptionsHTML"] = PairRowView.options(try peopleOptions(site, id, role: .mentor, matches: matches))
        data["menteeOptionsHTML"] = PairRowView.options(try peopleOptions(site, id, role: .mentee, matches: matches))
        data["matchedMenteesHTML"] = PairRowView.options(matches.pairs.filter { PairState.live.contains($0.state) }
            .sorted { ($0.menteeName, $0.ref.mentee.rawValue) < ($1.menteeName, $1.ref.mentee.rawValue) }
            .map { (id: $0.ref.mentee.rawValue, label: "\($0.menteeName) (with \($0.mentorName))") })
        return site.page("matches", title: "Pairs · \(detail.summary.name)", context: context, data: data, nav: "matches",
                         term: site.termNav(id, name: detail.summary.name))
    }

    static func runStatus(_ raw: String) -> String {
        switch MatchStatus(rawValue: raw) {
        case .optimal: return "the best possible (proven)"
        case .feasible: return "good, not proven best (time limit)"
        case .fallback: return "quick pairs (greedy)"
        case .infeasible: return "no matching meets every hard rule"
        case .stopped: return "stopped by a limit before any pair was found"
        case nil: return raw
        }
    }

    /// Everyone of one role in the term, by name, for the pickers.
    static func peopleOptions(_ site: Site, _ term: TermID, role: Role, matches: TermMatches) throws -> [(id: String, label: String)] {
        var seen: [String: String] = [:]
        for p in matches.pairs {
            let (pid, name) = role == .mentor ? (p.ref.mentor.rawValue, p.mentorName) : (p.ref.mentee.rawValue, p.menteeName)
            seen[pid] = name
        }
        for u in matches.unmatched where u.role == role { seen[u.id.rawValue] = u.name }
        return seen.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map { (id: $0.key, label: $0.value == $0.key ? $0.key : "\($0.value) (\($0.key))") }
    }

    // MARK: - Actions

    /// The pairs a bulk or per-row action names: the row's button, the ticked boxes, or every pair the filter shows.
    static func chosen(_ form: FormData, term: TermID, site: Site) throws -> (action: String, pairs: [PairRef]) {
        if let row = form.value("row") {
            let parts = row.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, let r = ref(parts[1], term: term) else { throw PageError.badForm("That button named no pair; reload the page and try again.") }
            return (parts[0], [r])
        }
        guard let action = form.value("bulk") else { throw PageError.badForm("Choose what to do with the pairs.") }
        if form.value("scope") == "filter" {
            var q: [String: String] = [:]
            for k in ["state", "locked", "q"] { if let v = form.value(k) { q[k] = v } }
            let filter = Filter(q)
            return (action, try site.store.proposals(term: term).pairs.filter(filter.keeps).map(\.ref))
        }
        let refs = form.values("pair").compactMap { ref($0, term: term) }
        guard !refs.isEmpty else { throw PageError.badForm("Tick at least one pair first (or choose \"every pair shown\").") }
        return (action, refs)
    }

    static func act(_ site: Site, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let paths = TermPaths(id: id)
        let actor = Actor(try context.signedIn.actorName)
        let form = context.postedForm
        let (action, pairs) = try chosen(form, term: id, site: site)
        let back = paths.sub("matches") + (form.value("return").map { "?" + $0 } ?? "")
        let note = form.value("note")
        let n = Format.count(pairs.count, "pair")
        switch action {
        case "approve":
            try site.store.approve(pairs, by: actor, note: note)
            return site.redirect(back, flash: "Approved \(n). Approved pairs stay when you re-match.", context: context)
        case "lock":
            try site.store.lock(pairs, by: actor, note: note)
            return site.redirect(back, flash: "Locked \(n): later matches leave them alone.", context: context)
        case "unlock":
            try site.store.unlock(pairs, by: actor, note: note)
            return site.redirect(back, flash: "Unlocked \(n).", context: context)
        case "decline":
            // Declining is for good: it goes through a page that says so and takes a note.
            let query = pairs.map { "pair=\(Site.percentEncode(key($0)))" }.joined(separator: "&")
            return Response.redirect(to: paths.sub("decline?\(query)"), type: .normal)
        default:
            throw PageError.badForm("Unknown action \"\(action)\".")
        }
    }

    static func confirmDecline(_ site: Site, _ request: Request, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let paths = TermPaths(id: id)
        let t = try site.store.term(id).summary
        let keys = request.uri.queryParameters[values: "pair"].map(String.init)
        let wanted = Set(keys.compactMap { ref($0, term: id) })
        guard !wanted.isEmpty else { return site.redirect(paths.sub("matches"), context: context) }
        let pairs = try site.store.proposals(term: id).pairs.filter { wanted.contains($0.ref) }
        let rows = pairs.map { ["key": key($0.ref), "mentor": $0.mentorName, "mentee": $0.menteeName, "score": Format.score($0.scoreHundredths)] }
        return site.page("decline", title: "Decline pairs", context: context,
                         data: ["rows": rows, "count": Format.count(rows.count, "pair"), "declineURL": paths.sub("decline"), "backURL": paths.sub("matches")],
                         nav: "matches", term: site.termNav(id, name: t.name))
    }

    static func decline(_ site: Site, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let actor = Actor(try context.signedIn.actorName)
        let form = context.postedForm
        let refs = form.values("pair").compactMap { ref($0, term: id) }
        guard !refs.isEmpty else { throw PageError.badForm("No pair was named; go back to the pairs and choose again.") }
        try site.store.decline(refs, by: actor, note: form.value("note"))
        return site.redirect(TermPaths(id: id).sub("matches"),
                             flash: "Declined \(Format.count(refs.count, "pair")): they will never be suggested again. Press Re-match to fill the gaps.",
                             context: context)
    }
}
