import Foundation
import Testing
@testable import PeerMatch

/// The mentor-days rows per clique of overlapping slots (issue 12): d(i,day) ≥ Σ_{s ∈ K} sessions
/// of mentor i at s for each maximal clique K of the day, in place of d ≥ the sessions at each slot
/// plus Σ_K ≤ 1. Checked against brute force (valid: no timetable is cut off) and against the
/// per-slot form (the LP bound is never weaker, and tighter on some cohorts).
@Suite struct TimetableMentorDaysTests {
    /// A tiny pair-format cohort whose slots overlap (s0 and s1 on Monday, 12:00–12:45 and
    /// 12:30–13:00) and span at least two days, with mentors who can take several mentees and a
    /// mentor-days cost > 0.
    func overlappingCase(_ seed: UInt64, perWeek: Int, mentors: ClosedRange<Int>, mentees: ClosedRange<Int>,
                         slots: ClosedRange<Int>, rooms: ClosedRange<Int>) -> (Cohort, Policy) {
        var gen = RandomCohorts(seed: seed)
        let nSlots = gen.rng.int(in: slots)
        let format: SessionFormat = gen.rng.chance(0.5) ? .oneToOne : .pairsInRoom
        var cohort = gen.timetabledCohort(mentors: gen.rng.int(in: mentors), mentees: gen.rng.int(in: mentees), slots: nSlots,
                                          rooms: gen.rng.int(in: rooms), format: format, sessionsPerWeek: perWeek)
        // Same ids (availability refers to them), new times: an overlapping pair on Monday, the rest
        // on Wednesday or Friday (one of the three times each).
        let starts = ["12:00", "12:30", "15:30"], ends = ["12:45", "13:00", "16:30"]
        var setup = cohort.timetable!
        for s in setup.slots.indices {
            let t = s < 2 ? s : gen.rng.int(3)
            let day: Weekday = s < 2 ? .mon : (gen.rng.chance(0.5) ? .wed : .fri)
            setup.slots[s] = Slot(id: "s\(s)", day: day, start: ClockTime(starts[t])!, end: ClockTime(ends[t])!,
                                  label: t == 2 ? "After school" : "Lunch")
        }
        cohort.timetable = setup
        for i in cohort.mentors.indices { cohort.mentors[i].capacity = gen.rng.int(in: 2...3) }
        var policy = gen.timetablePolicy(slots: nSlots)
        policy.timetable.mentorDays = [1, 2.5, 4][gen.rng.int(3)]
        return (cohort, policy)
    }

    /// The LP value of the total stage over every column, with the given day rows.
    func totalLP(_ cohort: Cohort, _ policy: Policy, _ dayRows: TimetableFormulation.DayRows,
                 _ activeRows: TimetableFormulation.ActiveRows = .daysAndSessions) throws -> Double? {
        let (_, problem) = try Matcher(policy: policy).problem(for: cohort)
        let f = TimetableFormulation(problem: problem, tctx: TimetableContext(cohort: cohort, policy: policy), policy: policy,
                                     dayRows: dayRows, activeRows: activeRows)
        let t = f.stages.count - 1
        let ws = try #require(GLPKBackend().makeWorkspace())
        let master = TimetableMaster(f, sink: ws)
        master.stage = t
        let all = f.price(duals: [Double](repeating: 0, count: master.sink.rowCount), stage: t, presence: master.presence,
                          tolerance: -.infinity, limit: .max, slack: { _ in .infinity }).entering.map(\.key)
        master.add(all)
        ws.setObjective(master.objective(stage: t))
        guard case .optimal(let v) = ws.solveLP(deadline: .distantFuture, dual: false) else { return nil }
        return v
    }

    /// The solver's optimum equals brute force on cohorts with overlapping slots and mentor days > 0,
    /// one and two sessions a week: the clique rows cut off no timetable.
    @Test func overlappingMentorDaysEqualBruteForce() throws {
        var feasible = 0, spread = 0
        let brute = TimetableFormulationTests()
        for seed in UInt64(1)...90 {
            let perWeek = seed % 3 == 0 ? 2 : 1
            let (cohort, policy) = overlappingCase(seed + 70_000, perWeek: perWeek, mentors: 1...2,
                                                   mentees: perWeek == 2 ? 2...3 : 2...4, slots: 3...4, rooms: 1...2)
            if try brute.checkAgainstBruteForce(seed, cohort, policy) {
                feasible += 1
                let result = try Matcher(policy: policy).match(cohort)
                // Some optimum should pay for a mentor meeting on two days, or the term is not exercised.
                var days: [PersonID: Set<Weekday>] = [:]
                for p in result.pairs { for s in p.sessions { days[p.mentor, default: []].insert(cohort.timetable!.slots.first { $0.id == s.slot }!.day) } }
                if days.values.contains(where: { $0.count > 1 }) { spread += 1 }
            }
        }
        #expect(feasible > 60)
        #expect(spread >= 5, "mentors on two days should occur: \(spread)")
    }

