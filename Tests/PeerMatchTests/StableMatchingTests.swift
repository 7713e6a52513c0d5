import Foundation
import Testing
@testable import PeerMatch

/// Deferred acceptance against brute-force enumeration of every stable matching, on small random
/// cohorts with ties, incomplete lists, capacities, hard rules and locks.
@Suite struct StableMatchingTests {
    /// A random stable-matching cohort: random hard rules, random lists on both sides (some empty,
    /// some incomplete, some with tie groups), sometimes a locked pair.
    static func instance(seed: UInt64) throws -> (Cohort, Policy) {
        var gen = RandomCohorts(seed: seed)
        var cohort = gen.cohort(mentors: gen.rng.int(in: 1...4), mentees: gen.rng.int(in: 1...6))
        // Half the time every rule is off and places are scarce, so lists alone decide and
        // several stable matchings are common.
        let listsOnly = gen.rng.chance(0.5)
        var policy = listsOnly ? HospitalResidents.policy : gen.policy()
        if listsOnly { for k in cohort.mentors.indices { cohort.mentors[k].capacity = gen.rng.int(in: 1...2) } }
        policy.method = .stable
        policy.proposer = gen.rng.chance(0.5) ? .mentees : .mentors
        if policy.mentorMinimum.mode == .hard { policy.mentorMinimum.mode = .soft }
        func list(_ others: [Person]) -> [[PersonID]] {
            if gen.rng.chance(listsOnly ? 0.05 : 0.25) { return [] }
            var ids = others.map(\.id).filter { _ in gen.rng.chance(listsOnly ? 0.95 : 0.8) }
            ids.shuffle(using: &gen.rng)
            var groups: [[PersonID]] = []
            for id in ids {
                if !groups.isEmpty && gen.rng.chance(listsOnly ? 0.1 : 0.3) { groups[groups.count - 1].append(id) } else { groups.append([id]) }
            }
            return groups
        }
        for k in cohort.mentees.indices { cohort.mentees[k].preferences = list(cohort.mentors) }
        for k in cohort.mentors.indices { cohort.mentors[k].preferences = list(cohort.mentees) }
        if gen.rng.chance(0.2) {
            let (_, problem) = try Matcher(policy: policy).problem(for: cohort)
            let lockable = (0..<problem.pairs.count).filter { problem.capacity[Int(problem.pairs.mentor[$0])] > 0 }
            if !lockable.isEmpty {
                let p = lockable[gen.rng.int(lockable.count)]
                cohort.locked = [LockedPair(mentor: cohort.mentors[Int(problem.pairs.mentor[p])].id,
                                            mentee: cohort.mentees[Int(problem.pairs.mentee[p])].id)]
            }
        }
        return (cohort, policy)
    }

    /// Every stable matching of strict ranks, by enumeration; stability checked here from scratch.
    static func allStable(_ problem: MatchingProblem, _ ranks: PreferenceRanks) -> [[Int]] {
        let pairs = problem.pairs
        let locked = Set(problem.locked)
        let lockedMentee = Set(problem.locked.map { Int(pairs.mentee[$0]) })
        var out: [[Int]] = []
        forEachAssignment(problem, allowed: { ranks.acceptable[$0] }) { chosen, load in
            var partner = [Int?](repeating: nil, count: pairs.menteeCount)
            for p in chosen { partner[Int(pairs.mentee[p])] = p }
            for p in 0..<pairs.count where ranks.acceptable[p] && !chosen.contains(p) {
                let i = Int(pairs.mentor[p]), j = Int(pairs.mentee[p])
                if lockedMentee.contains(j) { continue }
                let menteeWants = partner[j].map { ranks.menteeRank[p] < ranks.menteeRank[$0] } ?? true
                let mentorWants = load[i] < problem.capacity[i] || chosen.contains {
                    Int(pairs.mentor[$0]) == i && !locked.contains($0) && ranks.mentorRank[$0] > ranks.mentorRank[p]
                }
                if menteeWants && mentorWants { return }
            }
            out.append(chosen.sorted())
        }
        return out
    }

    /// Each mentee's best (or worst) partner over all stable matchings, as a matching.
    static func extreme(_ stable: [[Int]], _ problem: MatchingProblem, _ ranks: PreferenceRanks, best: Bool) -> [Int] {
        var pick = [Int?](repeating: nil, count: problem.menteeCount)
        var seen = [Bool](repeating: false, count: problem.menteeCount)
        for m in stable {
            var partner = [Int?](repeating: nil, count: problem.menteeCount)
            for p in m { partner[Int(problem.pairs.mentee[p])] = p }
            for j in 0..<problem.menteeCount {
                func value(_ p: Int?) -> Int32 { p.map { ranks.menteeRank[$0] } ?? Int32.max }
                if !seen[j] || (best ? value(partner[j]) < value(pick[j]) : value(partner[j]) > value(pick[j])) {
                    pick[j] = partner[j]; seen[j] = true
                }
            }
        }
        return pick.compactMap { $0 }.sorted()
    }

