import ArgumentParser
import PeerMatchStore

struct SchemeDecline: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decline", abstract: "Decline pairs: the two are never proposed again anywhere in the scheme.")

    @OptionGroup var args: PairsArguments

    func run() throws {
        let (store, term, refs) = try args.resolve()
        try store.decline(refs, by: args.actor.actor, note: args.note)
        print("term \(term): decline: \(refs.map(\.description).joined(separator: ", "))")
    }
}
