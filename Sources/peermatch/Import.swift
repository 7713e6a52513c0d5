import ArgumentParser
import Foundation
import PeerMatch

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a cohort file from spreadsheets (CSV in any common encoding, or .xlsx workbooks).",
        discussion: """
            Headers that name a field are used ("Year group" is yearGroup); every other header is reported, with the \
            field it looks like. --guess prints a column map to edit and pass back with --columns. Lists in a cell \
            are split on ";" (or on the ", " of a Google Forms export when no cell has a ";").
            """)

    @Argument(help: "Mentors spreadsheet (.csv or .xlsx).") var mentors: String
    @Argument(help: "Mentees spreadsheet (.csv or .xlsx; may be the same workbook as the mentors).") var mentees: String
    @Option(help: "Exclusions spreadsheet with columns a, b, reason.") var exclusions: String?
    @Option(help: "Locked pairs spreadsheet with columns mentor, mentee (and slot, room for a timetable).") var locked: String?
    @Option(name: .customLong("timetable-setup"),
            help: "JSON or YAML with the cohort's slots, rooms, term and format (people's availability, unavailableDates and requireRoomFeatures come from their columns).")
    var timetableSetup: String?
    @Option(help: "Column map: a file (see --guess) or \"Pupil ID=id,Form=group,Notes=ignore\".")
    var columns: String?
    @Option(name: .customLong("list-separator"), parsing: .singleValue,
            help: "Separator between items of list cells: SEP for every list column, or \"HEADER=SEP\" for one (repeatable). Words: comma, semicolon, tab, newline.")
    var listSeparators: [String] = []
    @Option(parsing: .singleValue,
            help: "Workbooks: the sheet to read, NAME for every workbook or ROLE:NAME for one (mentors, mentees, exclusions, locked). Default: a sheet named like the role, else the first.")
    var sheet: [String] = []
    @Flag(help: "Print a column map for these spreadsheets (each header with the field it maps to or looks like) to edit, instead of importing.")
    var guess = false
    @OptionGroup var policy: PolicyOption
    @Option(help: "Output cohort file (default: stdout).") var out: String?

    func options() throws -> ImportOptions {
        var options = ImportOptions(columns: try columns.map(ColumnMap.load))
        for spec in listSeparators {
            if let eq = spec.firstIndex(of: "="), eq != spec.startIndex, spec.index(after: eq) != spec.endIndex {
                options.columnSeparators[String(spec[..<eq])] = String(spec[spec.index(after: eq)...])
            } else if !spec.isEmpty {
                options.listSeparator = ColumnMap.separatorWord(spec)
            } else {
                throw ValidationError("--list-separator needs a separator, e.g. --list-separator \";\" or --list-separator \"Hobbies=, \"")
            }
        }
        for spec in sheet {
            if let colon = spec.firstIndex(of: ":"), let role = ImportRole(rawValue: String(spec[..<colon]).lowercased()) {
                options.sheets[role] = String(spec[spec.index(after: colon)...])
            } else {
                options.sheet = spec
            }
        }
        return options
    }

    @OptionGroup var limits: ReadLimitOptions

    func run() throws {
        limits.apply()
        // A --columns text that names no file is a map, not an input; a file is protected.
        let inputs = [mentors, mentees] + [exclusions, locked, timetableSetup, columns].compactMap { $0 } + policy.files
        var plan = OutputPlan(protecting: inputs)
        let output = try plan.file(out, option: "--out")
        let options = try options()
        if guess {
            let text = try CSVImport.guessColumns([(try ImportFile.read(path: mentors), .mentor), (try ImportFile.read(path: mentees), .mentee)],
                                                  options: options)
            plan.set(output, text: text)
            try plan.commit()
            return
        }
        let report = CSVImport.analyse(
            mentors: try ImportFile.read(path: mentors), mentees: try ImportFile.read(path: mentees),
            exclusions: try exclusions.map(ImportFile.read), locked: try locked.map(ImportFile.read),
            setup: try timetableSetup.map(ImportFile.read), options: options, policy: try policy.load())
        for note in report.notes { warn("note: " + note) }
        for d in report.diagnostics where d.severity == .warning { warn(d.description) }
        guard let cohort = report.cohort else {
            throw InputError(report.errors)
        }
        plan.set(output, text: CohortWriter.json(cohort).rendered())
        try plan.commit()
        let warnings = report.warnings.count
        warn("imported \(cohort.mentors.count) mentors and \(cohort.mentees.count) mentees" + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s") above)" : ""))
    }
}
