import Foundation
import Testing
@testable import PeerMatch

/// The shortest-augmenting-path solver against brute force, against GLPK, and on a published instance.
@Suite struct PathSolverTests {
    /// Random matching problems straight from arrays: negative scores and ties, several priority
    /// levels, capacities 0–3, locks, and (when asked) a hard minimum.
    static func randomProblem(seed: UInt64, mentors: ClosedRange<Int>, mentees: ClosedRange<Int>, density: Int,
                              levels: [Int] = [0, 0, 0, 1, 2], minimum: Int = 0) -> MatchingProblem {
        var rng = SeededRandom(seed: seed)
        let m = rng.int(in: mentors), n = rng.int(in: mentees)
        var pairs: [(mentor: Int, mentee: Int, score: Int)] = []
        for j in 0..<n {
            for i in 0..<m where rng.int(100) < density {
                pairs.append((i, j, rng.int(in: -300...900) / 50 * 50 + (rng.int(4) == 0 ? 0 : rng.int(in: 0...49))))
            }
        }
        let candidates = CandidatePairs(mentorCount: m, menteeCount: n, pairs: pairs)
        let capacity = (0..<m).map { _ in rng.int(in: minimum > 0 ? 1...3 : 0...3) }
        var load = Array(repeating: 0, count: m), lockedMentee = Set<Int>()
        var locked: [Int] = []
        for p in 0..<candidates.count where rng.int(100) < 4 {
            let i = Int(candidates.mentor[p]), j = Int(candidates.mentee[p])
            if load[i] < capacity[i], lockedMentee.insert(j).inserted { load[i] += 1; locked.append(p) }
        }
        return MatchingProblem(pairs: candidates, capacity: capacity,
                               priority: (0..<n).map { _ in levels[rng.int(levels.count)] },
                               minimum: minimum, minimumMode: minimum > 0 ? .hard : .soft, locked: locked)
    }

    /// Equal to the brute-force lexicographic optimum on hundreds of tiny problems, with every
    /// core size (one pair per mentee forces pricing rounds; everything loaded forces none) and
    /// with one or two sources per Dijkstra phase instead of every free mentee.
    @Test func equalsBruteForce() throws {
        var checked = 0, infeasible = 0
        for seed in UInt64(1)...UInt64(400) {
            let problem = Self.randomProblem(seed: seed, mentors: 1...4, mentees: 1...6, density: 60,
                                             minimum: seed % 4 == 0 ? Int(seed % 3) + 1 : 0)
            let expected = bruteForce(problem)
            for solver in [PathMatcher(), PathMatcher(corePerMentee: 1, enteringPerMentee: 1, mentorCore: false),
                           PathMatcher(loadEverything: true),
                           PathMatcher(corePerMentee: 2, enteringPerMentee: 1, mentorCore: false),
                           // Fewer sources per Dijkstra phase: the same optimum by other paths.
                           PathMatcher(sourcesPerPhase: 1),
                           PathMatcher(corePerMentee: 1, enteringPerMentee: 1, mentorCore: false, sourcesPerPhase: 2)] {
                let got = solver.solve(problem, limits: .none)
                guard let expected else {
                    #expect(got.termination == .infeasible, "seed \(seed): brute force finds no feasible matching")
                    continue
                }
                #expect(got.termination == .optimal, "seed \(seed)")
                #expect(problem.violations(got.selection).isEmpty, "seed \(seed): \(problem.violations(got.selection))")
                #expect(problem.evaluate(got.selection) == expected, "seed \(seed): \(problem.evaluate(got.selection)) vs \(expected)")
            }
            if expected == nil { infeasible += 1 } else { checked += 1 }
        }
        #expect(checked > 300)
        #expect(infeasible > 0, "some random hard minimums should be impossible")
    }

