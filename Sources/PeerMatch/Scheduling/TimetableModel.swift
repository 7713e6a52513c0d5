/// One weekly session of a pair: slot and room, by position in the cohort's lists.
public struct SessionIndex: Sendable, Hashable, Comparable {
    public var slot: Int
    public var room: Int
    public init(slot: Int, room: Int) { self.slot = slot; self.room = room }
    public static func < (a: SessionIndex, b: SessionIndex) -> Bool { (a.slot, a.room) < (b.slot, b.room) }
}

/// A matching with a timetable: the selected pairs and the weekly sessions of each.
public struct Timetabling: Sendable {
    /// Selected candidate-pair indices, ascending.
    public var selection: [Int]
    /// Sessions of each selected pair (same order as `selection`), sorted.
    public var sessions: [[SessionIndex]]

    public init(selection: [Int], sessions: [[SessionIndex]]) {
        let order = selection.indices.sorted { selection[$0] < selection[$1] }
        self.selection = order.map { selection[$0] }
        self.sessions = order.map { sessions[$0].sorted() }
    }

    public func sessions(ofPair p: Int) -> [SessionIndex]? {
        selection.firstIndex(of: p).map { sessions[$0] }
    }
}

/// A session the model must or may keep exactly where it is: a lock with a room, or a session of
/// the previous result when re-matching.
public struct PinnedSession: Sendable, Hashable {
    public var pair: Int
    public var session: SessionIndex
    /// Locked: always kept. Otherwise kept when possible (counted by the "kept" stage).
    public var fixed: Bool
    public init(pair: Int, session: SessionIndex, fixed: Bool) { self.pair = pair; self.session = session; self.fixed = fixed }
}

/// Turns a ``MatchingProblem`` plus a timetable into one ``LinearModel``: the matching variables of
/// ``MatchingModel`` (y(p) "pair p is made") tied to session variables that carry a slot and a room.
///
/// Pair formats (`one-to-one`, `pairs-in-room`):
/// - x(p,s) ∈ {0,1}: pair p meets at slot s (both free; a room with the mentee's features free).
/// - k(q) ∈ {0,1}: pinned session q (pair, slot, room) is held there (fixed to 1 for a locked room).
/// - w(s,c,r) ∈ ℤ≥0: sessions of room class c held in room r at slot s.
/// - link: Σ_s x(p,s) + Σ_q k(q) − sessionsPerWeek·y(p) = 0, so a pair that cannot be scheduled is not a pair;
/// - mentor i, clique K of overlapping slots: Σ x(p,s) + Σ k(q) over i's pairs and s ∈ K ≤ 1;
/// - class (s,c): Σ_{p in c} x(p,s) − Σ_r w(s,c,r) = 0;
/// - room r, clique K: Σ_{s∈K} Σ_c w(s,c,r) + pinned sessions there ≤ capacity (1 for one-to-one).
///
/// Group format: u(i,s,r) ∈ {0,1} "mentor i's group meets at s in r"; x(p,s) as above;
/// x(p,s) ≤ Σ_{r suits p} u(i,s,r); Σ_{j} x((i,j),s) ≤ Σ_r (capacity(r) − 1)·u(i,s,r);
/// Σ_r u(i,s,r) over a clique ≤ 1; Σ_{s,r} u(i,s,r) ≤ sessionsPerWeek; one group per room per clique.
///
/// Soft terms join the final stage: slot bonuses on x, −mentorDays per extra day (d(i,day) binary,
/// a(i) "mentor has a session"), −roomSharing per pair beyond the first in a room at a slot.
/// An optional "kept" stage (re-matching, or rotation `keep`) sits after the priority stages.
struct TimetableModel {
    let problem: MatchingProblem
    let tctx: TimetableContext
    private(set) var model = LinearModel()
    /// x columns: pair and slot of each, in column order from `xStart`.
    private(set) var xPair: [Int] = []
    private(set) var xSlot: [Int] = []
    private(set) var xStart = 0
    private(set) var pins: [PinnedSession] = []
    private(set) var pinColumn: [Int] = []
    /// w columns (pair formats): (slot, class, room, column).
    private(set) var wCols: [(slot: Int, cls: Int, room: Int, col: Int)] = []
    /// u columns (group format): (mentor, slot, room, column).
    private(set) var uCols: [(mentor: Int, slot: Int, room: Int, col: Int)] = []
    /// Group format: for each pinned session, its u column.
    private var pinU: [Int] = []

