import Foundation
import Testing
import PeerMatch
@testable import PeerMatchStore
@testable import PeerMatchWeb

/// The progress bar counts stages finished: nothing at "Starting" or while reading, all of them
/// when done, and never back as the run goes through its stages.
@Suite struct ProgressBarTests {
    struct Job: JobProgress {
        var progress: SchemeMatchProgress?
        var by = "test"
        var running = true
        func elapsed(now: Date) -> Double { 0.5 }
    }

    @Test func theBarIsStageBasedAndMonotone() {
        let start = MatchPages.view(Job(progress: nil))
        #expect(start["stage"] as? String == "Starting")
        #expect(start["step"] as? Int == 0 && start["steps"] as? Int == 4)
        var last = 0
        var seen: [Int] = []
        for stage in SchemeMatchProgress.Stage.allCases {
            let v = MatchPages.view(Job(progress: SchemeMatchProgress(stage: stage, message: "m", mentors: 1, mentees: 1, elapsed: 0.1, solver: nil),
                                        running: stage != .done))
            let step = v["step"] as! Int
            #expect(step >= last, "\(stage): \(step) after \(last)")
            #expect(v["steps"] as? Int == 4)
            last = step
            seen.append(step)
        }
        #expect(seen == [0, 1, 2, 3, 4], "reading 0, building 1, solving 2, storing 3, done 4")
        // The same numbers reach the script (the status URL and the event stream).
        let json = MatchPages.json(Job(progress: nil), outcome: nil)
        #expect(json.contains("\"step\": 0") || json.contains("\"step\":0"), "\(json)")
    }
}
