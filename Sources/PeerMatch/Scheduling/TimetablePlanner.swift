import Foundation

/// Re-matching options for ``Matcher/match(_:previous:maxChanges:)``.
extension Matcher {
    /// Matches a cohort; for a cohort with slots, also timetables it in the same model.
    ///
    /// - Parameters:
    ///   - previous: an earlier result to stay close to: every session that can stay, stays, unless
    ///     moving it lets more mentees be matched and `maxChanges` allows it.
    ///   - maxChanges: how many still-feasible previous sessions may change (nil with `previous`: none).
    public func match(_ cohort: Cohort, previous: PreviousResult?, maxChanges: Int? = nil) throws -> MatchResult {
        if options.limits == nil { return try withRunLimits().match(cohort, previous: previous, maxChanges: maxChanges) }
        guard cohort.timetable != nil else {
            if let previous { return try rematchWithoutSlots(cohort, previous: previous, maxChanges: maxChanges) }
            return try match(cohort)
        }
        return try matchTimetabled(cohort, previous: previous, maxChanges: maxChanges)
    }

    /// Everything a timetabled cohort poses under this policy: the problem, the timetable context,
    /// locks at both depths, the re-matching plan, and the formulation they make.
    struct TimetableInputs {
        var ctx: PairingContext
        var problem: MatchingProblem
        var tctx: TimetableContext
        /// Locks in the greedy scheduler's terms: pair, and slot and room when locked.
        var greedyLocks: [(pair: Int, slot: Int?, room: Int?)]
        var plan: RematchPlan?
        /// Earlier sessions that may stay (re-matching), locks excluded.
        var optionalPins: [PinnedSession]
        var keepPairs: [Int]
        /// The change limit when re-matching.
        var limit: Int?
        var formulation: TimetableFormulation
    }

    func timetableInputs(_ cohort: Cohort, previous: PreviousResult?, maxChanges: Int?) throws -> TimetableInputs {
        guard policy.method == .optimal else {
            throw MatchInputError(messages: ["policy: method \(policy.method.rawValue) does not schedule sessions yet; a cohort with slots is matched and timetabled by method optimal"])
        }
        let start = Date()
        report("finding candidate pairs among \(cohort.mentors.count) mentors and \(cohort.mentees.count) mentees", since: start)
        let (ctx, problem) = try problem(for: cohort)
        let tctx = TimetableContext(cohort: cohort, policy: policy)

        // Locks at two depths: the pair only, or also its slot (and room).
        var slotLocks: [Int: Int] = [:], pins: [PinnedSession] = []
        var greedyLocks: [(pair: Int, slot: Int?, room: Int?)] = []
        var errors: [String] = []
        for (k, lock) in cohort.locked.enumerated() {
            guard let i = ctx.mentorIndex[lock.mentor], let j = ctx.menteeIndex[lock.mentee],
                  let p = problem.pairs.index(mentor: i, mentee: j) else { continue }
            let common = tctx.slotCount > 0 ? tctx.commonSlots(mentor: i, mentee: j) : [0]
            if tctx.slotCount > 0 && !tctx.canMeet(mentor: i, mentee: j) {
                errors.append("locked[\(k)]: (\(lock.mentor), \(lock.mentee)) have \(tctx.noSlotPhrase) with a suitable room free")
                continue
            }
            guard let slotID = lock.slot, let s = tctx.slotIndex[slotID] else { greedyLocks.append((p, nil, nil)); continue }
            if !common.contains(s) {
                errors.append("locked[\(k)]: (\(lock.mentor), \(lock.mentee)) cannot meet at slot \"\(slotID)\": no suitable room is free then")
                continue
            }
            if let roomID = lock.room, let r = tctx.roomIndex[roomID] {
                if !tctx.roomsFor[tctx.menteeClass[j]][s].contains(r) {
                    errors.append("locked[\(k)]: room \"\(roomID)\" cannot hold this session (not free, missing a feature, or too small for a group)")
                    continue
                }
                pins.append(PinnedSession(pair: p, session: SessionIndex(slot: s, room: r), fixed: true))
                greedyLocks.append((p, s, r))
            } else {
                slotLocks[p] = s
                greedyLocks.append((p, s, nil))
            }
        }
        if !errors.isEmpty { throw MatchInputError(messages: errors) }
        if let maxChanges, maxChanges < 0 { throw MatchInputError(messages: ["--max-changes must be 0 or more"]) }

        let plan = try previous.map { try RematchPlan($0, problem: problem, ctx: ctx, tctx: tctx) }
        let lockedPairs = Set(pins.map(\.pair) + greedyLocks.map(\.pair))
        let optionalPins = (plan?.pins ?? []).filter { !lockedPairs.contains($0.pair) }
        let keepPairs: [Int]
        if let plan {
            keepPairs = plan.forced.compactMap(\.index).filter { !lockedPairs.contains($0) }.sorted()
        } else if policy.rotation == .keep {
            keepPairs = cohort.history.compactMap { h in
                guard let i = ctx.mentorIndex[h.mentor], let j = ctx.menteeIndex[h.mentee] else { return nil }
                return problem.pairs.index(mentor: i, mentee: j)
            }.sorted()
        } else { keepPairs = [] }
        let limit = previous == nil ? nil : (maxChanges ?? 0)
        let formulation = TimetableFormulation(problem: problem, tctx: tctx, policy: policy, slotLocks: slotLocks,
                                               pins: pins + optionalPins, keepPairs: keepPairs, maxChanges: limit)
        return TimetableInputs(ctx: ctx, problem: problem, tctx: tctx, greedyLocks: greedyLocks, plan: plan,
                               optionalPins: optionalPins, keepPairs: keepPairs, limit: limit, formulation: formulation)
    }

