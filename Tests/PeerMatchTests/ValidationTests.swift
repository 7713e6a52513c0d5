import Foundation
import Testing
@testable import PeerMatch

/// Each validation error, with its message and location.
@Suite struct ValidationTests {
    func problems(_ json: String, policy: Policy = .default) throws -> [String] {
        let (_, diagnostics) = try CohortReader.parse(Data(json.utf8), file: "c.json", policy: policy)
        return diagnostics.map(\.description)
    }

    @Test func duplicateId() throws {
        let p = try problems(#"{"mentors":[{"id":"a","age":14}],"mentees":[{"id":"a","age":12}]}"#)
        #expect(p == [#"c.json: $.mentees[0].id: duplicate id "a" (first used at $.mentors[0].id)"#])
    }

    @Test func unknownIdInExclusion() throws {
        let p = try problems(#"{"mentors":[{"id":"m","age":14}],"mentees":[{"id":"e","age":12}],"exclusions":[{"a":"m","b":"zz"}]}"#)
        #expect(p == [#"c.json: $.exclusions[0].b: unknown id "zz""#])
    }

    @Test func negativeCapacity() throws {
        let p = try problems(#"{"mentors":[{"id":"m","age":14,"capacity":-1}],"mentees":[]}"#)
        #expect(p == ["c.json: $.mentors[0].capacity: must be at least 0, found -1"])
    }

    @Test func ageMissingWhileAgeRuleIsOn() throws {
        let p = try problems(#"{"mentors":[{"id":"m"}],"mentees":[{"id":"e","yearGroup":7}]}"#)
        #expect(p == [#"c.json: $.mentors[0]: age missing (give "age" or "yearGroup") while the age-gap rule is hard"#])
        var off = Policy(); off.ageGap.mode = .off
        #expect(try problems(#"{"mentors":[{"id":"m"}],"mentees":[{"id":"e"}]}"#, policy: off).isEmpty)
    }

    @Test func everyProblemAtOnce() throws {
        let p = try problems(#"""
        {"mentors":[{"id":"m","age":"old","capacity":1.5,"interests":"art; music"}],
         "mentees":[{"name":"x","age":12},{"id":"e","age":12,"priority":"high","genderPreference":"same"}],
         "locked":[{"mentor":"e","mentee":"m"}],"scores":[{"mentor":"m","mentee":"e"}]}
        """#)
        #expect(p.contains(#"c.json: $.mentors[0].age: must be an age in years, found "old""#))
        #expect(p.contains("c.json: $.mentors[0].capacity: must be a whole number, found 1.5"))
        #expect(p.contains("c.json: $.mentees[0].id: missing id"))
        #expect(p.contains(#"c.json: $.mentees[1].priority: must be a whole number, found "high""#))
        #expect(p.contains(#"c.json: $.locked[0].mentor: "e" is a mentee, not a mentor"#))
        #expect(p.contains("c.json: $.scores[0].score: missing"))
        #expect(p.contains(#"c.json: $.mentees[1].genderPreference: is "same" but "gender" is missing"#))
        #expect(p.contains(#"c.json: $.locked[0].mentee: "m" is a mentor, not a mentee"#))
        #expect(p.count == 9, "\(p)")   // plus the missing-age error for the mentor
    }

    @Test func lockBreakingRuleNamesTheRule() throws {
        let p = try problems(#"{"mentors":[{"id":"m","age":20}],"mentees":[{"id":"e","age":12}],"locked":[{"mentor":"m","mentee":"e"}]}"#)
        #expect(p == ["c.json: $.locked[0]: the locked pair (m, e) breaks the hard rule ageGap: age gap: m is 8 years older; the mentor must be 1 to 4 years older"])
    }

    @Test func lockOverCapacityAndTwice() throws {
        let p = try problems(#"""
        {"mentors":[{"id":"m","age":14}],"mentees":[{"id":"e","age":12},{"id":"f","age":12}],
         "locked":[{"mentor":"m","mentee":"e"},{"mentor":"m","mentee":"f"},{"mentor":"m","mentee":"e"}]}
        """#)
        #expect(p.contains(#"c.json: $.locked[1].mentor: "m" has capacity 1 but is locked to 2 mentees"#))
        #expect(p.contains(#"c.json: $.locked[2].mentee: "e" is already locked at $.locked[0]"#))
    }

    @Test func notJSON() {
        #expect(throws: InputError.self) { try CohortReader.parse(Data("{\"mentors\": [".utf8), file: "c.json") }
        do { _ = try CohortReader.parse(Data("{\"mentors\": [".utf8), file: "c.json") } catch {
            #expect("\(error)" == "c.json: line 1, column 14: the file ends inside the list opened at line 1, column 13; it was cut short or a closing \"]\" is missing (near `{\"mentors\": [`)")
        }
    }

    @Test func missingLists() throws {
        #expect(try problems("{}") == [#"c.json: $: missing "mentors" (a list of mentors)"#, #"c.json: $: missing "mentees" (a list of mentees)"#])
        #expect(try problems("[]") == ["c.json: $: must be an object, found a list"])
    }

    @Test func policyErrors() {
        #expect(throws: InputError.self) { try PolicyReader.parse("ageGap:\n  mode: sometimes\n", file: "p.yaml") }
        do { _ = try PolicyReader.parse("ageGapp: 3\nweights:\n  sharedInterests: -1\n", file: "p.yaml") } catch {
            #expect("\(error)".contains("p.yaml: $.ageGapp: unknown setting"))
            #expect("\(error)".contains("p.yaml: $.weights.sharedInterests: must be a weight from 0 to 10000, found -1"))
        }
    }

    @Test func policyYAMLOffAndDefaultFile() throws {
        let p = try PolicyReader.parse("ageGap:\n  mode: off\ngenderPreference: soft\n", file: "p.yaml")
        #expect(p.ageGap.mode == .off)
        #expect(p.genderPreference == .soft)
        #expect(try PolicyReader.parse(Policy.defaultYAML, file: "default") == Policy.default)
        let shipped = try String(contentsOfFile: Repo.path("instances/policies/default.yaml"), encoding: .utf8)
        #expect(shipped == Policy.defaultYAML, "instances/policies/default.yaml must equal Policy.defaultYAML")
    }
}
