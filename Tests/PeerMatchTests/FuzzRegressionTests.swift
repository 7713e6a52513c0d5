import Foundation
import Testing
@testable import PeerMatch

/// Replays every input the fuzzer found (Tests/PeerMatchTests/Fixtures/fuzz/<target>/) through the
/// same code the fuzz targets run (FuzzRun.swift, linked from Tests/Fuzz): each must end in a
/// value or an `InputError` whose every diagnostic names its file, never a trap, a leaked
/// DecodingError or a cohort that does not read back. Findings with a known message are held to
/// it, so the fix cannot quietly turn into a different refusal.
@Suite struct FuzzRegressionTests {
    static let folder = Repo.path("Tests/PeerMatchTests/Fixtures/fuzz")

    /// The message each committed finding must now get (a prefix of the refusal).
    static let expected: [String: String] = [
        // ZIPFoundation 0.9.20 trapped on a local-header offset past the end of the file.
        "xlsx/zipfoundation-offset-past-end.xlsx": "fuzz.xlsx: is not a readable .xlsx workbook",
    ]

    static func inputs() -> [(FuzzTarget, String)] {
        var found: [(FuzzTarget, String)] = []
        for target in FuzzTarget.allCases {
            let dir = folder + "/" + target.rawValue
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() where !name.hasPrefix(".") {
                found.append((target, target.rawValue + "/" + name))
            }
        }
        return found
    }

    @Test func everyFindingIsReadOrRefusedWithALocatedError() throws {
        let inputs = Self.inputs()
        #expect(inputs.count >= Self.expected.count, "the committed findings are missing from \(Self.folder)")
        for (target, name) in inputs {
            let data = try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/" + name))
            let outcome = FuzzRun.outcome(target, data)
            if case .finding = outcome { Issue.record("\(name): \(outcome)") }
            if let prefix = Self.expected[name] {
                guard case .refused(let message) = outcome else { Issue.record("\(name): expected a refusal, got \(outcome)"); continue }
                #expect(message.hasPrefix(prefix), "\(name): \(message)")
            }
        }
        for name in Self.expected.keys { #expect(inputs.contains { $0.1 == name }, "\(name) is missing") }
    }

    /// The fuzz seeds: none is a finding, and every target has a seed that reads cleanly (so the
    /// corpus starts from inputs that reach deep into the readers, and a reader that starts
    /// refusing them is noticed). Some seeds are refused on purpose (YAML aliases under a key no
    /// policy has, mentors' availability with no slots) to start the fuzzer in those paths.
    @Test func seedsAreNoFindingsAndEachTargetHasOneThatReads() throws {
        let seeds = Repo.path("Tests/Fuzz/seeds")
        for target in FuzzTarget.allCases where target != .cohort && target != .xlsx {   // those two are seeded from instances/ and the import fixtures
            var reads = 0
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: seeds + "/" + target.rawValue)) ?? []).sorted() {
                let data = try Data(contentsOf: URL(fileURLWithPath: seeds + "/" + target.rawValue + "/" + name))
                let outcome = FuzzRun.outcome(target, data)
                if case .finding = outcome { Issue.record("\(target.rawValue)/\(name): \(outcome)") }
                if outcome == .read { reads += 1 }
            }
            #expect(reads >= 1, "no seed of \(target.rawValue) reads cleanly")
        }
    }
}
