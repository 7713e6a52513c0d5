import Foundation
import GRDB
import PeerMatch

/// A slot and room a session could move to.
public struct SessionOption: Sendable, Hashable {
    public var session: Session
    /// "Thursday 12:30–13:00 (Lunch) in Library".
    public var label: String
    /// Whether it is the session's current place.
    public var current: Bool
}

/// One person's sessions for a slip to hand out: who, when, where. No needs, reasons or scores.
public struct Slip: Sendable, Hashable {
    public struct Meeting: Sendable, Hashable {
        /// The other person (or, for a mentor in the group format, every mentee).
        public var with: [String]
        public var day: Weekday
        public var start: ClockTime
        public var end: ClockTime
        public var slotLabel: String?
        public var room: String
        public var dates: [CalendarDate]
    }
    public var person: PersonID
    public var name: String
    public var role: Role
    public var meetings: [Meeting]
}

extension SchemeStore {
    /// The term's timetable as the core's view of it (feeds `TimetableCSV`, `ICalendarWriter` and
    /// `HTMLReport`): the sessions of its live pairs, or of the pairs in `states`, with the dates
    /// each drops (a skipped week, or someone away).
    public func timetable(term: TermID, states: [PairState] = PairState.live, timeZone: String = "Europe/London") throws -> TimetableView {
        try read { db in
            let t = try requireTerm(term, db)
            let setup = try TermSetupInput.stored(t["setup"], term: term)
            guard setup.isTimetabled else {
                throw StoreError.invalid("term \(term) has no slots, so there is no timetable; give the term a setup with slots and rooms")
            }
            let names = try personNames(db, term: term)
            let placeholders = states.map { _ in "?" }.joined(separator: ", ")
            let pairs = try Row.fetchAll(db, sql: "SELECT * FROM pair WHERE term_id = ? AND state IN (\(placeholders)) ORDER BY mentor_id, mentee_id",
                                         arguments: StatementArguments([term.rawValue] + states.map(\.rawValue))).map(PairRow.init)
            func person(_ id: PersonID) -> TimetableView.Person { TimetableView.Person(id: id, name: names[id] ?? id.rawValue) }
            let skipped = Set(setup.skipWeeks.map(\.weekStart))
            struct Key: Hashable { var mentor: PersonID; var slot: String; var room: String; var mentee: PersonID? }
            var order: [Key] = []
            var mentees: [Key: [TimetableView.Person]] = [:]
            var dates: [Key: Set<CalendarDate>] = [:]
            var away: [Key: [CalendarDate: String]] = [:]
            for p in pairs {
                for s in p.sessions {
                    guard let slot = setup.slots.first(where: { $0.id == s.slot }) else { continue }
                    let key = Key(mentor: p.mentor, slot: s.slot, room: s.room, mentee: setup.format == .group ? nil : p.mentee)
                    if mentees[key] == nil { order.append(key) }
                    mentees[key, default: []].append(person(p.mentee))
                    let on = p.dates.filter { $0.weekday == slot.day }
                    dates[key, default: []].formUnion(on)
                    // Every term date at the slot's weekday that is not a session date, up to the pair's end.
                    var d = setup.start
                    while d.weekday != slot.day { d = d.adding(days: 1) }
                    let last = min(setup.end, p.endDate ?? setup.end)
                    while d <= last {
                        if !on.contains(d) {
                            away[key, default: [:]][d] = away[key]?[d] ?? (skipped.contains(d.weekStart) ? "no sessions this week" : "someone is away")
                        }
                        d = d.adding(days: 7)
                    }
                }
            }
            let sessions = order.map { key -> TimetableView.Session in
                let on = dates[key] ?? []
                let off = (away[key] ?? [:]).filter { !on.contains($0.key) }.sorted { $0.key < $1.key }
                    .map { TimetableView.Skipped(date: $0.key, reason: $0.value) }
                return TimetableView.Session(slot: key.slot, room: key.room, mentor: person(key.mentor),
                                             mentees: (mentees[key] ?? []).sorted { $0.id < $1.id }, dates: on.sorted(), skipped: off)
            }
            let viewPairs = pairs.map { TimetableView.Pair(mentor: person($0.mentor), mentee: person($0.mentee),
                                                           score: $0.scoreHundredths.map(Score.points) ?? 0, reasons: $0.reasons) }
            // The unmatched with the reasons the pairs page gives; a mentee whose pair is live but
            // not shown (a proposal, on a print of approved pairs) says so.
            let shown = Set(pairs.map(\.mentee))
            // (Every live pair is shown already unless `states` leaves some out: then no second read.)
            let live = Set(states).isSuperset(of: PairState.live) ? [] : try PairRow.live(db, term: term).filter { !shown.contains($0.mentee) }
            let unmatched = try unmatchedMentees(db, term: term, taken: shown.subtracting(live.map(\.mentee))).map { u in
                var reasons = u.reasons
                if let p = live.first(where: { $0.mentee == u.id }) {
                    reasons = ["paired with \(names[p.mentor] ?? p.mentor.rawValue), \(p.state.rawValue), not yet approved"]
                }
                return TimetableView.Unmatched(person: person(u.id), role: .mentee, reasons: reasons)
            }
            return TimetableView(title: t["name"], termStart: setup.start, termEnd: setup.end, timeZone: timeZone,
                                 slots: setup.slots.map { .init(id: $0.id, day: $0.day, start: $0.start, end: $0.end, label: $0.label ?? "") },
                                 rooms: setup.rooms.map { .init(id: $0.id, name: $0.name, capacity: $0.capacity, features: $0.features) },
                                 sessions: sessions, pairs: viewPairs, unmatched: unmatched)
        }
    }

