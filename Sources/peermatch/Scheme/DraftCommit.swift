import ArgumentParser
import PeerMatchStore

struct SchemeDraftCommit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "commit", abstract: "Save a draft as the term's import (refused while errors remain).")
    @Argument(help: "The draft's number.") var id: Int64
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    func run() throws {
        print(SchemeText.importSummary(try scheme.open().commitImport(DraftID(id), by: actor.actor)), terminator: "")
    }
}
