import ArgumentParser

struct SchemeTerm: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "term", abstract: "Add and list the scheme's terms.", subcommands: [SchemeTermAdd.self, SchemeTermList.self])
}
