import ArgumentParser
import Foundation
import PeerMatch
import PeerMatchStore

struct SchemeTimetable: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timetable", abstract: "The term's timetable as CSV, calendars (one per room and person) and a printable page.")

    @Argument(help: "The term (default: the term with the latest start).") var term: String?
    @Option(help: "One CSV row per session date.") var csv: String?
    @Option(help: "A folder of iCalendar files, one per room and one per person (a previous run's calendars are replaced).") var calendar: String?
    @Option(help: "A printable, self-contained HTML page.") var html: String?
    @Flag(name: .customLong("approved-only"), help: "Only approved and active pairs (default: proposals too).") var approvedOnly = false
    @OptionGroup var scheme: SchemeFileOptions

    func validate() throws {
        if csv == nil && calendar == nil && html == nil { throw ValidationError("give --csv, --calendar or --html") }
    }

    func run() throws {
        let store = try scheme.open()
        // Every destination is checked before anything is rendered, and the three are written
        // together or not at all (a bad --calendar used to come after the CSV and page were in).
        var outputs = try SchemeOutputs(store: store)
        let csvOut = try csv.map { try outputs.file($0, option: "--csv") }
        let htmlOut = try html.map { try outputs.file($0, option: "--html") }
        let calendarOut = try calendar.map { try outputs.folder($0, option: "--calendar") }
        let id = try term.map { TermID($0) } ?? store.latestTerm()
        let view = try store.timetable(term: id, states: approvedOnly ? [.approved, .active] : PairState.live)
        if let csvOut { outputs.set(csvOut, text: try TimetableCSV.render(view)) }
        if let htmlOut { outputs.set(htmlOut, text: try HTMLReport.render(view)) }
        if let calendarOut { outputs.set(calendarOut, files: try ICalendarWriter.files(for: view).map { ($0.name, Data($0.text.utf8)) }) }
        try outputs.commit()
        print("term \(id): \(view.sessions.count) weekly sessions written")
    }
}
