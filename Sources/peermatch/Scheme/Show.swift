import ArgumentParser
import PeerMatchStore

struct SchemeShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "A term's pairs with their state and reasons, the unmatched with theirs, and the shortfalls.")

    @Argument(help: "The term (default: the term with the latest start).") var term: String?
    @Option(help: "table, json or csv.") var format: SchemeOutputFormat = .table
    @OptionGroup var scheme: SchemeFileOptions

    func run() throws {
        let store = try scheme.open()
        let id = try term.map { TermID($0) } ?? store.latestTerm()
        print(MatchesWriter.render(try store.proposals(term: id), format: format, setup: try store.term(id).setup), terminator: "")
    }
}

extension SchemeOutputFormat: ExpressibleByArgument {}
