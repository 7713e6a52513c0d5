import Foundation
import Testing
@testable import PeerMatch

/// Column generation with Wentges dual smoothing (issue 12: groups with two sessions a week tailed
/// off without converging): the LP value it converges to is the LP over every column, its bounds on
/// the way are valid, the Lagrangian bound at any duals is an upper bound, and the solver's optimum
/// still equals brute force.
@Suite struct TimetableStabilisationTests {
    /// A random small group cohort with two sessions a week, rooms large enough for groups and
    /// mentors who take several mentees.
    func groupCase(_ seed: UInt64, mentors: ClosedRange<Int>, mentees: ClosedRange<Int>, slots: ClosedRange<Int>,
                   rooms: ClosedRange<Int>) -> (Cohort, Policy) {
        var gen = RandomCohorts(seed: seed)
        let nSlots = gen.rng.int(in: slots)
        var cohort = gen.timetabledCohort(mentors: gen.rng.int(in: mentors), mentees: gen.rng.int(in: mentees), slots: nSlots,
                                          rooms: gen.rng.int(in: rooms), format: .group, sessionsPerWeek: 2)
        var setup = cohort.timetable!
        for r in setup.rooms.indices { setup.rooms[r].capacity = gen.rng.int(in: 2...5) }
        cohort.timetable = setup
        for i in cohort.mentors.indices { cohort.mentors[i].capacity = gen.rng.int(in: 1...4) }
        cohort.history = []
        var policy = gen.timetablePolicy(slots: nSlots)
        policy.mentorMinimum.mode = .soft   // a hard minimum can make the bare master infeasible
        return (cohort, policy)
    }

    func formulation(_ cohort: Cohort, _ policy: Policy) throws -> TimetableFormulation {
        let (_, problem) = try Matcher(policy: policy).problem(for: cohort)
        return TimetableFormulation(problem: problem, tctx: TimetableContext(cohort: cohort, policy: policy), policy: policy)
    }

    /// The LP over every column and row (members' bounds included), solved directly.
    func fullLP(_ f: TimetableFormulation, stage t: Int) throws -> (value: Double, master: TimetableMaster, ws: any LPWorkspace)? {
        let ws = try #require(GLPKBackend().makeWorkspace())
        let whole = TimetableMaster(f, sink: ws)
        whole.stage = t
        whole.add(TimetableFormulationTests().allColumns(f, whole, stage: t))
        whole.addMemberBounds(violatedAt: nil)
        ws.setObjective(whole.objective(stage: t))
        guard case .optimal(let v) = ws.solveLP(deadline: .distantFuture, dual: false) else { return nil }
        return (v, whole, ws)
    }

