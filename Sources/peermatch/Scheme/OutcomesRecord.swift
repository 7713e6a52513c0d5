import ArgumentParser
import PeerMatch
import PeerMatchStore

struct SchemeOutcomesRecord: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "record", abstract: "Record one person's score.")

    @Argument(help: "The person's id.") var person: String
    @Option(help: "The measure (default: swemwbs).") var measure = "swemwbs"
    @Option(help: "pre or post.") var phase: String
    @Option(help: "The date it was taken (default: today).") var date: String = "today"
    @Option(help: "Item scores, comma-separated (\"3,4,4,2,5,3,4\").") var items: String?
    @Option(help: "The total, when the items were not kept.") var total: Double?
    @Option(help: "A note.") var note: String?
    @OptionGroup var term: TermOption
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    func run() throws {
        guard let when = OutcomePhase(rawValue: phase.lowercased()) else { throw ValidationError("--phase: expected pre or post, found \"\(phase)\"") }
        let scores = try items.map { text -> [Int] in
            try text.split(separator: ",").map { part in
                guard let v = Int(part.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("--items: expected whole numbers separated by commas, found \"\(part)\"") }
                return v
            }
        }
        if scores == nil && total == nil { throw ValidationError("give --items or --total") }
        let store = try scheme.open()
        let id = try term.resolve(store)
        try store.recordOutcome(OutcomeInput(term: id, person: PersonID(person), measure: measure, phase: when,
                                             date: try parseDate(date, option: "--date"), items: scores, total: total, note: note), by: actor.actor)
        print("term \(id): \(person) \(measure) \(when.rawValue) recorded")
    }
}
