import Foundation
import HTTPTypes
import NIOCore
import PeerMatch
import Testing
@testable import PeerMatchStore
@testable import PeerMatchWeb

/// The whole-term pages are built once per store revision and then served from memory: the same
/// bytes again, and never after anything changed (through the page, or through another process).
@Suite(.serialized) struct PageCacheTests {
    static let base = "/terms/2026-autumn"

    @Test func aPageIsBuiltOncePerRevisionAndNeverServedStale() async throws {
        let scheme = try SchemeFixture().withAutumn()
        try scheme.store.match(term: SchemeFixture.term, by: SchemeFixture.actor)
        let live = try await LiveSite.start(scheme)
        let cache = live.site.pageCache

        let first = try await live.get("\(Self.base)/matches")
        #expect(first.status == 200)
        #expect(cache.counts.builds == 1 && cache.counts.hits == 0)
        let again = try await live.get("\(Self.base)/matches")
        #expect(again.body == first.body)
        #expect(again.header("Content-Type") == first.header("Content-Type"))
        #expect(again.header("Content-Security-Policy") != nil)
        #expect(cache.counts.builds == 1 && cache.counts.hits == 1)
        // Another address is another page.
        #expect(try await live.get("\(Self.base)/matches?state=all").status == 200)
        #expect(cache.counts.builds == 2)

        // Approving through the page: the page after the redirect shows its message, built fresh,
        // and the pair as approved.
        let pair = try #require(try scheme.store.proposals(term: SchemeFixture.term).pairs.first { $0.state == .proposed })
        let key = PairsPage.key(pair.ref)
        let approved = try await live.post("\(Self.base)/pairs", [("row", "approve \(key)")])
        #expect(approved.status == 303)
        let withMessage = try await live.get("\(Self.base)/matches")
        #expect(withMessage.text.contains("flash"))
        #expect(cache.counts.builds == 2, "a page with a message is not kept")
        let after = try await live.get("\(Self.base)/matches")
        #expect(after.body != first.body)
        #expect(try scheme.store.pair(pair.ref).state == .approved)
        #expect(cache.counts.builds == 3)

        // A write by another process (another store on the same file): the next view is built again.
        let before = try await live.get("\(Self.base)/matches")
        #expect(before.body == after.body)
        try scheme.store.decline([pair.ref], by: SchemeFixture.actor, note: "from the command line")
        let declined = try await live.get("\(Self.base)/matches?state=all")
        #expect(declined.status == 200)
        #expect(cache.counts.builds == 4)
        let live2 = try await live.get("\(Self.base)/matches")
        #expect(live2.body != after.body, "the declined pair is no longer listed as live")

        // The move form is kept too, until a session moves.
        let grid = try await live.get("\(Self.base)/timetable")
        let href = try #require(grid.text.range(of: #"href="(/terms/[^"]*/timetable/move\?[^"]+)""#, options: .regularExpression))
        let movePath = String(grid.text[href].dropFirst("href=\"".count).dropLast()).replacingOccurrences(of: "&amp;", with: "&")
        let form = try await live.get(movePath)
        #expect(form.status == 200)
        let builds = cache.counts.builds
        #expect(try await live.get(movePath).body == form.body)
        #expect(cache.counts.builds == builds)
        await live.stop()
    }

    @Test func theCacheIsBoundedAndDropsOlderRevisions() {
        let cache = PageCache(maxEntries: 2, maxBytes: 1_000)
        func key(_ a: String) -> PageCache.Key { .init(address: a, session: "s", actor: "a", today: "2026-10-08", running: false) }
        func entry(_ revision: Int, _ size: Int) -> PageCache.Entry {
            .init(revision: revision, status: .ok, headers: [:], body: ByteBuffer(repeating: 65, count: size))
        }
        cache.store(key("/a"), entry(1, 10))
        cache.store(key("/b"), entry(1, 10))
        #expect(cache.lookup(key("/a"), revision: 1) != nil)   // /a is now the most recent
        cache.store(key("/c"), entry(1, 10))
        #expect(cache.lookup(key("/b"), revision: 1) == nil, "the least recently used goes first")
        #expect(cache.lookup(key("/a"), revision: 1) != nil)
        #expect(cache.lookup(key("/a"), revision: 2) == nil, "never served at another revision")
        cache.store(key("/d"), entry(2, 10))
        #expect(cache.lookup(key("/a"), revision: 1) == nil && cache.lookup(key("/c"), revision: 1) == nil, "older revisions are dropped")
        cache.store(key("/e"), entry(2, 2_000))
        #expect(cache.lookup(key("/e"), revision: 2) == nil, "a page over the byte bound is not kept")
        #expect(cache.lookup(key("/d"), revision: 2) != nil)
    }
}
