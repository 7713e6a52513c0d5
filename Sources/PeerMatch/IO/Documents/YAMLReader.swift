import Foundation
import Yams

/// Reads YAML documents (policies, timetable setups, column maps) through Yams into a
/// ``JSONValue`` tree, held to ``ReadLimits`` and read with the YAML 1.2 core schema.
///
/// Why not Yams' own reading of values: Yams resolves plain scalars with YAML 1.1's rules, where
/// `12:30` is the sexagesimal number 750, `no`, `on`, `yes` and `off` are booleans and
/// `2026-09-07` a timestamp. PeerMatch's keys hold times, ids and words, so plain scalars are read
/// with the 1.2 core schema instead: only `true`/`false`, `null`/`~`/empty and numbers written as
/// numbers are anything but text. A number whose spelling its value would not reproduce (`007`,
/// `1.50`, `+3`, `0x1F`, `1e3`) stays text, so an id keeps its zeros; a numeric field still reads
/// it as a number.
///
/// Limits: the file size (``ReadLimits/maxYAMLBytes``), the nesting depth, checked on the text
/// before Yams composes it (Yams composes recursively), and the number of values after aliases
/// are expanded (``ReadLimits/maxYAMLValues``): Yams shares an aliased node, so a
/// "billion laughs" document is small in Yams and only explodes when it is turned into values.
enum YAMLReader {
    static func parse(_ data: Data, file: String, limits: ReadLimits = .standard) throws -> JSONValue {
        if data.count > limits.maxYAMLBytes {
            throw InputError(file: file, "is larger than the limit of \(ReadLimits.describe(bytes: limits.maxYAMLBytes)) for YAML files; a policy or setup file is a few kilobytes")
        }
        let text = try data.withUnsafeBytes { raw -> String in
            let b = raw.bindMemory(to: UInt8.self)
            if let wide = UTF8Check.wideEncoding(b) { throw InputError(file: file, "is \(wide) text; save it as UTF-8") }
            if let bad = UTF8Check.firstInvalidOffset(b) { throw UTF8Check.error(file: file, offset: bad, in: b) }
            return String(decoding: b, as: UTF8.self)
        }
        return try parse(text: text, file: file, limits: limits)
    }

    static func parse(text: String, file: String, limits: ReadLimits = .standard) throws -> JSONValue {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if text.utf8.count > limits.maxYAMLBytes {
            throw InputError(file: file, "is larger than the limit of \(ReadLimits.describe(bytes: limits.maxYAMLBytes)) for YAML files; a policy or setup file is a few kilobytes")
        }
        try checkDepth(text, file: file, limit: limits.maxDepth)
        return try onLargeStack {
            let node: Node?
            do { node = try Yams.compose(yaml: text) } catch let error as YamlError {
                throw located(error, text: text, file: file)
            } catch {
                throw InputError(file: file, "is not valid YAML: \(error)")
            }
            guard let node else { return .object([]) }
            var converter = Converter(file: file, limits: limits)
            let value = try converter.value(node, depth: 0)
            if !converter.problems.isEmpty { throw InputError(converter.problems) }
            return value
        }
    }

    // MARK: - Depth, before Yams sees the text

    /// Refuses text that may nest deeper than `limit`. An upper bound on the depth of each line is
    /// its indentation plus the block indicators (`- `, `? `) and open flow brackets on it; real
    /// files stay far below any limit worth having, and this bound is cheap and never too low.
    static func checkDepth(_ text: String, file: String, limit: Int) throws {
        var flow = 0, maxFlow = 0
        var line = 1, column = 0, indent = 0, indicators = 0
        var atLineStart = true, inSingle = false, inDouble = false, inComment = false, escaped = false
        var previous: UInt8 = 0x20
        for c in text.utf8 {
            column += 1
            if c == 0x0A {
                line += 1; column = 0; indent = 0; indicators = 0; atLineStart = true; inComment = false
                inSingle = false; previous = 0x20
                continue
            }
            if inComment { continue }
            if inDouble {
                if escaped { escaped = false } else if c == 0x5C { escaped = true } else if c == 0x22 { inDouble = false }
                previous = c; continue
            }
            if inSingle { if c == 0x27 { inSingle = false }; previous = c; continue }
            if atLineStart && c == 0x20 { indent += 1; continue }
            atLineStart = false
            switch c {
            case 0x23 where previous == 0x20 || previous == 0x09: inComment = true
            case 0x22: inDouble = true
            case 0x27 where previous == 0x20 || previous == 0x5B || previous == 0x7B || previous == 0x2C || previous == 0x3A: inSingle = true
            case 0x5B, 0x7B: flow += 1; maxFlow = max(maxFlow, flow)
            case 0x5D, 0x7D: flow = max(0, flow - 1)
            case 0x2D, 0x3F: if previous == 0x20 { indicators += 1 }
            default: break
            }
            previous = c
            if indent + indicators + flow > limit + limit / 2 || flow > limit {
                throw InputError(file: file, at: "line \(line), column \(column)",
                                 "lists and objects are nested more than \(limit) deep here; PeerMatch reads at most \(limit) levels (a policy needs 3)")
            }
        }
    }

