/// Turns a selection of pairs into words: reasons for every pair, for everyone left unmatched, and
/// the cohort-level shortfalls. Reasons come from the same ``ScoreTerm`` and ``HardRule`` pieces
/// that scored and filtered the pairs.
struct Explainer {
    let ctx: PairingContext
    let problem: MatchingProblem
    let selection: [Int]
    let load: [Int]
    let matchedMentee: [Int?]

    init(ctx: PairingContext, problem: MatchingProblem, selection: [Int]) {
        self.ctx = ctx; self.problem = problem; self.selection = selection
        var load = Array(repeating: 0, count: problem.mentorCount)
        var mm = [Int?](repeating: nil, count: problem.menteeCount)
        for p in selection { load[Int(problem.pairs.mentor[p])] += 1; mm[Int(problem.pairs.mentee[p])] = p }
        self.load = load; self.matchedMentee = mm
    }

    /// Reasons for one pair, in term order; staff ratings and locks first.
    static func reasons(mentor i: Int, mentee j: Int, in ctx: PairingContext, locked: Bool) -> [String] {
        var out: [String] = []
        if locked { out.append("kept as a locked pair") }
        if let staff = ctx.staffScores[PairKey(mentor: i, mentee: j)] {
            out.append("staff rating \(formatNumber(Score.points(staff))) replaces the computed score")
        }
        for term in ScoreTerms.active(ctx.policy) {
            if let r = term.reason(mentor: i, mentee: j, in: ctx) { out.append(r) }
        }
        return out
    }

    func pairs() -> [MatchedPair] {
        let locked = Set(problem.locked)
        return selection.map { p in
            let i = Int(problem.pairs.mentor[p]), j = Int(problem.pairs.mentee[p])
            return MatchedPair(mentor: ctx.mentor(i).id, mentee: ctx.mentee(j).id, scoreHundredths: problem.pairs.score[p],
                               reasons: Self.reasons(mentor: i, mentee: j, in: ctx, locked: locked.contains(p)))
        }.sorted { ($0.mentor, $0.mentee) < ($1.mentor, $1.mentee) }
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

    func unmatched() -> [UnmatchedPerson] {
        var out: [UnmatchedPerson] = []
        let byMentor = problem.pairs.pairsByMentor()
        for j in 0..<problem.menteeCount where matchedMentee[j] == nil {
            let range = problem.pairs.pairs(ofMentee: j)
            var reasons: [String] = []
            if range.isEmpty {
                var rejections: [String: Int] = [:]
                for i in 0..<problem.mentorCount {
                    if let rule = HardRules.violations(mentor: i, mentee: j, in: ctx).first { rejections[rule.id, default: 0] += 1 }
                }
                reasons.append(Self.ruleSummary(count: problem.mentorCount, role: .mentee, rejections: rejections, ctx: ctx))
            } else {
                let mentors = range.map { Int(problem.pairs.mentor[$0]) }
                let full = mentors.filter { load[$0] >= problem.capacity[$0] }
                if full.count == mentors.count {
                    let names = mentors.map { ctx.mentor($0).name }
                    reasons.append(mentors.count == 1
                                   ? "the only compatible mentor, \(names[0]), is full"
                                   : "every compatible mentor is full (\(naturalList(names.sorted())))")
                    let higher = mentors.flatMap { i in byMentor[i].filter { matchedMentee[Int(problem.pairs.mentee[$0])] == $0 } }
                        .filter { problem.priority[Int(problem.pairs.mentee[$0])] > problem.priority[j] }
                    if !higher.isEmpty { reasons.append("mentees of higher priority took \(higher.count) of those places") }
                } else {
                    reasons.append("a compatible mentor has a free place, but taking it would break the mentor minimum or a lock")
                }
            }
            out.append(UnmatchedPerson(id: ctx.mentee(j).id, role: .mentee, reasons: reasons))
        }
        for i in 0..<problem.mentorCount where load[i] == 0 {
            var reasons: [String] = []
            if byMentor[i].isEmpty {
                var rejections: [String: Int] = [:]
                for j in 0..<problem.menteeCount {
                    if let rule = HardRules.violations(mentor: i, mentee: j, in: ctx).first { rejections[rule.id, default: 0] += 1 }
                }
                reasons.append(Self.ruleSummary(count: problem.menteeCount, role: .mentor, rejections: rejections, ctx: ctx))
            } else if problem.capacity[i] == 0 {
                reasons.append("capacity is 0")
            } else {
                let n = byMentor[i].count
                reasons.append(n == 1 ? "the only compatible mentee is matched to another mentor"
                               : "all \(n) compatible mentees are matched to other mentors")
            }
            out.append(UnmatchedPerson(id: ctx.mentor(i).id, role: .mentor, reasons: reasons))
        }
        return out.sorted { ($0.role == .mentee ? 0 : 1, $0.id) < ($1.role == .mentee ? 0 : 1, $1.id) }
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
