import Foundation
import GRDB
import PeerMatch

/// One change a re-match makes to the term's other pairs: the core's re-matching `Change`
/// (`kind` removed, moved or added; `mentor`, `mentee`; sessions `before` and `after`; `reason`;
/// `counted` against the cap).
public typealias PlannedChange = Change

/// What a withdrawal would do, before anything is saved: the person's pairs that end (or, when
/// only proposed, are dropped), and every change to the rest of the term with its reason.
public struct WithdrawalPlan: Sendable, Hashable {
    public var term: TermID
    public var person: PersonID
    public var name: String
    public var role: Role
    public var date: CalendarDate
    public var reason: EndReason
    public var note: String?
    public var maxChanges: Int?
    /// The store's revision the plan was made at: applying it refuses if anything changed since.
    public var revision: Int
    /// Approved or active pairs of the person, ended on `date`.
    public var ended: [PairRef]
    /// Proposals of the person, dropped (superseded).
    public var dropped: [PairRef]
    /// Changes to the other pairs, in mentor then mentee order.
    public var changes: [PlannedChange]
    /// Mentees with a live pair before and after.
    public var matchedBefore: Int
    public var matchedAfter: Int
    public var notes: [String]
    /// Identifies the solved re-match this plan was made from (see ``SchemeStore/applyWithdrawal(_:by:)``).
    public var planID: String
}

/// Solved re-matches, by plan, so applying a plan stores exactly the result that was shown (within
/// this process; another process re-solves the same inputs and checks it finds the same changes).
final class PlanCache: @unchecked Sendable {
    private let lock = NSLock()
    private var plans: [String: (MatchResult, TermCohort)] = [:]
    func put(_ id: String, _ value: (MatchResult, TermCohort)) {
        lock.lock(); defer { lock.unlock() }
        if plans.count > 16 { plans.removeAll() }
        plans[id] = value
    }
    func take(_ id: String) -> (MatchResult, TermCohort)? {
        lock.lock(); defer { lock.unlock() }
        return plans.removeValue(forKey: id)
    }
}

extension SchemeStore {
    /// Plans a withdrawal without saving anything: ends `person`'s pairs in `term` from `date`,
    /// then re-matches the rest of the term keeping every other pair and session; at most
    /// `maxChanges` of the still-possible earlier sessions may change, and only to match more
    /// mentees (0 when nil). Locked pairs never change; within the cap, the solver may move other
    /// pairs' sessions or re-pair their mentees, and the plan lists each such change with why.
    public func planWithdrawal(person: PersonID, term: TermID, date: CalendarDate, maxChanges: Int? = nil,
                               reason: EndReason? = nil, note: String? = nil, options: MatchOptions = MatchOptions(),
                               progress: (@Sendable (SchemeMatchProgress) -> Void)? = nil) throws -> WithdrawalPlan {
        if let maxChanges, maxChanges < 0 { throw StoreError.invalid("--max-changes must be 0 or more") }
        let started = Date()
        var sizes = (mentors: 0, mentees: 0)
        func report(_ stage: SchemeMatchProgress.Stage, _ message: String) {
            progress?(SchemeMatchProgress(stage: stage, message: message, mentors: sizes.mentors, mentees: sizes.mentees,
                                          elapsed: Date().timeIntervalSince(started), solver: nil))
        }
        report(.reading, "reading term \(term)")
        let (built, live, role, name, revision) = try read { db -> (TermCohort, [PairRow], Role, String, Int) in
            let t = try requireTerm(term, db)
            guard let v = try Row.fetchOne(db, sql: "SELECT role, name FROM person_version WHERE term_id = ? AND person_id = ? AND superseded_at IS NULL",
                                           arguments: [term, person]) else {
                throw StoreError.notFound("\(person) is not in term \(term)")
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM withdrawal WHERE term_id = ? AND person_id = ?", arguments: [term, person]) == true {
                throw StoreError.invalid("\(person) has already withdrawn from term \(term)")
            }
            let start: CalendarDate = t["start_date"], end: CalendarDate = t["end_date"]
            guard date >= start, date <= end else {
                throw StoreError.invalid("withdrawal of \(person) from term \(term): \(date) is outside the term (\(start) to \(end))")
            }
            let built = try TermCohort.build(db, store: self, term: term, options: TermCohort.Options(without: [person], approvedAsLocks: false))
            return (built, try PairRow.live(db, term: term), Role(rawValue: v["role"])!, v["name"],
                    try Int.fetchOne(db, sql: "SELECT revision FROM scheme WHERE id = 1") ?? 0)
        }
        sizes = (built.cohort.mentors.count, built.cohort.mentees.count)
        report(.building, "built the cohort without \(person): \(sizes.mentors) mentors, \(sizes.mentees) mentees, \(live.count) live pairs kept as they are")
        let mine = live.filter { $0.mentor == person || $0.mentee == person }
        let others = live.filter { $0.mentor != person && $0.mentee != person }
        // Every live pair is the re-matching's previous result (the core re-matches with or
        // without a timetable); the withdrawn person's pairs come out as forced removals.
        let notes: [String] = []
        let previous = try previousResult(live.map { ($0.mentor, $0.mentee, $0.sessions) })
        report(.solving, "re-matching \(sizes.mentees) mentees and \(sizes.mentors) mentors")
        var forward: (@Sendable (MatchProgress) -> Void)? = nil
        if let progress {
            let counts = (sizes.mentors, sizes.mentees)
            forward = { core in
                progress(SchemeMatchProgress(stage: .solving, message: core.description, mentors: counts.0, mentees: counts.1,
                                             elapsed: Date().timeIntervalSince(started), solver: core))
            }
        }
        let result = try solve(built, options: options, previous: previous, maxChanges: maxChanges ?? 0, progress: forward)
        if result.status == .infeasible {
            throw StoreError.invalid("term \(term) cannot be re-matched without \(person): " + result.diagnosis.joined(separator: "; "))
        }
        let changes = Self.changes(result, before: others, withdrawn: person)
        let why = reason ?? (role == .mentor ? .mentorWithdrew : .other)
        let id = UUID().uuidString
        planCache.put(id, (result, built))
        report(.done, "\(changes.count) other changes; \(result.matched) mentees matched after")
        return WithdrawalPlan(term: term, person: person, name: name, role: role, date: date, reason: why, note: note,
                              maxChanges: maxChanges, revision: revision,
                              ended: mine.filter { $0.state != .proposed }.map(\.ref), dropped: mine.filter { $0.state == .proposed }.map(\.ref),
                              changes: changes, matchedBefore: Set(live.map(\.mentee)).count, matchedAfter: result.matched,
                              notes: notes + built.warnings, planID: id)
    }