    /// - Parameters:
    ///   - slotLocks: pair index → slot its (only) session must use (locks with a slot and no room).
    ///   - pins: sessions that must (fixed) or may stay where they are.
    ///   - keepPairs: pairs whose being made counts in the "kept" stage (rotation `keep`).
    ///   - maxChanges: with non-fixed pins, at most this many may be left (nil: no limit).
    init(problem: MatchingProblem, tctx: TimetableContext, policy: Policy, slotLocks: [Int: Int] = [:],
         pins: [PinnedSession] = [], keepPairs: [Int] = [], maxChanges: Int? = nil) {
        self.problem = problem
        self.tctx = tctx
        let base = MatchingModel(problem)
        var m = base.model
        let pairs = problem.pairs
        let k = Double(tctx.sessionsPerWeek)
        let S = tctx.slotCount
        let byMentor = pairs.pairsByMentor()
        let group = tctx.format == .group
        var finalCols: [Int32] = [], finalCoefs: [Double] = []
        func objective(_ c: Int, _ v: Int) { if v != 0 { finalCols.append(Int32(c)); finalCoefs.append(Double(v)) } }

        // Session variables x(p,s).
        xStart = m.columnCount
        var xOfPair = Array(repeating: [(slot: Int, col: Int)](), count: pairs.count)
        for p in 0..<pairs.count {
            let i = Int(pairs.mentor[p]), j = Int(pairs.mentee[p])
            for s in tctx.commonSlots(mentor: i, mentee: j) {
                if let locked = slotLocks[p], locked != s { continue }
                let c = m.addColumn(lower: slotLocks[p] == s && tctx.sessionsPerWeek == 1 ? 1 : 0, upper: 1, kind: .binary)
                xPair.append(p); xSlot.append(s); xOfPair[p].append((s, c))
                objective(c, tctx.slotBonus[s])
            }
        }
        if tctx.sessionsPerWeek > 1 {
            for (p, s) in slotLocks.sorted(by: { $0.key < $1.key }) {
                if let c = xOfPair[p].first(where: { $0.slot == s })?.col { m.setColumnBounds(c, lower: 1, upper: 1) }
            }
        }
        // Pinned sessions.
        self.pins = pins
        var pinsOfPair = Array(repeating: [Int](), count: pairs.count)
        for (q, pin) in pins.enumerated() {
            if group {
                pinColumn.append(-1)
            } else {
                let c = m.addColumn(lower: pin.fixed ? 1 : 0, upper: 1, kind: .binary)
                pinColumn.append(c)
                objective(c, tctx.slotBonus[pin.session.slot])
            }
            pinsOfPair[pin.pair].append(q)
        }
        // Link rows: a pair is made exactly when it has its sessions.
        for p in 0..<pairs.count {
            var cols = xOfPair[p].map { Int32($0.col) }
            if !group { cols += pinsOfPair[p].map { Int32(pinColumn[$0]) } }
            if cols.isEmpty {
                m.setColumnBounds(p, lower: 0, upper: 0)
                continue
            }
            m.addRow("sessions[\(p)]", columns: cols + [Int32(p)],
                     coefficients: Array(repeating: 1, count: cols.count) + [-k], lower: 0, upper: 0)
        }
        // Mentees with several sessions a week: at most one at a time.
        if tctx.sessionsPerWeek > 1 {
            for j in 0..<pairs.menteeCount {
                for (n, clique) in tctx.cliques.enumerated() {
                    let cols = pairs.pairs(ofMentee: j).flatMap { p in xOfPair[p].filter { clique.contains($0.slot) }.map { Int32($0.col) } }
                    if cols.count > 1 {
                        m.addRow("mentee[\(j)] clique[\(n)]", columns: cols, coefficients: Array(repeating: 1, count: cols.count), lower: 0, upper: 1)
                    }
                }
            }
        }

        // Columns that say when each mentor is busy: (slot, column, coefficient) per mentor.
        var busy = Array(repeating: [(slot: Int, col: Int)](), count: pairs.mentorCount)
        if group {
            // Group sessions u(i,s,r).
            for i in 0..<pairs.mentorCount where !byMentor[i].isEmpty && problem.capacity[i] > 0 {
                for s in 0..<S where tctx.mentorFree[i][s] {
                    for r in 0..<tctx.roomCount where tctx.roomFree[r][s] && tctx.roomCapacity[r] >= 2 {
                        let c = m.addColumn(lower: 0, upper: 1, kind: .binary)
                        uCols.append((i, s, r, c)); busy[i].append((s, c))
                    }
                }
            }
            var uIndex: [SessionKey: Int] = [:]
            for u in uCols { uIndex[SessionKey(mentor: u.mentor, slot: u.slot, room: u.room)] = u.col }
            // Pins and room locks: the group meets there, and the pair is in it.
            var keepCols: [Int32] = []
            for pin in pins {
                let i = Int(pairs.mentor[pin.pair])
                let u = uIndex[SessionKey(mentor: i, slot: pin.session.slot, room: pin.session.room)] ?? -1
                let x = xOfPair[pin.pair].first { $0.slot == pin.session.slot }?.col ?? -1
                pinU.append(u)
                guard u >= 0, x >= 0 else { continue }   // not possible: locks are checked before the model is built
                if pin.fixed {
                    m.setColumnBounds(u, lower: 1, upper: 1); m.setColumnBounds(x, lower: 1, upper: 1)
                } else {
                    let kcol = m.addColumn(lower: 0, upper: 1, kind: .binary)
                    m.addRow("kept[\(pin.pair)] x", columns: [Int32(kcol), Int32(x)], coefficients: [1, -1], lower: -.infinity, upper: 0)
                    m.addRow("kept[\(pin.pair)] u", columns: [Int32(kcol), Int32(u)], coefficients: [1, -1], lower: -.infinity, upper: 0)
                    keepCols.append(Int32(kcol))
                }
            }
            self.groupKeepColumns = keepCols
            // A pair's session needs its mentor's group there, in a room with its features.
            var uByMentorSlot: [Int: [(room: Int, col: Int)]] = [:]
            for u in uCols { uByMentorSlot[u.mentor * S + u.slot, default: []].append((u.room, u.col)) }
            for (idx, p) in xPair.enumerated() {
                let i = Int(pairs.mentor[p]), j = Int(pairs.mentee[p]), s = xSlot[idx]
                let suitable = Set(tctx.roomsFor[tctx.menteeClass[j]][s])
                let us = (uByMentorSlot[i * S + s] ?? []).filter { suitable.contains($0.room) }.map { Int32($0.col) }
                m.addRow("group[\(p)] slot[\(s)]", columns: [Int32(xStart + idx)] + us,
                         coefficients: [1] + Array(repeating: -1, count: us.count), lower: -.infinity, upper: 0)
            }
            // Room capacity counts people: the mentor plus the mentees present.
            var xByMentorSlot: [Int: [Int32]] = [:]
            for (idx, p) in xPair.enumerated() { xByMentorSlot[Int(pairs.mentor[p]) * S + xSlot[idx], default: []].append(Int32(xStart + idx)) }
            for key in xByMentorSlot.keys.sorted() {
                let xs = xByMentorSlot[key]!, us = uByMentorSlot[key] ?? []
                m.addRow("group capacity[\(key / S)] slot[\(key % S)]", columns: xs + us.map { Int32($0.col) },
                         coefficients: Array(repeating: 1, count: xs.count) + us.map { -Double(tctx.roomCapacity[$0.room] - 1) },
                         lower: -.infinity, upper: 0)
            }
            // Sessions a week per group, and one group per room at a time.
            for i in 0..<pairs.mentorCount where !busy[i].isEmpty {
                m.addRow("group sessions[\(i)]", columns: busy[i].map { Int32($0.col) },
                         coefficients: Array(repeating: 1, count: busy[i].count), lower: 0, upper: k)
            }
            for (n, clique) in tctx.cliques.enumerated() {
                for r in 0..<tctx.roomCount {
                    let cols = uCols.filter { $0.room == r && clique.contains($0.slot) }.map { Int32($0.col) }
                    if cols.count > 1 {
                        m.addRow("room[\(r)] clique[\(n)]", columns: cols, coefficients: Array(repeating: 1, count: cols.count), lower: 0, upper: 1)
                    }
                }
            }
        } else {
            for (idx, p) in xPair.enumerated() { busy[Int(pairs.mentor[p])].append((xSlot[idx], xStart + idx)) }
            for (q, pin) in pins.enumerated() { busy[Int(pairs.mentor[pin.pair])].append((pin.session.slot, pinColumn[q])) }
            // Room seats: w(s,c,r).
            var wOf: [Int: [(room: Int, col: Int)]] = [:]   // key s * classes + c
            let C = tctx.classFeatures.count
            var xOfSlotClass: [Int: [Int32]] = [:]
            for (idx, p) in xPair.enumerated() {
                xOfSlotClass[xSlot[idx] * C + tctx.menteeClass[Int(pairs.mentee[p])], default: []].append(Int32(xStart + idx))
            }
            for key in xOfSlotClass.keys.sorted() {
                let s = key / C, c = key % C
                for r in tctx.roomsFor[c][s] {
                    let col = m.addColumn(lower: 0, upper: Double(tctx.roomCapacity[r]), kind: .integer)
                    wCols.append((s, c, r, col)); wOf[key, default: []].append((r, col))
                }
                let xs = xOfSlotClass[key]!, ws = wOf[key]!.map { Int32($0.col) }
                m.addRow("seats slot[\(s)] class[\(c)]", columns: xs + ws,
                         coefficients: Array(repeating: 1, count: xs.count) + Array(repeating: -1, count: ws.count), lower: 0, upper: 0)
            }
            for (n, clique) in tctx.cliques.enumerated() {
                for r in 0..<tctx.roomCount {
                    let ws = wCols.filter { $0.room == r && clique.contains($0.slot) }.map { Int32($0.col) }
                    let ps = pins.indices.filter { pins[$0].session.room == r && clique.contains(pins[$0].session.slot) }.map { Int32(pinColumn[$0]) }
                    if ws.isEmpty && ps.isEmpty { continue }
                    m.addRow("room[\(r)] clique[\(n)]", columns: ws + ps, coefficients: Array(repeating: 1, count: ws.count + ps.count),
                             lower: 0, upper: Double(tctx.roomCapacity[r]))
                }
            }
            // Spread load across rooms: e(s,r) ≥ sessions in r at s − 1.
            let sharing = Score.hundredths(policy.timetable.roomSharing)
            if tctx.format == .pairsInRoom && sharing > 0 {
                for s in 0..<S {
                    for r in 0..<tctx.roomCount where tctx.roomCapacity[r] >= 2 {
                        let ws = wCols.filter { $0.slot == s && $0.room == r }.map { Int32($0.col) }
                        let ps = pins.indices.filter { pins[$0].session == SessionIndex(slot: s, room: r) }.map { Int32(pinColumn[$0]) }
                        guard ws.count + ps.count > 0 else { continue }
                        let e = m.addColumn(lower: 0, upper: .infinity, kind: .continuous)
                        m.addRow("sharing room[\(r)] slot[\(s)]", columns: ws + ps + [Int32(e)],
                                 coefficients: Array(repeating: 1, count: ws.count + ps.count) + [-1], lower: -.infinity, upper: 1)
                        objective(e, -sharing)
                    }
                }
            }
            self.groupKeepColumns = []
        }
        // A mentor is in one place at a time.
        for i in 0..<pairs.mentorCount where busy[i].count > 1 {
            for (n, clique) in tctx.cliques.enumerated() {
                let cols = busy[i].filter { clique.contains($0.slot) }.map { Int32($0.col) }
                if cols.count > 1 {
                    m.addRow("mentor[\(i)] clique[\(n)]", columns: cols, coefficients: Array(repeating: 1, count: cols.count), lower: 0, upper: 1)
                }
            }
        }
        // Few days per mentor: d(i,day) ≥ sessions that day / M; a(i) ≤ Σ d; cost mentorDays·(Σ d − a).
        let dayCost = Score.hundredths(policy.timetable.mentorDays)
        if dayCost > 0 {
            for i in 0..<pairs.mentorCount {
                let days = Array(Set(busy[i].map { tctx.setup.slots[$0.slot].day })).sorted()
                let sessionsMax = group ? tctx.sessionsPerWeek : problem.capacity[i] * tctx.sessionsPerWeek
                guard days.count > 1, sessionsMax > 1 else { continue }
                var dcols: [Int32] = []
                for day in days {
                    let cols = busy[i].filter { tctx.setup.slots[$0.slot].day == day }.map { Int32($0.col) }
                    let slotsThatDay = Set(busy[i].filter { tctx.setup.slots[$0.slot].day == day }.map(\.slot)).count
                    let d = m.addColumn(lower: 0, upper: 1, kind: .binary)
                    m.addRow("day[\(i)] \(day.rawValue)", columns: cols + [Int32(d)],
                             coefficients: Array(repeating: 1, count: cols.count) + [-Double(min(slotsThatDay, sessionsMax))],
                             lower: -.infinity, upper: 0)
                    dcols.append(Int32(d)); objective(d, -dayCost)
                }
                let a = m.addColumn(lower: 0, upper: 1, kind: .binary)
                m.addRow("active[\(i)]", columns: [Int32(a)] + dcols, coefficients: [1] + Array(repeating: -1, count: dcols.count),
                         lower: -.infinity, upper: 0)
                objective(a, dayCost)
            }
        }

        // The "kept" stage and the change limit.
        var keepCols: [Int32] = group ? groupKeepColumns : pins.indices.filter { !pins[$0].fixed }.map { Int32(pinColumn[$0]) }
        keepCols += keepPairs.map { Int32($0) }
        let levelStages = problem.priorityLevels.count
        if !keepCols.isEmpty {
            let r = m.addRow("kept", columns: keepCols, coefficients: Array(repeating: 1, count: keepCols.count),
                             lower: 0, upper: Double(keepCols.count))
            m.stages.insert(.init(name: "kept from before", objective: .row(r), integral: true), at: levelStages)
            if let maxChanges {
                let optional = pins.filter { !$0.fixed }.count
                m.setRowBounds(r, lower: Double(max(0, optional - maxChanges)), upper: Double(keepCols.count))
            }
        }
        // Final stage: pair scores plus the timetable's soft terms.
        let last = m.stages.count - 1
        if case .expression(let cols, let coefs) = m.stages[last].objective {
            m.stages[last] = .init(name: "total score with timetable terms",
                                   objective: .expression(columns: cols + finalCols, coefficients: coefs + finalCoefs), integral: true)
        }
        model = m
    }

