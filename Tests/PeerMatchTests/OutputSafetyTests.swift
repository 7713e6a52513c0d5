import Foundation
import Testing
@testable import PeerMatch

/// Issue 15's reproducers, each as a test: outputs never land on anything but a regular file or
/// the named device, never on an input however it is spelled, all of a command's outputs or
/// none, nothing left behind by a signal, and a killed run's temporary files cleaned up. Each
/// failing command is run between two snapshots of its folder that must be identical.
@Suite(.serialized) struct OutputSafetyTests {
    // MARK: Running the tool

    struct Run { var code: Int32; var signalled: Bool; var stdout: String; var stderr: String }

    static var binary: String { CLITests.binary }

    /// Runs `peermatch args` in `dir`; `shell` wraps it (`ulimit -f 8; exec "$@"`).
    func run(_ args: [String], in dir: URL, shell: String? = nil, asNobody: Bool = false,
             whileRunning: ((Process) throws -> Void)? = nil) throws -> Run {
        let p = Process()
        var argv = [Self.binary] + args
        if asNobody { argv = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + argv }
        if let shell {
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = ["-c", shell + "; exec \"$@\"", "peermatch"] + argv
        } else {
            p.executableURL = URL(fileURLWithPath: argv[0])
            p.arguments = Array(argv.dropFirst())
        }
        p.currentDirectoryURL = dir
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        // Read both pipes while it runs (a large output would otherwise fill the pipe and stall it).
        nonisolated(unsafe) var o = Data(), e = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { o = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { e = err.fileHandleForReading.readDataToEndOfFile() }
        try whileRunning?(p)
        p.waitUntilExit()
        group.wait()
        return Run(code: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal,
                   stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pm-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A folder with a timetabled cohort `c.json`, a policy `p.yaml` and an earlier result `prev.json`.
    func workspace() throws -> URL {
        let dir = try tempDir()
        try FileManager.default.copyItem(atPath: Repo.path("instances/examples/primary-wellbeing-wednesdays-timetable.json"),
                                         toPath: dir.appendingPathComponent("c.json").path)
        try Data("ageGap:\n  mode: hard\n".utf8).write(to: dir.appendingPathComponent("p.yaml"))
        let r = try run(["solve", "c.json", "--out", "prev.json"], in: dir)
        try #require(r.code == 0, "\(r.stderr)")
        return dir
    }

    // MARK: Folder snapshots

    /// Everything about every entry under a folder that a command could change.
    struct Snapshot: Equatable, CustomStringConvertible {
        struct Entry: Equatable {
            var type: mode_t, mode: mode_t, size: Int64, inode: UInt64, device: UInt64
            var modified: Int, rdev: UInt64, link: String?, content: Data?
        }
        var entries: [String: Entry] = [:]

        init(_ root: URL) {
            func walk(_ relative: String) {
                let path = relative.isEmpty ? root.path : root.path + "/" + relative
                var st = stat()
                guard lstat(path, &st) == 0 else { return }
                let type = st.st_mode & S_IFMT
                var e = Entry(type: type, mode: st.st_mode & 0o7777, size: Int64(st.st_size), inode: UInt64(st.st_ino),
                              device: UInt64(st.st_dev), modified: st.st_mtim.tv_sec * 1_000_000_000 + st.st_mtim.tv_nsec,
                              rdev: UInt64(st.st_rdev), link: nil, content: nil)
                // A folder's own modification time and size change whenever a temporary file is
                // made and removed in it; what it holds is compared entry by entry instead.
                if type == S_IFDIR { e.modified = 0; e.size = 0 }
                if type == S_IFLNK { e.link = try? FileManager.default.destinationOfSymbolicLink(atPath: path) }
                if type == S_IFREG { e.content = FileManager.default.contents(atPath: path) }
                entries[relative.isEmpty ? "." : relative] = e
                if type == S_IFDIR {
                    for name in ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() {
                        walk(relative.isEmpty ? name : relative + "/" + name)
                    }
                }
            }
            walk("")
        }

        var description: String { entries.keys.sorted().joined(separator: ", ") }

        /// What differs, for messages.
        func changes(to after: Snapshot) -> [String] {
            let keys = Set(entries.keys).union(after.entries.keys).sorted()
            return keys.compactMap { k in
                switch (entries[k], after.entries[k]) {
                case (nil, _?): return "created \(k)"
                case (_?, nil): return "removed \(k)"
                case let (a?, b?) where a != b: return "changed \(k)"
                default: return nil
                }
            }
        }
    }

    /// Runs a command that must fail with exit 1 and leave the folder exactly as it was.
    @discardableResult
    func expectNoChange(_ args: [String], in dir: URL, shell: String? = nil, asNobody: Bool = false,
                        containing text: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> Run {
        let before = Snapshot(dir)
        let r = try run(args, in: dir, shell: shell, asNobody: asNobody)
        let after = Snapshot(dir)
        #expect(r.code == 1, "\(args): exit \(r.code): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(!r.signalled && !r.stderr.contains("Fatal error") && !r.stderr.contains("Backtrace"), "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(before == after, "\(args): \(before.changes(to: after))", sourceLocation: sourceLocation)
        if let text { #expect(r.stderr.contains(text), "\(args): \(r.stderr)", sourceLocation: sourceLocation) }
        return r
    }

    // MARK: Devices, FIFOs, links, folders

    /// `--out /dev/stdout` (as root) once renamed a regular file over the machine's /dev/null.
    /// Now /dev/stdout is written in place, and so is a character device: here a private copy
    /// of /dev/null made with mknod in a temporary folder.
    @Test(.enabled(if: geteuid() == 0, "mknod needs root")) func devicesAreWrittenNotReplaced() throws {
        let dir = try workspace()
        let stdout = try run(["solve", "c.json", "--out", "/dev/stdout"], in: dir)
        #expect(stdout.code == 0 && stdout.stdout.hasPrefix("{\n  \"status\""), "\(stdout.stderr)")
        let node = dir.appendingPathComponent("null").path
        try #require(mknod(node, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0, "mknod: \(String(cString: strerror(errno)))")
        var before = stat()
        lstat(node, &before)
        let r = try run(["solve", "c.json", "--out", "null", "--timetable", "null2.csv"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        var after = stat()
        lstat(node, &after)
        #expect(after.st_mode & S_IFMT == S_IFCHR && after.st_rdev == before.st_rdev && after.st_ino == before.st_ino)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("null2.csv").path))
        // The same through a symbolic link to the device.
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("to-null").path, withDestinationPath: "null")
        #expect(try run(["solve", "c.json", "--out", "to-null"], in: dir).code == 0)
        lstat(node, &after)
        #expect(after.st_mode & S_IFMT == S_IFCHR && after.st_ino == before.st_ino)
        #expect(leftovers(dir).isEmpty, "\(leftovers(dir))")
    }

    /// A FIFO is written (its reader gets the result) and stays a FIFO.
    @Test func fifoIsWrittenNotReplaced() throws {
        let dir = try workspace()
        let fifo = dir.appendingPathComponent("pipe").path
        try #require(mkfifo(fifo, 0o644) == 0)
        // Held open for writing by the test too, so that the reader never waits on its own: it
        // gets what the tool writes, and the end of the data once the tool and this are closed
        // (an older build that renamed a file over the FIFO instead cannot make it hang).
        let holder = open(fifo, O_RDWR)
        try #require(holder >= 0)
        nonisolated(unsafe) var received = Data()
        let reader = Thread { received = Self.readAll(fifo) }
        reader.start()
        let r = try run(["solve", "c.json", "--out", "pipe"], in: dir)
        close(holder)
        while !reader.isFinished { usleep(10_000) }
        #expect(r.code == 0, "\(r.stderr)")
        #expect(String(decoding: received, as: UTF8.self).hasPrefix("{\n  \"status\": \"optimal\""))
        var st = stat()
        lstat(fifo, &st)
        #expect(st.st_mode & S_IFMT == S_IFIFO)
    }

    /// A symbolic link given as an output is followed: the file it points at is replaced, the
    /// link stays. A dangling link, a folder, a socket and one file named twice are refused.
    @Test func linksFoldersAndRepeatsAreHandled() throws {
        let dir = try workspace()
        try Data("old\n".utf8).write(to: dir.appendingPathComponent("target.json"))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link.json").path, withDestinationPath: "target.json")
        let r = try run(["solve", "c.json", "--out", "link.json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.appendingPathComponent("link.json").path) == "target.json")
        #expect(try String(contentsOf: dir.appendingPathComponent("target.json"), encoding: .utf8).hasPrefix("{"))

        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("dangling.json").path, withDestinationPath: "nowhere.json")
        try expectNoChange(["solve", "c.json", "--out", "dangling.json"], in: dir, containing: "dangling link")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("folder"), withIntermediateDirectories: true)
        try expectNoChange(["solve", "c.json", "--out", "folder"], in: dir, containing: "folder: --out: is a folder; give a file name")
        try expectNoChange(["solve", "c.json", "--out", "r.csv", "--timetable", "./r.csv"], in: dir, containing: "is also given as --out r.csv")
        try expectNoChange(["solve", "c.json", "--out", "r.json/"], in: dir, containing: "ends in \"/\", which names a folder")
    }

    // MARK: Inputs, however they are spelled

    /// `solve cohort.json --out cohort.json/` overwrote the cohort (also --policy, --previous,
    /// --html, --timetable and import --out): the guard compared directory URLs and the rename
    /// dropped the slash. Every spelling of every input is refused now, with nothing changed.
    @Test func inputsAreNeverOverwrittenWhateverTheSpelling() throws {
        let dir = try workspace()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("alias.json").path, withDestinationPath: "c.json")
        try #require(link(dir.appendingPathComponent("c.json").path, dir.appendingPathComponent("hard.json").path) == 0)
        let inputs: [(file: String, extra: [String])] = [("c.json", []), ("p.yaml", ["--policy", "p.yaml"]), ("prev.json", ["--previous", "prev.json"])]
        for (file, extra) in inputs {
            for spelling in [file, file + "/", file + "/.", "./" + file, dir.path + "/" + file, "sub/../" + file] {
                for option in ["--out", "--html", "--timetable"] {
                    try expectNoChange(["solve", "c.json"] + extra + [option, spelling], in: dir, containing: "refusing to overwrite an input file")
                }
            }
        }
        for spelling in ["alias.json", "hard.json"] {
            try expectNoChange(["solve", "c.json", "--out", spelling], in: dir, containing: "refusing to overwrite an input file")
        }
        try expectNoChange(["solve", "c.json", "--calendar", "."], in: dir, containing: "refusing to replace a folder that holds an input")
        try expectNoChange(["solve", "c.json", "--calendar", dir.path + "/"], in: dir, containing: "refusing to replace a folder that holds an input")
    }

    /// With no slash at all, `import --columns F --out F`, `import --policy F --out F` and
    /// `candidates --policy F --out F` overwrote F and exited 0.
    @Test func importAndCandidatesProtectEveryInput() throws {
        let dir = try workspace()
        try Data("id,age\nm1,14\n".utf8).write(to: dir.appendingPathComponent("mentors.csv"))
        try Data("id,age\ne1,12\n".utf8).write(to: dir.appendingPathComponent("mentees.csv"))
        try Data("id: id\nage: age\n".utf8).write(to: dir.appendingPathComponent("cols.yaml"))
        for spelling in ["cols.yaml", "cols.yaml/", "./cols.yaml"] {
            try expectNoChange(["import", "mentors.csv", "mentees.csv", "--columns", "cols.yaml", "--out", spelling], in: dir,
                               containing: "refusing to overwrite an input file")
        }
        for spelling in ["p.yaml", "p.yaml/."] {
            try expectNoChange(["import", "mentors.csv", "mentees.csv", "--policy", "p.yaml", "--out", spelling], in: dir,
                               containing: "refusing to overwrite an input file")
            try expectNoChange(["candidates", "c.json", "--policy", "p.yaml", "--out", spelling], in: dir,
                               containing: "refusing to overwrite an input file")
        }
        for spelling in ["mentees.csv", "mentees.csv/"] {
            try expectNoChange(["import", "mentors.csv", "mentees.csv", "--out", spelling], in: dir, containing: "refusing to overwrite an input file")
        }
        // Standard output redirected onto an input (>> keeps it) is refused too.
        let before = try Data(contentsOf: dir.appendingPathComponent("c.json"))
        let redirected = try redirectedRun(["solve", "c.json"], stdoutTo: dir.appendingPathComponent("c.json"), in: dir)
        #expect(redirected.code == 1 && redirected.stderr.contains("refusing to overwrite an input file"), "\(redirected.stderr)")
        #expect(try Data(contentsOf: dir.appendingPathComponent("c.json")) == before)
    }

    /// Runs the tool with standard output appended to `file`.
    func redirectedRun(_ args: [String], stdoutTo file: URL, in dir: URL) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = args
        p.currentDirectoryURL = dir
        let handle = try FileHandle(forWritingTo: file)
        handle.seekToEndOfFile()
        p.standardOutput = handle
        let err = Pipe()
        p.standardError = err
        try p.run()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try handle.close()
        return Run(code: p.terminationStatus, signalled: false, stdout: "", stderr: String(decoding: e, as: UTF8.self))
    }

    // MARK: All outputs or none

    /// `solve --out r.json --timetable t.csv --html nodir/h.html` wrote r.json and t.csv, then
    /// failed; `--calendar` into an unwritable folder the same. Now every destination is checked
    /// first; and a failure while writing (here a file-size limit, as a full disk would) takes
    /// back what the command had written, including a replaced file's old content.
    @Test func aCommandWritesAllItsOutputsOrNone() throws {
        let dir = try workspace()
        try Data("old result\n".utf8).write(to: dir.appendingPathComponent("r.csv"))
        try expectNoChange(["solve", "c.json", "--out", "r.json", "--timetable", "t.csv", "--html", "nodir/h.html"], in: dir,
                           containing: "nodir/h.html: --html: cannot be written: the folder nodir does not exist")
        try expectNoChange(["solve", "c.json", "--out", "r.json", "--calendar", "nodir/cal"], in: dir, containing: "does not exist")
        // Past the checks: the second file is over the limit (8 KiB), so the first is taken back.
        try expectNoChange(["solve", "c.json", "--format", "csv", "--out", "r.csv", "--timetable", "t.csv", "--html", "h.html"], in: dir,
                           shell: "ulimit -f 8", containing: "t.csv: --timetable: could not be written: the file is larger than this process may write")
        // An unwritable folder, for the calendar folder and for a file.
        let locked = dir.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: dir.path)
        let nobody = geteuid() == 0
        try expectNoChange(["solve", "c.json", "--out", "r2.json", "--calendar", "locked/cal"], in: dir, asNobody: nobody,
                           containing: "locked/cal: --calendar: cannot be written: no permission to write in the folder")
        try expectNoChange(["solve", "c.json", "--out", "r2.json", "--timetable", "locked/t.csv"], in: dir, asNobody: nobody,
                           containing: "no permission to write in the folder")
        // A reader that closes its FIFO: the files already renamed into place are taken back.
        let fifo = dir.appendingPathComponent("early").path
        try #require(mkfifo(fifo, 0o666) == 0)
        let closer = Thread { let fd = open(fifo, O_RDONLY); close(fd) }
        closer.start()
        try expectNoChange(["solve", "c.json", "--format", "csv", "--out", "r.csv", "--timetable", "t.csv", "--html", "early"], in: dir,
                           containing: "early: --html: could not be written")
        #expect(try String(contentsOf: dir.appendingPathComponent("r.csv"), encoding: .utf8) == "old result\n")
    }

    // MARK: Signals and stale temporary files

    /// SIGINT and SIGTERM during a solve stop it and leave nothing behind; during the writing
    /// (held open here by a FIFO no one reads yet) they take back the files already in place.
    @Test func signalsLeaveNoOutputBehind() throws {
        let dir = try workspace()
        let big = dir.appendingPathComponent("big.json").path
        let g = try run(["generate", "--mentees", "3000", "--seed", "3", "--out", big], in: dir)
        try #require(g.code == 0, "\(g.stderr)")
        for (name, send) in [("SIGINT", { (p: Process) in p.interrupt() }), ("SIGTERM", { (p: Process) in p.terminate() })] {
            let before = Snapshot(dir)
            let r = try run(["solve", "big.json", "--out", "r.json", "--format", "csv"], in: dir) { p in
                usleep(1_000_000)
                send(p)
            }
            #expect(r.signalled, "\(name): \(r.code) \(r.stderr)")
            #expect(r.stderr.contains("\(name) received: stopped; nothing was written"), "\(r.stderr)")
            #expect(Snapshot(dir) == before, "\(name): \(before.changes(to: Snapshot(dir)))")
        }
        // During the commit: r.json (an older one) and t.csv are in place, the FIFO not yet opened.
        try Data("older\n".utf8).write(to: dir.appendingPathComponent("r.json"))
        let fifo = dir.appendingPathComponent("slow").path
        try #require(mkfifo(fifo, 0o666) == 0)
        let before = Snapshot(dir)
        let r = try run(["solve", "c.json", "--out", "r.json", "--timetable", "t.csv", "--html", "slow"], in: dir) { p in
            // Wait until the commit has put t.csv in place, then stop it.
            for _ in 0..<600 where !FileManager.default.fileExists(atPath: dir.appendingPathComponent("t.csv").path) { usleep(50_000) }
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("t.csv").path))
            p.terminate()
        }
        #expect(r.signalled && r.stderr.contains("SIGTERM received: stopped; the outputs begun were removed"), "\(r.stderr)")
        #expect(Snapshot(dir) == before, "\(before.changes(to: Snapshot(dir)))")
    }

    /// `solve --on-interrupt write-best`: the first SIGINT stops the solve at its next check and
    /// the best result found by then is written, saying so; a second stops at once, writing nothing.
    @Test func writeBestOnInterrupt() throws {
        let dir = try workspace()
        let g = try run(["generate", "--mentees", "1500", "--seed", "4", "--out", "big.json"], in: dir)
        try #require(g.code == 0, "\(g.stderr)")
        let r = try run(["solve", "big.json", "--on-interrupt", "write-best", "--out", "r.json"], in: dir) { p in
            usleep(1_000_000)
            p.interrupt()
        }
        #expect(r.code == 0 && !r.signalled, "\(r.code): \(r.stderr)")
        #expect(r.stderr.contains("SIGINT received: stopping the solve and writing the best result found so far"), "\(r.stderr)")
        let result = try JSONValue.parseJSON(Data(contentsOf: dir.appendingPathComponent("r.json")), file: "r.json")
        #expect("\(result["notes"] ?? .null)".contains("stopped early by SIGINT (--on-interrupt write-best)"))
        guard case .array(let pairs)? = result["pairs"] else { Issue.record("no pairs"); return }
        #expect(!pairs.isEmpty)
        // A second signal: stop at once, nothing written.
        let before = Snapshot(dir)
        let twice = try run(["solve", "big.json", "--on-interrupt", "write-best", "--out", "r2.json"], in: dir) { p in
            usleep(1_000_000)
            p.interrupt()
            usleep(200_000)
            p.interrupt()
        }
        #expect(twice.signalled && twice.stderr.contains("SIGINT received: stopped; nothing was written"), "\(twice.stderr)")
        #expect(Snapshot(dir) == before, "\(before.changes(to: Snapshot(dir)))")
    }

    /// Interrupted runs left hidden temporary files (`.r.json.PID.tmp`, `.cal.PID.tmp/`) in 24 of
    /// 48 trials. A killed run (SIGKILL: nothing can clean up) still can; the next run that
    /// writes into the folder removes them, and puts back a file a run killed mid-rename had set aside.
    @Test func staleTemporaryFilesAreCleanedUpByTheNextRun() throws {
        let dir = try workspace()
        let dead = try deadPID()
        let fm = FileManager.default
        func make(_ name: String, _ text: String = "partial") throws { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        try make(".r.json.peermatch-\(dead)-1.tmp")
        try make(".r.json.\(dead).tmp")                       // the name earlier versions used
        try make(".t.csv.peermatch-\(dead)-2.old", "the old timetable\n")   // set aside, t.csv gone
        let staleCal = dir.appendingPathComponent(".cal.peermatch-\(dead)-3.tmp")
        try fm.createDirectory(at: staleCal, withIntermediateDirectories: true)
        try Data("BEGIN:VCALENDAR\r\n".utf8).write(to: staleCal.appendingPathComponent("room-a.ics"))
        try make(".notes.\(dead).tmp")                        // not ours: another program's name
        try make(".r.json.peermatch-\(getpid())-9.tmp")        // a live process's: left alone
        let r = try run(["solve", "c.json", "--out", "r.json", "--calendar", "cal"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let names = Set(try fm.contentsOfDirectory(atPath: dir.path))
        #expect(!names.contains(".r.json.peermatch-\(dead)-1.tmp") && !names.contains(".r.json.\(dead).tmp"))
        #expect(!names.contains(".cal.peermatch-\(dead)-3.tmp"))
        #expect(names.contains("t.csv") && !names.contains(".t.csv.peermatch-\(dead)-2.old"))
        #expect(try String(contentsOf: dir.appendingPathComponent("t.csv"), encoding: .utf8) == "the old timetable\n")
        #expect(names.contains(".notes.\(dead).tmp") && names.contains(".r.json.peermatch-\(getpid())-9.tmp"))
    }

    /// Everything written into a FIFO (blocking open and reads, unlike FileManager's).
    static func readAll(_ path: String) -> Data {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return Data() }
        defer { close(fd) }
        var out = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 65536) }
            if n <= 0 { return out }
            out.append(contentsOf: buffer[0..<n])
        }
    }

