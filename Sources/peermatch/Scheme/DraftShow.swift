import ArgumentParser
import PeerMatchStore

struct SchemeDraftShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "A draft: columns, problems at their cells, what saving would do.")
    @Argument(help: "The draft's number.") var id: Int64
    @Flag(help: "Also print every row as read.") var rows = false
    @OptionGroup var scheme: SchemeFileOptions

    func run() throws {
        print(DraftWriter.text(try scheme.open().importDraft(DraftID(id)), rows: rows), terminator: "")
    }
}
