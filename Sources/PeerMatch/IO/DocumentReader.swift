/// Reads typed fields out of a ``JSONValue`` tree, recording a ``Diagnostic`` with the JSON path
/// for each problem and carrying on, so one run reports every problem in a file.
///
/// Paths are `@autoclosure`s: a cohort of 640,000 staff scores asks for millions of fields, and
/// building `$.scores[123456].mentor` for each of them (only ever needed for a message) was most
/// of the time spent validating.
struct DocumentReader {
    let file: String
    private var recorded: [Diagnostic] = []
    private var suppressed = 0
    private var suppressedErrors = 0
    private var errorCount = 0
    /// Problems kept in full; a hostile file with millions of them gets a count for the rest.
    static let maxDiagnostics = 1_000

    init(file: String) { self.file = file }

    /// Every problem recorded, and a last line counting those past ``maxDiagnostics``.
    var diagnostics: [Diagnostic] {
        guard suppressed > 0 else { return recorded }
        return recorded + [Diagnostic(suppressedErrors > 0 ? .error : .warning, file: file, at: "",
                                      "\(suppressed) more problems are not shown; fix those above and run again")]
    }

    var hasErrors: Bool { errorCount > 0 }

    mutating func error(_ path: String, _ message: String) {
        errorCount += 1
        record(Diagnostic(.error, file: file, at: path, message))
    }

    mutating func warning(_ path: String, _ message: String) {
        record(Diagnostic(.warning, file: file, at: path, message))
    }

    private mutating func record(_ d: Diagnostic) {
        if recorded.count < Self.maxDiagnostics { recorded.append(d); return }
        suppressed += 1
        if d.severity == .error { suppressedErrors += 1 }
    }

    mutating func object(_ v: JSONValue?, _ path: @autoclosure () -> String) -> [(String, JSONValue)]? {
        guard let v else { return nil }
        if case .object(let pairs) = v { return pairs }
        error(path(), "must be an object, found \(v.shortDescription)")
        return nil
    }

    mutating func array(_ v: JSONValue?, _ path: @autoclosure () -> String) -> [JSONValue]? {
        guard let v else { return nil }
        if case .array(let items) = v { return items }
        if case .null = v { return nil }
        error(path(), "must be a list, found \(v.shortDescription)")
        return nil
    }

    mutating func string(_ v: JSONValue?, _ path: @autoclosure () -> String, nonEmpty: Bool = false) -> String? {
        guard let v else { return nil }
        switch v {
        case .string(let s):
            if nonEmpty && isBlank(s) { error(path(), "must not be empty"); return nil }
            return s
        case .number(let x): return formatNumber(x)   // ids like 12 written without quotes
        case .null: return nil
        default: error(path(), "must be text, found \(v.shortDescription)"); return nil
        }
    }

    mutating func number(_ v: JSONValue?, _ path: @autoclosure () -> String, range: ClosedRange<Double>? = nil, what: String = "a number") -> Double? {
        guard let v else { return nil }
        guard case .number(let x) = v, x.isFinite else {
            if case .null = v { return nil }
            if case .string(let s) = v, let x = Double(s.trimmingCharacters(in: .whitespaces)), x.isFinite {
                return check(x, path(), range, what)
            }
            error(path(), "must be \(what), found \(v.shortDescription)"); return nil
        }
        if let range, !range.contains(x) { return check(x, path(), range, what) }
        return x
    }

    private mutating func check(_ x: Double, _ path: @autoclosure () -> String, _ range: ClosedRange<Double>?, _ what: String) -> Double? {
        if let range, !range.contains(x) {
            error(path(), "must be \(what) from \(formatNumber(range.lowerBound)) to \(formatNumber(range.upperBound)), found \(formatNumber(x))")
            return nil
        }
        return x
    }

    mutating func integer(_ v: JSONValue?, _ path: @autoclosure () -> String, minimum: Int? = nil) -> Int? {
        guard let x = number(v, path(), what: "a whole number") else { return nil }
        guard x == x.rounded(), abs(x) < 1e9 else { error(path(), "must be a whole number, found \(formatNumber(x))"); return nil }
        if let minimum, Int(x) < minimum {
            error(path(), "must be at least \(minimum), found \(Int(x))"); return nil
        }
        return Int(x)
    }

    mutating func bool(_ v: JSONValue?, _ path: @autoclosure () -> String) -> Bool? {
        guard let v else { return nil }
        if case .bool(let b) = v { return b }
        if case .null = v { return nil }
        error(path(), "must be true or false, found \(v.shortDescription)")
        return nil
    }