    @Test func deferredAcceptanceEqualsBruteForce() throws {
        var checked = 0, withTies = 0, several = 0
        for seed in UInt64(1)...UInt64(400) {
            let (cohort, policy) = try Self.instance(seed: seed)
            let matcher = Matcher(policy: policy, seed: seed)
            let (ctx, problem) = try matcher.problem(for: cohort)
            let outcome = StableMatcher(proposer: policy.proposer, seed: seed).solve(problem, ctx: ctx)
            let stable = Self.allStable(problem, outcome.strictRanks)
            #expect(!stable.isEmpty, "seed \(seed): a stable matching always exists")
            let expected = Self.extreme(stable, problem, outcome.strictRanks, best: policy.proposer == .mentees)
            #expect(outcome.selection == expected, "seed \(seed) \(policy.proposer): \(outcome.selection) vs \(expected)")
            #expect(stable.contains(expected), "seed \(seed): the proposer-optimal matching is itself stable")
            // Weakly stable for the stated lists, and the whole pipeline agrees.
            #expect(BlockingPairs.find(selection: outcome.selection, problem: problem, ctx: ctx).isEmpty, "seed \(seed)")
            let result = try matcher.match(cohort)
            #expect(result.preferences.blockingPairs == 0, "seed \(seed)")
            #expect(result.pairs.count == expected.count, "seed \(seed)")
            #expect(independentViolations(result, cohort, policy).isEmpty, "seed \(seed)")
            checked += 1
            if outcome.menteeTiesBroken + outcome.mentorTiesBroken > 0 { withTies += 1 }
            if stable.count > 1 { several += 1 }
        }
        #expect(checked == 400)
        #expect(withTies > 50, "the instances should exercise the lottery")
        #expect(several > 5, "the instances should include several stable matchings, so optimality is tested")
    }

    /// Classic hand-checked case: two mentees who both want m1 first; m1 prefers e2.
    @Test func smallExampleBothSides() throws {
        var m1 = Person(id: "m1", role: .mentor, capacity: 1), m2 = Person(id: "m2", role: .mentor, capacity: 1)
        var e1 = Person(id: "e1", role: .mentee), e2 = Person(id: "e2", role: .mentee)
        e1.preferences = [["m1"], ["m2"]]; e2.preferences = [["m2"], ["m1"]]
        m1.preferences = [["e2"], ["e1"]]; m2.preferences = [["e1"], ["e2"]]
        let cohort = Cohort(mentors: [m1, m2], mentees: [e1, e2])
        var policy = HospitalResidents.policy
        let menteeOpt = try Matcher(policy: policy).match(cohort)
        #expect(menteeOpt.pairs.map { "\($0.mentor)-\($0.mentee)" } == ["m1-e1", "m2-e2"])
        #expect(menteeOpt.preferences.mentees.firstChoice == 2 && menteeOpt.preferences.mentors.firstChoice == 0)
        #expect(menteeOpt.pairs[0].reasons.contains("e1's 1st choice"))
        #expect(menteeOpt.pairs[0].reasons.contains("m1 ranked e1 2nd"))
        policy.proposer = .mentors
        let mentorOpt = try Matcher(policy: policy).match(cohort)
        #expect(mentorOpt.pairs.map { "\($0.mentor)-\($0.mentee)" } == ["m1-e2", "m2-e1"])
        #expect(mentorOpt.preferences.blockingPairs == 0 && menteeOpt.preferences.blockingPairs == 0)
        // The optimal method ignores stability; the report counts its blocking pairs all the same.
        var swapped = policy; swapped.method = .optimal
        #expect(try Matcher(policy: swapped).match(cohort).preferences.blockingPairs >= 0)
    }

