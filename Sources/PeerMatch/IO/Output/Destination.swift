import Foundation

/// A file's identity: device and inode, the same whatever path, link or `..` reaches it.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
    init(_ st: stat) { device = UInt64(st.st_dev); inode = UInt64(st.st_ino) }
}

/// What a command reads, by identity, so that no output can land on it: the input files
/// themselves, and every folder that holds one (a folder output replaces a whole folder).
struct ProtectedInputs: Sendable {
    var files: [FileIdentity: String] = [:]
    var folders: [FileIdentity: String] = [:]

    init(_ paths: [String]) {
        for path in paths {
            var st = stat()
            guard stat(path, &st) == 0 else { continue }   // a missing input fails when it is read
            let id = FileIdentity(st)
            if st.st_mode & S_IFMT == S_IFDIR { folders[id] = path } else { files[id] = path }
            // Every folder above it, by identity.
            guard let real = realPath(path) else { continue }
            var folder = (real as NSString).deletingLastPathComponent
            while true {
                var fs = stat()
                if stat(folder, &fs) == 0, folders[FileIdentity(fs)] == nil { folders[FileIdentity(fs)] = path }
                if folder == "/" || folder.isEmpty { break }
                folder = (folder as NSString).deletingLastPathComponent
            }
        }
    }
}

/// The absolute path with every symbolic link, `.` and `..` resolved; nil when it does not exist.
func realPath(_ path: String) -> String? {
    guard let p = realpath(path, nil) else { return nil }
    defer { free(p) }
    return String(cString: p)
}

/// One output destination, checked and resolved: where its bytes go and how.
struct Destination {
    enum Kind: Sendable { case file, folder }

    enum Method {
        /// A regular file (or none yet): write a temporary file beside it, then rename it over.
        case replace(existing: Existing?)
        /// Standard output or another open descriptor (`-`, `/dev/stdout`, `/dev/fd/N`).
        case descriptor(Int32)
        /// A FIFO or character device: opened and written directly, never replaced.
        case device(path: String)
        /// A folder written whole (calendars): a temporary folder, then renamed into place.
        case folder(exists: Bool)
    }

    struct Existing {
        var mode: mode_t
        var owner: uid_t
        var group: gid_t
    }

    /// The path as given, and the option that gave it, for messages.
    var given: String
    var option: String
    var kind: Kind
    var method: Method
    /// Replaced files and folders: the real folder the target is in, the target's name, the
    /// target's path there; folders that must be created first (outermost first).
    var folder = ""
    var name = ""
    var target = ""
    var missingFolders: [String] = []
    /// The identity of what is there now (for "given twice" and input checks).
    var identity: FileIdentity?

    var isDirect: Bool {
        switch method { case .descriptor, .device: return true; default: return false }
    }

    /// `r.json: --out: message` (the option is the location of the problem).
    func fail(_ message: String) -> InputError {
        InputError(file: given == "-" ? "standard output" : given, at: option, message)
    }