    /// Where a live pair's session could move: every slot and room at which the whole term's
    /// timetable, with this one session moved, still keeps every hard rule (the core's check:
    /// both free, the room free, big enough and with the features the mentee needs, nobody in two
    /// places). The current place is included, marked.
    ///
    /// The rest of the term's timetable is checked once; each place is then checked against the
    /// meetings a move there can touch (the core's ``TimetableChecker/meetings(_:touching:)``:
    /// the same mentor or mentee, the same room at the same or an overlapping slot), which the
    /// core holds to the same answer as checking the whole timetable for each place.
    public func moveOptions(_ pair: PairRef, from: Session? = nil) throws -> [SessionOption] {
        try read { db in
            let (p, setup, checker, meetings) = try moveContext(db, pair)
            let current = try from ?? onlySession(p)
            var out: [SessionOption] = []
            let isThePair = { (m: TimetableChecker.Meeting) in m.mentor == p.mentor && m.mentee == p.mentee }
            let others = meetings.filter { !isThePair($0) }, mine = meetings.filter(isThePair)
            // A rule the rest of the timetable breaks stays broken wherever this session goes.
            guard checker.violations(others).isEmpty else { return [] }
            // A slot either of them cannot make never passes the check; skipping it first only
            // saves a check for each of its rooms (the check decides).
            let ctx = try builtTerm(db, term: pair.term).context
            let free = { (slot: String) -> Bool in
                guard let i = ctx.mentorIndex[p.mentor], let j = ctx.menteeIndex[p.mentee] else { return true }
                return (ctx.mentor(i).availability?.contains(slot) ?? true) && (ctx.mentee(j).availability?.contains(slot) ?? true)
            }
            for slot in setup.slots where slot.id == current.slot || free(slot.id) {
                for room in setup.rooms {
                    let to = Session(slot: slot.id, room: room.id)
                    if to != current && p.sessions.contains(to) { continue }
                    let moved = mine.map { m in
                        TimetableChecker.Meeting(mentor: m.mentor, mentee: m.mentee, sessions: m.sessions.map { $0 == current ? to : $0 })
                    }
                    if checker.violations(checker.meetings(others, touching: moved) + moved).isEmpty {
                        out.append(SessionOption(session: to, label: SchemeText.session(to, setup: setup), current: to == current))
                    }
                }
            }
            return out
        }
    }

