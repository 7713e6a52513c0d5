import ArgumentParser
import PeerMatchStore

struct SchemeEnd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "end", abstract: "End a pair with a reason; --no-repeat keeps the two apart in every later term.")

    @Argument(help: "The pair: MENTOR:MENTEE, or a mentee's id.") var pair: String
    @Option(help: "goals-met, mentee-disengaged, mentor-withdrew, conflict, safeguarding, moved-away or other.") var reason: String
    @Option(help: "The last day of the pair (default: today).") var date: String = "today"
    @Flag(name: .customLong("no-repeat"), help: "Never pair these two again (an exclusion).") var noRepeat = false
    @Option(help: "A note (kept with the pair and in the audit log).") var note: String?
    @OptionGroup var term: TermOption
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    func run() throws {
        guard let why = EndReason(text: reason) else {
            throw ValidationError("--reason: expected one of \(EndReason.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(reason)\"")
        }
        let store = try scheme.open()
        let id = try term.resolve(store)
        let ref = try store.pairRef(pair, term: id)
        try store.end(ref, reason: why, note: note, noRepeat: noRepeat, date: try parseDate(date, option: "--date"), by: actor.actor)
        print("term \(id): ended \(ref) (\(why.label))" + (noRepeat ? "; they will not be paired again" : ""))
    }
}
