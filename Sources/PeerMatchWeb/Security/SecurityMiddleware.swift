import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The headers every response carries, pages, files and refusals alike.
///
/// The Content-Security-Policy is the one the issue gives, word for word: everything from this
/// origin only (so no script, style, font or image from anywhere else can run or be fetched),
/// forms post only here, no framing (clickjacking), no plug-ins, no `<base>` redirection.
/// `no-referrer` keeps the page's URLs (which name terms and people) out of any request the
/// browser makes elsewhere; `nosniff` stops a browser from running an upload as script.
/// `no-store` keeps pupils' data out of the browser's disk cache (the assets may be cached).
public enum SecurityHeaders {
    public static let contentSecurityPolicy =
        "default-src 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'"

    static func apply(_ response: inout Response, cacheable: Bool) {
        response.headers[.contentSecurityPolicy] = contentSecurityPolicy
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.cacheControl] = cacheable ? "private, max-age=3600" : "no-store"
    }
}

/// Outermost: turns every error into a page and puts ``SecurityHeaders`` on every response.
struct SecureHeadersMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let site: Site

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = site.errorResponse(error, request: request, context: context)
        }
        SecurityHeaders.apply(&response, cacheable: request.uri.path.hasPrefix("/assets/") && response.status == .ok)
        return response
    }
}

/// Refuses requests whose `Host` does not name this server (DNS rebinding): a page on
/// `evil.example` that resolves its name to 127.0.0.1 reaches this port with `Host: evil.example`.
struct HostCheckMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let site: Site

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // HTTP/1.1's Host header arrives as the request's authority.
        let host = (request.head.authority ?? "").lowercased()
        guard site.allowedHosts.contains(host) else {
            throw PageError(.misdirectedRequest, "Wrong address",
                            "This page answers only at \(site.baseURL). Open the link that `peermatch serve` printed.")
        }
        return try await next(request, context)
    }
}

/// Lets through only the browser holding the session cookie; turns the printed one-time link
/// into that cookie.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let site: Site

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.uri.queryParameters["token"].map(String.init) {
            guard request.method == .get, let session = site.gate.redeem(token) else {
                throw PageError(.forbidden, "This link has been used",
                                "Each link that `peermatch serve` prints opens the page once. Press Enter in the terminal where it runs to get a new link.")
            }
            // Set the cookie, then load the same page without the token so it leaves the address bar and history.
            var query = request.uri.queryParameters
            query["token"] = nil
            var target = request.uri.path
            let rest = query.map { "\(Site.percentEncode(String($0.key)))=\(Site.percentEncode(String($0.value)))" }.sorted()
            if !rest.isEmpty { target += "?" + rest.joined(separator: "&") }
            var response = Response.redirect(to: target, type: .found)
            response.setCookie(Cookie(name: site.cookieName, value: session.id, path: "/", secure: false, httpOnly: true, sameSite: .strict))
            return response
        }
        guard let id = request.cookies[site.cookieName]?.value, let session = site.gate.session(id) else {
            throw PageError(.forbidden, "Open the printed link",
                            "This page shows pupils' data, so it opens only from the link that `peermatch serve` printed in its terminal. Press Enter there to get a new link.")
        }
        context.session = session
        context.requestPath = request.uri.string
        return try await next(request, context)
    }
}

/// For every POST: reads the body within its cap, parses the form and checks its CSRF token
/// (and, as a second line, that the browser says the form came from this origin).
struct FormMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let site: Site

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post else { return try await next(request, context) }
        var request = request
        var context = context
        let session = try context.signedIn
        // Under Referrer-Policy no-referrer browsers send `Origin: null` with this page's own forms,
        // so "null" tells nothing; a named origin that is not this page's is refused.
        if let origin = request.headers[.origin], origin != "null", !site.allowedOrigins.contains(origin.lowercased()) {
            throw PageError(.forbidden, "Form from another site", "This form was sent from \(origin), not from this page. Nothing was changed.")
        }
        if let fetchSite = request.headers[HTTPField.Name("Sec-Fetch-Site")!], fetchSite == "cross-site" {
            throw PageError(.forbidden, "Form from another site", "This form was sent by another website. Nothing was changed.")
        }
        let type = request.headers[.contentType] ?? ""
        let form: FormData
        if type.lowercased().hasPrefix("multipart/form-data") {
            guard let boundary = FormData.boundary(ofContentType: type) else { throw PageError.badForm("The upload arrived without its boundary; send the form again.") }
            let body = try await collect(&request, upTo: site.limits.uploadBytes, what: "upload")
            do { form = try FormData.multipart(body, boundary: boundary) } catch {
                throw PageError.badForm("The upload arrived damaged; send the form again.")
            }
        } else {
            let body = try await collect(&request, upTo: site.limits.formBytes, what: "form")
            form = FormData.urlEncoded(String(buffer: body))
        }
        guard let token = form.value("_csrf"), Gate.constantTimeEqual(token, session.csrf) else {
            throw PageError(.forbidden, "The form has expired",
                            "The form did not carry this session's security token (it may come from an earlier session or another site). Nothing was changed; go back, reload the page and try again.")
        }
        context.form = form
        return try await next(request, context)
    }

    private func collect(_ request: inout Request, upTo limit: Int, what: String) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw PageError.tooLarge(what, limit: limit)
        }
        do { return try await request.collectBody(upTo: limit) } catch is NIOTooManyBytesError {
            throw PageError.tooLarge(what, limit: limit)
        }
    }
}

extension PageError {
    static func tooLarge(_ what: String, limit: Int) -> PageError {
        PageError(.contentTooLarge, "Too large",
                  "The \(what) is larger than the \(limit / 1_048_576) MB this page accepts. Nothing was saved. Save the spreadsheet with only the pupils' sheet, or as CSV, and upload it again.")
    }
}
