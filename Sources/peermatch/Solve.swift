import ArgumentParser
import Foundation
import PeerMatch

struct Solve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Match a cohort: pairs with reasons, the unmatched with reasons, and the shortfalls.")

    @Argument(help: "Cohort file (JSON).") var cohort: String
    @OptionGroup var policy: PolicyOption
    @Option(help: "auto (the fastest exact solver for the cohort), glpk, paths (shortest augmenting paths), lemon (LEMON's network simplex), flow (cost scaling) or greedy.")
    var solver: SolverChoice = .auto
    @Option(name: .customLong("time-limit"), help: "Seconds for the whole command (every stage and the greedy fallback); past it the best matching found is returned, and the result says which stage the limit cut.")
    var timeLimit: Double = 60
    @Option(name: .customLong("work-limit"), help: "Work units for the whole command (deterministic: a run cut by work is reproduced byte for byte; stats.work shows what a run used).")
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

    func validate() throws {
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be positive") }
        if let workLimit, workLimit <= 0 { throw ValidationError("--work-limit must be positive") }
        guard (0...1).contains(gap) else { throw ValidationError("--gap must be between 0 and 1") }
        if maxChanges != nil && previous == nil { throw ValidationError("--max-changes needs --previous") }
        if let maxChanges, maxChanges < 0 { throw ValidationError("--max-changes must be 0 or more") }
    }

    func run() throws {
        // One set of limits for the whole command, from its start: reading, every solve, the fallback.
        let limits = SolveLimits(timeLimit: timeLimit, workLimit: workLimit)
        let policy = try policy.load()
        let cohort = try CohortReader.read(path: self.cohort, policy: policy)
        let matcher = Matcher(policy: policy, solver: solver,
                              options: SolveOptions(timeLimit: timeLimit, gap: gap, workLimit: workLimit, limits: limits), seed: seed)
        let earlier = try previous.map { try PreviousResult.read(path: $0) }
        let result = try matcher.match(cohort, previous: earlier, maxChanges: maxChanges)
        let inputs = [self.cohort] + self.policy.files + (previous.map { [$0] } ?? [])
        // Every timetable file is rendered before anything is written, so a problem writes nothing.
        var files: [(text: String, path: String)] = []
        var view: TimetableView? = nil
        if timetable != nil || calendar != nil || html != nil {
            let title = URL(fileURLWithPath: self.cohort).deletingPathExtension().lastPathComponent
            let built = try TimetableView(result: result, cohort: cohort, title: title)
            if let path = timetable { files.append((try TimetableCSV.render(built), path)) }
            if let path = html { files.append((try HTMLReport.render(built), path)) }
            view = built
        }
        try emit(ResultWriter.render(result, cohort: cohort, format: format, timings: timings, workShown: workLimit != nil),
                 to: out, inputs: inputs)
        for file in files { try AtomicFile.write(file.text, to: file.path, protecting: inputs) }
        if let view, let folder = calendar { _ = try ICalendarWriter.write(view, toDirectory: folder, protecting: inputs) }
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
