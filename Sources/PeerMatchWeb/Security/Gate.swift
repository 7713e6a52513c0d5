import Foundation

/// Who may use the page: the holder of the one-time link the server printed, and nobody else.
///
/// `serve` prints a URL with a random token. The first request that carries it gets a session
/// (a second random value) in an HttpOnly, SameSite=Strict cookie and the token is used up, so a
/// link copied from the terminal's scroll-back later, or seen over a shoulder, opens nothing. Any
/// other website the co-ordinator visits can make the browser send requests here, but it cannot
/// read or guess the cookie, and SameSite=Strict keeps the browser from attaching it to requests
/// another site starts. A lost session (browser closed) is recovered by asking the terminal for a
/// new link (``issueLink()``), which also voids any earlier link not yet used.
///
/// Tokens and session ids are 32 random bytes from the system's secure generator, compared in
/// constant time. Everything is in memory: restarting the server signs everyone out.
public final class Gate: @unchecked Sendable {
    /// One signed-in browser.
    public struct Session: Sendable, Hashable {
        public var id: String
        /// The synchroniser token every form of this session carries (`_csrf`).
        public var csrf: String
        /// The name written into the scheme's audit trail for this session's changes.
        public var actorName: String
    }

    private let lock = NSLock()
    private var pendingToken: String?
    private var sessions: [String: Session] = [:]
    private var flashes: [String: [String]] = [:]
    private let defaultActor: String

    /// - Parameter defaultActor: the name changes are recorded under until the co-ordinator types
    ///   their own (the login name of whoever started the server).
    public init(defaultActor: String) {
        self.defaultActor = defaultActor
    }

    /// A fresh one-time token for the printed link; any earlier unused token stops working.
    public func issueLink() -> String {
        let t = Self.randomHex()
        lock.withLock { pendingToken = t }
        return t
    }

    /// Exchanges the one-time token for a new session, or nil when it is wrong or already used.
    func redeem(_ token: String) -> Session? {
        lock.withLock {
            guard let pending = pendingToken, Self.constantTimeEqual(pending, token) else { return nil }
            pendingToken = nil
            let s = Session(id: Self.randomHex(), csrf: Self.randomHex(), actorName: defaultActor)
            sessions[s.id] = s
            return s
        }
    }

    /// The session a cookie value names, if any. Dictionary lookup by a 256-bit random key: a
    /// timing difference on a miss tells an attacker nothing they could build a guess on.
    func session(_ id: String) -> Session? {
        lock.withLock { sessions[id] }
    }

    func setActorName(_ name: String, session id: String) {
        lock.withLock { sessions[id]?.actorName = name }
    }

    /// A message for the session's next page ("3 pairs approved"), after a redirect.
    func addFlash(_ text: String, session id: String) {
        lock.withLock { flashes[id, default: []].append(text) }
    }

    /// Whether a message waits for the session (its next page is not served from the page cache).
    func hasFlash(session id: String) -> Bool {
        lock.withLock { flashes[id] != nil }
    }

    /// The messages waiting for the session, removed as they are read.
    func takeFlash(session id: String) -> [String]? {
        lock.withLock { flashes.removeValue(forKey: id) }
    }

    /// 32 bytes from `SystemRandomNumberGenerator` (getrandom/arc4random: cryptographically secure), as hex.
    static func randomHex() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let s = String(g.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }.joined()
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
