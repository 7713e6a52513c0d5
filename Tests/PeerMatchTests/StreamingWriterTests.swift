import CSV
import Foundation
import Testing
@testable import PeerMatch

/// The hand-written CSV bytes and the streamed `candidates` report: the same bytes as the
/// writers they replace, on random fields and generated cohorts.
@Suite struct StreamingWriterTests {
    /// What CSV.swift's writer gives (the writer csvText used before), plus the final line break.
    func reference(_ rows: [[String]]) throws -> String {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream)
        for row in rows { try writer.write(row: row) }
        writer.stream.close()
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    @Test func csvBytesEqualCSVSwiftOnRandomFields() throws {
        var rng = SeededRandom(seed: 7)
        let pieces = ["a", "Zoë", "\"", ",", "\n", "\r", "\r\n", " ", "", "x,y", "say \"hi\"", "1.5", "–", "日本"]
        for _ in 0..<300 {
            let rows = (0..<(1 + rng.int(5))).map { _ in
                (0..<rng.int(5)).map { _ in (0..<rng.int(4)).map { _ in pieces[rng.int(pieces.count)] }.joined() }
            }
            let header = rows[0], body = Array(rows.dropFirst())
            #expect(csvText(header: header, rows: body) == (try reference(rows)), "\(rows)")
        }
        #expect(RunsFile.line(["a,b", "c\"d", "e"]) == "\"a,b\",\"c\"\"d\",e\n")
    }

    @Test func hundredthsAsFormatNumber() {
        for h in [0, 1, 5, 10, 50, 99, 100, 101, 110, 150, 1234, -1, -5, -10, -50, -100, -150, -12345, 999_999_999, -7_000_000_001] {
            var csv = CSVBytes()
            csv.hundredths(h)
            #expect(String(decoding: csv.bytes, as: UTF8.self) == formatNumber(Score.points(h)), "\(h)")
        }
    }

    /// `candidates` streamed (CSV and JSON, with and without the rejected pairs) gives the bytes
    /// of the rows rendered whole.
    @Test(arguments: [(40, UInt64(3)), (120, UInt64(5))])
    func streamedCandidatesEqualRendered(mentees: Int, seed: UInt64) throws {
        var cohort = CohortGenerator(setting: .secondary, mentees: mentees, seed: seed).generate()
        // An id that needs quoting in CSV and escaping in JSON.
        cohort.mentors[0].id = PersonID("m,\"0\"")
        let policy = Policy.default
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for format in [OutputFormat.csv, .json, .table] {
            for all in [false, true] {
                let path = folder.appendingPathComponent("out-\(format)-\(all)").path
                var plan = OutputPlan(protecting: [])
                let out = try plan.file(path)
                plan.set(out, .stream { sink in
                    try CandidatesWriter.write(cohort: cohort, policy: policy, format: format, includeRejected: all, to: &sink)
                })
                try plan.commit()
                let streamed = try String(contentsOfFile: path, encoding: .utf8)
                let rows = CandidatesWriter.rows(cohort: cohort, policy: policy, includeRejected: all)
                #expect(!rows.isEmpty)
                let whole = CandidatesWriter.render(rows, policy: policy, format: format, cohort: cohort)
                #expect(streamed == whole, "\(format) all=\(all)")
            }
        }
    }

    @Test func streamedCandidatesOfNoPairs() throws {
        let cohort = Cohort(mentors: [], mentees: [])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for format in [OutputFormat.csv, .json] {
            let path = folder.appendingPathComponent("empty-\(format)").path
            var plan = OutputPlan(protecting: [])
            let out = try plan.file(path)
            plan.set(out, .stream { sink in
                try CandidatesWriter.write(cohort: cohort, policy: .default, format: format, includeRejected: false, to: &sink)
            })
            try plan.commit()
            let whole = CandidatesWriter.render([], policy: .default, format: format, cohort: cohort)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == whole)
        }
    }
}
