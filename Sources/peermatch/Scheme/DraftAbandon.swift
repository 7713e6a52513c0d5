import ArgumentParser
import PeerMatchStore

struct SchemeDraftAbandon: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "abandon", abstract: "Put a draft aside (it is kept).")
    @Argument(help: "The draft's number.") var id: Int64
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    func run() throws {
        try scheme.open().abandonDraft(DraftID(id), by: actor.actor)
        print("draft \(id) abandoned")
    }
}
