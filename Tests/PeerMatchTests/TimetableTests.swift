import Foundation
import Testing
@testable import PeerMatch

/// Timetables: every produced timetable re-checked independently, the joint optimum against brute
/// force, locks, rotation, unmatched reasons and dates.
@Suite struct TimetableTests {
    /// GLPK's joint optimum equals the brute-force optimum over pairings × slots × rooms (matched
    /// per priority, earlier pairs kept, mentors at minimum, score plus timetable terms), or both
    /// find nothing feasible; every timetable keeps every hard rule.
    @Test func jointOptimumEqualsBruteForce() throws {
        var checked = 0, infeasible = 0, withSoft = 0, locks = 0
        for seed in UInt64(1)...UInt64(250) {
            var gen = RandomCohorts(seed: seed)
            let nSlots = gen.rng.int(in: 1...3)
            var cohort = gen.timetabledCohort(mentors: gen.rng.int(in: 1...3), mentees: gen.rng.int(in: 1...4),
                                              slots: nSlots, rooms: gen.rng.int(in: 1...2))
            let policy = gen.timetablePolicy(slots: nSlots)
            let matcher = Matcher(policy: policy)
            var (ctx, problem) = try matcher.problem(for: cohort)
            // Sometimes a lock at one of its two depths (pair only, or also slot and room).
            if gen.rng.chance(0.35), let lock = randomLock(&gen, cohort, policy, ctx, problem) {
                cohort.locked = [lock]
                (ctx, problem) = try matcher.problem(for: cohort)
                locks += 1
            }
            let expected = bruteForceTimetable(cohort, policy, ctx, problem)
            let result = try matcher.match(cohort)
            if let lock = cohort.locked.first, result.status != .infeasible {
                let kept = result.pairs.first { $0.mentor == lock.mentor && $0.mentee == lock.mentee }
                #expect(kept != nil, "seed \(seed): locked pair missing")
                if let s = lock.slot { #expect(kept?.sessions.first?.slot == s, "seed \(seed)") }
                if let r = lock.room { #expect(kept?.sessions.first?.room == r, "seed \(seed)") }
            }
            if let expected {
                #expect(result.status == .optimal, "seed \(seed): \(result.status) \(result.stats.rawStatus)")
                let got = timetableValue(result, cohort, policy, ctx, problem)
                #expect(got == expected, "seed \(seed) \(cohort.timetable!.format): glpk \(got) vs brute force \(expected)")
                #expect(independentTimetableViolations(result, cohort).isEmpty, "seed \(seed): \(independentTimetableViolations(result, cohort))")
                #expect(independentViolations(result, cohort, policy).isEmpty, "seed \(seed)")
                #expect(result.timetable?.softHundredths == independentSoftValue(result, cohort, policy), "seed \(seed)")
                if result.timetable?.softHundredths != 0 { withSoft += 1 }
                checked += 1
            } else {
                #expect(result.status == .infeasible, "seed \(seed): brute force finds nothing feasible, got \(result.status)")
                infeasible += 1
            }
        }
        #expect(checked > 180)
        #expect(infeasible > 0)
        #expect(withSoft > 30, "the soft terms should matter in many cohorts")
        #expect(locks > 40)
    }

    /// A lock on a candidate pair with a common slot: pair only, with its slot, or with slot and room.
    func randomLock(_ gen: inout RandomCohorts, _ cohort: Cohort, _ policy: Policy, _ ctx: PairingContext,
                    _ problem: MatchingProblem) -> LockedPair? {
        let tctx = TimetableContext(cohort: cohort, policy: policy)
        let options = (0..<problem.pairs.count).filter { p in
            problem.capacity[Int(problem.pairs.mentor[p])] > 0
                && !tctx.commonSlots(mentor: Int(problem.pairs.mentor[p]), mentee: Int(problem.pairs.mentee[p])).isEmpty
        }
        guard !options.isEmpty else { return nil }
        let p = options[gen.rng.int(options.count)]
        let i = Int(problem.pairs.mentor[p]), j = Int(problem.pairs.mentee[p])
        var lock = LockedPair(mentor: ctx.mentor(i).id, mentee: ctx.mentee(j).id)
        let depth = gen.rng.int(3)
        if depth >= 1 {
            let slots = tctx.commonSlots(mentor: i, mentee: j)
            let s = slots[gen.rng.int(slots.count)]
            lock.slot = cohort.timetable!.slots[s].id
            if depth == 2 {
                let rooms = tctx.roomsFor[tctx.menteeClass[j]][s]
                lock.room = cohort.timetable!.rooms[rooms[gen.rng.int(rooms.count)]].id
            }
        }
        return lock
    }

    /// Hundreds of larger random cohorts, every format, one or two sessions a week, GLPK and
    /// greedy: every timetable keeps every hard rule, checked without the library's timetable code.
    @Test(arguments: SolverChoice.allCases)
    func everyTimetableKeepsEveryRule(solver: SolverChoice) throws {
        var pairsSeen = 0
        for seed in UInt64(1)...UInt64(200) {
            var gen = RandomCohorts(seed: seed + 1000)
            let nSlots = gen.rng.int(in: 2...6)
            let perWeek = gen.rng.chance(0.25) ? 2 : 1
            var cohort = gen.timetabledCohort(mentors: gen.rng.int(in: 2...6), mentees: gen.rng.int(in: 3...12),
                                              slots: nSlots, rooms: gen.rng.int(in: 1...3), sessionsPerWeek: perWeek)
            var policy = gen.timetablePolicy(slots: nSlots)
            if policy.mentorMinimum.mode == .hard { policy.mentorMinimum.mode = .soft }
            cohort.exclusions = []
            let result = try Matcher(policy: policy, solver: solver, options: SolveOptions(timeLimit: 20)).match(cohort)
            #expect(result.status != .infeasible, "seed \(seed)")
            let problems = independentTimetableViolations(result, cohort) + independentViolations(result, cohort, policy)
            #expect(problems.isEmpty, "seed \(seed) \(solver) \(cohort.timetable!.format) k=\(perWeek): \(problems)")
            pairsSeen += result.pairs.count
        }
        #expect(pairsSeen > 300)
    }

    /// Greedy never beats the joint optimum.
    @Test func greedyNeverBeatsTheJointModel() throws {
        for seed in UInt64(1)...UInt64(100) {
            var gen = RandomCohorts(seed: seed + 5000)
            let cohort = gen.timetabledCohort(mentors: 3, mentees: 6, slots: 3, rooms: 2)
            var policy = gen.timetablePolicy(slots: 3)
            policy.mentorMinimum.count = 0
            let (ctx, problem) = try Matcher(policy: policy).problem(for: cohort)
            let opt = try Matcher(policy: policy).match(cohort), greedy = try Matcher(policy: policy, solver: .greedy).match(cohort)
            #expect(timetableValue(greedy, cohort, policy, ctx, problem) <= timetableValue(opt, cohort, policy, ctx, problem), "seed \(seed)")
        }
    }

    /// Column generation from a master that holds only the greedy timetable's columns (no seed
    /// pairs), so every other column must price out: the same optimum as the seeded run, proven,
    /// and every timetable keeps every rule.
    @Test func columnGenerationFromABareMasterReachesTheSameOptimum() throws {
        var priced = 0
        for seed in UInt64(1)...UInt64(60) {
            var gen = RandomCohorts(seed: seed + 7000)
            let perWeek = gen.rng.chance(0.3) ? 2 : 1
            var cohort = gen.timetabledCohort(mentors: 4, mentees: 10, slots: 4, rooms: 2, sessionsPerWeek: perWeek)
            cohort.history = []
            var policy = gen.timetablePolicy(slots: 4); policy.mentorMinimum.count = 0
            var bare = Matcher(policy: policy); bare.timetableSeedPairsPerMentee = 0
            let a = try bare.match(cohort), b = try Matcher(policy: policy).match(cohort)
            let (ctx, problem) = try Matcher(policy: policy).problem(for: cohort)
            #expect(a.status == .optimal && b.status == .optimal, "seed \(seed): \(a.status) \(b.status) \(a.stats.rawStatus)")
            #expect(timetableValue(a, cohort, policy, ctx, problem) == timetableValue(b, cohort, policy, ctx, problem), "seed \(seed)")
            #expect(independentTimetableViolations(a, cohort).isEmpty, "seed \(seed)")
            #expect(independentViolations(a, cohort, policy).isEmpty, "seed \(seed)")
            if a.stats.variables > b.stats.variables / 2 { priced += 1 }
        }
        #expect(priced > 0)
    }
}
