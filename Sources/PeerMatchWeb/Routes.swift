import Hummingbird

/// Every route of the page, behind the security middleware (outermost first: headers and error
/// pages, Host check, session, form and CSRF check).
enum Routes {
    static func router(site: Site) -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.add(middleware: SecureHeadersMiddleware(site: site))
        router.add(middleware: HostCheckMiddleware(site: site))
        router.add(middleware: SessionMiddleware(site: site))
        router.add(middleware: FormMiddleware(site: site))

        router.get("/assets/:name") { _, context in
            try site.assets.response(context.parameters.require("name"))
        }
        router.post("/me") { request, context in
            let session = try context.signedIn
            guard let name = context.postedForm.value("name"), name.count <= 80 else {
                throw PageError.badForm("Type the name your changes should be recorded under (up to 80 characters).")
            }
            site.gate.setActorName(name, session: session.id)
            let back = context.postedForm.value("back").flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") ? $0 : nil } ?? "/"
            return site.redirect(back, flash: "Changes will be recorded as \(name).", context: context)
        }
        SchemePages.add(to: router, site: site)
        TermPage.add(to: router, site: site)
        MatchPages.add(to: router, site: site)
        PairsPage.add(to: router, site: site)
        ImportPages.add(to: router, site: site)
        ExplainPages.add(to: router, site: site)
        TimetablePages.add(to: router, site: site)
        DuringTermPages.add(to: router, site: site)
        ReportPages.add(to: router, site: site)
        return router
    }
}
