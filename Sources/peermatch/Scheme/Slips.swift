import ArgumentParser
import PeerMatchStore

struct SchemeSlips: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slips", abstract: "A slip per person to hand out: who they meet, when and where (no needs or reasons).")

    @OptionGroup var term: TermOption
    @Flag(name: .customLong("include-proposed"), help: "Proposals too (default: approved and active pairs).") var includeProposed = false
    @OptionGroup var scheme: SchemeFileOptions

    func run() throws {
        let store = try scheme.open()
        for slip in try store.slips(term: try term.resolve(store), includeProposed: includeProposed) {
            print("\(slip.name) (\(slip.person)):")
            for m in slip.meetings {
                let dates = m.dates.isEmpty ? "" : ", \(m.dates.count) dates from \(m.dates.first!) to \(m.dates.last!)"
                print("  \(m.day.name)s \(m.start)–\(m.end)\(m.slotLabel.map { " (\($0))" } ?? "") in \(m.room) with \(m.with.joined(separator: ", "))\(dates)")
            }
        }
    }
}
