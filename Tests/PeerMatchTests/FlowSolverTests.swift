import Foundation
import Testing
@testable import PeerMatch

/// The min-cost-flow solver against brute force, against GLPK, and on a published instance.
@Suite struct FlowSolverTests {
    /// Each network solver's result (through ``Matcher``, as the CLI calls it) equals the
    /// brute-force lexicographic optimum on hundreds of small random cohorts (priorities, locks,
    /// hard minimums, every rule and score term the random policies switch on), and breaks no
    /// rule. Infeasible hard minimums are reported infeasible.
    @Test(arguments: [(SolverChoice.flow, "cost-scaling"), (.paths, "paths"), (.lemon, "lemon-network-simplex"), (.auto, "paths")])
    func networkSolversEqualBruteForce(choice: SolverChoice, name: String) throws {
        var checked = 0, withMinimum = 0, infeasible = 0
        for seed in SolverTests.seeds {
            var gen = RandomCohorts(seed: seed)
            let cohort = gen.cohort(mentors: gen.rng.int(in: 1...3), mentees: gen.rng.int(in: 1...6))
            var policy = gen.policy()
            if policy.mentorMinimum.mode != .hard { policy.mentorMinimum.count = 0 }
            let matcher = Matcher(policy: policy, solver: choice)
            let (ctx, problem) = try matcher.problem(for: cohort)
            let result = try matcher.match(cohort)
            guard let expected = bruteForce(problem) else {
                #expect(result.status == .infeasible, "seed \(seed): brute force finds no feasible matching")
                infeasible += 1
                continue
            }
            if problem.hasHardMinimum { withMinimum += 1 } else { #expect(result.solver == name, "seed \(seed)") }
            #expect(result.status == .optimal, "seed \(seed): \(result.status) \(result.stats.rawStatus)")
            let got = problem.evaluate(SolverTests().selection(result, ctx, problem))
            #expect(got == expected, "seed \(seed): \(result.solver) \(got) vs brute force \(expected)")
            #expect(result.boundHundredths == expected.score, "seed \(seed): the bound is the proven optimum")
            #expect(independentViolations(result, cohort, policy).isEmpty, "seed \(seed)")
            checked += 1
        }
        #expect(checked > 200)
        #expect(withMinimum > 20, "the random policies should include feasible hard minimums")
        #expect(infeasible > 0, "and some infeasible ones")
    }

    /// A soft mentor minimum is not a network: `--solver flow` then hands the cohort to GLPK.
    /// Each mentor's best pairs for the first core (2 × capacity + 2 of them, best score first,
    /// ties by tie key, then pair index), found in parallel chunks with a score cut-off, equal a
    /// plain sort of each mentor's pairs, however the mentees are split into chunks; mentees left
    /// out give no pair.
    @Test func bestPairsOfMentorsEqualASortOfEachMentorsPairs() {
        for seed in UInt64(1)...UInt64(60) {
            var rng = SeededRandom(seed: seed &* 7919)
            let problem = PathSolverTests.randomProblem(seed: seed, mentors: 1...12, mentees: 1...40, density: 70)
            let pairs = problem.pairs
            let include = (0..<pairs.menteeCount).map { _ in rng.int(5) > 0 }
            var expected: [Int] = []
            for i in 0..<pairs.mentorCount {
                let mine = (0..<pairs.count).filter { Int(pairs.mentor[$0]) == i && include[Int(pairs.mentee[$0])] }
                let sorted = mine.sorted {
                    (-pairs.score[$0], tieKey(mentor: pairs.mentor[$0], mentee: pairs.mentee[$0]), $0)
                        < (-pairs.score[$1], tieKey(mentor: pairs.mentor[$1], mentee: pairs.mentee[$1]), $1)
                }
                expected += sorted.prefix(2 * max(0, problem.capacity[i]) + 2)
            }
            for chunk in [1, 7, 50, 1_000_000] {
                let got = FlowMatcher.bestPairsOfMentors(pairs, capacity: problem.capacity, of: include, pairsPerChunk: chunk)
                #expect(got == expected, "seed \(seed), \(chunk) pairs a chunk")
            }
        }
    }

    @Test func mentorMinimumGoesToGLPK() throws {
        var gen = RandomCohorts(seed: 5)
        let cohort = gen.cohort(mentors: 3, mentees: 6)
        var policy = Policy.default
        policy.mentorMinimum.count = 1
        policy.mentorMinimum.mode = .soft
        let result = try Matcher(policy: policy, solver: .flow).match(cohort)
        #expect(result.solver == "glpk")
        #expect(result.notes.contains("--solver flow: a soft mentor minimum is not a network, so GLPK solved this cohort"))
    }

    /// Column generation on larger random problems: a core of one pair per mentee and one entering
    /// pair per round forces pricing rounds; every stage value equals GLPK's.
    @Test func flowEqualsGLPKWithColumnGeneration() throws {
        var priced = 0
        for seed in UInt64(1)...UInt64(60) {
            var rng = SeededRandom(seed: seed)
            let mentors = rng.int(in: 3...15), mentees = rng.int(in: 10...45)
            var pairs: [(mentor: Int, mentee: Int, score: Int)] = []
            for j in 0..<mentees {
                for i in 0..<mentors where rng.int(100) < 45 {
                    // Negative scores and ties included.
                    pairs.append((i, j, rng.int(in: -300...900) / 50 * 50 + (rng.int(4) == 0 ? 0 : rng.int(in: 0...49))))
                }
            }
            let candidates = CandidatePairs(mentorCount: mentors, menteeCount: mentees, pairs: pairs)
            var load = Array(repeating: 0, count: mentors), lockedMentee = Set<Int>()
            let capacity = (0..<mentors).map { _ in rng.int(in: 1...3) }
            var locked: [Int] = []
            for p in 0..<candidates.count where rng.int(100) < 4 {
                let i = Int(candidates.mentor[p]), j = Int(candidates.mentee[p])
                if load[i] < capacity[i], lockedMentee.insert(j).inserted { load[i] += 1; locked.append(p) }
            }
            let problem = MatchingProblem(pairs: candidates, capacity: capacity,
                                          priority: (0..<mentees).map { _ in [0, 0, 0, 1, 2][rng.int(5)] }, locked: locked)
            let model = MatchingModel(problem)
            let glpk = GLPKBackend().solve(model.model, options: SolveOptions())
            #expect(glpk.termination == .optimal)
            let flow = FlowMatcher(corePerMentee: 1, enteringPerMentee: 1, mentorCore: false).solve(problem, limits: .none)
            guard case .optimal = flow.termination else { Issue.record("seed \(seed): flow did not finish"); continue }
            #expect(flow.stageValues == glpk.stageValues.map { Int($0) }, "seed \(seed)")
            #expect(problem.violations(flow.selection).isEmpty, "seed \(seed)")
            #expect(problem.evaluate(flow.selection).score == flow.stageValues.last, "seed \(seed)")
            if flow.rounds > problem.priorityLevels.count + 1 { priced += 1 }
        }
        #expect(priced > 40, "most problems should need pricing rounds; \(priced) did")
    }

    /// A hard minimum (a lower bound on each mentor's arc): stage values equal GLPK's, and the flow
    /// never claims a matching when GLPK proves there is none.
    @Test func hardMinimumEqualsGLPK() throws {
        var solved = 0, handedOn = 0
        for seed in UInt64(1)...UInt64(80) {
            var rng = SeededRandom(seed: seed &* 7919)
            let mentors = rng.int(in: 2...10), mentees = rng.int(in: 6...30)
            var pairs: [(mentor: Int, mentee: Int, score: Int)] = []
            for j in 0..<mentees {
                for i in 0..<mentors where rng.int(100) < 40 { pairs.append((i, j, rng.int(in: -200...900))) }
            }
            let problem = MatchingProblem(pairs: CandidatePairs(mentorCount: mentors, menteeCount: mentees, pairs: pairs),
                                          capacity: (0..<mentors).map { _ in rng.int(in: 1...3) },
                                          priority: (0..<mentees).map { _ in [0, 0, 1][rng.int(3)] },
                                          minimum: rng.int(in: 1...2), minimumMode: .hard)
            let model = MatchingModel(problem)
            let glpk = GLPKBackend().solve(model.model, options: SolveOptions())
            let flow = FlowMatcher().solve(problem, limits: .none)
            switch flow.termination {
            case .optimal:
                #expect(glpk.termination == .optimal, "seed \(seed): flow found a matching GLPK says is impossible")
                #expect(flow.stageValues == glpk.stageValues.map { Int($0) }, "seed \(seed)")
                #expect(problem.violations(flow.selection).isEmpty, "seed \(seed)")
                solved += 1
            case .minimumNotMetOnCore:
                handedOn += 1
            default:
                Issue.record("seed \(seed): unexpected \(flow.termination)")
            }
        }
        #expect(solved > 20, "flow solved \(solved), handed \(handedOn) to GLPK")
        #expect(handedOn > 0, "some random minimums should be impossible")
    }

    /// OR-Library assign100 (published optimum 305) through the flow solver.
    @Test func orLibraryAssign100() throws {
        let problem = try loadORLibraryAssign100()
        let n = problem.menteeCount
        let flow = FlowMatcher(corePerMentee: 4).solve(problem, limits: .none)
        #expect(flow.selection.count == n)
        #expect(flow.selection.reduce(0) { $0 + 101 - problem.pairs.score[$1] / 100 } == 305)
    }
}
