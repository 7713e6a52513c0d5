import Foundation
import GRDB
import PeerMatch

/// A hard rule that rules a pair out, in the rule's own words.
public struct RuleBreach: Sendable, Hashable {
    /// The rule's id (`ageGap`, `exclusion`, `genderPreference`, ...).
    public var rule: String
    public var text: String
}

/// Why two people are not paired: the hard rules that rule them out, or, when none does, the
/// pair's score term by term and where each of them stands now.
public struct PairExplanation: Sendable, Hashable {
    public var term: TermID
    public var mentor: PersonID
    public var mentee: PersonID
    public var mentorName: String
    public var menteeName: String
    /// Empty when no hard rule forbids the pair.
    public var breaches: [RuleBreach]
    public var allowed: Bool { breaches.isEmpty }
    /// The pair's score (hundredths), its terms (id, hundredths) and their reasons.
    public var scoreHundredths: Int
    public var breakdown: [(term: String, hundredths: Int)]
    public var reasons: [String]
    /// Timetabled terms: slots both can make (ids); nil without a timetable.
    public var commonSlots: [String]?
    /// The mentee's live pair, if any (with its score), and the mentor's load.
    public var menteePair: StoredPair?
    public var mentorLoad: Int
    public var mentorCapacity: Int
    /// Plain words: the verdict in one or two sentences.
    public var summary: String

    public static func == (a: PairExplanation, b: PairExplanation) -> Bool {
        a.term == b.term && a.mentor == b.mentor && a.mentee == b.mentee && a.breaches == b.breaches && a.scoreHundredths == b.scoreHundredths
            && a.breakdown.map(\.term) == b.breakdown.map(\.term) && a.breakdown.map(\.hundredths) == b.breakdown.map(\.hundredths)
            && a.reasons == b.reasons && a.commonSlots == b.commonSlots && a.menteePair == b.menteePair && a.mentorLoad == b.mentorLoad
            && a.summary == b.summary
    }
    public func hash(into h: inout Hasher) { h.combine(term); h.combine(mentor); h.combine(mentee); h.combine(summary) }
}

/// One side of a swap: a pair as it is, or as it would be.
public struct SwapSide: Sendable, Hashable {
    public var mentor: PersonID
    public var mentee: PersonID
    public var scoreHundredths: Int?
    public var sessions: [Session]
    /// Hard rules the new pair would break (empty for the pairs as they are).
    public var breaches: [RuleBreach]
}

/// What swapping two mentees' mentors would do, before anything is saved.
public struct SwapPreview: Sendable, Hashable {
    public var term: TermID
    public var before: [SwapSide]
    public var after: [SwapSide]
    public var scoreBefore: Int
    public var scoreAfter: Int?
    /// Everything that stops the swap (hard rules, sessions the new pairs cannot keep, a locked
    /// or active pair); empty when it can be made.
    public var problems: [String]
    public var allowed: Bool { problems.isEmpty }
    /// The state the two new pairs get: approved when both old ones were, else proposed.
    public var newState: PairState
    public var revision: Int
}

