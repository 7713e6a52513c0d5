import ArgumentParser
import Foundation
import PeerMatch
import PeerMatchStore

struct SchemeTimetable: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timetable", abstract: "The term's timetable as CSV, calendars (one per room and person) and a printable page.")

    @Argument(help: "The term (default: the term with the latest start).") var term: String?
    @Option(help: "One CSV row per session date.") var csv: String?
    @Option(help: "A new folder of iCalendar files, one per room and one per person.") var calendar: String?
    @Option(help: "A printable, self-contained HTML page.") var html: String?
    @Flag(name: .customLong("approved-only"), help: "Only approved and active pairs (default: proposals too).") var approvedOnly = false
    @OptionGroup var scheme: SchemeFileOptions

    func validate() throws {
        if csv == nil && calendar == nil && html == nil { throw ValidationError("give --csv, --calendar or --html") }
    }

    func run() throws {
        let store = try scheme.open()
        let id = try term.map { TermID($0) } ?? store.latestTerm()
        let view = try store.timetable(term: id, states: approvedOnly ? [.approved, .active] : PairState.live)
        // Every file is rendered before any is written.
        let csvText = try csv.map { _ in try TimetableCSV.render(view) }
        let htmlText = try html.map { _ in try HTMLReport.render(view) }
        if let csv, let csvText { try writeOutput(csvText, to: csv, store: store) }
        if let html, let htmlText { try writeOutput(htmlText, to: html, store: store) }
        if let calendar {
            let files = try ICalendarWriter.files(for: view)
            _ = try PrivateFile.writeFolder(files.map { ($0.name, Data($0.text.utf8)) }, to: calendar)
        }
        print("term \(id): \(view.sessions.count) weekly sessions written")
    }
}
