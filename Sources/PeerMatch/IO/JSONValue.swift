import Foundation

/// A parsed JSON (or YAML) document, walked by hand so that every problem can be reported with
/// its path, and written back with keys in a fixed order so output is byte-for-byte reproducible.
/// Object keys keep their order in the document. Not `indirect`: lists and objects already live
/// in arrays, and boxing every scalar cost an allocation per value read.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Keys in document order (reading) or in the order output wants them (writing).
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }
    public func hash(into h: inout Hasher) { h.combine(String(describing: self)) }

    public subscript(key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "true/false"
        case .number: return "a number"
        case .string: return "text"
        case .array: return "a list"
        case .object: return "an object"
        }
    }

    /// Short rendering for messages: `"ten"`, `-1`, `a list`.
    var shortDescription: String {
        switch self {
        case .string(let s): return "\"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\""
        case .number(let x): return formatNumber(x)
        case .bool(let b): return String(b)
        case .null: return "null"
        default: return typeName
        }
    }
}

// MARK: - Parsing

extension JSONValue {
    /// Parses JSON text (``JSONParser``): every problem located by line, column and an excerpt,
    /// duplicate keys and out-of-range numbers included, within ``ReadLimits/standard``.
    public static func parseJSON(_ data: Data, file: String, limits: ReadLimits = .standard) throws -> JSONValue {
        try JSONParser.parse(data, file: file, limits: limits)
    }

    /// Parses YAML text (``YAMLReader``: YAML 1.2 core schema, aliases and size limited).
    public static func parseYAML(_ text: String, file: String, limits: ReadLimits = .standard) throws -> JSONValue {
        try YAMLReader.parse(text: text, file: file, limits: limits)
    }

    /// Parses a document that may be JSON or YAML: by the file's extension (`.json`; `.yaml`,
    /// `.yml`), else JSON when it starts with `{` or `[`, else YAML. JSON goes through the JSON
    /// reader, for its exact messages and its duplicate-key checks.
    public static func parseDocument(_ data: Data, file: String, limits: ReadLimits = .standard) throws -> JSONValue {
        let ext = URL(fileURLWithPath: file).pathExtension.lowercased()
        if ext == "json" { return try parseJSON(data, file: file, limits: limits) }
        if ext == "yaml" || ext == "yml" { return try YAMLReader.parse(data, file: file, limits: limits) }
        let first = data.withUnsafeBytes { raw -> UInt8? in
            var k = raw.count >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF ? 3 : 0
            while k < raw.count, [0x20, 0x09, 0x0A, 0x0D].contains(raw[k]) { k += 1 }
            return k < raw.count ? raw[k] : nil
        }
        if first == 0x7B || first == 0x5B { return try parseJSON(data, file: file, limits: limits) }
        return try YAMLReader.parse(data, file: file, limits: limits)
    }
}

// MARK: - Writing

extension JSONValue {
    /// Pretty-printed JSON with two-space indentation and a final newline. Numbers print as
    /// integers when whole, else with up to 6 significant decimals: the same value always prints
    /// the same way.
    public func rendered() -> String {
        var out = ""
        write(into: &out, indent: 0)
        out.append("\n")
        return out
    }

    /// The value as it is written `indent` levels into a document (no final line break): what
    /// a writer streaming a long array writes for each element.
    public func rendered(indent: Int) -> String {
        var out = ""
        write(into: &out, indent: indent)
        return out
    }

    private func write(into out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent + 1), close = String(repeating: "  ", count: indent)
        switch self {
        case .null: out.append("null")
        case .bool(let b): out.append(b ? "true" : "false")
        case .number(let x): out.append(Self.number(x))
        case .string(let s): out.append(Self.quoted(s))
        case .array(let items):
            if items.isEmpty { out.append("[]"); return }
            if items.allSatisfy({ if case .string = $0 { return true }; if case .number = $0 { return true }; return false }),
               items.count <= 12 {
                out.append("[" + items.map { v -> String in var s = ""; v.write(into: &s, indent: 0); return s }.joined(separator: ", ") + "]")
                return
            }
            out.append("[\n")
            for (k, v) in items.enumerated() {
                out.append(pad); v.write(into: &out, indent: indent + 1)
                out.append(k == items.count - 1 ? "\n" : ",\n")
            }
            out.append(close + "]")
        case .object(let pairs):
            if pairs.isEmpty { out.append("{}"); return }
            out.append("{\n")
            for (k, (key, v)) in pairs.enumerated() {
                out.append(pad + Self.quoted(key) + ": "); v.write(into: &out, indent: indent + 1)
                out.append(k == pairs.count - 1 ? "\n" : ",\n")
            }
            out.append(close + "}")
        }
    }

    /// A number as every PeerMatch JSON writes it (integers without a point, else up to 6 decimals).
    public static func number(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        var s = String(format: "%.6f", x)
        while s.hasSuffix("0") { s.removeLast() }
        // A whole number of 1e15 or more (or a value that rounds to one) printed "123." here,
        // which is not JSON.
        if s.hasSuffix(".") { s.removeLast() }
        if s == "-0" { s = "0" }
        return s
    }

    /// A JSON string literal, escaped.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
