import ArgumentParser
import Foundation
import PeerMatch

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a cohort file and report every problem at once, each with its JSON path.")

    @Argument(help: "Cohort file (JSON).") var cohort: String
    @OptionGroup var policy: PolicyOption

    @OptionGroup var limits: ReadLimitOptions

    func run() throws {
        limits.apply()
        let policy = try policy.load()
        let data = try InputFile.read(cohort)
        let (parsed, diagnostics) = try CohortReader.parse(data, file: cohort, policy: policy)
        for d in diagnostics { warn(d.description) }
        if diagnostics.contains(where: { $0.severity == .error }) {
            warn("\(diagnostics.filter { $0.severity == .error }.count) error(s)")
            throw ExitCode(1)
        }
        print("\(cohort): ok (\(parsed.mentors.count) mentors, \(parsed.mentees.count) mentees)")
    }
}
