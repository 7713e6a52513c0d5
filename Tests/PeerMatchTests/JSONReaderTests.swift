import Foundation
import Testing
@testable import PeerMatch

/// The JSON reader: located syntax errors, duplicate keys, numbers out of range, UTF-8, depth and
/// size limits; and values equal to an independent parser's on random documents.
@Suite struct JSONReaderTests {
    func errors(_ text: String, limits: ReadLimits = .init()) -> [String] {
        do {
            _ = try JSONValue.parseJSON(Data(text.utf8), file: "c.json", limits: limits)
            return []
        } catch let e as InputError {
            return e.diagnostics.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    func errors(bytes: [UInt8]) -> [String] {
        do { _ = try JSONValue.parseJSON(Data(bytes), file: "c.json"); return [] } catch let e as InputError {
            return e.diagnostics.map(\.description)
        } catch { return ["unexpected \(error)"] }
    }

    // MARK: The reproducers of issue 15

    /// `1e309` as an age leaked "DecodingError.typeMismatch … Path: mentees[3].age".
    @Test func numberOutOfRangeIsALocatedError() throws {
        let text = "{\"mentors\": [],\n \"mentees\": [{\"id\": \"e1\", \"age\": 1e309}]}"
        let e = errors(text)
        #expect(e == ["c.json: line 2, column 34: 1e309 is out of range: numbers must lie between -1.8e308 and 1.8e308 (near `…\": [{\"id\": \"e1\", \"age\": 1e309}]}`)"], "\(e)")
        let viaCohort = try inputError { try CohortReader.parse(Data(text.utf8), file: "c.json") }
        #expect(!viaCohort.description.contains("DecodingError") && !viaCohort.description.contains("Path:"))
        #expect(errors("[-1e400, 1e-400]") == ["c.json: line 1, column 2: -1e400 is out of range: numbers must lie between -1.8e308 and 1.8e308 (near `[-1e400, 1e-400]`)"])
    }

    /// "is not UTF-8 text" gave no offset.
    @Test func notUTF8GivesOffsetLineAndColumn() {
        // "Zoë" in Windows-1252: 0xEB is not UTF-8.
        let bytes = Array("{\"mentors\": [],\n  \"mentees\": [{\"id\": \"Zo".utf8) + [0xEB] + Array("\"}]}".utf8)
        #expect(errors(bytes: bytes) == ["c.json: line 2, column 25: is not UTF-8 text: byte 0xEB at offset 40 is not valid UTF-8; save the file as UTF-8 (near `\"mentees\": [{\"id\": \"Zo\u{FFFD}\"}]}`)"], "\(errors(bytes: bytes))")
        // Outside text, too; and an overlong encoding and a UTF-16 surrogate.
        #expect(errors(bytes: [0x7B, 0xC0, 0xAF, 0x7D]).first?.contains("line 1, column 2: is not UTF-8 text: byte 0xC0 at offset 1") == true)
        #expect(errors(bytes: Array("[\"".utf8) + [0xED, 0xA0, 0x80] + Array("\"]".utf8)).first?.contains("byte 0xED at offset 2") == true)
        #expect(errors(bytes: [0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00]) == ["c.json: is UTF-16 text; save it as UTF-8"])
        // A UTF-8 byte order mark is fine.
        #expect(errors(bytes: [0xEF, 0xBB, 0xBF] + Array("{\"a\": 1}".utf8)).isEmpty)
    }

    /// Valid JSON nested 600 deep was called invalid; far deeper is refused with a clear message.
    @Test func depthLimitIsGenerousAndSaid() throws {
        let deep600 = String(repeating: "[", count: 600) + "1" + String(repeating: "]", count: 600)
        var v = try JSONValue.parseJSON(Data(deep600.utf8), file: "d.json")
        for _ in 0..<600 { guard case .array(let a) = v, a.count == 1 else { Issue.record("shape"); return }; v = a[0] }
        #expect(v == .number(1))
        let objects = String(repeating: "{\"a\":", count: 1000) + "null" + String(repeating: "}", count: 1000)
        #expect(errors(objects).isEmpty)
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(errors(deep) == ["c.json: line 1, column 1001: lists and objects are nested more than 1000 deep here; PeerMatch reads at most 1000 levels (a cohort needs 4) (near `…[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[…`)"], "\(errors(deep))")
    }

    /// Duplicate keys were accepted silently (the last one won).
    @Test func duplicateKeysAreLocatedErrorsAllAtOnce() {
        let text = """
        {"mentors": [{"id": "m1", "age": 14, "capacity": 2, "age": 15}],
         "mentees": [],
         "mentees": []}
        """
        #expect(errors(text) == [
            "c.json: line 1, column 53: duplicate key \"age\" in this object (first at line 1, column 27); remove one of them (near `…ge\": 14, \"capacity\": 2, \"age\": 15}],`)",
            "c.json: line 3, column 2: duplicate key \"mentees\" in this object (first at line 2, column 2); remove one of them (near `\"mentees\": []}`)",
        ], "\(errors(text))")
        // A large object uses a table for the check: same answer.
        let many = "{" + (0..<100).map { "\"k\($0)\": \($0)" }.joined(separator: ", ") + ", \"k7\": 0}"
        #expect(errors(many).count == 1 && errors(many)[0].contains("duplicate key \"k7\""))
    }

