import Foundation
import GRDB
import PeerMatch

/// The pair life cycle: approve, decline, lock, unlock, end. Each call is one transaction over all
/// the pairs it names: if one of them cannot change (no such pair, a state the step does not apply
/// to), none does, and the error names every such pair.
extension SchemeStore {
    /// proposed → approved. Approving an approved or active pair changes nothing (so a page's
    /// double click is harmless); a declined, ended or superseded one is an error.
    public func approve(_ pairs: [PairRef], by actor: Actor, note: String? = nil) throws {
        try change(pairs, action: "approve", by: actor, note: note) { p in
            switch p.state {
            case .proposed: return .to(.approved)
            case .approved, .active: return .nothing
            default: return .refuse("is \(p.state.rawValue); only a proposed pair can be approved")
            }
        }
    }

    /// proposed or approved → declined: the two are never proposed again anywhere in the scheme
    /// (an exclusion with the note as its reason). A pair that has met is ended instead.
    public func decline(_ pairs: [PairRef], by actor: Actor, note: String? = nil) throws {
        try change(pairs, action: "decline", by: actor, note: note) { p in
            switch p.state {
            case .proposed, .approved: return .to(.declined)
            case .active: return .refuse("is active (sessions have been held); end it with a reason instead (`peermatch scheme end`)")
            default: return .refuse("is \(p.state.rawValue); only a proposed or approved pair can be declined")
            }
        } after: { db, w, p in
            try db.execute(sql: "UPDATE pair SET note = ? WHERE id = ?", arguments: [note, p.id])
            try db.execute(sql: "INSERT INTO exclusion (a, b, reason, source, term_id, pair_id, created_at, created_by) VALUES (?, ?, ?, 'declined', ?, ?, ?, ?)",
                           arguments: [p.mentor, p.mentee, "declined in \(p.term)" + (note.map { ": \($0)" } ?? ""), p.term, p.id, w.at, w.actor.name])
        }
    }

    /// Keeps a live pair, and in a timetabled term its session, through every later match run and
    /// re-match (even one allowed to make changes).
    public func lock(_ pairs: [PairRef], by actor: Actor, note: String? = nil) throws {
        try change(pairs, action: "lock", by: actor, note: note) { p in
            guard PairState.live.contains(p.state) else { return .refuse("is \(p.state.rawValue); only a proposed, approved or active pair can be locked") }
            return p.locked ? .nothing : .lock(true)
        }
    }

    public func unlock(_ pairs: [PairRef], by actor: Actor, note: String? = nil) throws {
        try change(pairs, action: "unlock", by: actor, note: note) { p in
            guard PairState.live.contains(p.state) else { return .refuse("is \(p.state.rawValue); only a live pair can be unlocked") }
            return p.locked ? .lock(false) : .nothing
        }
    }

    /// approved or active → ended, on `date`, with a reason; `noRepeat` also makes an exclusion, so
    /// no later term proposes the two again. Sessions after the date drop out of the plan; records
    /// already made stay.
    public func end(_ pair: PairRef, reason: EndReason, note: String? = nil, noRepeat: Bool = false, date: CalendarDate, by actor: Actor) throws {
        try change([pair], action: "end", by: actor, note: note, detail: "\(reason.label) on \(date)" + (noRepeat ? ", do not pair again" : "")) { p in
            switch p.state {
            case .approved, .active: return .to(.ended)
            case .proposed: return .refuse("is only proposed; decline it instead (`peermatch scheme decline`)")
            default: return .refuse("is \(p.state.rawValue); only an approved or active pair can be ended")
            }
        } after: { db, w, p in
            try self.endPair(db, w: w, p, reason: reason, note: note, noRepeat: noRepeat, date: date)
        }
    }

    /// The ending itself (shared with withdrawals): reason, date, sessions after it dropped, and the
    /// exclusion for "do not pair again".
    func endPair(_ db: Database, w: Writer, _ p: PairRow, reason: EndReason, note: String?, noRepeat: Bool, date: CalendarDate) throws {
        let (start, end): (CalendarDate, CalendarDate) = try {
            let r = try Row.fetchOne(db, sql: "SELECT start_date, end_date FROM term WHERE id = ?", arguments: [p.term])!
            return (r["start_date"], r["end_date"])
        }()
        guard date >= start.adding(days: -7), date <= end.adding(days: 7) else {
            throw StoreError.invalid("pair \(p.ref) in term \(p.term): the end date \(date) is outside the term (\(start) to \(end))")
        }
        let dates = p.dates.filter { $0 <= date }
        try db.execute(sql: "UPDATE pair SET end_date = ?, end_reason = ?, note = ?, no_repeat = ?, dates = ? WHERE id = ?",
                       arguments: [date, reason.rawValue, note, noRepeat, CompactJSON.dates(dates), p.id])
        if noRepeat {
            try db.execute(sql: "INSERT INTO exclusion (a, b, reason, source, term_id, pair_id, created_at, created_by) VALUES (?, ?, ?, 'ended', ?, ?, ?, ?)",
                           arguments: [p.mentor, p.mentee, "ended in \(p.term) (\(reason.label)), do not pair again" + (note.map { ": \($0)" } ?? ""),
                                       p.term, p.id, w.at, w.actor.name])
        }
    }

    enum Step {
        case to(PairState)
        case lock(Bool)
        case nothing
        case refuse(String)
    }

