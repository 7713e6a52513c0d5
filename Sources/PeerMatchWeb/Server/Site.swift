import Foundation
import Hummingbird
import Mustache
import PeerMatch
import PeerMatchStore

/// Size caps on what a browser may send.
public struct Limits: Sendable, Hashable {
    /// A whole upload form (both spreadsheets and any extra files together).
    public var uploadBytes: Int
    /// Any other form (a bulk approval of 2,000 pairs is about 60 kB).
    public var formBytes: Int
    public init(uploadBytes: Int = 20 * 1_048_576, formBytes: Int = 2 * 1_048_576) {
        self.uploadBytes = uploadBytes; self.formBytes = formBytes
    }
}

/// What every request handler shares: the gate, the templates, the binding and the limits.
///
/// The port is known only once the server listens (`--port 0` picks a free one), so the names
/// the Host check accepts are filled in then (``listening(on:)``).
public final class Site: @unchecked Sendable {
    /// The scheme workspace every page reads and writes through its operations.
    public let store: SchemeStore
    /// Shown in the page header; read once at start.
    let schemeName: String
    /// Match runs in the background, with their progress for the page.
    let jobs = MatchJobs()
    /// Withdrawal plans waiting for confirmation.
    let plans = PlanShelf()
    /// Withdrawal plans being worked out (each a re-match of the term).
    let planJobs = PlanJobs()
    /// The whole-term pages as last rendered, by store revision (see ``PageCache``).
    let pageCache = PageCache()
    /// The store's clock (PEERMATCH_CLOCK fixes it for examples and tests), for "this week" defaults.
    let clock: @Sendable () -> Date
    public let gate: Gate
    public let binding: Binding
    public let limits: Limits
    let templates: Templates
    let assets: Assets
    private let lock = NSLock()
    private var _port: Int

    public init(store: SchemeStore, gate: Gate, binding: Binding, limits: Limits = Limits(), templates: Templates, assets: Assets,
                clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.store = store
        self.clock = clock
        schemeName = try store.scheme().name
        self.gate = gate; self.binding = binding; self.limits = limits; self.templates = templates; self.assets = assets
        _port = binding.port
    }

