// `peermatch-bench --timetable [SUITE...|FILE.json] [--time-limit S] [--only TEXT]` (TEXT: cohorts whose name has it): timetabled cohorts solved by the
// default solver, whole pipeline (candidates, solve, checks, explanations) timed. Suites:
//   benchmark  1,000 mentees, 300 mentors, 15 slots, 8 rooms (the README's; default 60 s)
//   example    instances/examples/secondary-timetable.json (120 mentees; default 10 s)
//   small      30-mentee cohorts, seeds 1–3, in every format (one-to-one, pairs-in-room, group),
//              one and two sessions a week, with and without overlapping slots (default 10 s each)
//   school     3,000 mentees, 900 mentors, 25 slots, 15 rooms (default 300 s)
// Each row gives the machine's load average when it finished: the machine is shared, so the
// solver's own work counts (simplex iterations, branch-and-cut nodes) are printed on stderr too.
import Foundation
import PeerMatch

func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "?"
}

/// A generated cohort with a school timetable (`TimetableGenerator`, seed as the people), then
/// changed to the format and sessions a week asked for. `extraSlots` adds, Monday to Friday, a
/// break slot and (with `overlapping`) an early lunch overlapping lunch; people are free at each
/// with the generator's share, drawn from their own seed.
func timetabledCohort(mentees: Int, mentors: Int? = nil, seed: UInt64, slots: Int, rooms: Int, format: SessionFormat = .pairsInRoom,
                      sessionsPerWeek: Int = 1, overlapping: Bool = false, extraSlots: Int = 0) -> Cohort {
    var cohort = CohortGenerator(setting: .secondary, mentees: mentees, mentors: mentors, seed: seed, mentorPool: "Years 8–10",
                                 slots: slots, rooms: rooms).generate()
    var setup = cohort.timetable!
    var rng = SeededRandom(seed: seed &* 7919 &+ 17)
    let days: [Weekday] = [.mon, .tue, .wed, .thu, .fri]
    var added: [Slot] = []
    let kinds: [(String, String, String, String)] = (overlapping ? [("early", "12:15", "12:45", "Early lunch")] : [])
        + [("break", "10:50", "11:10", "Break"), ("club", "13:05", "13:25", "Lunch club")]
    var wanted = (overlapping ? 5 : 0) + extraSlots
    for kind in kinds { for day in days where wanted > 0 {
        added.append(Slot(id: "\(day.rawValue)-\(kind.0)", day: day, start: ClockTime(kind.1)!, end: ClockTime(kind.2)!, label: kind.3))
        wanted -= 1
    } }
    setup.slots += added
    func extend(_ list: [String]?) -> [String]? {
        guard var list else { return nil }
        for s in added where rng.chance(0.65) { list.append(s.id) }
        return list
    }
    for i in cohort.mentors.indices { cohort.mentors[i].availability = extend(cohort.mentors[i].availability) }
    for j in cohort.mentees.indices { cohort.mentees[j].availability = extend(cohort.mentees[j].availability) }
    for r in setup.rooms.indices where setup.rooms[r].availability != nil {
        setup.rooms[r].availability! += added.filter { _ in rng.chance(0.75) }.map(\.id)
    }
    setup.format = format
    setup.term?.sessionsPerWeek = sessionsPerWeek
    cohort.timetable = setup
    return cohort
}

struct TimetableRun {
    var suite: String
    var name: String
    var cohort: Cohort
    var timeLimit: Double
}

func timetableRuns(_ suites: [String], timeLimit: Double?) throws -> [TimetableRun] {
    var runs: [TimetableRun] = []
    for suite in suites {
        switch suite {
        case "benchmark":
            runs.append(TimetableRun(suite: suite, name: "1000 mentees, 300 mentors, 15 slots, 8 rooms",
                                     cohort: timetabledCohort(mentees: 1000, mentors: 300, seed: 2026, slots: 15, rooms: 8),
                                     timeLimit: timeLimit ?? 60))
        case "example":
            let path = "instances/examples/secondary-timetable.json"
            runs.append(TimetableRun(suite: suite, name: path, cohort: try CohortReader.read(path: path), timeLimit: timeLimit ?? 10))
        case "small":
            for format in SessionFormat.allCases { for k in [1, 2] { for overlapping in [false, true] { for seed in UInt64(1)...3 {
                runs.append(TimetableRun(suite: suite, name: "30 mentees, \(format.rawValue), \(k)/week\(overlapping ? ", overlapping" : ""), seed \(seed)",
                                         cohort: timetabledCohort(mentees: 30, seed: seed, slots: 10, rooms: 3, format: format,
                                                                  sessionsPerWeek: k, overlapping: overlapping),
                                         timeLimit: timeLimit ?? 10))
            } } } }
        case "school":
            runs.append(TimetableRun(suite: suite, name: "3000 mentees, 900 mentors, 25 slots, 15 rooms",
                                     cohort: timetabledCohort(mentees: 3000, mentors: 900, seed: 2026, slots: 15, rooms: 15, extraSlots: 10),
                                     timeLimit: timeLimit ?? 300))
        case let path where path.hasSuffix(".json"):
            // A cohort file (a scheme's `scheme cohort`, a reproducer): solved like the others.
            runs.append(TimetableRun(suite: "file", name: path, cohort: try CohortReader.read(path: path), timeLimit: timeLimit ?? 10))
        default:
            throw InputError(file: "peermatch-bench", "unknown timetable suite \(suite): benchmark, example, small, school or a cohort FILE.json")
        }
    }
    return runs
}

/// `peermatch-bench --timetable SUITE --write-cohorts DIR`: the suite's cohorts as JSON files
/// (to solve them with `peermatch solve`, or export their models for another solver).
func writeTimetableCohorts(_ suites: [String], to dir: String) throws {
    // Checked first, so that nothing is written when the folder is wrong.
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw InputError(file: dir, "--write-cohorts: no such folder; create it first (mkdir -p \(dir)) or name an existing one")
    }
    for (n, run) in try timetableRuns(suites, timeLimit: nil).enumerated() {
        let name = String(format: "%02d-", n + 1) + run.name.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        try AtomicFile.write(CohortWriter.json(run.cohort).rendered(), to: dir + "/" + name + ".json")
    }
}

func timetableBenchmark(_ suites: [String], timeLimit: Double?, only: String? = nil) throws {
    print("| suite | cohort | format | k | candidate pairs | limit s | seconds | status | matched | objective | bound | gap | peak MiB | load |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for run in try timetableRuns(suites, timeLimit: timeLimit) where only.map({ run.name.contains($0) }) ?? true {
        let matcher = Matcher(options: SolveOptions(timeLimit: run.timeLimit))
        var result: MatchResult!
        let t = try seconds { result = try matcher.match(run.cohort) }
        let setup = run.cohort.timetable!
        let gap = result.gap.map { String(format: "%.3f%%", $0 * 100) } ?? "n/a"
        print(String(format: "| %@ | %@ | %@ | %d | %d | %.0f | %.2f | %@ | %d | %.2f | %@ | %@ | %.0f | %@ |",
                     run.suite, run.name, setup.format.rawValue, setup.sessionsPerWeek, result.stats.candidates, run.timeLimit, t,
                     result.status.rawValue, result.matched, Score.points(result.objectiveHundredths),
                     result.bound.map { String(format: "%.2f", $0) } ?? "n/a", gap, peakMemoryMiB(), loadAverage()))
        FileHandle.standardError.write(Data("\(run.name): \(result.timetable?.approach ?? "")\n  \(result.stats.rawStatus)\n".utf8))
    }
}