extension SchemeStore {
    /// Why `mentor` and `mentee` are not a pair in `term`: each hard rule that rules them out in its
    /// own words; or the score term by term, the mentee's current pair and the mentor's load.
    public func whyNot(term: TermID, mentor: PersonID, mentee: PersonID) throws -> PairExplanation {
        try read { db in
            let entry = try builtTerm(db, term: term)
            let built = entry.built, ctx = entry.context
            guard let i = ctx.mentorIndex[mentor] else {
                throw StoreError.notFound(built.cohort.person(mentor) != nil ? "\(mentor) is a mentee in term \(term), not a mentor"
                                          : "\(mentor) is not in term \(term)" + (built.withdrawn.contains(mentor) ? " any more (withdrew)" : ""))
            }
            guard let j = ctx.menteeIndex[mentee] else {
                throw StoreError.notFound(built.cohort.person(mentee) != nil ? "\(mentee) is a mentor in term \(term), not a mentee"
                                          : "\(mentee) is not in term \(term)" + (built.withdrawn.contains(mentee) ? " any more (withdrew)" : ""))
            }
            let breaches = HardRules.violations(mentor: i, mentee: j, in: ctx).map { RuleBreach(rule: $0.id, text: $0.rejection(mentor: i, mentee: j, in: ctx)) }
            let breakdown = ScoreTerms.breakdown(mentor: i, mentee: j, in: ctx).map { (term: $0.term.id, hundredths: $0.hundredths) }
            let reasons = ctx.scoreTerms.compactMap { $0.term.reason(mentor: i, mentee: j, in: ctx) }
            let score = ScoreTerms.score(mentor: i, mentee: j, in: ctx)
            let m = ctx.mentor(i), e = ctx.mentee(j)
            var common: [String]? = nil
            if let setup = built.cohort.timetable {
                common = setup.slots.filter { s in (m.availability ?? [s.id]).contains(s.id) && (e.availability ?? [s.id]).contains(s.id) }.map(\.id)
            }
            let names = try personNames(db, term: term)
            let current = try Row.fetchOne(db, sql: "SELECT * FROM pair WHERE term_id = ? AND mentee_id = ? AND state IN ('proposed', 'approved', 'active')",
                                           arguments: [term, mentee]).map { storedPair($0, names: names) }
            let load = built.livePairs.filter { $0.mentor == mentor }.count
            var summary: String
            if let first = breaches.first {
                summary = "\(m.name) and \(e.name) cannot be paired: " + breaches.map(\.text).joined(separator: "; ")
                    + (first.rule == "exclusion" ? "." : " (hard rule\(breaches.count == 1 ? "" : "s") \(breaches.map(\.rule).joined(separator: ", "))).")
            } else if current?.ref.mentor == mentor {
                summary = "\(m.name) and \(e.name) are paired (\(current!.state.rawValue))."
            } else {
                summary = "No hard rule rules them out; the pair would score \(formatNumber(Score.points(score)))."
                if let c = current {
                    summary += " \(e.name) is paired with \(c.mentorName) (\(c.state.rawValue), score \(c.score.map(formatNumber) ?? "-"))."
                }
                if load >= m.capacity { summary += " \(m.name) is full (\(load) of \(m.capacity))." }
                if let common, common.isEmpty { summary += " They have no free slot in common." }
            }
            return PairExplanation(term: term, mentor: mentor, mentee: mentee, mentorName: m.name, menteeName: e.name, breaches: breaches,
                                   scoreHundredths: score, breakdown: breakdown, reasons: reasons, commonSlots: common, menteePair: current,
                                   mentorLoad: load, mentorCapacity: m.capacity, summary: summary)
        }
    }

    /// What swapping the mentors of two mentees would do: each new pair's hard rules and score,
    /// and, in a timetabled term, whether each mentee can take the other's session (the whole
    /// timetable checked by the core's rules).
    public func previewSwap(term: TermID, menteeA: PersonID, menteeB: PersonID) throws -> SwapPreview {
        try read { db in try swapPreview(db, term: term, menteeA, menteeB) }
    }

    /// Swaps two mentees' mentors, each mentee taking the other's session: refused unless the
    /// preview allows it. The old pairs are kept as superseded records.
    public func swap(term: TermID, menteeA: PersonID, menteeB: PersonID, by actor: Actor, note: String? = nil) throws {
        try write(by: actor) { w in
            let preview = try swapPreview(w.db, term: term, menteeA, menteeB)
            guard preview.allowed else {
                throw StoreError(.invalid, ["\(menteeA) and \(menteeB) cannot swap mentors:"] + preview.problems)
            }
            let live = try PairRow.live(w.db, term: term)
            let people = try Self.peopleByID(w.db, term: term)
            let setup = try TermSetupInput.stored(try requireTerm(term, w.db)["setup"], term: term)
            let today = Instant.date(w.now)
            for old in preview.before {
                let row = live.first { $0.mentor == old.mentor && $0.mentee == old.mentee }!
                try w.db.execute(sql: "UPDATE pair SET state = 'superseded', state_at = ?, state_by = ? WHERE id = ?", arguments: [w.at, actor.name, row.id])
                try recordEvent(w.db, pair: row.id, at: w.at, by: actor, event: "swap", from: row.state, to: .superseded, note: note ?? "mentees swapped")
            }
            let built = try TermCohort.build(w.db, store: self, term: term)
            let ctx = PairingContext(cohort: built.cohort, policy: built.policy)
            for new in preview.after {
                let i = ctx.mentorIndex[new.mentor]!, j = ctx.menteeIndex[new.mentee]!
                let reasons = ctx.scoreTerms.compactMap { $0.term.reason(mentor: i, mentee: j, in: ctx) } + ["swapped by \(actor.name)" + (note.map { ": \($0)" } ?? "")]
                let dates = setup.isTimetabled
                    ? Self.sessionDates(new.sessions, setup: setup, mentor: people[new.mentor], mentee: people[new.mentee], until: nil).filter { $0 >= today } : []
                try w.db.execute(sql: """
                    INSERT INTO pair (term_id, mentor_id, mentee_id, state, locked, score_h, reasons, sessions, dates, source, created_at, created_by, state_at, state_by)
                    VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, 'swap', ?, ?, ?, ?)
                    """, arguments: [term, new.mentor, new.mentee, preview.newState.rawValue, new.scoreHundredths, CompactJSON.strings(reasons),
                                     CompactJSON.sessions(new.sessions), CompactJSON.dates(dates), w.at, actor.name, w.at, actor.name])
                try recordEvent(w.db, pair: w.db.lastInsertedRowID, at: w.at, by: actor, event: "swap", from: nil, to: preview.newState, note: note ?? "mentees swapped")
            }
            w.audit("swap", term: term, subject: "\(menteeA) and \(menteeB)",
                    detail: preview.after.map { "\($0.mentor):\($0.mentee)" }.joined(separator: ", "), why: note)
        }
    }

