// Benchmark (not a test): generated secondary cohorts of 200, 2,000 and 20,000 mentees with
// mentors from Years 8–10 (the generator's secondary setting: 0.4 mentors per mentee, capacity
// median 3, 3–7 interests from 40; see Sources/PeerMatch/Generate/DISTRIBUTIONS.md). Prints
// seconds per stage, peak memory and the greedy/optimal score ratio. Run: swift run -c release peermatch-bench [sizes...] [--time-limit S]
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
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    if a == "--time-limit", let v = args.popFirst().flatMap(Double.init) { timeLimit = v } else if let n = Int(a) { sizes.append(n) }
}
if sizes.isEmpty { sizes = [200, 2000, 20000] }

print("| mentees | mentors | candidate pairs | generate s | candidates s | GLPK solve s | status | gap | greedy s | greedy/optimal score | matched (opt/greedy) | peak MiB |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for n in sizes {
    var cohort = Cohort(mentors: [], mentees: [])
    let tGen = seconds { cohort = CohortGenerator(setting: .secondary, mentees: n, seed: 2026, mentorPool: "Years 8–10").generate() }
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