    @Test func lotteryIsSeededAndReported() throws {
        var m1 = Person(id: "m1", role: .mentor, capacity: 1)
        let m2 = Person(id: "m2", role: .mentor, capacity: 1)
        var e1 = Person(id: "e1", role: .mentee)
        let e2 = Person(id: "e2", role: .mentee)
        e1.preferences = [["m1"]]
        m1.preferences = [["e1", "e2"]]       // a tie: the lottery decides
        var policy = HospitalResidents.policy
        policy.method = .stable
        let cohort = Cohort(mentors: [m1, m2], mentees: [e1, e2])
        var outcomes = Set<[String]>()
        for seed in UInt64(0)..<20 {
            let r = try Matcher(policy: policy, seed: seed).match(cohort)
            #expect(r.preferences.blockingPairs == 0)
            #expect(r.preferences.tiesBroken?.mentors == 1)
            #expect(r.notes.contains { $0.contains("lottery with seed \(seed)") })
            outcomes.insert(r.pairs.map { "\($0.mentor)-\($0.mentee)" })
            let again = try Matcher(policy: policy, seed: seed).match(cohort)
            #expect(again.pairs == r.pairs, "same seed, same matching")
        }
        #expect(outcomes.count == 2, "m1 is tied between e1 and e2: over 20 seeds the lottery should pick each")
    }
}

/// Published hospitals/residents instances: mentee-choice reproduces every reference matching,
/// resident by resident.
@Suite struct HospitalResidentsTests {
    static let csi = Repo.sharedBenchmarks + "/hr-csi2120"
    static let lib = Repo.sharedBenchmarks + "/hr-matching-lib"

    /// resident → programme ("" when unmatched) from a reference CSV.
    static func reference(_ path: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            out[cells[0]] = cells.count > 1 ? cells[1].trimmingCharacters(in: .whitespacesAndNewlines) : ""
        }
        return out
    }

    static func assignment(_ result: MatchResult, _ cohort: Cohort, strip: Bool = false) -> [String: String] {
        func name(_ id: PersonID) -> String { strip ? String(id.rawValue.dropFirst(2)) : id.rawValue }
        var out = Dictionary(uniqueKeysWithValues: cohort.mentees.map { (name($0.id), "") })
        for p in result.pairs { out[name(p.mentee)] = name(p.mentor) }
        return out
    }

    @Test(arguments: ["Small", "4000"])
    func csi2120(size: String) throws {
        let cohort = try HospitalResidents.csi2120(residents: "\(Self.csi)/resident\(size == "Small" ? "" : "s")\(size).csv",
                                                   programs: "\(Self.csi)/program\(size == "Small" ? "" : "s")\(size).csv")
        let result = try Matcher(policy: HospitalResidents.policy).match(cohort)
        let expected = try Self.reference("\(Self.csi)/ref_resident_optimal_\(size.lowercased()).csv")
        let got = Self.assignment(result, cohort)
        #expect(got.count == expected.count)
        let differences = expected.filter { got[$0.key] != $0.value }
        #expect(differences.isEmpty, "\(differences.count) residents differ, e.g. \(differences.sorted { $0.key < $1.key }.prefix(3))")
        #expect(result.preferences.blockingPairs == 0)
        #expect(result.matched == (size == "Small" ? 9 : 3666))
    }

    @Test(arguments: ["readme_example", "issue_67", "resident_loses_all_preferences"])
    func matchingLibraryExamples(name: String) throws {
        let path = "\(Self.lib)/\(name).json"
        let cohort = try HospitalResidents.matchingLibrary(path: path)
        let result = try Matcher(policy: HospitalResidents.policy).match(cohort)
        guard case .object(let expected)? = try JSONValue.parseJSON(Data(contentsOf: URL(fileURLWithPath: path)), file: path)["expected_resident_optimal"] else {
            Issue.record("no expected matching"); return
        }
        var want: [String: String] = Dictionary(uniqueKeysWithValues: cohort.mentees.map { (String($0.id.rawValue.dropFirst(2)), "") })
        for (hospital, residents) in expected {
            if case .array(let rs) = residents { for case .string(let r) in rs { want[r] = hospital } }
        }
        #expect(Self.assignment(result, cohort, strip: true) == want)
        #expect(result.preferences.blockingPairs == 0)
        if name == "readme_example" {
            // The library's docs: this stable matching is unique, so the mentor-optimal one is the same.
            var mentorsPropose = HospitalResidents.policy
            mentorsPropose.proposer = .mentors
            #expect(Self.assignment(try Matcher(policy: mentorsPropose).match(cohort), cohort, strip: true) == want)
        }
    }

    @Test func issue159() throws {
        let cohort = try HospitalResidents.matchingLibrary(path: "\(Self.lib)/issue_159.json")
        let result = try Matcher(policy: HospitalResidents.policy).match(cohort)
        let refPath = "\(Self.lib)/issue_159_reference.json"
        guard case .object(let ref)? = try JSONValue.parseJSON(Data(contentsOf: URL(fileURLWithPath: refPath)), file: refPath)["resident_optimal"] else {
            Issue.record("no reference"); return
        }
        var want: [String: String] = Dictionary(uniqueKeysWithValues: cohort.mentees.map { (String($0.id.rawValue.dropFirst(2)), "") })
        for (hospital, residents) in ref {
            if case .array(let rs) = residents { for r in rs { if case .number(let x) = r { want[formatNumber(x)] = hospital } } }
        }
        #expect(Self.assignment(result, cohort, strip: true) == want)
        #expect(result.matched == 37)
        #expect(result.preferences.blockingPairs == 0)
    }
}

