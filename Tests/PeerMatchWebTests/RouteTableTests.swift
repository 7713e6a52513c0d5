import Foundation
import HTTPTypes
import HummingbirdTesting
import Hummingbird
import PeerMatch
import Testing
@testable import PeerMatchStore
@testable import PeerMatchWeb

/// Every route through HummingbirdTesting's router client: each GET page answers 200 with the
/// security headers when signed in, 403 without the cookie, 421 under a foreign Host; each POST
/// refuses a missing CSRF token; unknown terms, drafts and pairs are 404.
@Suite(.serialized) struct RouteTableTests {
    static let term = "/terms/2026-autumn"

    /// A matched, approved, timetabled term with a week of register, an ended pair and an open draft.
    static func site() async throws -> (Site, SchemeFixture, String) {
        let scheme = try SchemeFixture().withAutumn()
        let store = scheme.store
        try store.match(term: SchemeFixture.term, by: SchemeFixture.actor)
        let pairs = try store.proposals(term: SchemeFixture.term).pairs
        try store.approve(pairs.map(\.ref), by: SchemeFixture.actor)
        let rows = try store.register(term: SchemeFixture.term, week: CalendarDate("2026-09-14")!)
        try store.record(rows.map { SessionRecordInput(pair: $0.pair, date: $0.date!, outcome: .held) }, by: SchemeFixture.actor)
        let draft = try store.stageImport(term: SchemeFixture.term, files: ImportFiles(
            mentors: ImportFile(name: "mentors.csv", data: Data(SchemeFixture.mentorsCSV.utf8)),
            mentees: ImportFile(name: "mentees.csv", data: Data(SchemeFixture.menteesCSV.utf8))), by: SchemeFixture.actor)
        let site = try await WebServer.makeSite(.init(schemePath: scheme.path, binding: Binding(host: "127.0.0.1", port: 8470)))
        site.testHosts = ["localhost"]   // HummingbirdTesting's requests name "localhost" without a port
        return (site, scheme, "\(term)/import/\(draft.id.rawValue)")
    }

    /// A session cookie for the router client, as the printed link would set it.
    static func cookie(_ site: Site) -> String {
        "\(site.cookieName)=\(site.gate.redeem(site.gate.issueLink())!.id)"
    }

    static func pages(_ scheme: SchemeFixture, draft: String) throws -> [String] {
        let p = try scheme.store.proposals(term: SchemeFixture.term).pairs.first { !$0.sessions.isEmpty }!
        let s = p.sessions[0]
        // Two mentees with different mentors (a swap between one mentor's mentees is refused).
        let all = try scheme.store.proposals(term: SchemeFixture.term).pairs.map(\.ref)
        let second = all.first { $0.mentor != all[0].mentor }!
        let others = [all[0].mentee, second.mentee]
        return [
            "/", "/audit", "/export.zip", "/export.zip?redact=1", "/assets/site.css", "/assets/app.js", "/assets/icon.svg",
            term, "\(term)/import", draft, "\(term)/matches", "\(term)/matches?state=all&q=e", "\(term)/matches?state=declined",
            "\(term)/why-not?mentor=m1&mentee=e1", "\(term)/swap?a=\(others[0])&b=\(others[1])",
            "\(term)/decline?pair=\(Site.percentEncode(PairsPage.key(p.ref)))",
            "\(term)/timetable", "\(term)/timetable?pairs=approved",
            "\(term)/timetable/move?mentor=\(p.ref.mentor)&mentee=\(p.ref.mentee)&slot=\(s.slot)&room=\(s.room)",
            "\(term)/timetable.csv", "\(term)/calendars.zip", "\(term)/timetable.html", "\(term)/slips", "\(term)/slips?pairs=all",
            "\(term)/register", "\(term)/register?week=2026-09-14", "\(term)/review", "\(term)/review?missed=2&attendance=90&asOf=2026-10-01",
            "\(term)/end?pair=\(Site.percentEncode(PairsPage.key(p.ref)))", "\(term)/withdraw",
            "\(term)/withdraw/plan?person=\(p.ref.mentor)&date=2026-10-12", "\(term)/report", "\(term)/report.csv", "\(term)/report.html",
        ]
    }

    static let posts = ["/me", "/terms", "\(term)/import", "\(term)/match", "\(term)/pairs", "\(term)/decline", "\(term)/swap",
                        "\(term)/timetable/move", "\(term)/register", "\(term)/end", "\(term)/withdraw"]

