/// Places pairs one at a time into the first free sessions: the fallback when GLPK gives no
/// timetable, and the first incumbent of column generation. Never breaks a hard rule: a pair it
/// cannot place is not made.
struct GreedyScheduler {
    let problem: MatchingProblem
    let tctx: TimetableContext

    private var load: [Int]
    private var menteeDone: [Bool]
    /// Seats taken per room and clique.
    private var seats: [[Int]]
    /// Slots each mentor and mentee is busy at.
    private var mentorBusy: [[Bool]]
    private var menteeBusy: [[Bool]]
    /// Group format: each mentor's group sessions, and people in each (mentor, session).
    private var groups: [[SessionIndex]]
    private var groupPeople: [SessionIndex: Int] = [:]
    private(set) var placed: [(pair: Int, sessions: [SessionIndex])] = []

    init(problem: MatchingProblem, tctx: TimetableContext) {
        self.problem = problem; self.tctx = tctx
        load = Array(repeating: 0, count: problem.mentorCount)
        menteeDone = Array(repeating: false, count: problem.menteeCount)
        seats = Array(repeating: Array(repeating: 0, count: tctx.cliques.count), count: tctx.roomCount)
        mentorBusy = Array(repeating: Array(repeating: false, count: tctx.slotCount), count: problem.mentorCount)
        menteeBusy = Array(repeating: Array(repeating: false, count: tctx.slotCount), count: problem.menteeCount)
        groups = Array(repeating: [], count: problem.mentorCount)
    }

    private func free(_ busy: [Bool], _ s: Int) -> Bool {
        !tctx.setup.slots.indices.contains { busy[$0] && tctx.setup.slots[$0].overlaps(tctx.setup.slots[s]) }
    }

    /// Whether room r can take one more pair at slot s (group format: whether it is empty then).
    private func roomHasSeat(_ r: Int, _ s: Int) -> Bool {
        let limit = tctx.format == .group ? 1 : tctx.roomCapacity[r]
        return tctx.cliques.indices.allSatisfy { !tctx.cliques[$0].contains(s) || seats[r][$0] + 1 <= limit }
    }

    private mutating func take(_ r: Int, _ s: Int, _ n: Int) {
        for c in tctx.cliques.indices where tctx.cliques[c].contains(s) { seats[r][c] += n }
    }

    /// Tries to make pair p, at `only` if given (a lock). Returns whether it was placed.
    @discardableResult
    mutating func place(_ p: Int, only: SessionIndex? = nil, onlySlot: Int? = nil) -> Bool {
        let i = Int(problem.pairs.mentor[p]), j = Int(problem.pairs.mentee[p])
        guard !menteeDone[j], load[i] < problem.capacity[i] else { return false }
        let k = tctx.sessionsPerWeek
        let cls = tctx.menteeClass[j]
        var slots = tctx.commonSlots(mentor: i, mentee: j).sorted { (-tctx.slotBonus[$0], $0) < (-tctx.slotBonus[$1], $1) }
        if let s = only?.slot ?? onlySlot { slots = slots.contains(s) ? [s] + slots.filter { $0 != s } : [] }
        var chosen: [SessionIndex] = []
        if tctx.format == .group {
            if !groups[i].isEmpty {
                // Join the mentor's existing group sessions.
                for g in groups[i] {
                    guard tctx.menteeFree[j][g.slot], free(menteeBusy[j], g.slot), tctx.roomsFor[cls][g.slot].contains(g.room),
                          groupPeople[g, default: 0] + 1 <= tctx.roomCapacity[g.room] else { return false }
                }
                if let only, !groups[i].contains(only) { return false }
                chosen = groups[i]
            } else {
                var mentorBusyNow = mentorBusy[i], menteeBusyNow = menteeBusy[j]
                for s in slots where chosen.count < k && free(mentorBusyNow, s) && free(menteeBusyNow, s) {
                    let rooms = only.map { [$0.room] } ?? tctx.roomsFor[cls][s]
                    guard let r = rooms.first(where: { tctx.roomsFor[cls][s].contains($0) && roomHasSeat($0, s) }) else { continue }
                    chosen.append(SessionIndex(slot: s, room: r)); mentorBusyNow[s] = true; menteeBusyNow[s] = true
                }
                guard chosen.count == k else { return false }
                for c in chosen { take(c.room, c.slot, 1); groups[i].append(c); groupPeople[c] = 1; mentorBusy[i][c.slot] = true }
            }
            for c in chosen { groupPeople[c, default: 0] += 1; menteeBusy[j][c.slot] = true }
        } else {
            var mentorBusyNow = mentorBusy[i], menteeBusyNow = menteeBusy[j]
            var taken: [(Int, Int)] = []
            for s in slots where chosen.count < k && free(mentorBusyNow, s) && free(menteeBusyNow, s) {
                let rooms = only.map { [$0.room] } ?? tctx.roomsFor[cls][s]
                guard let r = rooms.first(where: { tctx.roomsFor[cls][s].contains($0) && roomHasSeat($0, s) }) else { continue }
                chosen.append(SessionIndex(slot: s, room: r)); take(r, s, 1); taken.append((r, s))
                mentorBusyNow[s] = true; menteeBusyNow[s] = true
            }
            guard chosen.count == k else {
                for (r, s) in taken { take(r, s, -1) }
                return false
            }
            for c in chosen { mentorBusy[i][c.slot] = true; menteeBusy[j][c.slot] = true }
        }
        load[i] += 1; menteeDone[j] = true
        placed.append((p, chosen))
        return true
    }

