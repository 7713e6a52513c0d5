import ArgumentParser
import PeerMatch
import PeerMatchStore

struct SchemeMove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move", abstract: "Move a pair's weekly session to another slot and room (without --to: list the places every rule allows).")

    @Argument(help: "The pair: MENTOR:MENTEE, or a mentee's id.") var pair: String
    @Option(help: "Where to: SLOT@ROOM (slot and room ids).") var to: String?
    @Option(help: "Which session, when the pair meets more than once a week: SLOT@ROOM.") var from: String?
    @Option(help: "The first date the new place applies (default: today).") var date: String = "today"
    @OptionGroup var term: TermOption
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    func parse(_ text: String, _ option: String) throws -> Session {
        let parts = text.split(separator: "@").map(String.init)
        guard parts.count == 2 else { throw ValidationError("\(option): expected SLOT@ROOM, found \"\(text)\"") }
        return Session(slot: parts[0], room: parts[1])
    }

    func run() throws {
        let store = try scheme.open()
        let id = try term.resolve(store)
        let ref = try store.pairRef(pair, term: id)
        let from = try self.from.map { try parse($0, "--from") }
        guard let to else {
            for o in try store.moveOptions(ref, from: from) { print("\(o.session.slot)@\(o.session.room)  \(o.label)\(o.current ? "  (now)" : "")") }
            return
        }
        let current = try from ?? store.proposals(term: id).pairs.first { $0.ref == ref }?.sessions.first ?? parse(to, "--to")
        try store.moveSession(ref, from: current, to: try parse(to, "--to"), from: try parseDate(date, option: "--date"), by: actor.actor)
        print("term \(id): \(ref) moved to \(to)")
    }
}
