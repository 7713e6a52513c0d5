import ArgumentParser
import PeerMatchStore

struct SchemeRecord: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a session (held, missed-by-mentee, missed-by-mentor, cancelled, closure), or a whole register from a CSV.")

    @Argument(help: "The pair: MENTOR:MENTEE, or a mentee's id.") var pair: String?
    @Option(help: "The session's date (default: today).") var date: String = "today"
    @Option(help: "held, missed-by-mentee, missed-by-mentor, cancelled or closure.") var outcome: String?
    @Option(help: "Minutes the session lasted (default for a held session: the slot's length).") var minutes: Int?
    @Option(help: "A note.") var note: String?
    @Option(help: "A register CSV: date, mentor, mentee, outcome, and optionally minutes and note.") var register: String?
    @OptionGroup var term: TermOption
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    func validate() throws {
        if register == nil && (pair == nil || outcome == nil) { throw ValidationError("give a PAIR and --outcome, or --register FILE") }
        if register != nil && (pair != nil || outcome != nil) { throw ValidationError("--register records a whole file; leave out PAIR and --outcome") }
    }

    func run() throws {
        let store = try scheme.open()
        let id = try term.resolve(store)
        let summary: RecordSummary
        if let register {
            summary = try store.importRegister(term: id, csv: try .read(path: register), by: actor.actor)
        } else {
            guard let what = SessionOutcome(text: outcome!) else {
                throw ValidationError("--outcome: expected one of \(SessionOutcome.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(outcome!)\"")
            }
            let ref = try store.pairRef(pair!, term: id)
            summary = try store.record([SessionRecordInput(pair: ref, date: try parseDate(date, option: "--date"), outcome: what,
                                                           minutes: minutes, note: note)], by: actor.actor)
        }
        print("term \(id): \(summary.added) recorded, \(summary.corrected) corrected, \(summary.unchanged) already recorded"
              + (summary.activated.isEmpty ? "" : "; now active: " + summary.activated.map(\.description).joined(separator: ", ")))
    }
}
