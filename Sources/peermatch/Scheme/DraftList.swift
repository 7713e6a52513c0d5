import ArgumentParser
import PeerMatchStore

struct SchemeDraftList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The scheme's drafts, newest first.")
    @Option(help: "Only this term's drafts.") var term: String?
    @OptionGroup var scheme: SchemeFileOptions

    func run() throws {
        for d in try scheme.open().drafts(term: term.map { TermID($0) }) {
            print("\(d.id.rawValue)  \(d.term)  \(d.state.rawValue)  \(d.files.joined(separator: ", "))  \(d.updatedAt) by \(d.updatedBy)")
        }
    }
}