    /// Saves a plan: the withdrawal, the endings, the changes. Refuses if the store changed since
    /// the plan was made (make a new plan and look at it again).
    @discardableResult
    public func applyWithdrawal(_ plan: WithdrawalPlan, by actor: Actor) throws -> MatchRunSummary {
        let started = Date()
        let solved: (MatchResult, TermCohort)
        if let cached = planCache.take(plan.planID) {
            solved = cached
        } else {
            // Another process (or an evicted plan): solve the same inputs again, and insist on the same outcome.
            let again = try planWithdrawal(person: plan.person, term: plan.term, date: plan.date, maxChanges: plan.maxChanges,
                                           reason: plan.reason, note: plan.note)
            guard again.revision == plan.revision, again.changes == plan.changes, again.ended == plan.ended else {
                throw StoreError(.conflict, "the withdrawal of \(plan.person) was planned at revision \(plan.revision) and the scheme has changed since; plan it again and check the changes")
            }
            solved = planCache.take(again.planID)!
        }
        return try write(by: actor) { w in
            let now = try Int.fetchOne(w.db, sql: "SELECT revision FROM scheme WHERE id = 1") ?? 0
            guard now == plan.revision else {
                throw StoreError(.conflict, "the withdrawal of \(plan.person) was planned at revision \(plan.revision) and the scheme is now at \(now); plan it again and check the changes")
            }
            let db = w.db
            for ref in plan.ended + plan.dropped {
                let p = try resolvePair(db, ref)
                let to: PairState = p.state == .proposed ? .superseded : .ended
                try db.execute(sql: "UPDATE pair SET state = ?, state_at = ?, state_by = ? WHERE id = ?", arguments: [to.rawValue, w.at, actor.name, p.id])
                try recordEvent(db, pair: p.id, at: w.at, by: actor, event: "withdraw", from: p.state, to: to,
                                note: "\(plan.person) withdrew on \(plan.date)" + (plan.note.map { ": \($0)" } ?? ""))
                if to == .ended { try endPair(db, w: w, p, reason: plan.reason, note: plan.note, noRepeat: false, date: plan.date) }
            }
            let summary = try storeRun(solved.0, solved.1, kind: "withdrawal", w: &w, by: actor, note: plan.note, started: started,
                                       effective: plan.date)
            try db.execute(sql: "INSERT INTO withdrawal (term_id, person_id, date, reason, note, run_id, at, by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [plan.term, plan.person, plan.date, plan.reason.rawValue, plan.note, summary.runID, w.at, actor.name])
            w.audit("withdraw", term: plan.term, subject: plan.person.rawValue,
                    detail: "from \(plan.date) (\(plan.reason.label)): \(plan.ended.count) pairs ended, \(plan.dropped.count) proposals dropped, \(plan.changes.count) other changes; re-match run \(summary.runID): \(summary.matched) of \(summary.mentees) mentees matched",
                    why: plan.note)
            return summary
        }
    }

    /// The re-match's changes to the other pairs (the core's list, less the withdrawn person's own).
    static func changes(_ result: MatchResult, before: [PairRow], withdrawn: PersonID) -> [PlannedChange] {
        (result.timetable?.changes ?? []).filter { $0.mentor != withdrawn && $0.mentee != withdrawn }
    }
}
