/// Where a byte offset lies in a text file, as people count: line and column from 1, the column
/// in characters (Unicode scalars), not bytes. Computed only when a message needs it, so readers
/// keep no line counters on their fast paths.
public struct TextPosition: Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var line: Int
    public var column: Int

    /// `line 3, column 14`: the location text of a ``Diagnostic``.
    public var description: String { "line \(line), column \(column)" }

    /// The positions of `offsets` in `bytes`, in one pass over the text.
    static func positions(of offsets: [Int], in bytes: UnsafeBufferPointer<UInt8>) -> [Int: TextPosition] {
        var out: [Int: TextPosition] = [:]
        var line = 1, lineStart = 0, i = 0
        for target in Set(offsets).sorted() {
            let t = min(max(0, target), bytes.count)
            while i < t {
                if bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
                i += 1
            }
            var column = 1
            var k = lineStart
            while k < t { if bytes[k] & 0xC0 != 0x80 { column += 1 }; k += 1 }
            out[target] = TextPosition(offset: target, line: line, column: column)
        }
        return out
    }

    static func position(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> TextPosition {
        positions(of: [offset], in: bytes)[offset]!
    }

    /// The text around `offset` on its line, for messages: at most `before` characters before it
    /// and `after` from it, tabs and control characters shown as spaces, cut ends marked with `…`.
    static func excerpt(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>, before: Int = 24, after: Int = 16) -> String {
        let t = min(max(0, offset), bytes.count)
        var start = t, taken = 0
        while start > 0 && bytes[start - 1] != 0x0A && bytes[start - 1] != 0x0D && taken < before {
            start -= 1
            while start > 0 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
            taken += 1
        }
        var end = t; taken = 0
        while end < bytes.count && bytes[end] != 0x0A && bytes[end] != 0x0D && taken < after {
            end += 1
            while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
            taken += 1
        }
        let cutStart = start > 0 && bytes[start - 1] != 0x0A && bytes[start - 1] != 0x0D
        let cutEnd = end < bytes.count && bytes[end] != 0x0A && bytes[end] != 0x0D
        var text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        text = String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
        let trimmed = text.drop(while: { $0 == " " })
        return (cutStart ? "…" : "") + String(trimmed) + (cutEnd ? "…" : "")
    }
}

/// UTF-8 checks with the place of the first bad byte, for "is not UTF-8 text" messages.
enum UTF8Check {
    /// The length of the valid UTF-8 sequence starting at `i` (1–4), or nil when the bytes there
    /// are not one (a stray continuation byte, an overlong form, a surrogate, past U+10FFFF or cut
    /// off by the end).
    @inline(__always)
    static func sequenceLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        let c0 = b[i]
        if c0 < 0x80 { return 1 }
        let n = b.count
        func cont(_ k: Int) -> Bool { k < n && b[k] & 0xC0 == 0x80 }
        switch c0 {
        case 0xC2...0xDF:
            return cont(i + 1) ? 2 : nil
        case 0xE0...0xEF:
            guard cont(i + 1), cont(i + 2) else { return nil }
            let c1 = b[i + 1]
            if c0 == 0xE0 && c1 < 0xA0 { return nil }          // overlong
            if c0 == 0xED && c1 >= 0xA0 { return nil }         // UTF-16 surrogate
            return 3
        case 0xF0...0xF4:
            guard cont(i + 1), cont(i + 2), cont(i + 3) else { return nil }
            let c1 = b[i + 1]
            if c0 == 0xF0 && c1 < 0x90 { return nil }          // overlong
            if c0 == 0xF4 && c1 >= 0x90 { return nil }         // past U+10FFFF
            return 4
        default:
            return nil
        }
    }

    /// The offset of the first byte that is not part of valid UTF-8, or nil when all of it is.
    static func firstInvalidOffset(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        let n = b.count
        while i < n {
            // Eight ASCII bytes at a time: most of any file.
            if i + 8 <= n {
                let word = UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
            }
            guard let len = sequenceLength(b, i) else { return i }
            i += len
        }
        return nil
    }

    /// The error for bytes that are not UTF-8: the offending byte, its line and column, and the fix.
    static func error(file: String, offset: Int, in b: UnsafeBufferPointer<UInt8>) -> InputError {
        let pos = TextPosition.position(of: offset, in: b)
        let byte = String(b[offset], radix: 16, uppercase: true)
        return InputError(file: file, at: pos.description,
                          "is not UTF-8 text: byte 0x\(byte.count == 1 ? "0" + byte : byte) at offset \(offset) is not valid UTF-8; save the file as UTF-8")
    }

    /// A clear error for a file that begins with a UTF-16 or UTF-32 byte order mark.
    static func wideEncoding(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        if b.count >= 4 && ((b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0) || (b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF)) {
            return "UTF-32"
        }
        if b.count >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)) { return "UTF-16" }
        return nil
    }

    /// The text of `data` when it is UTF-8 (a leading byte order mark dropped); else the located error.
    static func text(_ data: [UInt8], file: String) throws -> String {
        try data.withUnsafeBufferPointer { b in
            if let wide = wideEncoding(b) {
                throw InputError(file: file, "is \(wide) text; save it as UTF-8")
            }
            if let bad = firstInvalidOffset(b) { throw error(file: file, offset: bad, in: b) }
            let skip = b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0
            return String(decoding: UnsafeBufferPointer(rebasing: b[skip...]), as: UTF8.self)
        }
    }
}
