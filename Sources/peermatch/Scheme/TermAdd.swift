import ArgumentParser
import Foundation
import PeerMatch
import PeerMatchStore

struct SchemeTermAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a term: its dates and, from a setup file, its slots, rooms and format; its policy.")

    @Argument(help: "The term's id (letters, digits, -, _ and .), e.g. 2026-autumn.") var id: String
    @Option(help: "The term's name (default: its id).") var name: String?
    @Option(help: "Setup file (JSON or YAML): term (start, end, skipWeeks, sessionsPerWeek), and for a timetable slots, rooms and format.")
    var setup: String?
    @Option(help: "First day of the term (replaces the setup file's).") var start: String?
    @Option(help: "Last day of the term (replaces the setup file's).") var end: String?
    @Option(help: "Policy file (JSON or YAML) or preset name (default: the default policy).") var policy: String?
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    func run() throws {
        let start = try self.start.map { try parseDate($0, option: "--start") }
        let end = try self.end.map { try parseDate($0, option: "--end") }
        let input: TermSetupInput
        if let setup {
            input = try TermSetupInput.parse(try ImportFile.read(path: setup).data, file: setup, start: start, end: end)
        } else {
            guard let start, let end else { throw ValidationError("give --start and --end, or a --setup file with the term's dates") }
            input = TermSetupInput(start: start, end: end)
        }
        let store = try scheme.open()
        try store.addTerm(id: TermID(id), name: name, setup: input, policy: try policy.map(PolicyInput.resolve), by: actor.actor)
        print(SchemeText.term(try store.term(TermID(id))), terminator: "")
    }
}
