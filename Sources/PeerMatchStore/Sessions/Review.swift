import Foundation
import GRDB
import PeerMatch

/// What `review` looks for, and its thresholds.
public struct ReviewSettings: Sendable, Hashable {
    /// Flag a pair with this many missed sessions in a row (cancelled sessions and closures do not
    /// break or extend a run: they could not happen).
    public var missedInARow: Int
    /// Flag a pair whose attendance (held ÷ held and missed) is below this share...
    public var attendanceBelow: Double
    /// ... once at least this many sessions count towards it.
    public var minimumSessions: Int
    /// Minutes a week a mentor may give when no agreement is recorded (nil: only recorded
    /// agreements are checked).
    public var defaultAgreedMinutesPerWeek: Int?
    /// Minutes a held session counts for when its record gives none and no slot says.
    public var defaultSessionMinutes: Int
    /// Flag proposals not yet approved.
    public var includeNotApproved: Bool
    /// With a date: planned sessions up to it with no record are flagged too.
    public var asOf: CalendarDate?

    public init(missedInARow: Int = 3, attendanceBelow: Double = 0.75, minimumSessions: Int = 4, defaultAgreedMinutesPerWeek: Int? = nil,
                defaultSessionMinutes: Int = 30, includeNotApproved: Bool = true, asOf: CalendarDate? = nil) {
        self.missedInARow = missedInARow; self.attendanceBelow = attendanceBelow; self.minimumSessions = minimumSessions
        self.defaultAgreedMinutesPerWeek = defaultAgreedMinutesPerWeek; self.defaultSessionMinutes = defaultSessionMinutes
        self.includeNotApproved = includeNotApproved; self.asOf = asOf
    }
}

/// One thing needing the co-ordinator's attention.
public struct ReviewItem: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case missedInARow = "missed-in-a-row"
        case lowAttendance = "low-attendance"
        case mentorOverHours = "mentor-over-hours"
        case notRecorded = "not-recorded"
        case notApproved = "not-approved"
    }
    public var kind: Kind
    /// The pair it is about (nil for a mentor's hours).
    public var pair: PairRef?
    /// The person it is about: the mentor for hours, else the mentee.
    public var person: PersonID
    public var name: String
    /// Plain words: "missed 3 sessions in a row (2026-09-15, 2026-09-22, 2026-09-29): review whether it is a good match".
    public var message: String
    /// The figure behind it: sessions missed in a row, attendance share, minutes in the week, sessions not recorded.
    public var value: Double
}

extension SchemeStore {
    /// Records a mentor's agreed time a week in a term (a later agreement replaces it; the earlier
    /// one is kept).
    public func setAgreedHours(term: TermID, mentor: PersonID, minutesPerWeek: Int, by actor: Actor) throws {
        guard (0...(7 * 24 * 60)).contains(minutesPerWeek) else { throw StoreError.invalid("agreed minutes a week must be from 0 to 10080, found \(minutesPerWeek)") }
        try write(by: actor) { w in
            _ = try requireTerm(term, w.db)
            guard let role = try String.fetchOne(w.db, sql: "SELECT role FROM person_version WHERE term_id = ? AND person_id = ? AND superseded_at IS NULL",
                                                 arguments: [term, mentor]) else {
                throw StoreError.notFound("\(mentor) is not in term \(term)")
            }
            guard role == "mentor" else { throw StoreError.invalid("\(mentor) is a \(role) in term \(term), not a mentor") }
            try w.db.execute(sql: "UPDATE mentor_hours SET superseded_at = ? WHERE term_id = ? AND person_id = ? AND superseded_at IS NULL",
                             arguments: [w.at, term, mentor])
            try w.db.execute(sql: "INSERT INTO mentor_hours (term_id, person_id, minutes_per_week, at, by) VALUES (?, ?, ?, ?, ?)",
                             arguments: [term, mentor, minutesPerWeek, w.at, actor.name])
            w.audit("hours", term: term, subject: mentor.rawValue, detail: "agreed \(minutesPerWeek) minutes a week")
        }
    }