    // MARK: - Errors

    /// Yams' error as a located diagnostic: `line 4, column 7: mapping values are not allowed in this context (near …)`.
    static func located(_ error: YamlError, text: String, file: String) -> InputError {
        func at(_ mark: Mark, _ problem: String) -> InputError {
            let excerpt = excerpt(text, line: mark.line, column: mark.column)
            return InputError(file: file, at: "line \(mark.line), column \(mark.column)",
                              "is not valid YAML: \(problem)" + (excerpt.isEmpty ? "" : " (near `\(excerpt)`)"))
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let where_ = context.map { " \($0.text) at line \($0.mark.line), column \($0.mark.column)" } ?? ""
            return at(mark, problem + where_)
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            return at(context.mark, "duplicate key \(keys) in the mapping that starts here; remove one of them")
        case let .reader(problem, _, _, _):
            return InputError(file: file, "is not valid YAML: \(problem)")
        case .memory:
            return InputError(file: file, "is too large to read as YAML")
        default:
            return InputError(file: file, "is not valid YAML: \(error)")
        }
    }

    static func excerpt(_ text: String, line: Int, column: Int) -> String {
        var current = 1
        for l in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == line {
                let chars = Array(String(l).replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\r", with: ""))
                let c = max(0, min(chars.count, column - 1))
                let from = max(0, c - 24), to = min(chars.count, c + 16)
                return (from > 0 ? "…" : "") + String(chars[from..<to]).trimmingCharacters(in: .whitespaces) + (to < chars.count ? "…" : "")
            }
            current += 1
        }
        return ""
    }

    // MARK: - Values

    private struct Converter {
        let file: String
        let limits: ReadLimits
        var values = 0
        var problems: [Diagnostic] = []

        init(file: String, limits: ReadLimits) { self.file = file; self.limits = limits }

        func location(_ mark: Mark?) -> String { mark.map { "line \($0.line), column \($0.column)" } ?? "" }

        mutating func count(_ mark: Mark?) throws {
            values += 1
            if values > limits.maxYAMLValues {
                throw InputError(file: file, at: location(mark),
                                 "expands to more than \(limits.maxYAMLValues) values (an alias such as *name counts its values each time it is used); PeerMatch reads at most that many, and a policy or setup file needs a few hundred")
            }
        }

        mutating func value(_ node: Node, depth: Int) throws -> JSONValue {
            switch node {
            case .scalar(let s):
                try count(s.mark)
                return scalar(s)
            case .sequence(let seq):
                try count(seq.mark)
                guard depth < limits.maxDepth else { throw tooDeep(seq.mark) }
                var out: [JSONValue] = []
                out.reserveCapacity(seq.count)
                for item in seq { out.append(try value(item, depth: depth + 1)) }
                return .array(out)
            case .mapping(let map):
                try count(map.mark)
                guard depth < limits.maxDepth else { throw tooDeep(map.mark) }
                var out: [(String, JSONValue)] = []
                out.reserveCapacity(map.count)
                for (k, v) in map {
                    guard case .scalar(let key) = k else {
                        problems.append(Diagnostic(file: file, at: location(k.mark), "a key must be text, not a list or a mapping"))
                        continue
                    }
                    out.append((key.string, try value(v, depth: depth + 1)))
                }
                return .object(out)
            case .alias(let alias):
                // Yams replaces aliases by their anchored node while composing; a bare alias left
                // in the tree refers to nothing PeerMatch can read.
                problems.append(Diagnostic(file: file, at: location(alias.mark), "an alias PeerMatch cannot resolve"))
                return .null
            }
        }

        func tooDeep(_ mark: Mark?) -> InputError {
            InputError(file: file, at: location(mark), "lists and mappings are nested (aliases included) more than \(limits.maxDepth) deep here; PeerMatch reads at most \(limits.maxDepth) levels")
        }

