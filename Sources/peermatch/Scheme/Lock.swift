import ArgumentParser
import PeerMatchStore

struct SchemeLock: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lock", abstract: "Lock pairs: kept, with their session, through every later match and re-match.")

    @OptionGroup var args: PairsArguments

    func run() throws {
        let (store, term, refs) = try args.resolve()
        try store.lock(refs, by: args.actor.actor, note: args.note)
        print("term \(term): lock: \(refs.map(\.description).joined(separator: ", "))")
    }
}
