import Foundation
import GRDB
import PeerMatch

extension SchemeStore {
    /// Matches a term: builds its cohort from the store (see ``TermCohort``: earlier terms' pairs as
    /// rotation history, declined pairs and "do not pair again" endings as exclusions, approved,
    /// active and locked pairs kept with their sessions), solves it with the core `Matcher`, and
    /// stores the proposals with their reasons, the unmatched with theirs, and the shortfalls.
    ///
    /// Earlier proposals nobody approved or locked are replaced (kept as superseded records); one
    /// the new run proposes again keeps its row. The solve happens outside any transaction; if the
    /// store changed meanwhile (another process wrote), the run starts again, up to three times.
    /// An infeasible term is recorded as a run with its diagnosis and changes no pair.
    @discardableResult
    public func match(term: TermID, options: MatchOptions = MatchOptions(), by actor: Actor,
                      progress: (@Sendable (SchemeMatchProgress) -> Void)? = nil) throws -> MatchRunSummary {
        let started = Date()
        var sizes = (mentors: 0, mentees: 0)
        func report(_ stage: SchemeMatchProgress.Stage, _ message: String, solver: MatchProgress? = nil) {
            progress?(SchemeMatchProgress(stage: stage, message: message, mentors: sizes.mentors, mentees: sizes.mentees,
                                          elapsed: Date().timeIntervalSince(started), solver: solver))
        }
        var attempt = 0
        while true {
            attempt += 1
            report(.reading, "reading term \(term)")
            let (built, revision) = try read { db in
                (try TermCohort.build(db, store: self, term: term), try Int.fetchOne(db, sql: "SELECT revision FROM scheme WHERE id = 1") ?? 0)
            }
            sizes = (built.cohort.mentors.count, built.cohort.mentees.count)
            guard !built.cohort.mentees.isEmpty else {
                throw StoreError.invalid("term \(term) has no mentees to match; import its spreadsheets first (`peermatch scheme import --term \(term) mentors.csv mentees.csv`)")
            }
            report(.building, "built the cohort: \(sizes.mentors) mentors, \(sizes.mentees) mentees, \(built.cohort.locked.count) pairs kept, \(built.cohort.exclusions.count) exclusions, \(built.cohort.history.count) earlier pairs")
            report(.solving, "solving \(sizes.mentees) mentees and \(sizes.mentors) mentors")
            let counts = sizes
            var forward: (@Sendable (MatchProgress) -> Void)? = nil
            if let progress {
                forward = { core in
                    progress(SchemeMatchProgress(stage: .solving, message: core.description, mentors: counts.mentors, mentees: counts.mentees,
                                                 elapsed: Date().timeIntervalSince(started), solver: core))
                }
            }
            let rebuild: (Set<PairKey2>) throws -> TermCohort = { lost in
                try self.read { db in try TermCohort.build(db, store: self, term: term, options: TermCohort.Options(lockPairs: lost)) }
            }
            let result = try solve(built, options: options, rebuild: rebuild, progress: forward)
            report(.storing, "storing \(result.pairs.count) pairs")
            do {
                let summary = try write(by: actor) { w in
                    let now: Int = try Int.fetchOne(w.db, sql: "SELECT revision FROM scheme WHERE id = 1") ?? 0
                    guard now == revision else { throw StaleRead() }
                    return try storeRun(result, built, kind: "match", w: &w, by: actor, note: options.note, started: started)
                }
                report(.done, "\(summary.matched) of \(summary.mentees) mentees matched")
                return summary
            } catch is StaleRead where attempt < 3 {
                continue
            } catch is StaleRead {
                throw StoreError(.conflict, "term \(term): the scheme kept changing while it was being matched (another user or process is writing); run the match again")
            }
        }
    }

    /// Solves a built cohort with the core matcher. Approved and active pairs of a timetabled term
    /// keep their sessions: they are the re-matching's previous result with no change allowed
    /// (a session that can no longer be held, a room gone or someone no longer free, is a forced
    /// change). If a forced change would drop an approved pair altogether, it is solved again with
    /// that pair locked, so an approved pair is never lost by a match run.
    func solve(_ built: TermCohort, options: MatchOptions, previous: PreviousResult? = nil, maxChanges: Int? = nil,
               rebuild: ((Set<PairKey2>) throws -> TermCohort)? = nil,
               progress: (@Sendable (MatchProgress) -> Void)? = nil) throws -> MatchResult {
        var matcher = Matcher(policy: built.policy, solver: options.solver,
                              options: SolveOptions(timeLimit: options.timeLimit, gap: options.gap), seed: options.seed)
        matcher.progress = progress
        do {
            if let previous { return try matcher.match(built.cohort, previous: previous, maxChanges: maxChanges) }
            guard let kept = built.keptSessions, built.cohort.timetable != nil else { return try matcher.match(built.cohort) }
            let result = try matcher.match(built.cohort, previous: kept, maxChanges: 0)
            let chosen = Set(result.pairs.map { PairKey2($0.mentor, $0.mentee) })
            let lost = Set(built.keptPairs.filter { !chosen.contains($0) })
            guard !lost.isEmpty, result.status != .infeasible, let rebuild else { return result }
            return try solve(try rebuild(lost), options: options, progress: progress)
        } catch let e as MatchInputError {
            throw Self.matchError(e, built)
        } catch let e as InputError {
            throw StoreError(e)
        }
    }

