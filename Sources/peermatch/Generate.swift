import ArgumentParser
import PeerMatch

extension CohortGenerator.Setting: ExpressibleByArgument {}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a realistic generated cohort (same seed, same file).")

    @Option(help: "primary or secondary.") var setting: CohortGenerator.Setting = .secondary
    @Option(help: "Number of mentees.") var mentees: Int
    @Option(help: "Number of mentors (default: a third of the mentees).") var mentors: Int?
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Output cohort file (default: stdout).") var out: String?

    func validate() throws {
        guard mentees > 0 else { throw ValidationError("--mentees must be positive") }
        if let mentors, mentors <= 0 { throw ValidationError("--mentors must be positive") }
    }

    func run() throws {
        let cohort = CohortGenerator(setting: setting, mentees: mentees, mentors: mentors, seed: seed).generate()
        try emit(CohortWriter.json(cohort).rendered(), to: out, inputs: [])
    }
}
