import ArgumentParser
import PeerMatch
import PeerMatchStore

struct SchemeWhyNot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "why-not", abstract: "Why a mentor and a mentee are not paired: the hard rules that rule them out, or the score term by term.")

    @Argument(help: "The mentor's id.") var mentor: String
    @Argument(help: "The mentee's id.") var mentee: String
    @OptionGroup var term: TermOption
    @OptionGroup var scheme: SchemeFileOptions

    func run() throws {
        let store = try scheme.open()
        let e = try store.whyNot(term: try term.resolve(store), mentor: PersonID(mentor), mentee: PersonID(mentee))
        print(e.summary)
        for b in e.breaches { print("  rule \(b.rule): \(b.text)") }
        if e.allowed {
            for t in e.breakdown { print("  \(t.term): \(formatNumber(Score.points(t.hundredths)))") }
            for r in e.reasons { print("  - \(r)") }
            if let slots = e.commonSlots { print("  common free slots: " + (slots.isEmpty ? "none" : slots.joined(separator: ", "))) }
        }
    }
}
