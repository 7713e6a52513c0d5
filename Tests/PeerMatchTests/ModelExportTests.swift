import Foundation
import Testing
@testable import PeerMatch

/// `solve --export-model`: each exported stage file, read back by GLPK's own reader and solved
/// from scratch (presolve, no column generation), has the optimum PeerMatch proved for that stage,
/// and the last stage's optimum is brute force's best total. So a file poses the whole model, not
/// the columns one run happened to generate.
@Suite struct ModelExportTests {
    /// The value a file's header says this run reached.
    func reached(_ text: String) throws -> Double {
        let line = try #require(text.split(separator: "\n").first { $0.contains("This run reached ") })
        let rest = line.split(separator: "This run reached ", maxSplits: 1, omittingEmptySubsequences: false)[1]
        return try #require(Double(rest.prefix { $0 == "-" || $0 == "." || $0.isNumber }))
    }

    @Test func timetableStagesReadBackToTheProvenOptimum() throws {
        var checked = 0
        for seed in UInt64(1)...36 {
            var gen = RandomCohorts(seed: seed + 41_000)
            let format = SessionFormat.allCases[Int(seed) % 3]
            let perWeek = seed % 4 == 0 ? 2 : 1
            let slots = gen.rng.int(in: 2...3)
            let cohort = gen.timetabledCohort(mentors: gen.rng.int(in: 1...3), mentees: gen.rng.int(in: 1...3), slots: slots,
                                              rooms: gen.rng.int(in: 1...2), format: format, sessionsPerWeek: perWeek)
            let policy = gen.timetablePolicy(slots: slots)
            let matcher = Matcher(policy: policy)
            let result = try matcher.match(cohort)
            guard result.status == .optimal else { continue }
            let (ctx, problem) = try matcher.problem(for: cohort)
            let best = try #require(bruteForceTimetable(cohort, policy, ctx, problem))
            for fileFormat in ModelFileFormat.allCases {
                let files = try matcher.modelFiles(for: cohort, result: result, format: fileFormat)
                #expect(files.count == result.stages.count, "seed \(seed)")
                for file in files {
                    let value = try #require(try GLPKBackend.optimum(ofModelFile: file.text, format: fileFormat),
                                             "seed \(seed) stage \(file.stage) \(fileFormat): the read-back model is infeasible")
                    let optimum = fileFormat == .mps ? -value : value
                    #expect(abs(optimum - (try reached(file.text))) < 1e-6,
                            "seed \(seed) \(format) k=\(perWeek) stage \(file.stage) (\(file.stageName)) \(fileFormat): file optimum \(optimum)")
                }
                #expect(abs((try reached(files.last!.text)) - Double(best.total)) < 1e-6, "seed \(seed): reached total vs brute force \(best)")
                #expect(abs((try reached(files.first!.text)) - Double(best.matchedByLevel.first ?? 0)) < 1e-6, "seed \(seed)")
            }
            checked += 1
        }
        #expect(checked >= 20, "too few optimal cohorts to check (\(checked))")
    }

    @Test func matchingStagesReadBackToTheProvenOptimum() throws {
        var checked = 0
        for seed in UInt64(1)...30 {
            var gen = RandomCohorts(seed: seed + 43_000)
            let cohort = gen.cohort(mentors: gen.rng.int(in: 1...4), mentees: gen.rng.int(in: 1...5))
            let matcher = Matcher(policy: gen.policy(), solver: .glpk)
            let result = try matcher.match(cohort)
            guard result.status == .optimal else { continue }
            let files = try matcher.modelFiles(for: cohort, result: result, format: .lp)
            #expect(!files.isEmpty)
            for file in files {
                let optimum = try #require(try GLPKBackend.optimum(ofModelFile: file.text, format: .lp), "seed \(seed) stage \(file.stage)")
                #expect(abs(optimum - (try reached(file.text))) < 1e-6, "seed \(seed) stage \(file.stage) (\(file.stageName)): file optimum \(optimum)")
            }
            checked += 1
        }
        #expect(checked >= 15, "too few optimal cohorts to check (\(checked))")
    }
}
