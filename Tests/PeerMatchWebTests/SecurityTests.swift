import Foundation
import Testing
@testable import PeerMatchWeb

/// Each security rule of the local server, tested against a real listening server with requests
/// a browser (or an attacker's page) could send.
@Suite(.serialized) struct SecurityTests {
    static let csp = "default-src 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'"

    // MARK: Binding

    @Test func bindsLoopbackByDefaultAndRefusesWildcards() throws {
        let b = Binding()
        #expect(b.host == "127.0.0.1")
        #expect(b.isLoopback)
        #expect(b.exposureNote(port: 8470).contains("Only this computer"))
        for wildcard in ["0.0.0.0", "::", "*"] {
            #expect(throws: ServeError.self) { try Binding(host: wildcard, port: 8470).validate() }
        }
        let lan = Binding(host: "192.168.1.20", port: 8470)
        try lan.validate()
        #expect(!lan.isLoopback)
        let note = lan.exposureNote(port: 8470)
        #expect(note.contains("WARNING") && note.contains("anyone on that network") && note.contains("not encrypted"))
        #expect(lan.allowedHosts(port: 8470) == ["192.168.1.20:8470"])
        #expect(Binding().allowedHosts(port: 9000) == ["127.0.0.1:9000", "localhost:9000", "[::1]:9000"])
        #expect(throws: ServeError.self) { try Binding(host: "127.0.0.1", port: 70000).validate() }
    }

    @Test func listensOnLoopbackOnly() async throws {
        let live = try await LiveSite.start()
        defer { Task { await live.stop() } }
        #expect(try await live.get("/").status == 200)
        // Another address of this machine (its network interface) does not answer.
        if let other = nonLoopbackIPv4() {
            await #expect(throws: (any Error).self) { try await RawHTTP(host: other, port: live.server.port).request("GET", "/") }
        }
        await live.stop()
    }

    // MARK: Host header

    @Test func refusesForeignHostHeaders() async throws {
        let live = try await LiveSite.start()
        let port = live.server.port
        for bad in ["evil.example:\(port)", "evil.example", "127.0.0.1", "127.0.0.1:\(port + 1)", "localhost.evil.example:\(port)", ""] {
            let r = try await live.http.request("GET", "/", hostHeader: bad, headers: [("Cookie", live.cookie)])
            #expect(r.status == 421, "Host \(bad)")
            #expect(!r.text.contains("Changes recorded as"), "no page content for Host \(bad)")
        }
        for good in ["127.0.0.1:\(port)", "localhost:\(port)", "LOCALHOST:\(port)"] {
            #expect(try await live.http.request("GET", "/", hostHeader: good, headers: [("Cookie", live.cookie)]).status == 200, "Host \(good)")
        }
        // The token link itself is refused under a foreign Host, and stays unused.
        let link = String(live.site.signInURL().dropFirst(live.site.baseURL.count))
        #expect(try await live.http.request("GET", link, hostHeader: "evil.example:\(port)").status == 421)
        #expect(try await live.http.request("GET", link).status == 302)
        await live.stop()
    }

    // MARK: One-time token and cookie

    @Test func tokenBecomesStrictHttpOnlyCookieOnce() async throws {
        let live = try await LiveSite.start(signIn: false)
        let http = live.http
        #expect(try await http.request("GET", "/").status == 403)
        #expect(try await http.request("GET", "/assets/site.css").status == 403)
        #expect(try await http.request("GET", "/?token=0123").status == 403)

        let link = String(live.site.signInURL().dropFirst(live.site.baseURL.count))
        let first = try await http.request("GET", link)
        #expect(first.status == 302)
        #expect(first.header("Location") == "/")
        let cookie = try #require(first.header("Set-Cookie"))
        let attributes = cookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        #expect(attributes.contains("httponly"))
        #expect(attributes.contains("samesite=strict"))
        #expect(attributes.contains("path=/"))
        #expect(attributes[0].hasPrefix("peermatch_\(live.server.port)="))
        let value = String(cookie.split(separator: ";")[0])

        // Used up: the same link opens nothing a second time.
        let again = try await http.request("GET", link)
        #expect(again.status == 403)
        #expect(again.header("Set-Cookie") == nil)

        #expect(try await http.request("GET", "/", headers: [("Cookie", value)]).status == 200)
        #expect(try await http.request("GET", "/assets/site.css", headers: [("Cookie", value)]).status == 200)
        #expect(try await http.request("GET", "/", headers: [("Cookie", value + "0")]).status == 403)
        #expect(try await http.request("GET", "/", headers: [("Cookie", "peermatch_1=" + value.split(separator: "=")[1])]).status == 403)

        // A new link voids an earlier unused one.
        let old = String(live.site.signInURL().dropFirst(live.site.baseURL.count))
        let new = String(live.site.signInURL().dropFirst(live.site.baseURL.count))
        #expect(try await http.request("GET", old).status == 403)
        #expect(try await http.request("GET", new).status == 302)

        // The token leaves the address bar, other query parameters stay.
        let deep = String(live.site.signInURL().dropFirst(live.site.baseURL.count)).replacingOccurrences(of: "/?", with: "/assets/site.css?v=2&")
        #expect(try await http.request("GET", deep).header("Location") == "/assets/site.css?v=2")
        await live.stop()
    }