    /// The LP bound of the total stage with the clique rows is at least the brute-force optimum's
    /// total (a valid bound) and at most the per-slot form's (never weaker); strictly below it on
    /// some cohorts.
    @Test func cliqueDayRowsBoundIsValidAndNoWeaker() throws {
        var compared = 0, tighter = 0
        for seed in UInt64(1)...90 {
            let perWeek = seed % 3 == 0 ? 2 : 1
            var (cohort, policy) = overlappingCase(seed + 80_000, perWeek: perWeek, mentors: 1...2,
                                                   mentees: perWeek == 2 ? 2...3 : 2...4, slots: 3...4, rooms: 1...2)
            cohort.history = []
            cohort.locked = []
            policy.mentorMinimum.mode = .soft
            let (ctx, problem) = try Matcher(policy: policy).problem(for: cohort)
            guard let best = bruteForceTimetable(cohort, policy, ctx, problem),
                  let strong = try totalLP(cohort, policy, .perClique), let weak = try totalLP(cohort, policy, .perSlot) else { continue }
            // The total stage alone (earlier stages not fixed) bounds every timetable's total, the
            // lexicographic optimum's included.
            #expect(strong >= Double(best.total) - 1e-6, "seed \(seed): clique LP \(strong) below the optimum's total \(best.total)")
            #expect(strong <= weak + 1e-6, "seed \(seed): clique LP \(strong) weaker than per-slot \(weak)")
            if strong < weak - 1e-6 { tighter += 1 }
            compared += 1
        }
        #expect(compared > 60)
        #expect(tighter >= 3, "the clique rows should tighten some cohorts' LP: \(tighter)")
    }

    /// A tiny pair-format cohort with two sessions a week, one room and one lunch slot a day
    /// (Monday to Friday, then round again), mentors taking two or three mentees, mentor days > 0:
    /// every pattern spans two days, and more mentees than the room's sessions can seat.
    func twiceAWeekCase(_ seed: UInt64) -> (Cohort, Policy) {
        var gen = RandomCohorts(seed: seed)
        let nSlots = gen.rng.int(in: 4...5)
        var cohort = gen.timetabledCohort(mentors: gen.rng.int(in: 1...2), mentees: gen.rng.int(in: 3...4), slots: nSlots,
                                          rooms: 1, format: gen.rng.chance(0.5) ? .oneToOne : .pairsInRoom, sessionsPerWeek: 2)
        var setup = cohort.timetable!
        let days: [Weekday] = [.mon, .tue, .wed, .thu, .fri]
        for s in setup.slots.indices {
            setup.slots[s] = Slot(id: "s\(s)", day: days[s % days.count], start: ClockTime("12:00")!, end: ClockTime("12:45")!, label: "Lunch")
        }
        setup.rooms[0].availability = nil
        setup.rooms[0].features = []
        cohort.timetable = setup
        cohort.history = []
        cohort.locked = []
        for i in cohort.mentors.indices { cohort.mentors[i].capacity = gen.rng.int(in: 2...3) }
        var policy = gen.timetablePolicy(slots: nSlots)
        policy.timetable.mentorDays = [1, 2.5, 4][gen.rng.int(3)]
        policy.mentorMinimum.mode = .soft
        return (cohort, policy)
    }

    /// The first-day credit a(i) bounded by the mentor's sessions as well as by its days (two
    /// sessions a week): the total stage's LP is still at least the brute-force optimum's total
    /// (valid) and at most the LP with a(i) ≤ Σ d alone (never weaker), strictly below it on some
    /// cohorts, where fractions of a mentor's pairs spread over several days made Σ d = 1 and gave
    /// back a whole first day for part of a mentor's sessions. The solver's optimum still equals
    /// brute force on them.
    @Test func activeBoundBySessionsIsValidAndNoWeaker() throws {
        var compared = 0, tighter = 0, solved = 0
        let brute = TimetableFormulationTests()
        for seed in UInt64(1)...150 {
            let (cohort, policy) = twiceAWeekCase(seed + 90_000)
            let (ctx, problem) = try Matcher(policy: policy).problem(for: cohort)
            guard let best = bruteForceTimetable(cohort, policy, ctx, problem),
                  let strong = try totalLP(cohort, policy, .perClique, .daysAndSessions),
                  let weak = try totalLP(cohort, policy, .perClique, .daysOnly) else { continue }
            #expect(strong >= Double(best.total) - 1e-6, "seed \(seed): LP \(strong) below the optimum's total \(best.total)")
            #expect(strong <= weak + 1e-6, "seed \(seed): LP \(strong) weaker than without the sessions row \(weak)")
            if strong < weak - 1e-6 {
                tighter += 1
                if try brute.checkAgainstBruteForce(seed, cohort, policy) { solved += 1 }
            }
            compared += 1
        }
        #expect(compared > 120)
        #expect(tighter >= 5, "the sessions row should tighten some cohorts' LP: \(tighter)")
        #expect(solved == tighter, "every tightened cohort should have a timetable the brute force checks: \(solved) of \(tighter)")
    }
}
