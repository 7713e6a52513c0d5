/// The timetable's hard rules and soft terms, evaluated on a finished ``Timetabling`` independently
/// of how it was found. Every timetable a solver returns goes through ``TimetableRules/violations``.
enum TimetableRules {
    /// Everything wrong with a timetable (empty when it keeps every rule): wrong number of sessions,
    /// a person not free at the slot, a room not free or lacking a feature, someone in two places
    /// at once, a room over capacity, a group split across sessions.
    static func violations(_ t: Timetabling, _ problem: MatchingProblem, _ tctx: TimetableContext) -> [String] {
        var problems: [String] = []
        let pairs = problem.pairs, slots = tctx.setup.slots
        let k = tctx.sessionsPerWeek
        var mentorSessions = Array(repeating: Set<SessionIndex>(), count: problem.mentorCount)
        var menteeSlots = Array(repeating: [Int](), count: problem.menteeCount)
        var groupOf: [Int: [SessionIndex]] = [:]
        var people: [SessionIndex: Int] = [:]
        for (n, p) in t.selection.enumerated() {
            let i = Int(pairs.mentor[p]), j = Int(pairs.mentee[p])
            let sessions = t.sessions[n]
            if sessions.count != k || Set(sessions.map(\.slot)).count != k {
                problems.append("pair \(p) has \(sessions.count) sessions at \(Set(sessions.map(\.slot)).count) slots, not \(k)")
            }
            for s in sessions {
                guard s.slot >= 0, s.slot < slots.count, s.room >= 0, s.room < tctx.roomCount else {
                    problems.append("pair \(p) has no valid slot and room"); continue
                }
                if !tctx.mentorFree[i][s.slot] { problems.append("mentor \(i) not free at slot \(s.slot)") }
                if !tctx.menteeFree[j][s.slot] { problems.append("mentee \(j) not free at slot \(s.slot)") }
                if !tctx.roomFree[s.room][s.slot] { problems.append("room \(s.room) not free at slot \(s.slot)") }
                if !Set(tctx.classFeatures[tctx.menteeClass[j]]).isSubset(of: Set(tctx.setup.rooms[s.room].features)) {
                    problems.append("room \(s.room) lacks a feature mentee \(j) needs")
                }
                menteeSlots[j].append(s.slot)
                people[s, default: 0] += 1
                if tctx.format == .group {
                    mentorSessions[i].insert(s)
                } else {
                    if mentorSessions[i].contains(where: { slots[$0.slot].overlaps(slots[s.slot]) }) {
                        problems.append("mentor \(i) has two sessions at once (slot \(s.slot))")
                    }
                    mentorSessions[i].insert(s)
                }
            }
            if tctx.format == .group {
                if let g = groupOf[i], g != sessions { problems.append("mentor \(i)'s mentees meet at different sessions") }
                groupOf[i] = sessions
            }
        }
        for j in menteeSlots.indices {
            let ss = menteeSlots[j]
            for a in ss.indices { for b in ss.indices where a < b && slots[ss[a]].overlaps(slots[ss[b]]) {
                problems.append("mentee \(j) has two sessions at once")
            } }
        }
        // Rooms: load at every clique of overlapping slots.
        var occupancy = Array(repeating: Array(repeating: 0, count: tctx.cliques.count), count: tctx.roomCount)
        if tctx.format == .group {
            for i in mentorSessions.indices {
                let list = mentorSessions[i].sorted()
                for a in list.indices { for b in list.indices where a < b && slots[list[a].slot].overlaps(slots[list[b].slot]) {
                    problems.append("mentor \(i) has two sessions at once")
                } }
                for s in list {
                    if people[s, default: 0] + 1 > tctx.setup.rooms[s.room].capacity {
                        problems.append("room \(s.room) holds \(people[s, default: 0] + 1) people at slot \(s.slot), capacity \(tctx.setup.rooms[s.room].capacity)")
                    }
                    for c in tctx.cliques.indices where tctx.cliques[c].contains(s.slot) { occupancy[s.room][c] += 1 }
                }
            }
            for r in occupancy.indices { for c in occupancy[r].indices where occupancy[r][c] > 1 {
                problems.append("room \(r) holds \(occupancy[r][c]) groups at once")
            } }
        } else {
            for (s, n) in people.sorted(by: { $0.key < $1.key }) {
                for c in tctx.cliques.indices where tctx.cliques[c].contains(s.slot) { occupancy[s.room][c] += n }
            }
            for r in occupancy.indices { for c in occupancy[r].indices where occupancy[r][c] > tctx.roomCapacity[r] {
                problems.append("room \(r) holds \(occupancy[r][c]) pairs at once, capacity \(tctx.roomCapacity[r])")
            } }
        }
        return problems
    }

    /// Soft timetable terms in hundredths: slot bonuses per session, minus `mentorDays` per day
    /// beyond a mentor's first, minus `roomSharing` per pair beyond the first in a room at a slot.
    static func softValue(_ t: Timetabling, _ problem: MatchingProblem, _ tctx: TimetableContext, _ policy: Policy) -> Int {
        var total = 0
        var days = Array(repeating: Set<Weekday>(), count: problem.mentorCount)
        var perRoomSlot: [SessionIndex: Int] = [:]
        for (n, p) in t.selection.enumerated() {
            for s in t.sessions[n] {
                total += tctx.slotBonus[s.slot]
                days[Int(problem.pairs.mentor[p])].insert(tctx.setup.slots[s.slot].day)
                perRoomSlot[s, default: 0] += 1
            }
        }
        let dayCost = Score.hundredths(policy.timetable.mentorDays)
        total -= dayCost * days.reduce(0) { $0 + max(0, $1.count - 1) }
        if tctx.format == .pairsInRoom {
            let sharing = Score.hundredths(policy.timetable.roomSharing)
            total -= sharing * perRoomSlot.values.reduce(0) { $0 + max(0, $1 - 1) }
        }
        return total
    }
}
