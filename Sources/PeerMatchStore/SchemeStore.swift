import Foundation
import GRDB
import PeerMatch

/// How a store is opened: its clock (fixed in tests and fixtures, so their files are reproducible)
/// and how long a writer waits for another process's write to finish.
public struct StoreOptions: Sendable {
    /// The time written into records and the audit log.
    public var clock: @Sendable () -> Date
    /// Seconds a write waits for another process's write transaction (SQLite's busy timeout)
    /// before it is retried; see ``SchemeStore`` for the retries.
    public var busyTimeout: Double

    public init(clock: @escaping @Sendable () -> Date = { Date() }, busyTimeout: Double = 10) {
        self.clock = clock; self.busyTimeout = busyTimeout
    }

    /// `PEERMATCH_CLOCK=2026-09-01T08:00:00Z` fixes the clock (reproducible fixtures and tests);
    /// otherwise the real time.
    public static func fromEnvironment() -> StoreOptions {
        var options = StoreOptions()
        if let text = ProcessInfo.processInfo.environment["PEERMATCH_CLOCK"], let fixed = Instant.parse(text) {
            options.clock = { fixed }
        }
        return options
    }
}

/// The scheme workspace: one SQLite file holding a peer-support scheme across terms. The command
/// line (`peermatch scheme ...`) and the web page call the same methods; each write is one
/// transaction and appends one audit row, and nothing is ever deleted.
///
/// Two processes may use one file at once: SQLite's write-ahead log lets readers go on during a
/// write, writers queue behind SQLite's busy timeout, and a write that still finds the file busy
/// is retried (see ``write(_:)``). A process killed in the middle of a verb leaves the file as it
/// was before that verb: every verb writes in a single transaction at its end.
public final class SchemeStore: Sendable {
    let pool: DatabasePool
    /// The file's path, as given.
    public let path: String
    let options: StoreOptions
    /// Withdrawal plans solved in this process, so applying one stores exactly what was shown.
    let planCache = PlanCache()
    /// Terms' built cohorts by revision, for the one-pair questions (see ``TermCache``).
    let termCache = TermCache()
    /// Import drafts' analyses by revision (see ``DraftCache``).
    let draftCache = DraftCache()

    private init(path: String, pool: DatabasePool, options: StoreOptions) {
        self.path = path; self.pool = pool; self.options = options
    }

    // MARK: - Create and open

