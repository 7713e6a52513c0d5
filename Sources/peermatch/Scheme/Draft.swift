import ArgumentParser

struct SchemeDraft: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft",
        abstract: "Staged imports (peermatch scheme import --stage): see the columns and problems, correct cells, then save.",
        subcommands: [SchemeDraftList.self, SchemeDraftShow.self, SchemeDraftEdit.self, SchemeDraftCommit.self, SchemeDraftAbandon.self])
}
