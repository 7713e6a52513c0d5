import Foundation

/// Turns the bytes of a text export into text, the way schools' programs write them: UTF-8 with
/// or without a byte-order mark (Excel's "CSV UTF-8", Google Sheets, LibreOffice), UTF-16 with a
/// mark (Excel's "Unicode Text"), and Windows-1252 (Excel's plain "CSV" on Windows) when the bytes
/// are not UTF-8, named in a note so that nobody is surprised by the guess. Anything else is an
/// error at the first byte that cannot be read, saying how to save the file as CSV UTF-8.
///
/// Written here rather than left to Foundation: `String(data:encoding:)` only says "nil", which
/// gives neither the line and column of the bad byte nor a reason, and it would accept
/// Windows-1252 bytes as Latin-1 (Excel's curly quotes and euro sign become control characters).
enum TextDecoding {
    struct Decoded {
        var text: String
        /// "UTF-8", "UTF-16LE", "Windows-1252", ...
        var encoding: String
        /// Said to the user with the import's notes (nil for plain UTF-8).
        var note: String?
    }

    /// How to make a file PeerMatch reads without guessing, for every error message here.
    static let saveAsUTF8 = "save it again as CSV UTF-8 (Excel: File > Save As > \"CSV UTF-8 (Comma delimited) (*.csv)\"; Google Sheets: File > Download > \"Comma-separated values\"; LibreOffice Calc: File > Save As > \"Text CSV\" with \"Edit filter settings\" and character set \"Unicode (UTF-8)\"), or import the .xlsx workbook itself"

