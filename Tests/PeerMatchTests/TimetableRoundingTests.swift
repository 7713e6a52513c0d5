import Foundation
import Testing
@testable import PeerMatch

/// The LP-guided rounding by priority (`TimetableMaster.rounding(_:first:byPriority:)`): each
/// priority level is placed before the next, so a lower level's columns at 1 cannot take the
/// mentors and seats a higher level needs. On the 3,000-mentee school the plain rounding of the
/// score stage's LP matched 458 of priority 1 where 465 were proven, so the solver refused it.
@Suite struct TimetableRoundingTests {
    /// What the rounding by priority places of the top level does not depend on the LP values of
    /// the levels below it, where the plain rounding, led by the lower levels' columns at 1,
    /// matches fewer of the top level on some cohorts. Every rounding keeps every hard rule.
    @Test func roundingByPriorityPlacesTheTopLevelFirst() throws {
        let helper = TimetableFormulationTests()
        var checked = 0, lostByPlain = 0
        for seed in UInt64(1)...200 {
            let (cohort, policy) = helper.tinyCase(seed + 60_000, format: nil, perWeek: seed % 5 == 0 ? 2 : 1, mentors: 1...3,
                                                   mentees: 2...7, slots: 1...2, rooms: 1...2)
            let f = try helper.formulation(cohort, policy)
            let levels = f.problem.priorityLevels
            guard levels.count > 1 else { continue }
            let master = TimetableMaster(f, sink: LinearModelBuilder())
            master.add(helper.allColumns(f, master, stage: f.stages.count - 1))
            let top = levels[0]
            func level(_ key: TimetableColumn) -> Int? {
                let g = f.lagrangianGroup(key)
                return g < f.problem.menteeCount ? f.problem.priority[g] : nil
            }
            func topPart(_ t: Timetabling) -> [String] {
                zip(t.selection, t.sessions).filter { f.problem.priority[Int(f.problem.pairs.mentee[$0.0])] == top }
                    .map { "\($0.0)@\($0.1.map { "\($0.slot)/\($0.room)" })" }.sorted()
            }
            // Every column of the lower levels at 1 (rounding takes any values in [0, 1]), and none.
            var lowAtOne = [Double](repeating: 0, count: master.columnCount)
            for (c, key) in master.keys.enumerated() { if let key, let l = level(key), l != top { lowAtOne[c] = 1 } }
            let zero = [Double](repeating: 0, count: master.columnCount)
            let led = master.rounding(lowAtOne, first: [], byPriority: true)
            let alone = master.rounding(zero, first: [], byPriority: true)
            let plain = master.rounding(lowAtOne, first: [])
            #expect(topPart(led) == topPart(alone), "seed \(seed): the top level moved with the lower levels' values")
            // Roundings are checked before they are offered: what they may break is only a
            // mentor's minimum (which a greedy placement cannot promise); never a capacity, an
            // exclusion, a room or a slot.
            for t in [led, alone, plain] {
                #expect(TimetableRules.violations(t, f.problem, f.tctx).isEmpty, "seed \(seed)")
                let broken = f.problem.violations(t.selection).filter { !$0.hasSuffix("below the minimum") }
                #expect(broken.isEmpty, "seed \(seed): \(broken)")
            }
            // Both are offered as incumbents where there are several levels.
            #expect(master.roundings(lowAtOne, first: []).count == 2)
            if topPart(plain).count < topPart(led).count { lostByPlain += 1 }
            checked += 1
        }
        #expect(checked > 60)
        #expect(lostByPlain > 0, "no cohort where the plain order loses a top-level mentee: the test shows nothing")
    }

    /// A dive gives the workspace back as it found it: every bound, and (where asked) the basis,
    /// so that the LP it started from is optimal again at once (branch-and-cut starts from it; on the
    /// 3,000-mentee school, re-solving from the dive's last basis took all of branch-and-cut's
    /// time). Its timetables are offered after that, against the stage's own bounds: each that
    /// keeps the rules is a feasible point of the restored workspace (a bound the dive left fixed
    /// would refuse those that do not use its column). Without the basis, the LP re-solves to the
    /// same value.
    @Test func aDiveRestoresTheBasisAndItsTimetablesFit() throws {
        let helper = TimetableFormulationTests()
        var dived = 0, atOnce = 0, fitted = 0, resolvedWithout = 0
        for seed in UInt64(1)...40 { for restoring in [true, false] {
            let (cohort, policy) = helper.tinyCase(seed + 61_000, format: nil, perWeek: seed % 4 == 0 ? 2 : 1, mentors: 2...4,
                                                   mentees: 4...10, slots: 2...4, rooms: 1...3)
            let f = try helper.formulation(cohort, policy)
            let t = f.stages.count - 1
            let (master, cg) = try helper.generatedFromScratch(f, stage: t)
            let ws = try #require(master.sink as? any LPWorkspace)
            guard cg.converged, let before = cg.lpValue else { continue }
            var solver = TimetableSolver(formulation: f, backend: GLPKBackend(), deadline: .distantFuture)
            solver.columnsPerRound = 3   // as the column generation before it
            let result = solver.dive(ws, master, stage: t, deadline: .distantFuture, restoringBasis: restoring)
            if restoring { dived += 1 }
            let iterations = ws.simplexIterations
            guard case .optimal(let after) = ws.solveLP(deadline: .distantFuture, dual: false) else {
                Issue.record("seed \(seed): the restored LP did not solve"); continue
            }
            #expect(abs(after - before) <= 1e-6 * max(1, abs(before)), "seed \(seed): \(after) after the dive, \(before) before")
            if restoring && ws.simplexIterations == iterations { atOnce += 1 }
            if !restoring && ws.simplexIterations > iterations { resolvedWithout += 1 }
            for found in result.found where TimetableRules.violations(found, f.problem, f.tctx).isEmpty
                && f.problem.violations(found.selection).isEmpty {
                let x = try #require(master.point(for: found))
                #expect(ws.isFeasible(x), "seed \(seed): a timetable of the dive does not fit the restored workspace")
                fitted += 1
            }
        } }
        #expect(dived > 25)
        #expect(atOnce * 10 >= dived * 9, "the restored basis should be optimal at once: \(atOnce) of \(dived)")
        #expect(fitted > 10)
        #expect(resolvedWithout > 0, "no dive that left another basis: the restore shows nothing")
    }
}
