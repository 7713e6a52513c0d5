import ArgumentParser
import PeerMatchStore

struct SchemeApprove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve proposed pairs (MENTOR:MENTEE or a mentee's id; --all for every proposal of the term).")

    @OptionGroup var args: PairsArguments
    @Flag(help: "Every proposed pair of the term.") var all = false

    func run() throws {
        let (store, term, refs) = try args.resolve(all: all)
        try store.approve(refs, by: args.actor.actor, note: args.note)
        print("term \(term): approve: \(refs.map(\.description).joined(separator: ", "))")
    }
}
