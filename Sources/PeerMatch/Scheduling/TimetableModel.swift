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
/// Soft terms join the final stage: slot bonuses on x, −mentorDays per extra day (d(i,day) "mentor
/// busy that day", a(i) "mentor has a session", both continuous and integral at an integer x),
/// −roomSharing per pair beyond the first in a room at a slot (e(s,r) continuous).
/// Optional "kept" stages sit after the priority stages: earlier sessions kept exactly (re-matching;
/// with a change limit, at least all but `maxChanges` of them), then earlier pairs kept (pairs whose
/// session had to move, or rotation `keep`).
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
    /// Auxiliary columns, kept to build full points from a timetable (see ``point(for:)``).
    private var zColumn: [Int] = []
    private var minimumColumn: [(mentor: Int, col: Int)] = []
    private var dayCols: [(mentor: Int, day: Weekday, col: Int)] = []
    private var activeCols: [(mentor: Int, col: Int)] = []
    private var shareCols: [(slot: Int, room: Int, col: Int)] = []
    private var groupKeep: [(pin: Int, col: Int)] = []

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
        zColumn = base.menteeColumn
        let pairs = problem.pairs
        let byMentor = pairs.pairsByMentor()
        minimumColumn = zip((0..<problem.mentorCount).filter { problem.hasSoftMinimum && problem.minimum[$0] > 0
            && byMentor[$0].count >= problem.minimum[$0] }, base.minimumColumns).map { ($0, $1) }
        let k = Double(tctx.sessionsPerWeek)
        let S = tctx.slotCount
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
            for (q, pin) in pins.enumerated() {
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
                    keepCols.append(Int32(kcol)); groupKeep.append((q, kcol))
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
                        shareCols.append((s, r, e))
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
        // Few days per mentor: d(i,day) ≥ Σ_p x(p,s) for each slot s that day (at most 1, by the rows
        // above); a(i) ≤ Σ d; cost mentorDays·(Σ d − a). d and a are continuous: at an integer x the
        // best d and a are 0 or 1 anyway, and branch-and-cut never branches on them.
        let dayCost = Score.hundredths(policy.timetable.mentorDays)
        if dayCost > 0 {
            for i in 0..<pairs.mentorCount {
                let days = Array(Set(busy[i].map { tctx.setup.slots[$0.slot].day })).sorted()
                let sessionsMax = group ? tctx.sessionsPerWeek : problem.capacity[i] * tctx.sessionsPerWeek
                guard days.count > 1, sessionsMax > 1 else { continue }
                var dcols: [Int32] = []
                for day in days {
                    let d = m.addColumn(lower: 0, upper: 1, kind: .continuous)
                    dayCols.append((i, day, d))
                    let slotsThatDay = Array(Set(busy[i].filter { tctx.setup.slots[$0.slot].day == day }.map(\.slot))).sorted()
                    for s in slotsThatDay {
                        let cols = busy[i].filter { $0.slot == s }.map { Int32($0.col) }
                        m.addRow("day[\(i)] slot[\(s)]", columns: cols + [Int32(d)],
                                 coefficients: Array(repeating: 1, count: cols.count) + [-1], lower: -.infinity, upper: 0)
                    }
                    dcols.append(Int32(d)); objective(d, -dayCost)
                }
                let a = m.addColumn(lower: 0, upper: 1, kind: .continuous)
                activeCols.append((i, a))
                m.addRow("active[\(i)]", columns: [Int32(a)] + dcols, coefficients: [1] + Array(repeating: -1, count: dcols.count),
                         lower: -.infinity, upper: 0)
                objective(a, dayCost)
            }
        }

        // The "kept" stages and the change limit: earlier sessions kept exactly, then earlier pairs kept.
        let keepCols: [Int32] = group ? groupKeepColumns : pins.indices.filter { !pins[$0].fixed }.map { Int32(pinColumn[$0]) }
        var at = problem.priorityLevels.count
        if !keepCols.isEmpty {
            let r = m.addRow("kept sessions", columns: keepCols, coefficients: Array(repeating: 1, count: keepCols.count),
                             lower: 0, upper: Double(keepCols.count))
            m.stages.insert(.init(name: "earlier sessions kept", objective: .row(r), integral: true), at: at)
            at += 1
            if let maxChanges {
                m.setRowBounds(r, lower: Double(max(0, keepCols.count - maxChanges)), upper: Double(keepCols.count))
            }
        }
        if !keepPairs.isEmpty {
            let r = m.addRow("kept pairs", columns: keepPairs.map { Int32($0) }, coefficients: Array(repeating: 1, count: keepPairs.count),
                             lower: 0, upper: Double(keepPairs.count))
            m.stages.insert(.init(name: "earlier pairs kept", objective: .row(r), integral: true), at: at)
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

    /// Every column's value for a timetable (pairs, sessions, seats, groups, days, sharing), so a
    /// heuristic timetable can be offered to the solver as a full point.
    func point(for t: Timetabling) -> [Double] {
        var x = model.columnLower.map { max(0, $0) }
        let pairs = problem.pairs
        let S = tctx.slotCount, C = tctx.classFeatures.count
        for c in 0..<x.count where model.columnLower[c] > 0 { x[c] = 0 }
        var xIndex: [Int: Int] = [:]   // p * S + s → column
        for (idx, p) in xPair.enumerated() { xIndex[p * S + xSlot[idx]] = xStart + idx }
        var pinIndex: [PinnedSession: Int] = [:]
        for (q, pin) in pins.enumerated() { pinIndex[PinnedSession(pair: pin.pair, session: pin.session, fixed: false)] = q }
        var load = Array(repeating: 0, count: problem.mentorCount)
        var busyDays = Array(repeating: Set<Weekday>(), count: problem.mentorCount)
        var perRoomSlot: [SessionIndex: Int] = [:]
        var seats: [Int: Int] = [:]   // (s * C + c) * R + r
        var groupAt: Set<Int> = []    // (mentor * S + s) * R + r
        let R = tctx.roomCount
        for (n, p) in t.selection.enumerated() {
            let i = Int(pairs.mentor[p]), j = Int(pairs.mentee[p])
            x[p] = 1; load[i] += 1
            if zColumn[j] >= 0 { x[zColumn[j]] = 1 }
            for s in t.sessions[n] {
                busyDays[i].insert(tctx.setup.slots[s.slot].day)
                if tctx.format == .group {
                    if let c = xIndex[p * S + s.slot] { x[c] = 1 }
                    groupAt.insert((i * S + s.slot) * R + s.room)
                } else if let q = pinIndex[PinnedSession(pair: p, session: s, fixed: false)], pinColumn[q] >= 0 {
                    x[pinColumn[q]] = 1; perRoomSlot[s, default: 0] += 1
                } else {
                    if let c = xIndex[p * S + s.slot] { x[c] = 1 }
                    seats[(s.slot * C + tctx.menteeClass[j]) * R + s.room, default: 0] += 1
                    perRoomSlot[s, default: 0] += 1
                }
            }
        }
        for w in wCols { x[w.col] = Double(seats[(w.slot * C + w.cls) * R + w.room] ?? 0) }
        for u in uCols { x[u.col] = groupAt.contains((u.mentor * S + u.slot) * R + u.room) ? 1 : 0 }
        for (q, col) in groupKeep {
            let pin = pins[q]
            let kept = t.sessions(ofPair: pin.pair)?.contains(pin.session) ?? false
            x[col] = kept ? 1 : 0
        }
        for (i, col) in minimumColumn { x[col] = load[i] >= problem.minimum[i] ? 1 : 0 }
        for d in dayCols { x[d.col] = busyDays[d.mentor].contains(d.day) ? 1 : 0 }
        for a in activeCols { x[a.col] = busyDays[a.mentor].isEmpty ? 0 : 1 }
        for e in shareCols {
            x[e.col] = Double(max(0, (perRoomSlot[SessionIndex(slot: e.slot, room: e.room)] ?? 0) - 1))
        }
        return x
    }

    /// A heuristic timetable guided by LP values: locks first, then sessions by LP value, then
    /// every other pair by priority and score. Returned as a full point; the solver checks it.
    func heuristicPoint(lp: [Double], locks: [(pair: Int, slot: Int?, room: Int?)]) -> [Double] {
        var g = GreedyScheduler(problem: problem, tctx: tctx)
        for lock in locks {
            if let r = lock.room, let s = lock.slot { g.place(lock.pair, only: SessionIndex(slot: s, room: r)) } else { g.place(lock.pair, onlySlot: lock.slot) }
        }
        let pairs = problem.pairs
        var options: [(value: Double, pair: Int, slot: Int?, room: Int?)] = []
        for (idx, p) in xPair.enumerated() where lp[xStart + idx] > 1e-3 { options.append((lp[xStart + idx], p, xSlot[idx], nil)) }
        for (q, pin) in pins.enumerated() where pinColumn[q] >= 0 && lp[pinColumn[q]] > 1e-3 {
            options.append((lp[pinColumn[q]] + 1e-3, pin.pair, pin.session.slot, pin.session.room))
        }
        options.sort { a, b in
            let pa = problem.priority[Int(pairs.mentee[a.pair])], pb = problem.priority[Int(pairs.mentee[b.pair])]
            return (a.value, pa, pairs.score[a.pair], -a.pair) > (b.value, pb, pairs.score[b.pair], -b.pair)
        }
        for o in options {
            if let r = o.room, let s = o.slot { g.place(o.pair, only: SessionIndex(slot: s, room: r)) } else { g.place(o.pair, onlySlot: o.slot) }
        }
        let rest = GreedyScheduler.priorityOrder(problem)
        for p in rest { g.place(p) }
        return point(for: Timetabling(selection: g.placed.map(\.pair), sessions: g.placed.map(\.sessions)))
    }

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

extension TimetableModel {
    /// Lets branch-and-cut try LP-guided greedy timetables as incumbents.
    mutating func attachHeuristic(locks: [(pair: Int, slot: Int?, room: Int?)]) {
        let copy = self
        model.heuristic = { lp in copy.heuristicPoint(lp: lp, locks: locks) }
    }
}
