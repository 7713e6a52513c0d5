import Foundation
import GRDB
import PeerMatch

/// Sessions by what happened, and attendance: held ÷ (held + missed by either side); cancelled
/// sessions and closures could not happen and do not count.
public struct SessionCounts: Sendable, Hashable {
    /// Sessions the timetable planned (timetabled terms; after any ending, none).
    public var planned: Int = 0
    public var held: Int = 0
    public var missedByMentee: Int = 0
    public var missedByMentor: Int = 0
    public var cancelled: Int = 0
    public var closure: Int = 0
    public var recorded: Int { held + missedByMentee + missedByMentor + cancelled + closure }
    /// Nil when no session counts yet.
    public var attendance: Double? {
        let n = held + missedByMentee + missedByMentor
        return n == 0 ? nil : Double(held) / Double(n)
    }

    mutating func add(_ o: SessionOutcome) {
        switch o {
        case .held: held += 1
        case .missedByMentee: missedByMentee += 1
        case .missedByMentor: missedByMentor += 1
        case .cancelled: cancelled += 1
        case .closure: closure += 1
        }
    }
}

/// One week of the term (Monday).
public struct WeekFigures: Sendable, Hashable {
    public var weekStart: CalendarDate
    /// Whether the term skips this week (half term).
    public var skipped: Bool
    public var sessions: SessionCounts
}

/// A mentor's time over the term, from held sessions.
public struct MentorHours: Sendable, Hashable {
    public var id: PersonID
    public var name: String
    public var minutes: Int
    public var sessionsHeld: Int
    /// Weeks with at least one held session.
    public var weeks: Int
    public var mostInAWeek: Int
    public var agreedMinutesPerWeek: Int?
}

/// The paired change of a measure over the term, for one group of mentees.
public struct OutcomeChange: Sendable, Hashable {
    public enum Group: String, Sendable, Hashable { case matched, notMatched = "not-matched" }
    public var measure: String
    public var title: String
    public var group: Group
    /// People with both a pre and a post score.
    public var n: Int
    public var preMean: Double?
    public var postMean: Double?
    /// Mean of post − pre, with its 95% interval (t distribution, n − 1 degrees of freedom; nil below n = 2).
    public var meanChange: Double?
    public var low: Double?
    public var high: Double?
    /// People with a pre score only, or a post score only (not in the paired figures).
    public var unpaired: Int
}

/// The figures of one term, for the end-of-term report (CSV and a printable page render the same
/// values; see ``TermReportCSV`` and ``TermReportHTML``).
public struct TermReport: Sendable, Hashable {
    public var scheme: String
    public var term: TermID
    public var termName: String
    public var start: CalendarDate
    public var end: CalendarDate
    /// The store's revision the figures were read at (the page says so instead of a time, so the
    /// same store gives the same bytes).
    public var revision: Int
    public var mentors: Int
    public var mentees: Int
    /// Mentees with an approved, active or ended pair in the term.
    public var matchedMentees: Int
    public var matchedShare: Double? { mentees == 0 ? nil : Double(matchedMentees) / Double(mentees) }
    /// Mentees left with no live pair now (not counting those who withdrew).
    public var unmatchedNow: Int
    public var withdrawals: Int
    public var pairsByState: [PairState: Int]
    public var sessions: SessionCounts
    public var weeks: [WeekFigures]
    public var totalMinutes: Int
    public var mentorHours: [MentorHours]
    public var endings: [EndReason: Int]
    public var endedNoRepeat: Int
    public var outcomes: [OutcomeChange]
    /// Minutes a held session counts for when its record gives none.
    public var defaultSessionMinutes: Int
}

