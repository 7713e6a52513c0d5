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
    @Option(help: "Weekly slots for a timetable (0: none; up to 15: lunch, tutor time, after school).") var slots: Int = 0
    @Option(help: "Rooms for the timetable (with --slots).") var rooms: Int = 3
    @Option(help: "Output cohort file (default: stdout).") var out: String?

    func validate() throws {
        guard mentees > 0 else { throw ValidationError("--mentees must be positive") }
        if let mentors, mentors <= 0 { throw ValidationError("--mentors must be positive") }
        guard (0...15).contains(slots) else { throw ValidationError("--slots must be from 0 to 15") }
        guard rooms > 0 else { throw ValidationError("--rooms must be positive") }
    }

    func run() throws {
        let cohort = CohortGenerator(setting: setting, mentees: mentees, mentors: mentors, seed: seed,
                                     slots: slots, rooms: slots > 0 ? rooms : 0).generate()
        try emit(CohortWriter.json(cohort).rendered(), to: out, inputs: [])
    }
}
