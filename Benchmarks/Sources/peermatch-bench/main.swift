// Benchmark (not a test): generated secondary cohorts of 200, 2,000 and 20,000 mentees with
// mentors from Years 8–10 (the generator's secondary setting: 0.4 mentors per mentee, capacity
// median 3, 3–7 interests from 40; see Sources/PeerMatch/Generate/DISTRIBUTIONS.md). Prints
// seconds (candidate generation alone, then the whole match: candidates, solve, verification,
// explanations), the solver used, peak memory after the exact match and after the greedy one, and
// the greedy/optimal score ratio. Run: swift run -c release peermatch-bench [sizes...] [--time-limit S]
// Timetables: swift run -c release peermatch-bench --timetable [benchmark|example|small|school ...]
// [--time-limit S] (see TimetableBenchmark.swift).
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

/// Runs one benchmark; an error (a missing file, an unknown suite or flag, a missing
/// --write-cohorts folder) is reported on stderr with exit 1, never a trap with a backtrace.
func runOrExit(_ body: () throws -> Void) -> Never {
    do { try body() } catch {
        FileHandle.standardError.write(Data("peermatch-bench: \(error)\n".utf8))
        exit(1)
    }
    exit(0)
}

struct UsageError: Error, CustomStringConvertible { let description: String }

/// `peermatch-bench stable [CSI2120_DIR]`: mentee-choice on the 49,983-resident CSI2120 instance
/// (checked resident by resident against its reference) and on a generated cohort of 50,000
/// mentees and 35 mentors with 37,000 places and lists of 2–10 mentors; whole pipeline timed.
func stableBenchmark(csiDirectory: String) throws {
    print("| instance | mentees | mentors | places | candidate pairs | matched | blocking pairs | differences from reference | seconds (whole pipeline) |")
    print("|---|---|---|---|---|---|---|---|---|")
    let large = try HospitalResidents.csi2120(residents: csiDirectory + "/residentsLarge.csv", programs: csiDirectory + "/programsLarge.csv")
    var result: MatchResult!
    let t1 = try seconds { result = try Matcher(policy: HospitalResidents.policy).match(large) }
    var reference: [String: String] = [:]
    for line in try String(contentsOfFile: csiDirectory + "/ref_resident_optimal_large.csv", encoding: .utf8).split(separator: "\n").dropFirst() {
        let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        reference[cells[0]] = cells.count > 1 ? cells[1].trimmingCharacters(in: .whitespacesAndNewlines) : ""
    }
    var got = Dictionary(uniqueKeysWithValues: large.mentees.map { ($0.id.rawValue, "") })
    for p in result.pairs { got[p.mentee.rawValue] = p.mentor.rawValue }
    let differences = reference.filter { got[$0.key] != $0.value }.count + (got.count - reference.count)
    print(String(format: "| CSI2120 large (residents propose) | %d | %d | %d | %d | %d | %d | %d | %.2f |", large.mentees.count,
                 large.mentors.count, large.mentors.reduce(0) { $0 + $1.capacity }, result.stats.candidates, result.matched,
                 result.preferences.blockingPairs, differences, t1))

    // Generated: 50,000 mentees aged 11–12, 35 mentors aged 13–15, default hard rules (preset mentee-choice).
    var rng = SeededRandom(seed: 50_000)
    let interests = (0..<20).map { "interest \($0)" }
    var weights = (0..<35).map { _ in rng.double(in: 0.2...2) }
    let total = weights.reduce(0, +)
    var capacities = weights.map { Int(37_000 * $0 / total) }
    capacities[0] += 37_000 - capacities.reduce(0, +)
    weights = []
    let mentors = (0..<35).map { i in
        Person(id: PersonID("m\(i)"), role: .mentor, age: Double(rng.int(in: 13...15)),
               interests: rng.distinctWeighted(4, Array(repeating: 1, count: 20)).map { interests[$0] }, capacity: capacities[i])
    }
    let mentees = (0..<50_000).map { j in
        var p = Person(id: PersonID("e\(j)"), role: .mentee, age: Double(rng.int(in: 11...12)),
                       interests: rng.distinctWeighted(4, Array(repeating: 1, count: 20)).map { interests[$0] })
        p.preferences = rng.distinctWeighted(rng.int(in: 2...10), Array(repeating: 1, count: 35)).map { [mentors[$0].id] }
        return p
    }
    let cohort = Cohort(mentors: mentors, mentees: mentees)
    var generated: MatchResult!
    let menteeChoice = Matcher(policy: Policy.preset(named: "mentee-choice")!)
    var built: (PairingContext, MatchingProblem)!
    let tProblem = try seconds { built = try menteeChoice.problem(for: cohort) }
    let tDA = seconds { _ = StableMatcher().solve(built.1, ctx: built.0) }
    let t2 = try seconds { generated = try menteeChoice.match(cohort) }
    FileHandle.standardError.write(Data(String(format: "generated: candidates %.2f s, deferred acceptance %.2f s, whole %.2f s\n", tProblem, tDA, t2).utf8))
    print(String(format: "| generated (preset mentee-choice) | %d | %d | %d | %d | %d | %d | n/a | %.2f |", mentees.count, mentors.count,
                 37_000, generated.stats.candidates, generated.matched, generated.preferences.blockingPairs, t2))
}

