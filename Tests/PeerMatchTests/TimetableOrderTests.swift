import Foundation
import Testing
@testable import PeerMatch

/// Issue 12's 60-mentee reproducer: `scheme match` on a term imported from
/// `generate --setting secondary --mentees 60 --slots 15 --rooms 8 --seed 1` spent 57.6 s in its
/// score stage and ended `feasible` one point short of proof, while `peermatch solve` on the
/// generator's file proved the optimum in 1.2 s. The store's cohort (`scheme cohort`) is the same
/// people, exclusions and setup, only listed by id (m1, m10, m11, …): the order alone changed
/// GLPK's search. The cause was in the core: soft-term columns (room sharing, mentor days) were
/// continuous, so branch-and-cut could not round its bound to the objective's hundredths and had
/// to close the last point by search. Now both orders are proven, by a work limit (deterministic,
/// unlike a time limit) that the slow order used to exhaust.
@Suite struct TimetableOrderTests {
    /// `peermatch generate --setting secondary --mentees 60 --slots 15 --rooms 8 --seed 1`, read back
    /// as `peermatch solve` reads the file.
    func generated() throws -> Cohort {
        let text = CohortGenerator(setting: .secondary, mentees: 60, seed: 1, slots: 15, rooms: 8).document()
        return try CohortReader.parse(Data(text.utf8), file: "generated.json").0
    }

    /// The people in the store's order: by id as text.
    func byId(_ c: Cohort) -> Cohort {
        var c = c
        c.mentors.sort { $0.id < $1.id }
        c.mentees.sort { $0.id < $1.id }
        return c
    }

    @Test func theStoresOrderIsProvenLikeTheGenerators() throws {
        let original = try generated()
        let reordered = byId(original)
        #expect(reordered.mentees.map(\.id) != original.mentees.map(\.id), "the reorder changes nothing: the test would prove nothing")
        let options = SolveOptions(timeLimit: 600, workLimit: 20_000_000)
        let a = try Matcher(options: options).match(original)
        let b = try Matcher(options: options).match(reordered)
        for (name, r, c) in [("generator's order", a, original), ("store's order", b, reordered)] {
            #expect(r.status == .optimal, "\(name): \(r.status), stages \(r.stages); \(r.stats.rawStatus)")
            #expect(r.stages.count == 3 && r.stages.allSatisfy(\.optimal), "\(name)")
            #expect(independentTimetableViolations(r, c).isEmpty, "\(name)")
        }
        #expect(a.matched == b.matched && a.objectiveHundredths == b.objectiveHundredths,
                "the same people in another order: \(a.matched), \(a.objectiveHundredths) against \(b.matched), \(b.objectiveHundredths)")
    }
}