    private(set) var groupKeepColumns: [Int32] = []

    /// Reads the pairs and their sessions from column values.
    func timetabling(from x: [Double]) -> Timetabling {
        let pairs = problem.pairs
        let selection = (0..<pairs.count).filter { x[$0] > 0.5 }
        var sessions: [Int: [SessionIndex]] = [:]
        if tctx.format == .group {
            var room: [Int: Int] = [:]   // mentor * S + slot → room
            let S = tctx.slotCount
            for u in uCols where x[u.col] > 0.5 { room[u.mentor * S + u.slot] = u.room }
            for (idx, p) in xPair.enumerated() where x[xStart + idx] > 0.5 && x[p] > 0.5 {
                let key = Int(pairs.mentor[p]) * S + xSlot[idx]
                if let r = room[key] { sessions[p, default: []].append(SessionIndex(slot: xSlot[idx], room: r)) }
            }
        } else {
            for (q, pin) in pins.enumerated() where x[pinColumn[q]] > 0.5 { sessions[pin.pair, default: []].append(pin.session) }
            // Seats per (slot, class): hand out rooms by the w counts, pairs in index order.
            var seats: [Int: [Int]] = [:]   // key → room per seat
            let C = tctx.classFeatures.count
            for w in wCols { seats[w.slot * C + w.cls, default: []] += Array(repeating: w.room, count: Int(x[w.col].rounded())) }
            var used: [Int: Int] = [:]
            for (idx, p) in xPair.enumerated() where x[xStart + idx] > 0.5 {
                let key = xSlot[idx] * C + tctx.menteeClass[Int(pairs.mentee[p])]
                let n = used[key, default: 0]
                used[key] = n + 1
                let list = seats[key] ?? []
                // A short seat list cannot happen at an integer optimum; the checks after solving catch it if it does.
                sessions[p, default: []].append(SessionIndex(slot: xSlot[idx], room: n < list.count ? list[n] : -1))
            }
        }
        return Timetabling(selection: selection, sessions: selection.map { sessions[$0] ?? [] })
    }
}

private struct SessionKey: Hashable { var mentor: Int; var slot: Int; var room: Int }