    /// A list of text items; a single text is accepted as a list of items separated by ";".
    mutating func stringList(_ v: JSONValue?, _ path: @autoclosure () -> String) -> [String] {
        guard let v else { return [] }
        if case .null = v { return [] }
        if case .string(let s) = v { return splitList(s) }
        guard let items = array(v, path()) else { return [] }
        var out: [String] = []
        out.reserveCapacity(items.count)
        for (k, item) in items.enumerated() {
            if let s = string(item, "\(path())[\(k)]") {
                let t = trimmed(s)
                if !t.isEmpty { out.append(t) }
            }
        }
        return out
    }

    /// One of a fixed set of words. (YAML is read with the 1.2 core schema, so a bare `off` or
    /// `no` arrives as the word; true and false are refused with the words to use.)
    mutating func choice<T: RawRepresentable & CaseIterable>(_ v: JSONValue?, _ path: @autoclosure () -> String, as: T.Type) -> T? where T.RawValue == String {
        if case .bool(let b) = v {
            error(path(), "must be one of \(T.allCases.map { $0.rawValue }.joined(separator: ", ")), found \(b)")
            return nil
        }
        guard let s = string(v, path()) else { return nil }
        let key = s.trimmingCharacters(in: .whitespaces).lowercased()
        if let t = T.allCases.first(where: { $0.rawValue.lowercased() == key }) { return t }
        error(path(), "must be one of \(T.allCases.map { $0.rawValue }.joined(separator: ", ")), found \"\(s)\"")
        return nil
    }

    /// Reports keys that are not in `known` (for files whose keys are a closed set, like policies).
    mutating func rejectUnknownKeys(_ pairs: [(String, JSONValue)], _ path: @autoclosure () -> String, known: [String]) {
        for (key, _) in pairs where !known.contains(key) {
            error("\(path()).\(key)", "unknown setting; expected one of \(known.joined(separator: ", "))")
        }
    }
}

/// True when `s` is empty once trimmed of `.whitespaces`; decided from its first byte when that is
/// a visible ASCII character (ids are checked once per reference, so trimming each was costly).
@inline(__always)
func isBlank<S: StringProtocol>(_ s: S) -> Bool {
    guard let first = s.utf8.first else { return true }
    if first > 0x20 && first < 0x7F { return false }
    return s.unicodeScalars.allSatisfy(isSpace)
}

/// Foundation's `CharacterSet.whitespaces`, decided per scalar: general category Zs, the tab, and
/// U+200B ZERO WIDTH SPACE (Foundation keeps it from Unicode's older tables).
/// Written out because `trimmingCharacters(in:)` bridges every cell through NSString, which was
/// 30% of `import` on a 28,000-person intake; `WhitespaceTests` checks both sets scalar by
/// scalar against Foundation's over the whole of Unicode.
@inline(__always)
func isSpace(_ c: Unicode.Scalar) -> Bool {
    if c.value < 0x80 { return c == " " || c == "\t" }
    return c.value == 0x200B || c.properties.generalCategory == .spaceSeparator
}

/// Foundation's `CharacterSet.whitespacesAndNewlines`: `isSpace`, U+000A–U+000D, U+0085 and the
/// line and paragraph separators (general categories Zl and Zp).
@inline(__always)
func isSpaceOrNewline(_ c: Unicode.Scalar) -> Bool {
    if c.value < 0x80 { return c == " " || (c.value >= 0x09 && c.value <= 0x0D) }
    if c.value == 0x85 || c.value == 0x200B { return true }
    switch c.properties.generalCategory {
    case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
    default: return false
    }
}

/// `s` trimmed of `.whitespaces` (with `newlines`, of `.whitespacesAndNewlines`), exactly as
/// `trimmingCharacters(in:)` trims it; `s` itself, uncopied, when there is nothing to trim.
@inline(__always)
func trimmed<S: StringProtocol>(_ s: S, newlines: Bool = false) -> String {
    let scalars = Substring(s).unicodeScalars
    let blank = newlines ? isSpaceOrNewline : isSpace
    var start = scalars.startIndex, end = scalars.endIndex
    while start < end, blank(scalars[start]) { start = scalars.index(after: start) }
    while start < end {
        let last = scalars.index(before: end)
        guard blank(scalars[last]) else { break }
        end = last
    }
    if start == scalars.startIndex && end == scalars.endIndex, let whole = s as? String { return whole }
    return String(scalars[start..<end])
}

/// `s.components(separatedBy: separator)` without Foundation's string search (9% of a large
/// import): both match whole Characters, so "\r\n" is not split on "\n" and a separator followed by
/// a combining accent is not a separator; `WhitespaceTests` checks them equal on random cells.
func pieces<S: StringProtocol>(_ s: S, separatedBy separator: String) -> [Substring] {
    Substring(s).split(separator: separator, omittingEmptySubsequences: false)
}

/// Splits a spreadsheet cell list ("football; art") into trimmed, non-empty items.
func splitList(_ s: String) -> [String] {
    s.split(separator: ";").map { trimmed($0) }.filter { !$0.isEmpty }
}
