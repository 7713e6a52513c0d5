import ArgumentParser
import PeerMatchStore

struct SchemeUnlock: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock", abstract: "Unlock pairs.")

    @Argument(help: "Pairs: MENTOR:MENTEE, or a mentee's id.") var pairs: [String] = []

    @Option(help: "Why (kept with the pair and in the audit log).") var note: String?
    @OptionGroup var term: TermOption
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    func run() throws {
        let store = try scheme.open()
        let id = try term.resolve(store)
        let refs = try pairRefs(pairs, store: store, term: id)
        try store.unlock(refs, by: actor.actor, note: note)
        print("term \(id): unlock: \(refs.map(\.description).joined(separator: ", "))")
    }
}