extension SchemeStore {
    /// A term's figures: matched share, sessions held, attendance by week, mentors' hours, endings
    /// by reason, and the paired change of each outcome measure with its 95% interval and n, for
    /// matched mentees and, where measured, for those not matched.
    public func report(term: TermID, defaultSessionMinutes: Int = 30) throws -> TermReport {
        try read { db in
            let t = try requireTerm(term, db)
            let setup = try TermSetupInput.stored(t["setup"], term: term)
            let names = try personNames(db, term: term)
            let scheme = try String.fetchOne(db, sql: "SELECT name FROM scheme WHERE id = 1") ?? ""
            var roles: [PersonID: Role] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT person_id, role FROM person_version WHERE term_id = ? AND superseded_at IS NULL", arguments: [term]) {
                roles[r["person_id"]] = Role(rawValue: r["role"])
            }
            let pairs = try Row.fetchAll(db, sql: "SELECT * FROM pair WHERE term_id = ? AND state <> 'superseded'", arguments: [term]).map(PairRow.init)
            var byState: [PairState: Int] = [:]
            for p in pairs { byState[p.state, default: 0] += 1 }
            let happened = pairs.filter { PairState.held.contains($0.state) }
            let matched = Set(happened.map(\.mentee))
            let withdrawn = Set(try String.fetchAll(db, sql: "SELECT person_id FROM withdrawal WHERE term_id = ?", arguments: [term]).map { PersonID($0) })
            let live = Set(pairs.filter { PairState.live.contains($0.state) }.map(\.mentee))
            let mentees = roles.filter { $0.value == .mentee }.map(\.key)

            // Weeks: every Monday from the term's first week to its last.
            let skipped = Set(setup.skipWeeks.map(\.weekStart))
            var weekIndex: [CalendarDate: Int] = [:]
            var weeks: [WeekFigures] = []
            var w = setup.start.weekStart
            while w <= setup.end {
                weekIndex[w] = weeks.count
                weeks.append(WeekFigures(weekStart: w, skipped: skipped.contains(w), sessions: SessionCounts()))
                w = w.adding(days: 7)
            }
            var total = SessionCounts()
            for p in happened {
                for d in p.dates where d >= setup.start && d <= setup.end {
                    total.planned += 1
                    if let k = weekIndex[d.weekStart] { weeks[k].sessions.planned += 1 }
                }
            }
            var mentorOf: [Int64: PersonID] = [:]
            for p in pairs { mentorOf[p.id] = p.mentor }
            var hours: [PersonID: (minutes: Int, held: Int, weeks: [CalendarDate: Int])] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT pair_id, date, outcome, minutes FROM session_record WHERE term_id = ? AND superseded_by IS NULL",
                                      arguments: [term]) {
                guard let o = SessionOutcome(rawValue: r["outcome"]) else { continue }
                let d: CalendarDate = r["date"]
                total.add(o)
                if let k = weekIndex[d.weekStart] { weeks[k].sessions.add(o) }
                if o == .held, let mentor = mentorOf[r["pair_id"]] {
                    let m = (r["minutes"] as Int?) ?? defaultSessionMinutes
                    hours[mentor, default: (0, 0, [:])].minutes += m
                    hours[mentor]!.held += 1
                    hours[mentor]!.weeks[d.weekStart, default: 0] += m
                }
            }
            var agreed: [PersonID: Int] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT person_id, minutes_per_week FROM mentor_hours WHERE term_id = ? AND superseded_at IS NULL", arguments: [term]) {
                agreed[r["person_id"]] = r["minutes_per_week"]
            }
            let mentorIDs = Set(roles.filter { $0.value == .mentor }.map(\.key)).union(hours.keys)
            let mentorHours = mentorIDs.sorted().map { id -> MentorHours in
                let h = hours[id] ?? (0, 0, [:])
                return MentorHours(id: id, name: names[id] ?? id.rawValue, minutes: h.minutes, sessionsHeld: h.held, weeks: h.weeks.count,
                                   mostInAWeek: h.weeks.values.max() ?? 0, agreedMinutesPerWeek: agreed[id])
            }
            var endings: [EndReason: Int] = [:]
            var noRepeat = 0
            for r in try Row.fetchAll(db, sql: "SELECT end_reason, no_repeat FROM pair WHERE term_id = ? AND state = 'ended'", arguments: [term]) {
                endings[EndReason(rawValue: r["end_reason"] ?? "") ?? .other, default: 0] += 1
                if r["no_repeat"] as Bool { noRepeat += 1 }
            }

            // Outcomes: the latest pre and post score of each mentee, per measure.
            var outcomes: [OutcomeChange] = []
            let measures = try Row.fetchAll(db, sql: "SELECT * FROM outcome_measure ORDER BY name").map(Self.measure)
            var scores: [String: [PersonID: (pre: Double?, post: Double?)]] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT person_id, measure, phase, total FROM outcome WHERE term_id = ? AND superseded_by IS NULL",
                                      arguments: [term]) {
                let id: PersonID = r["person_id"]
                guard roles[id] == .mentee else { continue }
                let phase = OutcomePhase(rawValue: r["phase"])
                var s = scores[r["measure"], default: [:]][id] ?? (nil, nil)
                if phase == .pre { s.pre = r["total"] } else { s.post = r["total"] }
                scores[r["measure"], default: [:]][id] = s
            }
            for m in measures {
                guard let byPerson = scores[m.name] else { continue }
                for group in [OutcomeChange.Group.matched, .notMatched] {
                    let members = byPerson.filter { matched.contains($0.key) == (group == .matched) }
                    guard !members.isEmpty else { continue }
                    let paired = members.values.compactMap { s in s.pre.flatMap { pre in s.post.map { (pre, $0) } } }
                    let interval = Statistics.meanInterval(paired.map { $0.1 - $0.0 })
                    func mean(_ xs: [Double]) -> Double? { xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count) }
                    outcomes.append(OutcomeChange(measure: m.name, title: m.title, group: group, n: paired.count,
                                                  preMean: mean(paired.map(\.0)), postMean: mean(paired.map(\.1)),
                                                  meanChange: interval?.mean, low: interval?.low, high: interval?.high,
                                                  unpaired: members.count - paired.count))
                }
            }
            return TermReport(scheme: scheme, term: term, termName: t["name"], start: setup.start, end: setup.end,
                              revision: try Int.fetchOne(db, sql: "SELECT revision FROM scheme WHERE id = 1") ?? 0,
                              mentors: mentorIDs.filter { roles[$0] == .mentor }.count, mentees: mentees.count,
                              matchedMentees: matched.intersection(mentees).count,
                              unmatchedNow: mentees.filter { !live.contains($0) && !withdrawn.contains($0) }.count,
                              withdrawals: withdrawn.count, pairsByState: byState, sessions: total, weeks: weeks,
                              totalMinutes: mentorHours.reduce(0) { $0 + $1.minutes }, mentorHours: mentorHours,
                              endings: endings, endedNoRepeat: noRepeat, outcomes: outcomes, defaultSessionMinutes: defaultSessionMinutes)
        }
    }
}