    static let csp = "default-src 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'"

    @Test func everyPageAnswersSignedInAndOnlyThen() async throws {
        let (site, scheme, draft) = try await Self.site()
        let app = WebServer.application(site: site, binding: site.binding)
        let cookie = Self.cookie(site)
        let pages = try Self.pages(scheme, draft: draft)
        try await app.test(.router) { client in
            for page in pages {
                try await client.execute(uri: page, method: .get, headers: [.cookie: cookie]) { r in
                    #expect(r.status == .ok, "\(page): \(r.status) \(String(buffer: r.body).suffix(900))")
                    #expect(r.headers[.contentSecurityPolicy] == Self.csp, "\(page)")
                    #expect(r.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer", "\(page)")
                    #expect(r.headers[.xContentTypeOptions] == "nosniff", "\(page)")
                    if r.headers[.contentType]?.hasPrefix("text/html") == true && r.headers[.contentDisposition] == nil {
                        let html = String(buffer: r.body)
                        for f in forms(in: html) { #expect(f.contains("name=\"_csrf\""), "\(page): a form without its token: \(f.prefix(200))") }
                        #expect(!html.contains("<script>alert"), "\(page)")
                        #expect(!html.contains("style=\""), "\(page): an inline style the CSP would block")
                        #expect(!html.contains("http://") || html.contains("http://www.w3.org/2000/svg"), "\(page): a link off the machine")
                    }
                }
                try await client.execute(uri: page, method: .get) { r in
                    #expect(r.status == .forbidden, "\(page) without the cookie")
                    #expect(!String(buffer: r.body).contains("Asha"), "\(page) shows no data without the cookie")
                }
            }
        }
    }

    @Test func everyPostNeedsTheTokenAndEveryPageTheHost() async throws {
        let (site, scheme, draft) = try await Self.site()
        let app = WebServer.application(site: site, binding: site.binding)
        let cookie = Self.cookie(site)
        let before = try scheme.store.revision
        let drafts = ["columns", "cells", "replace", "commit", "abandon"].map { "\(draft)/\($0)" }
        try await app.test(.router) { client in
            for post in Self.posts + drafts {
                try await client.execute(uri: post, method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: "name=x")) { r in
                    #expect(r.status == .forbidden, "\(post) without its CSRF token: \(r.status)")
                }
            }
        }
        #expect(try scheme.store.revision == before, "nothing was written")
        // Under a name that is not the bound one, nothing answers.
        site.testHosts = []
        try await app.test(.router) { client in
            for page in ["/", Self.term, "/assets/site.css"] {
                try await client.execute(uri: page, method: .get, headers: [.cookie: cookie]) { r in
                    #expect(r.status == .misdirectedRequest, "\(page) under Host localhost (no port)")
                    #expect(r.headers[.contentSecurityPolicy] == Self.csp)
                }
            }
        }
    }

    @Test func unknownThingsAreNotFound() async throws {
        let (site, _, draft) = try await Self.site()
        let app = WebServer.application(site: site, binding: site.binding)
        let cookie = Self.cookie(site)
        try await app.test(.router) { client in
            for page in ["/nowhere", "/terms/nope", "/terms/nope/matches", "/terms/nope/timetable", "/terms/nope/report",
                         "\(Self.term)/import/9999", "\(Self.term)/import/abc", "/assets/nothing.js",
                         "\(Self.term)/why-not?mentor=nobody&mentee=e1", "\(Self.term)/end?pair=x/y",
                         "\(Self.term)/match/status", "\(Self.term)/match/events"] {
                try await client.execute(uri: page, method: .get, headers: [.cookie: cookie]) { r in
                    #expect(r.status == .notFound, "\(page): \(r.status)")
                    #expect(String(buffer: r.body).contains("<h1>"), "\(page) answers with a page")
                }
            }
            // Bad input in a form: 400 with words, nothing written.
            for (page, status) in [("\(Self.term)/why-not?mentor=m1", HTTPResponse.Status.badRequest),
                                   ("\(Self.term)/swap?a=e1&b=e1", .badRequest),
                                   ("\(Self.term)/withdraw/plan?person=m1", .badRequest),
                                   ("\(Self.term)/timetable/move?mentor=m1", .badRequest)] {
                try await client.execute(uri: page, method: .get, headers: [.cookie: cookie]) { r in
                    #expect(r.status == status, "\(page): \(r.status)")
                }
            }
        }
        _ = draft
    }
}
