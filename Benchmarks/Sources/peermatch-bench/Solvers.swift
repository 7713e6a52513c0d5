// `peermatch-bench solvers [INSTANCE...]`: every exact network solver on the same matching
// problems, solve time only (the problem is built once, outside the timing), each result's
// lexicographic value checked against the first. INSTANCE is `gen:N` (a generated secondary
// cohort, seed 2026, mentors from Years 8–10), `gen:N:M` (M mentors), a cohort JSON file, or an
// OR-Library assignment file (`assign800.txt`, `assignp5000.txt`).
import Foundation
import PeerMatch

/// An OR-Library assignment instance as a matching problem: agents are mentors of capacity 1,
/// jobs are mentees, score = (101 − cost) in hundredths (the conversion orlib_assign.py uses).
func orLibraryProblem(_ path: String) throws -> MatchingProblem {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let numbers = text.split(whereSeparator: { $0.isWhitespace }).map { Int($0)! }
    let n = numbers[0]
    var pairs: [(mentor: Int, mentee: Int, score: Int)] = []
    if numbers.count == 1 + n * n {
        for i in 0..<n { for j in 0..<n { pairs.append((i, j, (101 - numbers[1 + i * n + j]) * 100)) } }
    } else {
        // Sparse: n, then "agent job cost" triples (1-based).
        var k = 1
        while k + 2 < numbers.count {
            pairs.append((numbers[k] - 1, numbers[k + 1] - 1, (101 - numbers[k + 2]) * 100))
            k += 3
        }
    }
    return MatchingProblem(pairs: CandidatePairs(mentorCount: n, menteeCount: n, pairs: pairs),
                           capacity: Array(repeating: 1, count: n), priority: Array(repeating: 0, count: n))
}

/// CPU seconds (user + system) of this process so far: on a shared, loaded machine the fairer
/// measure of one solver's work than the wall clock.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func benchmarkProblem(_ spec: String) throws -> MatchingProblem {
    if spec.hasPrefix("gen:") {
        let parts = spec.dropFirst(4).split(separator: ":").compactMap { Int($0) }
        let cohort = CohortGenerator(setting: .secondary, mentees: parts[0], mentors: parts.count > 1 ? parts[1] : nil,
                                     seed: 2026, mentorPool: "Years 8–10").generate()
        return try Matcher().problem(for: cohort).1
    }
    if spec.hasSuffix(".txt") { return try orLibraryProblem(spec) }
    let cohort = try CohortReader.read(path: spec)
    return try Matcher().problem(for: cohort).1
}

/// FNV-1a of the selected pair indices: equal hashes say two solvers (or two builds) chose the
/// same matching, not only one of equal value.
func selectionHash(_ selection: [Int]) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for p in selection { h = (h ^ UInt64(p)) &* 0x100_0000_01b3 }
    return String(h, radix: 16)
}

