import ArgumentParser
import PeerMatch
import PeerMatchStore

struct SchemeWithdraw: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw",
        abstract: "Withdraw a person from a term: end their pairs, re-match the rest keeping every other pair and session; shows the changes, then saves them.")

    @Argument(help: "The person's id.") var person: String
    @Option(help: "The date they leave (default: today).") var date: String = "today"
    @Option(name: .customLong("max-changes"), help: "How many other pairs' sessions may change to match more mentees (default 0).")
    var maxChanges: Int?
    @Option(help: "Why their pairs end (default: mentor-withdrew for a mentor, other for a mentee).") var reason: String?
    @Option(help: "A note (kept with the withdrawal and in the audit log).") var note: String?
    @Flag(name: .customLong("dry-run"), help: "Show what would change; save nothing.") var dryRun = false
    @OptionGroup var term: TermOption
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    func validate() throws {
        if let maxChanges, maxChanges < 0 { throw ValidationError("--max-changes must be 0 or more") }
    }

    func run() throws {
        let why = try reason.map { text -> EndReason in
            guard let r = EndReason(text: text) else {
                throw ValidationError("--reason: expected one of \(EndReason.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(text)\"")
            }
            return r
        }
        let store = try scheme.open()
        let id = try term.resolve(store)
        let plan = try store.planWithdrawal(person: PersonID(person), term: id, date: try parseDate(date, option: "--date"),
                                            maxChanges: maxChanges, reason: why, note: note)
        print(SchemeText.withdrawal(plan, setup: try store.term(id).setup), terminator: "")
        if dryRun { print("dry run: nothing saved"); return }
        let run = try store.applyWithdrawal(plan, by: actor.actor)
        print("saved (run \(run.runID))")
    }
}
