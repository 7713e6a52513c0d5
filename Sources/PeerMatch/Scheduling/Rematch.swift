import Foundation

/// The pairs of an earlier result, read back for re-matching (`solve --previous result.json`).
public struct PreviousResult: Sendable {
    public struct Pair: Sendable, Hashable {
        public var mentor: PersonID
        public var mentee: PersonID
        public var sessions: [Session]
    }
    public var pairs: [Pair]

    public init(pairs: [Pair]) { self.pairs = pairs }

    /// Reads a result file written by `peermatch solve --format json`; every problem names its JSON path.
    public static func read(path: String) throws -> PreviousResult {
        try parse(try AtomicFile.read(path), file: path)
    }

    /// Parses result JSON; `file` names it in messages.
    public static func parse(_ data: Data, file path: String) throws -> PreviousResult {
        let root = try JSONValue.parseJSON(data, file: path)
        var r = DocumentReader(file: path)
        guard r.object(root, "$") != nil else { throw InputError(r.diagnostics) }
        guard root["pairs"] != nil, root["status"] != nil else {
            throw InputError(file: path, "is not a peermatch result (no \"status\" and \"pairs\"); pass the JSON that solve wrote")
        }
        var out: [Pair] = []
        var seen: [String: String] = [:]
        for (k, item) in (r.array(root["pairs"], "$.pairs") ?? []).enumerated() {
            let path = "$.pairs[\(k)]"
            guard r.object(item, path) != nil else { continue }
            let m = r.string(item["mentor"], "\(path).mentor", nonEmpty: true)
            let e = r.string(item["mentee"], "\(path).mentee", nonEmpty: true)
            if item["mentor"] == nil { r.error("\(path).mentor", "missing") }
            if item["mentee"] == nil { r.error("\(path).mentee", "missing") }
            var sessions: [Session] = []
            if let list = r.array(item["sessions"], "\(path).sessions") {
                for (n, s) in list.enumerated() {
                    let sp = "\(path).sessions[\(n)]"
                    guard r.object(s, sp) != nil else { continue }
                    if let slot = r.string(s["slot"], "\(sp).slot", nonEmpty: true), let room = r.string(s["room"], "\(sp).room", nonEmpty: true) {
                        sessions.append(Session(slot: slot, room: room))
                    } else { r.error(sp, "needs \"slot\" and \"room\"") }
                }
            } else if let slot = r.string(item["slot"], "\(path).slot", nonEmpty: true),
                      let room = r.string(item["room"], "\(path).room", nonEmpty: true) {
                sessions = [Session(slot: slot, room: room)]
            }
            guard let m, let e else { continue }
            if let first = seen[e] { r.error("\(path).mentee", "\"\(e)\" is already paired at \(first)"); continue }
            seen[e] = path
            out.append(Pair(mentor: PersonID(m), mentee: PersonID(e), sessions: sessions))
        }
        if r.hasErrors { throw InputError(r.diagnostics) }
        return PreviousResult(pairs: out)
    }
}

/// How the previous result maps onto the current cohort: which of its sessions can stay, and why
/// the others must change.
struct RematchPlan {
    /// Sessions that can stay where they were (one per still-feasible previous session).
    var pins: [PinnedSession] = []
    /// Previous pairs by candidate index, with their previous sessions.
    var previousOfPair: [Int: [Session]] = [:]
    /// Forced changes: previous pairs that cannot stay as they were, with why.
    var forced: [(pair: PreviousResult.Pair, index: Int?, reason: String)] = []
    /// Every mentee who had a mentor before.
    var previousMentees: Set<PersonID> = []

    /// People of the previous result who are not in this cohort (they left), sorted.
    var departed: [PersonID] = []

