import Foundation
import Testing
@testable import PeerMatch

/// Small random cohorts and policies for cross-checking solvers against brute force.
struct RandomCohorts {
    var rng: SeededRandom

    init(seed: UInt64) { rng = SeededRandom(seed: seed) }

    mutating func cohort(mentors: Int, mentees: Int) -> Cohort {
        let genders = ["female", "male", "non-binary"]
        let interests = ["football", "art", "music", "games", "dance"]
        let skills = ["maths", "friends", "transition", "confidence"]
        func person(_ role: Role, _ k: Int) -> Person {
            var p = Person(id: PersonID(role == .mentor ? "m\(k)" : "e\(k)"), role: role)
            p.age = role == .mentor ? rng.double(in: 12...16).rounded() : rng.double(in: 10...13).rounded()
            p.gender = genders[rng.weighted([0.45, 0.45, 0.1])]
            p.genderPreference = rng.chance(0.2) ? .same : rng.chance(0.1) ? .oneOf(["female"]) : .any
            p.interests = rng.distinctWeighted(rng.int(in: 0...3), [1, 1, 1, 1, 1]).map { interests[$0] }
            if role == .mentor {
                p.offers = rng.distinctWeighted(rng.int(in: 0...2), [1, 1, 1, 1]).map { skills[$0] }
                p.capacity = rng.int(in: 0...3)
                if rng.chance(0.5) { p.qualifications = ["trained"] }
            } else {
                p.needs = rng.distinctWeighted(rng.int(in: 0...2), [1, 1, 1, 1]).map { skills[$0] }
                if rng.chance(0.15) { p.requires = ["trained"] }
                p.priority = rng.weighted([0.6, 0.3, 0.1])
            }
            p.group = rng.chance(0.5) ? ["A", "B"][rng.int(2)] : nil
            return p
        }
        let ms = (0..<mentors).map { person(.mentor, $0) }
        var es = (0..<mentees).map { person(.mentee, $0) }
        for j in es.indices where rng.chance(0.3) && !ms.isEmpty {
            es[j].preferences = [[ms[rng.int(ms.count)].id]]
        }
        var exclusions: [Exclusion] = []
        if rng.chance(0.5), !ms.isEmpty, !es.isEmpty {
            exclusions.append(Exclusion(a: ms[rng.int(ms.count)].id, b: es[rng.int(es.count)].id, reason: "test"))
        }
        var scores: [StaffScore] = []
        if rng.chance(0.3), !ms.isEmpty, !es.isEmpty {
            scores.append(StaffScore(mentor: ms[rng.int(ms.count)].id, mentee: es[rng.int(es.count)].id, score: Double(rng.int(100))))
        }
        return Cohort(mentors: ms, mentees: es, exclusions: exclusions, scores: scores)
    }

    mutating func policy() -> Policy {
        var p = Policy()
        p.genderPreference = [RuleMode.hard, .soft, .off][rng.int(3)]
        p.sameGroup = SameGroupMode.allCases[rng.int(3)]
        p.ageGap.mode = rng.chance(0.8) ? .hard : .soft
        if rng.chance(0.4) {
            p.mentorMinimum.count = rng.int(in: 1...2)
            p.mentorMinimum.mode = rng.chance(0.5) ? .soft : .hard
        }
        return p
    }
}

/// Calls `body` with every assignment (each mentee: no mentor, or one of its candidate pairs that
/// `allowed` keeps; locked mentees only their locked pair) within the capacities, with the chosen
/// pairs and each mentor's load. Only for tiny problems.
func forEachAssignment(_ problem: MatchingProblem, allowed: (Int) -> Bool = { _ in true },
                       _ body: (_ chosen: [Int], _ load: [Int]) -> Void) {
    var chosen: [Int] = []
    var load = Array(repeating: 0, count: problem.mentorCount)
    let locked = Set(problem.locked)
    let lockedMentee = Set(problem.locked.map { Int(problem.pairs.mentee[$0]) })
    func visit(_ j: Int) {
        if j == problem.menteeCount { body(chosen, load); return }
        if !lockedMentee.contains(j) { visit(j + 1) }
        for p in problem.pairs.pairs(ofMentee: j) where locked.contains(p) || (!lockedMentee.contains(j) && allowed(p)) {
            let i = Int(problem.pairs.mentor[p])
            guard load[i] < problem.capacity[i] else { continue }
            load[i] += 1; chosen.append(p)
            visit(j + 1)
            load[i] -= 1; chosen.removeLast()
        }
    }
    visit(0)
}

/// The lexicographic optimum by enumerating every assignment. Returns nil when none is feasible.
func bruteForce(_ problem: MatchingProblem) -> MatchingProblem.Evaluation? {
    var best: MatchingProblem.Evaluation? = nil
    forEachAssignment(problem) { chosen, _ in
        guard problem.violations(chosen).isEmpty else { return }
        let e = problem.evaluate(chosen)
        if best == nil || best! < e { best = e }
    }
    return best
}