    /// The pairs and mentors needing attention in a term, most pressing first: missed sessions in
    /// a row, low attendance, a mentor over their agreed time in some week, planned sessions not
    /// recorded (with ``ReviewSettings/asOf``), proposals not yet approved.
    public func review(term: TermID, settings: ReviewSettings = ReviewSettings()) throws -> [ReviewItem] {
        guard settings.missedInARow >= 1, (0...1).contains(settings.attendanceBelow), settings.minimumSessions >= 0 else {
            throw StoreError.invalid("review settings: missed in a row must be at least 1, and attendance a share from 0 to 1")
        }
        return try read { db in
            let t = try requireTerm(term, db)
            let setup = try TermSetupInput.stored(t["setup"], term: term)
            let names = try personNames(db, term: term)
            let pairs = try Row.fetchAll(db, sql: "SELECT * FROM pair WHERE term_id = ? AND state IN ('proposed', 'approved', 'active', 'ended') ORDER BY mentor_id, mentee_id",
                                         arguments: [term]).map(PairRow.init)
            var records: [Int64: [(CalendarDate, SessionOutcome, Int?)]] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT pair_id, date, outcome, minutes FROM session_record WHERE term_id = ? AND superseded_by IS NULL ORDER BY date",
                                      arguments: [term]) {
                records[r["pair_id"], default: []].append((r["date"], SessionOutcome(rawValue: r["outcome"]) ?? .held, r["minutes"]))
            }
            var items: [ReviewItem] = []
            func name(_ id: PersonID) -> String { names[id] ?? id.rawValue }
            for p in pairs {
                let rs = records[p.id] ?? []
                if p.state == .proposed {
                    if settings.includeNotApproved {
                        items.append(ReviewItem(kind: .notApproved, pair: p.ref, person: p.mentee, name: name(p.mentee),
                                                message: "proposed with \(name(p.mentor)), not yet approved", value: 0))
                    }
                    continue
                }
                // An ended pair needs no more attention (its sessions still count for hours below).
                if p.state == .ended { continue }
                // The longest run of misses, and whether it is still going.
                var run: [CalendarDate] = [], longest: [CalendarDate] = []
                for (d, o, _) in rs where o.counts {
                    if o.isMissed { run.append(d); if run.count > longest.count { longest = run } } else { run = [] }
                }
                if longest.count >= settings.missedInARow {
                    let ongoing = run == longest ? ", the latest sessions recorded" : ""
                    items.append(ReviewItem(kind: .missedInARow, pair: p.ref, person: p.mentee, name: name(p.mentee),
                                            message: "with \(name(p.mentor)): \(longest.count) sessions missed in a row (\(longest.map(\.description).joined(separator: ", "))\(ongoing)): review whether it is a good match",
                                            value: Double(longest.count)))
                }
                let counted = rs.filter { $0.1.counts }
                let held = counted.filter { $0.1 == .held }.count
                if counted.count >= max(1, settings.minimumSessions) {
                    let share = Double(held) / Double(counted.count)
                    if share < settings.attendanceBelow {
                        items.append(ReviewItem(kind: .lowAttendance, pair: p.ref, person: p.mentee, name: name(p.mentee),
                                                message: "with \(name(p.mentor)): attendance \(held) of \(counted.count) sessions (\(Int((share * 100).rounded()))%), below \(Int((settings.attendanceBelow * 100).rounded()))%",
                                                value: share))
                    }
                }
                if let asOf = settings.asOf, setup.isTimetabled {
                    let recorded = Set(rs.map(\.0))
                    let missing = p.dates.filter { $0 <= asOf && !recorded.contains($0) }
                    if !missing.isEmpty {
                        items.append(ReviewItem(kind: .notRecorded, pair: p.ref, person: p.mentee, name: name(p.mentee),
                                                message: "with \(name(p.mentor)): \(missing.count) planned session\(missing.count == 1 ? "" : "s") up to \(asOf) not recorded (\(missing.prefix(5).map(\.description).joined(separator: ", "))\(missing.count > 5 ? ", ..." : ""))",
                                                value: Double(missing.count)))
                    }
                }
            }
            // Mentors' time a week, from held sessions, against what they agreed.
            var agreed: [PersonID: Int] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT person_id, minutes_per_week FROM mentor_hours WHERE term_id = ? AND superseded_at IS NULL", arguments: [term]) {
                agreed[r["person_id"]] = r["minutes_per_week"]
            }
            var perWeek: [PersonID: [CalendarDate: Int]] = [:]
            for p in pairs where p.state != .proposed {
                for (d, o, m) in records[p.id] ?? [] where o == .held {
                    perWeek[p.mentor, default: [:]][d.weekStart, default: 0] += m ?? settings.defaultSessionMinutes
                }
            }
            for (mentor, weeks) in perWeek.sorted(by: { $0.key < $1.key }) {
                guard let limit = agreed[mentor] ?? settings.defaultAgreedMinutesPerWeek else { continue }
                let over = weeks.filter { $0.value > limit }.sorted { $0.key < $1.key }
                guard let worst = over.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) else { continue }
                items.append(ReviewItem(kind: .mentorOverHours, pair: nil, person: mentor, name: name(mentor),
                                        message: "over the agreed \(Self.hours(limit)) a week in \(over.count) week\(over.count == 1 ? "" : "s") (most: \(Self.hours(worst.value)) in the week of \(worst.key))",
                                        value: Double(worst.value)))
            }
            let order = ReviewItem.Kind.allCases
            return items.sorted {
                (order.firstIndex(of: $0.kind)!, $0.person, $0.pair?.mentor ?? "") < (order.firstIndex(of: $1.kind)!, $1.person, $1.pair?.mentor ?? "")
            }
        }
    }

    /// "1 h 30 min", "45 min".
    static func hours(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        if h == 0 { return "\(m) min" }
        return m == 0 ? "\(h) h" : "\(h) h \(m) min"
    }
}
