import Foundation
import Testing
import ZIPFoundation
@testable import PeerMatch
@testable import PeerMatchWeb

/// The web page's one-pass zip writer, read back by ZIPFoundation's reader and by Info-ZIP's
/// `unzip -t` (which checks every header, offset and CRC-32).
@Suite struct ZipWriterTests {
    static func randomFiles(seed: UInt64) -> [(name: String, text: String)] {
        var rng = SeededRandom(seed: seed)
        let pieces = ["BEGIN:VCALENDAR\r\n", "Zoë ", "<script>", "\"", "é", "👩🏽‍🏫", "line\r\n", String(repeating: "x", count: 200)]
        var names = Set<String>()
        var out: [(name: String, text: String)] = []
        for k in 0 ..< rng.int(in: 1...40) {
            let name = (rng.int(4) == 0 ? "rooms/Ré-\(k).ics" : "people/p\(k).ics")
            guard names.insert(name).inserted else { continue }
            let text = (0 ..< rng.int(in: 0...30)).map { _ in pieces[rng.int(pieces.count)] }.joined()
            out.append((name, text))
        }
        return out
    }

    @Test func everyFileReadsBackWithItsNameAndBytes() throws {
        for seed in UInt64(1)...UInt64(40) {
            let files = Self.randomFiles(seed: seed)
            let data = try TimetablePages.zip(files, modified: Date(timeIntervalSince1970: 1_790_000_000))
            let archive = try Archive(data: data, accessMode: .read)
            #expect(archive.map(\.path) == files.map(\.name).sorted(), "seed \(seed): names in name order")
            for f in files {
                let entry = try #require(archive[f.name], "seed \(seed): \(f.name)")
                var bytes = Data()
                _ = try archive.extract(entry) { bytes.append($0) }   // checks the CRC-32
                #expect(bytes == Data(f.text.utf8), "seed \(seed): \(f.name)")
                #expect(entry.type == .file)
                #expect(entry.uncompressedSize == UInt64(f.text.utf8.count))
            }
            // The same files, the same bytes (the order they are given in does not matter).
            #expect(try TimetablePages.zip(files.reversed(), modified: Date(timeIntervalSince1970: 1_790_000_000)) == data)
        }
    }

    /// Info-ZIP's own test of the archive, with the entries' dates (UTC) as written.
    @Test(.enabled(if: ["/usr/bin/unzip", "/usr/bin/zipinfo"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) },
                   "needs Info-ZIP's unzip (apt-get install -y unzip; .ci/run installs it)"))
    func unzipTestsTheArchiveClean() throws {
        let unzip = URL(fileURLWithPath: "/usr/bin/unzip")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zipwriter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("t.zip")
        // 2026-09-07 13:45:30 UTC.
        try TimetablePages.zip(Self.randomFiles(seed: 7) + [("empty.txt", "")], modified: Date(timeIntervalSince1970: 1_788_788_730))
            .write(to: file)
        for args in [["-t", file.path], ["-Z", "-T", file.path]] {
            let p = Process()
            p.executableURL = args[0] == "-Z" ? URL(fileURLWithPath: "/usr/bin/zipinfo") : unzip
            p.arguments = args[0] == "-Z" ? Array(args.dropFirst()) : args
            p.environment = ["TZ": "UTC", "PATH": "/usr/bin:/bin"]
            let out = Pipe()
            p.standardOutput = out; p.standardError = out
            try p.run(); p.waitUntilExit()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(p.terminationStatus == 0, "\(args): \(text)")
            if args[0] == "-t" { #expect(text.contains("No errors detected"), "\(text)") }
            else { #expect(text.contains("20260907.134530"), "zipinfo shows the date and time given: \(text)") }
        }
    }
}
