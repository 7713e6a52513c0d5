import ArgumentParser
import PeerMatchStore

struct SchemeReview: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "The pairs needing attention: missed sessions in a row, low attendance, mentors over their agreed hours, proposals not yet approved.")

    @Argument(help: "The term (default: the term with the latest start).") var term: String?
    @Option(name: .customLong("missed-in-a-row"), help: "Flag this many missed sessions in a row.") var missedInARow = 3
    @Option(name: .customLong("attendance-below"), help: "Flag attendance below this share (0.75 = 75%).") var attendanceBelow = 0.75
    @Option(name: .customLong("minimum-sessions"), help: "Only judge attendance after this many sessions.") var minimumSessions = 4
    @Option(name: .customLong("agreed-minutes"), help: "Minutes a week for mentors with no agreement recorded (peermatch scheme hours).")
    var agreedMinutes: Int?
    @Option(name: .customLong("as-of"), help: "Also flag planned sessions up to this date with no record.") var asOf: String?
    @Option(help: "table, csv or json.") var format: SchemeOutputFormat = .table
    @OptionGroup var scheme: SchemeFileOptions

    func run() throws {
        let store = try scheme.open()
        let id = try term.map { TermID($0) } ?? store.latestTerm()
        let settings = ReviewSettings(missedInARow: missedInARow, attendanceBelow: attendanceBelow, minimumSessions: minimumSessions,
                                      defaultAgreedMinutesPerWeek: agreedMinutes, asOf: try asOf.map { try parseDate($0, option: "--as-of") })
        print(ReviewWriter.render(try store.review(term: id, settings: settings), term: id, format: format), terminator: "")
    }
}
