import ArgumentParser
import Foundation
import PeerMatchStore

struct SchemeReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "A term's figures: matched share, sessions held, attendance by week, hours, endings by reason, outcome change with its 95% interval.")

    enum Format: String, ExpressibleByArgument { case csv, html }

    @Argument(help: "The term (default: the term with the latest start).") var term: String?
    @Option(help: "csv or html (a printable A4 page).") var format: Format = .csv
    @Option(help: "Output file (default: stdout); written readable by you only.") var out: String?
    @OptionGroup var scheme: SchemeFileOptions

    func run() throws {
        let store = try scheme.open()
        let report = try store.report(term: try term.map { TermID($0) } ?? store.latestTerm())
        let text = format == .csv ? TermReportCSV.render(report) : TermReportHTML.render(report)
        try writeOutput(text, to: out, store: store)
    }
}

/// Prints, or writes a file readable by its owner only (never the scheme file itself).
func writeOutput(_ text: String, to path: String?, store: SchemeStore) throws {
    guard let path else { print(text, terminator: ""); return }
    let a = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
    let b = URL(fileURLWithPath: store.path).standardizedFileURL.resolvingSymlinksInPath()
    if a == b { throw ValidationError("--out: refusing to overwrite the scheme file") }
    try PrivateFile.write(Data(text.utf8), to: path, replace: true)
}
