import Foundation

/// PeerMatch's JSON reader: RFC 8259 text into a ``JSONValue`` tree, with every problem located
/// by line, column and a short excerpt of the file.
///
/// Written by hand because no reader we may use does what a co-ordinator's file needs:
/// Foundation's `JSONSerialization`/`JSONDecoder` report neither line nor column, accept
/// duplicate keys silently (the last one wins), turn `1e309` into an error that leaks
/// `DecodingError` wording, refuse valid JSON nested a few hundred deep with a message that calls
/// it invalid, and going through `Decodable` costs about 10 s for a 30 MB cohort. Yams reads JSON
/// as YAML, far slower still. This reader makes one pass over the bytes, allocates one array per
/// list or object (members are gathered on a shared stack, then copied once), keeps no line
/// counter on its fast path (positions are worked out only for a message), and holds every input
/// to ``ReadLimits``.
///
/// Decisions: a UTF-8 byte order mark at the start is skipped (Windows editors write one);
/// UTF-16 and UTF-32 files are refused with the fix; trailing commas and comments are refused
/// with messages that say so (a file that only PeerMatch could read would fail in every other JSON
/// tool the scheme uses); duplicate keys and numbers beyond ±1.8e308 are errors, all of them
/// reported at once; `\u` escapes must pair their surrogates.
struct JSONParser {
    private let b: UnsafeBufferPointer<UInt8>
    private let n: Int
    private var i = 0
    private let limits: ReadLimits
    /// Members of the objects and items of the lists being read, innermost last; moved (not
    /// copied) into each finished object's or list's array.
    private let members = MoveStack<(String, JSONValue)>()
    private let items = MoveStack<JSONValue>()
    /// The keys last read at each member position (0, 1, 2… within an object), reused when the
    /// next object's key there has the same bytes: a list of 640,000 `{"mentor", "mentee",
    /// "score"}` objects then makes three key strings, not two million.
    private var keyCache: [String] = []
    /// Offsets of the keys in `members`, for "first at line …" in duplicate-key messages.
    private var keyOffsets: [Int] = []
    private var scratch: [UInt8] = []
    /// Problems that do not stop the reading (duplicate keys, numbers out of range).
    private var problems: [(offset: Int, message: String, related: Int?)] = []
    private var problemCount = 0
    private static let maxProblems = 1_000
    private static let maxNumberLength = 800

    /// A problem that stops the reading.
    struct Failure: Error {
        var offset: Int
        var message: String
        var related: Int? = nil
    }

    private init(_ b: UnsafeBufferPointer<UInt8>, limits: ReadLimits) {
        self.b = b; self.n = b.count; self.limits = limits
    }

    /// Parses `data` as one JSON document. Throws an ``InputError`` naming `file` with the line,
    /// column and an excerpt for every problem.
    static func parse(_ data: Data, file: String, limits: ReadLimits = .standard) throws -> JSONValue {
        try data.withUnsafeBytes { raw in
            try parse(raw.bindMemory(to: UInt8.self), file: file, limits: limits)
        }
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>, file: String, limits: ReadLimits) throws -> JSONValue {
        if b.count > limits.maxInputBytes { throw InputFile.tooLarge(file, limits.maxInputBytes) }
        if let wide = UTF8Check.wideEncoding(b) { throw InputError(file: file, "is \(wide) text; save it as UTF-8") }
        var p = JSONParser(b, limits: limits)
        let value: JSONValue
        do {
            value = try p.document()
        } catch var failure {
            // Bytes that are not UTF-8 at or just before the failure are its cause: say so.
            let upTo = min(b.count, failure.offset + 4)
            if let bad = UTF8Check.firstInvalidOffset(UnsafeBufferPointer(rebasing: b[0..<upTo])), bad <= failure.offset {
                failure = p.notUTF8(bad)
            }
            throw p.error(file: file, adding: failure)
        }
        if !p.problems.isEmpty { throw p.error(file: file, adding: nil) }
        return value
    }

    // MARK: - Errors

