import Foundation

/// What one output plan's commit has done to the file system so far, and how to undo it. Every
/// commit in progress is registered, so that a signal (SIGINT, SIGTERM, SIGHUP) arriving while
/// files are being written can undo exactly that before the process ends.
///
/// Every step of a commit runs under the journal's lock together with the record of its undo,
/// so the signal-handling thread (``Interruption``) sees either the state before a step or after
/// it, never half of one. Undo runs the records in reverse.
final class OutputJournal: @unchecked Sendable {
    /// Commits in progress in this process (a server may run several at once).
    private static let active = LockedValue<[ObjectIdentifier: OutputJournal]>([:])

    static func begin() -> OutputJournal {
        let j = OutputJournal()
        active.withLock { $0[ObjectIdentifier(j)] = j }
        return j
    }

    private func end() { Self.active.withLock { $0[ObjectIdentifier(self)] = nil } }

    /// A signal: undo every commit in progress. Returns whether anything was undone.
    static func abandonAll() -> Bool {
        let all = active.withLock { Array($0.values) }
        var any = false
        for j in all { if j.abandon() { any = true } }
        return any
    }

    enum Undo {
        /// A file we created (a temporary file, or a new output where there was none).
        case removeFile(String)
        /// A folder we filled: remove the named files in it, then the folder.
        case removeTree(String, [String])
        /// An earlier output moved or linked aside: put it back at `target`.
        case restore(backup: String, target: String, isFolder: Bool, linked: Bool)
        /// A folder we created for the outputs (removed only when empty).
        case removeFolder(String)
    }

    private let lock = NSLock()
    private var undo: [Undo] = []
    /// Backups to remove once the whole plan has been written.
    private var backups: [(path: String, isFolder: Bool)] = []
    /// Set once a signal has begun undoing: later steps must not start.
    private var abandoned = false

    /// Runs `step` and records what undoes it, atomically with respect to ``abandon()``.
    func perform<T>(_ step: () throws -> T, undo record: (T) -> [Undo]) throws -> T {
        lock.lock(); defer { lock.unlock() }
        if abandoned { throw Interruption.Stopped() }
        let value = try step()
        undo.append(contentsOf: record(value))
        return value
    }

    /// Marks a temporary path as consumed (renamed into place): nothing to remove there any more.
    func consumed(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        undo.removeAll { if case .removeFile(let p) = $0 { return p == path }; if case .removeTree(let p, _) = $0 { return p == path }; return false }
    }

    func keepUntilDone(backup path: String, isFolder: Bool) {
        lock.lock(); defer { lock.unlock() }
        backups.append((path, isFolder))
    }

    /// The plan was written whole: drop the undo records and remove the backups.
    func finish() {
        lock.lock(); defer { lock.unlock() }
        undo = []
        for b in backups { if b.isFolder { Self.removeTree(b.path) } else { unlink(b.path) } }
        backups = []
        end()
    }

    /// Undoes everything recorded, newest first, when a step fails.
    func rollBack() {
        lock.lock(); defer { lock.unlock() }
        Self.run(undo.reversed())
        undo = []
        backups = []
        end()
    }

    /// A signal: undo everything and refuse any further step. Returns whether anything was undone.
    @discardableResult
    func abandon() -> Bool {
        lock.lock()   // never unlocked: the process is about to end
        abandoned = true
        let any = !undo.isEmpty
        Self.run(undo.reversed())
        undo = []
        return any
    }

    private static func run(_ steps: ReversedCollection<[Undo]>) {
        for step in steps {
            switch step {
            case .removeFile(let p): unlink(p)
            case .removeTree(let p, let names):
                for n in names { unlink(p + "/" + n) }
                rmdir(p)
            case .restore(let backup, let target, let isFolder, let linked):
                if isFolder {
                    // The new folder (if it got there) was removed by its own record first.
                    rename(backup, target)
                } else if linked {
                    // backup is a second link to the old file: put it back (a no-op if the new
                    // file never arrived), then drop the extra link.
                    rename(backup, target)
                    unlink(backup)
                } else {
                    rename(backup, target)
                }
            case .removeFolder(let p): rmdir(p)
            }
        }
    }

    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}

// MARK: - Names of our temporary files, and cleaning up after a killed run

/// Temporary and backup names: `.NAME.peermatch-PID-N.tmp` and `.NAME.peermatch-PID-N.old`, in
/// the output's own folder (a rename only replaces atomically within one file system).
enum TemporaryName {
    static let marker = ".peermatch-"

    static func make(for name: String, kind: String, serial: Int) -> String {
        ".\(name)\(marker)\(getpid())-\(serial).\(kind)"
    }

    /// The output name, pid and kind ("tmp", "old") of one of our names; nil for anything else.
    /// Also knows the names earlier versions used (`.NAME.PID.tmp`, `.NAME.PID.old`), but only for
    /// the NAMEs in `legacy` (outputs being written now), since such a name could be anyone's.
    static func parse(_ entry: String, legacy: Set<String> = []) -> (name: String, pid: pid_t, kind: String)? {
        guard entry.hasPrefix("."), entry.count > 2 else { return nil }
        let kind: String
        if entry.hasSuffix(".tmp") { kind = "tmp" } else if entry.hasSuffix(".old") { kind = "old" } else { return nil }
        let body = entry.dropFirst().dropLast(4)
        if let range = body.range(of: marker, options: .backwards) {
            let rest = body[range.upperBound...]
            let parts = rest.split(separator: "-")
            guard parts.count == 2, let pid = pid_t(parts[0]), Int(parts[1]) != nil, !body[..<range.lowerBound].isEmpty else { return nil }
            return (String(body[..<range.lowerBound]), pid, kind)
        }
        // Earlier versions: `.NAME.PID.tmp`.
        guard let dot = body.lastIndex(of: "."), let pid = pid_t(body[body.index(after: dot)...]), pid > 0,
              legacy.contains(String(body[..<dot])) else { return nil }
        return (String(body[..<dot]), pid, kind)
    }

    /// Whether process `pid` is gone (so its temporary files are stale).
    static func isGone(_ pid: pid_t) -> Bool {
        pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Removes our stale temporary files and backups in `folder`, left by a run that was killed
    /// (SIGKILL, a power cut) before it could clean up. Only names of ours, of processes that no
    /// longer exist, owned by this user; a backup whose output is missing is put back instead.
    /// Returns the names it removed or restored.
    @discardableResult
    static func cleanStale(in folder: String, legacy: Set<String> = []) -> [String] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var done: [String] = []
        let uid = geteuid()
        for entry in entries.sorted() {
            guard let (name, pid, kind) = parse(entry, legacy: legacy), isGone(pid) else { continue }
            let path = folder + "/" + entry
            var st = stat()
            guard lstat(path, &st) == 0, uid == 0 || st.st_uid == uid else { continue }
            let isFolder = st.st_mode & S_IFMT == S_IFDIR
            let target = folder + "/" + name
            if kind == "old" && access(target, F_OK) != 0 {
                if rename(path, target) == 0 { done.append(entry) }
                continue
            }
            if isFolder {
                // Only a folder of calendars (what we write as folders) is removed.
                let inside = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                guard inside.allSatisfy({ $0.hasSuffix(".ics") }) else { continue }
                OutputJournal.removeTree(path)
            } else {
                unlink(path)
            }
            done.append(entry)
        }
        return done
    }
}