    static func decode(_ data: Data, file: String) throws -> Decoded {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let body = Array(bytes.dropFirst(3))
            if let bad = firstInvalidUTF8(body) {
                throw error(file, body, at: bad, "is not valid UTF-8, although the file starts with a UTF-8 byte-order mark")
            }
            return Decoded(text: String(decoding: body, as: UTF8.self), encoding: "UTF-8", note: nil)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let little = bytes[0] == 0xFF
            return try utf16(Array(bytes.dropFirst(2)), littleEndian: little, file: file)
        }
        // A file of UTF-16 without its mark, or a binary file, has NUL bytes (which UTF-8 allows).
        if let nul = bytes.firstIndex(of: 0) {
            throw error(file, bytes, at: nul, "is a NUL byte: this is not a text file PeerMatch can read (UTF-16 without a byte-order mark, or not a spreadsheet export at all)")
        }
        guard let bad = firstInvalidUTF8(bytes) else {
            return Decoded(text: String(decoding: bytes, as: UTF8.self), encoding: "UTF-8", note: nil)
        }
        // Some bytes are UTF-8 sequences and others are not: a file pasted together from two
        // sources. Reading it all as Windows-1252 would garble the UTF-8 part, so say where.
        if containsMultiByteUTF8(bytes) {
            throw error(file, bytes, at: bad, "is not UTF-8, but other characters in the file are: the file mixes two text encodings")
        }
        if let undefined = bytes.firstIndex(where: { windows1252Undefined.contains($0) || isControl($0) }) {
            throw error(file, bytes, at: undefined, "cannot be read as UTF-8 or as Windows-1252 text")
        }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: bytes.map(windows1252Scalar))
        let text = String(scalars)
        var example = ""
        if let (line, word) = firstNonASCIIWord(text) { example = "; check the accented names, e.g. line \(line) \"\(word)\"" }
        return Decoded(text: text, encoding: "Windows-1252",
                       note: "\(file): read as Windows-1252, the encoding of Excel's plain \"CSV\" on Windows (the file is not UTF-8)\(example); to be sure, save it as \"CSV UTF-8\"")
    }

    /// UTF-16 after its byte-order mark.
    private static func utf16(_ body: [UInt8], littleEndian: Bool, file: String) throws -> Decoded {
        var units: [UInt16] = []
        units.reserveCapacity(body.count / 2)
        var k = 0
        while k + 1 < body.count {
            units.append(littleEndian ? UInt16(body[k]) | UInt16(body[k + 1]) << 8 : UInt16(body[k]) << 8 | UInt16(body[k + 1]))
            k += 2
        }
        var scalars = String.UnicodeScalarView()
        var iterator = units.makeIterator()
        var decoder = UTF16()
        var consumed = 0
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): scalars.append(s); consumed += s.value > 0xFFFF ? 2 : 1
            case .emptyInput: break loop
            case .error:
                let (line, column) = position(String(scalars))
                throw InputError(file: file, at: "line \(line), column \(column)",
                                 "the text is not valid UTF-16 (a broken character at byte \(2 + consumed * 2)); \(saveAsUTF8)")
            }
        }
        if body.count % 2 == 1 {
            let (line, column) = position(String(scalars))
            throw InputError(file: file, at: "line \(line), column \(column)",
                             "the file ends in the middle of a UTF-16 character (an odd number of bytes): it may be cut short; \(saveAsUTF8)")
        }
        let name = littleEndian ? "UTF-16LE" : "UTF-16BE"
        return Decoded(text: String(scalars), encoding: name,
                       note: "\(file): read as UTF-16 (Excel's \"Unicode Text\")")
    }

    private static func error(_ file: String, _ bytes: [UInt8], at offset: Int, _ what: String) -> InputError {
        let (line, column) = position(bytes, offset)
        let hex = String(format: "0x%02X", bytes[offset])
        return InputError([Diagnostic(file: file, at: "line \(line), column \(column)",
                                      "byte \(hex) \(what); \(saveAsUTF8)", line: line, column: column)])
    }

    /// Line and column (1-based, in characters) of the byte at `offset`.
    static func position(_ bytes: [UInt8], _ offset: Int) -> (Int, Int) {
        var line = 1, lineStart = 0
        for k in 0..<offset where bytes[k] == 0x0A { line += 1; lineStart = k + 1 }
        let prefix = String(decoding: bytes[lineStart..<offset], as: UTF8.self)
        return (line, prefix.unicodeScalars.count + 1)
    }

    /// Line and column just after `text`.
    static func position(_ text: String) -> (Int, Int) {
        var line = 1, column = 1
        for s in text.unicodeScalars { if s == "\n" { line += 1; column = 1 } else { column += 1 } }
        return (line, column)
    }

    /// Offset of the first byte that does not start or continue a well-formed UTF-8 sequence
    /// (overlong forms, surrogates and values above U+10FFFF included), or nil.
    static func firstInvalidUTF8(_ b: [UInt8]) -> Int? {
        var k = 0
        let n = b.count
        while k < n {
            let c = b[k]
            if c < 0x80 { k += 1; continue }
            let length: Int, lower: UInt8, upper: UInt8
            switch c {
            case 0xC2...0xDF: length = 2; lower = 0x80; upper = 0xBF
            case 0xE0: length = 3; lower = 0xA0; upper = 0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3; lower = 0x80; upper = 0xBF
            case 0xED: length = 3; lower = 0x80; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90; upper = 0xBF
            case 0xF1...0xF3: length = 4; lower = 0x80; upper = 0xBF
            case 0xF4: length = 4; lower = 0x80; upper = 0x8F
            default: return k
            }
            guard k + length <= n else { return k }
            guard (lower...upper).contains(b[k + 1]) else { return k }
            for m in 2..<length where !(0x80...0xBF).contains(b[k + m]) { return k }
            k += length
        }
        return nil
    }

    /// Whether a well-formed multi-byte UTF-8 sequence occurs anywhere.
    private static func containsMultiByteUTF8(_ b: [UInt8]) -> Bool {
        for k in b.indices where b[k] >= 0xC2 && b[k] <= 0xF4 {
            let length = b[k] < 0xE0 ? 2 : b[k] < 0xF0 ? 3 : 4
            if k + length <= b.count && firstInvalidUTF8(Array(b[k..<(k + length)])) == nil { return true }
        }
        return false
    }

    /// Control characters that no spreadsheet export holds (tab, line feed and carriage return are fine).
    private static func isControl(_ b: UInt8) -> Bool { b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D }

    /// Bytes Windows-1252 leaves undefined.
    private static let windows1252Undefined: Set<UInt8> = [0x81, 0x8D, 0x8F, 0x90, 0x9D]

    /// 0x80–0x9F in Windows-1252 (euro sign, curly quotes, dashes, ...); everything else is Latin-1.
    private static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    static func windows1252Scalar(_ b: UInt8) -> Unicode.Scalar {
        if (0x80...0x9F).contains(b) { return Unicode.Scalar(windows1252High[Int(b) - 0x80])! }
        return Unicode.Scalar(b)
    }

    /// The first word with a character outside ASCII, and its line: the user's quick check.
    private static func firstNonASCIIWord(_ text: String) -> (Int, String)? {
        // By scalars: a CRLF is one Character, so splitting Characters on "\n" would not split it.
        var line = 1
        for raw in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            if raw.contains(where: { $0.value > 127 }) {
                let words = raw.split(whereSeparator: { ",;\t\"\r ".unicodeScalars.contains($0) })
                if let word = words.first(where: { $0.contains { $0.value > 127 } }) {
                    return (line, String(String.UnicodeScalarView(word)))
                }
            }
            line += 1
        }
        return nil
    }
}
