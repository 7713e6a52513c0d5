import Foundation
import GRDB
import PeerMatch

/// A live pair as the store holds it (a row of `pair`).
struct PairRow: Sendable, Hashable {
    var id: Int64
    var term: TermID
    var mentor: PersonID
    var mentee: PersonID
    var state: PairState
    var locked: Bool
    var scoreHundredths: Int?
    var reasons: [String]
    var sessions: [Session]
    var dates: [CalendarDate]
    var endDate: CalendarDate?

    init(_ r: Row) {
        id = r["id"]; term = TermID(r["term_id"]); mentor = PersonID(r["mentor_id"]); mentee = PersonID(r["mentee_id"])
        state = PairState(rawValue: r["state"]) ?? .proposed; locked = r["locked"]; scoreHundredths = r["score_h"]
        reasons = CompactJSON.stringList(r["reasons"]); sessions = CompactJSON.sessionList(r["sessions"])
        dates = CompactJSON.dateList(r["dates"]); endDate = r["end_date"]
    }

    var ref: PairRef { PairRef(term: term, mentor: mentor, mentee: mentee) }

    static func live(_ db: Database, term: TermID) throws -> [PairRow] {
        try Row.fetchAll(db, sql: "SELECT * FROM pair WHERE term_id = ? AND state IN ('proposed', 'approved', 'active') ORDER BY mentor_id, mentee_id",
                         arguments: [term]).map(PairRow.init)
    }
}

/// A term's cohort as the core library sees it, built from the store: the term's people (less
/// anyone withdrawn), the scheme's exclusions between them (imported, declined proposals, endings
/// with "do not pair again", and pairs ended earlier in this term), its approved, active and
/// locked pairs as locks, and the pairs of earlier terms as history for the policy's rotation.
///
/// It goes through the same validator as a cohort file (`CohortReader`), so a cohort the store
/// builds is held to exactly the rules `peermatch solve` holds a file to; problems name the person.
struct TermCohort {
    var term: TermID
    var setup: TermSetupInput
    var policy: Policy
    var policyText: String
    var cohort: Cohort
    /// The term's live pairs (proposed, approved, active), by mentee.
    var livePairs: [PairRow]
    /// Approved and active pairs with their sessions, kept through re-matching (timetabled terms only).
    var keptSessions: PreviousResult?
    var keptPairs: [PairKey2]
    var withdrawn: Set<PersonID>
    var names: [PersonID: String]
    /// Warnings of the validator (an unknown id in a preference list was dropped, ...).
    var warnings: [String]
    /// The cohort text this was read from, in its parts, so that the next build can tell what
    /// changed (see ``Reuse``).
    var source = Source()
    /// How much of an earlier build this one took over.
    var reused = Reuse.nothing

    struct Source: Equatable {
        /// The timetable setup, mentors and mentees: nearly all of the text, and of the time to read it.
        var people = ""
        var exclusions = ""
        var locked = ""
        var history = ""
        var policy = ""
        /// The exclusions as the store built them (to check the reader kept them as they are).
        var exclusionList: [Exclusion] = []
    }

    /// Reading a 2,000-mentee cohort through the core's reader takes most of a second (nearly all
    /// of it decoding and checking the people), while most changes a co-ordinator makes touch no
    /// person: approving, moving a session or keeping the register leave the cohort text exactly
    /// as it was (approved pairs of a timetabled term are a previous result, not locks), and
    /// declining or ending a pair only adds an exclusion. So a build with an earlier build at hand
    /// takes over its cohort when the text is the same (`.whole`: the pairing context and the
    /// timetable checker too), or when only the exclusions differ, with the new exclusions put in
    /// (`.people`), as the reader would have: they are between two people of the cohort (the
    /// builder keeps only those, never one person twice), and none is a locked pair (the one
    /// check the reader makes of exclusions against the rest; otherwise the text is read afresh).
    enum Reuse: Equatable { case nothing, people, whole }

    /// What the cohort is built for.
    struct Options {
        /// People left out (a withdrawal being planned).
        var without: Set<PersonID> = []
        /// Pairs kept as plain locks (partner kept, sessions free) even in a timetabled term: an
        /// approved pair whose session can no longer be held (see ``SchemeStore/solve``).
        var lockPairs: Set<PairKey2> = []
        /// Whether approved and active pairs of a term without a timetable are locks (a match run:
        /// yes). A withdrawal passes every live pair as its previous result instead, so that its
        /// cap on changes applies to them.
        var approvedAsLocks = true
    }

