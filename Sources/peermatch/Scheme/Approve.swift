import ArgumentParser
import PeerMatchStore

struct SchemeApprove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve proposed pairs (MENTOR:MENTEE or a mentee's id; --all for every proposal of the term).")

    @Argument(help: "Pairs: MENTOR:MENTEE, or a mentee's id.") var pairs: [String] = []
    @Flag(help: "Every proposed pair of the term.") var all = false
    @Option(help: "Why (kept with the pair and in the audit log).") var note: String?
    @OptionGroup var term: TermOption
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    func run() throws {
        let store = try scheme.open()
        let id = try term.resolve(store)
        let refs = all ? try store.proposals(term: id).pairs(in: [.proposed]).map(\.ref) : try pairRefs(pairs, store: store, term: id)
        try store.approve(refs, by: actor.actor, note: note)
        print("term \(id): approve: \(refs.map(\.description).joined(separator: ", "))")
    }
}