    // MARK: CSRF

    @Test func formsNeedTheSessionsCSRFToken() async throws {
        let live = try await LiveSite.start()
        let id = String(live.cookie.split(separator: "=")[1])
        let before = try #require(live.site.gate.session(id)).actorName

        #expect(try await live.post("/me", [("name", "Mallory")], csrf: false).status == 403)
        #expect(try await live.post("/me", [("_csrf", String(repeating: "0", count: 64)), ("name", "Mallory")], csrf: false).status == 403)
        #expect(live.site.gate.session(id)?.actorName == before)

        // Another session's token does not do either.
        let other = try await LiveSite.start()
        #expect(try await live.post("/me", [("_csrf", try other.csrfToken()), ("name", "Mallory")], csrf: false).status == 403)
        await other.stop()

        // Right token, but the browser says the form came from another site.
        #expect(try await live.post("/me", [("name", "Mallory")], headers: [("Origin", "http://evil.example")]).status == 403)
        #expect(try await live.post("/me", [("name", "Mallory")], headers: [("Sec-Fetch-Site", "cross-site")]).status == 403)
        #expect(live.site.gate.session(id)?.actorName == before)

        // What Chrome sends for this page's own form under no-referrer: Origin null, same-origin.
        #expect(try await live.post("/me", [("name", "Ms Okafor"), ("back", "/")], headers: [("Origin", "null"), ("Sec-Fetch-Site", "same-origin")]).status == 303)
        let ok = try await live.post("/me", [("name", "Ms Okafor"), ("back", "/")], headers: [("Origin", live.site.baseURL)])
        #expect(ok.status == 303)
        #expect(live.site.gate.session(id)?.actorName == "Ms Okafor")
        let page = try await live.get("/").text
        #expect(page.contains("Changes will be recorded as Ms Okafor."))

        // Every form on the page carries the token.
        let all = forms(in: page)
        #expect(!all.isEmpty)
        for f in all { #expect(f.contains("name=\"_csrf\" value=\"\(try live.csrfToken())\""), "\(f)") }
        await live.stop()
    }

    // MARK: Headers

    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        let live = try await LiveSite.start(limits: Limits(uploadBytes: 2000, formBytes: 1000))
        let responses: [(String, RawHTTP.Response)] = [
            ("page", try await live.get("/")),
            ("asset", try await live.get("/assets/site.css")),
            ("not found", try await live.get("/nowhere")),
            ("no cookie", try await live.http.request("GET", "/")),
            ("wrong host", try await live.http.request("GET", "/", hostHeader: "evil.example")),
            ("csrf", try await live.post("/me", [("name", "x")], csrf: false)),
            ("too large", try await live.post("/me", [("name", String(repeating: "x", count: 5000))])),
        ]
        for (what, r) in responses {
            #expect(r.header("Content-Security-Policy") == Self.csp, "\(what)")
            #expect(r.header("Referrer-Policy") == "no-referrer", "\(what)")
            #expect(r.header("X-Content-Type-Options") == "nosniff", "\(what)")
        }
        #expect(responses[0].1.header("Cache-Control") == "no-store")
        #expect(responses[2].1.status == 404)
        #expect(responses[6].1.status == 413)
        await live.stop()
    }

    // MARK: Upload cap

    @Test func uploadsAreCappedInSize() async throws {
        let live = try await LiveSite.start(limits: Limits(uploadBytes: 4096, formBytes: 1024))
        let big = Data(repeating: UInt8(ascii: "a"), count: 10_000)
        let r = try await live.upload("/me", fields: [("name", "x")], files: [("mentors", "mentors.csv", big)])
        #expect(r.status == 413)
        #expect(r.text.contains("larger than"))
        // Under the cap, the same form goes through.
        let small = try await live.upload("/me", fields: [("name", "Small upload"), ("back", "/")], files: [("mentors", "mentors.csv", Data("id\n1\n".utf8))])
        #expect(small.status == 303)
        await live.stop()
    }

    // MARK: Escaping

    @Test func valuesAreEscaped() async throws {
        let live = try await LiveSite.start()
        let evil = "<script>alert('x')</script>\"&"
        #expect(try await live.post("/me", [("name", evil), ("back", "/")]).status == 303)
        let page = try await live.get("/").text
        #expect(!page.contains("<script>alert"))
        #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;") || page.contains("&lt;script&gt;alert("))
        // An open redirect through `back` is refused.
        let r = try await live.post("/me", [("name", "A"), ("back", "//evil.example/")])
        #expect(r.header("Location") == "/")
        await live.stop()
    }
}

/// An IPv4 address of this machine that is not loopback, if it has one.
func nonLoopbackIPv4() -> String? {
    var list: UnsafeMutablePointer<ifaddrs>?
    guard getifaddrs(&list) == 0, let first = list else { return nil }
    defer { freeifaddrs(list) }
    var p: UnsafeMutablePointer<ifaddrs>? = first
    while let cur = p {
        if let a = cur.pointee.ifa_addr, a.pointee.sa_family == sa_family_t(AF_INET) {
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            getnameinfo(a, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST)
            let s = String(cString: host)
            if !s.hasPrefix("127.") { return s }
        }
        p = cur.pointee.ifa_next
    }
    return nil
}
