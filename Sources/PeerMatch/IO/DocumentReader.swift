/// Reads typed fields out of a ``JSONValue`` tree, recording a ``Diagnostic`` with the JSON path
/// for each problem and carrying on, so one run reports every problem in a file.
struct DocumentReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) { self.file = file }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    mutating func error(_ path: String, _ message: String) {
        diagnostics.append(Diagnostic(.error, file: file, at: path, message))
    }

    mutating func warning(_ path: String, _ message: String) {
        diagnostics.append(Diagnostic(.warning, file: file, at: path, message))
    }

    mutating func object(_ v: JSONValue?, _ path: String) -> [(String, JSONValue)]? {
        guard let v else { return nil }
        if case .object(let pairs) = v { return pairs }
        error(path, "must be an object, found \(v.shortDescription)")
        return nil
    }

    mutating func array(_ v: JSONValue?, _ path: String) -> [JSONValue]? {
        guard let v, v != .null else { return nil }
        if case .array(let items) = v { return items }
        error(path, "must be a list, found \(v.shortDescription)")
        return nil
    }

    mutating func string(_ v: JSONValue?, _ path: String, nonEmpty: Bool = false) -> String? {
        guard let v, v != .null else { return nil }
        switch v {
        case .string(let s):
            if nonEmpty && s.trimmingCharacters(in: .whitespaces).isEmpty { error(path, "must not be empty"); return nil }
            return s
        case .number(let x): return formatNumber(x)   // ids like 12 written without quotes
        default: error(path, "must be text, found \(v.shortDescription)"); return nil
        }
    }

    mutating func number(_ v: JSONValue?, _ path: String, range: ClosedRange<Double>? = nil, what: String = "a number") -> Double? {
        guard let v, v != .null else { return nil }
        guard case .number(let x) = v, x.isFinite else {
            if case .string(let s) = v, let x = Double(s.trimmingCharacters(in: .whitespaces)), x.isFinite {
                return check(x, path, range, what)
            }
            error(path, "must be \(what), found \(v.shortDescription)"); return nil
        }
        return check(x, path, range, what)
    }

    private mutating func check(_ x: Double, _ path: String, _ range: ClosedRange<Double>?, _ what: String) -> Double? {
        if let range, !range.contains(x) {
            error(path, "must be \(what) from \(formatNumber(range.lowerBound)) to \(formatNumber(range.upperBound)), found \(formatNumber(x))")
            return nil
        }
        return x
    }

    mutating func integer(_ v: JSONValue?, _ path: String, minimum: Int? = nil) -> Int? {
        guard let x = number(v, path, what: "a whole number") else { return nil }
        guard x == x.rounded(), abs(x) < 1e9 else { error(path, "must be a whole number, found \(formatNumber(x))"); return nil }
        if let minimum, Int(x) < minimum {
            error(path, "must be at least \(minimum), found \(Int(x))"); return nil
        }
        return Int(x)
    }

    mutating func bool(_ v: JSONValue?, _ path: String) -> Bool? {
        guard let v, v != .null else { return nil }
        if case .bool(let b) = v { return b }
        error(path, "must be true or false, found \(v.shortDescription)")
        return nil
    }

    /// A list of text items; a single text is accepted as a list of items separated by ";".
    mutating func stringList(_ v: JSONValue?, _ path: String) -> [String] {
        guard let v, v != .null else { return [] }
        if case .string(let s) = v { return splitList(s) }
        guard let items = array(v, path) else { return [] }
        var out: [String] = []
        for (k, item) in items.enumerated() {
            if let s = string(item, "\(path)[\(k)]"), !s.trimmingCharacters(in: .whitespaces).isEmpty {
                out.append(s.trimmingCharacters(in: .whitespaces))
            }
        }
        return out
    }

    /// One of a fixed set of words. (YAML is read with the 1.2 core schema, so a bare `off` or
    /// `no` arrives as the word; true and false are refused with the words to use.)
    mutating func choice<T: RawRepresentable & CaseIterable>(_ v: JSONValue?, _ path: String, as: T.Type) -> T? where T.RawValue == String {
        if case .bool(let b) = v {
            error(path, "must be one of \(T.allCases.map { $0.rawValue }.joined(separator: ", ")), found \(b)")
            return nil
        }
        guard let s = string(v, path) else { return nil }
        let key = s.trimmingCharacters(in: .whitespaces).lowercased()
        if let t = T.allCases.first(where: { $0.rawValue.lowercased() == key }) { return t }
        error(path, "must be one of \(T.allCases.map { $0.rawValue }.joined(separator: ", ")), found \"\(s)\"")
        return nil
    }

    /// Reports keys that are not in `known` (for files whose keys are a closed set, like policies).
    mutating func rejectUnknownKeys(_ pairs: [(String, JSONValue)], _ path: String, known: [String]) {
        for (key, _) in pairs where !known.contains(key) {
            error("\(path).\(key)", "unknown setting; expected one of \(known.joined(separator: ", "))")
        }
    }
}

/// Splits a spreadsheet cell list ("football; art") into trimmed, non-empty items.
func splitList(_ s: String) -> [String] {
    s.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
