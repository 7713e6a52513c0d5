import ArgumentParser
import Foundation
import PeerMatch
import PeerMatchStore

struct SchemeMatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Match a term from the store: history, declined pairs, endings and approved pairs all count; the proposals are stored.")

    @Argument(help: "The term (default: the term with the latest start).") var term: String?
    @Option(help: "glpk (exact; large matchings by min-cost flow), flow or greedy.") var solver: SolverChoice = .glpk
    @Option(name: .customLong("time-limit"), help: "Seconds for GLPK.") var timeLimit: Double = 60
    @Option(help: "Seed of the lottery (method stable) and the random scores (method random).") var seed: UInt64 = 0
    @Option(help: "Why this run (for the audit log).") var note: String?
    @Flag(help: "Print progress on stderr.") var progress = false
    @OptionGroup var scheme: SchemeFileOptions
    @OptionGroup var actor: ActorOption

    func validate() throws {
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be positive") }
    }

    func run() throws {
        let store = try scheme.open()
        let id = try term.map { TermID($0) } ?? store.latestTerm()
        var report: (@Sendable (SchemeMatchProgress) -> Void)? = nil
        if progress {
            let log = ProgressLog()
            report = { log.show($0) }
        }
        let options = MatchOptions(solver: solver, timeLimit: timeLimit, seed: seed, note: note)
        let summary = try store.match(term: id, options: options, by: actor.actor, progress: report)
        print(SchemeText.run(summary), terminator: "")
        if summary.status == .infeasible { throw ExitCode(1) }
    }
}

/// One stderr line per new stage (the solver reports within long stages too: only changes print).
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var last = ""
    func show(_ p: SchemeMatchProgress) {
        lock.lock(); defer { lock.unlock() }
        let stage = p.solver?.stage ?? p.message
        guard stage != last else { return }
        last = stage
        warn(String(format: "[%5.1f s] %@", p.elapsed, p.message))
    }
}
