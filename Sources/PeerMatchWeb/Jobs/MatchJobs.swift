import Foundation
import PeerMatch
import PeerMatchStore

/// Long store operations started from the page (a match run, a withdrawal's re-match), each on its
/// own thread, with their latest progress kept so the page can show it within a second of the
/// button press (the store reports its stages through a callback; this only holds on to the last
/// report).
///
/// Presentation plumbing, not an operation: the work itself is one store call. One job per key at
/// a time; starting a key again while its job runs returns the same job. A dedicated thread, not a
/// task, because a solve blocks for seconds and Swift's cooperative pool has only as many threads
/// as cores (two here): the pages must stay quick while it works.
/// What a progress page shows of any job.
protocol JobProgress {
    var progress: SchemeMatchProgress? { get }
    var by: String { get }
    var running: Bool { get }
    func elapsed(now: Date) -> Double
}

final class Jobs<Output: Sendable>: @unchecked Sendable {
    struct Snapshot: Sendable, JobProgress {
        var id: Int
        var key: String
        var term: TermID
        var by: String
        var startedAt: Date
        var progress: SchemeMatchProgress?
        var finishedAt: Date?
        var output: Output?
        var error: (any Error)?
        /// Whether a page has already announced the finished job.
        var announced: Bool

        var running: Bool { finishedAt == nil }
        var failure: String? { error.map { ($0 as? StoreError)?.description ?? String(describing: $0) } }
        func elapsed(now: Date = Date()) -> Double { (finishedAt ?? now).timeIntervalSince(startedAt) }
    }

    private let lock = NSLock()
    private var jobs: [String: Snapshot] = [:]
    private var nextID = 1
    /// Finished jobs kept at most (the oldest finished ones go first; running ones always stay).
    private let keep: Int

    init(keep: Int = 32) { self.keep = keep }

    /// Starts `work` under `key` unless a job of that key is running; returns the job either way.
    /// `restart` says whether a finished job of that key is replaced by a new one (by default it is).
    func start(key: String, term: TermID, by actor: Actor, thread name: String,
               restart: (Snapshot) -> Bool = { _ in true },
               work: @escaping @Sendable (_ progress: @escaping @Sendable (SchemeMatchProgress) -> Void) throws -> Output) -> Snapshot {
        let (snapshot, isNew): (Snapshot, Bool) = lock.withLock {
            if let j = jobs[key], j.running || !restart(j) { return (j, false) }
            let j = Snapshot(id: nextID, key: key, term: term, by: actor.name, startedAt: Date(), announced: false)
            nextID += 1
            jobs[key] = j
            let finished = jobs.values.filter { !$0.running }.sorted { $0.id < $1.id }
            for old in finished.prefix(max(0, jobs.count - keep)) { jobs[old.key] = nil }
            return (j, true)
        }
        guard isNew else { return snapshot }
        let id = snapshot.id
        let thread = Thread { [self] in
            do {
                let output = try work { [self] p in update(key, id) { $0.progress = p } }
                update(key, id) { $0.output = output; $0.finishedAt = Date() }
            } catch {
                update(key, id) { $0.error = error; $0.finishedAt = Date() }
            }
        }
        thread.name = name
        thread.stackSize = 16 << 20   // the solvers recurse; the default 512 kB of a secondary thread is too small
        thread.start()
        return snapshot
    }

    func snapshot(key: String) -> Snapshot? { lock.withLock { jobs[key] } }
    func snapshot(id: Int) -> Snapshot? { lock.withLock { jobs.values.first { $0.id == id } } }

    /// Forgets a finished job (so the next request for its key starts afresh).
    func forget(key: String, id: Int) { lock.withLock { if jobs[key]?.id == id, jobs[key]?.running == false { jobs[key] = nil } } }

    /// Marks a finished job as shown; true the first time only.
    func announce(key: String) -> Bool {
        lock.withLock {
            guard let j = jobs[key], !j.running, !j.announced else { return false }
            jobs[key]?.announced = true
            return true
        }
    }

    private func update(_ key: String, _ id: Int, _ change: (inout Snapshot) -> Void) {
        lock.withLock {
            guard var j = jobs[key], j.id == id else { return }
            change(&j)
            jobs[key] = j
        }
    }
}

/// Match runs: one per term.
typealias MatchJobs = Jobs<MatchRunSummary>

extension Jobs where Output == MatchRunSummary {
    /// Starts a match run of `term` unless one is running; returns the run either way.
    func start(term: TermID, store: SchemeStore, options: MatchOptions, by actor: Actor) -> Snapshot {
        start(key: term.rawValue, term: term, by: actor, thread: "peermatch-match-\(term.rawValue)") { progress in
            try store.match(term: term, options: options, by: actor, progress: progress)
        }
    }

    func snapshot(_ term: TermID) -> Snapshot? { snapshot(key: term.rawValue) }
    func announce(_ term: TermID) -> Bool { announce(key: term.rawValue) }
}

extension Jobs.Snapshot where Output == MatchRunSummary {
    var summary: MatchRunSummary? { output }
}

/// Withdrawal plans being worked out (a re-match of the term each): one per question asked
/// (person, date, cap, reason, note).
typealias PlanJobs = Jobs<WithdrawalPlan>