    /// Moves one weekly session of a live pair to another slot and room, from the next session on
    /// (dates already past keep their place). Refused unless the whole timetable still keeps every
    /// hard rule; in the group format the mentor's whole group moves together.
    public func moveSession(_ pair: PairRef, from: Session, to: Session, from date: CalendarDate? = nil, by actor: Actor) throws {
        try write(by: actor) { w in
            let (p, setup, checker, meetings) = try moveContext(w.db, pair)
            guard p.sessions.contains(from) else {
                throw StoreError.invalid("pair \(pair) does not meet at \(SchemeText.session(from, setup: setup)); it meets at \(p.sessions.map { SchemeText.session($0, setup: setup) }.joined(separator: " and "))")
            }
            let group = setup.format == .group
            let moving = meetings.filter { $0.mentor == p.mentor && (group || $0.mentee == p.mentee) && $0.sessions.contains(from) }
            let moved = meetings.map { m -> TimetableChecker.Meeting in
                guard moving.contains(m) else { return m }
                return TimetableChecker.Meeting(mentor: m.mentor, mentee: m.mentee, sessions: m.sessions.map { $0 == from ? to : $0 })
            }
            let problems = checker.violations(moved)
            if !problems.isEmpty {
                throw StoreError.invalid("pair \(pair) cannot move to \(SchemeText.session(to, setup: setup)): " + Self.explainTimetableProblems(problems, setup: setup))
            }
            let effective = date ?? Instant.date(w.now)
            let live = try PairRow.live(w.db, term: pair.term)
            let people = try Self.peopleByID(w.db, term: pair.term)
            for m in moving {
                guard let row = live.first(where: { $0.mentor == m.mentor && $0.mentee == m.mentee }) else { continue }
                let newSessions = row.sessions.map { $0 == from ? to : $0 }
                let dates = Self.sessionDates(newSessions, setup: setup, mentor: people[row.mentor], mentee: people[row.mentee], until: row.endDate)
                let kept = row.dates.filter { $0 < effective }, after = dates.filter { $0 >= effective }
                let reasons = Self.movedReasons(row.reasons, from: from, to: to, on: effective, setup: setup)
                try w.db.execute(sql: "UPDATE pair SET sessions = ?, dates = ?, reasons = ? WHERE id = ?",
                                 arguments: [CompactJSON.sessions(newSessions), CompactJSON.dates(kept + after), CompactJSON.strings(reasons), row.id])
                try recordEvent(w.db, pair: row.id, at: w.at, by: actor, event: "move", from: row.state, to: row.state,
                                note: "from \(SchemeText.session(from, setup: setup)) to \(SchemeText.session(to, setup: setup)) from \(effective)")
            }
            w.audit("session.move", term: pair.term, subject: pair.description,
                    detail: "\(SchemeText.session(from, setup: setup)) → \(SchemeText.session(to, setup: setup)) from \(effective)")
        }
    }

