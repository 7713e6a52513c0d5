import Foundation
import Testing
@testable import PeerMatchWeb

/// A real server on 127.0.0.1 (a free port), signed in through its one-time link, with helpers
/// to fetch pages and post forms as the browser would.
final class LiveSite: @unchecked Sendable {
    let server: RunningServer
    let http: RawHTTP
    private(set) var cookie: String = ""
    var site: Site { server.site }

    static func start(_ scheme: SchemeFixture? = nil, limits: Limits = Limits(), signIn: Bool = true) async throws -> LiveSite {
        let scheme = try scheme ?? SchemeFixture()
        let site = try await WebServer.makeSite(.init(schemePath: scheme.path, binding: Binding(host: "127.0.0.1", port: 0), limits: limits))
        let server = try await RunningServer.start(site: site, binding: site.binding)
        let live = LiveSite(server: server)
        if signIn { try await live.signIn() }
        return live
    }

    private init(server: RunningServer) {
        self.server = server
        http = RawHTTP(port: server.port)
    }

    func stop() async { await server.stop() }

    /// Follows the printed link and keeps the session cookie.
    func signIn() async throws {
        let url = site.signInURL()
        let path = String(url.dropFirst(site.baseURL.count))
        let r = try await http.request("GET", path)
        guard r.status == 302, let set = r.header("Set-Cookie"), let pair = set.split(separator: ";").first else {
            throw Failure("sign-in failed: \(r.status) \(r.text)")
        }
        cookie = String(pair)
    }

    func get(_ path: String, headers: [(String, String)] = []) async throws -> RawHTTP.Response {
        try await http.request("GET", path, headers: [("Cookie", cookie)] + headers)
    }

    /// Posts `fields` url-encoded, adding this session's CSRF token unless `csrf` is false.
    func post(_ path: String, _ fields: [(String, String)], csrf: Bool = true, headers: [(String, String)] = []) async throws -> RawHTTP.Response {
        var all = fields
        if csrf { all.insert(("_csrf", try csrfToken()), at: 0) }
        let body = all.map { "\(Site.percentEncode($0.0))=\(Site.percentEncode($0.1))" }.joined(separator: "&")
        return try await http.request("POST", path, headers: [("Cookie", cookie), ("Content-Type", "application/x-www-form-urlencoded")] + headers,
                             body: Data(body.utf8))
    }

    /// Posts a multipart form with files (name, filename, bytes) and fields, with the CSRF token.
    func upload(_ path: String, fields: [(String, String)] = [], files: [(String, String, Data)], csrf: Bool = true) async throws -> RawHTTP.Response {
        let boundary = "----peermatchtest\(UInt32.random(in: 0...UInt32.max))"
        var body = Data()
        func part(_ disposition: String, _ data: Data) {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; \(disposition)\r\n\r\n".utf8) + data + Data("\r\n".utf8)
        }
        if csrf { part("name=\"_csrf\"", Data(try csrfToken().utf8)) }
        for (k, v) in fields { part("name=\"\(k)\"", Data(v.utf8)) }
        for (field, filename, data) in files { part("name=\"\(field)\"; filename=\"\(filename)\"", data) }
        body += Data("--\(boundary)--\r\n".utf8)
        return try await http.request("POST", path, headers: [("Cookie", cookie), ("Content-Type", "multipart/form-data; boundary=\(boundary)")], body: body)
    }

    /// The session's CSRF token, as the page's forms carry it.
    func csrfToken() throws -> String {
        let id = String(cookie.split(separator: "=", maxSplits: 1).last ?? "")
        guard let s = site.gate.session(id) else { throw Failure("not signed in") }
        return s.csrf
    }
}

/// Every `<form ...>...</form>` of a page, and whether each carries the CSRF input.
func forms(in html: String) -> [String] {
    var out: [String] = []
    var rest = html[...]
    while let start = rest.range(of: "<form"), let end = rest[start.upperBound...].range(of: "</form>") {
        out.append(String(rest[start.lowerBound..<end.upperBound]))
        rest = rest[end.upperBound...]
    }
    return out
}