    /// From a master with no session columns and a few columns a round, smoothed column generation
    /// converges to the full LP's value (and with smoothing off too), its Lagrangian bound at the
    /// end is that value, and no bound it reports on the way is below it.
    @Test func smoothedColumnGenerationEqualsTheFullLP() throws {
        var compared = 0, smoothed = 0, mispriced = 0
        for seed in UInt64(1)...40 {
            let (cohort, policy) = groupCase(seed + 70_000, mentors: 2...4, mentees: 4...10, slots: 3...5, rooms: 1...3)
            let f = try formulation(cohort, policy)
            for t in Set([0, f.stages.count - 1]).sorted() {
                guard let full = try fullLP(f, stage: t) else { Issue.record("seed \(seed): the full LP did not solve"); continue }
                let expected = full.value, tol = 1e-6 * max(1, abs(full.value))
                for alpha in [0.0, 0.5, 0.8] {
                    let (_, cg) = try TimetableFormulationTests().generatedFromScratch(f, stage: t, smoothing: alpha)
                    #expect(cg.converged, "seed \(seed) stage \(t) α \(alpha): \(cg.note)")
                    let got = try #require(cg.lpValue)
                    #expect(abs(got - expected) <= tol, "seed \(seed) stage \(t) α \(alpha): column generation \(got), full LP \(expected)")
                    #expect(abs(cg.lastBound - expected) <= 10 * tol, "seed \(seed) stage \(t) α \(alpha): Lagrangian \(cg.lastBound), LP \(expected)")
                    #expect(cg.bound >= expected - 10 * tol, "seed \(seed) stage \(t) α \(alpha): bound \(cg.bound) below the LP \(expected)")
                    if alpha > 0 { smoothed += cg.smoothedRounds; mispriced += cg.mispriced } else { #expect(cg.smoothedRounds == 0) }
                    compared += 1
                }
            }
        }
        #expect(compared > 150)
        #expect(smoothed > 20, "smoothed duals should choose the entering columns in many rounds")
        #expect(mispriced > 0, "some rounds should mis-price and fall back to the LP's duals")
    }

    /// The Lagrangian bound at any duals of the right signs is at least the LP over every column
    /// (groups with two sessions a week and pair formats), and at that LP's own duals it is the LP value.
    @Test func lagrangianBoundAtAnyDualsIsAnUpperBound() throws {
        var checked = 0
        for seed in UInt64(1)...30 {
            let (cohort, policy): (Cohort, Policy)
            if seed % 2 == 0 {
                (cohort, policy) = groupCase(seed + 80_000, mentors: 2...4, mentees: 3...8, slots: 3...4, rooms: 1...3)
            } else {
                var gen = RandomCohorts(seed: seed + 80_000)
                var c = gen.timetabledCohort(mentors: gen.rng.int(in: 2...4), mentees: gen.rng.int(in: 3...8), slots: 3,
                                             rooms: 2, format: seed % 4 == 1 ? .oneToOne : .pairsInRoom, sessionsPerWeek: 1 + Int(seed % 3 == 0 ? 1 : 0))
                c.history = []
                var p = gen.timetablePolicy(slots: 3)
                p.mentorMinimum.mode = .soft
                (cohort, policy) = (c, p)
            }
            let f = try formulation(cohort, policy)
            let t = f.stages.count - 1
            guard let full = try fullLP(f, stage: t) else { Issue.record("seed \(seed): the full LP did not solve"); continue }
            let objective = full.master.objective(stage: t)
            let noAbsent = [Double](repeating: 0, count: f.problem.menteeCount + f.problem.mentorCount)
            let atLP = full.master.lagrangianBound(duals: full.ws.rowDuals(), objective: objective, absentMax: noAbsent)
            #expect(abs(atLP - full.value) <= 1e-5 * max(1, abs(full.value)), "seed \(seed): at the LP's duals \(atLP), LP \(full.value)")
            var rng = SeededRandom(seed: seed)
            for _ in 0..<20 {
                let duals = full.master.rowBounds.map { b -> Double in
                    let v = rng.double(in: -300...300)
                    if b.lower == -.infinity && b.upper == .infinity { return 0 }
                    if b.lower == -.infinity { return abs(v) }
                    if b.upper == .infinity { return -abs(v) }
                    return v
                }
                let lb = full.master.lagrangianBound(duals: duals, objective: objective, absentMax: noAbsent)
                #expect(lb >= full.value - 1e-6 * max(1, abs(full.value)), "seed \(seed): L(π) \(lb) below the LP \(full.value)")
                checked += 1
            }
        }
        #expect(checked >= 500)
    }

    /// Branch-and-cut starts from the LP over its columns with every member's bound, not only the
    /// bounds column generation met as cuts: after converged column generation, with every other
    /// column added (as price-and-branch adds those within the gap), the LP after
    /// `completeForBranchAndCut` is the full LP's value; without it the LP is above that on some
    /// cohorts (the loose root that kept groups with two sessions a week unproven in the `small` suite).
    @Test func branchAndCutStartsFromTheFullLP() throws {
        var compared = 0, looser = 0
        for seed in UInt64(1)...40 {
            let (cohort, policy) = groupCase(seed + 95_000, mentors: 2...4, mentees: 4...10, slots: 3...5, rooms: 1...3)
            let f = try formulation(cohort, policy)
            let t = f.stages.count - 1
            guard let full = try fullLP(f, stage: t) else { Issue.record("seed \(seed): the full LP did not solve"); continue }
            let tol = 1e-6 * max(1, abs(full.value))
            let (master, cg) = try TimetableFormulationTests().generatedFromScratch(f, stage: t)
            guard cg.converged else { continue }
            let ws = try #require(master.sink as? any LPWorkspace)
            master.add(TimetableFormulationTests().allColumns(f, master, stage: t))
            ws.setObjective(master.objective(stage: t))
            guard case .optimal(let lazy) = ws.solveLP(deadline: .distantFuture, dual: false) else {
                Issue.record("seed \(seed): the master's LP did not solve"); continue
            }
            master.completeForBranchAndCut()
            guard case .optimal(let complete) = ws.solveLP(deadline: .distantFuture, dual: false) else {
                Issue.record("seed \(seed): the completed master's LP did not solve"); continue
            }
            #expect(abs(complete - full.value) <= tol, "seed \(seed): completed master \(complete), full LP \(full.value)")
            #expect(lazy >= complete - tol, "seed \(seed): lazy bounds \(lazy) below the completed \(complete)")
            if lazy > complete + tol { looser += 1 }
            compared += 1
        }
        #expect(compared > 30)
        #expect(looser > 0, "the lazily bounded master should relax above the full LP on some cohorts")
    }

    /// The solver's optimum (smoothing on, as matching runs it) equals brute force on tiny group
    /// cohorts with two sessions a week.
    @Test func groupsTwiceAWeekEqualBruteForce() throws {
        var feasible = 0, matched = 0
        let brute = TimetableFormulationTests()
        for seed in UInt64(1)...60 {
            let (cohort, policy) = brute.tinyCase(seed + 90_000, format: .group, perWeek: 2, mentors: 1...2, mentees: 1...3,
                                                  slots: 2...4, rooms: 1...2)
            if try brute.checkAgainstBruteForce(seed, cohort, policy) {
                feasible += 1
                if try Matcher(policy: policy).match(cohort).matched > 0 { matched += 1 }
            }
        }
        #expect(feasible > 40)
        #expect(matched >= 15, "groups twice a week should often be possible")
    }

    /// Smoothing is for the group format only: in the others it only changed which columns
    /// entered (and with them the restricted master branch-and-cut searched), which cost one
    /// pairs-in-room cohort of the `small` benchmark its proof. One-to-one and pairs-in-room
    /// column generation runs the same rounds to the same LP value whatever the smoothing, and no
    /// round is chosen by smoothed duals; the group cohorts of the other tests do use them.
    @Test func smoothingLeavesTheOtherFormatsAlone() throws {
        var compared = 0
        for seed in UInt64(1)...30 {
            var gen = RandomCohorts(seed: seed + 80_000)
            let nSlots = gen.rng.int(in: 3...5)
            let format: SessionFormat = seed % 2 == 0 ? .oneToOne : .pairsInRoom
            var cohort = gen.timetabledCohort(mentors: gen.rng.int(in: 2...4), mentees: gen.rng.int(in: 4...10), slots: nSlots,
                                              rooms: gen.rng.int(in: 1...3), format: format, sessionsPerWeek: seed % 3 == 0 ? 2 : 1)
            cohort.history = []
            var policy = gen.timetablePolicy(slots: nSlots)
            policy.mentorMinimum.mode = .soft
            let f = try formulation(cohort, policy)
            for t in Set([0, f.stages.count - 1]).sorted() {
                let (_, plain) = try TimetableFormulationTests().generatedFromScratch(f, stage: t, smoothing: 0)
                let (_, smoothed) = try TimetableFormulationTests().generatedFromScratch(f, stage: t, smoothing: 0.5)
                guard plain.converged else { continue }
                #expect(smoothed.smoothedRounds == 0 && smoothed.mispriced == 0, "seed \(seed) stage \(t) \(format)")
                #expect(smoothed.rounds == plain.rounds, "seed \(seed) stage \(t): \(smoothed.rounds) rounds against \(plain.rounds)")
                #expect(smoothed.lpValue == plain.lpValue, "seed \(seed) stage \(t)")
                compared += plain.rounds > 1 ? 1 : 0
            }
        }
        #expect(compared > 20, "the cohorts should need several pricing rounds")
    }
}
