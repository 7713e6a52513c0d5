import ArgumentParser
import PeerMatchStore

struct SchemeUnlock: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unlock", abstract: "Unlock pairs.")

    @OptionGroup var args: PairsArguments

    func run() throws {
        let (store, term, refs) = try args.resolve()
        try store.unlock(refs, by: args.actor.actor, note: args.note)
        print("term \(term): unlock: \(refs.map(\.description).joined(separator: ", "))")
    }
}