    /// Creates a new scheme file readable and writable by its owner only (mode 0600, and so are
    /// SQLite's `-wal` and `-shm` companions, which take the file's mode). Refuses an existing file.
    public static func create(at path: String, name: String, by actor: Actor, options: StoreOptions = StoreOptions()) throws -> SchemeStore {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw StoreError.invalid("the scheme needs a name (--name)") }
        try PrivateFile.createEmpty(path, what: "scheme file")
        do {
            let store = try SchemeStore(path: path, pool: makePool(path, options), options: options)
            try Schema.migrator.migrate(store.pool)
            try store.write(by: actor) { w in
                try w.db.execute(sql: "INSERT INTO scheme (id, name, created_at, created_by, revision) VALUES (1, ?, ?, ?, 0)",
                                 arguments: [trimmed, w.at, actor.name])
                w.audit("init", subject: trimmed, detail: "schema \(Schema.version)")
            }
            return store
        } catch {
            // A file this call created and could not set up is not a scheme: leave no half-made file.
            try? FileManager.default.removeItem(atPath: path)
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            throw error
        }
    }

    /// Opens an existing scheme file and brings its schema up to date (a file written by an
    /// earlier version is upgraded, migration by migration, after a copy of it is kept beside it).
    public static func open(at path: String, options: StoreOptions = StoreOptions()) throws -> SchemeStore {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw StoreError(.notFound, "\(path): no such scheme file; create one with `peermatch scheme init \(path) --name NAME`")
        }
        guard !isDirectory.boolValue else { throw StoreError(.database, "\(path): is a folder, not a scheme file") }
        // Never read the file by other means to check what it is: closing any descriptor of a
        // database file drops every SQLite lock this process holds on it (POSIX locks are per
        // process), which would let another connection here, or another process, break in. SQLite
        // says itself when a file is not a database.
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw StoreError(.database, "\(path): cannot be read (check its permissions)")
        }
        // SQLite would take an empty file for a new database and write to it.
        if ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) == 0 {
            throw StoreError(.database, "\(path): is empty, not a PeerMatch scheme file")
        }
        let pool: DatabasePool
        do {
            pool = try makePool(path, options)
            // A file that is not SQLite fails at its first read.
            _ = try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") }
        } catch let e as DatabaseError where e.resultCode == .SQLITE_NOTADB {
            throw StoreError(.database, "\(path): is not a PeerMatch scheme file (not an SQLite database)")
        } catch let e as DatabaseError {
            throw StoreError(.database, "\(path): cannot be opened: \(e.message ?? "") (SQLite \(e.extendedResultCode.rawValue))")
        } catch {
            throw StoreError(.database, "\(path): cannot be opened: \(error)")
        }
        let store = SchemeStore(path: path, pool: pool, options: options)
        try store.upgrade()
        return store
    }

    static func makePool(_ path: String, _ options: StoreOptions) throws -> DatabasePool {
        var config = Configuration()
        config.busyMode = .timeout(options.busyTimeout)
        config.foreignKeysEnabled = true
        config.label = "PeerMatchStore"
        let pool = try DatabasePool(path: path, configuration: config)
        // A commit is on disk before the verb reports success: a write is never lost to a crash or
        // power cut after it was confirmed. (GRDB sets NORMAL on a pool's writer; only the writer
        // commits, so FULL goes there, after GRDB's own set-up.)
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        return pool
    }

    /// Runs pending migrations. A file from a newer PeerMatch is refused rather than guessed at.
    private func upgrade() throws {
        let migrator = Schema.migrator
        let (applied, isScheme, superseded): ([String], Bool, Bool) = try pool.read { db in
            let isScheme = try db.tableExists("scheme")
            return (try migrator.appliedMigrations(db), isScheme, try migrator.hasBeenSuperseded(db))
        }
        guard isScheme || applied.isEmpty == false else {
            throw StoreError(.database, "\(path): is an SQLite database but not a PeerMatch scheme (no scheme table)")
        }
        if superseded {
            throw StoreError(.database, "\(path): was written by a newer PeerMatch (its schema has migrations this program does not know); upgrade PeerMatch to open it")
        }
        guard applied.count < migrator.migrations.count else { return }
        // Keep the file as it was before the upgrade, beside it, readable by its owner only.
        let copy = "\(path).schema-v\(applied.count).backup"
        if !FileManager.default.fileExists(atPath: copy) { try backupFile(to: copy) }
        // Each migration runs in its own transaction, so a failure leaves the file at the last
        // complete schema version, never between two.
        do {
            try migrator.migrate(pool)
        } catch {
            throw StoreError(.database, "\(path): could not be upgraded to schema \(Schema.version): \(error); the copy made before the upgrade is \(copy)")
        }
    }

    // MARK: - Reading and writing

    /// A read in one consistent snapshot (other processes' writes in progress are not seen).
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch let e as StoreError { throw e } catch let e as DatabaseError {
            throw StoreError(.database, "\(path): \(e.message ?? "\(e)")")
        }
    }

    /// What one write transaction knows: the connection, the time and the audit rows it adds.
    struct Writer {
        let db: Database
        /// The transaction's time, ISO 8601 UTC.
        let at: String
        let now: Date
        /// The revision this write makes (the previous one plus 1).
        let revision: Int64
        /// Who makes the change (every audit row of the transaction names them).
        let actor: Actor
        fileprivate(set) var audited = 0

        /// Appends an audit row: when (the transaction's time), who, what, about what, why.
        mutating func audit(_ action: String, term: TermID? = nil, subject: String = "", detail: String = "", why: String? = nil) {
            // Never fails on its own: the audit table has no constraints a valid row could break.
            try? db.execute(sql: "INSERT INTO audit (at, actor, action, term_id, subject, detail, why, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            arguments: [at, actor.name, action, term?.rawValue, subject, detail, why, revision])
            audited += 1
        }
    }

    /// One write transaction that also bumps the revision and must add at least one audit row.
    /// SQLite's busy timeout makes a writer wait for another process's transaction; if the file is
    /// still busy (a long write elsewhere), the whole transaction is retried up to 5 times with a
    /// growing pause before the error is reported. Nothing outside the database happens in `body`,
    /// so a retry is safe.
    @discardableResult
    func write<T>(by actor: Actor, _ body: (inout Writer) throws -> T) throws -> T {
        var attempt = 0
        while true {
            do {
                return try pool.write { db in
                    let now = options.clock()
                    let revision = (try Int64.fetchOne(db, sql: "SELECT revision FROM scheme WHERE id = 1") ?? 0) + 1
                    var w = Writer(db: db, at: Instant.format(now), now: now, revision: revision, actor: actor)
                    let result = try body(&w)
                    precondition(w.audited > 0, "a store write must append an audit row")
                    try db.execute(sql: "UPDATE scheme SET revision = ? WHERE id = 1", arguments: [revision])
                    FaultInjection.stallIfAsked()
                    return result
                }
            } catch let e as DatabaseError where (e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED) && attempt < 5 {
                attempt += 1
                Thread.sleep(forTimeInterval: 0.05 * Double(attempt * attempt))
            } catch let e as DatabaseError {
                throw StoreError(.database, "\(path): \(e.message ?? "\(e)")")
            }
        }
    }

    /// The revision: it increases with every write, so a plan or a page made at one revision can
    /// tell whether anything changed since.
    public var revision: Int {
        get throws { try read { db in try Int.fetchOne(db, sql: "SELECT revision FROM scheme WHERE id = 1") ?? 0 } }
    }

    var now: Date { options.clock() }
}

/// Test-only fault injection: `PEERMATCH_TEST_STALL_IN_WRITE=SECONDS` makes every write pause
/// inside its transaction, after its changes and before the commit, having said so on stderr, so
/// a test can kill the process there with SIGKILL and check that nothing of the verb remains.
enum FaultInjection {
    static let stallSeconds: Double? = ProcessInfo.processInfo.environment["PEERMATCH_TEST_STALL_IN_WRITE"].flatMap(Double.init)

    static func stallIfAsked() {
        guard let seconds = stallSeconds else { return }
        FileHandle.standardError.write(Data("peermatch-test: inside the write transaction\n".utf8))
        Thread.sleep(forTimeInterval: seconds)
    }
}