    /// `"preferences"`, quotes included, as the stored JSON of a person writes the key.
    private static let preferencesKey = Array("\"preferences\"".utf8)

    /// Whether `bytes` holds `key` (not empty) somewhere.
    static func holds(_ bytes: UnsafeBufferPointer<UInt8>, _ key: [UInt8]) -> Bool {
        guard let first = key.first, bytes.count >= key.count else { return false }
        var i = 0
        while i <= bytes.count - key.count {
            if bytes[i] == first {
                var j = 1
                while j < key.count && bytes[i + j] == key[j] { j += 1 }
                if j == key.count { return true }
            }
            i += 1
        }
        return false
    }

    static func build(_ db: Database, store: SchemeStore, term: TermID, options: Options = Options(), previous: TermCohort? = nil) throws -> TermCohort {
        let row = try store.requireTerm(term, db)
        let setup = try TermSetupInput.stored(row["setup"], term: term)
        let policy = try store.termPolicy(row)
        let withdrawn = Set(try String.fetchAll(db, sql: "SELECT person_id FROM withdrawal WHERE term_id = ?", arguments: [term]).map { PersonID($0) })
        let out = withdrawn.union(options.without)

        // People: the current version of each, in id order (the cohort's order is the store's order).
        var mentors: [(PersonID, String)] = [], mentees: [(PersonID, String)] = []
        var names: [PersonID: String] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT person_id, role, name, data FROM person_version WHERE term_id = ? AND superseded_at IS NULL ORDER BY person_id",
                                  arguments: [term]) {
            let id = (r["person_id"] as PersonID)
            names[id] = r["name"]
            if out.contains(id) { continue }
            if (r["role"] as String) == "mentor" { mentors.append((id, r["data"])) } else { mentees.append((id, r["data"])) }
        }
        let present = Set(mentors.map(\.0) + mentees.map(\.0))
        var warnings: [String] = []
        /// A preference for someone who is not in this term's cohort (withdrawn, or never imported
        /// here) is dropped, with a warning: the rest of the list still counts.
        func cleaned(_ id: PersonID, _ data: String) throws -> String {
            // Searched as bytes, by hand: Foundation's `String.contains` goes through CFString's
            // locale-aware search, 12% of a 2,000-mentee term's first why-not (a profile); the
            // standard library's `utf8.firstRange(of:)` was slower still (the first why-not
            // from 0.28 s to 0.45 s, `scheme why-not` on the same term); Glibc's memmem is not
            // exported to Swift.
            var text = data
            guard text.withUTF8({ Self.holds($0, Self.preferencesKey) }) else { return data }
            guard case .object(var fields) = try CompactJSON.parse(data, what: "person \(id)"),
                  let k = fields.firstIndex(where: { $0.0 == "preferences" }), case .array(let entries) = fields[k].1 else { return data }
            var kept: [JSONValue] = []
            var dropped: [String] = []
            for entry in entries {
                switch entry {
                case .string(let s):
                    if present.contains(PersonID(s)) { kept.append(entry) } else { dropped.append(s) }
                case .array(let tie):
                    let ok = tie.filter { if case .string(let s) = $0 { return present.contains(PersonID(s)) }; return false }
                    dropped += tie.compactMap { if case .string(let s) = $0, !present.contains(PersonID(s)) { return s }; return nil }
                    if !ok.isEmpty { kept.append(ok.count == 1 ? ok[0] : .array(ok)) }
                default: kept.append(entry)
                }
            }
            guard !dropped.isEmpty else { return data }
            warnings.append("\(id): preferences for \(dropped.joined(separator: ", ")) dropped (not in term \(term)'s cohort)")
            fields[k].1 = .array(kept)
            return CompactJSON.text(.object(fields))
        }