    /// Checks `path` as an output of `kind` and works out how to write it. Throws a clear
    /// ``InputError`` for anything PeerMatch must not or cannot write: an input (by identity,
    /// whatever the spelling: `x.json/`, `./x.json`, a link to it, a hard link), a folder where a
    /// file is wanted, a block device or socket, a dangling link, a missing or unwritable folder.
    static func resolve(_ path: String, option: String, kind: Kind, createFolders: Bool,
                        inputs: ProtectedInputs) throws -> Destination {
        var d = Destination(given: path, option: option, kind: kind, method: .replace(existing: nil))
        if kind == .file, let fd = descriptorNumber(path) {
            var st = stat()
            guard fstat(fd, &st) == 0 else { throw d.fail("names descriptor \(fd), which is not open") }
            let flags = fcntl(fd, F_GETFL)
            guard flags >= 0, flags & O_ACCMODE != O_RDONLY else { throw d.fail("names descriptor \(fd), which is not open for writing") }
            if st.st_mode & S_IFMT == S_IFREG, let input = inputs.files[FileIdentity(st)] {
                throw d.fail(fd == 1 ? "is the input file \(input) (redirected); refusing to overwrite an input file" : "descriptor \(fd) is the input file \(input); refusing to overwrite an input file")
            }
            d.method = .descriptor(fd)
            d.identity = FileIdentity(st)
            return d
        }
        guard !path.isEmpty else { throw d.fail("is empty; give a file name") }
        // Trailing "/" and "/." name a folder; the rename would drop them, so they are stripped
        // before anything is compared, and a file output refuses them.
        var p = path
        var namesFolder = false
        while p.count > 1 && (p.hasSuffix("/") || p.hasSuffix("/.")) {
            namesFolder = true
            p = p.hasSuffix("/") ? String(p.dropLast()) : String(p.dropLast(2))
        }
        if p == "." || p == ".." || p.hasSuffix("/..") { namesFolder = true }

        var lst = stat()
        if lstat(p, &lst) == 0 {
            var st = lst
            var real: String
            if lst.st_mode & S_IFMT == S_IFLNK {
                guard let r = realPath(p), stat(r, &st) == 0 else {
                    let to = (try? FileManager.default.destinationOfSymbolicLink(atPath: p)) ?? "?"
                    throw d.fail("is a symbolic link to \(to), which does not exist; PeerMatch does not write through a dangling link (remove the link or point it at a file)")
                }
                real = r
            } else {
                guard let r = realPath(p) else { throw d.fail("cannot be resolved: \(String(cString: strerror(errno)))") }
                real = r
            }
            let id = FileIdentity(st)
            d.identity = id
            if let input = inputs.files[id] {
                throw d.fail(input == path ? "refusing to overwrite an input file; choose another file" : "is the input file \(input); refusing to overwrite an input file; choose another file")
            }
            let type = st.st_mode & S_IFMT
            switch (kind, type) {
            case (.file, S_IFREG):
                if namesFolder { throw d.fail("ends in \"/\", which names a folder, but it is a file; give the file name without the \"/\"") }
                d.method = .replace(existing: Existing(mode: st.st_mode & 0o7777, owner: st.st_uid, group: st.st_gid))
            case (.file, S_IFDIR):
                throw d.fail("is a folder; give a file name (for example \((p as NSString).appendingPathComponent("result.json")))")
            case (.file, S_IFIFO), (.file, S_IFCHR):
                if namesFolder { throw d.fail("ends in \"/\", which names a folder, but it is \(type == S_IFIFO ? "a FIFO" : "a device")") }
                d.method = .device(path: real)
                return d
            case (.file, S_IFBLK):
                throw d.fail("is a block device; PeerMatch writes files, FIFOs, character devices and standard output (-), never a disk")
            case (.file, S_IFSOCK):
                throw d.fail("is a socket; PeerMatch writes files, FIFOs, character devices and standard output (-)")
            case (.folder, S_IFDIR):
                if let holder = inputs.folders[id] {
                    throw d.fail(holder == path ? "is an input folder; refusing to replace it" : "holds the input \(holder); refusing to replace a folder that holds an input; choose another folder")
                }
                // Replaced only when it holds nothing but a previous run's calendars.
                let contents = (try? FileManager.default.contentsOfDirectory(atPath: p)) ?? []
                if let other = contents.sorted().first(where: { !$0.hasSuffix(".ics") && TemporaryName.parse($0) == nil }) {
                    throw d.fail("holds other files than calendars (\(other)); refusing to replace it; choose an empty or new folder")
                }
                d.method = .folder(exists: true)
            case (.folder, _):
                throw d.fail("exists and is not a folder; choose another folder")
            default:
                throw d.fail("is not a file PeerMatch can write")
            }
            d.target = real
            d.folder = (real as NSString).deletingLastPathComponent
            d.name = (real as NSString).lastPathComponent
        } else {
            let code = errno
            switch code {
            case ENOENT: break
            case ENOTDIR: throw d.fail("cannot be created: a part of the path is a file, not a folder")
            case EACCES: throw d.fail("cannot be reached (permission denied)")
            default: throw d.fail("cannot be written: \(String(cString: strerror(code)))")
            }
            if kind == .file && namesFolder {
                throw d.fail("ends in \"/\", which names a folder; give a file name")
            }
            let parent = (p as NSString).deletingLastPathComponent.isEmpty ? "." : (p as NSString).deletingLastPathComponent
            let name = (p as NSString).lastPathComponent
            guard !name.isEmpty, name != ".", name != ".." else { throw d.fail("does not name a file") }
            // The folders that do not exist yet, outermost first (only when the command creates them).
            var existing = parent
            var missing: [String] = []
            while true {
                var ps = stat()
                if stat(existing, &ps) == 0 {
                    guard ps.st_mode & S_IFMT == S_IFDIR else { throw d.fail("cannot be created: \(existing) is not a folder") }
                    break
                }
                guard errno == ENOENT, createFolders else {
                    throw d.fail(errno == ENOENT ? "cannot be written: the folder \(parent) does not exist" : "cannot be written: \(existing): \(String(cString: strerror(errno)))")
                }
                missing.insert((existing as NSString).lastPathComponent, at: 0)
                let up = (existing as NSString).deletingLastPathComponent
                existing = up.isEmpty ? "." : up
            }
            guard let realParent = realPath(existing) else { throw d.fail("cannot be written: the folder \(existing) cannot be resolved") }
            var chain = realParent
            for m in missing { chain = (chain as NSString).appendingPathComponent(m); d.missingFolders.append(chain) }
            d.folder = chain
            d.name = name
            d.target = (chain as NSString).appendingPathComponent(name)
            d.method = kind == .folder ? .folder(exists: false) : .replace(existing: nil)
            if access(realParent, W_OK) != 0 {
                throw d.fail("cannot be written: no permission to write in the folder \(realParent)")
            }
            return d
        }
        if access(d.folder, W_OK) != 0 {
            throw d.fail("cannot be written: no permission to write in the folder \(d.folder)")
        }
        return d
    }

    /// `-`, `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and `/proc/self/fd/N`: an open descriptor,
    /// written in place (renaming over `/dev/stdout` once replaced the machine's `/dev/null`).
    static func descriptorNumber(_ path: String) -> Int32? {
        switch path {
        case "-", "/dev/stdout": return 1
        case "/dev/stderr": return 2
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                if let n = Int32(path.dropFirst(prefix.count)), n >= 0 { return n }
            }
            return nil
        }
    }
}
