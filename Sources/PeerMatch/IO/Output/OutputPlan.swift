import Foundation

/// Every output of one command, written all together or not at all, and never over an input.
///
/// A command declares its destinations (as soon as it knows them, so that a bad one fails before
/// any work), gives each its content once rendered, and commits:
///
/// ```swift
/// var plan = OutputPlan(protecting: [cohortPath, policyPath])
/// let result = try plan.file(out, option: "--out")            // nil or "-": standard output
/// let calendars = try plan.folder(calendarPath, option: "--calendar")
/// // ... read, solve, render ...
/// plan.set(result, text: json)
/// plan.set(calendars, files: icsFiles)
/// try plan.commit()
/// ```
///
/// The rules, for every destination of every command (and the store's and web page's exports):
/// - A regular file (or a name not yet taken) is written to a temporary file in its own folder,
///   then renamed over it; a replaced file keeps its permissions (and, for root, its owner).
/// - A FIFO, a character device (`/dev/null`, a terminal) and standard output (`-`,
///   `/dev/stdout`, `/dev/fd/N`) are written directly; they are never replaced or removed.
/// - A folder is refused where a file is wanted; block devices, sockets and dangling links are
///   refused; so is any input, compared by device and inode after every link is followed,
///   however it is spelled (`cohort.json/`, `cohort.json/.`, `./cohort.json`, a link, a hard
///   link); so is one destination given twice.
/// - ``commit()`` checks every destination again, creates every temporary file, writes them all,
///   and only then renames them into place, keeping what they replace until the last one is in;
///   direct destinations are written last. Any failure (a full disk, a closed pipe, a signal)
///   puts back everything this commit replaced and removes everything it created.
/// - Temporary files left by a run that was killed outright (`.NAME.peermatch-PID-N.tmp`, whose
///   process is gone) are removed by the next commit that writes into that folder.
public struct OutputPlan {
    /// A destination declared in the plan.
    public struct Output: Hashable, Sendable {
        fileprivate let index: Int
    }

    /// The content of one output.
    public enum Content {
        case data(Data)
        case text(String)
        /// Written piece by piece into the destination (large CSV and JSON outputs).
        case stream((inout OutputSink) throws -> Void)
    }

    /// What a folder destination may already hold for the commit to replace it.
    public enum FolderContents: Sendable {
        /// Files ending in `.ics` only (a previous run's calendars).
        case calendars
    }

    private struct Entry {
        var path: String
        var option: String
        var kind: Destination.Kind
        var createFolders: Bool
        var content: Content?
        var files: [(name: String, data: Data)]?
    }

    private var entries: [Entry] = []
    private let inputPaths: [String]
    private let protected: ProtectedInputs
    /// The destinations as they were checked when declared (checked again at commit).
    private var declared: [Destination] = []

    /// A plan that will refuse to write over any of `inputs` (files, or folders read whole).
    public init(protecting inputs: [String]) {
        inputPaths = inputs
        protected = ProtectedInputs(inputs)
    }

    /// Declares a file destination (nil or `-`: standard output) and checks it now.
    /// - Parameters:
    ///   - option: the option that named it, for messages (`--out`).
    ///   - createFolders: create missing folders on the way (`generate --programme`).
    @discardableResult
    public mutating func file(_ path: String?, option: String = "", createFolders: Bool = false) throws -> Output {
        try add(Entry(path: path ?? "-", option: path == nil ? "" : option, kind: .file, createFolders: createFolders))
    }

    /// Declares a folder written whole (a previous run's folder is replaced) and checks it now.
    @discardableResult
    public mutating func folder(_ path: String, option: String = "", contents: FolderContents = .calendars) throws -> Output {
        try add(Entry(path: path, option: option, kind: .folder, createFolders: false))
    }

    private mutating func add(_ entry: Entry) throws -> Output {
        let d = try Destination.resolve(entry.path, option: entry.option, kind: entry.kind, createFolders: entry.createFolders,
                                        inputs: protected)
        if let earlier = declared.first(where: { Self.same($0, d) }) {
            throw d.fail("is also given as \(earlier.option.isEmpty ? "" : earlier.option + " ")\(earlier.given); each output needs its own file")
        }
        declared.append(d)
        entries.append(entry)
        return Output(index: entries.count - 1)
    }

    public mutating func set(_ output: Output, _ content: Content) { entries[output.index].content = content }
    public mutating func set(_ output: Output, text: String) { set(output, .text(text)) }
    public mutating func set(_ output: Output, files: [(name: String, data: Data)]) { entries[output.index].files = files }

