import ArgumentParser
import Foundation
import PeerMatch
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
    var plan = try SchemeOutputs(store: store)
    plan.set(try plan.file(path, option: "--out"), text: text)
    try plan.commit()
}

/// The outputs of one scheme verb, through ``OutputPlan`` (all or none; devices, FIFOs and
/// standard output written in place; the scheme file and its journal never written over, however
/// spelled), as files readable by their owner only.
struct SchemeOutputs {
    private var plan: OutputPlan
    private let store: SchemeStore

    init(store: SchemeStore) throws {
        self.store = store
        plan = OutputPlan(protecting: [store.path] + ["-wal", "-shm", "-journal"].map { store.path + $0 }
            .filter { FileManager.default.fileExists(atPath: $0) })
        plan.privateFiles = true
    }

    mutating func file(_ path: String?, option: String) throws -> OutputPlan.Output {
        if let path {
            let a = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
            let b = URL(fileURLWithPath: store.path).standardizedFileURL.resolvingSymlinksInPath()
            if a == b { throw ValidationError("\(option): refusing to overwrite the scheme file") }
        }
        return try plan.file(path, option: option)
    }

    mutating func folder(_ path: String, option: String) throws -> OutputPlan.Output { try plan.folder(path, option: option) }
    mutating func set(_ output: OutputPlan.Output, text: String) { plan.set(output, text: text) }
    mutating func set(_ output: OutputPlan.Output, files: [(name: String, data: Data)]) { plan.set(output, files: files) }
    func commit() throws { try plan.commit() }
}
