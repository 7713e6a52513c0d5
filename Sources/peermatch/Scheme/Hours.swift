import ArgumentParser
import PeerMatch
import PeerMatchStore

struct SchemeHours: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hours", abstract: "Record a mentor's agreed time a week (review flags weeks over it).")

    @Argument(help: "The mentor's id.") var mentor: String
    @Option(name: .customLong("minutes-per-week"), help: "Agreed minutes a week.") var minutesPerWeek: Int
    @OptionGroup var term: TermOption
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    func run() throws {
        let store = try scheme.open()
        let id = try term.resolve(store)
        try store.setAgreedHours(term: id, mentor: PersonID(mentor), minutesPerWeek: minutesPerWeek, by: actor.actor)
        print("term \(id): \(mentor) agreed \(minutesPerWeek) minutes a week")
    }
}