/// `peermatch-bench presets [sizes...]`: every preset on generated secondary cohorts (seed 2026), whole pipeline.
func presetsBenchmark(sizes: [Int]) throws {
    print("| mentees | preset | matched | total score | lowest pair | blocking pairs | price of fairness | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    for n in sizes {
        // The same cohorts as the main table: Years 8–10 mentors (sixth formers are mostly outside the age gap).
        let cohort = CohortGenerator(setting: .secondary, mentees: n, seed: 2026, mentorPool: "Years 8–10").generate()
        for preset in PolicyPreset.all {
            var r: MatchResult!
            let t = try seconds { r = try Matcher(policy: preset.policy, options: SolveOptions(timeLimit: 120), seed: 1).match(cohort) }
            print(String(format: "| %d | %@ | %d | %.2f | %@ | %d | %@ | %.2f |", n, preset.name, r.matched, r.score,
                         r.minPairScoreHundredths.map { formatPoints($0) } ?? "–", r.preferences.blockingPairs,
                         r.priceOfFairnessHundredths.map { formatPoints($0) } ?? "–", t))
        }
    }
}

func formatPoints(_ h: Int) -> String { String(format: "%.2f", Double(h) / 100) }

if CommandLine.arguments.dropFirst().first == "presets" {
    runOrExit {
        try presetsBenchmark(sizes: CommandLine.arguments.dropFirst(2).compactMap { Int($0) }.isEmpty ? [200, 2000]
                             : CommandLine.arguments.dropFirst(2).compactMap { Int($0) })
    }
}

if CommandLine.arguments.dropFirst().first == "solvers" {
    var specs: [String] = [], only: Set<String> = []
    var tuning = NetworkTuning()
    var greedy: [GreedyMatcher.Search] = []
    var rest = CommandLine.arguments.dropFirst(2)
    while let a = rest.popFirst() {
        if a == "--only", let v = rest.popFirst() { only = Set(v.split(separator: ",").map(String.init)) }
        else if a == "--core", let v = rest.popFirst().flatMap(Int.init), v >= 0 { tuning.corePerMentee = v }
        // At least one: pricing keeps each mentee's best `entering` pairs, and none would add nothing.
        else if a == "--entering", let v = rest.popFirst().flatMap(Int.init), v >= 1 { tuning.enteringPerMentee = v }
        else if a == "--no-mentor-core" { tuning.mentorCore = false }
        else if a == "--sources", let v = rest.popFirst().flatMap(Int.init), v >= 0 { tuning.sourcesPerPhase = v }
        else if a == "--greedy", let v = rest.popFirst() {
            for spec in v.split(separator: ";") {
                let n = spec.split(separator: ",").compactMap { Int($0) }
                guard n.count == 4, n.allSatisfy({ $0 >= 1 }) else {
                    runOrExit { throw UsageError(description: "solvers: --greedy wants four whole numbers of at least 1, DEPTH,BEAM,WIDTH,BUDGET[;...]; got \(spec)") }
                }
                greedy.append(GreedyMatcher.Search(depth: n[0], beam: n[1], width: n[2], budgetPerEntry: n[3]))
                only.insert("greedy d\(n[0]) b\(n[1]) w\(n[2]) k\(n[3])")
            }
        }
        else if a.hasPrefix("--") {
            runOrExit { throw UsageError(description: "solvers: unknown option \(a) (or its value is missing or out of range); options: --only A,B --core N (0 or more) --entering N (1 or more) --no-mentor-core --sources N (0: all) --greedy D,B,W,K[;...]") }
        }
        else { specs.append(a) }
    }
    runOrExit { try solversBenchmark(specs.isEmpty ? ["gen:2000", "gen:20000"] : specs, only: only, tuning: tuning, greedySearches: greedy) }
}