/// Checks a result against the cohort's hard rules straight from the people's data, without the
/// library's rule code: a second, independent reading of the rules.
func independentViolations(_ result: MatchResult, _ cohort: Cohort, _ policy: Policy) -> [String] {
    var problems: [String] = []
    let mentors = Dictionary(uniqueKeysWithValues: cohort.mentors.map { ($0.id, $0) })
    let mentees = Dictionary(uniqueKeysWithValues: cohort.mentees.map { ($0.id, $0) })
    var load: [PersonID: Int] = [:]
    var seen = Set<PersonID>()
    for pair in result.pairs {
        guard let m = mentors[pair.mentor], let e = mentees[pair.mentee] else { problems.append("unknown person"); continue }
        if !seen.insert(e.id).inserted { problems.append("\(e.id) twice") }
        load[m.id, default: 0] += 1
        if policy.exclusions == .hard,
           cohort.exclusions.contains(where: { Set([$0.a, $0.b]) == Set([m.id, e.id]) }) { problems.append("excluded \(m.id)-\(e.id)") }
        if policy.ageGap.mode == .hard {
            let gap = m.effectiveAge! - e.effectiveAge!
            if gap < policy.ageGap.min - 1e-9 || gap > policy.ageGap.max + 1e-9 { problems.append("age \(m.id)-\(e.id)") }
        }
        if policy.genderPreference == .hard {
            func ok(_ pref: GenderPreference, own: String?, other: String?) -> Bool {
                switch pref {
                case .any: return true
                case .same: return own != nil && own == other
                case .oneOf(let s): return other.map(s.contains) ?? false
                }
            }
            if !ok(e.genderPreference, own: e.gender, other: m.gender) || !ok(m.genderPreference, own: m.gender, other: e.gender) {
                problems.append("gender \(m.id)-\(e.id)")
            }
        }
        if policy.requiredQualifications == .hard, !Set(e.requires).isSubset(of: Set(m.qualifications)) {
            problems.append("requires \(m.id)-\(e.id)")
        }
        if policy.sameGroup == .forbid, let a = m.group, let b = e.group, a.lowercased() == b.lowercased() {
            problems.append("group \(m.id)-\(e.id)")
        }
        if policy.onlyScoredPairs, !cohort.scores.contains(where: { $0.mentor == m.id && $0.mentee == e.id }) {
            problems.append("unscored \(m.id)-\(e.id)")
        }
    }
    for (id, n) in load where n > mentors[id]!.capacity { problems.append("\(id) over capacity") }
    for lock in cohort.locked where !result.pairs.contains(where: { $0.mentor == lock.mentor && $0.mentee == lock.mentee }) {
        problems.append("lock \(lock.mentor)-\(lock.mentee) missing")
    }
    return problems
}

/// Paths into the repository, for tests that read shipped files.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    /// The published instances: `PEERMATCH_SHARED_BENCHMARKS` when set (a clone elsewhere, such as
    /// /tmp; `.ci/run` sets it), else `../shared/benchmarks` beside the checkout; from a git
    /// worktree one level deeper (`/work/wt/NAME`), `../../shared/benchmarks`.
    static let sharedBenchmarks: String = {
        if let named = ProcessInfo.processInfo.environment["PEERMATCH_SHARED_BENCHMARKS"], !named.isEmpty { return named }
        let beside = root.deletingLastPathComponent().appendingPathComponent("shared/benchmarks").path
        let above = root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/benchmarks").path
        return FileManager.default.fileExists(atPath: beside) || !FileManager.default.fileExists(atPath: above) ? beside : above
    }()
}

/// OR-Library assign100 (published optimum cost 305) as a matching problem: agents are mentors of
/// capacity 1, jobs are mentees, score = (101 − cost) in hundredths.
func loadORLibraryAssign100() throws -> MatchingProblem {
    let path = Repo.sharedBenchmarks + "/orlib-assign/assign100.txt"
    try #require(FileManager.default.fileExists(atPath: path), "shared benchmarks missing at \(path)")
    let numbers = try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: { $0.isWhitespace }).map { Int($0)! }
    let n = numbers[0]
    var pairs: [(mentor: Int, mentee: Int, score: Int)] = []
    for i in 0..<n { for j in 0..<n { pairs.append((i, j, (101 - numbers[1 + i * n + j]) * 100)) } }
    return MatchingProblem(pairs: CandidatePairs(mentorCount: n, menteeCount: n, pairs: pairs),
                           capacity: Array(repeating: 1, count: n), priority: Array(repeating: 0, count: n))
}
