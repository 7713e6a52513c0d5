import Foundation
import Testing
@testable import PeerMatch

/// The timetable formulations (pair patterns for several sessions a week, per-room group columns)
/// against brute force, and the column generation's LP bound against the LP over every column.
@Suite struct TimetableFormulationTests {
    /// A random tiny cohort of the given format and sessions a week, and a random policy.
    func tinyCase(_ seed: UInt64, format: SessionFormat?, perWeek: Int, mentors: ClosedRange<Int>, mentees: ClosedRange<Int>,
                  slots: ClosedRange<Int>, rooms: ClosedRange<Int>) -> (Cohort, Policy) {
        var gen = RandomCohorts(seed: seed)
        let nSlots = gen.rng.int(in: slots)
        let cohort = gen.timetabledCohort(mentors: gen.rng.int(in: mentors), mentees: gen.rng.int(in: mentees), slots: nSlots,
                                          rooms: gen.rng.int(in: rooms), format: format, sessionsPerWeek: perWeek)
        return (cohort, gen.timetablePolicy(slots: nSlots))
    }

    /// Checks one cohort against brute force; returns whether it had a feasible timetable.
    func checkAgainstBruteForce(_ seed: UInt64, _ cohort: Cohort, _ policy: Policy) throws -> Bool {
        let matcher = Matcher(policy: policy)
        let (ctx, problem) = try matcher.problem(for: cohort)
        let expected = bruteForceTimetable(cohort, policy, ctx, problem)
        let result = try matcher.match(cohort)
        let format = cohort.timetable!.format, k = cohort.timetable!.sessionsPerWeek
        guard let expected else {
            #expect(result.status == .infeasible, "seed \(seed) \(format) k=\(k): brute force finds nothing feasible, got \(result.status)")
            return false
        }
        let raw = result.stats.rawStatus
        #expect(result.status == .optimal, "seed \(seed) \(format) k=\(k): \(result.status) \(raw)")
        let allOptimal = result.stages.allSatisfy { $0.optimal }
        #expect(allOptimal, "seed \(seed): \(result.stages)")
        let got = timetableValue(result, cohort, policy, ctx, problem)
        #expect(got == expected, "seed \(seed) \(format) k=\(k): glpk \(got) vs brute force \(expected)")
        let broken = independentTimetableViolations(result, cohort)
        #expect(broken.isEmpty, "seed \(seed): \(broken)")
        #expect(independentViolations(result, cohort, policy).isEmpty, "seed \(seed)")
        #expect(result.timetable?.softHundredths == independentSoftValue(result, cohort, policy), "seed \(seed)")
        return true
    }

    /// Two sessions a week as slot patterns: the optimum equals brute force over every pairing and
    /// every two sessions at different slots, in all three formats (overlapping slots included).
    @Test func twoSessionsAWeekEqualBruteForce() throws {
        var feasible = 0, paired = 0
        for seed in UInt64(1)...150 {
            let (cohort, policy) = tinyCase(seed + 20_000, format: nil, perWeek: 2, mentors: 1...3, mentees: 1...3, slots: 2...3, rooms: 1...2)
            if try checkAgainstBruteForce(seed, cohort, policy) {
                feasible += 1
                if try Matcher(policy: policy).match(cohort).matched > 0 { paired += 1 }
            }
        }
        #expect(feasible > 100)
        #expect(paired >= 30, "two sessions a week should often be possible")
    }

    /// Groups as per-room group columns: the optimum equals brute force over every pairing × slot ×
    /// room, one and two sessions a week.
    @Test func groupsEqualBruteForce() throws {
        var feasible = 0
        for seed in UInt64(1)...120 {
            let perWeek = seed % 3 == 0 ? 2 : 1
            let (cohort, policy) = tinyCase(seed + 30_000, format: .group, perWeek: perWeek, mentors: 1...2,
                                            mentees: perWeek == 2 ? 1...3 : 2...5, slots: 1...3, rooms: 1...2)
            if try checkAgainstBruteForce(seed, cohort, policy) { feasible += 1 }
        }
        #expect(feasible > 80)
    }

    /// The formulation, a master with only its auxiliary columns, and a workspace.
    func formulation(_ cohort: Cohort, _ policy: Policy) throws -> TimetableFormulation {
        let (_, problem) = try Matcher(policy: policy).problem(for: cohort)
        return TimetableFormulation(problem: problem, tctx: TimetableContext(cohort: cohort, policy: policy), policy: policy)
    }

    /// Every column of the formulation.
    func allColumns(_ f: TimetableFormulation, _ master: TimetableMaster, stage t: Int) -> [TimetableColumn] {
        f.price(duals: [Double](repeating: 0, count: master.sink.rowCount), stage: t, presence: master.presence,
                tolerance: -.infinity, limit: .max, slack: { _ in .infinity }).entering.map(\.key)
    }

