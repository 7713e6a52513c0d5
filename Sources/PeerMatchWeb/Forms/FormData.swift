import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// A file the browser sent in a multipart form.
public struct UploadedFile: Sendable {
    /// The form field (`mentors`, `mentees`).
    public var field: String
    /// The file's name on the co-ordinator's machine, as the browser gave it (used in messages only).
    public var filename: String
    public var data: Data
}

/// The fields (and files) of a submitted form, in the order the browser sent them.
public struct FormData: Sendable {
    public var fields: [(name: String, value: String)] = []
    public var files: [UploadedFile] = []

    public init(fields: [(name: String, value: String)] = [], files: [UploadedFile] = []) {
        self.fields = fields; self.files = files
    }

    /// The first value of `name`, trimmed; nil when absent or blank.
    public func value(_ name: String) -> String? {
        guard let v = fields.first(where: { $0.name == name })?.value else { return nil }
        let t = v.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }

    /// Every value of `name` (checkbox lists), untrimmed, in order.
    public func values(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    /// The file sent as `field`, when one was chosen (browsers send an empty part for an empty input).
    public func file(_ field: String) -> UploadedFile? {
        files.first { $0.field == field && !($0.filename.isEmpty && $0.data.isEmpty) }
    }

    // MARK: - Parsing

    /// Parses `application/x-www-form-urlencoded` as the WHATWG URL standard does: `&`-separated,
    /// the first `=` splits name from value, `+` is a space, then percent-decoding. Written here
    /// because Foundation's URLComponents leaves `+` alone and Hummingbird's form decoder wants a
    /// Codable type, where these pages read repeated checkbox names.
    public static func urlEncoded(_ body: String) -> FormData {
        var form = FormData()
        for piece in body.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            form.fields.append((decode(kv[0]), kv.count > 1 ? decode(kv[1]) : ""))
        }
        return form
    }

    /// Parses `multipart/form-data` with MultipartKit's streaming parser. Parts with a `filename`
    /// become files; the rest are fields (decoded as UTF-8, which is what the pages' forms send).
    public static func multipart(_ body: ByteBuffer, boundary: String) throws -> FormData {
        let parser = MultipartParser(boundary: boundary)
        var form = FormData()
        var headers: [(String, String)] = []
        var data = Data()
        parser.onHeader = { name, value in headers.append((name, value)) }
        parser.onBody = { buffer in data.append(contentsOf: buffer.readableBytesView) }
        parser.onPartComplete = {
            let disposition = headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            let params = Self.dispositionParameters(disposition)
            let name = params["name"] ?? ""
            if let filename = params["filename"] {
                form.files.append(UploadedFile(field: name, filename: filename, data: data))
            } else {
                form.fields.append((name, String(decoding: data, as: UTF8.self)))
            }
            headers = []; data = Data()
        }
        try parser.execute(body)
        return form
    }

    /// `form-data; name="mentors"; filename="Year 7.csv"` → [name: mentors, filename: Year 7.csv].
    /// Quoted values may hold `;`; browsers escape a quote in a file name as `%22`.
    static func dispositionParameters(_ header: String) -> [String: String] {
        var out: [String: String] = [:]
        var i = header.startIndex
        func skipSpaces() { while i < header.endIndex, header[i] == " " || header[i] == "\t" { i = header.index(after: i) } }
        // Skip the disposition type.
        while i < header.endIndex, header[i] != ";" { i = header.index(after: i) }
        while i < header.endIndex {
            i = header.index(after: i)          // past ';'
            skipSpaces()
            var key = ""
            while i < header.endIndex, header[i] != "=", header[i] != ";" { key.append(header[i]); i = header.index(after: i) }
            var value = ""
            if i < header.endIndex, header[i] == "=" {
                i = header.index(after: i)
                if i < header.endIndex, header[i] == "\"" {
                    i = header.index(after: i)
                    while i < header.endIndex, header[i] != "\"" {
                        if header[i] == "\\", header.index(after: i) < header.endIndex { i = header.index(after: i) }
                        value.append(header[i]); i = header.index(after: i)
                    }
                    if i < header.endIndex { i = header.index(after: i) }
                    while i < header.endIndex, header[i] != ";" { i = header.index(after: i) }
                } else {
                    while i < header.endIndex, header[i] != ";" { value.append(header[i]); i = header.index(after: i) }
                }
            }
            let k = key.trimmingCharacters(in: .whitespaces).lowercased()
            if !k.isEmpty { out[k] = value.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "%22", with: "\"") }
        }
        return out
    }

    /// The `boundary` parameter of a `multipart/form-data` content type.
    static func boundary(ofContentType type: String) -> String? {
        for part in type.split(separator: ";").dropFirst() {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var v = kv[1].trimmingCharacters(in: .whitespaces)
            if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            return v.isEmpty ? nil : v
        }
        return nil
    }
}

/// A query parameter the page cannot do without: its value, trimmed, or a 400 page ("Something
/// in the form needs changing") saying `message` when it is absent or blank.
func required(_ q: Parameters, _ name: String, _ message: String) throws -> String {
    guard let v = q[Substring(name)].map({ String($0).trimmingCharacters(in: .whitespacesAndNewlines) }), !v.isEmpty else { throw PageError.badForm(message) }
    return v
}
