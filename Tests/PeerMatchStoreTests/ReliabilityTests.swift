import Foundation
import GRDB
import Testing
import PeerMatch
@testable import PeerMatchStore

/// Two writers at once, and a process killed in the middle of a verb, with real processes.
@Suite(.serialized) struct ReliabilityTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var binary: String { root.appendingPathComponent(".build/debug/peermatch").path }

    struct Running {
        let process: Process
        let stderr: Pipe
        let stdout: Pipe
    }

    static func start(_ args: [String], env: [String: String] = [:]) throws -> Running {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.environment = ProcessInfo.processInfo.environment.merging(env) { _, b in b }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        return Running(process: p, stderr: err, stdout: out)
    }

    static func run(_ args: [String], env: [String: String] = [:]) throws -> (code: Int32, out: String, err: String) {
        let r = try start(args, env: env)
        let o = r.stdout.fileHandleForReading.readDataToEndOfFile(), e = r.stderr.fileHandleForReading.readDataToEndOfFile()
        r.process.waitUntilExit()
        return (r.process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// Waits until the process says it is inside its write transaction, then SIGKILLs it.
    static func killInsideWrite(_ r: Running) throws {
        var seen = ""
        let handle = r.stderr.fileHandleForReading
        let deadline = Date().addingTimeInterval(60)
        while !seen.contains("inside the write transaction") {
            let chunk = handle.availableData
            if chunk.isEmpty {
                try #require(r.process.isRunning, "the process ended before its write: \(seen)")
                Thread.sleep(forTimeInterval: 0.01)
            }
            seen += String(decoding: chunk, as: UTF8.self)
            try #require(Date() < deadline, "no write began in 60 s: \(seen)")
        }
        kill(r.process.processIdentifier, SIGKILL)
        r.process.waitUntilExit()
        #expect(r.process.terminationReason == .uncaughtSignal && r.process.terminationStatus == SIGKILL)
    }

    func tables(_ path: String) throws -> [String: Int] {
        let store = try SchemeStore.open(at: path)
        let problems = try store.check()
        #expect(problems == [], "integrity and the store's rules hold")
        return try store.read { db in
            var out: [String: Int] = [:]
            for t in ["person", "person_version", "import_batch", "import_draft", "exclusion", "match_run", "pair", "pair_event", "audit", "session_record"] {
                out[t] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(t)")
            }
            out["revision"] = try Int.fetchOne(db, sql: "SELECT revision FROM scheme")
            return out
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: binary), "build the peermatch binary first (swift build)"))
    func killedImportAndMatchLeaveTheStoreAsBefore() throws {
        let s = try TempScheme()
        try s.store.addTerm(id: "2026-autumn", setup: try Fixture.setup("year/autumn-setup.yaml"), by: TempScheme.sam)
        let year = Fixture.folder.appendingPathComponent("year").path
        let stall = ["PEERMATCH_TEST_STALL_IN_WRITE": "60", "PEERMATCH_SCHEME": s.path]

        // Mid-import: the people, versions, exclusions and the import itself all written, not committed.
        let before = try tables(s.path)
        try Self.killInsideWrite(try Self.start(["scheme", "import", "--term", "2026-autumn", "\(year)/autumn-mentors.csv", "\(year)/autumn-mentees.csv",
                                                 "--exclusions", "\(year)/autumn-exclusions.csv"], env: stall))
        #expect(try tables(s.path) == before)

        // The same import, not killed, goes through; then a match killed while storing its pairs.
        let ok = try Self.run(["scheme", "import", "--term", "2026-autumn", "\(year)/autumn-mentors.csv", "\(year)/autumn-mentees.csv"],
                              env: ["PEERMATCH_SCHEME": s.path])
        #expect(ok.code == 0, "\(ok.err)")
        let imported = try tables(s.path)
        #expect(imported["person"] == 10 && imported["revision"] == before["revision"]! + 1)
        try Self.killInsideWrite(try Self.start(["scheme", "match", "2026-autumn"], env: stall))
        #expect(try tables(s.path) == imported)
        #expect(try s.reopen().proposals(term: "2026-autumn").pairs.isEmpty)

        // Killed at random moments of a real match, the store is either as before or has the whole run.
        for k in 0..<6 {
            let r = try Self.start(["scheme", "match", "2026-autumn"], env: ["PEERMATCH_SCHEME": s.path])
            Thread.sleep(forTimeInterval: Double(k) * 0.04)
            kill(r.process.processIdentifier, SIGKILL)
            r.process.waitUntilExit()
            let t = try tables(s.path)
            let store = try s.reopen()
            let runs = try store.runs(term: "2026-autumn")
            let live = try store.proposals(term: "2026-autumn").pairs(in: PairState.live)
            #expect(live.count == (runs.first?.matched ?? 0), "a run is there whole or not at all")
            #expect(t["audit"] == t["revision"])
        }
    }

    /// Two processes recording sessions at the same time, each through its own connection: every
    /// record arrives, none twice, and the file stays whole.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: binary), "build the peermatch binary first (swift build)"))
    func twoProcessesWritingAtOnceLoseNothing() throws {
        let s = try TempScheme()
        try Fixture.autumn(s)
        try s.store.match(term: "2026-autumn", by: TempScheme.sam)
        let pairs = try s.store.proposals(term: "2026-autumn").pairs
        try s.store.approve(pairs.map(\.ref), by: TempScheme.sam)
        let revision = try s.store.revision
        // Each writer: one process recording a register of 40 rows one row at a time (40 commits),
        // for its own pair, while the other does the same.
        let script = s.folder.appendingPathComponent("writer.sh").path
        try """
        #!/usr/bin/env bash
        set -e
        pair="$1"; who="$2"
        for i in $(seq 0 39); do
          day=$(date -u -d "2026-09-07 + $i days" +%F)
          "\(Self.binary)" scheme record "$pair" --date "$day" --outcome held --minutes "$((i + 1))" --by "$who" --scheme "\(s.path)" --term 2026-autumn >/dev/null
        done
        """.write(toFile: script, atomically: true, encoding: .utf8)
        func bash(_ args: [String]) throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = [script] + args
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            return p
        }
        let writers = [try bash([pairs[0].ref.description, "writer-a"]), try bash([pairs[1].ref.description, "writer-b"])]
        for w in writers { w.waitUntilExit(); #expect(w.terminationStatus == 0) }

        let store = try s.reopen()
        #expect(try store.check() == [])
        #expect(try store.revision == revision + 80)
        for (pair, who) in [(pairs[0].ref, "writer-a"), (pairs[1].ref, "writer-b")] {
            let records = try store.records(term: "2026-autumn", pair: pair)
            #expect(records.count == 40 && Set(records.map(\.date)).count == 40)
            let minutes: Int = records.compactMap(\.minutes).reduce(0, +)
            #expect(minutes == 820, "every write arrived with its own value (1 + 2 + ... + 40)")
            #expect(try store.audit(limit: 500, offset: 0).filter { $0.actor == who }.count == 40)
        }
    }

    /// Two stores (two connections, as two processes have) writing from two threads at once.
    @Test func twoConnectionsWritingAtOnceLoseNothing() throws {
        let s = try TempScheme()
        try Fixture.autumn(s)
        try s.store.match(term: "2026-autumn", by: TempScheme.sam)
        let refs = try s.store.proposals(term: "2026-autumn").pairs.map(\.ref)
        try s.store.approve(refs, by: TempScheme.sam)
        let start = try s.store.revision
        let other = try s.reopen()
        let errors = LockedList()
        let group = DispatchGroup()
        for (n, store) in [s.store, other].enumerated() {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                for i in 0..<150 {
                    do {
                        try store.record([SessionRecordInput(pair: refs[n], date: CalendarDate("2026-09-07")!.adding(days: i % 100), outcome: .held,
                                                             minutes: i, note: "writer \(n) #\(i)")], by: Actor("thread-\(n)"))
                    } catch { errors.append("\(error)") }
                }
            }
        }
        group.wait()
        #expect(errors.items.isEmpty, "\(errors.items.prefix(3))")
        #expect(try s.store.revision == start + 300)
        #expect(try s.store.check() == [])
        // 100 dates each; the last 50 writes corrected the first 50 (kept, superseded).
        #expect(try count(s.store, "session_record") == 300)
        #expect(try count(s.store, "session_record", "superseded_by IS NULL") == 200)
    }
}

final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func append(_ s: String) { lock.lock(); list.append(s); lock.unlock() }
    var items: [String] { lock.lock(); defer { lock.unlock() }; return list }
}
