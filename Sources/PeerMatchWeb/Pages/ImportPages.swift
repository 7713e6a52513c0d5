import Foundation
import Hummingbird
import PeerMatch
import PeerMatchStore

/// Journey 1: upload the two spreadsheets, check the columns and every problem, fix cells in the
/// page or upload again, then save into the term.
enum ImportPages {
    static func add(to router: Router<WebContext>, site: Site) {
        router.get("/terms/:term/import") { _, context in try uploadForm(site, context) }
        router.post("/terms/:term/import") { _, context in try upload(site, context) }
    }

    static func uploadForm(_ site: Site, _ context: WebContext, problems: [String] = [], status: HTTPResponse.Status = .ok) throws -> Response {
        let id = try TermPage.termID(context)
        let detail = try site.store.term(id)
        let t = detail.summary
        let data: [String: Any] = [
            "uploadURL": TermPaths(id: id).sub("import"), "problems": problems, "hasProblems": !problems.isEmpty,
            "mentors": t.mentors, "mentees": t.mentees, "hasPeople": t.mentees + t.mentors > 0,
            "timetabled": t.timetabled, "maxMB": site.limits.uploadBytes / 1_048_576,
        ]
        return site.page("import", title: "Import · \(t.name)", context: context, data: data, status: status, nav: "import",
                         term: site.termNav(id, name: t.name))
    }

    /// The uploaded files as the store takes them; nil with the problem when a required one is missing.
    static func files(_ form: FormData) -> (ImportFiles?, [String]) {
        var problems: [String] = []
        let mentors = form.file("mentors"), mentees = form.file("mentees")
        if mentors == nil { problems.append("Choose the mentors' spreadsheet.") }
        if mentees == nil { problems.append("Choose the mentees' spreadsheet.") }
        guard let mentors, let mentees else { return (nil, problems) }
        func file(_ f: UploadedFile) -> ImportFile { ImportFile(name: f.filename.isEmpty ? f.field : f.filename, data: f.data) }
        return (ImportFiles(mentors: file(mentors), mentees: file(mentees),
                            exclusions: form.file("exclusions").map(file), locked: form.file("locked").map(file)), [])
    }

    static func upload(_ site: Site, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let actor = Actor(try context.signedIn.actorName)
        let (files, missing) = files(context.postedForm)
        guard let files else { return try uploadForm(site, context, problems: missing, status: .badRequest) }
        do {
            let summary = try site.store.importSpreadsheets(term: id, files: files, by: actor)
            return site.redirect(TermPaths(id: id).sub("matches"), flash: "Saved: " + summary.line, context: context)
        } catch let e as StoreError {
            return try uploadForm(site, context, problems: [e.description], status: .badRequest)
        }
    }
}