if CommandLine.arguments.dropFirst().first == "network", CommandLine.arguments.count == 4 {
    runOrExit { try exportNetwork(CommandLine.arguments[2], to: CommandLine.arguments[3]) }
}

if CommandLine.arguments.dropFirst().first == "read" {
    runOrExit { try readBenchmark(Array(CommandLine.arguments.dropFirst(2))) }
}

if CommandLine.arguments.dropFirst().first == "stable" {
    let dir = CommandLine.arguments.dropFirst(2).first ?? "../shared/benchmarks/hr-csi2120"
    runOrExit { try stableBenchmark(csiDirectory: dir) }
}

var sizes: [Int] = []
var timeLimit: Double? = nil
var timetable = false
var suites: [String] = []
var cohortFolder: String? = nil
/// `--only TEXT`: the timetable suites' cohorts whose name contains TEXT.
var timetableOnly: String? = nil
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    if a == "--time-limit", let v = args.popFirst().flatMap(Double.init) { timeLimit = v }
    else if a == "--write-cohorts", let v = args.popFirst() { cohortFolder = v }
    else if a == "--only", let v = args.popFirst() { timetableOnly = v }
    else if a == "--timetable" { timetable = true }
    else if let n = Int(a) { sizes.append(n) }
    else { suites.append(a) }
}

// Timetables: see TimetableBenchmark.swift.
if timetable, let folder = cohortFolder {
    runOrExit { try writeTimetableCohorts(suites.isEmpty ? ["benchmark"] : suites, to: folder) }
}
if timetable {
    runOrExit { try timetableBenchmark(suites.isEmpty ? ["benchmark"] : suites, timeLimit: timeLimit, only: timetableOnly) }
}
if sizes.isEmpty { sizes = [200, 2000, 20000] }

print("| mentees | mentors | candidate pairs | generate s | candidates s | match s (whole) | solver | status | gap | peak MiB (optimal) | greedy s | greedy/optimal score | matched (opt/greedy) | peak MiB (after greedy) |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for n in sizes {
    var cohort = Cohort(mentors: [], mentees: [])
    let tGen = seconds { cohort = CohortGenerator(setting: .secondary, mentees: n, seed: 2026, mentorPool: "Years 8–10").generate() }
    let matcher = Matcher(options: SolveOptions(timeLimit: timeLimit ?? 120))
    var candidates = 0
    let tCand = seconds { candidates = (try? matcher.problem(for: cohort))?.1.pairs.count ?? 0 }
    var optimal: MatchResult!
    let tOpt = try seconds { optimal = try matcher.match(cohort) }
    let peakOptimal = peakMemoryMiB()
    var greedy: MatchResult!
    let tGreedy = try seconds { greedy = try Matcher(solver: .greedy).match(cohort) }
    let ratio = Double(greedy.scoreHundredths) / Double(max(1, optimal.scoreHundredths))
    let gap = optimal.gap.map { String(format: "%.4f%%", $0 * 100) } ?? "n/a"
    print(String(format: "| %d | %d | %d | %.2f | %.2f | %.2f | %@ | %@ | %@ | %.0f | %.2f | %.4f | %d / %d | %.0f |",
                 n, cohort.mentors.count, candidates, tGen, tCand, tOpt, optimal.solver, optimal.status.rawValue, gap,
                 peakOptimal, tGreedy, ratio, optimal.matched, greedy.matched, peakMemoryMiB()))
}
