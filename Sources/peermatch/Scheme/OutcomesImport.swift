import ArgumentParser
import PeerMatchStore

struct SchemeOutcomesImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Record scores from a CSV: person, phase (pre/post), date, and item1..itemN or total.")

    @Argument(help: "The CSV.") var file: String
    @Option(help: "The measure (or a measure column in the file).") var measure: String?
    @OptionGroup var term: TermOption
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    func run() throws {
        let store = try scheme.open()
        let id = try term.resolve(store)
        let n = try store.importOutcomes(term: id, csv: try .read(path: file), measure: measure, by: actor.actor)
        print("term \(id): \(n) scores recorded from \(file)")
    }
}
