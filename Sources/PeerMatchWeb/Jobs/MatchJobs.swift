import Foundation
import PeerMatch
import PeerMatchStore

/// Match runs started from the page, each on its own thread, with their latest progress kept so
/// the page can show it within a second of the button press (the store's `match` reports its
/// stages through a callback; this only holds on to the last report).
///
/// Presentation plumbing, not an operation: the run itself is the store's `match`. One run per
/// term at a time; pressing Match again while one runs shows the same run. A dedicated thread,
/// not a task, because the solve blocks for seconds and Swift's cooperative pool has only as many
/// threads as cores (two here): the pages must stay quick while it works.
final class MatchJobs: @unchecked Sendable {
    struct Snapshot: Sendable {
        var id: Int
        var term: TermID
        var by: String
        var startedAt: Date
        var progress: SchemeMatchProgress?
        var finishedAt: Date?
        var summary: MatchRunSummary?
        var failure: String?
        /// Whether a page has already announced the finished run.
        var announced: Bool

        var running: Bool { finishedAt == nil }
        func elapsed(now: Date = Date()) -> Double { (finishedAt ?? now).timeIntervalSince(startedAt) }
    }

    private let lock = NSLock()
    private var jobs: [TermID: Snapshot] = [:]
    private var nextID = 1

    /// Starts a run of `term` unless one is running; returns the run either way.
    func start(term: TermID, store: SchemeStore, options: MatchOptions, by actor: Actor) -> Snapshot {
        let (snapshot, isNew): (Snapshot, Bool) = lock.withLock {
            if let j = jobs[term], j.running { return (j, false) }
            let j = Snapshot(id: nextID, term: term, by: actor.name, startedAt: Date(), announced: false)
            nextID += 1
            jobs[term] = j
            return (j, true)
        }
        guard isNew else { return snapshot }
        let id = snapshot.id
        let thread = Thread { [self] in
            do {
                let summary = try store.match(term: term, options: options, by: actor) { [self] p in
                    update(term, id) { $0.progress = p }
                }
                update(term, id) { $0.summary = summary; $0.finishedAt = Date() }
            } catch {
                let text = (error as? StoreError)?.description ?? String(describing: error)
                update(term, id) { $0.failure = text; $0.finishedAt = Date() }
            }
        }
        thread.name = "peermatch-match-\(term.rawValue)"
        thread.stackSize = 16 << 20   // the solvers recurse; the default 512 kB of a secondary thread is too small
        thread.start()
        return snapshot
    }

    func snapshot(_ term: TermID) -> Snapshot? { lock.withLock { jobs[term] } }

    /// Marks a finished run as shown; true the first time only.
    func announce(_ term: TermID) -> Bool {
        lock.withLock {
            guard let j = jobs[term], !j.running, !j.announced else { return false }
            jobs[term]?.announced = true
            return true
        }
    }

    private func update(_ term: TermID, _ id: Int, _ change: (inout Snapshot) -> Void) {
        lock.withLock {
            guard var j = jobs[term], j.id == id else { return }
            change(&j)
            jobs[term] = j
        }
    }
}
