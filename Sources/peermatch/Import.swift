import ArgumentParser
import PeerMatch

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a cohort file from spreadsheet exports (CSV; lists in a cell are ';'-separated).")

    @Argument(help: "Mentors CSV.") var mentors: String
    @Argument(help: "Mentees CSV.") var mentees: String
    @Option(help: "Exclusions CSV with columns a, b, reason.") var exclusions: String?
    @Option(help: "Locked pairs CSV with columns mentor, mentee.") var locked: String?
    @Option(name: .customLong("timetable-setup"),
            help: "JSON or YAML with the cohort's slots, rooms, term and format (people's availability, unavailableDates and requireRoomFeatures come from their CSV columns).")
    var timetableSetup: String?
    @Option(help: "Column map: \"Pupil ID=id,Form=group\" or a JSON/YAML file mapping headers to fields.")
    var columns: String?
    @OptionGroup var policy: PolicyOption
    @Option(help: "Output cohort file (default: stdout).") var out: String?

    func run() throws {
        let map = try columns.map(CSVImport.columnMap) ?? [:]
        let cohort = try CSVImport.cohort(mentors: mentors, mentees: mentees, exclusions: exclusions, locked: locked,
                                          timetableSetup: timetableSetup, columns: map, policy: try policy.load())
        try emit(CohortWriter.json(cohort).rendered(), to: out,
                 inputs: [mentors, mentees] + [exclusions, locked, timetableSetup].compactMap { $0 })
    }
}