    private func error(file: String, adding failure: Failure?) -> InputError {
        var all = problems
        if let failure { all.append((failure.offset, failure.message, failure.related)) }
        let positions = TextPosition.positions(of: all.map(\.offset) + all.compactMap(\.related), in: b)
        var diagnostics: [Diagnostic] = []
        for p in all {
            var message = p.message
            if let related = p.related, let at = positions[related] { message = message.replacingOccurrences(of: "{related}", with: at.description) }
            message += " (near `\(TextPosition.excerpt(at: p.offset, in: b))`)"
            diagnostics.append(Diagnostic(file: file, at: positions[p.offset]!.description, message))
        }
        let more = problemCount + (failure == nil ? 0 : 1) - all.count
        if more > 0 { diagnostics.append(Diagnostic(file: file, at: "", "\(more) more problems of the same kinds are not shown")) }
        return InputError(diagnostics)
    }

    private mutating func note(_ offset: Int, _ message: String, related: Int? = nil) {
        problemCount += 1
        if problems.count < Self.maxProblems { problems.append((offset, message, related)) }
    }

    /// What is at `offset`, for "found …" in messages.
    private func found(_ offset: Int) -> String {
        guard offset < n else { return "the end of the file" }
        let c = b[offset]
        if c < 0x80 {
            switch c {
            case 0x0A, 0x0D: return "the end of the line"
            case 0x09: return "a tab"
            case 0x20: return "a space"
            case 0..<0x20, 0x7F: return "the control character U+\(hex4(UInt32(c)))"
            default: return "\"\(Character(Unicode.Scalar(c)))\""
            }
        }
        if let len = UTF8Check.sequenceLength(b, offset) {
            let s = String(decoding: UnsafeBufferPointer(rebasing: b[offset..<offset + len]), as: UTF8.self)
            return "\"\(s)\""
        }
        return "a byte that is not UTF-8 (0x\(String(c, radix: 16, uppercase: true)))"
    }

    private func notUTF8(_ offset: Int) -> Failure {
        Failure(offset: offset, message: "is not UTF-8 text: byte 0x\(String(b[offset], radix: 16, uppercase: true)) at offset \(offset) is not valid UTF-8; save the file as UTF-8")
    }

    // MARK: - Grammar

    /// An object or list being read: where it opened, where its members start on the shared
    /// stacks, and (objects) the key whose value is being read.
    private struct Frame {
        var isObject: Bool
        var open: Int
        var base: Int
        var key = ""
        var keyOffset = 0
        /// Key → index into `members`, built once an object has 16 members.
        var index: [String: Int]? = nil
    }