    /// A syntax error said only "The given data was not valid JSON" (issue 9): now line, column
    /// and an excerpt, for cohorts, policies and previous results alike.
    @Test func syntaxErrorsSayWhereAndWhat() throws {
        let text = "{\"mentors\": [\n  {\"id\": \"m1\" \"age\": 14}\n]}"
        #expect(errors(text) == ["c.json: line 2, column 15: expected \",\" or \"}\" after the value of \"id\", found \"\"\": a comma is missing (near `{\"id\": \"m1\" \"age\": 14}`)"], "\(errors(text))")
        #expect(errors("{\"a\": [1, 2}") == ["c.json: line 1, column 12: expected \",\" or \"]\" in the list opened at line 1, column 7, found \"}\" (near `{\"a\": [1, 2}`)"])
        #expect(errors("{\"a\": 1") == ["c.json: line 1, column 8: the file ends inside the object opened at line 1, column 1; it was cut short or a closing \"}\" is missing (near `{\"a\": 1`)"])
        #expect(errors("{\"a\": \"x\n\"}").first?.contains("line 1, column 9: the text opened at line 1, column 7 runs to the end of the line") == true)
        #expect(errors("{'a': 1}").first?.contains("keys must be in double quotes") == true)
        #expect(errors("{\"a\": yes}").first?.contains("found \"yes\": text must be in double quotes") == true)
        #expect(errors("{\"a\": True}").first?.contains("true, false and null in lower case") == true)
        #expect(errors("{\"a\": 07}").first?.contains("numbers may not start with 0") == true)
        #expect(errors("{\"a\": 1} x").first?.contains("after the end of the JSON value") == true)
        #expect(errors("").first == "c.json: line 1, column 1: the file is empty; expected a JSON value such as an object {…} (near ``)")
        #expect(errors("{\"a\": \"\\q\"}").first?.contains("\\q is not a JSON escape") == true)
        #expect(errors("{\"a\": \"\\uD800\"}").first?.contains("half of a UTF-16 surrogate pair") == true)
        #expect(errors("{\"a\": 1 // note\n}").first?.contains("comments are not allowed in JSON") == true)
        // The same reader serves policies and previous results.
        let policy = try inputError { try PolicyReader.parse("{\"method\": \"fair\",,}", file: "p.json") }
        #expect(policy.description.hasPrefix("p.json: line 1, column 19: expected a key in double quotes, found \",\""))
        let previous = try inputError { try PreviousResult.parse(Data("{\"status\": \"optimal\" \"pairs\": []}".utf8), file: "r.json") }
        #expect(previous.description.hasPrefix("r.json: line 1, column 22: expected \",\" or \"}\""))
    }

