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

    // A quick test that spares most failing calls of `place` their slot-by-slot search (a rounding
    // offers every candidate pair, nearly 2 M on the 3,000-mentee school, and most cannot be placed
    // by then). Bitsets over slots, one 64-bit word per 64 slots, kept flat (person, then word) and
    // written by hand rather than as swift-collections' `BitSet`s: the test counts a three-way
    // intersection on every call, and `BitSet.intersection` allocates a new set each time (the
    // same reason as `FeatureBits`).
    /// Words per bitset.
    private let words: Int
    /// Slots each mentor (mentee) is free at and not busy at any slot overlapping it, flat by
    /// person then word.
    private var mentorOpen: [UInt64]
    private var menteeOpen: [UInt64]
    /// Slots at which some suitable room of each class has a seat left, flat by class then word.
    private var classOpen: [UInt64]
    /// overlapping[s]: the slots overlapping s, s included. sharing[s]: the slots sharing a clique
    /// with s (whose seats a session at s takes), s included.
    private let overlapping: [[Int]]
    private let sharing: [[Int]]
    /// Whether `place` applies the quick test (off only in tests, as the reference it must agree
    /// with), and how many calls it has turned away.
    private let quickTest: Bool
    private(set) var quickRejections = 0

    init(problem: MatchingProblem, tctx: TimetableContext, quickTest: Bool = true) {
        self.problem = problem; self.tctx = tctx; self.quickTest = quickTest
        load = Array(repeating: 0, count: problem.mentorCount)
        menteeDone = Array(repeating: false, count: problem.menteeCount)
        seats = Array(repeating: Array(repeating: 0, count: tctx.cliques.count), count: tctx.roomCount)
        mentorBusy = Array(repeating: Array(repeating: false, count: tctx.slotCount), count: problem.mentorCount)
        menteeBusy = Array(repeating: Array(repeating: false, count: tctx.slotCount), count: problem.menteeCount)
        groups = Array(repeating: [], count: problem.mentorCount)
        let slots = tctx.setup.slots
        let perSet = (slots.count + 63) / 64
        words = perSet
        overlapping = slots.indices.map { s in slots.indices.filter { slots[$0].overlaps(slots[s]) } }
        sharing = slots.indices.map { s in
            tctx.cliques(containing: s).reduce(into: Set<Int>()) { $0.formUnion(tctx.cliques[$1]) }.sorted()
        }
        func bits(_ free: [[Bool]]) -> [UInt64] {
            var out = Array(repeating: UInt64(0), count: free.count * perSet)
            for (n, row) in free.enumerated() {
                for (s, yes) in row.enumerated() where yes { out[n * perSet + s / 64] |= 1 << UInt64(s % 64) }
            }
            return out
        }
        mentorOpen = bits(tctx.mentorFree)
        menteeOpen = bits(tctx.menteeFree)
        classOpen = Array(repeating: 0, count: tctx.classFeatures.count * perSet)
        for s in slots.indices { refreshClassOpen(s) }
    }

    private static func clear(_ set: inout [UInt64], _ base: Int, _ s: Int) {
        set[base + s / 64] &= ~(1 << UInt64(s % 64))
    }

    /// Mentor i is busy at s: no slot overlapping s is open to them any more.
    private mutating func mentorBusyAt(_ i: Int, _ s: Int) {
        mentorBusy[i][s] = true
        for t in overlapping[s] { Self.clear(&mentorOpen, i * words, t) }
    }

    private mutating func menteeBusyAt(_ j: Int, _ s: Int) {
        menteeBusy[j][s] = true
        for t in overlapping[s] { Self.clear(&menteeOpen, j * words, t) }
    }

    /// Recomputes every class's bit for slot s from the seats left.
    private mutating func refreshClassOpen(_ s: Int) {
        for c in tctx.classFeatures.indices {
            let bit = UInt64(1) << UInt64(s % 64), w = c * words + s / 64
            if tctx.roomsFor[c][s].contains(where: { roomHasSeat($0, s) }) { classOpen[w] |= bit } else { classOpen[w] &= ~bit }
        }
    }

    /// Whether mentor i and mentee j (of class cls) have at least k slots all three are open at: a
    /// condition every placement of theirs meets, so failing it means `place` would fail.
    private func mayMeet(_ i: Int, _ j: Int, _ cls: Int, _ k: Int) -> Bool {
        var n = 0
        for w in 0..<words { n += (mentorOpen[i * words + w] & menteeOpen[j * words + w] & classOpen[cls * words + w]).nonzeroBitCount }
        return n >= k
    }

    private func free(_ busy: [Bool], _ s: Int) -> Bool {
        !overlapping[s].contains { busy[$0] }
    }

    /// Whether room r can take one more pair at slot s (group format: whether it is empty then).
    private func roomHasSeat(_ r: Int, _ s: Int) -> Bool {
        let limit = tctx.format == .group ? 1 : tctx.roomCapacity[r]
        return tctx.cliques.indices.allSatisfy { !tctx.cliques[$0].contains(s) || seats[r][$0] + 1 <= limit }
    }

    private mutating func take(_ r: Int, _ s: Int, _ n: Int) {
        for c in tctx.cliques.indices where tctx.cliques[c].contains(s) { seats[r][c] += n }
        for t in sharing[s] { refreshClassOpen(t) }
    }

    /// Tries to make pair p, at `only` if given (a lock). Returns whether it was placed.
    @discardableResult
    mutating func place(_ p: Int, only: SessionIndex? = nil, onlySlot: Int? = nil) -> Bool {
        let i = Int(problem.pairs.mentor[p]), j = Int(problem.pairs.mentee[p])
        guard !menteeDone[j], load[i] < problem.capacity[i] else { return false }
        let k = tctx.sessionsPerWeek
        let cls = tctx.menteeClass[j]
        // A mentee joining a group needs no seat of its own, so the test does not apply.
        if quickTest, tctx.format != .group || groups[i].isEmpty, !mayMeet(i, j, cls, k) {
            quickRejections += 1
            return false
        }
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
                for c in chosen { take(c.room, c.slot, 1); groups[i].append(c); groupPeople[c] = 1; mentorBusyAt(i, c.slot) }
            }
            for c in chosen { groupPeople[c, default: 0] += 1; menteeBusyAt(j, c.slot) }
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
            for c in chosen { mentorBusyAt(i, c.slot); menteeBusyAt(j, c.slot) }
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
                for c in sessions { take(c.room, c.slot, 1); groups[i].append(c); groupPeople[c] = 1; mentorBusyAt(i, c.slot) }
            }
            for c in sessions { groupPeople[c, default: 0] += 1; menteeBusyAt(j, c.slot) }
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
            for c in chosen { mentorBusyAt(i, c.slot); menteeBusyAt(j, c.slot) }
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