    /// Today in the machine's time zone, by the store's clock.
    func today() -> CalendarDate {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone.current
        let c = cal.dateComponents([.year, .month, .day], from: clock())
        return CalendarDate(String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)) ?? CalendarDate(dayNumber: 0)
    }

    /// Records the real port once the server listens.
    public func listening(on port: Int) { lock.withLock { _port = port } }

    public var port: Int { lock.withLock { _port } }

    /// `http://127.0.0.1:8470`.
    public var baseURL: String { "http://\(binding.urlHost(binding.host)):\(port)" }

    /// The URL to print: the base with a fresh one-time token.
    public func signInURL() -> String { "\(baseURL)/?token=\(gate.issueLink())" }

    /// Host names a test harness uses in place of the real one (HummingbirdTesting sends
    /// `localhost` without a port); empty in a real server.
    var testHosts: Set<String> {
        get { lock.withLock { _testHosts } }
        set { lock.withLock { _testHosts = newValue } }
    }
    private var _testHosts: Set<String> = []

    var allowedHosts: Set<String> { binding.allowedHosts(port: port).union(testHosts) }
    var allowedOrigins: Set<String> { Set(allowedHosts.map { "http://\($0)" }) }

    /// Cookies are shared by every port of a host, so the name carries the port: two schemes
    /// served side by side keep their own sessions.
    var cookieName: String { "peermatch_\(port)" }

    // MARK: - Responses

    /// A rendered page: the template inside the layout, with the session's CSRF token and name.
    func page(_ template: String, title: String, context: WebContext, data: [String: Any], status: HTTPResponse.Status = .ok,
              nav: String? = nil, term: [String: Any]? = nil) -> Response {
        var d = data
        d["pageTitle"] = title
        d["schemeName"] = schemeName
        if let s = context.session {
            d["csrf"] = s.csrf
            d["actor"] = s.actorName
            d["signedIn"] = true
            d["here"] = context.requestPath
            if let flash = gate.takeFlash(session: s.id) { d["flash"] = flash }
        }
        if let nav { d["nav_\(nav)"] = true }
        if let term { d["term"] = term }
        let html = templates.render(template, Self.compact(d) as? [String: Any] ?? d)
        return Self.html(html, status: status)
    }

    /// The data with every empty string a ``Blank``: Mustache treats "" as true in a section
    /// (`{{#note}}`). Dropping the key instead would be worse: a missing key is looked up in the
    /// enclosing sections, so a blank cell in a row would print its parent's value.
    static func compact(_ value: Any) -> Any {
        switch value {
        case let d as [String: Any]:
            var out: [String: Any] = [:]
            for (k, v) in d { if let s = v as? String, s.isEmpty { out[k] = Blank() } else { out[k] = compact(v) } }
            return out
        case let a as [[String: Any]]: return a.map { compact($0) }
        case let a as [Any]: return a.map { compact($0) }
        default: return value
        }
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A 303 to `path` after a POST (so reloading the result does not send the form again), with
    /// a message shown once on the next page.
    func redirect(_ path: String, flash: String? = nil, context: WebContext) -> Response {
        if let flash, let s = context.session { gate.addFlash(flash, session: s.id) }
        return Response.redirect(to: path, type: .normal)
    }

    /// The page shown for any error: refusals before sign-in get no navigation (and no data).
    func errorResponse(_ error: any Error, request: Request, context: WebContext) -> Response {
        let pe: PageError
        switch error {
        case let e as PageError: pe = e
        case let e as StoreError:
            let status: HTTPResponse.Status = switch e.kind {
            case .notFound: .notFound
            case .conflict: .conflict
            case .invalid: .badRequest
            case .database: .internalServerError
            }
            pe = PageError(status, e.kind == .conflict ? "Changed meanwhile" : "That could not be done", e.description)
        case let e as HTTPError where e.status == .notFound:
            pe = .notFound("The page \(request.uri.path)")
        case let e as any HTTPResponseError:
            pe = PageError(e.status, "Request refused", "The request could not be handled (\(e.status.code) \(e.status.reasonPhrase)).")
        default:
            pe = PageError(.internalServerError, "Something went wrong", String(describing: error))
        }
        var data: [String: Any] = ["title": pe.title, "message": pe.message, "status": pe.status.code]
        if context.session != nil { data["back"] = true }
        return page("error", title: pe.title, context: context, data: data, status: pe.status)
    }

    /// Percent-encodes for a URL path segment or query value (unreserved characters kept).
    static func percentEncode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s
    }
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

/// An empty value that prints as nothing and counts as false in a section.
struct Blank: MustacheCustomRenderable {
    var renderText: String { "" }
    var isNull: Bool { true }
}

/// The page templates (Mustache, from the target's resources), loaded once at start.
public struct Templates: Sendable {
    let library: MustacheLibrary

    /// Loads every `.mustache` file of the bundled Templates folder, each with the pages' own
    /// escaping (``PageHTML``: the library's leaves a quote with a combining mark on it as it is).
    public static func bundled() async throws -> Templates {
        guard let dir = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw ServeError("the page templates are missing from the installation (PeerMatchWeb's Templates resource)")
        }
        var library = MustacheLibrary()
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".mustache") }.sorted()
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            do {
                try library.register(PageHTML.pragma + text, named: String(file.dropLast(".mustache".count)))
            } catch {
                throw ServeError("the page template \(file) could not be read: \(error)")
            }
        }
        return Templates(library: library)
    }

    func render(_ name: String, _ data: [String: Any]) -> String {
        library.render(data, withTemplate: name) ?? "<!DOCTYPE html><title>Missing template</title><p>Template \(name) is missing."
    }
}
