import ArgumentParser
import PeerMatchStore

struct SchemeAudit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit log, newest first: when, who, what, why.")

    @Option(help: "How many entries.") var limit = 50
    @Option(help: "Skip this many of the newest.") var offset = 0
    @Option(help: "Only this term's entries.") var term: String?
    @OptionGroup var scheme: SchemeFileOptions

    func run() throws {
        for e in try scheme.open().audit(limit: limit, offset: offset, term: term.map { TermID($0) }) {
            print("\(e.at)  r\(e.revision)  \(e.actor)  \(e.action)\(e.term.map { " [\($0)]" } ?? "")  \(e.subject)"
                  + (e.detail.isEmpty ? "" : ": \(e.detail)") + (e.why.map { "  (why: \($0))" } ?? ""))
        }
    }
}