    func matchTimetabled(_ cohort: Cohort, previous: PreviousResult?, maxChanges: Int?) throws -> MatchResult {
        let start = Date()
        let inputs = try timetableInputs(cohort, previous: previous, maxChanges: maxChanges)
        let (ctx, problem, tctx) = (inputs.ctx, inputs.problem, inputs.tctx)
        let (greedyLocks, plan, optionalPins, keepPairs, limit) = (inputs.greedyLocks, inputs.plan, inputs.optionalPins, inputs.keepPairs, inputs.limit)
        let formulation = inputs.formulation

        func finish(_ t: Timetabling, status: MatchStatus, solver: String, fallback: String?, bound: Int?,
                    approach: String, matchedBound: Int?, stats: (Int, Int, String, String)) -> MatchResult {
            var result = assemble(ctx, problem, Outcome(selection: t.selection, status: status, solver: solver, fallback: fallback,
                                                        bound: bound, diagnosis: [], stats: stats,
                                                        limit: status == .optimal ? nil : options.limits?.cut), start: start)
            let changes = plan?.changes(t, problem: problem, ctx: ctx, tctx: tctx, maxChanges: limit)
            decorate(&result, t, ctx: ctx, problem: problem, tctx: tctx, keepPairs: plan == nil ? Set(keepPairs) : [])
            result.notes += plan?.departureNotes(ctx: ctx) ?? []
            result.timetable = TimetableReport(setup: tctx.setup, softHundredths: TimetableRules.softValue(t, problem, tctx, policy),
                                               approach: approach, matchedBound: matchedBound, changes: changes, maxChanges: limit)
            return result
        }
        /// The greedy timetable: locks, then earlier sessions, earlier pairs, then everyone by
        /// priority and score; nil when it cannot place every lock or meet a hard minimum.
        func greedyTimetable() -> Timetabling? {
            var g = GreedyScheduler(problem: problem, tctx: tctx)
            var lockedOK = true
            for lock in greedyLocks {
                let ok = lock.room.map { g.place(lock.pair, only: SessionIndex(slot: lock.slot!, room: $0)) } ?? g.place(lock.pair, onlySlot: lock.slot)
                lockedOK = lockedOK && ok
            }
            placePreviousSessions(&g, optionalPins)
            for p in keepPairs { g.place(p) }
            for p in GreedyScheduler.priorityOrder(problem) { g.place(p) }
            let t = Timetabling(selection: g.placed.map(\.pair), sessions: g.placed.map(\.sessions))
            if !lockedOK || (problem.hasHardMinimum && !problem.violations(t.selection).isEmpty) { return nil }
            return t
        }
        func greedyResult(_ reason: String, stats: (Int, Int)) -> MatchResult {
            guard let t = greedyTimetable() else {
                var r = finish(Timetabling(selection: [], sessions: []), status: .infeasible, solver: "greedy", fallback: reason, bound: nil,
                               approach: "greedy", matchedBound: nil, stats: (stats.0, stats.1, "greedy", "locks or minimum not met"))
                r.diagnosis = ["The greedy timetable could not place every locked pair or meet the hard minimum; this is not a proof that none exists."]
                return r
            }
            let problems = Verifier.check(t.selection, problem, ctx) + TimetableRules.violations(t, problem, tctx)
            precondition(problems.isEmpty, "greedy produced an invalid timetable: \(problems)")
            return finish(t, status: .fallback, solver: "greedy", fallback: reason, bound: nil, approach: "greedy",
                          matchedBound: nil, stats: (stats.0, stats.1, "greedy", "heuristic"))
        }

        if let diagnosis = Diagnosis.provenInfeasible(problem, ctx) {
            var r = finish(Timetabling(selection: [], sessions: []), status: .infeasible, solver: solver.rawValue, fallback: nil,
                           bound: nil, approach: "pre-check", matchedBound: nil, stats: (0, 0, "pre-check", "hard minimum cannot hold"))
            r.diagnosis = diagnosis
            return r
        }
        if solver == .greedy { return greedyResult("the greedy solver was requested (--solver greedy)", stats: (0, 0)) }

        // The joint model by column generation: every stage's LP bound exact, integer timetables
        // from the greedy scheduler, LP-guided rounding and branch-and-cut (see TimetableSolver).
        // The time limit bounds the whole run: what is left after building the formulation, less a
        // little for explanations and output.
        let elapsed = Date().timeIntervalSince(start)
        // The command's shared limits (from its start, reading included) when it has them.
        let budget = min(max(0, options.timeLimit - elapsed), options.run.remaining) * 0.96
        var solver = TimetableSolver(formulation: formulation, backend: backend, deadline: Date().addingTimeInterval(budget))
        solver.gap = options.gap
        solver.limits = options.run
        solver.locks = greedyLocks
        solver.initialPairsPerMentee = timetableSeedPairsPerMentee
        solver.progress = { stage, done, total in report(stage, since: start, done: done, total: total) }
        report("matching and timetabling with GLPK: \(problem.pairs.count) candidate pairs, \(formulation.stages.count) stages", since: start)
        let greedyStart = greedyTimetable()
        guard let outcome = solver.solve(start: greedyStart.map { [$0] } ?? []) else {
            return greedyResult("the \(backend.name) backend has no LP workspace for column generation", stats: (0, 0))
        }
        let size = (outcome.columns, outcome.rows)
        let method = "GLPK column generation with price-and-branch (exact LP bound per stage, reduced-cost filtering)"
        if outcome.infeasible {
            var r = finish(Timetabling(selection: [], sessions: []), status: .infeasible, solver: backend.name, fallback: nil, bound: nil,
                           approach: "joint model", matchedBound: nil, stats: (size.0, size.1, method, outcome.rawStatus))
            r.diagnosis = Diagnosis.explainInfeasible(problem, ctx)
                + (cohort.locked.contains { $0.slot != nil } ? ["locked sessions may also compete for the same mentor, mentee or room seat"] : [])
            return r
        }
        guard let t = outcome.timetable else {
            return greedyResult("GLPK found no timetable within \(options.run.cutDescription) (\(outcome.rawStatus))", stats: size)
        }
        let problems = Verifier.check(t.selection, problem, ctx) + TimetableRules.violations(t, problem, tctx)
        if !problems.isEmpty {
            return greedyResult("GLPK's answer failed verification: " + problems.prefix(3).joined(separator: "; "), stats: size)
        }
        let proven = outcome.stages.count == formulation.stages.count && outcome.stages.allSatisfy(\.optimal)
        let finalBound = outcome.stages.last?.bound.map { Int(($0 * 100).rounded()) }
        let levels = formulation.stages.indices.filter { if case .matched = formulation.stages[$0] { return true }; return false }
        let matchedBound = levels.count == 1 && !(outcome.stages.first?.optimal ?? true) ? outcome.stages.first?.bound.map { Int($0) } : nil
        var result = finish(t, status: proven ? .optimal : .feasible, solver: backend.name, fallback: nil, bound: finalBound,
                            approach: "joint model by column generation (\(outcome.columns) columns generated for \(problem.pairs.count) candidate pairs)",
                            matchedBound: matchedBound, stats: (size.0, size.1, method, outcome.rawStatus))
        result.stages = outcome.stages
        return result
    }