    /// Pricing computed from per-pair and per-session sums equals c − Σ a·dual from each column's
    /// own entries, for random duals, in every format and stage.
    @Test func pricingEqualsTheReducedCostOfEachColumn() throws {
        var checked = 0
        for seed in UInt64(1)...60 {
            let (cohort, policy) = tinyCase(seed + 40_000, format: nil, perWeek: seed % 4 == 0 ? 2 : 1, mentors: 1...4, mentees: 1...8,
                                            slots: 1...4, rooms: 1...3)
            let f = try formulation(cohort, policy)
            let master = TimetableMaster(f, sink: LinearModelBuilder())
            var rng = SeededRandom(seed: seed)
            for t in f.stages.indices {
                let duals = (0..<master.sink.rowCount).map { _ in rng.double(in: -5...5) }
                let priced = f.price(duals: duals, stage: t, presence: master.presence, tolerance: -.infinity, limit: .max,
                                     slack: { _ in .infinity })
                for (key, d) in priced.entering {
                    let (rows, coefs) = f.entries(key)
                    let expected = f.objective(key, stage: t) - zip(rows, coefs).reduce(0) { $0 + $1.1 * duals[Int($1.0)] }
                    #expect(abs(d - expected) < 1e-9, "seed \(seed) stage \(t) \(key): \(d) vs \(expected)")
                    checked += 1
                }
                // Each group's maximum is the largest reduced cost of its columns (at least 0). Groups:
                // at most that, since the absent members' bound rows take duals μ ≥ 0 (the mentor's
                // maximum is then a pattern's value as a whole group: checked against the full LP in
                // TimetableStabilisationTests).
                var groupMax = [Double](repeating: 0, count: priced.groupMax.count)
                for (key, d) in priced.entering { groupMax[f.lagrangianGroup(key)] = max(groupMax[f.lagrangianGroup(key)], d) }
                if f.isGroup {
                    #expect(zip(groupMax, priced.groupMax).prefix(f.problem.menteeCount).allSatisfy { $1 <= $0 + 1e-9 }, "seed \(seed) stage \(t)")
                } else {
                    #expect(zip(groupMax, priced.groupMax).allSatisfy { abs($0 - $1) < 1e-9 }, "seed \(seed) stage \(t)")
                }
            }
        }
        #expect(checked > 1500)
    }

    /// Column generation from a master with no session columns converges to the value of the LP
    /// over every column and row (built whole and solved directly; group members' bounds, which it
    /// adds as cuts, included), in each stage's objective; its Lagrangian bound at convergence is
    /// that value too.
    @Test func columnGenerationBoundEqualsTheFullLP() throws {
        var generatedFewer = 0, compared = 0
        for seed in UInt64(1)...80 {
            var (cohort, policy) = tinyCase(seed + 50_000, format: nil, perWeek: seed % 4 == 0 ? 2 : 1, mentors: 2...6, mentees: 4...14,
                                            slots: 2...5, rooms: 1...3)
            policy.mentorMinimum.mode = .soft   // a hard minimum can make the bare master infeasible
            cohort.history = []
            let f = try formulation(cohort, policy)
            for t in Set([0, f.stages.count - 1]).sorted() {
                let full = try #require(GLPKBackend().makeWorkspace())
                let whole = TimetableMaster(f, sink: full)
                whole.stage = t
                let all = allColumns(f, whole, stage: t)
                whole.add(all)
                whole.addMemberBounds(violatedAt: nil)
                full.setObjective(whole.objective(stage: t))
                guard case .optimal(let expected) = full.solveLP(deadline: .distantFuture, dual: false) else {
                    Issue.record("seed \(seed): the full LP did not solve"); continue
                }
                let (master, cg) = try generatedFromScratch(f, stage: t)
                #expect(cg.converged, "seed \(seed) stage \(t): \(cg.note)")
                let got = try #require(cg.lpValue)
                #expect(abs(got - expected) <= 1e-6 * max(1, abs(expected)), "seed \(seed) stage \(t): column generation \(got), full LP \(expected)")
                #expect(abs(cg.lastBound - expected) <= 1e-5 * max(1, abs(expected)), "seed \(seed) stage \(t): Lagrangian \(cg.lastBound), LP \(expected)")
                if master.columnCount < whole.columnCount { generatedFewer += 1 }
                compared += 1
            }
        }
        #expect(compared > 120)
        #expect(generatedFewer > 40, "pricing should leave many columns out")
    }

    /// Column generation from a master with only its auxiliary columns, 3 columns a round (so that
    /// pricing takes many rounds), with this dual smoothing.
    func generatedFromScratch(_ f: TimetableFormulation, stage t: Int, smoothing: Double = 0.5) throws
        -> (TimetableMaster, TimetableSolver.ColumnGeneration) {
        let ws = try #require(GLPKBackend().makeWorkspace())
        let master = TimetableMaster(f, sink: ws)
        master.stage = t
        ws.setObjective(master.objective(stage: t))
        var solver = TimetableSolver(formulation: f, backend: GLPKBackend(), deadline: .distantFuture)
        solver.columnsPerRound = 3
        solver.smoothing = smoothing
        return (master, solver.generateColumns(ws, master, stage: t, deadline: .distantFuture, incumbent: nil))
    }

    /// With almost no time, every stage still runs, keeps an incumbent and reports; the timetable
    /// keeps every rule. (Not a timing test: it asserts what a run that runs out does.)
    @Test func stagesDoNotStarve() throws {
        for seed in UInt64(1)...20 {
            var (cohort, policy) = tinyCase(seed + 60_000, format: nil, perWeek: 1, mentors: 3...6, mentees: 8...14, slots: 3...5, rooms: 1...3)
            cohort.history = []
            let result = try Matcher(policy: policy, options: SolveOptions(timeLimit: 1e-6)).match(cohort)
            guard result.status != .infeasible else { continue }
            let f = try formulation(cohort, policy)
            if result.status != .fallback {
                #expect(result.stages.count == f.stages.count, "seed \(seed): \(result.stages)")
                #expect(result.stages.last?.name == "total score with timetable terms")
            }
            #expect(independentTimetableViolations(result, cohort).isEmpty, "seed \(seed)")
            #expect(independentViolations(result, cohort, policy).isEmpty, "seed \(seed)")
        }
    }
}
