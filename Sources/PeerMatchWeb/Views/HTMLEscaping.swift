import Mustache

/// HTML escaping of every value a page shows: `<`, `>`, `&`, `"` and `'` become `&lt;`, `&gt;`,
/// `&amp;`, `&quot;` and `&#39;`, byte by byte of the UTF-8 text.
///
/// Why not swift-mustache's own escaping (written by hand, on purpose): its `htmlEscape()`
/// compares whole `Character`s, so a quote or an ampersand followed by a combining mark
/// (`"` + U+0301) is one grapheme it leaves as it is, while a browser's tokenizer still ends an
/// attribute value at that `"` byte: a name from a spreadsheet could end an attribute and add
/// others. The five are ASCII bytes, which never occur inside a multi-byte UTF-8 sequence, so
/// replacing them byte by byte escapes every one and leaves everything else as it was; for text
/// without a combining mark on one of them the output is the library's, byte for byte.
/// Every template is loaded with ``PageHTML`` as its content type (``Templates/bundled()``), and
/// ``HTMLWriter`` uses the same function.
enum HTMLEscaping {
    /// Appends `s`, escaped, to `bytes`.
    static func append(_ s: String, to bytes: inout [UInt8]) {
        let utf8 = s.utf8
        // Most values hold none of the five: append their bytes whole.
        guard utf8.contains(where: isSpecial) else { bytes.append(contentsOf: utf8); return }
        for b in utf8 {
            switch b {
            case 0x3C: bytes.append(contentsOf: "&lt;".utf8)
            case 0x3E: bytes.append(contentsOf: "&gt;".utf8)
            case 0x26: bytes.append(contentsOf: "&amp;".utf8)
            case 0x22: bytes.append(contentsOf: "&quot;".utf8)
            case 0x27: bytes.append(contentsOf: "&#39;".utf8)
            default: bytes.append(b)
            }
        }
    }

    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: isSpecial) else { return s }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count + 16)
        append(s, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isSpecial(_ b: UInt8) -> Bool { b == 0x3C || b == 0x3E || b == 0x26 || b == 0x22 || b == 0x27 }
}

/// The pages' content type for swift-mustache: its `{{value}}` tags escape with ``HTMLEscaping``.
struct PageHTML: MustacheContentType {
    /// The name templates are loaded with (`{{% CONTENT_TYPE: PEERMATCH_HTML}}`).
    static let name = "PEERMATCH_HTML"
    /// The line put before every template's text: a partial or a parent template starts again
    /// with the library's own HTML type, so each file carries the pragma itself. Standalone on its
    /// own line, it writes nothing. Registers the type on first use, so no template can name it
    /// before it exists.
    static let pragma: String = {
        MustacheContentTypes.register(PageHTML(), named: name)
        return "{{% CONTENT_TYPE: \(name)}}\n"
    }()

    func escapeText(_ text: String) -> String { HTMLEscaping.escape(text) }
}
