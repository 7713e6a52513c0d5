import Hummingbird

/// Per-request state the security middleware fills in for the pages: the signed-in session and,
/// for a POST, its parsed (and CSRF-checked) form.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``SessionMiddleware`` for every request that reaches a page.
    public var session: Gate.Session?
    /// Set by ``FormMiddleware`` for every POST that reaches a page (its `_csrf` already checked).
    public var form: FormData?
    /// The path and query of the request, for forms that come back to the page they are on.
    public var requestPath: String = "/"

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// The session, which every page route has (the middleware refuses requests without one).
    var signedIn: Gate.Session {
        get throws {
            guard let session else { throw PageError(.forbidden, "Not signed in", "Open the link that `peermatch serve` printed.") }
            return session
        }
    }

    /// The POST's form (empty for GET).
    var postedForm: FormData { form ?? FormData() }
}

/// An error a page shows to the co-ordinator: a status, a short title and what to do.
public struct PageError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var title: String
    public var message: String
    public init(_ status: HTTPResponse.Status, _ title: String, _ message: String) {
        self.status = status; self.title = title; self.message = message
    }

    static func notFound(_ what: String) -> PageError {
        PageError(.notFound, "Not found", "\(what) does not exist in this scheme. Go back to the scheme's home page and pick it from the list.")
    }
    static func badForm(_ message: String) -> PageError {
        PageError(.badRequest, "Something in the form needs changing", message)
    }
}