    /// Reads one value with an explicit stack instead of recursion, so the depth limit, not the
    /// thread's stack size, decides how deep a document may nest (the store and web page read on
    /// threads with small stacks).
    private mutating func document() throws(Failure) -> JSONValue {
        if n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { i = 3 }
        skipWhitespace()
        guard i < n else { throw Failure(offset: i, message: "the file is empty; expected a JSON value such as an object {…}") }
        var stack: [Frame] = []
        var value: JSONValue
        parsing: while true {
            // A value starts at i (whitespace skipped).
            guard i < n else {
                if let top = stack.last { throw endInside(top) }
                throw Failure(offset: i, message: "the file ends where a value was expected")
            }
            switch b[i] {
            case 0x7B:
                try enter(stack.count)
                let open = i
                i += 1
                skipWhitespace()
                if i < n && b[i] == 0x7D { i += 1; value = .object([]); break }
                var frame = Frame(isObject: true, open: open, base: members.count)
                try readKey(&frame, first: true)
                stack.append(frame)
                continue parsing
            case 0x5B:
                try enter(stack.count)
                let open = i
                i += 1
                skipWhitespace()
                if i < n && b[i] == 0x5D { i += 1; value = .array([]); break }
                stack.append(Frame(isObject: false, open: open, base: items.count))
                if i < n && b[i] == 0x2C { throw unexpectedValue() }
                continue parsing
            case 0x22: value = .string(try string())
            case 0x74: try literal("true"); value = .bool(true)
            case 0x66: try literal("false"); value = .bool(false)
            case 0x6E: try literal("null"); value = .null
            case 0x2D, 0x30...0x39: value = try number()
            default: throw unexpectedValue()
            }
            // A whole value: give it to the list or object it is in, closing those that end here.
            while true {
                guard !stack.isEmpty else { break parsing }
                let t = stack.count - 1
                skipWhitespace()
                if stack[t].isObject {
                    addMember(&stack[t], value)
                    guard i < n else { throw endInside(stack[t]) }
                    if b[i] == 0x2C {
                        i += 1
                        skipWhitespace()
                        try readKey(&stack[t], first: false)
                        continue parsing
                    }
                    if b[i] == 0x7D {
                        i += 1
                        let base = stack[t].base
                        value = .object(members.pop(from: base))
                        keyOffsets.removeSubrange(base...)
                        stack.removeLast()
                        continue
                    }
                    let key = short(stack[t].key)
                    if b[i] == 0x2F { throw comment() }
                    if b[i] == 0x22 {
                        throw Failure(offset: i, message: "expected \",\" or \"}\" after the value of \"\(key)\", found \(found(i)): a comma is missing")
                    }
                    if b[i] == 0x5D {
                        throw Failure(offset: i, message: "expected \",\" or \"}\" in the object opened at {related}, found \"]\"", related: stack[t].open)
                    }
                    throw Failure(offset: i, message: "expected \",\" or \"}\" after the value of \"\(key)\", found \(found(i))")
                } else {
                    items.append(value)
                    guard i < n else { throw endInside(stack[t]) }
                    if b[i] == 0x2C {
                        i += 1
                        skipWhitespace()
                        if i < n && b[i] == 0x5D {
                            throw Failure(offset: lastComma(before: i), message: "trailing comma before \"]\": JSON allows no comma after the last item of a list; remove it")
                        }
                        continue parsing
                    }
                    if b[i] == 0x5D {
                        i += 1
                        let base = stack[t].base
                        value = .array(items.pop(from: base))
                        stack.removeLast()
                        continue
                    }
                    if b[i] == 0x2F { throw comment() }
                    if b[i] == 0x7D {
                        throw Failure(offset: i, message: "expected \",\" or \"]\" in the list opened at {related}, found \"}\"", related: stack[t].open)
                    }
                    throw Failure(offset: i, message: "expected \",\" or \"]\" after a list item, found \(found(i)): a comma is missing")
                }
            }
        }
        skipWhitespace()
        if i < n {
            if b[i] == 0x2F { throw comment() }
            throw Failure(offset: i, message: "unexpected \(found(i)) after the end of the JSON value; a file holds one value (one object {…})")
        }
        return value
    }

    /// Reads `"key" :` at i (whitespace skipped) into `frame`, leaving i at the value.
    private mutating func readKey(_ frame: inout Frame, first: Bool) throws(Failure) {
        guard i < n else { throw endInside(frame) }
        guard b[i] == 0x22 else {
            if b[i] == 0x7D && !first {
                throw Failure(offset: lastComma(before: i), message: "trailing comma before \"}\": JSON allows no comma after the last member of an object; remove it")
            }
            if b[i] == 0x2F { throw comment() }
            if b[i] == 0x27 { throw Failure(offset: i, message: "keys must be in double quotes (\"…\"), found a single quote") }
            throw Failure(offset: i, message: "expected a key in double quotes, found \(found(i))")
        }
        frame.keyOffset = i
        frame.key = try string(cacheSlot: members.count - frame.base)
        skipWhitespace()
        guard i < n else { throw endInside(frame) }
        guard b[i] == 0x3A else {
            if b[i] == 0x2F { throw comment() }
            throw Failure(offset: i, message: "expected \":\" after the key \"\(short(frame.key))\", found \(found(i))")
        }
        i += 1
        skipWhitespace()
    }

    /// Adds the member just read to its object, or records it as a duplicate key (the first kept).
    private mutating func addMember(_ frame: inout Frame, _ value: JSONValue) {
        let key = frame.key
        var firstAt: Int? = nil
        let count = members.count - frame.base
        if count < 16 {
            var k = frame.base
            while k < members.count { if members.key(k) == key { firstAt = keyOffsets[k]; break }; k += 1 }
        } else {
            if frame.index == nil {
                var table: [String: Int] = [:]
                table.reserveCapacity(count * 2)
                for k in frame.base..<members.count { table[members.key(k)] = k }
                frame.index = table
            }
            if let k = frame.index![key] { firstAt = keyOffsets[k] }
        }
        if let firstAt {
            note(frame.keyOffset, "duplicate key \"\(short(key))\" in this object (first at {related}); remove one of them", related: firstAt)
            return
        }
        if frame.index != nil { frame.index![key] = members.count }
        members.append((key, value))
        keyOffsets.append(frame.keyOffset)
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while i < n {
            let c = b[i]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            i += 1
        }
    }

