import Foundation
@testable import PeerMatch

extension RandomCohorts {
    /// A small random cohort with a timetable: 1–3 slots (some overlapping), 1–2 rooms with
    /// features, capacities and availability, people's availability, room needs, a term with a
    /// skipped week and unavailable dates, a random format, and sometimes earlier pairs.
    mutating func timetabledCohort(mentors: Int, mentees: Int, slots nSlots: Int, rooms nRooms: Int,
                                   format: SessionFormat? = nil, sessionsPerWeek: Int = 1) -> Cohort {
        var cohort = cohort(mentors: mentors, mentees: mentees)
        let starts = ["12:00", "12:30", "15:30"], ends = ["12:45", "13:00", "16:30"]
        var slots: [Slot] = []
        for s in 0..<nSlots {
            let day: Weekday = rng.chance(0.5) ? .wed : [.mon, .fri][rng.int(2)]
            let t = rng.int(3)
            slots.append(Slot(id: "s\(s)", day: day, start: ClockTime(starts[t])!, end: ClockTime(ends[t])!,
                              label: t == 2 ? "After school" : "Lunch"))
        }
        let features = ["quiet", "accessible"]
        var rooms: [Room] = []
        for r in 0..<nRooms {
            var room = Room(id: "r\(r)", name: "Room \(r)", capacity: rng.int(in: 1...3))
            room.features = features.filter { _ in rng.chance(0.4) }
            if rng.chance(0.3) { room.availability = slots.map(\.id).filter { _ in rng.chance(0.6) } }
            rooms.append(room)
        }
        for i in cohort.mentors.indices where rng.chance(0.5) {
            cohort.mentors[i].availability = slots.map(\.id).filter { _ in rng.chance(0.6) }
        }
        for j in cohort.mentees.indices {
            if rng.chance(0.5) { cohort.mentees[j].availability = slots.map(\.id).filter { _ in rng.chance(0.6) } }
            if rng.chance(0.25) { cohort.mentees[j].requireRoomFeatures = [features[rng.int(2)]] }
            if rng.chance(0.2) { cohort.mentees[j].unavailableDates = [CalendarDate("2026-09-16")!, CalendarDate("2026-09-18")!] }
        }
        if rng.chance(0.2) && !cohort.mentors.isEmpty { cohort.mentors[0].unavailableDates = [CalendarDate("2026-09-21")!] }
        if rng.chance(0.4) && !cohort.mentors.isEmpty && !cohort.mentees.isEmpty {
            cohort.history = [HistoryPair(mentor: cohort.mentors[rng.int(cohort.mentors.count)].id,
                                          mentee: cohort.mentees[rng.int(cohort.mentees.count)].id, term: "summer")]
        }
        let term = Term(start: CalendarDate("2026-09-07")!, end: CalendarDate("2026-10-09")!,
                        skipWeeks: [CalendarDate("2026-09-30")!], sessionsPerWeek: sessionsPerWeek)
        cohort.timetable = TimetableSetup(slots: slots, rooms: rooms, term: term,
                                          format: format ?? SessionFormat.allCases[rng.int(3)])
        return cohort
    }

    /// A random policy with random timetable weights and rotation.
    mutating func timetablePolicy(slots: Int) -> Policy {
        var p = policy()
        p.timetable.mentorDays = [0, 1, 2.5][rng.int(3)]
        p.timetable.roomSharing = [0, 1, 3][rng.int(3)]
        if rng.chance(0.5) { p.timetable.preferredSlots = [.init(slot: "Lunch", bonus: [2, 5][rng.int(2)])] }
        if rng.chance(0.3), slots > 0 { p.timetable.preferredSlots.append(.init(slot: "s\(rng.int(slots))", bonus: 1.5)) }
        p.rotation = RotationMode.allCases[rng.int(3)]
        return p
    }
}

