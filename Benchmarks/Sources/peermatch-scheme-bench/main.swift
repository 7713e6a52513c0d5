// Benchmark (not a test): builds a county-wide scheme file with the store's own operations, the
// way a co-ordinator's years would: 50 schools, 10,000 people, 6 terms of history, each matched,
// approved, with a register of 18 weeks (19 less half term: 200,000 session records), some endings; then a 7th
// term of 2,000 mentees imported and ready to match. Benchmarks/scheme-bench.py times
// `peermatch scheme match`, `review` and the file beside their peers.
//
//   swift run -c release peermatch-scheme-bench --out county.peermatch [--terms 7] [--mentees 2000] [--weeks 19]
//
// People: term t (1-based) takes the generator's secondary cohort (seed t, mentors from Years
// 8-10: 0.4 mentors per mentee, so 800 mentors for 2,000 mentees) and gives its people county
// ids from two pools: mentors M(367 (t - 1) + k), mentees E(833 (t - 1) + k). Consecutive terms
// share about 430 mentors and 1,170 mentees (so earlier pairs meet again, for the rotation), and
// 7 terms reach 3,000 mentors and 7,000 mentees: 10,000 people. A person's details come from
// that term's draw, so they change from term to term. Schools: person k of a pool is in school
// k mod 50 (their `group` is prefixed with it). Terms have no slots (a
// county scheme arranges its meetings locally); the timetable is benchmarked on its own.
import Foundation
import PeerMatch
import PeerMatchStore

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = Date()
    try body()
    return Date().timeIntervalSince(start)
}

struct Options {
    var out = ""
    var terms = 7
    var mentees = 2000
    var weeks = 19
}

var options = Options()
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    switch a {
    case "--out": options.out = args.popFirst() ?? ""
    case "--terms": options.terms = Int(args.popFirst() ?? "") ?? options.terms
    case "--mentees": options.mentees = Int(args.popFirst() ?? "") ?? options.mentees
    case "--weeks": options.weeks = Int(args.popFirst() ?? "") ?? options.weeks
    default: FileHandle.standardError.write(Data("unknown argument \(a)\n".utf8)); exit(2)
    }
}
guard !options.out.isEmpty else { FileHandle.standardError.write(Data("usage: peermatch-scheme-bench --out FILE [--terms 7] [--mentees 2000] [--weeks 17]\n".utf8)); exit(2) }

/// Term t's cohort with county ids.
func termCohort(_ t: Int, mentees: Int) -> Cohort {
    var cohort = CohortGenerator(setting: .secondary, mentees: mentees, seed: UInt64(t), mentorPool: "Years 8–10").generate()
    // Steps that make 7 terms reach 10,000 people: about 3,000 mentors, the rest mentees.
    let mentorStep = (3_000 - cohort.mentors.count + 5) / 6
    let menteeStep = (10_000 - cohort.mentors.count - 6 * mentorStep - cohort.mentees.count) / 6
    var map: [PersonID: PersonID] = [:]
    for (k, p) in cohort.mentors.enumerated() { map[p.id] = PersonID("M\(mentorStep * (t - 1) + k)") }
    for (k, p) in cohort.mentees.enumerated() { map[p.id] = PersonID("E\(menteeStep * (t - 1) + k)") }
    func fix(_ p: Person) -> Person {
        var q = p
        q.id = map[p.id]!
        let k = Int(q.id.rawValue.dropFirst())!
        q.name = (p.role == .mentor ? "Mentor " : "Pupil ") + String(k)
        q.group = "school-\(k % 50)/" + (p.group ?? "none")
        q.preferences = p.preferences.map { $0.compactMap { map[$0] } }.filter { !$0.isEmpty }
        return q
    }
    cohort.mentors = cohort.mentors.map(fix)
    cohort.mentees = cohort.mentees.map(fix)
    cohort.exclusions = cohort.exclusions.compactMap { x in map[x.a].flatMap { a in map[x.b].map { Exclusion(a: a, b: $0, reason: x.reason) } } }
    cohort.locked = []
    cohort.history = []
    return cohort
}

let actor = Actor("benchmark")
let store = try SchemeStore.create(at: options.out, name: "County peer mentoring (benchmark)", by: actor)
var rng = SeededRandom(seed: 77)
var totalRecords = 0
print("| term | people | mentees | matched | import s | match s | record s | records |")
print("|---|---|---|---|---|---|---|---|")
for t in 1...options.terms {
    // Terms of 19 weeks from September 2023, one after another (a week off between).
    let start = CalendarDate("2023-09-04")!.adding(days: (t - 1) * 20 * 7)
    let end = start.adding(days: 19 * 7 - 3)
    let id = TermID("term-\(t)")
    try store.addTerm(id: id, name: "Term \(t)", setup: TermSetupInput(start: start, end: end, skipWeeks: [start.adding(days: 7 * 8)]), by: actor)
    let cohort = termCohort(t, mentees: options.mentees)
    let file = ImportFile(name: "term-\(t).json", data: Data(CohortWriter.json(cohort).rendered().utf8))
    let tImport = try seconds { _ = try store.importCohortFile(term: id, file: file, by: actor) }
    guard t < options.terms else {
        print("| \(t) (to match) | \(cohort.mentors.count + cohort.mentees.count) | \(cohort.mentees.count) | – | \(String(format: "%.2f", tImport)) | – | – | – |")
        break
    }
    var run: MatchRunSummary!
    let tMatch = try seconds { run = try store.match(term: id, by: actor) }
    let pairs = try store.proposals(term: id).pairs
    try store.approve(pairs.map(\.ref), by: actor)
    // The register: weekly sessions (not the skipped week) until the pair ends; 90% held,
    // 5% missed by the mentee, 2% by the mentor, 3% cancelled; 3% of pairs end early.
    var records: [SessionRecordInput] = []
    var endings: [(PairRef, EndReason, CalendarDate)] = []
    let weeks = (0..<options.weeks).map { start.adding(days: 7 * $0 + 1) }.filter { $0.weekStart != start.adding(days: 7 * 8).weekStart }
    for p in pairs {
        let stop = rng.chance(0.03) ? rng.int(in: 3...(weeks.count - 1)) : weeks.count
        for d in weeks.prefix(stop) {
            let x = rng.double(in: 0...1)
            let outcome: SessionOutcome = x < 0.90 ? .held : x < 0.95 ? .missedByMentee : x < 0.97 ? .missedByMentor : .cancelled
            records.append(SessionRecordInput(pair: p.ref, date: d, outcome: outcome, minutes: outcome == .held ? 30 + 5 * rng.int(in: 0...6) : nil))
        }
        if stop < weeks.count { endings.append((p.ref, EndReason.allCases[rng.int(EndReason.allCases.count)], weeks[stop - 1])) }
    }
    let tRecord = try seconds { try store.record(records, by: actor, source: "register term \(t)") }
    for (ref, reason, date) in endings { try store.end(ref, reason: reason, noRepeat: reason == .conflict || reason == .safeguarding, date: date, by: actor) }
    totalRecords += records.count
    print("| \(t) | \(cohort.mentors.count + cohort.mentees.count) | \(cohort.mentees.count) | \(run.matched) | \(String(format: "%.2f", tImport)) | \(String(format: "%.2f", tMatch)) | \(String(format: "%.2f", tRecord)) | \(records.count) |")
}
let summary = try store.scheme()
print("")
print("people \(summary.people), terms \(summary.terms.count), session records \(summary.sessionRecords) (\(totalRecords) written), audit entries \(summary.auditEntries)")
