/// Turns a selection of pairs into words: reasons for every pair, for everyone left unmatched, and
/// the cohort-level shortfalls. Reasons come from the same ``ScoreTerm`` and ``HardRule`` pieces
/// that scored and filtered the pairs.
struct Explainer {
    let ctx: PairingContext
    let problem: MatchingProblem
    let selection: [Int]
    let load: [Int]
    let matchedMentee: [Int?]
    /// Stated ranks of every candidate pair (for the stable-matching reasons).
    let ranks: PreferenceRanks
    /// With method stable: both sides' ranks of each selected pair, by pair index.
    let selectedRanks: [Int: (mentee: Int32, mentor: Int32)]
    /// The run proved (or the greedy fallback found) no matching that meets every hard rule, so
    /// nobody is matched: reasons must not speak of partners taken or places filled.
    let infeasible: Bool

    init(ctx: PairingContext, problem: MatchingProblem, selection: [Int], ranks: PreferenceRanks, infeasible: Bool = false) {
        self.ctx = ctx; self.problem = problem; self.selection = selection; self.ranks = ranks; self.infeasible = infeasible
        var load = Array(repeating: 0, count: problem.mentorCount)
        var mm = [Int?](repeating: nil, count: problem.menteeCount)
        for p in selection { load[Int(problem.pairs.mentor[p])] += 1; mm[Int(problem.pairs.mentee[p])] = p }
        self.load = load; self.matchedMentee = mm
        var selected: [Int: (mentee: Int32, mentor: Int32)] = [:]
        if ctx.policy.method == .stable {
            for (p, r) in zip(selection, ranks.ranks(ofSelected: selection)) { selected[p] = r }
        }
        selectedRanks = selected
    }

    /// Reasons for one pair, in term order; staff ratings and locks first.
    static func reasons(mentor i: Int, mentee j: Int, in ctx: PairingContext, locked: Bool) -> [String] {
        var out: [String] = []
        if locked { out.append("kept as a locked pair") }
        if let staff = ctx.staffScores[mentor: i, mentee: j] {
            out.append("staff rating \(formatNumber(Score.points(staff))) replaces the computed score")
        }
        for (term, _) in ctx.scoreTerms where !(ctx.policy.method == .stable && term is StatedPreferencesTerm) {
            if let r = term.reason(mentor: i, mentee: j, in: ctx) { out.append(r) }
        }
        return out
    }

    /// With method stable: where each partner stands on the other's list, and why no better partner
    /// was possible (which holds in every stable matching).
    func stableReasons(pair p: Int, locked: Bool) -> [String] {
        func best(_ rank: Int) -> String { rank == 1 ? "best" : "\(ordinal(rank)) best" }
        let i = Int(problem.pairs.mentor[p]), j = Int(problem.pairs.mentee[p])
        let m = ctx.mentor(i), e = ctx.mentee(j)
        var out: [String] = []
        if let r = ctx.menteeRank(mentor: i, mentee: j) {
            out.append("\(e.name)'s \(ordinal(r)) choice")
        } else {
            out.append("\(e.name) listed no mentors: \(m.name) is the \(best(Int(selectedRanks[p]?.mentee ?? 0))) compatible mentor for \(e.name) by pair score")
        }
        if let r = ctx.mentorRank(mentor: i, mentee: j) {
            out.append("\(m.name) ranked \(e.name) \(ordinal(r))")
        } else {
            out.append("\(m.name) listed no mentees: \(e.name) is the \(best(Int(selectedRanks[p]?.mentor ?? 0))) compatible mentee for \(m.name) by pair score")
        }
        let better = ranks.isAcceptable(p)
            && problem.pairs.pairs(ofMentee: j).contains { ranks.isAcceptable($0) && ranks.menteePrefers($0, over: p) }
        if better && !locked {
            let higher = e.preferences.isEmpty ? "with a higher pair score for \(e.name)" : "\(e.name) ranks higher"
            out.append("every mentor \(higher) is full with mentees they rank above \(e.name)")
        }
        return out
    }

