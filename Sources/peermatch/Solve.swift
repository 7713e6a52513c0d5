import ArgumentParser
import Foundation
import PeerMatch

struct Solve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Match a cohort: pairs with reasons, the unmatched with reasons, and the shortfalls.")

    @Argument(help: "Cohort file (JSON); with --programs, a CSI2120 residents file (CSV).") var cohort: String
    @Option(help: "Read COHORT as a uOttawa CSI2120 residents file (id,firstname,lastname,rol; rol written \"[P1,P2]\") and this as its programs file (id,name,numberOfPos,rol): residents become mentees, programmes mentors with numberOfPos places, a pair is allowed when each lists the other. Without --policy the hospitals/residents policy applies: method stable, residents propose, no other rule or score.")
    var programs: String?
    @OptionGroup var policy: PolicyOption
    @Option(help: "auto (the fastest exact solver for the cohort), glpk, paths (shortest augmenting paths), lemon (LEMON's network simplex), flow (cost scaling) or greedy.")
    var solver: SolverChoice = .auto
    @Option(name: .customLong("time-limit"), help: "Seconds for the whole command from its start (reading, every stage, every threshold solve of method fair, the greedy fallback); past it the best matching found is returned, and the result says which stage the limit cut.")
    var timeLimit: Double = 60
    @Option(name: .customLong("work-limit"),
            help: "A limit in units of solver work (simplex iterations, flow steps, arcs scanned, greedy searches) for the whole command, beside --time-limit: unlike it, a run cut by it gives the same result on any machine (stats.work shows what a run used).")
    var workLimit: Int?
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
            help: "Write the model as FILE.lp (CPLEX LP) or FILE.mps (free MPS), one file per lexicographic stage: FILE.stage1.lp, FILE.stage2.lp, ... (each stage's objective, the stages before it held at the values this run reached), to check the result with another solver. Written after the solve and outside --time-limit and --work-limit: a model cut short could not be checked, so it is always written whole (every session column, which can take minutes for a large cohort).")
    var exportModel: String?
    @Option(help: "Title of the HTML page and calendars (default: the cohort's \"title\", else one made from the term's dates).")
    var title: String?
    @Flag(help: "Say what the solve is doing on stderr (shown anyway when stderr is a terminal).")
    var progress = false

    func validate() throws {
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be positive") }
        if let workLimit, workLimit <= 0 { throw ValidationError("--work-limit must be positive") }
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

    @Option(name: .customLong("on-interrupt"),
            help: "On SIGINT/SIGTERM: stop (write nothing) or write-best (stop the solve at its next check and write the best result found so far; a second signal stops at once).")
    var onInterrupt: Interruption.Mode = .stop
    @OptionGroup var limits: ReadLimitOptions

    func run() throws {
        // One set of limits for the whole command, from its start: reading, every solve, the fallback.
        let runLimits = SolveLimits(timeLimit: timeLimit, workLimit: workLimit)
        limits.apply()
        Interruption.install(mode: onInterrupt)
        let inputs = [self.cohort] + self.policy.files + (previous.map { [$0] } ?? []) + (programs.map { [$0] } ?? [])
        // Every destination is checked before anything is read or solved, and written only
        // once every output is rendered: all of them, or none.
        var plan = OutputPlan(protecting: inputs)
        let resultOut = try plan.file(out, option: "--out")
        let timetableOut = try timetable.map { try plan.file($0, option: "--timetable") }
        let htmlOut = try html.map { try plan.file($0, option: "--html") }
        let calendarOut = try calendar.map { try plan.folder($0, option: "--calendar") }

        let policy = programs != nil && self.policy.policy == nil ? HospitalResidents.policy : try policy.load()
        let earlier = try previous.map { try PreviousResult.read(path: $0) }
        // With --previous, people of the earlier result who are no longer in the file have left:
        // references to them are ignored with a warning instead of failing.
        let departed = Set(earlier?.pairs.flatMap { [$0.mentor.rawValue, $0.mentee.rawValue] } ?? [])
        let cohort = try programs.map { try HospitalResidents.csi2120(residents: self.cohort, programs: $0) }
            ?? readCohort(self.cohort, policy: policy, departed: departed)
        var matcher = Matcher(policy: policy, solver: solver, options: SolveOptions(timeLimit: timeLimit, gap: gap, workLimit: workLimit, limits: runLimits),
                              seed: seed)
        let line = ProgressLine(forced: progress)
        matcher.progress = line?.handler
        var result: MatchResult
        do { result = try matcher.match(cohort, previous: earlier, maxChanges: maxChanges); line?.finish() } catch { line?.finish(); throw error }
        if let by = Interruption.requestedBy {
            let note = "stopped early by \(by) (--on-interrupt write-best): this is the best result found by then"
                + (result.status == .optimal ? "; it was already proven optimal" : ", not a proven optimum")
            result.notes.append(note)
            warn("note: " + note)
        }
        if timetableOut != nil || calendarOut != nil || htmlOut != nil {
            let view = try TimetableView(result: result, cohort: cohort, title: title ?? cohort.displayTitle)
            if let timetableOut { plan.set(timetableOut, text: try TimetableCSV.render(view)) }
            if let htmlOut { plan.set(htmlOut, text: try HTMLReport.render(view)) }
            if let calendarOut { plan.set(calendarOut, files: try ICalendarWriter.files(for: view).map { ($0.name, Data($0.text.utf8)) }) }
        }
        // One model file per solver stage: how many is known only now, so they join the plan
        // here (checked like the others, and written in the same all-or-none commit).
        // Outside the limits (see the option's help): the solve has stopped by now, so the time
        // it takes is said on stderr, apart from the solve's own.
        if let path = exportModel, let modelFormat = ModelFileFormat(path: path) {
            let exportStart = Date()
            let files = try matcher.modelFiles(for: cohort, result: result, previous: earlier, maxChanges: maxChanges, format: modelFormat)
            for m in files {
                plan.set(try plan.file(Self.stagePath(path, stage: m.stage), option: "--export-model"), text: m.text)
            }
            warn("note: --export-model built \(files.count) model file\(files.count == 1 ? "" : "s") in \(String(format: "%.1f", Date().timeIntervalSince(exportStart))) s after the solve, outside --time-limit and --work-limit (a model cut short could not be checked)")
        }
        plan.set(resultOut, text: ResultWriter.render(result, cohort: cohort, format: format, timings: timings, workShown: workLimit != nil))
        try plan.commit()
        if let why = result.fallbackReason { warn("note: greedy result returned: \(why)") }
        if result.status == .stopped {
            warn("stopped: " + result.notes.joined(separator: "\n"))
            throw ExitCode(3)
        }
        if result.status == .infeasible {
            warn("infeasible: " + result.diagnosis.joined(separator: "\n"))
            throw ExitCode(1)
        }
    }
}
