import Foundation
import Testing
@testable import PeerMatch

/// Re-matching schemes without a timetable (`solve --previous` on a cohort with no slots).
/// Seen: --previous worked only for cohorts with a timetable, and removing a withdrawn mentor
/// made validation fail on every reference to them.
@Suite struct MatchingRematchTests {
    func roundTrip(_ r: MatchResult) throws -> PreviousResult {
        try PreviousResult.parse(Data(ResultWriter.json(r, timings: false).rendered().utf8), file: "previous.json")
    }

    /// Against brute force on random cohorts: after a withdrawal, a joiner or a changed wish, the
    /// re-match is the lexicographic optimum of (matched by priority, earlier pairs kept, mentors at
    /// the minimum, score) among matchings that break at most N still-possible earlier pairs.
    @Test func equalsBruteForceOnRandomChanges() throws {
        var gen = RandomCohorts(seed: 91)
        var checked = 0
        for round in 0..<160 {
            var policy = gen.policy()
            if policy.mentorMinimum.mode == .hard { policy.mentorMinimum.mode = .soft }
            let cohort = gen.cohort(mentors: gen.rng.int(in: 2...3), mentees: gen.rng.int(in: 3...5))
            let before = try Matcher(policy: policy).match(cohort)
            guard before.status == .optimal, !before.pairs.isEmpty else { continue }
            var after = cohort
            switch round % 3 {
            case 0: after.mentors.remove(at: gen.rng.int(after.mentors.count))   // a mentor withdraws
            case 1:                                                              // a joiner of high priority
                var joiner = after.mentees[0]
                joiner.id = "joiner"; joiner.priority = 3; joiner.preferences = []
                after.mentees.append(joiner)
            default:                                                             // a wish changes
                let k = gen.rng.int(after.mentees.count)
                after.mentees[k].genderPreference = after.mentees[k].genderPreference == .any ? .same : .any
            }
            let gone = Set(cohort.mentors.map(\.id)).subtracting(after.mentors.map(\.id))
            after.exclusions.removeAll { gone.contains($0.a) || gone.contains($0.b) }
            after.scores.removeAll { gone.contains($0.mentor) }
            for j in after.mentees.indices { after.mentees[j].preferences = after.mentees[j].preferences.filter { !$0.contains { gone.contains($0) } } }
            let limit = gen.rng.int(in: 0...2)
            let previous = try roundTrip(before)
            let result = try Matcher(policy: policy).match(after, previous: previous, maxChanges: limit)
            #expect(independentViolations(result, after, policy).isEmpty, "round \(round)")

            // Brute force over every assignment of the new problem.
            let (ctx, problem) = try Matcher(policy: policy).problem(for: after)
            let keep = Set(previous.pairs.compactMap { pair -> Int? in
                guard let i = ctx.mentorIndex[pair.mentor], let j = ctx.menteeIndex[pair.mentee] else { return nil }
                return problem.pairs.index(mentor: i, mentee: j)
            })
            typealias Value = (levels: [Int], kept: Int, minimum: Int, score: Int)
            func better(_ a: Value, _ b: Value) -> Bool {
                if a.levels != b.levels { return b.levels.lexicographicallyPrecedes(a.levels) }
                if a.kept != b.kept { return a.kept > b.kept }
                if a.minimum != b.minimum { return a.minimum > b.minimum }
                return a.score > b.score
            }
            var best: Value? = nil
            forEachAssignment(problem) { chosen, _ in
                guard problem.violations(chosen).isEmpty else { return }
                let kept = Set(chosen).intersection(keep).count
                guard keep.count - kept <= limit else { return }
                let e = problem.evaluate(chosen)
                let v: Value = (e.matchedByLevel, kept, e.mentorsAtMinimum, e.score)
                if best == nil || better(v, best!) { best = v }
            }
            let b = try #require(best, "round \(round): keeping every earlier pair is always possible")
            #expect(result.status == .optimal, "round \(round)")
            let selected = result.pairs.compactMap { p in problem.pairs.index(mentor: ctx.mentorIndex[p.mentor]!, mentee: ctx.menteeIndex[p.mentee]!) }
            let e = problem.evaluate(selected)
            let kept = Set(selected).intersection(keep).count
            #expect(e.matchedByLevel == b.levels && kept == b.kept && e.mentorsAtMinimum == b.minimum && e.score == b.score,
                    "round \(round): got \(e.matchedByLevel) kept \(kept) score \(e.score), brute force \(b)")
            let changes = try #require(result.timetable?.changes)
            #expect(changes.filter(\.counted).count == keep.count - kept, "round \(round): N counts broken pairs")
            #expect(changes.filter(\.counted).count <= limit)
            // Every earlier pair is either still there or listed as removed.
            for pair in previous.pairs where !result.pairs.contains(where: { $0.mentor == pair.mentor && $0.mentee == pair.mentee }) {
                #expect(changes.contains { $0.kind == .removed && $0.mentor == pair.mentor && $0.mentee == pair.mentee }, "round \(round)")
            }
            checked += 1
        }
        #expect(checked > 80)
    }

    /// By hand: Mo (female, one place) mentors Ann, Ben (male, one place) mentors Cal. Dee joins
    /// with a higher priority and wants a female mentor, so only Mo will do. With no change
    /// allowed Dee waits; with one, Ann's pair is broken for Dee (Ben is full, so Ann waits).
    @Test func aJoinerOfHigherPriorityAndTheChangeLimit() throws {
        let mo = Person(id: "m1", role: .mentor, name: "Mo", age: 14, gender: "female", capacity: 1)
        let ben = Person(id: "m2", role: .mentor, name: "Ben", age: 14, gender: "male", capacity: 1)
        let ann = Person(id: "e1", role: .mentee, name: "Ann", age: 12, interests: ["art"])
        let cal = Person(id: "e2", role: .mentee, name: "Cal", age: 12)
        let dee = Person(id: "e3", role: .mentee, name: "Dee", age: 12, gender: "female", genderPreference: .oneOf(["female"]), priority: 1)
        let previous = PreviousResult(pairs: [.init(mentor: "m1", mentee: "e1", sessions: []), .init(mentor: "m2", mentee: "e2", sessions: [])])
        let cohort = Cohort(mentors: [mo, ben], mentees: [ann, cal, dee])
        let none = try Matcher().match(cohort, previous: previous)
        #expect(none.pairs.map { "\($0.mentor)-\($0.mentee)" } == ["m1-e1", "m2-e2"])
        #expect(none.unmatched.map(\.id) == ["e3"])
        #expect(none.unmatched[0].reasons == ["the only compatible mentor, Mo, is full",
                                             "earlier pairs kept by the re-match hold 1 of those places, and the change limit (--max-changes 0) is reached"])
        #expect(none.timetable?.changes == [])
        let one = try Matcher().match(cohort, previous: previous, maxChanges: 1)
        #expect(one.pairs.map { "\($0.mentor)-\($0.mentee)" } == ["m1-e3", "m2-e2"])
        let changes = try #require(one.timetable?.changes)
        #expect(changes.map(\.kind) == [.removed, .added])
        #expect(changes[0].mentee == "e1" && changes[0].counted && changes[0].reason == "changed to match more mentees, or mentees of higher priority (allowed by --max-changes 1)")
        #expect(changes[1].mentee == "e3" && !changes[1].counted && changes[1].reason == "Dee newly matched")
        // The output formats all carry the changes.
        let csv = ResultWriter.csv(one, cohort: cohort)
        #expect(csv.contains("summary,,,,,,changes from the previous result: 1 counted of at most 1,,"))
        #expect(csv.contains("removed m1–e1: changed to match more mentees"))
        #expect(ResultWriter.json(one, timings: false)["changes"]?["counted"] == .number(1))
    }

    /// A withdrawn mentor is simply removed from the file: references to them are ignored with a
    /// warning when the previous result names them, and are errors otherwise (a typo).
    @Test func referencesToPeopleWhoLeftAreWarnings() throws {
        let json = """
            {"mentors": [{"id": "m2", "age": 14, "capacity": 2}],
             "mentees": [{"id": "e1", "age": 12, "preferences": ["m1", "m2"]}, {"id": "e2", "age": 12}],
             "exclusions": [{"a": "m1", "b": "e2"}], "locked": [{"mentor": "m1", "mentee": "e2"}],
             "scores": [{"mentor": "m1", "mentee": "e1", "score": 90}]}
            """
        let (_, strict) = try CohortReader.parse(Data(json.utf8), file: "c.json")
        #expect(strict.filter { $0.severity == .error }.map(\.location) == ["$.mentees[0].preferences[0]", "$.exclusions[0].a", "$.locked[0].mentor", "$.scores[0].mentor"])
        let (cohort, lenient) = try CohortReader.parse(Data(json.utf8), file: "c.json", departed: ["m1", "e1", "e2"])
        #expect(lenient.filter { $0.severity == .error }.isEmpty, "\(lenient)")
        #expect(lenient.map(\.description).contains("c.json: $.locked[0].mentor: warning: \"m1\" has left (in the previous result, not in this cohort), so this lock is ignored"))
        #expect(lenient.filter { $0.severity == .warning }.count == 4)
        #expect(cohort.mentees[0].preferences == [["m2"]] && cohort.exclusions.isEmpty && cohort.locked.isEmpty && cohort.scores.isEmpty)
        let previous = PreviousResult(pairs: [.init(mentor: "m1", mentee: "e1", sessions: []), .init(mentor: "m2", mentee: "e2", sessions: [])])
        let result = try Matcher().match(cohort, previous: previous)
        #expect(result.pairs.map { "\($0.mentor)-\($0.mentee)" } == ["m2-e1", "m2-e2"])
        #expect(result.notes.contains { $0.hasPrefix("m1 is in the previous result but not in this cohort, so their pair ends") })
        #expect(result.timetable?.changes?.first == Change(kind: .removed, mentor: "m1", mentee: "e1", before: [], after: [], reason: "m1 is no longer in the cohort", counted: false))
    }

    @Test func aPreviousResultOfAnotherCohortIsAnError() throws {
        let cohort = Cohort(mentors: [Person(id: "m1", role: .mentor, age: 14)], mentees: [Person(id: "e1", role: .mentee, age: 12)])
        let other = PreviousResult(pairs: [.init(mentor: "x1", mentee: "y1", sessions: [])])
        do { _ = try Matcher().match(cohort, previous: other); Issue.record("expected an error") } catch let e as MatchInputError {
            #expect(e.description == "--previous: none of the 2 people in the previous result is in this cohort, so it is the result of another cohort; pass the result that solve wrote for this cohort")
        }
        // Mentors whose capacity fell keep as many earlier pairs as they can take.
        let m = Person(id: "m1", role: .mentor, name: "Mo", age: 14, capacity: 1)
        let es = ["e1", "e2"].map { Person(id: PersonID($0), role: .mentee, age: 12) }
        let previous = PreviousResult(pairs: es.map { .init(mentor: "m1", mentee: $0.id, sessions: []) })
        let r = try Matcher().match(Cohort(mentors: [m], mentees: es), previous: previous)
        #expect(r.pairs.count == 1)
        #expect(r.timetable?.changes?.contains { $0.kind == .removed && $0.reason == "Mo now takes at most 1 mentee" && !$0.counted } == true)
    }
}