        // Exclusions between people of this cohort, from every source, once per pair.
        var exclusions: [(PersonID, PersonID, String?)] = []
        var seen: Set<[PersonID]> = []
        func exclude(_ a: PersonID, _ b: PersonID, _ reason: String?) {
            guard present.contains(a), present.contains(b), a != b else { return }
            let key = [a, b].sorted()
            if seen.insert(key).inserted { exclusions.append((a, b, reason)) }
        }
        for r in try Row.fetchAll(db, sql: "SELECT a, b, reason, source FROM exclusion ORDER BY id") {
            exclude((r["a"] as PersonID), (r["b"] as PersonID), r["reason"])
        }
        // A pair ended earlier in this term is not proposed again in it, "do not pair again" or not.
        for r in try Row.fetchAll(db, sql: "SELECT mentor_id, mentee_id, end_reason FROM pair WHERE term_id = ? AND state = 'ended' ORDER BY id", arguments: [term]) {
            exclude((r["mentor_id"] as PersonID), (r["mentee_id"] as PersonID), "ended earlier this term (\(EndReason(rawValue: r["end_reason"] ?? "")?.label ?? "ended"))")
        }

        // Live pairs. A locked pair is a lock, with its session when it has one a week. Approved
        // and active pairs are kept too: without a timetable as locks; with one as the
        // re-matching's previous result with no change allowed, which keeps each session exactly
        // where it still fits (a lock would let the session move). The core drops a locked pair's
        // previous sessions, so a pair is never both.
        let live = try PairRow.live(db, term: term)
        var locked: [JSONValue] = []
        var kept: [(PersonID, PersonID, [Session])] = []
        for p in live where present.contains(p.mentor) && present.contains(p.mentee) {
            let approved = p.state == .approved || p.state == .active
            let forced = options.lockPairs.contains(PairKey2(p.mentor, p.mentee))
            var lock: [(String, JSONValue)] = [("mentor", .string(p.mentor.rawValue)), ("mentee", .string(p.mentee.rawValue))]
            if p.locked && setup.isTimetabled && p.sessions.count == 1 && !forced {
                lock += [("slot", .string(p.sessions[0].slot)), ("room", .string(p.sessions[0].room))]
                locked.append(.object(lock))
            } else if p.locked || forced || (approved && !setup.isTimetabled && options.approvedAsLocks) {
                locked.append(.object(lock))
            } else if approved && !p.sessions.isEmpty {
                kept.append((p.mentor, p.mentee, p.sessions))
            } else if approved && options.approvedAsLocks {
                locked.append(.object(lock))
            }
        }

        // History: pairs that happened in terms that started before this one.
        var history: [JSONValue] = []
        let start: CalendarDate = row["start_date"]
        for r in try Row.fetchAll(db, sql: """
            SELECT p.mentor_id, p.mentee_id, p.term_id FROM pair p JOIN term t ON t.id = p.term_id
            WHERE t.start_date < ? AND p.term_id <> ? AND p.state IN ('approved', 'active', 'ended')
            ORDER BY t.start_date, p.mentor_id, p.mentee_id
            """, arguments: [start, term]) {
            let m = (r["mentor_id"] as PersonID), e = (r["mentee_id"] as PersonID)
            guard present.contains(m), present.contains(e) else { continue }
            history.append(.object([("mentor", .string(m.rawValue)), ("mentee", .string(e.rawValue)), ("term", .string(r["term_id"]))]))
        }