    func pairs() -> [MatchedPair] {
        let locked = Set(problem.locked)
        return selection.map { p in
            let i = Int(problem.pairs.mentor[p]), j = Int(problem.pairs.mentee[p])
            var reasons = Self.reasons(mentor: i, mentee: j, in: ctx, locked: locked.contains(p))
            if ctx.policy.method == .stable { reasons.insert(contentsOf: stableReasons(pair: p, locked: locked.contains(p)), at: locked.contains(p) ? 1 : 0) }
            return MatchedPair(mentor: ctx.mentor(i).id, mentee: ctx.mentee(j).id, scoreHundredths: problem.pairs.score[p],
                               reasons: reasons, menteeRank: ctx.menteeRank(mentor: i, mentee: j),
                               mentorRank: ctx.mentorRank(mentor: i, mentee: j))
        }.sorted { ($0.mentor, $0.mentee) < ($1.mentor, $1.mentee) }
    }

    /// Up to five names, then how many more: a reason stays readable in a cohort of thousands.
    static func shortList(_ names: [String], limit: Int = 5) -> String {
        names.count <= limit ? naturalList(names)
            : names.prefix(limit).joined(separator: ", ") + " and \(names.count - limit) more"
    }

    /// For a person with no candidate at all: which rules ruled out how many partners.
    static func ruleSummary(count: Int, role: Role, rejections: [String: Int], ctx: PairingContext) -> String {
        let partner = role == .mentee ? "mentor" : "mentee"
        if count == 0 { return "there are no \(partner)s in the cohort" }
        let phrases: [String: String] = [
            "exclusion": "excluded",
            "onlyScoredPairs": "not rated by staff",
            "ageGap": "outside the age gap (\(formatNumber(ctx.policy.ageGap.min)) to \(formatNumber(ctx.policy.ageGap.max)) years)",
            "genderPreference": "ruled out by a gender preference",
            "requires": "missing a required qualification",
            "sameGroup": "in the same group",
            "rotation": "already paired in an earlier term",
        ]
        if rejections.count == 1, let (rule, n) = rejections.first, n == count {
            switch rule {
            case "ageGap": return "no \(partner) within the age gap (\(formatNumber(ctx.policy.ageGap.min)) to \(formatNumber(ctx.policy.ageGap.max)) years)"
            case "genderPreference": return "no \(partner) meets the gender preferences"
            case "requires": return "no mentor has the required qualifications"
            case "sameGroup": return "every \(partner) is in the same group"
            case "exclusion": return "excluded from every \(partner)"
            case "rotation": return "already paired with every \(partner) in an earlier term"
            default: return "no \(partner) is rated by staff"
            }
        }
        let parts = rejections.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map { "\($0.value) \(phrases[$0.key] ?? $0.key)" }
        return "no compatible \(partner): of \(count), " + naturalList(parts)
    }

    /// For a mentee, how many mentors each hard rule rules out first (rules in check order), by the
    /// rules' batch form: 20,000 mentees with no candidate took 15 s when every pair went through
    /// a dictionary keyed by rule name.
    private func firstRejections(mentee j: Int) -> [String: Int] {
        var mentors = (0..<problem.mentorCount).map { Int32($0) }
        var out: [String: Int] = [:]
        for rule in ctx.hardRules {
            let before = mentors.count
            rule.removeForbidden(&mentors, mentee: j, in: ctx)
            if mentors.count < before { out[rule.id] = before - mentors.count }
        }
        return out
    }

    /// For a mentor, how many mentees each hard rule rules out first.
    private func firstRejections(mentor i: Int) -> [String: Int] {
        let rules = ctx.hardRules
        var counts = [Int](repeating: 0, count: rules.count)
        for j in 0..<problem.menteeCount {
            if let k = rules.firstIndex(where: { !$0.allows(mentor: i, mentee: j, in: ctx) }) { counts[k] += 1 }
        }
        var out: [String: Int] = [:]
        for (k, n) in counts.enumerated() where n > 0 { out[rules[k].id] = n }
        return out
    }