    /// Checks every destination as it stands now (without writing).
    public func check() throws { _ = try resolveAll() }

    private func resolveAll() throws -> [Destination] {
        let inputs = ProtectedInputs(inputPaths)
        var out: [Destination] = []
        var problems: [Diagnostic] = []
        for e in entries {
            do {
                let d = try Destination.resolve(e.path, option: e.option, kind: e.kind, createFolders: e.createFolders, inputs: inputs)
                if let earlier = out.first(where: { Self.same($0, d) }) {
                    throw d.fail("is also given as \(earlier.option.isEmpty ? "" : earlier.option + " ")\(earlier.given); each output needs its own file")
                }
                out.append(d)
            } catch let error as InputError {
                problems += error.diagnostics
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        return out
    }

    private static func same(_ a: Destination, _ b: Destination) -> Bool {
        if case .descriptor(let x) = a.method, case .descriptor(let y) = b.method { return x == y }
        if let x = a.identity, let y = b.identity { return x == y }
        return !a.target.isEmpty && a.target == b.target
    }

    // MARK: - Commit

    /// Writes every output whole, or none (see the type's comment). Throws an ``InputError``
    /// naming the destination that failed and saying that nothing was written.
    public func commit() throws {
        let destinations = try resolveAll()
        let journal = OutputJournal.begin()
        var serial = 0
        var opened: [(index: Int, temp: String)] = []
        var openFiles: [Int: Int32] = [:]          // temporary files not yet closed, by destination
        func closeFile(_ k: Int) { if let fd = openFiles.removeValue(forKey: k) { close(fd) } }
        do {
            // Folders of a killed run's temporary files: clean them first.
            let outputNames = Set(destinations.map(\.name))
            for folder in Set(destinations.compactMap { $0.folder.isEmpty ? nil : $0.folder }) where access(folder, F_OK) == 0 {
                TemporaryName.cleanStale(in: folder, legacy: outputNames)
            }
            // 1. Folders to create, and every temporary file or folder.
            for (k, d) in destinations.enumerated() {
                for folder in d.missingFolders where access(folder, F_OK) != 0 {
                    try journal.perform({
                        guard mkdir(folder, 0o777) == 0 else { throw d.fail("could not create the folder \(folder): \(String(cString: strerror(errno)))") }
                    }, undo: { [.removeFolder(folder)] })
                }
                switch d.method {
                case .replace(let existing):
                    serial += 1
                    let temp = d.folder + "/" + TemporaryName.make(for: d.name, kind: "tmp", serial: serial)
                    let fd = try journal.perform({ () throws -> Int32 in
                        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
                        guard fd >= 0 else { throw d.fail("could not write in \(d.folder): \(String(cString: strerror(errno)))") }
                        return fd
                    }, undo: { _ in [.removeFile(temp)] })
                    opened.append((k, temp))
                    openFiles[k] = fd
                    if let existing {
                        fchmod(fd, existing.mode)
                        if geteuid() == 0 { fchown(fd, existing.owner, existing.group) }
                    }
                case .folder:
                    serial += 1
                    let temp = d.folder + "/" + TemporaryName.make(for: d.name, kind: "tmp", serial: serial)
                    let names = (entries[k].files ?? []).map(\.name)
                    try journal.perform({
                        guard mkdir(temp, 0o777) == 0 else { throw d.fail("could not write in \(d.folder): \(String(cString: strerror(errno)))") }
                    }, undo: { [.removeTree(temp, names)] })
                    opened.append((k, temp))
                case .descriptor, .device:
                    break
                }
            }
            // 2. Every byte, into the temporary files.
            for (k, temp) in opened {
                let d = destinations[k]
                if let fd = openFiles[k] {
                    try write(entries[k], to: fd, d)
                    guard fsync(fd) == 0 || errno == EINVAL else { throw d.fail("could not be written: \(String(cString: strerror(errno)))") }
                    closeFile(k)
                } else {
                    for f in entries[k].files ?? [] {
                        try Self.check(f.name, d)
                        let path = temp + "/" + f.name
                        let ffd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
                        guard ffd >= 0 else { throw d.fail("could not write \(f.name): \(String(cString: strerror(errno)))") }
                        defer { close(ffd) }
                        try OutputSink.writeAll(f.data, to: ffd, d)
                    }
                }
            }
            // 3. Into place, keeping what is replaced until everything is in.
            for (k, temp) in opened {
                let d = destinations[k]
                serial += 1
                let backup = d.folder + "/" + TemporaryName.make(for: d.name, kind: "old", serial: serial)
                switch d.method {
                case .replace(let existing):
                    if existing != nil {
                        let linked = try journal.perform({ () throws -> Bool in
                            if link(d.target, backup) == 0 { return true }
                            guard rename(d.target, backup) == 0 else { throw d.fail("could not replace it: \(String(cString: strerror(errno)))") }
                            return false
                        }, undo: { linked in [.restore(backup: backup, target: d.target, isFolder: false, linked: linked)] })
                        journal.keepUntilDone(backup: backup, isFolder: false)
                        _ = linked
                    }
                    try journal.perform({
                        guard rename(temp, d.target) == 0 else { throw d.fail("could not be written: \(String(cString: strerror(errno)))") }
                    }, undo: { existing == nil ? [.removeFile(d.target)] : [] })
                    journal.consumed(temp)
                case .folder(let exists):
                    let names = (entries[k].files ?? []).map(\.name)
                    if exists {
                        try journal.perform({
                            guard rename(d.target, backup) == 0 else { throw d.fail("could not replace it: \(String(cString: strerror(errno)))") }
                        }, undo: { [.restore(backup: backup, target: d.target, isFolder: true, linked: false)] })
                        journal.keepUntilDone(backup: backup, isFolder: true)
                    }
                    try journal.perform({
                        guard rename(temp, d.target) == 0 else { throw d.fail("could not be written: \(String(cString: strerror(errno)))") }
                    }, undo: { [.removeTree(d.target, names)] })
                    journal.consumed(temp)
                default: break
                }
            }
            // 4. Direct destinations last: they cannot be taken back, so they go only once every
            //    file is in place (and a failure here still takes the files back).
            for (k, d) in destinations.enumerated() {
                switch d.method {
                case .descriptor(let fd):
                    if fd == 1 || fd == 2 { fflush(nil) }   // print()'s buffer first, then ours
                    try write(entries[k], to: fd, d)
                case .device(let path):
                    let fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY)
                    guard fd >= 0 else { throw d.fail("could not be opened for writing: \(String(cString: strerror(errno)))") }
                    defer { close(fd) }
                    try write(entries[k], to: fd, d)
                default: break
                }
            }
        } catch {
            for k in Array(openFiles.keys) { closeFile(k) }
            journal.rollBack()
            if error is Interruption.Stopped { throw error }
            let diagnostics = (error as? InputError)?.diagnostics ?? [Diagnostic(file: "(output)", at: "", "\(error)")]
            var out = diagnostics
            if let last = out.popLast() {
                var l = last
                l.message += "; nothing was written"
                out.append(l)
            }
            throw InputError(out)
        }
        journal.finish()
    }

    private func write(_ entry: Entry, to fd: Int32, _ d: Destination) throws {
        switch entry.content {
        case .data(let data)?: try OutputSink.writeAll(data, to: fd, d)
        case .text(let text)?: try OutputSink.writeAll(Data(text.utf8), to: fd, d)
        case .stream(let produce)?:
            var sink = OutputSink(fd: fd, destination: d)
            try produce(&sink)
            try sink.flush()
        case nil: break
        }
    }

    /// A calendar file name must stay inside its folder.
    private static func check(_ name: String, _ d: Destination) throws {
        if name.isEmpty || name.contains("/") || name == "." || name == ".." || name.hasPrefix(".") {
            throw d.fail("cannot hold a file named \"\(name)\"")
        }
    }

}

/// Buffered writes into one output; any error names the destination.
public struct OutputSink {
    fileprivate let fd: Int32
    fileprivate let destination: Destination
    private var buffer: [UInt8] = []

    fileprivate init(fd: Int32, destination: Destination) {
        self.fd = fd; self.destination = destination
        buffer.reserveCapacity(1 << 16)
    }

    public mutating func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    public mutating func write(_ data: Data) throws {
        buffer.append(contentsOf: data)
        if buffer.count >= 1 << 16 { try flush() }
    }

    public mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try Self.writeAll($0, to: fd, destination) }
        buffer.removeAll(keepingCapacity: true)
    }

    static func writeAll(_ data: Data, to fd: Int32, _ d: Destination) throws {
        try data.withUnsafeBytes { try writeAll($0, to: fd, d) }
    }

    static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, _ d: Destination) throws {
        var offset = 0
        while offset < bytes.count {
            let n = systemWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                let why = errno == EPIPE ? "the reader closed it before the output was written (broken pipe)"
                    : errno == EFBIG ? "the file is larger than this process may write (file size limit)"
                    : errno == ENOSPC ? "the disk is full" : String(cString: strerror(errno))
                throw d.fail("could not be written: \(why)")
            }
            offset += n
        }
    }
}