    /// Tries to make pair p at exactly these sessions (a room of nil: any suitable room with a
    /// seat; group format: rooms are required, and a mentor's later mentees join the group's
    /// sessions). Returns whether it was placed.
    @discardableResult
    mutating func place(_ p: Int, sessions wanted: [(slot: Int, room: Int?)]) -> Bool {
        let i = Int(problem.pairs.mentor[p]), j = Int(problem.pairs.mentee[p])
        guard !menteeDone[j], load[i] < problem.capacity[i], wanted.count == tctx.sessionsPerWeek else { return false }
        let cls = tctx.menteeClass[j]
        let slots = wanted.map(\.slot)
        for (a, s) in slots.enumerated() {
            guard tctx.mentorFree[i][s], tctx.menteeFree[j][s], free(menteeBusy[j], s) else { return false }
            for t in slots[(a + 1)...] where tctx.setup.slots[s].overlaps(tctx.setup.slots[t]) { return false }
        }
        var chosen: [SessionIndex] = []
        if tctx.format == .group {
            guard wanted.allSatisfy({ $0.room != nil }) else { return false }
            let sessions = wanted.map { SessionIndex(slot: $0.slot, room: $0.room!) }.sorted()
            guard sessions.allSatisfy({ tctx.roomsFor[cls][$0.slot].contains($0.room) }) else { return false }
            if !groups[i].isEmpty {
                guard groups[i].sorted() == sessions,
                      sessions.allSatisfy({ groupPeople[$0, default: 0] + 1 <= tctx.roomCapacity[$0.room] }) else { return false }
            } else {
                guard sessions.allSatisfy({ free(mentorBusy[i], $0.slot) && roomHasSeat($0.room, $0.slot) }) else { return false }
                for c in sessions { take(c.room, c.slot, 1); groups[i].append(c); groupPeople[c] = 1; mentorBusy[i][c.slot] = true }
            }
            for c in sessions { groupPeople[c, default: 0] += 1; menteeBusy[j][c.slot] = true }
            chosen = sessions
        } else {
            var taken: [(Int, Int)] = []
            for w in wanted {
                let rooms = w.room.map { [$0] } ?? tctx.roomsFor[cls][w.slot]
                guard free(mentorBusy[i], w.slot),
                      let r = rooms.first(where: { tctx.roomsFor[cls][w.slot].contains($0) && roomHasSeat($0, w.slot) }) else {
                    for (r, s) in taken { take(r, s, -1) }
                    return false
                }
                take(r, w.slot, 1); taken.append((r, w.slot))
                chosen.append(SessionIndex(slot: w.slot, room: r))
            }
            for c in chosen { mentorBusy[i][c.slot] = true; menteeBusy[j][c.slot] = true }
        }
        load[i] += 1; menteeDone[j] = true
        placed.append((p, chosen))
        return true
    }

    /// Every candidate pair, higher-priority mentees first, then higher score, then index.
    static func priorityOrder(_ problem: MatchingProblem) -> [Int] {
        let pairs = problem.pairs
        return (0..<pairs.count).sorted {
            (-problem.priority[Int(pairs.mentee[$0])], -pairs.score[$0], $0) < (-problem.priority[Int(pairs.mentee[$1])], -pairs.score[$1], $1)
        }
    }
}