    /// Applies one step to every named pair in one transaction, with one audit row.
    private func change(_ refs: [PairRef], action: String, by actor: Actor, note: String?, detail: String? = nil,
                        step: (PairRow) -> Step, after: ((Database, Writer, PairRow) throws -> Void)? = nil) throws {
        guard !refs.isEmpty else { throw StoreError.invalid("\(action): name at least one pair (MENTOR:MENTEE)") }
        try write(by: actor) { w in
            var problems: [String] = []
            var plan: [(PairRow, Step)] = []
            var seen: Set<PairRef> = []
            for ref in refs where seen.insert(ref).inserted {
                do {
                    let p = try resolvePair(w.db, ref)
                    let s = step(p)
                    if case .refuse(let why) = s { problems.append("pair \(ref) in term \(ref.term) \(why)") } else { plan.append((p, s)) }
                } catch let e as StoreError { problems += e.messages }
            }
            if !problems.isEmpty { throw StoreError(.invalid, problems + ["nothing was changed"]) }
            var changed: [String] = []
            for (p, s) in plan {
                switch s {
                case .to(let state):
                    try w.db.execute(sql: "UPDATE pair SET state = ?, state_at = ?, state_by = ? WHERE id = ?",
                                     arguments: [state.rawValue, w.at, actor.name, p.id])
                    try recordEvent(w.db, pair: p.id, at: w.at, by: actor, event: action, from: p.state, to: state, note: note)
                    try after?(w.db, w, p)
                    changed.append(p.ref.description)
                case .lock(let on):
                    try w.db.execute(sql: "UPDATE pair SET locked = ? WHERE id = ?", arguments: [on, p.id])
                    try recordEvent(w.db, pair: p.id, at: w.at, by: actor, event: action, from: p.state, to: p.state, note: note)
                    changed.append(p.ref.description)
                case .nothing, .refuse:
                    break
                }
            }
            let terms = Set(refs.map(\.term))
            w.audit(action, term: terms.count == 1 ? terms.first : nil, subject: changed.isEmpty ? "no change" : changed.joined(separator: ", "),
                    detail: detail ?? "\(changed.count) of \(seen.count) pairs changed", why: note)
        }
    }

    /// The live (not superseded) pair a reference names, or an error saying what there is instead.
    func resolvePair(_ db: Database, _ ref: PairRef) throws -> PairRow {
        _ = try requireTerm(ref.term, db)
        if let r = try Row.fetchOne(db, sql: "SELECT * FROM pair WHERE term_id = ? AND mentor_id = ? AND mentee_id = ? AND state <> 'superseded'",
                                    arguments: [ref.term, ref.mentor, ref.mentee]) {
            return PairRow(r)
        }
        let known = try String.fetchAll(db, sql: "SELECT person_id FROM person_version WHERE term_id = ? AND superseded_at IS NULL AND person_id IN (?, ?)",
                                        arguments: [ref.term, ref.mentor, ref.mentee])
        for id in [ref.mentor, ref.mentee] where !known.contains(id.rawValue) {
            throw StoreError.notFound("pair \(ref): \(id) is not in term \(ref.term)")
        }
        let current = try Row.fetchOne(db, sql: "SELECT mentor_id, state FROM pair WHERE term_id = ? AND mentee_id = ? AND state IN ('proposed', 'approved', 'active')",
                                       arguments: [ref.term, ref.mentee])
        let hint = current.map { " (\(ref.mentee)'s pair is with \($0["mentor_id"] as String), \($0["state"] as String))" } ?? ""
        throw StoreError.notFound("pair \(ref): \(ref.mentor) and \(ref.mentee) are not a pair in term \(ref.term)\(hint)")
    }

    /// Resolves what the command line and the page accept for a pair: `MENTOR:MENTEE`, or a mentee
    /// id alone (their live pair). Ids may contain `:`; the split that names two people of the term
    /// wins.
    public func pairRef(_ text: String, term: TermID) throws -> PairRef {
        try read { db in
            _ = try requireTerm(term, db)
            let people = Set(try String.fetchAll(db, sql: "SELECT person_id FROM person_version WHERE term_id = ? AND superseded_at IS NULL", arguments: [term]))
            var splits: [PairRef] = []
            for (k, c) in text.enumerated() where c == ":" {
                let i = text.index(text.startIndex, offsetBy: k)
                let m = String(text[..<i]), e = String(text[text.index(after: i)...])
                if people.contains(m) && people.contains(e) { splits.append(PairRef(term: term, mentor: PersonID(m), mentee: PersonID(e))) }
            }
            if let only = splits.first, splits.count == 1 { return only }
            if splits.count > 1 { throw StoreError.invalid("\"\(text)\" can be read as more than one pair; name it by the mentee alone") }
            if people.contains(text) {
                let rows = try Row.fetchAll(db, sql: "SELECT mentor_id FROM pair WHERE term_id = ? AND mentee_id = ? AND state IN ('proposed', 'approved', 'active')",
                                            arguments: [term, text])
                if let m = rows.first, rows.count == 1 { return PairRef(term: term, mentor: (m["mentor_id"] as PersonID), mentee: PersonID(text)) }
                throw StoreError.notFound("\(text) has no live pair in term \(term); name the pair as MENTOR:MENTEE")
            }
            throw StoreError.notFound("\"\(text)\": no such pair in term \(term) (write MENTOR:MENTEE, or a mentee's id)")
        }
    }
}
