import Foundation
import Yams

/// A parsed JSON (or YAML) document, walked by hand so that every problem can be reported with
/// its path, and written back with keys in a fixed order so output is byte-for-byte reproducible.
public indirect enum JSONValue: Sendable, Hashable {
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
    /// Parses JSON text. Errors say where parsing stopped.
    public static func parseJSON(_ data: Data, file: String) throws -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            throw InputError(file: file, "not valid JSON: \(underlying ?? context.debugDescription)")
        } catch {
            throw InputError(file: file, "not valid JSON: \(error)")
        }
    }

    /// Parses YAML text (a superset of JSON).
    public static func parseYAML(_ text: String, file: String) throws -> JSONValue {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw InputError(file: file, "not valid YAML: \(error)")
        }
        guard let node else { return .object([]) }
        return fromYAML(node)
    }

    private static func fromYAML(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let s):
            if s.style == .plain {
                if let b = Bool.construct(from: s) { return .bool(b) }
                if let i = Int.construct(from: s) { return .number(Double(i)) }
                if let d = Double.construct(from: s), s.string.lowercased() != ".nan" { return .number(d) }
                if NSNull.construct(from: s) != nil { return .null }
            }
            return .string(s.string)
        case .sequence(let seq): return .array(seq.map(fromYAML))
        case .mapping(let map): return .object(map.map { (k, v) in (k.string ?? "\(k)", fromYAML(v)) })
        case .alias: return .null
        }
    }
}

extension JSONValue: Decodable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: Key.self) {
            // Object keys come back unordered; sort them so reading is deterministic.
            self = .object(try keyed.allKeys.map(\.stringValue).sorted().map {
                ($0, try keyed.decode(JSONValue.self, forKey: Key(stringValue: $0)))
            })
        } else if var list = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !list.isAtEnd { items.append(try list.decode(JSONValue.self)) }
            self = .array(items)
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() { self = .null }
            else if let b = try? single.decode(Bool.self) { self = .bool(b) }
            else if let x = try? single.decode(Double.self) { self = .number(x) }
            else { self = .string(try single.decode(String.self)) }
        }
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
