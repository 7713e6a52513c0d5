import Foundation
import Testing
@testable import PeerMatch

/// Why people are left unmatched, with exact words: the rule that rules out each partner first,
/// counted per rule, and full mentors.
@Suite struct UnmatchedReasonsTests {
    func person(_ id: String, _ role: Role, age: Double, name: String, capacity: Int = 1) -> Person {
        Person(id: PersonID(id), role: role, name: name, age: age, capacity: capacity)
    }

    @Test func reasonsNameTheRulesAndTheFullMentors() throws {
        let mentors = [
            person("m1", .mentor, age: 14, name: "Sam"),
            person("m2", .mentor, age: 14, name: "Jo"),
            person("m3", .mentor, age: 30, name: "Kim"),   // older than every mentee by more than 4 years
        ]
        let mentees = [
            person("e1", .mentee, age: 14, name: "Amira"),    // same age as m1, m2: no mentor within the gap
            person("e2", .mentee, age: 12, name: "Ben"),      // excluded by m1; m2 compatible
            person("e3", .mentee, age: 12, name: "Cara"),     // m1 and m2 compatible, both full once e2 and e4 take them
            person("e4", .mentee, age: 12, name: "Dev"),
        ]
        var cohort = Cohort(mentors: mentors, mentees: mentees, exclusions: [Exclusion(a: "m1", b: "e2", reason: "cousins")])
        cohort.locked = [LockedPair(mentor: "m2", mentee: "e2"), LockedPair(mentor: "m1", mentee: "e4")]
        let result = try Matcher().match(cohort)
        let reasons = Dictionary(uniqueKeysWithValues: result.unmatched.map { ($0.id.rawValue, $0.reasons) })
        #expect(reasons["e1"] == ["no mentor within the age gap (1 to 4 years)"])
        #expect(reasons["e3"] == ["every compatible mentor is full (Jo and Sam)"])
        #expect(reasons["m3"] == ["no mentee within the age gap (1 to 4 years)"])
        // Mixed rules: a mentor excluded and the others out of the age window.
        var mixed = cohort
        mixed.mentees[1].age = 14   // Ben: now the same age as m1 and m2, and excluded by m1 as well
        mixed.locked = [LockedPair(mentor: "m1", mentee: "e4")]
        let r = try Matcher().match(mixed)
        let ben = r.unmatched.first { $0.id == "e2" }?.reasons
        #expect(ben == ["no compatible mentor: of 3, 2 outside the age gap (1 to 4 years) and 1 excluded"])
    }
}
