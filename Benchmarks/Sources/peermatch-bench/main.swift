// Benchmark (not a test): generated cohorts of 200, 2,000 and 20,000 mentees, mentors a third as
// many (capacity 1–3, about 6 interests from 40). Prints seconds per stage, peak memory and the
// greedy/optimal score ratio. Run: swift run -c release peermatch-bench [sizes...] [--time-limit S]
// Timetables: swift run -c release peermatch-bench --timetable [--time-limit S] (1,000 mentees,
// 300 mentors, 15 slots, 8 rooms; prints seconds, memory, matched against its bound, and the gap).
import Foundation
import PeerMatch

func peakMemoryMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024   // Linux reports KiB
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = Date()
    try body()
    return Date().timeIntervalSince(start)
}

var sizes: [Int] = []
var timeLimit = 120.0
var timetable = false
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    if a == "--time-limit", let v = args.popFirst().flatMap(Double.init) { timeLimit = v }
    else if a == "--timetable" { timetable = true }
    else if let n = Int(a) { sizes.append(n) }
}

// Timetables: 1,000 mentees, 300 mentors, 15 slots, 8 rooms (secondary setting, seed 2026).
if timetable {
    print("| mentees | mentors | slots | rooms | candidate pairs | generate s | solve s | status | approach | matched (bound) | objective | bound | gap | peak MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in sizes.isEmpty ? [1000] : sizes {
        var cohort = Cohort(mentors: [], mentees: [])
        let mentors = n * 3 / 10
        let tGen = seconds { cohort = CohortGenerator(setting: .secondary, mentees: n, mentors: mentors, seed: 2026, slots: 15, rooms: 8).generate() }
        let matcher = Matcher(options: SolveOptions(timeLimit: timeLimit))
        var result: MatchResult!
        let tSolve = try seconds { result = try matcher.match(cohort) }
        let gap = result.gap.map { String(format: "%.4f%%", $0 * 100) } ?? "n/a"
        let approach = result.timetable?.approach.hasPrefix("decomposed") == true ? "decomposed" : (result.timetable?.approach ?? "")
        print(String(format: "| %d | %d | 15 | 8 | %d | %.2f | %.2f | %@ | %@ | %d (%@) | %.2f | %@ | %@ | %.0f |",
                     n, mentors, result.stats.candidates, tGen, tSolve, result.status.rawValue, approach, result.matched,
                     result.timetable?.matchedBound.map(String.init) ?? "—", Score.points(result.objectiveHundredths),
                     result.bound.map { String(format: "%.2f", $0) } ?? "n/a", gap, peakMemoryMiB()))
        FileHandle.standardError.write(Data(((result.timetable?.approach ?? "") + "\n" + result.stats.rawStatus + "\n").utf8))
    }
    exit(0)
}
if sizes.isEmpty { sizes = [200, 2000, 20000] }

print("| mentees | mentors | candidate pairs | generate s | candidates s | GLPK solve s | status | gap | greedy s | greedy/optimal score | matched (opt/greedy) | peak MiB |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for n in sizes {
    var cohort = Cohort(mentors: [], mentees: [])
    let tGen = seconds { cohort = CohortGenerator(setting: .secondary, mentees: n, seed: 2026).generate() }
    let matcher = Matcher(options: SolveOptions(timeLimit: timeLimit))
    var candidates = 0
    let tCand = seconds { candidates = (try? matcher.problem(for: cohort))?.1.pairs.count ?? 0 }
    var optimal: MatchResult!
    let tOpt = try seconds { optimal = try matcher.match(cohort) }
    var greedy: MatchResult!
    let tGreedy = try seconds { greedy = try Matcher(solver: .greedy).match(cohort) }
    let ratio = Double(greedy.scoreHundredths) / Double(max(1, optimal.scoreHundredths))
    let gap = optimal.gap.map { String(format: "%.4f%%", $0 * 100) } ?? "n/a"
    print(String(format: "| %d | %d | %d | %.2f | %.2f | %.2f | %@ | %@ | %.2f | %.4f | %d / %d | %.0f |",
                 n, cohort.mentors.count, candidates, tGen, tCand, tOpt - tCand, optimal.status.rawValue, gap, tGreedy, ratio,
                 optimal.matched, greedy.matched, peakMemoryMiB()))
}