        /// The YAML 1.2 core schema for a plain scalar; every other scalar is text.
        mutating func scalar(_ s: Node.Scalar) -> JSONValue {
            let tag = s.tag.description
            if tag == Tag.Name.str.rawValue || s.style != .plain { return .string(s.string) }
            let t = s.string
            switch t {
            case "", "~", "null", "Null", "NULL": return .null
            case "true", "True", "TRUE": return .bool(true)
            case "false", "False", "FALSE": return .bool(false)
            default: break
            }
            guard let x = Self.coreNumber(t) else { return .string(t) }
            guard x.isFinite else {
                problems.append(Diagnostic(file: file, at: location(s.mark), "\(t.prefix(40)) is out of range: numbers must lie between -1.8e308 and 1.8e308"))
                return .null
            }
            // Only a number written the way it prints is kept as a number (see the type's comment).
            return Self.isCanonical(t) ? .number(x) : .string(t)
        }

        /// The value of `t` when the core schema reads it as an int or a float (`.inf` and `.nan`
        /// are left as text: no field of ours takes them).
        static func coreNumber(_ t: String) -> Double? {
            let u = Array(t.utf8)
            guard let first = u.first else { return nil }
            func digits(_ a: ArraySlice<UInt8>, hex: Bool = false, octal: Bool = false) -> Bool {
                !a.isEmpty && a.allSatisfy { c in
                    octal ? (0x30...0x37).contains(c) : hex ? (0x30...0x39).contains(c) || (0x41...0x46).contains(c) || (0x61...0x66).contains(c) : (0x30...0x39).contains(c)
                }
            }
            if u.count > 2 && first == 0x30 && u[1] == 0x78 { return digits(u[2...], hex: true) ? Double(UInt64(t.dropFirst(2), radix: 16) ?? UInt64.max) : nil }
            if u.count > 2 && first == 0x30 && u[1] == 0x6F { return digits(u[2...], octal: true) ? Double(UInt64(t.dropFirst(2), radix: 8) ?? UInt64.max) : nil }
            // [-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE][-+]?[0-9]+ )?
            var k = 0
            if u[k] == 0x2B || u[k] == 0x2D { k += 1 }
            let intStart = k
            while k < u.count && (0x30...0x39).contains(u[k]) { k += 1 }
            let intDigits = k - intStart
            var fracDigits = 0
            if k < u.count && u[k] == 0x2E {
                k += 1
                let f = k
                while k < u.count && (0x30...0x39).contains(u[k]) { k += 1 }
                fracDigits = k - f
            }
            guard intDigits > 0 || fracDigits > 0 else { return nil }
            if k < u.count && (u[k] == 0x65 || u[k] == 0x45) {
                k += 1
                if k < u.count && (u[k] == 0x2B || u[k] == 0x2D) { k += 1 }
                let e = k
                while k < u.count && (0x30...0x39).contains(u[k]) { k += 1 }
                guard k > e else { return nil }
            }
            guard k == u.count, u.count <= 800 else { return nil }
            var s = t
            if s.hasPrefix("+") { s.removeFirst() }
            if s.hasPrefix(".") || s.hasPrefix("-.") { s = s.replacingOccurrences(of: ".", with: "0.") }
            if s.hasSuffix(".") { s += "0" }
            return Double(s) ?? .infinity
        }

        /// `-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?`: the spelling ``formatNumber`` would give back.
        static func isCanonical(_ t: String) -> Bool {
            var u = Substring(t).utf8[...]
            if u.first == 0x2D { u = u.dropFirst() }
            guard let first = u.first, (0x30...0x39).contains(first) else { return false }
            let intPart = u.prefix(while: { (0x30...0x39).contains($0) })
            if intPart.count > 1 && first == 0x30 { return false }
            if intPart.count > 15 { return false }
            let rest = u.dropFirst(intPart.count)
            if rest.isEmpty { return true }
            guard rest.first == 0x2E else { return false }
            let frac = rest.dropFirst()
            return !frac.isEmpty && frac.count <= 6 && frac.allSatisfy { (0x30...0x39).contains($0) } && frac.last != 0x30
        }
    }
}

/// Runs `body` on a thread with a large stack and waits for it. Yams composes nodes recursively,
/// so how deep a document may nest would otherwise depend on the calling thread: 8 MiB on the
/// main thread, far less on a server's or a test runner's worker threads.
func onLargeStack<T>(_ body: () throws -> T) throws -> T {
    try withoutActuallyEscaping(body) { escapable in
        let box = LargeStackBox(escapable)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.result = Result { try box.body!() }
            box.body = nil   // the closure must not outlive withoutActuallyEscaping
            done.signal()
        }
        thread.stackSize = 256 << 20
        thread.start()
        done.wait()
        return try box.result!.get()
    }
}

private final class LargeStackBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
    var body: (() throws -> T)?
    init(_ body: @escaping () throws -> T) { self.body = body }
}
