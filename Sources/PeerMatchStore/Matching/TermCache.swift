import Foundation
import GRDB
import PeerMatch

/// A term's cohort as built from the store at one revision, with what the one-pair questions need
/// from it: the core's pairing context (people by index, the named hard rules and score terms) and,
/// made on first use, the timetable checker (the term's candidate pairs and timetable facts).
///
/// Building these takes most of a second on a 2,000-mentee term (reading and validating every
/// person, then generating every candidate pair), while a question about one pair takes
/// microseconds once they exist. So the store keeps the last few, keyed by term and revision:
/// every write bumps the revision, so an entry is never used after anything changed, in this
/// process or another (the revision is read in the same snapshot as the question).
final class BuiltTerm: @unchecked Sendable {
    // Immutable after init except `checkerResult`, which is guarded by `lock`.
    let built: TermCohort
    let context: PairingContext
    let revision: Int
    private let lock = NSLock()
    private var checkerResult: Result<TimetableChecker, Error>?

    /// `earlier`: the entry this build took its cohort over from; when it took the whole cohort
    /// (nothing the pairing context or the checker depend on changed), they are shared too.
    init(built: TermCohort, revision: Int, earlier: BuiltTerm? = nil) {
        self.built = built
        self.revision = revision
        if let earlier, built.reused == .whole {
            context = earlier.context
            checkerResult = earlier.lock.withLock { earlier.checkerResult }
        } else {
            context = PairingContext(cohort: built.cohort, policy: built.policy)
        }
    }

    /// The core's timetable checker over this cohort, built once (its error too).
    func checker() throws -> TimetableChecker {
        try lock.withLock {
            if let r = checkerResult { return try r.get() }
            let r = Result { try TimetableChecker(cohort: built.cohort, policy: built.policy) }
            checkerResult = r
            return try r.get()
        }
    }
}

/// The store's per-revision cache of built terms: bounded (the most recently used few), safe to
/// use from many threads, and one build at a time (a second question asked while the first is
/// building waits for it instead of building the same term again).
final class TermCache: @unchecked Sendable {
    struct Key: Hashable {
        var term: TermID
        var revision: Int
    }

    /// How many built terms are kept: each is some tens of MB for a 2,000-mentee term.
    static let capacity = 3

    private let lock = NSLock()
    /// Serialises builds (so concurrent questions about one term build it once).
    private let building = NSLock()
    private var entries: [(key: Key, value: BuiltTerm)] = []
    /// Counts, for tests: how many times a term was built, and answered from the cache.
    private var builds = 0
    private var hits = 0
    /// Builds that took over an earlier build's cohort instead of reading every person again.
    private var reuses = 0
    var counts: (builds: Int, hits: Int) { lock.withLock { (builds, hits) } }
    var reuseCount: Int { lock.withLock { reuses } }

    func lookup(_ key: Key) -> BuiltTerm? {
        lock.withLock {
            guard let k = entries.firstIndex(where: { $0.key == key }) else { return nil }
            let e = entries.remove(at: k)
            entries.append(e)
            hits += 1
            return e.value
        }
    }

    /// The newest entry of `term` at a revision before `revision`, if any.
    func latest(_ term: TermID, before revision: Int) -> BuiltTerm? {
        lock.withLock { entries.filter { $0.key.term == term && $0.key.revision < revision }.max { $0.key.revision < $1.key.revision }?.value }
    }

    /// The entry for `key`, built when missing; `build` is given the term's newest older entry,
    /// whose cohort it may take over (see ``TermCohort/Reuse``).
    func entry(_ key: Key, build: (BuiltTerm?) throws -> TermCohort) throws -> BuiltTerm {
        if let hit = lookup(key) { return hit }
        building.lock(); defer { building.unlock() }
        if let hit = lookup(key) { return hit }
        let earlier = latest(key.term, before: key.revision)
        let built = try build(earlier)
        let value = BuiltTerm(built: built, revision: key.revision, earlier: earlier)
        lock.withLock {
            // Entries of older revisions of the same term can never be asked for again.
            entries.removeAll { $0.key.term == key.term && $0.key.revision < key.revision }
            entries.append((key, value))
            if entries.count > Self.capacity { entries.removeFirst(entries.count - Self.capacity) }
            builds += 1
            if built.reused != .nothing { reuses += 1 }
        }
        return value
    }

    var count: Int { lock.withLock { entries.count } }
}

extension SchemeStore {
    /// The term's cohort as a match run would build it, at the revision `db` sees, from the cache
    /// when it holds that revision.
    func builtTerm(_ db: Database, term: TermID) throws -> BuiltTerm {
        let revision = try Int.fetchOne(db, sql: "SELECT revision FROM scheme WHERE id = 1") ?? 0
        return try termCache.entry(TermCache.Key(term: term, revision: revision)) { earlier in
            try TermCohort.build(db, store: self, term: term, previous: earlier?.built)
        }
    }

    /// Builds the term's cohort (and, for a timetabled term, its timetable checker) into the cache
    /// now, so that the next one-pair question (why not, swap, move) is answered at once; never
    /// needed for a correct answer. (Calling it in the background after each change was tried and
    /// left out: see the README's web benchmark.)
    public func prepare(term: TermID) throws {
        let entry = try read { db in try builtTerm(db, term: term) }
        if entry.built.setup.isTimetabled { _ = try? entry.checker() }
    }

    /// How often the term cache built a term and how often it answered from memory (for tests).
    public var termCacheCounts: (builds: Int, hits: Int) { termCache.counts }

    /// How many term builds took over an earlier build's people instead of reading them again (for tests).
    public var termCacheReuses: Int { termCache.reuseCount }
}
