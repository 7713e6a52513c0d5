import Foundation
import Testing
@testable import PeerMatch

@Suite struct PolicyPresetTests {
    @Test func shippedFilesEqualTheEmbeddedPresets() throws {
        #expect(PolicyPreset.all.map(\.name) == ["interests", "age", "gender", "balanced", "random", "mentee-choice", "fair", "adults"])
        for preset in PolicyPreset.all {
            let file = try String(contentsOfFile: Repo.path("instances/policies/\(preset.name).yaml"), encoding: .utf8)
            #expect(file == preset.yaml, "instances/policies/\(preset.name).yaml must equal PolicyPreset \(preset.name)")
            #expect(try PolicyReader.parse(preset.yaml, file: preset.name) == Policy.preset(named: preset.name))
        }
    }

    @Test func presetsSetTheirMethod() {
        #expect(Policy.preset(named: "random")?.method == .random)
        #expect(Policy.preset(named: "fair")?.method == .fair)
        #expect(Policy.preset(named: "mentee-choice")?.method == .stable)
        #expect(Policy.preset(named: "mentee-choice")?.proposer == .mentees)
        #expect(Policy.preset(named: "interests")?.method == .optimal)
        #expect(Policy.preset(named: "gender")!.weights.sameGender > 0)
        #expect(Policy.preset(named: "balanced")!.weights == Policy.default.weights)
        #expect(Policy.preset(named: "nope") == nil)
        let adults = Policy.preset(named: "adults")
        #expect(adults?.ageGap.mode == .off && adults?.genderPreference == .soft && adults?.sameGroup == .ignore)
    }

    @Test func resolveFileThenPresetThenError() throws {
        #expect(try PolicyReader.resolve("fair").method == .fair)
        #expect(try PolicyReader.resolve(Repo.path("instances/policies/adults.yaml")).ageGap.mode == .off)
        // An existing file is read as a file (the CLI test covers a file named like a preset).
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pm-presets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("fair").path
        try "method: random\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try PolicyReader.resolve(file).method == .random)
        do {
            _ = try PolicyReader.resolve("interestz")
            Issue.record("an unknown name must fail")
        } catch let error as InputError {
            #expect(error.description.contains("interestz"))
            #expect(error.description.contains("mentee-choice"))
        }
    }

    @Test func methodKeysAreValidated() throws {
        #expect(try PolicyReader.parse("method: stable\nproposer: mentors\n", file: "p").proposer == .mentors)
        #expect(throws: InputError.self) { try PolicyReader.parse("method: lottery\n", file: "p") }
        #expect(throws: InputError.self) { try PolicyReader.parse("proposer: both\n", file: "p") }
        #expect(throws: InputError.self) {
            try PolicyReader.parse("method: stable\nmentorMinimum:\n  count: 1\n  mode: hard\n", file: "p")
        }
    }
}