    private func comment() -> Failure {
        Failure(offset: i, message: "comments are not allowed in JSON (a YAML policy file may have # comments)")
    }

    private func unexpectedValue() -> Failure {
        let c = b[i]
        switch c {
        case 0x27: return Failure(offset: i, message: "text must be in double quotes (\"…\"), found a single quote")
        case 0x2F: return comment()
        case 0x7D, 0x5D: return Failure(offset: i, message: "expected a value, found \(found(i))")
        case 0x2C: return Failure(offset: i, message: "expected a value, found \",\" (two commas in a row, or a comma before the first item)")
        default:
            if isWordByte(c) { return wordFailure(at: i) }
            return Failure(offset: i, message: "expected a value (text in double quotes, a number, true, false, null, a list […] or an object {…}), found \(found(i))")
        }
    }

    private func wordFailure(at start: Int) -> Failure {
        var end = start
        while end < n && isWordByte(b[end]) && end - start < 24 { end += 1 }
        let word = String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
        return Failure(offset: start, message: "expected a value, found \"\(word)\": text must be in double quotes, and true, false and null in lower case")
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let len = word.utf8CodeUnitCount
        var ok = i + len <= n
        if ok {
            let w = word.utf8Start
            for k in 0..<len where b[i + k] != w[k] { ok = false; break }
        }
        // "trueish" or "nullable": the word must end there.
        if ok, i + len < n, isWordByte(b[i + len]) { ok = false }
        guard ok else { throw wordFailure(at: i) }
        i += len
    }

