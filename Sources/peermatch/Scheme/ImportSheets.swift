import ArgumentParser
import PeerMatch
import PeerMatchStore

struct SchemeImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a term's spreadsheets (the same import and checks as `peermatch import`); people are matched to earlier terms by id.")

    @Argument(help: "Mentors CSV or workbook.") var mentors: String?
    @Argument(help: "Mentees CSV or workbook.") var mentees: String?
    @Option(help: "Instead of spreadsheets: a cohort file (the JSON peermatch solve reads).") var cohort: String?
    @Option(help: "Exclusions CSV with columns a, b, reason (never pair these two, anywhere in the scheme).") var exclusions: String?
    @Option(help: "Locked pairs CSV with columns mentor, mentee.") var locked: String?
    @Option(help: "Column map: \"Pupil ID=id,Form=group\" or a JSON/YAML file mapping headers to fields (peermatch import --guess writes one).")
    var columns: String?
    @Option(name: .customLong("list-separator"), help: "Separator between items in list cells (default ;, or what the cells show).")
    var listSeparator: String?
    @Option(help: "The sheet to read in workbooks (default: the sheet named like the file's role, else the first).") var sheet: String?
    @Flag(help: "Keep the import as a draft to check and correct before saving (peermatch scheme draft ...).") var stage = false
    @OptionGroup var term: TermOption
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    func validate() throws {
        if cohort == nil && (mentors == nil || mentees == nil) { throw ValidationError("give the mentors and mentees spreadsheets, or --cohort FILE") }
        if cohort != nil && (mentors != nil || mentees != nil) { throw ValidationError("give spreadsheets or --cohort, not both") }
    }

    func run() throws {
        let store = try scheme.open()
        if let cohort {
            print(SchemeText.importSummary(try store.importCohortFile(term: try term.resolve(store), file: try .read(path: cohort), by: actor.actor)),
                  terminator: "")
            return
        }
        let files = ImportFiles(mentors: try .read(path: mentors!), mentees: try .read(path: mentees!),
                                exclusions: try exclusions.map { try .read(path: $0) }, locked: try locked.map { try .read(path: $0) })
        let options = ImportOptions(columns: try columns.map(ColumnMap.load), listSeparator: listSeparator, sheet: sheet)
        if stage {
            let draft = try store.stageImport(term: try term.resolve(store), files: files, options: options, by: actor.actor)
            print(DraftWriter.text(draft), terminator: "")
            return
        }
        let summary = try store.importSpreadsheets(term: try term.resolve(store), files: files, options: options, by: actor.actor)
        print(SchemeText.importSummary(summary), terminator: "")
    }
}
