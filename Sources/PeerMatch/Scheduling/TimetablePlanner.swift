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

    /// Pair and session columns above which the joint model is solved by decomposition (match, then timetable the
    /// chosen pairs plus a few alternatives per mentee, then repair greedily).
    public static let defaultJointColumnLimit = 60_000

    func matchTimetabled(_ cohort: Cohort, previous: PreviousResult?, maxChanges: Int?) throws -> MatchResult {
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

        func finish(_ t: Timetabling, status: MatchStatus, solver: String, fallback: String?, bound: Int?,
                    approach: String, matchedBound: Int?, stats: (Int, Int, String, String)) -> MatchResult {
            var result = assemble(ctx, problem, Outcome(selection: t.selection, status: status, solver: solver, fallback: fallback,
                                                        bound: bound, diagnosis: [], stats: stats), start: start)
            let changes = plan?.changes(t, problem: problem, ctx: ctx, tctx: tctx, maxChanges: limit)
            decorate(&result, t, ctx: ctx, problem: problem, tctx: tctx, keepPairs: plan == nil ? Set(keepPairs) : [])
            result.notes += plan?.departureNotes(ctx: ctx) ?? []
            result.timetable = TimetableReport(setup: tctx.setup, softHundredths: TimetableRules.softValue(t, problem, tctx, policy),
                                               approach: approach, matchedBound: matchedBound, changes: changes, maxChanges: limit)
            return result
        }
        func greedyResult(_ reason: String, stats: (Int, Int)) -> MatchResult {
            var g = GreedyScheduler(problem: problem, tctx: tctx)
            var lockedOK = true
            for lock in greedyLocks {
                let ok = lock.room.map { g.place(lock.pair, only: SessionIndex(slot: lock.slot!, room: $0)) } ?? g.place(lock.pair, onlySlot: lock.slot)
                lockedOK = lockedOK && ok
            }
            for pin in optionalPins { g.place(pin.pair, only: pin.session) }
            for p in keepPairs { g.place(p) }
            for p in GreedyScheduler.priorityOrder(problem) { g.place(p) }
            let t = Timetabling(selection: g.placed.map(\.pair), sessions: g.placed.map(\.sessions))
            if !lockedOK || (problem.hasHardMinimum && !problem.violations(t.selection).isEmpty) {
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

        // Session columns x(p,s), counted before building anything: the joint model's size.
        let sessionColumns = (0..<problem.pairs.count).reduce(0) {
            $0 + tctx.commonSlots(mentor: Int(problem.pairs.mentor[$1]), mentee: Int(problem.pairs.mentee[$1])).count
        }
        if sessionColumns > jointColumnLimit && plan == nil {
            return decomposed(cohort, ctx: ctx, problem: problem, tctx: tctx, slotLocks: slotLocks, pins: pins,
                              keepPairs: keepPairs, jointSize: (sessionColumns + problem.pairs.count, 0), finish: finish, greedy: greedyResult)
        }
        var tm = TimetableModel(problem: problem, tctx: tctx, policy: policy, slotLocks: slotLocks, pins: pins + optionalPins,
                                keepPairs: keepPairs, maxChanges: limit)
        tm.attachHeuristic(locks: greedyLocks)
        let size = (tm.model.columnCount, tm.model.rowCount)
        report("matching and timetabling with GLPK: \(problem.pairs.count) candidate pairs, \(size.0) columns", since: start)
        let solution = backend.solve(tm.model, options: options)
        switch solution.termination {
        case .infeasible:
            var r = finish(Timetabling(selection: [], sessions: []), status: .infeasible, solver: backend.name, fallback: nil, bound: nil,
                           approach: "joint model", matchedBound: nil, stats: (size.0, size.1, solution.method, solution.rawStatus))
            r.diagnosis = Diagnosis.explainInfeasible(problem, ctx)
                + (cohort.locked.contains { $0.slot != nil } ? ["locked sessions may also compete for the same mentor, mentee or room seat"] : [])
            return r
        case .failed where solution.values == nil, .timeLimit where solution.values == nil:
            let why = solution.termination == .failed ? "GLPK failed (\(solution.rawStatus))"
                : "GLPK reached \(options.run.cutDescription) without a timetable (\(solution.rawStatus))"
            return greedyResult(why, stats: size)
        default: break
        }
        let t = tm.timetabling(from: solution.values ?? [])
        let problems = Verifier.check(t.selection, problem, ctx) + TimetableRules.violations(t, problem, tctx)
        if !problems.isEmpty {
            return greedyResult("GLPK's answer failed verification: " + problems.prefix(3).joined(separator: "; "), stats: size)
        }
        let complete = solution.stageValues.count == tm.model.stages.count
        let status: MatchStatus = solution.termination == .optimal && complete ? .optimal : .feasible
        let bound = complete ? solution.bound.map { Int($0.rounded(.down)) } : nil
        return finish(t, status: status, solver: backend.name, fallback: nil, bound: bound, approach: "joint model",
                      matchedBound: nil, stats: (size.0, size.1, solution.method, solution.rawStatus))
    }

    /// Too large for one model in the time limit: match without the timetable (a relaxation, so its
    /// optimum bounds the joint one), then solve the joint model on the matched pairs plus each
    /// mentee's next best candidates, then place anyone left greedily.
    private func decomposed(_ cohort: Cohort, ctx: PairingContext, problem: MatchingProblem, tctx: TimetableContext,
                            slotLocks: [Int: Int], pins: [PinnedSession], keepPairs: [Int], jointSize: (Int, Int),
                            finish: (Timetabling, MatchStatus, String, String?, Int?, String, Int?, (Int, Int, String, String)) -> MatchResult,
                            greedy: (String, (Int, Int)) -> MatchResult) -> MatchResult {
        let start = Date()
        report("timetabling by decomposition: matching first, then \(problem.menteeCount) mentees' sessions", since: start)
        // The relaxation: only pairs with a common slot, each mentor capped at the sessions they can
        // hold (one per clique of overlapping slots they are free at, divided by sessions a week).
        let pairs = problem.pairs
        let schedulable = (0..<pairs.count).filter { tctx.canMeet(mentor: Int(pairs.mentor[$0]), mentee: Int(pairs.mentee[$0])) }
        let relaxedPairs = CandidatePairs(mentorCount: pairs.mentorCount, menteeCount: pairs.menteeCount,
                                          pairs: schedulable.map { (Int(pairs.mentor[$0]), Int(pairs.mentee[$0]), pairs.score[$0]) })
        let k = tctx.sessionsPerWeek
        let relaxedCapacity = (0..<pairs.mentorCount).map { i in
            tctx.format == .group ? problem.capacity[i]
                : min(problem.capacity[i], tctx.cliques.filter { $0.contains { tctx.mentorFree[i][$0] } }.count / k)
        }
        let relaxedProblem = MatchingProblem(pairs: relaxedPairs, capacity: relaxedCapacity, priority: problem.priority)
        let relaxed = MatchingModel(relaxedProblem)
        var relaxedOptions = SolveOptions(timeLimit: options.timeLimit / 4, gap: 0)
        relaxedOptions.limits = options.run.within(seconds: options.timeLimit / 4)
        let first = backend.solve(relaxed.model, options: relaxedOptions)
        guard let values = first.values else { return greedy("the matching step found nothing (\(first.rawStatus))", jointSize) }
        let relaxedEval = relaxedProblem.evaluate(relaxed.selection(from: values))
        let relaxedComplete = first.termination == .optimal && first.stageValues.count == relaxed.model.stages.count
        let matching = relaxed.selection(from: values).map { schedulable[$0] }
        // Seats: each room holds at most its capacity in each clique of overlapping slots it is free at.
        let seats = tctx.pairsRoomsCanHold ?? Int.max
        var keep = Set(matching)
        keep.formUnion(pins.map(\.pair)); keep.formUnion(slotLocks.keys); keep.formUnion(keepPairs); keep.formUnion(problem.locked)
        let perMentee = 3
        for j in 0..<pairs.menteeCount {
            let options = pairs.pairs(ofMentee: j).filter { p in
                tctx.canMeet(mentor: Int(pairs.mentor[p]), mentee: j)
            }.sorted { (pairs.score[$0], -$0) > (pairs.score[$1], -$1) }
            keep.formUnion(options.prefix(perMentee))
        }
        let kept = keep.sorted()
        let sub = CandidatePairs(mentorCount: pairs.mentorCount, menteeCount: pairs.menteeCount,
                                 pairs: kept.map { (Int(pairs.mentor[$0]), Int(pairs.mentee[$0]), pairs.score[$0]) })
        var subIndex: [Int: Int] = [:]
        for p in kept { subIndex[p] = sub.index(mentor: Int(pairs.mentor[p]), mentee: Int(pairs.mentee[p]))! }
        let subProblem = MatchingProblem(pairs: sub, capacity: problem.capacity, priority: problem.priority,
                                         minimum: ctx.policy.mentorMinimum.count, minimumMode: ctx.policy.mentorMinimum.mode,
                                         locked: problem.locked.map { subIndex[$0]! })
        var tm = TimetableModel(problem: subProblem, tctx: tctx, policy: policy,
                                slotLocks: Dictionary(uniqueKeysWithValues: slotLocks.map { (subIndex[$0.key]!, $0.value) }),
                                pins: pins.map { PinnedSession(pair: subIndex[$0.pair]!, session: $0.session, fixed: $0.fixed) },
                                keepPairs: keepPairs.map { subIndex[$0]! })
        tm.attachHeuristic(locks: slotLocks.map { (subIndex[$0.key]!, Optional($0.value), Int?.none) }.sorted { $0.0 < $1.0 }
                           + pins.map { (subIndex[$0.pair]!, Optional($0.session.slot), Optional($0.session.room)) })
        var jointOptions = SolveOptions(timeLimit: options.timeLimit, gap: options.gap)
        jointOptions.limits = options.run   // the rest of the command's time and work
        let solution = backend.solve(tm.model, options: jointOptions)
        guard let subValues = solution.values else {
            return greedy("the decomposed timetable model found nothing (\(solution.rawStatus))", jointSize)
        }
        let subT = tm.timetabling(from: subValues)
        let back = Dictionary(uniqueKeysWithValues: kept.map { (subIndex[$0]!, $0) })
        // Repair: place every mentee still unmatched, if any candidate and a session are free.
        var g = GreedyScheduler(problem: problem, tctx: tctx)
        for (n, p) in subT.selection.enumerated() {
            let full = back[p]!
            _ = g.placeExact(full, subT.sessions[n])
        }
        let byPriority = GreedyScheduler.priorityOrder(problem)
        for p in byPriority { g.place(p) }
        let t = Timetabling(selection: g.placed.map(\.pair), sessions: g.placed.map(\.sessions))
        let problems = Verifier.check(t.selection, problem, ctx) + TimetableRules.violations(t, problem, tctx)
        if !problems.isEmpty { return greedy("the decomposed timetable failed verification: " + problems.prefix(3).joined(separator: "; "), jointSize) }
        // Bounds: matched ≤ the relaxation's matched and the seats; total ≤ the best score of at most
        // that many relaxed pairs plus the largest slot bonus for each of their sessions (penalties only
        // lower it). The score part is a Lagrangian bound: for any λ ≥ 0,
        // max Σ (score − λ)·y + λ·M ≥ max { Σ score·y : Σ y ≤ M }; each λ is one network solve.
        let matchedBound = relaxedComplete ? min(relaxedEval.matched, seats) : nil
        let maxBonus = max(0, tctx.slotBonus.max() ?? 0) * k
        let cap = matchedBound ?? pairs.menteeCount
        var bestScoreBound: Int? = nil
        var lo = 0, hi = max(0, relaxedPairs.score.max() ?? 0)
        let boundLimits = options.run.within(seconds: options.timeLimit / 5)
        for _ in 0..<8 where boundLimits.check(stage: "timetable: lower bound") == nil {
            let lambda = (lo + hi) / 2
            var m = relaxed.model
            m.stages = [.init(name: "score − λ", objective: .expression(columns: (0..<relaxedPairs.count).map { Int32($0) },
                                                                          coefficients: relaxedPairs.score.map { Double($0 - lambda) }),
                              integral: true)]
            var boundOptions = SolveOptions(timeLimit: options.timeLimit / 5, gap: 0)
            boundOptions.limits = boundLimits
            let sol = backend.solve(m, options: boundOptions)
            guard sol.termination == .optimal, let v = sol.stageValues.last, let x = sol.values else { break }
            let value = Int(v.rounded(.down)) + lambda * cap
            bestScoreBound = min(bestScoreBound ?? value, value)
            let used = (0..<relaxedPairs.count).filter { x[$0] > 0.5 }.count
            if used > cap { lo = lambda + 1 } else { hi = lambda }
            if lo >= hi { break }
        }
        let bound: Int? = bestScoreBound.map { $0 + maxBonus * cap }
        let approach = "decomposed (joint model of at least \(jointSize.0) columns, over the limit of \(jointColumnLimit)): a matching relaxation "
            + "(pairs with a common slot, mentors capped by their free slots) bounds the matched count together with the room seats, "
            + "then the joint model on the \(kept.count) most promising pairs (\(tm.model.columnCount) columns, \(solution.termination.rawValue)), then greedy repair"
        return finish(t, .feasible, backend.name, nil, bound, approach, matchedBound,
                      (tm.model.columnCount, tm.model.rowCount, "decomposed: " + solution.method, solution.rawStatus))
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

extension GreedyScheduler {
    /// Places pair p at exactly these sessions (from a model solution), if they are still free.
    mutating func placeExact(_ p: Int, _ sessions: [SessionIndex]) -> Bool {
        guard let first = sessions.first else { return false }
        if sessions.count == 1 { return place(p, only: first) }
        return place(p, onlySlot: first.slot)
    }
}