    private func swapPreview(_ db: Database, term: TermID, _ a: PersonID, _ b: PersonID) throws -> SwapPreview {
        guard a != b else { throw StoreError.invalid("swap: name two different mentees") }
        let entry = try builtTerm(db, term: term)
        let built = entry.built
        let live = built.livePairs
        var problems: [String] = []
        func pair(_ e: PersonID) throws -> PairRow {
            guard let p = live.first(where: { $0.mentee == e }) else {
                throw StoreError.invalid("\(e) has no live pair in term \(term) to swap")
            }
            return p
        }
        let pa = try pair(a), pb = try pair(b)
        if pa.mentor == pb.mentor { throw StoreError.invalid("\(a) and \(b) have the same mentor (\(pa.mentor)); there is nothing to swap") }
        for p in [pa, pb] {
            if p.locked { problems.append("pair \(p.ref) is locked; unlock it first") }
            if p.state == .active { problems.append("pair \(p.ref) is active (sessions have been held); end it and match again instead") }
        }
        let ctx = entry.context
        func side(_ m: PersonID, _ e: PersonID, sessions: [Session]) -> SwapSide {
            guard let i = ctx.mentorIndex[m], let j = ctx.menteeIndex[e] else { return SwapSide(mentor: m, mentee: e, scoreHundredths: nil, sessions: sessions, breaches: []) }
            let breaches = HardRules.violations(mentor: i, mentee: j, in: ctx).map { RuleBreach(rule: $0.id, text: $0.rejection(mentor: i, mentee: j, in: ctx)) }
            return SwapSide(mentor: m, mentee: e, scoreHundredths: ScoreTerms.score(mentor: i, mentee: j, in: ctx), sessions: sessions, breaches: breaches)
        }
        let before = [SwapSide(mentor: pa.mentor, mentee: a, scoreHundredths: pa.scoreHundredths, sessions: pa.sessions, breaches: []),
                      SwapSide(mentor: pb.mentor, mentee: b, scoreHundredths: pb.scoreHundredths, sessions: pb.sessions, breaches: [])]
        // Each mentee takes the other's place: the other's mentor, at that pair's sessions.
        let after = [side(pb.mentor, a, sessions: pb.sessions), side(pa.mentor, b, sessions: pa.sessions)]
        for s in after where !s.breaches.isEmpty {
            problems.append("\(s.mentor) with \(s.mentee) breaks " + s.breaches.map { "\($0.rule): \($0.text)" }.joined(separator: "; "))
        }
        if built.setup.isTimetabled && problems.isEmpty {
            let checker: TimetableChecker
            do { checker = try entry.checker() } catch let e as MatchInputError { throw Self.matchError(e, built) }
            let meetings = live.filter { $0.id != pa.id && $0.id != pb.id && built.cohort.person($0.mentor) != nil && built.cohort.person($0.mentee) != nil }
                .map { TimetableChecker.Meeting(mentor: $0.mentor, mentee: $0.mentee, sessions: $0.sessions) }
                + after.map { TimetableChecker.Meeting(mentor: $0.mentor, mentee: $0.mentee, sessions: $0.sessions) }
            let issues = checker.violations(meetings)
            if !issues.isEmpty {
                problems.append("the timetable would break: " + Self.explainTimetableProblems(issues, setup: built.setup))
            }
        }
        let scoreAfter = after.allSatisfy { $0.scoreHundredths != nil } ? after.reduce(0) { $0 + $1.scoreHundredths! } : nil
        return SwapPreview(term: term, before: before, after: after, scoreBefore: before.reduce(0) { $0 + ($1.scoreHundredths ?? 0) },
                           scoreAfter: scoreAfter, problems: problems,
                           newState: pa.state == .approved && pb.state == .approved ? .approved : .proposed,
                           revision: try Int.fetchOne(db, sql: "SELECT revision FROM scheme WHERE id = 1") ?? 0)
    }
}