    private func isWordByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c >= 0x80
    }

    private func enter(_ depth: Int) throws(Failure) {
        if depth >= limits.maxDepth {
            throw Failure(offset: i, message: "lists and objects are nested more than \(limits.maxDepth) deep here; PeerMatch reads at most \(limits.maxDepth) levels (a cohort needs 4)")
        }
    }

    private func endInside(_ frame: Frame) -> Failure {
        let what = frame.isObject ? "object" : "list"
        return Failure(offset: n, message: "the file ends inside the \(what) opened at {related}; it was cut short or a closing \(frame.isObject ? "\"}\"" : "\"]\"") is missing", related: frame.open)
    }

    private func lastComma(before k: Int) -> Int {
        var j = k - 1
        while j > 0 && b[j] != 0x2C { j -= 1 }
        return j
    }

    private func short(_ s: String) -> String { s.count > 40 ? String(s.prefix(40)) + "…" : s }

    // MARK: - Strings

    private mutating func string(cacheSlot: Int = -1) throws(Failure) -> String {
        let open = i
        i += 1
        let start = i
        // Fast path: no escapes. Bytes of 0x80 and above are checked as UTF-8 sequences.
        while i < n {
            let c = b[i]
            if c == 0x22 {
                let len = i - start
                if len > limits.maxStringBytes { throw tooLong(open) }
                let bytes = UnsafeBufferPointer(rebasing: b[start..<i])
                i += 1
                if cacheSlot >= 0 && cacheSlot < 32 {
                    if cacheSlot < keyCache.count, Self.same(keyCache[cacheSlot], bytes) { return keyCache[cacheSlot] }
                    let s = String(decoding: bytes, as: UTF8.self)
                    if cacheSlot < keyCache.count { keyCache[cacheSlot] = s } else if cacheSlot == keyCache.count { keyCache.append(s) }
                    return s
                }
                return String(decoding: bytes, as: UTF8.self)
            }
            if c == 0x5C { break }
            if c < 0x20 { throw controlInString(open) }
            if c >= 0x80 {
                guard let len = UTF8Check.sequenceLength(b, i) else { throw notUTF8(i) }
                i += len
            } else {
                i += 1
            }
        }
        guard i < n else { throw unclosed(open) }
        // Escapes: decode into the scratch buffer.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<i]))
        while i < n {
            let c = b[i]
            if c == 0x22 {
                i += 1
                if scratch.count > limits.maxStringBytes { throw tooLong(open) }
                return String(decoding: scratch, as: UTF8.self)
            }
            if c < 0x20 { throw controlInString(open) }
            if c == 0x5C {
                guard i + 1 < n else { throw unclosed(open) }
                let e = b[i + 1]
                switch e {
                case 0x22, 0x5C, 0x2F: scratch.append(e); i += 2
                case 0x62: scratch.append(0x08); i += 2
                case 0x66: scratch.append(0x0C); i += 2
                case 0x6E: scratch.append(0x0A); i += 2
                case 0x72: scratch.append(0x0D); i += 2
                case 0x74: scratch.append(0x09); i += 2
                case 0x75:
                    let at = i
                    var scalar = try hexDigits(at: i + 2)
                    i += 6
                    if (0xD800...0xDBFF).contains(scalar) {
                        let low: UInt32 = i + 1 < n && b[i] == 0x5C && b[i + 1] == 0x75 ? try hexDigits(at: i + 2) : 0
                        guard (0xDC00...0xDFFF).contains(low) else {
                            throw Failure(offset: at, message: "\\u\(hex4(scalar)) is half of a UTF-16 surrogate pair and must be followed by its second half (\\uDC00 to \\uDFFF)")
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw Failure(offset: at, message: "\\u\(hex4(scalar)) is the second half of a UTF-16 surrogate pair without its first half")
                    }
                    appendUTF8(scalar)
                default:
                    throw Failure(offset: i, message: "\(found(i + 1) == "the end of the file" ? "\\" : "\\" + String(decoding: [e], as: UTF8.self)) is not a JSON escape; write \\\\ for a backslash, \\\" for a quote, \\n for a line break")
                }
                continue
            }
            if c >= 0x80 {
                guard let len = UTF8Check.sequenceLength(b, i) else { throw notUTF8(i) }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<i + len]))
                i += len
            } else {
                scratch.append(c); i += 1
            }
            if scratch.count > limits.maxStringBytes { throw tooLong(open) }
        }
        throw unclosed(open)
    }

    @inline(__always)
    private static func same(_ s: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var s = s
        return s.withUTF8 { u in
            guard u.count == bytes.count else { return false }
            if u.count > 16 { return memcmp(u.baseAddress!, bytes.baseAddress!, u.count) == 0 }
            for k in 0..<u.count where u[k] != bytes[k] { return false }
            return true
        }
    }

    private func hexDigits(at k: Int) throws(Failure) -> UInt32 {
        guard k + 4 <= n else { throw Failure(offset: k - 2, message: "\\u must be followed by four hexadecimal digits") }
        var v: UInt32 = 0
        for j in k..<k + 4 {
            let c = b[j]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw Failure(offset: k - 2, message: "\\u must be followed by four hexadecimal digits, found \(found(j))")
            }
            v = v << 4 | d
        }
        return v
    }

    private mutating func appendUTF8(_ s: UInt32) {
        switch s {
        case 0..<0x80: scratch.append(UInt8(s))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | (s >> 6))); scratch.append(UInt8(0x80 | (s & 0x3F)))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | (s >> 12))); scratch.append(UInt8(0x80 | ((s >> 6) & 0x3F))); scratch.append(UInt8(0x80 | (s & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (s >> 18))); scratch.append(UInt8(0x80 | ((s >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((s >> 6) & 0x3F))); scratch.append(UInt8(0x80 | (s & 0x3F)))
        }
    }

    private func controlInString(_ open: Int) -> Failure {
        let c = b[i]
        if c == 0x0A || c == 0x0D {
            return Failure(offset: i, message: "the text opened at {related} runs to the end of the line: close it with \" (a line break inside text is written \\n)", related: open)
        }
        return Failure(offset: i, message: "\(found(i)) inside text; write it as \\u\(hex4(UInt32(c)))")
    }

    private func unclosed(_ open: Int) -> Failure {
        Failure(offset: open, message: "the text opened here is never closed with \"")
    }

    private func tooLong(_ open: Int) -> Failure {
        Failure(offset: open, message: "this text is longer than \(ReadLimits.describe(bytes: limits.maxStringBytes)), the most PeerMatch reads in one value")
    }

    // MARK: - Numbers

    /// Powers of ten that a Double holds exactly.
    private static let exactPowers: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { x, _ in x * 10 } }

    private mutating func number() throws(Failure) -> JSONValue {
        let start = i
        var negative = false
        if b[i] == 0x2D {
            negative = true; i += 1
            guard i < n, isDigit(b[i]) else {
                throw Failure(offset: start, message: "expected a digit after \"-\", found \(found(i))")
            }
        }
        var mantissa: UInt64 = 0
        var significant = 0          // digits taken into `mantissa` (leading zeros not counted)
        var dropped = false          // a non-zero digit beyond the 19th was left out of `mantissa`
        var exponent = 0
        if b[i] == 0x30 {
            i += 1
            if i < n && isDigit(b[i]) {
                throw Failure(offset: start, message: "numbers may not start with 0 (write 7, not 07; quote ids such as \"007\")")
            }
        } else {
            while i < n, isDigit(b[i]) {
                if significant < 19 { mantissa = mantissa &* 10 &+ UInt64(b[i] &- 0x30); significant += 1 }
                else { exponent += 1; dropped = dropped || b[i] != 0x30 }
                i += 1
            }
        }
        if i < n && b[i] == 0x2E {
            i += 1
            guard i < n, isDigit(b[i]) else {
                throw Failure(offset: i, message: "expected a digit after the decimal point, found \(found(i))")
            }
            while i < n, isDigit(b[i]) {
                let d = b[i] &- 0x30
                if mantissa == 0 && d == 0 {
                    exponent -= 1
                } else if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d); significant += 1; exponent -= 1
                } else {
                    dropped = dropped || d != 0
                }
                i += 1
            }
        }
        if i < n && (b[i] == 0x65 || b[i] == 0x45) {
            i += 1
            var expNegative = false
            if i < n && (b[i] == 0x2B || b[i] == 0x2D) { expNegative = b[i] == 0x2D; i += 1 }
            guard i < n, isDigit(b[i]) else {
                throw Failure(offset: i, message: "expected a digit in the exponent, found \(found(i))")
            }
            var e = 0
            while i < n, isDigit(b[i]) { if e < 100_000 { e = e * 10 + Int(b[i] - 0x30) }; i += 1 }
            exponent += expNegative ? -e : e
        }
        if i - start > Self.maxNumberLength {
            throw Failure(offset: start, message: "this number is longer than \(Self.maxNumberLength) characters")
        }
        if i < n && (isWordByte(b[i]) || b[i] == 0x2E) {
            throw Failure(offset: start, message: "expected a number, found \(found(i)) inside one; quote text and ids that are not plain numbers")
        }
        // Exact: up to 15 significant digits times an exactly held power of ten (Clinger's fast path).
        var x: Double
        if !dropped && significant <= 15 && exponent >= -22 && exponent <= 22 {
            x = Double(mantissa)
            x = exponent >= 0 ? x * Self.exactPowers[exponent] : x / Self.exactPowers[-exponent]
        } else if mantissa == 0 && !dropped {
            x = 0
        } else {
            let text = String(decoding: UnsafeBufferPointer(rebasing: b[(negative ? start + 1 : start)..<i]), as: UTF8.self)
            x = Double(text) ?? .infinity
        }
        if negative { x = -x }
        guard x.isFinite else {
            note(start, "\(String(decoding: UnsafeBufferPointer(rebasing: b[start..<min(i, start + 40)]), as: UTF8.self)) is out of range: numbers must lie between -1.8e308 and 1.8e308")
            return .null
        }
        return .number(x)
    }

    @inline(__always) private func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
}

func hex4(_ v: UInt32) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - s.count)) + s
}

/// A stack whose elements are moved out in one piece: the members of an object being read are
/// pushed one by one, then moved into the object's array without a retain or release each.
final class MoveStack<T> {
    private var base: UnsafeMutablePointer<T>
    private(set) var count = 0
    private var capacity = 64

    init() { base = .allocate(capacity: 64) }
    deinit { base.deinitialize(count: count); base.deallocate() }

    @inline(__always)
    func append(_ x: T) {
        if count == capacity {
            let grown = UnsafeMutablePointer<T>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: base, count: count)
            base.deallocate()
            base = grown; capacity *= 2
        }
        (base + count).initialize(to: x)
        count += 1
    }

    /// The elements from `start` on, as an array; the stack is cut back to `start`.
    func pop(from start: Int) -> [T] {
        let n = count - start
        guard n > 0 else { return [] }
        var out: [T] = []
        out.reserveCapacity(n)
        for k in start..<count { out.append((base + k).move()) }
        count = start
        return out
    }
}

extension MoveStack where T == (String, JSONValue) {
    @inline(__always) func key(_ k: Int) -> String { base[k].0 }
}