/// Cross-check against an independent implementation: the Python `matching` package
/// (HospitalResident, resident- and hospital-optimal), run once on a batch of random instances.
@Suite struct StableMatchingPythonTests {
    static let python = ProcessInfo.processInfo.environment["PEERMATCH_TEST_PYTHON"]

    @Test(.enabled(if: python != nil, "PEERMATCH_TEST_PYTHON is unset (run .ci/run, or see README: test-only Python peers); the brute-force suite covers the same property"))
    func agreesWithPythonMatching() throws {
        var rng = SeededRandom(seed: 4242)
        var instances: [Cohort] = []
        for _ in 0..<150 {
            let nm = rng.int(in: 1...6), ne = rng.int(in: 1...15)
            var mentors = (0..<nm).map { Person(id: PersonID("h\($0)"), role: .mentor, capacity: rng.int(in: 1...3)) }
            var mentees = (0..<ne).map { Person(id: PersonID("r\($0)"), role: .mentee) }
            func list(_ ids: [PersonID]) -> [[PersonID]] {
                var chosen = ids.filter { _ in rng.chance(0.7) }
                if chosen.isEmpty { chosen = [ids[rng.int(ids.count)]] }
                chosen.shuffle(using: &rng)
                return chosen.map { [$0] }
            }
            for k in mentors.indices { mentors[k].preferences = list(mentees.map(\.id)) }
            for k in mentees.indices { mentees[k].preferences = list(mentors.map(\.id)) }
            instances.append(Cohort(mentors: mentors, mentees: mentees))
        }
        let payload = JSONValue.array(instances.map { c in
            func prefs(_ people: [Person]) -> JSONValue {
                .object(people.map { ($0.id.rawValue, .array($0.preferences.map { .string($0[0].rawValue) })) })
            }
            return .object([("residents", prefs(c.mentees)), ("hospitals", prefs(c.mentors)),
                            ("capacities", .object(c.mentors.map { ($0.id.rawValue, .number(Double($0.capacity))) }))])
        })
        let script = """
        import json, sys
        from matching.games import HospitalResident
        out = []
        for inst in json.load(sys.stdin):
            for side in ("resident", "hospital"):
                game = HospitalResident.create_from_dictionaries(inst["residents"], inst["hospitals"], inst["capacities"], clean=True)
                game.solve(optimal=side)
                answer = {str(r.name): (str(r.matching.name) if r.matching is not None else "") for r in game.residents}
                for r in inst["residents"]:
                    answer.setdefault(r, "")
                out.append(answer)
        print(json.dumps(out))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python!)
        process.arguments = ["-c", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input; process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(payload.rendered().utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        guard case .array(let answers) = try JSONValue.parseJSON(data, file: "python") else { Issue.record("no answer"); return }
        #expect(answers.count == 2 * instances.count)
        var matchedByPython = 0, sidesDiffer = 0
        for (k, answer) in answers.enumerated() {
            // Answers alternate: resident-optimal (mentees propose), hospital-optimal (mentors propose).
            let cohort = instances[k / 2]
            var policy = HospitalResidents.policy
            policy.proposer = k % 2 == 0 ? .mentees : .mentors
            let result = try Matcher(policy: policy).match(cohort)
            var got = Dictionary(uniqueKeysWithValues: cohort.mentees.map { ($0.id.rawValue, "") })
            for p in result.pairs { got[p.mentee.rawValue] = p.mentor.rawValue }
            var want: [String: String] = [:]
            if case .object(let entries) = answer { for (r, h) in entries { if case .string(let s) = h { want[r] = s } } }
            matchedByPython += want.values.filter { !$0.isEmpty }.count
            #expect(got == want, "instance \(k / 2), \(policy.proposer) propose")
            if k % 2 == 1, case .object(let other) = answers[k - 1], other.count == want.count,
               other.contains(where: { r, h in if case .string(let s) = h { return want[r] != s } else { return true } }) {
                sidesDiffer += 1
            }
            #expect(result.preferences.blockingPairs == 0, "instance \(k)")
        }
        #expect(matchedByPython > 600, "the Python side must actually return matchings")
        #expect(sidesDiffer > 2, "some instances should have distinct resident- and hospital-optimal matchings")
    }
}