    /// A process id that belonged to a process that has ended.
    func deadPID() throws -> pid_t {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    func leftovers(_ dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { TemporaryName.parse($0) != nil }
    }

    // MARK: The library API

    /// `OutputPlan` on its own: a producer that fails part way leaves nothing; a replaced file
    /// keeps its permissions; successive commits replace whole files and leave no temporary files.
    @Test func outputPlanAllOrNothingAndModes() throws {
        let dir = try tempDir()
        let a = dir.appendingPathComponent("a.txt").path, b = dir.appendingPathComponent("b.txt").path
        try Data("old a\n".utf8).write(to: URL(fileURLWithPath: a))
        chmod(a, 0o640)
        struct Broken: Error {}
        var plan = OutputPlan(protecting: [])
        plan.set(try plan.file(a), text: "new a\n")
        plan.set(try plan.file(b), .stream { sink in
            try sink.write(String(repeating: "x", count: 100_000))
            throw InputError(file: b, "the producer failed")
        })
        let before = Snapshot(dir)
        #expect(throws: InputError.self) { try plan.commit() }
        #expect(Snapshot(dir) == before, "\(before.changes(to: Snapshot(dir)))")
        var good = OutputPlan(protecting: [])
        good.set(try good.file(a), text: "new a\n")
        good.set(try good.file(b), .stream { sink in for k in 0..<10_000 { try sink.write("line \(k)\n") } })
        try good.commit()
        #expect(try String(contentsOfFile: a, encoding: .utf8) == "new a\n")
        #expect(try String(contentsOfFile: b, encoding: .utf8).split(separator: "\n").count == 10_000)
        var st = stat()
        stat(a, &st)
        #expect(st.st_mode & 0o777 == 0o640)
        #expect(leftovers(dir).isEmpty)
        // AtomicFile (the one-file front) and the calendar writer use the same rules.
        #expect(throws: InputError.self) { try AtomicFile.write("x", to: a, protecting: [dir.path + "/./a.txt"]) }
        #expect(throws: InputError.self) { try AtomicFile.write("x", to: dir.path) }
    }
}
