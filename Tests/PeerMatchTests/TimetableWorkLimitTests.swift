import Foundation
import Testing
@testable import PeerMatch

/// Issue 12: the work limit reaches the timetable solver. Each stage gets its share of the work
/// left, spent by simplex iterations and branch-and-cut nodes, so a work-limited timetable run
/// stops at the same point on any machine: two runs give the same bytes, the result says the
/// work limit cut it, every hard rule holds, and a limit large enough gives the proven optimum.
@Suite struct TimetableWorkLimitTests {
    func cohort(_ format: SessionFormat, sessionsPerWeek: Int) -> Cohort {
        var c = CohortGenerator(setting: .secondary, mentees: 24, seed: 5, mentorPool: "Years 8–10", slots: 8, rooms: 3).generate()
        c.timetable!.format = format
        c.timetable!.term?.sessionsPerWeek = sessionsPerWeek
        return c
    }

    @Test(arguments: [(SessionFormat.pairsInRoom, 1), (.group, 2)])
    func workLimitedTimetablesAreReproducible(format: SessionFormat, k: Int) throws {
        let c = cohort(format, sessionsPerWeek: k)
        let optimum = try Matcher(options: SolveOptions(timeLimit: 600)).match(c)
        #expect(optimum.status == .optimal, "\(optimum.stats.rawStatus)")
        var cuts = 0
        for limit in [1, 2_000, 20_000, 200_000, 1_000_000_000] {
            let options = SolveOptions(timeLimit: 600, workLimit: limit)
            let a = try Matcher(options: options).match(c)
            let b = try Matcher(options: options).match(c)
            let ra = ResultWriter.render(a, cohort: c, format: .json), rb = ResultWriter.render(b, cohort: c, format: .json)
            #expect(ra == rb, "\(format) \(k)/week, work limit \(limit): two runs differ")
            #expect(independentTimetableViolations(a, c).isEmpty, "work limit \(limit)")
            let said = a.notes.contains { $0.hasPrefix("the work limit of \(limit) units (--work-limit) cut this run") }
            if a.status == .optimal {
                #expect(a.scoreHundredths == optimum.scoreHundredths && a.matched == optimum.matched && !said, "work limit \(limit)")
            } else {
                #expect(said, "work limit \(limit): \(a.status) without saying why: \(a.notes)")
                #expect(a.limit?.kind == .work, "work limit \(limit): \(String(describing: a.limit))")
                #expect(a.objectiveHundredths <= optimum.objectiveHundredths, "work limit \(limit)")
                cuts += 1
            }
        }
        #expect(cuts >= 1, "no work limit cut the run")
    }
}