    /// Trailing commas are refused, at the comma, with the fix (decision documented in the README).
    @Test func trailingCommasAreRefusedAtTheComma() {
        #expect(errors("{\"a\": [1, 2,],\n \"b\": 1}") == ["c.json: line 1, column 12: trailing comma before \"]\": JSON allows no comma after the last item of a list; remove it (near `{\"a\": [1, 2,],`)"])
        #expect(errors("{\"a\": 1,\n}") == ["c.json: line 1, column 8: trailing comma before \"}\": JSON allows no comma after the last member of an object; remove it (near `{\"a\": 1,`)"])
    }

    @Test func sizeAndStringLimits() {
        var small = ReadLimits(); small.maxStringBytes = 10; small.maxInputBytes = 100
        #expect(errors("[\"0123456789\"]", limits: small).isEmpty)
        #expect(errors("[\"0123456789a\"]", limits: small) == ["c.json: line 1, column 2: this text is longer than 10 bytes, the most PeerMatch reads in one value (near `[\"0123456789a\"]`)"])
        #expect(errors("[\"01234567\\n89\"]", limits: small).first?.contains("longer than 10 bytes") == true)
        let big = "[" + String(repeating: "1,", count: 60) + "1]"
        #expect(errors(big, limits: small) == ["c.json: is larger than the input limit of 100 bytes; if it really is one input, raise the limit with --max-input-size (e.g. --max-input-size 2G)"])
    }

    /// The number of people is held to a limit (`--max-people`) before anyone is read.
    @Test func peopleLimit() throws {
        let path = Repo.path("instances/examples/secondary-transition.json")
        let root = try JSONValue.parseJSON(try Data(contentsOf: URL(fileURLWithPath: path)), file: "c.json")
        var few = ReadLimits(); few.maxPeople = 3
        let (cohort, problems) = CohortReader.validate(root, file: "c.json", policy: .default, limits: few)
        #expect(cohort.mentors.isEmpty && cohort.mentees.isEmpty)
        #expect(problems.map(\.description) == ["c.json: $: lists 28 people (mentors and mentees); PeerMatch reads at most 3 in one cohort. Split the cohort, or raise the limit (--max-people)"])
        let (all, none) = CohortReader.validate(root, file: "c.json", policy: .default)
        #expect(none.isEmpty && all.mentors.count + all.mentees.count == 28)
        let run = try CLITests().run(["validate", "instances/examples/secondary-transition.json", "--max-people", "3"])
        #expect(run.code == 1 && run.stderr.contains("PeerMatch reads at most 3 in one cohort"), "\(run.stderr)")
    }