    /// Slips to hand out: each person's weekly meetings (who, when, where, dates), for the term's
    /// approved and active pairs (and proposed ones with `includeProposed`). No needs, reasons or scores.
    public func slips(term: TermID, includeProposed: Bool = false) throws -> [Slip] {
        let view = try timetable(term: term, states: includeProposed ? PairState.live : [.approved, .active])
        let roles = try read { db in
            Dictionary(try Row.fetchAll(db, sql: "SELECT person_id, role FROM person_version WHERE term_id = ? AND superseded_at IS NULL", arguments: [term]).map {
                (($0["person_id"] as PersonID), Role(rawValue: $0["role"]) ?? .mentee)
            }, uniquingKeysWith: { a, _ in a })
        }
        var byPerson: [PersonID: (String, [Slip.Meeting])] = [:]
        for s in view.sessions {
            guard let slot = view.slots.first(where: { $0.id == s.slot }) else { continue }
            let room = view.rooms.first { $0.id == s.room }?.name ?? s.room
            func meeting(_ with: [String]) -> Slip.Meeting {
                Slip.Meeting(with: with, day: slot.day, start: slot.start, end: slot.end, slotLabel: slot.label.isEmpty ? nil : slot.label,
                             room: room, dates: s.dates)
            }
            byPerson[s.mentor.id, default: (s.mentor.name, [])].1.append(meeting(s.mentees.map(\.name)))
            for e in s.mentees { byPerson[e.id, default: (e.name, [])].1.append(meeting([s.mentor.name])) }
        }
        return byPerson.sorted { $0.key < $1.key }.map { id, v in
            Slip(person: id, name: v.0, role: roles[id] ?? .mentee,
                 meetings: v.1.sorted { ($0.day, $0.start.minutes, $0.room) < ($1.day, $1.start.minutes, $1.room) })
        }
    }

    /// A moved pair's reasons: the solver's "meets SLOT in ROOM ..." for the old place (with what it
    /// said about that place: a preferred slot, the room's features, their only common slot) gives
    /// way to the new place and where it moved from, so no page or print names the old room.
    static func movedReasons(_ reasons: [String], from: Session, to: Session, on date: CalendarDate, setup: TermSetupInput) -> [String] {
        let old = "meets " + SchemeText.session(from, setup: setup)
        let moved = "meets " + SchemeText.session(to, setup: setup) + " (moved from " + SchemeText.session(from, setup: setup) + " from \(date))"
        var out: [String] = []
        var replaced = false
        for r in reasons {
            // "meets NAME's wish for ..." (a score reason) never starts with a session's words.
            if !replaced && (r == old || r.hasPrefix(old + ",") || r.hasPrefix(old + " (") || r.hasPrefix(old + ";")) {
                out.append(moved); replaced = true
            } else if r.hasPrefix("meets ") && r.contains(" (moved from " + SchemeText.session(from, setup: setup)) {
                out.append(moved); replaced = true   // an earlier move's line, replaced by this one
            } else {
                out.append(r)
            }
        }
        if !replaced { out.append(moved) }
        return out
    }

    // MARK: - Shared

    /// A live pair of a timetabled term, the core's checker over the term's cohort, and every live
    /// pair's meetings.
    func moveContext(_ db: Database, _ pair: PairRef) throws -> (PairRow, TermSetupInput, TimetableChecker, [TimetableChecker.Meeting]) {
        let p = try resolvePair(db, pair)
        guard PairState.live.contains(p.state) else { throw StoreError.invalid("pair \(pair) is \(p.state.rawValue); only a live pair's sessions can move") }
        let entry = try builtTerm(db, term: pair.term)
        let built = entry.built
        guard built.setup.isTimetabled else { throw StoreError.invalid("term \(pair.term) has no timetable") }
        if p.locked { throw StoreError.invalid("pair \(pair) is locked; unlock it before moving its session") }
        let checker: TimetableChecker
        do { checker = try entry.checker() } catch let e as MatchInputError {
            throw Self.matchError(e, built)
        }
        // The cohort's people as a set, once: `Cohort.person` looks through everyone (a 2,000-pair
        // term's pairs × its 2,800 people at each move form's first view).
        let people = Set(built.cohort.mentors.map(\.id) + built.cohort.mentees.map(\.id))
        let meetings = built.livePairs.filter { people.contains($0.mentor) && people.contains($0.mentee) }
            .map { TimetableChecker.Meeting(mentor: $0.mentor, mentee: $0.mentee, sessions: $0.sessions) }
        return (p, built.setup, checker, meetings)
    }