/// Re-checks every hard rule of a timetable straight from the cohort and the result's ids and
/// dates, without the library's timetable code: availability, room availability and features,
/// nobody in two places at once, room capacity by format, groups meeting together, and every
/// date (right weekday, in the term, not in a skipped week, nobody away, none missing).
func independentTimetableViolations(_ result: MatchResult, _ cohort: Cohort) -> [String] {
    guard let setup = cohort.timetable else { return ["no timetable"] }
    var problems: [String] = []
    let slots = Dictionary(uniqueKeysWithValues: setup.slots.map { ($0.id, $0) })
    let rooms = Dictionary(uniqueKeysWithValues: setup.rooms.map { ($0.id, $0) })
    let people = Dictionary(uniqueKeysWithValues: (cohort.mentors + cohort.mentees).map { ($0.id, $0) })
    func minutes(_ t: ClockTime) -> Int { Int(t.description.prefix(2))! * 60 + Int(t.description.suffix(2))! }
    func overlap(_ a: Slot, _ b: Slot) -> Bool {
        a.day == b.day && minutes(a.start) < minutes(b.end) && minutes(b.start) < minutes(a.end)
    }
    let k = setup.term?.sessionsPerWeek ?? 1
    struct Booking { var person: [PersonID]; var slot: Slot; var room: String; var mentor: PersonID }
    var bookings: [Booking] = []
    var groupSessions: [PersonID: Set<Session>] = [:]
    for pair in result.pairs {
        guard let m = people[pair.mentor], let e = people[pair.mentee] else { problems.append("unknown person"); continue }
        if pair.sessions.count != k { problems.append("\(pair.mentor)-\(pair.mentee): \(pair.sessions.count) sessions, want \(k)") }
        if Set(pair.sessions.map(\.slot)).count != pair.sessions.count { problems.append("\(pair.mentee): two sessions at one slot") }
        for s in pair.sessions {
            guard let slot = slots[s.slot], let room = rooms[s.room] else { problems.append("unknown slot or room \(s)"); continue }
            for p in [m, e] where !(p.availability ?? setup.slots.map(\.id)).contains(s.slot) {
                problems.append("\(p.id) not available at \(s.slot)")
            }
            if !(room.availability ?? setup.slots.map(\.id)).contains(s.slot) { problems.append("room \(s.room) not free at \(s.slot)") }
            for f in e.requireRoomFeatures where !room.features.contains(f) { problems.append("room \(s.room) lacks \(f) for \(e.id)") }
            bookings.append(Booking(person: [m.id, e.id], slot: slot, room: s.room, mentor: m.id))
        }
        if setup.format == .group {
            let set = Set(pair.sessions)
            if let g = groupSessions[m.id], g != set { problems.append("\(m.id)'s group split") }
            groupSessions[m.id] = set
        }
        // Dates, recomputed with Foundation's ISO-8601 calendar in UTC.
        if let term = setup.term {
            var cal = Calendar(identifier: .iso8601); cal.timeZone = TimeZone(identifier: "UTC")!
            func date(_ d: CalendarDate) -> Date {
                let parts = d.description.split(separator: "-").map { Int($0)! }
                return cal.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))!
            }
            func text(_ d: Date) -> String {
                let c = cal.dateComponents([.year, .month, .day], from: d)
                return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
            }
            let skipWeeks = Set(term.skipWeeks.map { cal.dateInterval(of: .weekOfYear, for: date($0))!.start })
            let days = Set(pair.sessions.compactMap { slots[$0.slot]?.day.index })
            var expected: [String] = [], skipped: [String] = []
            var d = date(term.start)
            let end = date(term.end)
            while d <= end {
                let weekdayISO = (cal.component(.weekday, from: d) + 5) % 7   // Monday 0
                if days.contains(weekdayISO) {
                    let t = text(d)
                    let away = [m, e].contains { $0.unavailableDates.map(\.description).contains(t) }
                    if skipWeeks.contains(cal.dateInterval(of: .weekOfYear, for: d)!.start) || away { skipped.append(t) } else { expected.append(t) }
                }
                d = cal.date(byAdding: .day, value: 1, to: d)!
            }
            if pair.dates.map(\.description) != expected { problems.append("\(pair.mentor)-\(pair.mentee) dates \(pair.dates) != \(expected)") }
            if pair.skippedDates.map(\.date.description) != skipped { problems.append("\(pair.mentor)-\(pair.mentee) skipped dates wrong") }
        }
    }
    // Nobody in two places at once.
    for a in bookings.indices { for b in bookings.indices where a < b && overlap(bookings[a].slot, bookings[b].slot) {
        let shared = Set(bookings[a].person).intersection(bookings[b].person)
        let sameGroup = setup.format == .group && bookings[a].mentor == bookings[b].mentor
            && bookings[a].slot == bookings[b].slot && bookings[a].room == bookings[b].room
        if !shared.isEmpty && !(sameGroup && shared == [bookings[a].mentor]) {
            problems.append("\(shared.sorted()) in two places at once")
        }
    } }
    // Capacity at the start of every booked session (intervals: the peak is at some start).
    for a in bookings {
        let here = bookings.filter { $0.room == a.room && overlap($0.slot, a.slot) && minutes($0.slot.start) <= minutes(a.slot.start) }
        let cap = rooms[a.room]!.capacity
        switch setup.format {
        case .oneToOne: if here.count > 1 { problems.append("room \(a.room) holds \(here.count) pairs one-to-one") }
        case .pairsInRoom: if here.count > cap { problems.append("room \(a.room) over capacity") }
        case .group:
            let mentors = Set(here.map(\.mentor))
            if mentors.count > 1 { problems.append("room \(a.room) holds two groups") }
            if here.count + 1 > cap { problems.append("room \(a.room) holds \(here.count + 1) people, capacity \(cap)") }
        }
    }
    return problems
}

