import ArgumentParser
import PeerMatch
import PeerMatchStore

struct SchemeOutcomesList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The measures, and a term's scores.")

    @OptionGroup var term: TermOption
    @OptionGroup var scheme: SchemeFileOptions

    func run() throws {
        let store = try scheme.open()
        for m in try store.measures() { print("measure \(m.name): \(m.title), \(m.items) items scored \(m.itemMin)-\(m.itemMax)") }
        let id = try term.resolve(store)
        for o in try store.outcomes(term: id) {
            print("\(id) \(o.person) \(o.measure) \(o.phase.rawValue) \(o.date): \(formatNumber(o.total))" + (o.items.isEmpty ? "" : " (\(o.items.map(String.init).joined(separator: ",")))"))
        }
    }
}
