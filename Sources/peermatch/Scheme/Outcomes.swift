import ArgumentParser

struct SchemeOutcomes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcomes",
        abstract: "Pre and post scores of a named measure (SWEMWBS built in: 7 items scored 1-5, raw total 7-35).",
        subcommands: [SchemeOutcomesRecord.self, SchemeOutcomesImport.self, SchemeOutcomesList.self, SchemeOutcomesDefine.self])
}
