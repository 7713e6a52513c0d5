import Foundation
import Testing
@testable import PeerMatch

/// YAML files (policies, timetable setups, column maps): the 1.2 core schema for our values,
/// aliases, size and depth held to limits with clear errors, located syntax errors.
@Suite struct YAMLReaderTests {
    func yaml(_ text: String, limits: ReadLimits = .init()) throws -> JSONValue {
        try JSONValue.parseYAML(text, file: "p.yaml", limits: limits)
    }

    func error(_ text: String, limits: ReadLimits = .init()) throws -> String {
        try inputError { try yaml(text, limits: limits) }.description
    }

    /// Issue 15: an unquoted 12:30 in a timetable setup file was the sexagesimal number 750 and
    /// rejected; no, on, yes and off would have been booleans.
    @Test func coreSchemaKeepsTimesAndWordsAsWritten() throws {
        let v = try yaml("start: 12:30\nend: 13:00\na: no\nb: on\nc: yes\nd: off\ne: 2026-09-07\nf: 007\ng: 1.50\nh: +3\ni: 0x1F\nj: 1e3\n")
        for (key, text) in [("start", "12:30"), ("end", "13:00"), ("a", "no"), ("b", "on"), ("c", "yes"), ("d", "off"),
                            ("e", "2026-09-07"), ("f", "007"), ("g", "1.50"), ("h", "+3"), ("i", "0x1F"), ("j", "1e3")] {
            #expect(v[key] == .string(text), "\(key)")
        }
        let typed = try yaml("n: 12\nx: -2.5\nt: true\nu: False\nz: ~\ne:\nq: \"12\"\nlist: [1, a, null]\n")
        #expect(typed["n"] == .number(12) && typed["x"] == .number(-2.5))
        #expect(typed["t"] == .bool(true) && typed["u"] == .bool(false))
        #expect(typed["z"] == .null && typed["e"] == .null)
        #expect(typed["q"] == .string("12"))
        #expect(typed["list"] == .array([.number(1), .string("a"), .null]))
        // Numbers written as text still read as numbers where a number is wanted.
        let policy = try PolicyReader.parse("weights:\n  sharedInterests: 1.50\n  needsMet: 1e1\n", file: "p.yaml")
        #expect(policy.weights.sharedInterests == 1.5 && policy.weights.needsMet == 10)
        // "off" is a word, as written.
        let off = try PolicyReader.parse("genderPreference: off\nageGap:\n  mode: off\n", file: "p.yaml")
        #expect(off.genderPreference == .off && off.ageGap.mode == .off)
        let wrong = try inputError { try PolicyReader.parse("onlyScoredPairs: yes\n", file: "p.yaml") }
        #expect(wrong.description == "p.yaml: $.onlyScoredPairs: must be true or false, found \"yes\"")
    }

