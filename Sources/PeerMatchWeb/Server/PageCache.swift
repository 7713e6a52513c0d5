import Foundation
import Hummingbird
import NIOCore
import PeerMatchStore

/// The whole-term pages (pairs, week grid, slips, register, report, and the downloads) and the
/// move form (which checks the whole timetable once for each slot and room), rendered once per
/// store revision and then served from memory.
///
/// Why: each of these reads and renders every pair of the term (2,000 on a large one), which takes
/// a few hundred milliseconds (about a third reading and decoding the pairs, a third the
/// templates' dynamic lookups and escaping, and for the calendars the iCalendar text and the zip),
/// while a co-ordinator typically opens the same page again and again between changes (after each
/// approval the pairs page, after each register save the register). The store's revision goes up
/// with every write, in this process or another (`peermatch scheme` beside the server), so an
/// entry is never served after anything changed: the revision is read before the page is built,
/// so a page built from a newer snapshot than its key is at worst built again, never stale.
///
/// What else a page shows is in the key: the address with its query, the session (its CSRF token
/// and the name in the header), today's date (the register's and the withdrawal form's defaults),
/// and whether a match is running (the pairs page says so). A page with a message waiting for the
/// session (after a redirect) is built fresh, so the message is shown once, as before.
final class PageCache: @unchecked Sendable {
    struct Key: Hashable {
        var address: String
        var session: String
        var actor: String
        var today: String
        var running: Bool
    }

    struct Entry {
        var revision: Int
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: ByteBuffer
    }

    /// Bounds: a 2,000-mentee term's pages are 0.1 to 0.8 MB each.
    let maxEntries: Int
    let maxBytes: Int
    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    /// Least recently used first.
    private var order: [Key] = []
    private var bytes = 0
    private var hits = 0
    private var builds = 0

    init(maxEntries: Int = 48, maxBytes: Int = 64 << 20) {
        self.maxEntries = maxEntries; self.maxBytes = maxBytes
    }

    /// How many pages were built and how many served from memory (for tests).
    var counts: (builds: Int, hits: Int) { lock.withLock { (builds, hits) } }

    func lookup(_ key: Key, revision: Int) -> Entry? {
        lock.withLock {
            guard let e = entries[key], e.revision == revision else { return nil }
            touch(key)
            hits += 1
            return e
        }
    }

    func store(_ key: Key, _ entry: Entry) {
        lock.withLock {
            builds += 1
            guard entry.body.readableBytes <= maxBytes else { return }
            // A page of an older revision can never be served again: drop those first.
            for (k, e) in entries where e.revision < entry.revision { remove(k) }
            if let old = entries[key], old.revision > entry.revision { return }
            remove(key)
            entries[key] = entry
            order.append(key)
            bytes += entry.body.readableBytes
            while (entries.count > maxEntries || bytes > maxBytes), let first = order.first { remove(first) }
        }
    }

    private func touch(_ key: Key) {
        if let k = order.firstIndex(of: key) { order.remove(at: k) }
        order.append(key)
    }

    private func remove(_ key: Key) {
        guard let e = entries.removeValue(forKey: key) else { return }
        bytes -= e.body.readableBytes
        if let k = order.firstIndex(of: key) { order.remove(at: k) }
    }
}

/// Collects a response body into one buffer (a page's body is one buffer already; this keeps the
/// cache independent of how a handler built it).
private final class BodyCollector: ResponseBodyWriter {
    var buffer = ByteBuffer()
    func write(_ part: ByteBuffer) async throws { var p = part; buffer.writeBuffer(&p) }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

extension Site {
    /// `build`'s response, from the page cache when it holds this address at the store's current
    /// revision for this session; a built 200 response is kept. Anything else (an error page, a
    /// redirect) is passed through and not kept.
    func cached(_ request: Request, _ context: WebContext, term: String?, _ build: () throws -> Response) async throws -> Response {
        guard let session = context.session, !gate.hasFlash(session: session.id) else { return try build() }
        let revision = try store.revision
        let running = term.map { TermID($0) }.flatMap { jobs.snapshot($0)?.running } ?? false
        let key = PageCache.Key(address: request.uri.description, session: session.id, actor: session.actorName,
                                today: today().description, running: running)
        if let hit = pageCache.lookup(key, revision: revision) {
            return Response(status: hit.status, headers: hit.headers, body: .init(byteBuffer: hit.body))
        }
        let response = try build()
        guard response.status == .ok else { return response }
        let collector = BodyCollector()
        try await response.body.write(collector)
        pageCache.store(key, .init(revision: revision, status: response.status, headers: response.headers, body: collector.buffer))
        return Response(status: response.status, headers: response.headers, body: .init(byteBuffer: collector.buffer))
    }
}

extension Router where Context == WebContext {
    /// A GET route for a term's page (`:term` in `path`) served through ``Site/cached``: built
    /// once per store revision for each session, then from memory.
    func getCached(_ path: RouterPath, site: Site,
                   _ page: @escaping @Sendable (Request, WebContext) throws -> Response) {
        get(path) { request, context in
            try await site.cached(request, context, term: context.parameters.get("term")) { try page(request, context) }
        }
    }
}