func solversBenchmark(_ specs: [String], only: Set<String>, tuning: NetworkTuning = NetworkTuning(),
                      greedySearches: [GreedyMatcher.Search] = []) throws {
    print("| instance | mentees | mentors | pairs | solver | seconds | CPU s | loaded pairs | rounds | matched | score | same optimum |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for spec in specs {
        let problem = try benchmarkProblem(spec)
        var reference: MatchingProblem.Evaluation? = nil
        func row(_ name: String, _ body: () -> (selection: [Int], loaded: Int, rounds: Int, ok: Bool)) {
            guard only.isEmpty || only.contains(name) else { return }
            let start = Date(), cpu0 = cpuSeconds()
            let r = body()
            let t = Date().timeIntervalSince(start), cpu = cpuSeconds() - cpu0
            let e = problem.evaluate(r.selection)
            if reference == nil && r.ok { reference = e }
            let same = name.hasPrefix("greedy") ? String(format: "%.4f of the optimum, %d of %d matched", Double(e.score) / Double(max(1, reference?.score ?? 1)),
                                                 e.matched, reference?.matched ?? 0)
                : !r.ok ? "failed" : (e == reference ? "yes" : "NO")
            let line = String(format: "| %@ | %d | %d | %d | %@ | %.3f | %.3f | %d | %d | %d | %.2f | %@ |\n", (spec as NSString).lastPathComponent,
                              problem.menteeCount, problem.mentorCount, problem.pairs.count, name, t, cpu, r.loaded, r.rounds,
                              e.matched, Double(e.score) / 100, same)
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        for solver in NetworkSolver.allCases {
            for everything in [false, true] where !everything || solver != .costScaling {
                row(solver.rawValue + (everything ? ", all pairs" : "")) {
                    let r = solver.solve(problem, limits: .none, everything: everything, tuning: tuning)
                    FileHandle.standardError.write(Data("  \(solver.rawValue): \(r.summary); selection hash \(selectionHash(r.selection))\n".utf8))
                    return (r.selection, r.loadedPairs, r.rounds, r.status == .optimal)
                }
            }
        }
        // The fallback on the same problem: its time and its score beside the exact optimum.
        row("greedy") {
            let r = GreedyMatcher().solve(problem, limits: .none)
            return (r.selection, 0, 0, false)
        }
        // `--greedy D,B,W,K;...`: the local search's depth, beam, width and budget per short-list
        // entry, one row each (for tuning the defaults).
        for g in greedySearches {
            row("greedy d\(g.depth) b\(g.beam) w\(g.width) k\(g.budgetPerEntry)") {
                let r = GreedyMatcher(search: g).solve(problem, limits: .none)
                return (r.selection, 0, 0, false)
            }
        }
        row("greedy-construction") {
            let r = GreedyMatcher(improve: false).solve(problem, limits: .none)
            return (r.selection, 0, 0, false)
        }
        if problem.pairs.count <= 2_000_000 {
            row("glpk") {
                let model = MatchingModel(problem)
                let s = GLPKBackend().solve(model.model, options: SolveOptions(timeLimit: 600))
                return (model.selection(from: s.values ?? []), 0, 0, s.termination == .optimal)
            }
        }
    }
}

/// `peermatch-bench network SPEC OUT`: the matching problem's network, for the Python peers
/// (OR-Tools' min-cost flow) to solve the same network. The lexicographic objective is one integer
/// cost per pair arc, −(w(level)·R + score): w(level) is the mixed-radix weight of a matched
/// mentee at her level (lower levels' counts + 1 multiplied), R is above twice the largest total
/// score, so one matched mentee more at a level outweighs every score (the costs LEMON is given).
///
/// Binary, little-endian, so that 100 million pairs load in seconds (`numpy.fromfile`): five
/// Int64 (n mentees, m mentors, pair count, PeerMatch's optimum cost by shortest augmenting paths
/// for the check, the CPU seconds that solve took), the m capacities (Int64), then per pair the
/// mentees (Int32), the mentors (Int32) and the costs (Int64).
func exportNetwork(_ spec: String, to path: String) throws {
    let problem = try benchmarkProblem(spec)
    precondition(problem.locked.isEmpty && !problem.hasSoftMinimum && !problem.hasHardMinimum, "export: plain networks only")
    let pairs = problem.pairs
    let levels = problem.priorityLevels
    var count = [Int64](repeating: 0, count: levels.count)
    for j in 0..<problem.menteeCount where !pairs.pairs(ofMentee: j).isEmpty { count[levels.firstIndex(of: problem.priority[j])!] += 1 }
    var weight = [Int64](repeating: 1, count: levels.count), w: Int64 = 1
    for l in stride(from: levels.count - 1, through: 0, by: -1) { weight[l] = w; w *= count[l] + 1 }
    var range: Int64 = 0
    for j in 0..<problem.menteeCount { range += pairs.pairs(ofMentee: j).map { abs(Int64(pairs.score[$0])) }.max() ?? 0 }
    let R = 2 * range + 1
    let levelWeight = problem.priority.map { weight[levels.firstIndex(of: $0)!] }
    func cost(_ p: Int) -> Int64 { -(levelWeight[Int(pairs.mentee[p])] * R + Int64(pairs.score[p])) }
    let cpu0 = cpuSeconds()
    let solution = NetworkSolver.paths.solve(problem, limits: .none)
    let solveCPU = cpuSeconds() - cpu0
    precondition(solution.status == .optimal)
    let optimum = solution.selection.reduce(Int64(0)) { $0 + cost($1) }
    guard let file = FileHandle(forWritingAtPath: path) ?? {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { return nil }
        return FileHandle(forWritingAtPath: path) }() else {
        throw CocoaError(.fileWriteNoPermission)
    }
    defer { try? file.close() }
    try file.truncate(atOffset: 0)
    func put<T>(_ values: [T]) { values.withUnsafeBytes { file.write(Data($0)) } }
    put([Int64(problem.menteeCount), Int64(problem.mentorCount), Int64(pairs.count), optimum, Int64((solveCPU * 1e6).rounded())])
    put(problem.capacity.map(Int64.init))
    put((0..<pairs.count).map { Int32(pairs.mentee[$0]) })
    put((0..<pairs.count).map { Int32(pairs.mentor[$0]) })
    let chunk = 1 << 22
    for start in stride(from: 0, to: pairs.count, by: chunk) { put((start..<min(pairs.count, start + chunk)).map(cost)) }
}