    /// The core's "locked[3]: ..." messages, naming the kept pair by its people.
    static func matchError(_ e: MatchInputError, _ built: TermCohort) -> StoreError {
        let names = DiagnosticNames(mentors: built.cohort.mentors.map(\.id), mentees: built.cohort.mentees.map(\.id),
                                    names: built.names, locked: built.cohort.locked.map {
                                        .object([("mentor", .string($0.mentor.rawValue)), ("mentee", .string($0.mentee.rawValue))])
                                    })
        return StoreError(.invalid, ["term \(built.term) cannot be matched:"] + e.messages.map { message in
            if message.hasPrefix("locked["), let close = message.firstIndex(of: "]") {
                return names.message(Diagnostic(file: "", at: "$." + message[..<message.index(after: close)], String(message[message.index(close, offsetBy: 3)...])))
            }
            return message
        })
    }

    /// Records a run and its pairs, inside a write: replaces the unapproved, unlocked proposals,
    /// updates the kept pairs' scores, reasons and sessions, adds the new proposals.
    func storeRun(_ result: MatchResult, _ built: TermCohort, kind: String, w: inout Writer, by actor: Actor,
                  note: String?, started: Date, effective: CalendarDate? = nil) throws -> MatchRunSummary {
        let db = w.db, term = built.term
        var json = ResultWriter.json(result, timings: false)
        if case .object(var keys) = json {
            keys.removeAll { $0.0 == "pairs" }
            if !built.warnings.isEmpty { keys.append(("warnings", .array(built.warnings.map { .string($0) }))) }
            json = .object(keys)
        }
        try db.execute(sql: """
            INSERT INTO match_run (term_id, kind, at, by, policy_text, solver, status, matched, mentors, mentees, score_h, result)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [term, kind, w.at, actor.name, built.policyText, result.solver, result.status.rawValue, result.matched,
                             built.cohort.mentors.count, built.cohort.mentees.count, result.scoreHundredths, CompactJSON.text(json)])
        let runID = db.lastInsertedRowID
        var proposed = 0, kept = 0, superseded = 0
        if result.status != .infeasible {
            let live = try PairRow.live(db, term: term)
            var byKey: [PairKey2: PairRow] = [:]
            for p in live { byKey[PairKey2(p.mentor, p.mentee)] = p }
            var chosen: Set<PairKey2> = []
            for pair in result.pairs {
                let key = PairKey2(pair.mentor, pair.mentee)
                chosen.insert(key)
                let reasons = CompactJSON.strings(pair.reasons), sessions = CompactJSON.sessions(pair.sessions)
                if let existing = byKey[key] {
                    // Dates already past keep their old sessions' dates; from `effective` on, the new ones.
                    let dates = effective.map { d in existing.dates.filter { $0 < d } + pair.dates.filter { $0 >= d } } ?? pair.dates
                    try db.execute(sql: "UPDATE pair SET score_h = ?, reasons = ?, sessions = ?, dates = ?, run_id = ? WHERE id = ?",
                                   arguments: [pair.scoreHundredths, reasons, sessions, CompactJSON.dates(dates), runID, existing.id])
                    if existing.sessions != pair.sessions && !existing.sessions.isEmpty {
                        try recordEvent(db, pair: existing.id, at: w.at, by: actor, event: "sessions", from: existing.state, to: existing.state,
                                        note: "sessions moved by \(kind) run \(runID)")
                    }
                    if existing.state == .proposed && !existing.locked { proposed += 1 } else { kept += 1 }
                } else {
                    try db.execute(sql: """
                        INSERT INTO pair (term_id, mentor_id, mentee_id, state, locked, score_h, reasons, sessions, dates, run_id, source,
                                          created_at, created_by, state_at, state_by)
                        VALUES (?, ?, ?, 'proposed', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [term, pair.mentor, pair.mentee, pair.scoreHundredths, reasons, sessions,
                                         CompactJSON.dates(effective.map { d in pair.dates.filter { $0 >= d } } ?? pair.dates),
                                         runID, kind, w.at, actor.name, w.at, actor.name])
                    try recordEvent(db, pair: db.lastInsertedRowID, at: w.at, by: actor, event: "propose", from: nil, to: .proposed, note: "\(kind) run \(runID)")
                    proposed += 1
                }
            }
            for p in live where !chosen.contains(PairKey2(p.mentor, p.mentee)) {
                // A proposal, or (a re-match allowed to change pairs, within its cap) an approved pair
                // that never met, is superseded; an active pair is ended. A match run never drops an
                // approved pair (see `solve`); a withdrawal's plan showed it before it was saved.
                let why = "replaced by \(kind) run \(runID)"
                if p.state == .active {
                    try db.execute(sql: "UPDATE pair SET state = 'ended', state_at = ?, state_by = ? WHERE id = ?", arguments: [w.at, actor.name, p.id])
                    try recordEvent(db, pair: p.id, at: w.at, by: actor, event: "end", from: p.state, to: .ended, note: why)
                    try endPair(db, w: w, p, reason: .other, note: why, noRepeat: false, date: effective ?? Instant.date(w.now))
                } else {
                    try db.execute(sql: "UPDATE pair SET state = 'superseded', state_at = ?, state_by = ? WHERE id = ?", arguments: [w.at, actor.name, p.id])
                    try recordEvent(db, pair: p.id, at: w.at, by: actor, event: "supersede", from: p.state, to: .superseded, note: why)
                }
                superseded += 1
            }
        }
        let summary = MatchRunSummary(runID: runID, term: term, status: result.status, solver: result.solver,
                                      mentors: built.cohort.mentors.count, mentees: built.cohort.mentees.count, matched: result.matched,
                                      proposed: proposed, kept: kept, superseded: superseded, unmatched: result.unmatched.filter { $0.role == .mentee }.count,
                                      shortfalls: result.shortfalls, notes: result.notes, diagnosis: result.diagnosis,
                                      fallbackReason: result.fallbackReason, seconds: Date().timeIntervalSince(started))
        // A withdrawal's own audit row names the run; a match run is its own change.
        if kind == "match" { w.audit("match", term: term, subject: "run \(runID)",
                detail: "\(result.status.rawValue) (\(result.solver)): \(result.matched) of \(built.cohort.mentees.count) mentees matched; \(proposed) proposed, \(kept) kept, \(superseded) superseded",
                why: note) }
        return summary
    }

    /// A term's pairs (all but superseded ones), its unmatched people with reasons, the shortfalls
    /// and the last run.
    public func proposals(term: TermID) throws -> TermMatches {
        try read { db in
            _ = try requireTerm(term, db)
            let names = try personNames(db, term: term)
            let pairs = try Row.fetchAll(db, sql: "SELECT * FROM pair WHERE term_id = ? AND state <> 'superseded' ORDER BY mentor_id, mentee_id",
                                         arguments: [term]).map { storedPair($0, names: names) }
            let run = try Row.fetchOne(db, sql: "SELECT * FROM match_run WHERE term_id = ? ORDER BY id DESC LIMIT 1", arguments: [term])
            var info: RunInfo? = nil
            var shortfalls: [String] = []
            var result: JSONValue? = nil
            if let run {
                let json = try CompactJSON.parse(run["result"], what: "run \(run["id"] as Int64)")
                result = json
                info = runInfo(run, json)
                if case .array(let list)? = json["shortfalls"] { shortfalls = list.compactMap { if case .string(let s) = $0 { return s }; return nil } }
            }
            let taken = Set(pairs.filter { PairState.live.contains($0.state) }.map(\.ref.mentee))
            let unmatched = try unmatchedMentees(db, term: term, taken: taken, lastRun: .some(result))
            return TermMatches(term: term, pairs: pairs, unmatched: unmatched, shortfalls: shortfalls, run: info,
                               revision: try Int.fetchOne(db, sql: "SELECT revision FROM scheme WHERE id = 1") ?? 0)
        }
    }

    /// Mentees of the term (not withdrawn) not in `taken`, with the reasons the last match run
    /// gave for each, or why there is none (no run yet, or freed since it). `lastRun` is the last
    /// run's result when the caller has it parsed already; otherwise it is read, and only when
    /// someone is unmatched (a run's result is large).
    func unmatchedMentees(_ db: Database, term: TermID, taken: Set<PersonID>, lastRun: JSONValue?? = nil) throws -> [StoredUnmatched] {
        let withdrawn = Set(try String.fetchAll(db, sql: "SELECT person_id FROM withdrawal WHERE term_id = ?", arguments: [term]).map { PersonID($0) })
        let left = try Row.fetchAll(db, sql: "SELECT person_id, name FROM person_version WHERE term_id = ? AND superseded_at IS NULL AND role = 'mentee' ORDER BY person_id",
                                    arguments: [term]).filter { !taken.contains($0["person_id"] as PersonID) && !withdrawn.contains($0["person_id"] as PersonID) }
        guard !left.isEmpty else { return [] }
        let run: JSONValue?
        if let given = lastRun { run = given } else {
            run = try String.fetchOne(db, sql: "SELECT result FROM match_run WHERE term_id = ? ORDER BY id DESC LIMIT 1", arguments: [term])
                .map { try CompactJSON.parse($0, what: "the last match run of \(term)") }
        }
        var reasons: [PersonID: [String]] = [:]
        if case .array(let list)? = run?["unmatched"] {
            for u in list {
                guard case .string(let id)? = u["id"], case .array(let rs)? = u["reasons"] else { continue }
                reasons[PersonID(id)] = rs.compactMap { if case .string(let s) = $0 { return s }; return nil }
            }
        }
        return left.map { r in
            let id = (r["person_id"] as PersonID)
            let why = reasons[id] ?? [run == nil ? "not matched yet: the term has no match run" : "not matched yet: imported or freed after the last match run; run the match again"]
            return StoredUnmatched(id: id, name: r["name"], role: .mentee, reasons: why)
        }
    }

    /// Every match run of a term, newest first.
    public func runs(term: TermID) throws -> [RunInfo] {
        try read { db in
            _ = try requireTerm(term, db)
            return try Row.fetchAll(db, sql: "SELECT * FROM match_run WHERE term_id = ? ORDER BY id DESC", arguments: [term]).map {
                runInfo($0, try CompactJSON.parse($0["result"], what: "run"))
            }
        }
    }

    func runInfo(_ run: Row, _ json: JSONValue) -> RunInfo {
        func strings(_ key: String) -> [String] {
            guard case .array(let list)? = json[key] else { return [] }
            return list.compactMap { if case .string(let s) = $0 { return s }; return nil }
        }
        var fallback: String? = nil
        if case .string(let s)? = json["fallbackReason"] { fallback = s }
        return RunInfo(id: run["id"], kind: run["kind"], at: run["at"], by: run["by"], status: run["status"], solver: run["solver"],
                       matched: run["matched"], mentors: run["mentors"], mentees: run["mentees"], scoreHundredths: run["score_h"],
                       notes: strings("notes"), fallbackReason: fallback, diagnosis: strings("diagnosis"))
    }

    func storedPair(_ r: Row, names: [PersonID: String]) -> StoredPair {
        let p = PairRow(r)
        return StoredPair(id: p.id, ref: p.ref, mentorName: names[p.mentor] ?? p.mentor.rawValue, menteeName: names[p.mentee] ?? p.mentee.rawValue,
                          state: p.state, locked: p.locked, scoreHundredths: p.scoreHundredths, reasons: p.reasons, sessions: p.sessions,
                          dates: p.dates, source: r["source"], runID: r["run_id"], createdAt: r["created_at"], createdBy: r["created_by"],
                          stateAt: r["state_at"], stateBy: r["state_by"], endDate: p.endDate,
                          endReason: (r["end_reason"] as String?).flatMap(EndReason.init(rawValue:)), note: r["note"], noRepeat: r["no_repeat"])
    }

    /// Names of the term's people (current versions), falling back to any term's for people who
    /// have left it.
    func personNames(_ db: Database, term: TermID) throws -> [PersonID: String] {
        var names: [PersonID: String] = [:]
        for r in try Row.fetchAll(db, sql: """
            SELECT person_id, name FROM person_version WHERE term_id = ? AND superseded_at IS NULL
            """, arguments: [term]) {
            names[(r["person_id"] as PersonID)] = r["name"]
        }
        return names
    }
}

/// Thrown inside a write when the store changed since the read a plan or a solve was made from.
struct StaleRead: Error {}

/// A mentor and mentee, as a dictionary key.
struct PairKey2: Hashable {
    var mentor: PersonID
    var mentee: PersonID
    init(_ mentor: PersonID, _ mentee: PersonID) { self.mentor = mentor; self.mentee = mentee }
}
