import ArgumentParser
import PeerMatch
import PeerMatchStore

struct SchemeImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a term's spreadsheets (the same import and checks as `peermatch import`); people are matched to earlier terms by id.")

    @Argument(help: "Mentors CSV.") var mentors: String
    @Argument(help: "Mentees CSV.") var mentees: String
    @Option(help: "Exclusions CSV with columns a, b, reason (never pair these two, anywhere in the scheme).") var exclusions: String?
    @Option(help: "Locked pairs CSV with columns mentor, mentee.") var locked: String?
    @Option(help: "Column map: \"Pupil ID=id,Form=group\" or a JSON/YAML file mapping headers to fields.") var columns: String?
    @OptionGroup var term: TermOption
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    func run() throws {
        let store = try scheme.open()
        let files = ImportFiles(mentors: try .read(path: mentors), mentees: try .read(path: mentees),
                                exclusions: try exclusions.map { try .read(path: $0) }, locked: try locked.map { try .read(path: $0) })
        let summary = try store.importSpreadsheets(term: try term.resolve(store), files: files,
                                                   options: ImportOptions(columns: try columns.map(CSVImport.columnMap) ?? [:]), by: actor.actor)
        print(SchemeText.importSummary(summary), terminator: "")
    }
}
