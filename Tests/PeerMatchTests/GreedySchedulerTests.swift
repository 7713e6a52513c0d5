import Foundation
import Testing
@testable import PeerMatch

/// The greedy scheduler's quick test (bitsets of open slots that turn a pair away before its
/// slot-by-slot search) against the same scheduler without it: on random cohorts of every format,
/// one and two sessions a week, overlapping slots, locks and wanted sessions, both must place
/// exactly the same pairs at exactly the same sessions.
@Suite struct GreedySchedulerTests {
    @Test func quickTestNeverChangesAPlacement() throws {
        var rejections = 0, placements = 0
        for seed in UInt64(1)...400 {
            var gen = RandomCohorts(seed: seed + 31_000)
            let nSlots = gen.rng.int(in: 2...5), perWeek = gen.rng.chance(0.35) ? 2 : 1
            let format: SessionFormat = [.oneToOne, .pairsInRoom, .group][gen.rng.int(3)]
            let cohort = gen.timetabledCohort(mentors: gen.rng.int(in: 2...6), mentees: gen.rng.int(in: 6...20), slots: nSlots,
                                              rooms: gen.rng.int(in: 1...3), format: format, sessionsPerWeek: perWeek)
            let policy = gen.timetablePolicy(slots: nSlots)
            let (_, problem) = try Matcher(policy: policy).problem(for: cohort)
            let tctx = TimetableContext(cohort: cohort, policy: policy)
            guard problem.pairs.count > 0 else { continue }
            var quick = GreedyScheduler(problem: problem, tctx: tctx)
            var plain = GreedyScheduler(problem: problem, tctx: tctx, quickTest: false)
            // Some locks and wanted sessions first, as a rounding and a re-match place them.
            for _ in 0..<gen.rng.int(in: 0...8) {
                let p = gen.rng.int(problem.pairs.count)
                let s = gen.rng.int(tctx.slotCount), r = gen.rng.int(tctx.roomCount)
                let a: Bool, b: Bool
                switch gen.rng.int(3) {
                case 0: a = quick.place(p, onlySlot: s); b = plain.place(p, onlySlot: s)
                case 1: a = quick.place(p, only: SessionIndex(slot: s, room: r)); b = plain.place(p, only: SessionIndex(slot: s, room: r))
                default:
                    let wanted = (0..<perWeek).map { _ in (slot: gen.rng.int(tctx.slotCount), room: gen.rng.chance(0.5) ? Optional(gen.rng.int(tctx.roomCount)) : nil) }
                    a = quick.place(p, sessions: wanted); b = plain.place(p, sessions: wanted)
                }
                #expect(a == b, "seed \(seed): a lock or wanted session placed by one and not the other")
            }
            for p in GreedyScheduler.priorityOrder(problem) {
                let a = quick.place(p), b = plain.place(p)
                #expect(a == b, "seed \(seed) \(format) k=\(perWeek): pair \(p) placed \(a) with the quick test, \(b) without")
            }
            #expect(quick.placed.map(\.pair) == plain.placed.map(\.pair), "seed \(seed)")
            #expect(quick.placed.map(\.sessions) == plain.placed.map(\.sessions), "seed \(seed)")
            rejections += quick.quickRejections
            placements += quick.placed.count
        }
        // The test must be exercised, and placements made, for the comparison to mean anything.
        #expect(rejections > 500, "the quick test turned away only \(rejections) calls")
        #expect(placements > 1_000, "only \(placements) placements")
    }
}