    func onlySession(_ p: PairRow) throws -> Session {
        guard let s = p.sessions.first else { throw StoreError.invalid("pair \(p.ref) has no session to move") }
        guard p.sessions.count == 1 else {
            throw StoreError.invalid("pair \(p.ref) meets \(p.sessions.count) times a week; say which session moves")
        }
        return s
    }

    /// The term's people as the core reads them (for their unavailable dates).
    static func peopleByID(_ db: Database, term: TermID) throws -> [PersonID: Person] {
        let rows = try Row.fetchAll(db, sql: "SELECT data, role FROM person_version WHERE term_id = ? AND superseded_at IS NULL", arguments: [term])
        var out: [PersonID: Person] = [:]
        for r in rows {
            guard case .object(let f) = try CompactJSON.parse(r["data"], what: "person") else { continue }
            var p = Person(id: PersonID(""), role: Role(rawValue: r["role"]) ?? .mentee)
            for (k, v) in f {
                if k == "id", case .string(let s) = v { p.id = PersonID(s) }
                if k == "unavailableDates", case .array(let list) = v {
                    p.unavailableDates = list.compactMap { if case .string(let s) = $0 { return CalendarDate(s) }; return nil }
                }
            }
            out[p.id] = p
        }
        return out
    }

    /// The dates sessions at these slots fall on: each slot's weekday from start to end (or the
    /// pair's end), less skipped weeks and either person's unavailable dates.
    static func sessionDates(_ sessions: [Session], setup: TermSetupInput, mentor: Person?, mentee: Person?, until: CalendarDate?) -> [CalendarDate] {
        let skipped = Set(setup.skipWeeks.map(\.weekStart))
        let away = Set((mentor?.unavailableDates ?? []) + (mentee?.unavailableDates ?? []))
        var out: [CalendarDate] = []
        for s in sessions {
            guard let slot = setup.slots.first(where: { $0.id == s.slot }) else { continue }
            var d = setup.start
            while d.weekday != slot.day { d = d.adding(days: 1) }
            while d <= min(setup.end, until ?? setup.end) {
                if !skipped.contains(d.weekStart) && !away.contains(d) { out.append(d) }
                d = d.adding(days: 7)
            }
        }
        return out.sorted()
    }

    /// The core's timetable problems, which name slots and rooms by position, in the term's words.
    static func explainTimetableProblems(_ problems: [String], setup: TermSetupInput) -> String {
        func slotName(_ k: Int) -> String { k < setup.slots.count ? SchemeText.slotText(setup.slots[k]) : "slot \(k)" }
        func roomName(_ k: Int) -> String { k < setup.rooms.count ? setup.rooms[k].name : "room \(k)" }
        var out: [String] = []
        for p in problems {
            let words = p.split(separator: " ").map(String.init)
            func num(after w: String) -> Int? { words.firstIndex(of: w).flatMap { $0 + 1 < words.count ? Int(words[$0 + 1].trimmingCharacters(in: .punctuationCharacters)) : nil } }
            if p.contains("not free at slot"), let s = num(after: "slot") {
                if p.hasPrefix("mentor") { out.append("the mentor is not free at \(slotName(s))") }
                else if p.hasPrefix("mentee") { out.append("the mentee is not free at \(slotName(s))") }
                else if let r = num(after: "room") { out.append("\(roomName(r)) is not free at \(slotName(s))") }
            } else if p.contains("lacks a feature"), let r = num(after: "room") {
                out.append("\(roomName(r)) lacks a feature the mentee needs")
            } else if p.contains("two sessions at once") {
                out.append(p.hasPrefix("mentor") ? "the mentor would be in two places at once" : "the mentee would be in two places at once")
            } else if p.contains("capacity"), let r = num(after: "room") {
                out.append("\(roomName(r)) would be over its capacity")
            } else {
                out.append(p)
            }
        }
        return Array(NSOrderedSet(array: out)).compactMap { $0 as? String }.joined(separator: "; ")
    }
}