/// The timetable soft terms of a result, computed from ids alone (hundredths).
func independentSoftValue(_ result: MatchResult, _ cohort: Cohort, _ policy: Policy) -> Int {
    let setup = cohort.timetable!
    var total = 0
    var days: [PersonID: Set<Weekday>] = [:]
    var perRoomSlot: [Session: Int] = [:]
    for pair in result.pairs {
        for s in pair.sessions {
            let slot = setup.slots.first { $0.id == s.slot }!
            for pref in policy.timetable.preferredSlots where pref.slot == slot.id || pref.slot.lowercased() == slot.label?.lowercased() {
                total += Int((pref.bonus * 100).rounded())
            }
            days[pair.mentor, default: []].insert(slot.day)
            perRoomSlot[s, default: 0] += 1
        }
    }
    total -= Int((policy.timetable.mentorDays * 100).rounded()) * days.values.reduce(0) { $0 + $1.count - 1 }
    if setup.format == .pairsInRoom {
        total -= Int((policy.timetable.roomSharing * 100).rounded()) * perRoomSlot.values.reduce(0) { $0 + max(0, $1 - 1) }
    }
    return total
}

/// The lexicographic value of a timetable: matched per priority, earlier pairs kept (rotation
/// `keep`), mentors at a soft minimum, then score plus soft terms.
struct TimetableValue: Comparable, CustomStringConvertible {
    var matchedByLevel: [Int]
    var kept: Int
    var atMinimum: Int
    var total: Int
    static func < (a: Self, b: Self) -> Bool {
        if a.matchedByLevel != b.matchedByLevel { return a.matchedByLevel.lexicographicallyPrecedes(b.matchedByLevel) }
        return (a.kept, a.atMinimum, a.total) < (b.kept, b.atMinimum, b.total)
    }
    var description: String { "matched \(matchedByLevel) kept \(kept) atMin \(atMinimum) total \(total)" }
}

/// Value of a result under the cohort's problem (pairs looked up by id).
func timetableValue(_ result: MatchResult, _ cohort: Cohort, _ policy: Policy, _ ctx: PairingContext, _ problem: MatchingProblem) -> TimetableValue {
    let selection = result.pairs.compactMap { pair -> Int? in
        guard let i = ctx.mentorIndex[pair.mentor], let j = ctx.menteeIndex[pair.mentee] else { return nil }
        return problem.pairs.index(mentor: i, mentee: j)
    }
    let e = problem.evaluate(selection)
    let kept = policy.rotation == .keep
        ? result.pairs.filter { p in cohort.history.contains { $0.mentor == p.mentor && $0.mentee == p.mentee } }.count : 0
    return TimetableValue(matchedByLevel: e.matchedByLevel, kept: kept, atMinimum: e.mentorsAtMinimum,
                          total: e.score + independentSoftValue(result, cohort, policy))
}