    @Test func inputFileLimitsAndKinds() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pm-in-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = dir.appendingPathComponent("c.json").path
        try Data(repeating: 0x20, count: 2000).write(to: URL(fileURLWithPath: f))
        #expect(throws: InputError.self) { try InputFile.read(f, limit: 1000) }
        #expect(try InputFile.read(f, limit: 2000).count == 2000)
        let folder = try inputError { try InputFile.read(dir.path) }
        #expect(folder.description == "\(dir.path): is a folder, not a file")
        let none = try inputError { try InputFile.read(dir.appendingPathComponent("nope").path) }
        #expect(none.description.hasSuffix(": no such file"))
    }

    // MARK: Values

    @Test func valuesAndEscapes() throws {
        let v = try JSONValue.parseJSON(Data(#"{"s": "a\"b\\c\/d\n\t\u00e9\ud83d\ude00", "n": [-0, 12, 1.5, -2.25e2, 1E-3, 123456789012345678901234567890, 0.1, 5e-324], "b": [true, false, null], "k": {}}"#.utf8), file: "v")
        #expect(v["s"] == .string("a\"b\\c/d\n\té😀"))
        #expect(v["n"] == .array([.number(0), .number(12), .number(1.5), .number(-225), .number(0.001), .number(1.2345678901234568e29), .number(0.1), .number(5e-324)]))
        #expect(v["b"] == .array([.bool(true), .bool(false), .null]))
        #expect(v["k"] == .object([]))
        // Keys keep their order in the document.
        guard case .object(let pairs) = try JSONValue.parseJSON(Data(#"{"z": 1, "a": 2, "m": 3}"#.utf8), file: "o") else { Issue.record("object"); return }
        #expect(pairs.map(\.0) == ["z", "a", "m"])
    }

    /// Random documents: each value equals the one the generator meant (numbers as Swift's
    /// own `Double(String)` reads their text, text with its escapes decoded by hand), and
    /// rendering then reading gives the same tree back.
    @Test func randomDocumentsReadAsWritten() throws {
        var rng = SeededRandom(seed: 15)
        func number() -> (String, JSONValue) {
            let text: String
            switch rng.int(7) {
            case 0: text = String(rng.int(in: -1000...1000))
            case 1: text = String(format: "%.\(rng.int(in: 1...8))f", rng.double(in: -1e6...1e6))
            case 2: text = "\(rng.int(in: 1...9)).\(rng.int(in: 0...999))e\(rng.int(in: -300...300))"
            case 3: text = String(rng.double(in: -1...1))
            case 4: text = "\(rng.int(in: 1...9))\(String(repeating: "7", count: rng.int(in: 10...30)))"
            case 5: text = "-0.\(String(repeating: "0", count: rng.int(in: 0...20)))\(rng.int(in: 1...99999))E+\(rng.int(in: 0...5))"
            default: text = "0.\(String(repeating: "0", count: rng.int(in: 0...20)))\(rng.int(in: 1...99999))"
            }
            return (text, .number(Double(text)!))
        }
        func string() -> (String, JSONValue) {
            let pieces: [(String, String)] = [("a", "a"), ("Zoë", "Zoë"), ("\\n", "\n"), ("\\\"", "\""), ("\\u00e9", "é"),
                                              ("\\ud83d\\ude00", "😀"), ("\\/", "/"), (" ", " "), ("日本", "日本"), ("\\t", "\t"),
                                              ("x y", "x y"), ("\\\\", "\\"), ("\\u0000", "\u{0}")]
            let chosen = (0..<rng.int(in: 0...6)).map { _ in pieces[rng.int(pieces.count)] }
            return ("\"" + chosen.map(\.0).joined() + "\"", .string(chosen.map(\.1).joined()))
        }
        func value(_ depth: Int) -> (String, JSONValue) {
            switch depth > 4 ? rng.int(4) : rng.int(7) {
            case 0, 3: return number()
            case 1: return string()
            case 2: return [("true", .bool(true)), ("false", .bool(false)), ("null", .null)][rng.int(3)]
            case 4, 5:
                var keys = Set<String>()
                var texts: [String] = [], pairs: [(String, JSONValue)] = []
                for _ in 0..<rng.int(in: 0...5) {
                    let k = "k\(rng.int(20))"
                    guard keys.insert(k).inserted else { continue }
                    let (t, v) = value(depth + 1)
                    texts.append("\"\(k)\" :\(t)"); pairs.append((k, v))
                }
                return ("{ " + texts.joined(separator: ",\n ") + "}", .object(pairs))
            default:
                let parts = (0..<rng.int(in: 0...5)).map { _ in value(depth + 1) }
                return ("[" + parts.map(\.0).joined(separator: " , ") + "]", .array(parts.map(\.1)))
            }
        }
        for _ in 0..<600 {
            let (text, expected) = value(0)
            let ours = try JSONValue.parseJSON(Data(text.utf8), file: "r")
            #expect(ours == expected, "\(text)")
            let rendered = ours.rendered()
            #expect(try JSONValue.parseJSON(Data(rendered.utf8), file: "r2").rendered() == rendered)
        }
    }
}

/// The ``InputError`` that `body` throws; fails the test when it throws nothing or something else.
func inputError(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Any) throws -> InputError {
    do {
        _ = try body()
    } catch let e as InputError {
        return e
    } catch {
        Issue.record("expected an InputError, got \(error)", sourceLocation: sourceLocation)
        throw error
    }
    Issue.record("expected an InputError, got none", sourceLocation: sourceLocation)
    throw InputError(file: "test", "no error")
}