    /// Equal to GLPK's stage values on larger problems, where the core forces pricing rounds.
    @Test func equalsGLPK() throws {
        var priced = 0
        for seed in UInt64(1)...UInt64(80) {
            let problem = Self.randomProblem(seed: seed &* 31, mentors: 3...20, mentees: 10...60, density: 45,
                                             minimum: seed % 5 == 0 ? 1 : 0)
            let glpk = GLPKBackend().solve(MatchingModel(problem).model, options: SolveOptions())
            let paths = PathMatcher(corePerMentee: 1, enteringPerMentee: 1, mentorCore: false,
                                    sourcesPerPhase: seed % 2 == 0 ? 0 : Int(seed % 7) + 1).solve(problem, limits: .none)
            if glpk.termination == .infeasible {
                #expect(paths.termination == .infeasible, "seed \(seed)")
                continue
            }
            #expect(paths.termination == .optimal, "seed \(seed)")
            let e = problem.evaluate(paths.selection)
            #expect(e.matchedByLevel + [e.score] == glpk.stageValues.map { Int($0) }, "seed \(seed)")
            #expect(problem.violations(paths.selection).isEmpty, "seed \(seed)")
            if paths.rounds > 1 { priced += 1 }
        }
        #expect(priced > 40, "most problems should need pricing rounds; \(priced) did")
    }

    /// Every network solver (shortest paths, LEMON's three, the cost-scaling code), with column
    /// generation and with every pair loaded, equals brute force on small problems and GLPK's
    /// stage values on larger ones, and returns the same selection on a second run.
    @Test func everyNetworkSolverEqualsBruteForceAndGLPK() throws {
        for seed in UInt64(1)...UInt64(150) {
            let large = seed > 100
            let problem = large
                ? Self.randomProblem(seed: seed &* 17, mentors: 3...15, mentees: 10...40, density: 45, minimum: seed % 5 == 0 ? 1 : 0)
                : Self.randomProblem(seed: seed &* 7, mentors: 1...4, mentees: 1...6, density: 60, minimum: seed % 4 == 0 ? 1 : 0)
            let expected: [Int]?
            if large {
                let glpk = GLPKBackend().solve(MatchingModel(problem).model, options: SolveOptions())
                expected = glpk.termination == .infeasible ? nil : glpk.stageValues.map { Int($0) }
            } else {
                expected = bruteForce(problem).map { $0.matchedByLevel + [$0.score] }
            }
            for solver in NetworkSolver.allCases {
                for everything in [false, true] {
                    let tuning = NetworkTuning(corePerMentee: 1, enteringPerMentee: 1, mentorCore: false)
                    let got = solver.solve(problem, limits: .none, everything: everything, tuning: tuning)
                    let label = "seed \(seed), \(solver.rawValue)\(everything ? ", all pairs" : "")"
                    guard let expected else {
                        #expect(got.status == .infeasible || got.status == .notApplicable, "\(label): \(got.status)")
                        continue
                    }
                    if got.status == .notApplicable { continue }
                    #expect(got.status == .optimal, "\(label): \(got.status) \(got.summary)")
                    #expect(problem.violations(got.selection).isEmpty, "\(label)")
                    let e = problem.evaluate(got.selection)
                    #expect(e.matchedByLevel + [e.score] == expected, "\(label)")
                    let again = solver.solve(problem, limits: .none, everything: everything, tuning: tuning)
                    #expect(again.selection == got.selection, "\(label): not deterministic")
                }
            }
        }
    }

    /// Same problem, same selection, whatever the run (the solver is deterministic).
    @Test func deterministic() {
        let problem = Self.randomProblem(seed: 99, mentors: 30...30, mentees: 90...90, density: 50)
        let a = PathMatcher().solve(problem, limits: .none), b = PathMatcher().solve(problem, limits: .none)
        #expect(a.selection == b.selection)
    }

    /// OR-Library assign100 (published optimum 305).
    @Test func orLibraryAssign100() throws {
        let problem = try loadORLibraryAssign100()
        for solver in [PathMatcher(), PathMatcher(corePerMentee: 2), PathMatcher(loadEverything: true)] {
            let got = solver.solve(problem, limits: .none)
            #expect(got.selection.count == 100)
            #expect(got.selection.reduce(0) { $0 + 101 - problem.pairs.score[$1] / 100 } == 305)
        }
    }
}