/// The optimum by enumerating every pairing × weekly sessions (each pair: every set of
/// `sessionsPerWeek` slot-and-room choices at different slots), as results whose feasibility the
/// independent checker decides. Tiny cohorts only; nil when nothing is feasible.
func bruteForceTimetable(_ cohort: Cohort, _ policy: Policy, _ ctx: PairingContext, _ problem: MatchingProblem) -> TimetableValue? {
    let setup = cohort.timetable!
    let pairs = problem.pairs
    let k = setup.term?.sessionsPerWeek ?? 1
    let sessions = setup.slots.flatMap { s in setup.rooms.map { Session(slot: s.id, room: $0.id) } }
    var best: TimetableValue? = nil
    let lockedMentees = Set(cohort.locked.map(\.mentee))
    func consider(_ chosen: [(Int, [Session])]) {
        var result = MatchResult(status: .optimal, method: .optimal, solver: "brute", fallbackReason: nil, matched: 0, scoreHundredths: 0,
                                 matchedByPriority: [], mentorsAtMinimum: nil, boundHundredths: nil, pairs: [], unmatched: [],
                                 shortfalls: [], diagnosis: [],
                                 stats: MatchStats(candidates: 0, variables: 0, constraints: 0, seconds: 0, method: "", rawStatus: ""),
                                 preferences: PreferenceReport(blockingPairs: 0, mentees: RankStatistics(), mentors: RankStatistics()),
                                 notes: [])
        for (p, s) in chosen {
            let m = ctx.mentor(Int(pairs.mentor[p])), e = ctx.mentee(Int(pairs.mentee[p]))
            var mp = MatchedPair(mentor: m.id, mentee: e.id, scoreHundredths: pairs.score[p], reasons: [])
            mp.sessions = s
            if let term = setup.term {
                let days = Array(Set(s.map { id in setup.slots.first { $0.id == id.slot }!.day })).sorted()
                (mp.dates, mp.skippedDates) = TermCalendar.sessions(term, days: days, people: [m, e])
            }
            result.pairs.append(mp)
        }
        guard problem.violations(chosen.map(\.0)).isEmpty, independentTimetableViolations(result, cohort).isEmpty else { return }
        for lock in cohort.locked {
            guard let got = result.pairs.first(where: { $0.mentor == lock.mentor && $0.mentee == lock.mentee }) else { return }
            if let s = lock.slot, !got.sessions.contains(where: { $0.slot == s }) { return }
            if let r = lock.room, !got.sessions.contains(where: { $0.slot == lock.slot && $0.room == r }) { return }
        }
        let v = timetableValue(result, cohort, policy, ctx, problem)
        if best == nil || best! < v { best = v }
    }
    // Each pair's possible weeks: k sessions at different slots where both people and the room are free.
    func weeks(_ p: Int) -> [[Session]] {
        let m = ctx.mentor(Int(pairs.mentor[p])), e = ctx.mentee(Int(pairs.mentee[p]))
        let open = sessions.filter { s in
            [m.availability, e.availability, setup.rooms.first { $0.id == s.room }!.availability].allSatisfy { $0?.contains(s.slot) ?? true }
        }
        var out: [[Session]] = []
        var pick: [Session] = []
        func choose(_ from: Int) {
            if pick.count == k { out.append(pick); return }
            for n in from ..< open.count where !pick.contains(where: { $0.slot == open[n].slot }) {
                pick.append(open[n]); choose(n + 1); pick.removeLast()
            }
        }
        choose(0)
        return out
    }
    let weeksOf = (0..<pairs.count).map { weeks($0) }
    var chosen: [(Int, [Session])] = []
    func visit(_ j: Int) {
        if j == pairs.menteeCount { consider(chosen); return }
        if !lockedMentees.contains(ctx.mentee(j).id) { visit(j + 1) }
        for p in pairs.pairs(ofMentee: j) {
            for w in weeksOf[p] { chosen.append((p, w)); visit(j + 1); chosen.removeLast() }
        }
    }
    visit(0)
    return best
}