        // One text, one parse, the core's validator.
        var head = "{"
        if setup.isTimetabled, case .object(let keys) = setup.json {
            for (k, v) in keys { head += CompactJSON.text(.string(k)) + ":" + CompactJSON.text(v) + "," }
        }
        head += "\"mentors\":[" + (try mentors.map { try cleaned($0.0, $0.1) }).joined(separator: ",") + "],"
        head += "\"mentees\":[" + (try mentees.map { try cleaned($0.0, $0.1) }).joined(separator: ",") + "],"
        var source = Source(people: head, policy: row["policy_text"])
        source.exclusions = CompactJSON.text(.array(exclusions.map { a, b, reason in
            .object([("a", .string(a.rawValue)), ("b", .string(b.rawValue))] + (reason.map { [("reason", JSONValue.string($0))] } ?? []))
        }))
        source.exclusionList = exclusions.map { Exclusion(a: $0.0, b: $0.1, reason: $0.2) }
        source.locked = CompactJSON.text(.array(locked))
        source.history = CompactJSON.text(.array(history))
        func made(_ cohort: Cohort, _ warnings: [String], _ reused: Reuse) throws -> TermCohort {
            TermCohort(term: term, setup: setup, policy: policy, policyText: row["policy_text"], cohort: cohort,
                       livePairs: live, keptSessions: kept.isEmpty ? nil : try previousResult(kept), keptPairs: kept.map { PairKey2($0.0, $0.1) },
                       withdrawn: withdrawn, names: names, warnings: warnings, source: source, reused: reused)
        }
        if let previous, previous.term == term, previous.source.people == source.people, previous.source.locked == source.locked,
           previous.source.history == source.history, previous.source.policy == source.policy {
            // The same people, locks, history and policy: the warnings are the same too.
            if previous.source.exclusions == source.exclusions { return try made(previous.cohort, previous.warnings, .whole) }
            let lockedPairs = Set(previous.cohort.locked.map { PairKey2($0.mentor, $0.mentee) })
            if previous.cohort.exclusions == previous.source.exclusionList,
               !source.exclusionList.contains(where: { lockedPairs.contains(PairKey2($0.a, $0.b)) || lockedPairs.contains(PairKey2($0.b, $0.a)) }) {
                var cohort = previous.cohort
                cohort.exclusions = source.exclusionList
                return try made(cohort, previous.warnings, .people)
            }
        }
        let text = head + "\"exclusions\":" + source.exclusions + ",\"locked\":" + source.locked + ",\"history\":" + source.history + "}"
        let label = "term \(term)"
        let (cohort, diagnostics) = try CohortReader.parse(Data(text.utf8), file: label, policy: policy)
        let errors = diagnostics.filter { $0.severity == .error }
        let describe = DiagnosticNames(mentors: mentors.map(\.0), mentees: mentees.map(\.0), names: names, locked: locked)
        if !errors.isEmpty {
            throw StoreError(.invalid, ["term \(term): the cohort built from the store has problems:"] + errors.map { describe.message($0) })
        }
        warnings += diagnostics.filter { $0.severity == .warning && !$0.location.hasPrefix("$.history") }.map { describe.message($0) }
        return try made(cohort, warnings, .nothing)
    }
}

/// Turns the validator's JSON paths on a built cohort back into people: `$.mentees[3].age` →
/// `mentee e12 (Ava B.): age: ...`.
struct DiagnosticNames {
    var mentors: [PersonID]
    var mentees: [PersonID]
    var names: [PersonID: String]
    var locked: [JSONValue]

    func message(_ d: Diagnostic) -> String {
        let path = d.location
        func person(_ list: [PersonID], _ role: String, _ rest: Substring) -> String? {
            guard let close = rest.firstIndex(of: "]"), let k = Int(rest[rest.startIndex..<close]), k < list.count else { return nil }
            let id = list[k]
            let field = rest[rest.index(after: close)...].drop { $0 == "." }
            let who = "\(role) \(id)" + (names[id].map { $0 == id.rawValue ? "" : " (\($0))" } ?? "")
            return who + (field.isEmpty ? "" : ": \(field)") + ": " + d.message
        }
        if path.hasPrefix("$.mentors["), let s = person(mentors, "mentor", path.dropFirst("$.mentors[".count)) { return s }
        if path.hasPrefix("$.mentees["), let s = person(mentees, "mentee", path.dropFirst("$.mentees[".count)) { return s }
        if path.hasPrefix("$.locked["), let close = path.firstIndex(of: "]"),
           let k = Int(path[path.index(path.startIndex, offsetBy: "$.locked[".count)..<close]), k < locked.count,
           case .string(let m)? = locked[k]["mentor"], case .string(let e)? = locked[k]["mentee"] {
            return "kept pair \(m):\(e): " + d.message
        }
        return d.description
    }
}

/// The core's re-matching input for pairs whose sessions should stay: a result file's shape,
/// read by the core's own reader (its initialisers are internal to the core).
func previousResult(_ pairs: [(mentor: PersonID, mentee: PersonID, sessions: [Session])]) throws -> PreviousResult {
    let json = JSONValue.object([
        ("status", .string("optimal")),
        ("pairs", .array(pairs.map { p in
            .object([("mentor", .string(p.mentor.rawValue)), ("mentee", .string(p.mentee.rawValue)),
                     ("sessions", .array(p.sessions.map { .object([("slot", .string($0.slot)), ("room", .string($0.room))]) }))])
        })),
    ])
    do { return try PreviousResult.parse(Data(CompactJSON.text(json).utf8), file: "kept pairs") } catch let e as InputError { throw StoreError(e) }
}
