import ArgumentParser
import PeerMatchStore

struct SchemeRegister: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "A week's register: the planned sessions and what is recorded (--format csv gives a sheet to fill in and record).")

    @Option(help: "Any date in the week (default: today).") var week: String = "today"
    @Option(help: "table, csv or json.") var format: SchemeOutputFormat = .table
    @OptionGroup var term: TermOption
    @OptionGroup var scheme: SchemeFileOptions

    func run() throws {
        let store = try scheme.open()
        let id = try term.resolve(store)
        let day = try parseDate(week, option: "--week")
        print(RegisterWriter.render(try store.register(term: id, week: day), term: id, week: day, setup: try store.term(id).setup, format: format),
              terminator: "")
    }
}
