import Foundation
import GRDB
import PeerMatch

/// One session's record, as entered: which pair, which day, what happened, for how long.
public struct SessionRecordInput: Sendable, Hashable {
    public var pair: PairRef
    public var date: CalendarDate
    public var outcome: SessionOutcome
    /// Minutes the session lasted; nil for a held session means the slot's length (timetabled
    /// terms) or ``ReviewSettings/defaultSessionMinutes``.
    public var minutes: Int?
    public var note: String?
    public init(pair: PairRef, date: CalendarDate, outcome: SessionOutcome, minutes: Int? = nil, note: String? = nil) {
        self.pair = pair; self.date = date; self.outcome = outcome; self.minutes = minutes; self.note = note
    }
}

/// A stored session record (the latest for its pair and date).
public struct SessionRecord: Sendable, Hashable {
    public var id: Int64
    public var pair: PairRef
    public var date: CalendarDate
    public var outcome: SessionOutcome
    public var minutes: Int?
    public var note: String?
    /// "entered", a register file's name, ...
    public var source: String
    public var at: String
    public var by: String
}

/// What a record call did: new records, corrections (an earlier record of the same session
/// superseded) and repeats of what was already recorded (nothing written for those).
public struct RecordSummary: Sendable, Hashable {
    public var added: Int
    public var corrected: Int
    public var unchanged: Int
    /// Pairs whose first held session made them active.
    public var activated: [PairRef]
}

/// One row of a week's register: a planned session (timetabled terms) or a live pair (terms
/// without a timetable), with what is recorded for it.
public struct RegisterRow: Sendable, Hashable {
    public var pair: PairRef
    public var mentorName: String
    public var menteeName: String
    /// The session's date (timetabled), else nil: the pair meets some day that week.
    public var date: CalendarDate?
    public var session: Session?
    /// Whether the timetable plans a session that day.
    public var planned: Bool
    public var record: SessionRecord?
}

extension SchemeStore {
    /// Records sessions, all in one transaction: every record is checked first (the pair exists
    /// and has been approved, the date is in the term and not after the pair ended, minutes are
    /// sensible), and any problem writes nothing. A record for a session that already has one is a
    /// correction: the earlier record is kept, marked as superseded. An approved pair's first held
    /// session makes it active.
    @discardableResult
    public func record(_ records: [SessionRecordInput], by actor: Actor, source: String = "entered") throws -> RecordSummary {
        guard !records.isEmpty else { throw StoreError.invalid("no session records given") }
        return try write(by: actor) { w in
            let summary = try storeRecords(records.map { ($0, nil) }, w: &w, by: actor, source: source)
            let terms = Set(records.map(\.pair.term))
            w.audit("record", term: terms.count == 1 ? terms.first : nil, subject: source,
                    detail: "\(summary.added) added, \(summary.corrected) corrected, \(summary.unchanged) unchanged")
            return summary
        }
    }