    /// Adds sessions, dates and timetable reasons to a result's pairs and unmatched.
    private func decorate(_ result: inout MatchResult, _ t: Timetabling, ctx: PairingContext, problem: MatchingProblem,
                          tctx: TimetableContext, keepPairs: Set<Int>) {
        let pairs = problem.pairs
        var byIDs: [PairKeyIDs: (Int, [SessionIndex])] = [:]
        for (n, p) in t.selection.enumerated() {
            byIDs[PairKeyIDs(ctx.mentor(Int(pairs.mentor[p])).id, ctx.mentee(Int(pairs.mentee[p])).id)] = (p, t.sessions[n])
        }
        for k in result.pairs.indices {
            let pair = result.pairs[k]
            guard let (p, sessions) = byIDs[PairKeyIDs(pair.mentor, pair.mentee)] else { continue }
            let i = Int(pairs.mentor[p]), j = Int(pairs.mentee[p])
            if keepPairs.contains(p) { result.pairs[k].reasons.insert("kept together from an earlier term", at: 0) }
            guard tctx.slotCount > 0 else { continue }
            result.pairs[k].sessions = sessions.map { Session(slot: tctx.setup.slots[$0.slot].id, room: tctx.setup.rooms[$0.room].id) }
            for s in sessions {
                var text = "meets \(tctx.describe(slot: s.slot)) in \(tctx.setup.rooms[s.room].name)"
                if tctx.slotBonus[s.slot] > 0 { text += ", a preferred slot" }
                let need = tctx.classFeatures[tctx.menteeClass[j]]
                if !need.isEmpty { text += " (\(naturalList(need)), as \(ctx.mentee(j).name) needs)" }
                let common = tctx.commonSlots(mentor: i, mentee: j)
                if common.count == 1 { text += "; their only common free slot" }
                result.pairs[k].reasons.append(text)
            }
            if let term = tctx.setup.term {
                let days = Array(Set(sessions.map { tctx.setup.slots[$0.slot].day })).sorted()
                let (dates, skipped) = TermCalendar.sessions(term, days: days, people: [ctx.mentor(i), ctx.mentee(j)])
                result.pairs[k].dates = dates
                result.pairs[k].skippedDates = skipped
            }
        }
        guard tctx.slotCount > 0 else { return }
        if let seats = tctx.pairsRoomsCanHold, t.selection.count >= seats, t.selection.count < problem.menteeCount {
            result.shortfalls.insert("the rooms hold at most \(seats) pair\(seats == 1 ? "" : "s") a week at their free slots, and all are used: more rooms or slots would let more pairs meet", at: 0)
        }
        // With no timetable at all (infeasible), "busy" or "full" would describe sessions that do not exist.
        guard result.status != .infeasible else { return }
        // Unmatched: say when time or space was the cause.
        var load = Array(repeating: 0, count: problem.mentorCount)
        var busyMentor = Array(repeating: Set<Int>(), count: problem.mentorCount)
        var seatsUsed: [SessionIndex: Int] = [:]
        var groupsAt: [SessionIndex: Int] = [:]
        for (n, p) in t.selection.enumerated() {
            let i = Int(pairs.mentor[p])
            load[i] += 1
            for s in t.sessions[n] { busyMentor[i].insert(s.slot); seatsUsed[s, default: 0] += 1; groupsAt[s] = i }
        }
        func roomFull(_ s: Int, _ r: Int) -> Bool {
            let used = tctx.setup.slots.indices.filter { tctx.setup.slots[$0].overlaps(tctx.setup.slots[s]) }
                .reduce(0) { $0 + (seatsUsed[SessionIndex(slot: $1, room: r)] ?? 0) }
            return tctx.format == .group ? used > 0 : used >= tctx.roomCapacity[r]
        }
        let byMentor = result.unmatched.contains { $0.role == .mentor } ? pairs.pairsByMentor() : nil
        for k in result.unmatched.indices {
            let u = result.unmatched[k]
            if u.role == .mentee, let j = ctx.menteeIndex[u.id] {
                let cands = pairs.pairs(ofMentee: j).map { Int(pairs.mentor[$0]) }
                guard !cands.isEmpty else { continue }
                let withSlot = cands.filter { tctx.canMeet(mentor: $0, mentee: j) }
                if withSlot.isEmpty {
                    result.unmatched[k].reasons = ["\(tctx.noSlotPhrase) with any compatible mentor (\(cands.count) compatible)"]
                    continue
                }
                let others = cands.count - withSlot.count
                let othersNote = others == 0 ? [] : ["\(others) other compatible mentor\(others == 1 ? " has" : "s have") \(tctx.noSlotPhrase)"]
                let open = withSlot.filter { load[$0] < problem.capacity[$0] }
                guard !open.isEmpty else {
                    let names = withSlot.map { ctx.mentor($0).name }.sorted()
                    result.unmatched[k].reasons = [withSlot.count == 1
                        ? "the only compatible mentor with a common free slot, \(names[0]), is full"
                        : "every compatible mentor with a common free slot is full (\(naturalList(names)))"] + othersNote
                    continue
                }
                let slots = Set(open.flatMap { tctx.commonSlots(mentor: $0, mentee: j) }).sorted()
                let roomsFull = slots.filter { s in tctx.roomsFor[tctx.menteeClass[j]][s].allSatisfy { roomFull(s, $0) } }
                if roomsFull.count == slots.count {
                    result.unmatched[k].reasons = [slots.count == 1
                        ? "all rooms full at their only common slot (\(tctx.describe(slot: slots[0])))"
                        : "all suitable rooms are full at every common slot (\(slots.count) slots)"] + othersNote
                } else {
                    result.unmatched[k].reasons = ["compatible mentors with a free place are busy at every common slot where a room is free"] + othersNote
                }
            } else if u.role == .mentor, let i = ctx.mentorIndex[u.id] {
                let mine = byMentor![i]
                if !mine.isEmpty && mine.allSatisfy({ !tctx.canMeet(mentor: i, mentee: Int(pairs.mentee[$0])) }) {
                    result.unmatched[k].reasons = ["\(tctx.noSlotPhrase) with any compatible mentee (\(mine.count) compatible)"]
                }
            }
        }
    }
}

private struct PairKeyIDs: Hashable {
    var mentor: PersonID, mentee: PersonID
    init(_ m: PersonID, _ e: PersonID) { mentor = m; mentee = e }
}

/// Earlier sessions (re-matching), each pair at all of its previous sessions where they are still free.
private func placePreviousSessions(_ g: inout GreedyScheduler, _ pins: [PinnedSession]) {
    var byPair: [Int: [SessionIndex]] = [:]
    for pin in pins { byPair[pin.pair, default: []].append(pin.session) }
    for (p, sessions) in byPair.sorted(by: { $0.key < $1.key }) {
        g.place(p, sessions: sessions.sorted().map { ($0.slot, Optional($0.room)) })
    }
}