    /// The reproducer through `import --timetable-setup`: an unquoted 12:30 is a time.
    @Test func timetableSetupWithUnquotedTimes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pm-yaml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let setup = dir.appendingPathComponent("setup.yaml").path
        try Data("""
        slots:
          - {id: wed-lunch, day: wed, start: 12:30, end: 13:00, label: Lunch}
          - id: fri-am
            day: fri
            start: 08:45
            end: 09:05
        rooms:
          - {id: lib, capacity: 2}
        term: {start: 2026-09-07, end: 2026-12-18}
        format: pairs-in-room
        """.utf8).write(to: URL(fileURLWithPath: setup))
        let mentors = dir.appendingPathComponent("m.csv").path, mentees = dir.appendingPathComponent("e.csv").path
        try Data("id,age\nm1,14\n".utf8).write(to: URL(fileURLWithPath: mentors))
        try Data("id,age\ne1,12\n".utf8).write(to: URL(fileURLWithPath: mentees))
        let cohort = try CSVImport.cohort(mentors: mentors, mentees: mentees, timetableSetup: setup)
        let slots = try #require(cohort.timetable?.slots)
        #expect(slots.map(\.start.description) == ["12:30", "08:45"])
        #expect(slots.map(\.end.description) == ["13:00", "09:05"])
    }

    /// Issue 15: documents that expand through aliases aborted with "failed to allocate" past 1.7 GB.
    @Test func aliasExpansionIsLimited() throws {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for k in 1...9 { lines.append("a\(k): &a\(k) [" + Array(repeating: "*a\(k - 1)", count: 10).joined(separator: ", ") + "]") }
        let bomb = lines.joined(separator: "\n") + "\n"   // 10^10 values once expanded; 700 bytes as text
        let start = Date()
        let e = try error(bomb)
        #expect(e.contains("expands to more than 1000000 values (an alias such as *name counts"), "\(e)")
        #expect(e.hasPrefix("p.yaml: line "))
        #expect(Date().timeIntervalSince(start) < 30)
        // Through the policy reader, too.
        let viaPolicy = try inputError { try PolicyReader.parse(bomb, file: "bomb.yaml") }
        #expect(viaPolicy.description.contains("bomb.yaml: line") && viaPolicy.description.contains("expands to more than"))
        // A few aliases are fine.
        let ok = try yaml("base: &b {mode: hard, min: 1}\nageGap: *b\n")
        #expect(ok["ageGap"]?["min"] == .number(1))
    }

    /// Issue 15: documents that grow (appended keys) aborted the same way: a size limit stops them.
    @Test func sizeLimit() throws {
        var small = ReadLimits(); small.maxYAMLBytes = 1000
        let big = (0..<200).map { "key\($0): value" }.joined(separator: "\n")
        #expect(try error(big, limits: small) == "p.yaml: is larger than the limit of 1000 bytes for YAML files; a policy or setup file is a few kilobytes")
        #expect(try yaml(big)["key199"] == .string("value"))
    }

    @Test func depthLimit() throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let e = try error(deep)
        #expect(e.contains("nested more than 1000 deep"), "\(e)")
        let block = (0..<3000).map { String(repeating: " ", count: $0 * 2) + "k:" }.joined(separator: "\n")
        #expect(try error(block).contains("nested more than 1000 deep"))
        // 600 deep is fine, in flow and in block style.
        let flow600 = String(repeating: "[", count: 600) + "1" + String(repeating: "]", count: 600)
        var v = try yaml(flow600)
        for _ in 0..<600 { guard case .array(let a) = v else { Issue.record("shape"); return }; v = a[0] }
        #expect(v == .number(1))
        let block300 = (0..<300).map { String(repeating: " ", count: $0 * 2) + "k:" }.joined(separator: "\n") + " end"
        #expect(throws: Never.self) { try yaml(block300) }
    }

    @Test func errorsAreLocated() throws {
        #expect(try error("a: 1\nb: [1, 2\nc: 3\n").hasPrefix("p.yaml: line "))
        let dup = try error("method: optimal\nproposer: mentees\nmethod: fair\n")
        #expect(dup.hasPrefix("p.yaml: line 1, column 1: is not valid YAML: duplicate key \"method\""), "\(dup)")
        let tab = try error("a:\n\tb: 1\n")
        #expect(tab.hasPrefix("p.yaml: line 2, column 1: is not valid YAML:"), "\(tab)")
        #expect(try error("age: 1e309\n") == "p.yaml: line 1, column 6: 1e309 is out of range: numbers must lie between -1.8e308 and 1.8e308")
        let bytes = Data("a: caf".utf8) + Data([0xE9]) + Data("\n".utf8)
        let notUTF8 = try inputError { try YAMLReader.parse(bytes, file: "p.yaml") }
        #expect(notUTF8.description == "p.yaml: line 1, column 7: is not UTF-8 text: byte 0xE9 at offset 6 is not valid UTF-8; save the file as UTF-8")
        let complexKey = try error("? [a, b]\n: 1\n")
        #expect(complexKey.contains("a key must be text"))
    }

    /// A policy named `.json` is read by the JSON reader (its messages, its duplicate-key check);
    /// one named `.yaml` by YAML, whatever it starts with.
    @Test func extensionPicksTheSyntax() throws {
        let json = try inputError { try PolicyReader.parse("{\"method\": \"fair\", \"method\": \"stable\"}", file: "p.json") }
        #expect(json.description.contains("p.json: line 1, column 20: duplicate key \"method\""))
        let flow = try PolicyReader.parse("{method: fair}", file: "p.yaml")
        #expect(flow.method == .fair)
        let sniffed = try PolicyReader.parse("{\"method\": \"stable\"}", file: "p")
        #expect(sniffed.method == .stable)
    }
}