    func unmatched() -> [UnmatchedPerson] {
        var out: [UnmatchedPerson] = []
        let mentorPairs = problem.pairs.pairCountsByMentor()
        // Priorities of each mentor's matched mentees (at most its capacity): "higher priority took
        // those places" is then a short scan, not one over every candidate of every full mentor.
        var matchedPriorities = Array(repeating: [Int](), count: problem.mentorCount)
        for p in selection { matchedPriorities[Int(problem.pairs.mentor[p])].append(problem.priority[Int(problem.pairs.mentee[p])]) }
        for j in 0..<problem.menteeCount where matchedMentee[j] == nil {
            let range = problem.pairs.pairs(ofMentee: j)
            var reasons: [String] = []
            if range.isEmpty && ctx.policy.method == .stable && !ctx.mentee(j).preferences.isEmpty {
                reasons.append("no mentor is acceptable to both sides: of the \(ctx.mentee(j).preferences.count) entr\(ctx.mentee(j).preferences.count == 1 ? "y" : "ies") on \(ctx.mentee(j).name)'s list, each breaks a hard rule or leaves \(ctx.mentee(j).name) off the mentor's own list")
            } else if range.isEmpty {
                reasons.append(Self.ruleSummary(count: problem.mentorCount, role: .mentee, rejections: firstRejections(mentee: j), ctx: ctx))
            } else if infeasible {
                reasons.append(Self.noMatching(compatible: range.count, partner: "mentor"))
            } else if ctx.policy.method == .stable {
                let acceptable = range.filter { ranks.isAcceptable($0) }
                if acceptable.isEmpty {
                    reasons.append("no compatible mentor is acceptable to both sides: \(ctx.mentee(j).preferences.isEmpty ? "the mentors' preference lists leave \(ctx.mentee(j).name) out" : "\(ctx.mentee(j).name)'s preference list and the mentors' lists leave no compatible pair")")
                } else {
                    let names = acceptable.map { ctx.mentor(Int(problem.pairs.mentor[$0])).name }.sorted()
                    reasons.append("every mentor acceptable to \(ctx.mentee(j).name) (\(naturalList(names))) is full with mentees they rank above \(ctx.mentee(j).name)")
                }
            } else {
                let mentors = range.map { Int(problem.pairs.mentor[$0]) }
                let full = mentors.filter { load[$0] >= problem.capacity[$0] }
                if full.count == mentors.count {
                    let names = mentors.map { ctx.mentor($0).name }.sorted()
                    reasons.append(mentors.count == 1
                                   ? "the only compatible mentor, \(names[0]), is full"
                                   : "every compatible mentor is full (\(Self.shortList(names)))")
                    let higher = mentors.reduce(0) { n, i in n + matchedPriorities[i].filter { $0 > problem.priority[j] }.count }
                    if higher > 0 { reasons.append("mentees of higher priority took \(higher) of those places") }
                } else {
                    reasons.append("a compatible mentor has a free place, but taking it would break the mentor minimum or a lock")
                }
            }
            out.append(UnmatchedPerson(id: ctx.mentee(j).id, role: .mentee, reasons: reasons))
        }
        for i in 0..<problem.mentorCount where load[i] == 0 {
            var reasons: [String] = []
            if mentorPairs[i] == 0 {
                reasons.append(Self.ruleSummary(count: problem.menteeCount, role: .mentor, rejections: firstRejections(mentor: i), ctx: ctx))
            } else if infeasible {
                reasons.append(Self.noMatching(compatible: mentorPairs[i], partner: "mentee"))
            } else if problem.capacity[i] == 0 {
                reasons.append("capacity is 0")
            } else {
                let n = mentorPairs[i]
                reasons.append(n == 1 ? "the only compatible mentee is matched to another mentor"
                               : "all \(n) compatible mentees are matched to other mentors")
            }
            out.append(UnmatchedPerson(id: ctx.mentor(i).id, role: .mentor, reasons: reasons))
        }
        return out.sorted { ($0.role == .mentee ? 0 : 1, $0.id) < ($1.role == .mentee ? 0 : 1, $1.id) }
    }

    /// Why someone with compatible partners is unmatched when no matching exists at all.
    static func noMatching(compatible: Int, partner: String) -> String {
        "no matching meets every hard rule (see the diagnosis), so nobody is matched; \(compatible) compatible \(partner)\(compatible == 1 ? "" : "s") would otherwise be possible"
    }

    func shortfalls() -> [String] {
        var out: [String] = []
        let unmatchedMentees = (0..<problem.menteeCount).filter { matchedMentee[$0] == nil }
        let places = problem.capacity.reduce(0, +)
        if !unmatchedMentees.isEmpty && places < problem.menteeCount {
            out.append("\(problem.menteeCount) mentees and \(places) mentor places: at least \(problem.menteeCount - places) cannot be matched")
        }
        let noCandidate = unmatchedMentees.filter { problem.pairs.pairs(ofMentee: $0).isEmpty }
        if !noCandidate.isEmpty {
            out.append("\(noCandidate.count) mentee\(noCandidate.count == 1 ? " has" : "s have") no compatible mentor under the hard rules")
        }
        func placesLeft(_ accept: (Int) -> Bool) -> Int {
            (0..<problem.mentorCount).filter(accept).reduce(0) { $0 + max(0, problem.capacity[$1] - load[$1]) }
        }
        // With no matching at all, "places left" would describe a matching that does not exist.
        if infeasible { return out }
        // Gender: unmatched mentees grouped by the genders they accept.
        if ctx.policy.genderPreference != .off {
            var byWish: [String: [Int]] = [:]
            for j in unmatchedMentees {
                let e = ctx.mentee(j)
                switch e.genderPreference {
                case .any: continue
                case .same: if let g = e.gender { byWish[g, default: []].append(j) }
                case .oneOf(let set): byWish[set.sorted().joined(separator: " or "), default: []].append(j)
                }
            }
            for (wish, js) in byWish.sorted(by: { $0.key < $1.key }) {
                let accepts = Set(wish.components(separatedBy: " or "))
                let left = placesLeft { i in ctx.mentor(i).gender.map(accepts.contains) ?? false }
                out.append("\(js.count) unmatched mentee\(js.count == 1 ? " needs" : "s need") a \(wish) mentor; \(wish) mentors have \(left) place\(left == 1 ? "" : "s") left")
            }
        }
        // Required qualifications.
        if ctx.policy.requiredQualifications == .hard {
            var byNeed: [String: [Int]] = [:]
            for j in unmatchedMentees where !ctx.mentee(j).requires.isEmpty {
                byNeed[naturalList(ctx.mentee(j).requires.sorted()), default: []].append(j)
            }
            for (need, js) in byNeed.sorted(by: { $0.key < $1.key }) {
                let required = ctx.menteeRequires[js[0]]
                let left = placesLeft { required.isSubset(of: ctx.mentorQualifications[$0]) }
                out.append("\(js.count) unmatched mentee\(js.count == 1 ? " needs" : "s need") a mentor who is \(need); such mentors have \(left) place\(left == 1 ? "" : "s") left")
            }
        }
        if problem.hasSoftMinimum {
            let wanted = (0..<problem.mentorCount).filter { problem.minimum[$0] > 0 }
            let reached = wanted.filter { load[$0] >= problem.minimum[$0] }.count
            if reached < wanted.count {
                out.append("\(reached) of \(wanted.count) mentors reach the minimum of \(ctx.policy.mentorMinimum.count) mentee\(ctx.policy.mentorMinimum.count == 1 ? "" : "s")")
            }
        }
        return out
    }
}
