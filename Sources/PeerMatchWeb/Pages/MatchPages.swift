import Foundation
import Hummingbird
import NIOCore
import PeerMatch
import PeerMatchStore
import ServiceLifecycle

/// Journey 2: one Match button, the run's progress (stage and elapsed) while it solves, then the
/// pairs. Progress reaches the page by server-sent events when script runs, and by a one-second
/// refresh of the progress page when it does not.
enum MatchPages {
    static func add(to router: Router<WebContext>, site: Site) {
        router.post("/terms/:term/match") { _, context in try start(site, context) }
        router.get("/terms/:term/match") { _, context in try progress(site, context) }
        router.get("/terms/:term/match/status") { _, context in try status(site, context) }
        router.get("/terms/:term/match/events") { _, context in try events(site, context) }
    }

    static func start(_ site: Site, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let session = try context.signedIn
        _ = try site.store.term(id)   // a clear "no such term" before any thread starts
        let form = context.postedForm
        var options = MatchOptions()
        if let s = form.value("solver"), let solver = SolverChoice(rawValue: s) { options.solver = solver }
        if let t = form.value("timeLimit").flatMap(Double.init), t > 0, t <= 3600 { options.timeLimit = t }
        options.note = form.value("note")
        _ = site.jobs.start(term: id, store: site.store, options: options, by: Actor(session.actorName))
        return site.redirect(TermPaths(id: id).sub("match"), context: context)
    }

    /// The progress page; once the run is over, the pairs (with what the run did as a message).
    static func progress(_ site: Site, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        let paths = TermPaths(id: id)
        guard let job = site.jobs.snapshot(id) else { return site.redirect(paths.sub("matches"), context: context) }
        if !job.running {
            if site.jobs.announce(id) {
                return site.redirect(paths.sub("matches"), flash: outcome(job), context: context)
            }
            return site.redirect(paths.sub("matches"), context: context)
        }
        let t = try site.store.term(id).summary
        var data = view(job)
        data["statusURL"] = paths.sub("match/status")
        data["eventsURL"] = paths.sub("match/events")
        data["matchesURL"] = paths.sub("matches")
        data["progressURL"] = paths.sub("match")
        data["heading"] = "Matching"
        data["isMatch"] = true
        return site.page("progress", title: "Matching \(t.name)", context: context, data: data, nav: "matches",
                         term: site.termNav(id, name: t.name))
    }

    /// The run's state as JSON (for a script that polls instead of listening to events).
    static func status(_ site: Site, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        guard let job = site.jobs.snapshot(id) else { throw PageError.notFound("A match run of \(id)") }
        return json(json(job))
    }

    /// Server-sent events: the run's state every quarter second until it ends, then one `done` event.
    static func events(_ site: Site, _ context: WebContext) throws -> Response {
        let id = try TermPage.termID(context)
        guard site.jobs.snapshot(id) != nil else { throw PageError.notFound("A match run of \(id)") }
        let jobs = site.jobs
        return eventStream { jobs.snapshot(id).map { ($0.running, json($0)) } }
    }

    /// A job's state as server-sent events: every quarter second while it runs (its elapsed time
    /// moves on), then one `done` event. `state` gives (running, the JSON line), nil once the job is gone.
    static func eventStream(_ state: @escaping @Sendable () -> (Bool, String)?) -> Response {
        let body = ResponseBody { writer in
            var last = ""
            while true {
                guard let (running, text) = state() else { break }
                if text != last || running {
                    try await writer.write(ByteBuffer(string: "event: \(running ? "progress" : "done")\ndata: \(text)\n\n"))
                    last = text
                }
                // A stopping server (Ctrl-C) ends the stream rather than wait for the run.
                if !running || Task.isShuttingDownGracefully { break }
                try await Task.sleep(nanoseconds: 250_000_000)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }

    // MARK: - Views

    static let stageWords: [SchemeMatchProgress.Stage: String] = [
        .reading: "Reading the term", .building: "Building the cohort", .solving: "Finding the best pairs",
        .storing: "Saving the pairs", .done: "Done",
    ]

    /// The bar counts stages finished, out of the four working ones (reading, building, solving,
    /// storing): 0 while starting or reading, 4 when done. It moves only when a stage ends, so it
    /// never goes back, and it never claims work that has not been done (it used to show a fifth
    /// at "Starting"). The solver's own counts are in the words beside it, not the bar: they run
    /// per solver stage and start again at each.
    static func stagesDone(_ stage: SchemeMatchProgress.Stage?) -> Int {
        guard let stage, let k = SchemeMatchProgress.Stage.allCases.firstIndex(of: stage) else { return 0 }
        return k
    }
    static let workingStages = SchemeMatchProgress.Stage.allCases.count - 1

    static func view(_ job: some JobProgress) -> [String: Any] {
        let stage = job.progress?.stage
        // While solving, the core's own stage ("min-cost flow, stage 2 of 3 (1,200 of 2,000)") says most.
        var message = job.progress?.message ?? "starting"
        if stage == .solving, let s = job.progress?.solver {
            message = s.stage
            if let done = s.done, let total = s.total { message += " (\(done) of \(total))" } else if let done = s.done { message += " (\(done))" }
        }
        return ["stage": stage.flatMap { stageWords[$0] } ?? "Starting",
                "message": message,
                "elapsed": Format.seconds(job.elapsed(now: Date())),
                "step": stagesDone(stage), "steps": workingStages,
                "by": job.by, "running": job.running]
    }

    /// The run's state as one line of JSON (for the status URL and the event stream's `data:` line).
    static func json(_ job: MatchJobs.Snapshot) -> String { json(job, outcome: job.running ? nil : outcome(job)) }

    /// A job's state as one line of JSON, with `outcome` (one line on what it did) once it is over.
    static func json(_ job: some JobProgress, outcome: String?) -> String {
        let v = view(job)
        var fields: [(String, JSONValue)] = [
            ("stage", .string(v["stage"] as! String)), ("message", .string(v["message"] as! String)),
            ("elapsed", .string(v["elapsed"] as! String)), ("step", .number(Double(v["step"] as! Int))),
            ("steps", .number(Double(v["steps"] as! Int))), ("running", .bool(job.running)),
        ]
        if let outcome { fields.append(("outcome", .string(outcome))) }
        // Newlines inside strings are escaped, so the pretty form joins into one line.
        return JSONValue.object(fields).rendered().split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
    }

    static func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// One line on what a finished run did.
    static func outcome(_ job: MatchJobs.Snapshot) -> String {
        if let f = job.failure { return "The match did not run: \(f)" }
        guard let s = job.summary else { return "The match finished." }
        if s.status == .infeasible {
            return "No matching meets every hard rule: " + (s.diagnosis.first ?? "see the run's notes") + " No pair was changed."
        }
        var line = "Matched \(s.matched) of \(s.mentees) mentees in \(Format.seconds(s.seconds)): \(s.proposed) new proposals, \(s.kept) approved or locked pairs kept."
        if s.status == .feasible { line += " The time limit ran out before the best matching was proven; these are good pairs, possibly not the best." }
        if let why = s.fallbackReason { line += " Quick (greedy) pairs were used: \(why)." }
        return line
    }
}
