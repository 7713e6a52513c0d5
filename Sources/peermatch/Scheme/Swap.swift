import ArgumentParser
import PeerMatch
import PeerMatchStore

struct SchemeSwap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swap", abstract: "Swap two mentees' mentors (each takes the other's sessions): shows the change and the rules, then saves it.")

    @Argument(help: "One mentee's id.") var menteeA: String
    @Argument(help: "The other mentee's id.") var menteeB: String
    @Option(help: "Why (kept in the audit log).") var note: String?
    @Flag(name: .customLong("dry-run"), help: "Show what would change; save nothing.") var dryRun = false
    @OptionGroup var term: TermOption
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    func run() throws {
        let store = try scheme.open()
        let id = try term.resolve(store)
        let p = try store.previewSwap(term: id, menteeA: PersonID(menteeA), menteeB: PersonID(menteeB))
        func score(_ h: Int?) -> String { h.map { formatNumber(Score.points($0)) } ?? "-" }
        print("now: " + p.before.map { "\($0.mentor):\($0.mentee) (\(score($0.scoreHundredths)))" }.joined(separator: ", ") + ", total \(score(p.scoreBefore))")
        print("after: " + p.after.map { "\($0.mentor):\($0.mentee) (\(score($0.scoreHundredths)))" }.joined(separator: ", ") + ", total \(score(p.scoreAfter))")
        for problem in p.problems { print("  cannot: \(problem)") }
        guard p.allowed else { throw ExitCode(1) }
        if dryRun { print("dry run: nothing saved"); return }
        try store.swap(term: id, menteeA: PersonID(menteeA), menteeB: PersonID(menteeB), by: actor.actor, note: note)
        print("saved: the new pairs are \(p.newState.rawValue)")
    }
}
