import ArgumentParser
import Foundation
import PeerMatch

struct Solve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Match a cohort: pairs with reasons, the unmatched with reasons, and the shortfalls.")

    @Argument(help: "Cohort file (JSON).") var cohort: String
    @OptionGroup var policy: PolicyOption
    @Option(help: "glpk (exact; large matchings by min-cost flow), flow (exact min-cost flow) or greedy (no GLPK).") var solver: SolverChoice = .glpk
    @Option(name: .customLong("time-limit"), help: "Seconds for GLPK; past it the best matching found is returned.")
    var timeLimit: Double = 60
    @Option(help: "Relative optimality gap at which GLPK may stop (0 = prove optimal).") var gap: Double = 0
    @Option(help: "Output file (default: stdout). Written whole or not at all.") var out: String?
    @Option(help: "json, csv or table.") var format: OutputFormat = .json
    @Option(help: "Seed of the tie-breaking lottery (method stable) and the random scores (method random).")
    var seed: UInt64 = 0
    @Flag(help: "Include solve seconds in the output (makes output differ between runs).") var timings = false
    @Option(help: "Re-match after a change: an earlier result (JSON) whose pairs and sessions stay where they can.")
    var previous: String?
    @Option(name: .customLong("max-changes"), help: "With --previous: how many still-possible earlier sessions may change (default 0).")
    var maxChanges: Int?
    @Option(help: "Timetabled cohorts: write one CSV row per session date (date, day, start, end, room, mentor, mentees).")
    var timetable: String?
    @Option(help: "Timetabled cohorts: write iCalendar files, one per room and one per person, into this folder.")
    var calendar: String?
    @Option(help: "Timetabled cohorts: write a printable, self-contained HTML page (week grid, pairs, unmatched).")
    var html: String?
    @Option(name: .customLong("export-model"),
            help: "Write the model as FILE.lp (CPLEX LP) or FILE.mps (free MPS), one file per lexicographic stage: FILE.stage1.lp, FILE.stage2.lp, ... (each stage's objective, the stages before it held at the values this run reached), to check the result with another solver.")
    var exportModel: String?
    @Option(help: "Title of the HTML page and calendars (default: the cohort's \"title\", else one made from the term's dates).")
    var title: String?
    @Flag(help: "Say what the solve is doing on stderr (shown anyway when stderr is a terminal).")
    var progress = false

    func validate() throws {
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be positive") }
        guard (0...1).contains(gap) else { throw ValidationError("--gap must be between 0 and 1") }
        if maxChanges != nil && previous == nil { throw ValidationError("--max-changes needs --previous") }
        if let maxChanges, maxChanges < 0 { throw ValidationError("--max-changes must be 0 or more") }
        if let path = exportModel, ModelFileFormat(path: path) == nil {
            throw ValidationError("--export-model needs a file name ending in .lp or .mps (got \(path))")
        }
    }

    /// FILE.lp → FILE.stage2.lp.
    static func stagePath(_ path: String, stage: Int) -> String {
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension
        return url.deletingPathExtension().path + ".stage\(stage)." + ext
    }

    func run() throws {
        let policy = try policy.load()
        let earlier = try previous.map { try PreviousResult.read(path: $0) }
        // With --previous, people of the earlier result who are no longer in the file have left:
        // references to them are ignored with a warning instead of failing.
        let departed = Set(earlier?.pairs.flatMap { [$0.mentor.rawValue, $0.mentee.rawValue] } ?? [])
        let cohort = try readCohort(self.cohort, policy: policy, departed: departed)
        var matcher = Matcher(policy: policy, solver: solver, options: SolveOptions(timeLimit: timeLimit, gap: gap),
                              seed: seed)
        let line = ProgressLine(forced: progress)
        matcher.progress = line?.handler
        let result: MatchResult
        do { result = try matcher.match(cohort, previous: earlier, maxChanges: maxChanges); line?.finish() } catch { line?.finish(); throw error }
        let inputs = [self.cohort] + self.policy.files + (previous.map { [$0] } ?? [])
        // Every timetable file is rendered before anything is written, so a problem writes nothing.
        var files: [(text: String, path: String)] = []
        var view: TimetableView? = nil
        if timetable != nil || calendar != nil || html != nil {
            let built = try TimetableView(result: result, cohort: cohort, title: title ?? cohort.displayTitle)
            if let path = timetable { files.append((try TimetableCSV.render(built), path)) }
            if let path = html { files.append((try HTMLReport.render(built), path)) }
            view = built
        }
        if let path = exportModel, let modelFormat = ModelFileFormat(path: path) {
            let relative = !path.hasPrefix("/")
            for m in try matcher.modelFiles(for: cohort, result: result, previous: earlier, maxChanges: maxChanges, format: modelFormat) {
                let full = Self.stagePath(path, stage: m.stage)
                files.append((m.text, relative && !path.contains("/") ? URL(fileURLWithPath: full).lastPathComponent : full))
            }
        }
        try emit(ResultWriter.render(result, cohort: cohort, format: format, timings: timings), to: out, inputs: inputs)
        for file in files { try AtomicFile.write(file.text, to: file.path, protecting: inputs) }
        if let view, let folder = calendar { _ = try ICalendarWriter.write(view, toDirectory: folder, protecting: inputs) }
        if let why = result.fallbackReason { warn("note: greedy result returned: \(why)") }
        if result.status == .infeasible {
            warn("infeasible: " + result.diagnosis.joined(separator: "\n"))
            throw ExitCode(1)
        }
    }
}