    init(_ previous: PreviousResult, problem: MatchingProblem, ctx: PairingContext, tctx: TimetableContext) throws {
        var errors: [String] = []
        var sessionsCount: [SessionIndex: Int] = [:]
        previousMentees = Set(previous.pairs.map(\.mentee))
        let everyone = Set(previous.pairs.flatMap { [$0.mentor, $0.mentee] })
        departed = everyone.filter { ctx.mentorIndex[$0] == nil && ctx.menteeIndex[$0] == nil }.sorted()
        // A result of another cohort shares nobody with this one: keeping "its" pairs would mean nothing.
        if !everyone.isEmpty && departed.count == everyone.count {
            throw MatchInputError(messages: ["--previous: none of the \(everyone.count) people in the previous result is in this cohort, so it is the result of another cohort; pass the result that solve wrote for this cohort"])
        }
        // Places each mentor still has for earlier pairs: capacity less the locks to other mentees.
        var places = problem.capacity
        let lockedMentees = Set(problem.locked.map { Int(problem.pairs.mentee[$0]) })
        var lockedMentor: [Int: Int] = [:]
        for p in problem.locked { places[Int(problem.pairs.mentor[p])] -= 1; lockedMentor[Int(problem.pairs.mentee[p])] = Int(problem.pairs.mentor[p]) }
        for pair in previous.pairs {
            let i = ctx.mentorIndex[pair.mentor], j = ctx.menteeIndex[pair.mentee]
            if i == nil || j == nil {
                let gone = [i == nil ? pair.mentor : nil, j == nil ? pair.mentee : nil].compactMap { $0 }
                forced.append((pair, nil, naturalList(gone.map(\.rawValue)) + (gone.count == 1 ? " is" : " are") + " no longer in the cohort"))
                continue
            }
            guard let p = problem.pairs.index(mentor: i!, mentee: j!) else {
                let rule = HardRules.violations(mentor: i!, mentee: j!, in: ctx).first
                forced.append((pair, nil, "the pair now breaks the hard rule " + (rule.map { "\($0.id): \($0.rejection(mentor: i!, mentee: j!, in: ctx))" } ?? "rules")))
                continue
            }
            if lockedMentees.contains(j!) {
                if lockedMentor[j!] != i! {
                    forced.append((pair, nil, "\(ctx.mentee(j!).name) is now locked to \(ctx.mentor(lockedMentor[j!]!).name)"))
                    continue
                }
            } else if places[i!] <= 0 {
                forced.append((pair, nil, "\(ctx.mentor(i!).name) now takes at most \(problem.capacity[i!]) mentee\(problem.capacity[i!] == 1 ? "" : "s")"))
                continue
            } else {
                places[i!] -= 1
            }
            previousOfPair[p] = pair.sessions
            if tctx.slotCount > 0 && pair.sessions.count != tctx.sessionsPerWeek {
                if pair.sessions.isEmpty { errors.append("previous pair (\(pair.mentor), \(pair.mentee)) has no slot and room, but this cohort is timetabled") }
                forced.append((pair, p, "the number of sessions a week changed")); continue
            }
            var why: String? = nil
            var idx: [SessionIndex] = []
            for s in pair.sessions {
                guard let slot = tctx.slotIndex[s.slot] else { why = "slot \"\(s.slot)\" no longer exists"; break }
                guard let room = tctx.roomIndex[s.room] else { why = "room \"\(s.room)\" no longer exists"; break }
                if !tctx.roomFree[room][slot] { why = "room \(tctx.setup.rooms[room].name) is no longer free at \(tctx.describe(slot: slot))"; break }
                if !tctx.mentorFree[i!][slot] { why = "\(ctx.mentor(i!).name) is no longer free at \(tctx.describe(slot: slot))"; break }
                if !tctx.menteeFree[j!][slot] { why = "\(ctx.mentee(j!).name) is no longer free at \(tctx.describe(slot: slot))"; break }
                if !tctx.roomsFor[tctx.menteeClass[j!]][slot].contains(room) { why = "room \(tctx.setup.rooms[room].name) no longer suits \(ctx.mentee(j!).name)"; break }
                idx.append(SessionIndex(slot: slot, room: room))
            }
            if let why { forced.append((pair, p, why)); continue }
            for s in idx { pins.append(PinnedSession(pair: p, session: s, fixed: false)); sessionsCount[s, default: 0] += 1 }
        }
        if !errors.isEmpty { throw MatchInputError(messages: errors) }
    }

    /// Compares the new timetable with the previous one.
    func changes(_ t: Timetabling, problem: MatchingProblem, ctx: PairingContext, tctx: TimetableContext,
                 maxChanges: Int?) -> [Change] {
        func sessions(_ list: [SessionIndex]) -> [Session] {
            list.map { Session(slot: tctx.setup.slots[$0.slot].id, room: tctx.setup.rooms[$0.room].id) }
        }
        var out: [Change] = []
        var forcedIndex: [Int: String] = [:]
        for f in forced {
            if let p = f.index { forcedIndex[p] = f.reason; continue }
            out.append(Change(kind: .removed, mentor: f.pair.mentor, mentee: f.pair.mentee, before: f.pair.sessions, after: [],
                              reason: f.reason, counted: false))
        }
        let chosen = Dictionary(uniqueKeysWithValues: zip(t.selection, t.sessions))
        let why = maxChanges.map { "changed to match more mentees, or mentees of higher priority (allowed by --max-changes \($0))" } ?? "changed to match more mentees, or mentees of higher priority"
        for (p, before) in previousOfPair.sorted(by: { $0.key < $1.key }) {
            let m = ctx.mentor(Int(problem.pairs.mentor[p])).id, e = ctx.mentee(Int(problem.pairs.mentee[p])).id
            if let now = chosen[p] {
                let after = tctx.slotCount > 0 ? sessions(now) : []
                if Set(after) == Set(before) { continue }
                out.append(Change(kind: .moved, mentor: m, mentee: e, before: before, after: after,
                                  reason: forcedIndex[p] ?? why, counted: forcedIndex[p] == nil))
            } else {
                let newMentor = t.selection.first { Int(problem.pairs.mentee[$0]) == Int(problem.pairs.mentee[p]) }
                let detail = newMentor.map { "; \(ctx.mentee(Int(problem.pairs.mentee[$0])).name) now meets \(ctx.mentor(Int(problem.pairs.mentor[$0])).name)" } ?? ""
                out.append(Change(kind: .removed, mentor: m, mentee: e, before: before, after: [],
                                  reason: (forcedIndex[p].map { $0 + ", and no other session could be found" } ?? why) + detail,
                                  counted: forcedIndex[p] == nil))
            }
        }
        for (p, now) in chosen.sorted(by: { $0.key < $1.key }) where previousOfPair[p] == nil {
            let e = ctx.mentee(Int(problem.pairs.mentee[p]))
            let m = ctx.mentor(Int(problem.pairs.mentor[p]))
            let reason = previousMentees.contains(e.id) ? "\(e.name) moves to a new mentor" : "\(e.name) newly matched"
            out.append(Change(kind: .added, mentor: m.id, mentee: e.id, before: [], after: tctx.slotCount > 0 ? sessions(now) : [],
                              reason: reason, counted: false))
        }
        return out.sorted { ($0.mentor, $0.mentee, $0.kind.rawValue) < ($1.mentor, $1.mentee, $1.kind.rawValue) }
    }
}