    /// Checks and stores records inside a write; `where` names each record's origin (a register's
    /// line) in messages.
    func storeRecords(_ records: [(SessionRecordInput, String?)], w: inout Writer, by actor: Actor, source: String) throws -> RecordSummary {
        let db = w.db
        var problems: [String] = []
        var pairs: [PairRef: PairRow] = [:]
        var terms: [TermID: (CalendarDate, CalendarDate, TermSetupInput)] = [:]
        for (r, origin) in records {
            let at = origin.map { "\($0): " } ?? ""
            do {
                if terms[r.pair.term] == nil {
                    let t = try requireTerm(r.pair.term, db)
                    terms[r.pair.term] = (t["start_date"], t["end_date"], try TermSetupInput.stored(t["setup"], term: r.pair.term))
                }
                let p = try pairs[r.pair] ?? resolvePair(db, r.pair)
                pairs[r.pair] = p
                let (start, end, _) = terms[r.pair.term]!
                switch p.state {
                case .proposed: problems.append("\(at)pair \(r.pair) in term \(r.pair.term) is only proposed; approve it before recording sessions")
                case .declined: problems.append("\(at)pair \(r.pair) in term \(r.pair.term) was declined")
                default: break
                }
                if r.date < start || r.date > end {
                    problems.append("\(at)pair \(r.pair): \(r.date) is outside term \(r.pair.term) (\(start) to \(end))")
                }
                if let e = p.endDate, r.date > e {
                    problems.append("\(at)pair \(r.pair): \(r.date) is after the pair ended (\(e))")
                }
                if let m = r.minutes, !(0...600).contains(m) {
                    problems.append("\(at)pair \(r.pair): minutes must be from 0 to 600, found \(m)")
                }
            } catch let e as StoreError {
                problems += e.messages.map { at + $0 }
            }
        }
        if !problems.isEmpty { throw StoreError(.invalid, problems + ["nothing was recorded"]) }

        var summary = RecordSummary(added: 0, corrected: 0, unchanged: 0, activated: [])
        for (r, _) in records {
            let p = pairs[r.pair]!
            let setup = terms[r.pair.term]!.2
            var minutes = r.minutes
            if minutes == nil, r.outcome == .held, let slot = Self.slot(of: p, on: r.date, setup: setup) {
                minutes = slot.end.minutes - slot.start.minutes
            }
            let old = try Row.fetchOne(db, sql: "SELECT id, outcome, minutes, note FROM session_record WHERE pair_id = ? AND date = ? AND superseded_by IS NULL",
                                       arguments: [p.id, r.date])
            if let old, (old["outcome"] as String) == r.outcome.rawValue, (old["minutes"] as Int?) == minutes, (old["note"] as String?) == r.note {
                summary.unchanged += 1
                continue
            }
            try db.execute(sql: """
                INSERT INTO session_record (term_id, pair_id, date, outcome, minutes, note, source, at, by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [r.pair.term, p.id, r.date, r.outcome.rawValue, minutes, r.note, source, w.at, actor.name])
            let id = db.lastInsertedRowID
            if let old {
                try db.execute(sql: "UPDATE session_record SET superseded_by = ? WHERE id = ?", arguments: [id, old["id"] as Int64])
                summary.corrected += 1
            } else {
                summary.added += 1
            }
            if r.outcome == .held, p.state == .approved, !summary.activated.contains(r.pair) {
                try db.execute(sql: "UPDATE pair SET state = 'active', state_at = ?, state_by = ? WHERE id = ?", arguments: [w.at, actor.name, p.id])
                try recordEvent(db, pair: p.id, at: w.at, by: actor, event: "activate", from: .approved, to: .active, note: "first session held on \(r.date)")
                summary.activated.append(r.pair)
            }
        }
        return summary
    }

    /// The slot a pair meets at on a date (the session whose weekday it is), if any.
    static func slot(of p: PairRow, on date: CalendarDate, setup: TermSetupInput) -> Slot? {
        for s in p.sessions {
            if let slot = setup.slots.first(where: { $0.id == s.slot }), slot.day == date.weekday { return slot }
        }
        return nil
    }

    /// A term's records (the latest for each session), by date then pair; one pair's with `pair`.
    public func records(term: TermID, pair: PairRef? = nil) throws -> [SessionRecord] {
        try read { db in
            _ = try requireTerm(term, db)
            var sql = """
                SELECT r.*, p.mentor_id, p.mentee_id FROM session_record r JOIN pair p ON p.id = r.pair_id
                WHERE r.term_id = ? AND r.superseded_by IS NULL
                """
            var args: [any DatabaseValueConvertible] = [term]
            if let pair { sql += " AND p.mentor_id = ? AND p.mentee_id = ?"; args += [pair.mentor, pair.mentee] }
            return try Row.fetchAll(db, sql: sql + " ORDER BY r.date, p.mentor_id, p.mentee_id", arguments: StatementArguments(args)).map {
                Self.sessionRecord($0, term: term)
            }
        }
    }

    static func sessionRecord(_ r: Row, term: TermID) -> SessionRecord {
        SessionRecord(id: r["id"], pair: PairRef(term: term, mentor: r["mentor_id"], mentee: r["mentee_id"]), date: r["date"],
                      outcome: SessionOutcome(rawValue: r["outcome"]) ?? .held, minutes: r["minutes"], note: r["note"],
                      source: r["source"], at: r["at"], by: r["by"])
    }

    /// The register of one week (any date in it): each session the timetable plans that week, or
    /// each approved or active pair in a term without a timetable, with what is recorded; records
    /// of that week for sessions not planned are listed too.
    public func register(term: TermID, week: CalendarDate) throws -> [RegisterRow] {
        try read { db in
            let t = try requireTerm(term, db)
            let setup = try TermSetupInput.stored(t["setup"], term: term)
            let monday = week.weekStart, sunday = monday.adding(days: 6)
            let names = try personNames(db, term: term)
            let pairs = try Row.fetchAll(db, sql: "SELECT * FROM pair WHERE term_id = ? AND state IN ('approved', 'active', 'ended') ORDER BY mentor_id, mentee_id",
                                         arguments: [term]).map(PairRow.init)
            var recorded: [Int64: [CalendarDate: SessionRecord]] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT r.*, p.mentor_id, p.mentee_id FROM session_record r JOIN pair p ON p.id = r.pair_id
                WHERE r.term_id = ? AND r.superseded_by IS NULL AND r.date BETWEEN ? AND ?
                """, arguments: [term, monday, sunday]) {
                recorded[r["pair_id"], default: [:]][r["date"]] = Self.sessionRecord(r, term: term)
            }
            var rows: [RegisterRow] = []
            for p in pairs {
                var theirs = recorded[p.id] ?? [:]
                let mentorName = names[p.mentor] ?? p.mentor.rawValue, menteeName = names[p.mentee] ?? p.mentee.rawValue
                if setup.isTimetabled {
                    for d in p.dates where d >= monday && d <= sunday {
                        let session = p.sessions.first { s in setup.slots.first { $0.id == s.slot }?.day == d.weekday }
                        rows.append(RegisterRow(pair: p.ref, mentorName: mentorName, menteeName: menteeName, date: d, session: session,
                                                planned: true, record: theirs.removeValue(forKey: d)))
                    }
                } else if p.state != .ended || (p.endDate.map { $0 >= monday } ?? false) {
                    if theirs.isEmpty {
                        rows.append(RegisterRow(pair: p.ref, mentorName: mentorName, menteeName: menteeName, date: nil, session: nil, planned: false, record: nil))
                    }
                }
                for (d, r) in theirs.sorted(by: { $0.key < $1.key }) {
                    rows.append(RegisterRow(pair: p.ref, mentorName: mentorName, menteeName: menteeName, date: d, session: nil, planned: false, record: r))
                }
            }
            return rows.sorted { ($0.date?.dayNumber ?? 0, $0.pair.mentor, $0.pair.mentee) < ($1.date?.dayNumber ?? 0, $1.pair.mentor, $1.pair.mentee) }
        }
    }
}
