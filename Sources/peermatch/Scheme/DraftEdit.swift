import ArgumentParser
import PeerMatch
import PeerMatchStore

struct SchemeDraftEdit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "edit", abstract: "Correct cells, choose columns or replace files of an open draft.")
    @Argument(help: "The draft's number.") var id: Int64
    @Option(help: "A cell: ROLE:LINE:COLUMN=VALUE (role mentors, mentees, exclusions or locked; the line and column the problem names).")
    var cell: [String] = []
    @Option(help: "Column choices: \"Pupil ID=id,Form=group\" or a column map file.") var columns: String?
    @Option(name: .customLong("mentors"), help: "A new mentors file.") var mentors: String?
    @Option(name: .customLong("mentees"), help: "A new mentees file.") var mentees: String?
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    func run() throws {
        let edits = try cell.map { text -> CellEdit in
            guard let eq = text.firstIndex(of: "=") else { throw ValidationError("--cell: expected ROLE:LINE:COLUMN=VALUE, found \"\(text)\"") }
            let parts = text[..<eq].split(separator: ":")
            guard parts.count == 3, let role = ImportRole(rawValue: String(parts[0])), let line = Int(parts[1]), let column = Int(parts[2]) else {
                throw ValidationError("--cell: expected ROLE:LINE:COLUMN=VALUE (e.g. mentees:5:3=12), found \"\(text)\"")
            }
            return CellEdit(role: role, line: line, column: column, value: String(text[text.index(after: eq)...]))
        }
        let store = try scheme.open()
        var replace: ImportFiles? = nil
        if mentors != nil || mentees != nil {
            guard let m = mentors, let e = mentees else { throw ValidationError("give both --mentors and --mentees to replace the sheets") }
            replace = ImportFiles(mentors: try .read(path: m), mentees: try .read(path: e))
        }
        let draft = try store.updateDraft(DraftID(id), columns: try columns.map { .some(try ColumnMap.load($0)) }, cellEdits: edits,
                                          replace: replace, by: actor.actor)
        print(DraftWriter.text(draft), terminator: "")
    }
}
