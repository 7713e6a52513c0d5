/// The columns of a ``TimetableFormulation`` that exist so far, in one ``ModelSink`` (the LP of
/// column generation, or a whole model): which column is which, how to add more, how to turn a
/// timetable into a point and a point back into a timetable.
final class TimetableMaster {
    let f: TimetableFormulation
    let sink: any ModelSink
    /// The key of each sink column (nil for the auxiliary columns z, w, e, d, a, y).
    private(set) var keys: [TimetableColumn?] = []
    private var index: [TimetableColumn: Int] = [:]
    private var pairHas: [Bool]
    private var auxIndex: [TimetableFormulation.AuxColumn.Role: Int] = [:]
    /// Objective coefficient of each auxiliary column per stage.
    private var auxObjective: [Int: [(stage: Int, value: Double)]] = [:]
    private struct GroupKey: Hashable { var mentor: Int32; var sessions: [SessionIndex] }
    /// Group format: each member column's group column, and the members whose bound m ≤ g is a row.
    private var memberGroup: [Int: Int] = [:]
    private var memberBounded = Set<Int>()
    private var sizeRowOf: [GroupKey: Int] = [:]
    /// Group format: the member bound rows m ≤ g of each group column.
    private var boundRowsOf: [GroupKey: [Int]] = [:]
    /// The stage whose objective new columns take.
    var stage = 0
    /// Every sink row's name (the formulation's, then group size rows and member bounds).
    private(set) var rowNames: [String]
    /// Every sink column's entries (rows ascending) and bounds, and every sink row's bounds as they
    /// are now: what a Lagrangian bound at duals other than the LP's needs (``lagrangianBound(duals:objective:absentMax:)``).
    private(set) var columnEntries: [(rows: [Int32], coefficients: [Double])] = []
    private(set) var columnBounds: [(lower: Double, upper: Double)] = []
    private(set) var rowBounds: [(lower: Double, upper: Double)]
    /// Every pair by priority and score, for the greedy fill of roundings.
    private lazy var priorityOrder = GreedyScheduler.priorityOrder(f.problem)

    init(_ f: TimetableFormulation, sink: any ModelSink) {
        self.f = f
        self.sink = sink
        pairHas = Array(repeating: false, count: f.pairCount)
        rowNames = f.rowNames
        rowBounds = zip(f.rowLower, f.rowUpper).map { ($0, $1) }
        sink.addRows(lower: f.rowLower, upper: f.rowUpper)
        var cols: [WorkspaceColumn] = []
        for a in f.aux {
            auxIndex[a.role] = keys.count
            auxObjective[keys.count] = a.objective
            var c = a.column
            c.objective = a.objective.first { $0.stage == stage }?.value ?? 0
            cols.append(c)
            keys.append(nil)
            record(c)
        }
        sink.addColumns(cols)
    }

    private func record(_ c: WorkspaceColumn) {
        columnEntries.append((c.rows, c.coefficients))
        columnBounds.append((c.lower, c.upper))
    }

    /// The Lagrangian bound at any row duals π (not only an LP's): for every point x of the model,
    /// c·x = (c − πA)·x + π·Ax ≤ max over the columns' bounds, with at most one column per
    /// mentee and per mentor, of (c − πA)·x, plus Σ_r max(π_r·lower_r, π_r·upper_r). So it is
    /// Σ_r max(π_r·lower_r, π_r·upper_r) + Σ over auxiliary columns of their reduced cost at the
    /// better bound + Σ over Lagrangian groups of the largest reduced cost of their columns (present
    /// here, or absent: `absentMax`, from pricing at π), at least 0. +infinity when π has the wrong
    /// sign on a row with an infinite bound (or a column with one), beyond the simplex's dual
    /// feasibility tolerance (GLPK's is 1e-7; within it, the infinite side is taken as unused).
    /// Rows added after π was read have dual 0.
    func lagrangianBound(duals: [Double], objective: [Double], absentMax: [Double]) -> Double {
        /// max(v·lower, v·upper), for v nearly 0 on the side of an infinite bound: v·(the finite one), or 0.
        func best(_ v: Double, _ lower: Double, _ upper: Double) -> Double {
            let m = max(v * lower, v * upper)
            guard m.isNaN || m == .infinity else { return m }
            guard abs(v) <= 1e-6 else { return .infinity }
            let finite = [v * lower, v * upper].filter { $0.isFinite }
            return finite.max() ?? 0
        }
        var lb = 0.0
        for (r, b) in rowBounds.enumerated() where r < duals.count && duals[r] != 0 {
            let v = best(duals[r], b.lower, b.upper)
            if v == .infinity { return .infinity }
            lb += v
        }
        var groupMax = absentMax
        for c in 0..<columnCount {
            var d = objective[c]
            let e = columnEntries[c]
            for (r, a) in zip(e.rows, e.coefficients) where Int(r) < duals.count { d -= a * duals[Int(r)] }
            if let key = keys[c] {
                let g = f.lagrangianGroup(key)
                if d > groupMax[g] { groupMax[g] = d }
            } else {
                let b = columnBounds[c]
                let v = best(d, b.lower, b.upper)
                if v == .infinity { return .infinity }
                lb += v
            }
        }
        return lb + groupMax.reduce(0) { $0 + max(0, $1) }
    }

    /// The reduced cost at these duals of an absent column, as pricing computes it (a group's size
    /// row, if the group exists, in a member's; rows added after the duals were read at 0).
    func reducedCost(_ key: TimetableColumn, duals: [Double]) -> Double {
        let (rows, coefs) = f.entries(key)
        var d = f.objective(key, stage: stage)
        for (r, a) in zip(rows, coefs) where Int(r) < duals.count { d -= a * duals[Int(r)] }
        if case .member(let p, let sessions) = key,
           let r = sizeRowOf[GroupKey(mentor: Int32(f.problem.pairs.mentor[Int(p)]), sessions: sessions)], r < duals.count {
            d -= duals[r]
        }
        return d
    }

    /// Sets a row's bounds in the sink (and here).
    func setRowBounds(_ r: Int, lower: Double, upper: Double, in ws: any LPWorkspace) {
        ws.setRowBounds(r, lower: lower, upper: upper)
        rowBounds[r] = (lower, upper)
    }

    var columnCount: Int { keys.count }
    func column(of key: TimetableColumn) -> Int? { index[key] }

    /// Every column's objective coefficient in stage t.
    func objective(stage t: Int) -> [Double] {
        keys.indices.map { c in
            if let key = keys[c] { return f.objective(key, stage: t) }
            return auxObjective[c]?.first { $0.stage == t }?.value ?? 0
        }
    }

    var presence: TimetableFormulation.Presence {
        .init(contains: { [unowned self] in self.index[$0] != nil },
              pairHasColumns: { [unowned self] in self.pairHas[$0] },
              sizeRow: { [unowned self] i, s in self.sizeRowOf[GroupKey(mentor: Int32(i), sessions: s)] },
              boundRows: { [unowned self] i, s in self.boundRowsOf[GroupKey(mentor: Int32(i), sessions: s)] ?? [] })
    }

    /// Adds the columns not there yet (a member's group column first, with its size row; then the
    /// member with its bound m ≤ g). Returns how many were added.
    @discardableResult
    func add(_ new: [TimetableColumn]) -> Int {
        var added = 0
        // The keys of the batch as a set too: reduced-cost filtering adds a few hundred thousand
        // columns at once, and a search of the batch's array per key took 47 s of a 60 s run there.
        var batch: [WorkspaceColumn] = [], batchKeys: [TimetableColumn] = [], inBatch = Set<TimetableColumn>()
        func flush() {
            guard !batch.isEmpty else { return }
            let first = sink.addColumns(batch)
            for c in batch { record(c) }
            for (k, key) in batchKeys.enumerated() { register(key, first + k) }
            added += batch.count
            batch = []; batchKeys = []; inBatch = []
        }
        for key in new where index[key] == nil && !inBatch.contains(key) {
            switch key {
            case .pattern:
                let (rows, coefs) = f.entries(key)
                batch.append(WorkspaceColumn(rows: rows, coefficients: coefs, lower: 0, upper: 1, integer: f.isInteger(key),
                                             objective: f.objective(key, stage: stage)))
                batchKeys.append(key)
                inBatch.insert(key)
            case .group(let i, let sessions):
                flush()
                addGroup(GroupKey(mentor: i, sessions: sessions)); added += 1
            case .member(let p, let sessions):
                flush()
                let g = GroupKey(mentor: Int32(f.problem.pairs.mentor[Int(p)]), sessions: sessions)
                if sizeRowOf[g] == nil { addGroup(g); added += 1 }
                let size = sizeRowOf[g]!
                var (rows, coefs) = f.entries(key)
                rows.append(Int32(size)); coefs.append(1)
                (rows, coefs) = sortedEntries(rows, coefs)
                let column = WorkspaceColumn(rows: rows, coefficients: coefs, lower: 0, upper: 1, integer: f.isInteger(key),
                                             objective: f.objective(key, stage: stage))
                let m = sink.addColumns([column])
                record(column)
                register(key, m)
                memberGroup[m] = index[.group(mentor: g.mentor, sessions: g.sessions)]!
                added += 1
            }
        }
        flush()
        return added
    }

    /// Group format: adds the bound m(p,π) ≤ g(i,π) of each member that breaks it at the LP point x
    /// (of every member when x is nil). The size row Σ m ≤ q·g already makes integer points keep it,
    /// so the bounds only tighten the LP: they are added as cuts, keeping the LP small. Returns how
    /// many were added.
    @discardableResult
    func addMemberBounds(violatedAt x: [Double]?) -> Int {
        var added = 0
        for (m, g) in memberGroup.sorted(by: { $0.key < $1.key }) where !memberBounded.contains(m) {
            if let x, x[m] <= x[g] + 1e-6 { continue }
            let r = sink.addRow(columns: [Int32(m), Int32(g)], coefficients: [1, -1], lower: -.infinity, upper: 0)
            rowBounds.append((-.infinity, 0))
            columnEntries[m].rows.append(Int32(r)); columnEntries[m].coefficients.append(1)
            columnEntries[g].rows.append(Int32(r)); columnEntries[g].coefficients.append(-1)
            if case .group(let i, let sessions)? = keys[g] { boundRowsOf[GroupKey(mentor: i, sessions: sessions), default: []].append(r) }
            if case .member(let p, let sessions)? = keys[m] { rowNames.append("member_\(pairName(Int(p)))_" + Self.describe(sessions)) }
            memberBounded.insert(m)
            added += 1
        }
        return added
    }

    /// Before branch-and-cut: every row that column generation adds only lazily, for every column
    /// present. The group members' bounds m ≤ g enter as cuts at the LP points the pricing visits,
    /// so columns added since (those within the gap) and every node LP of the branch-and-cut would
    /// lack them: on a 30-mentee group cohort with two sessions a week GLPK's root LP was then
    /// 165,374 against the converged 159,084.5, and three such cohorts of the `small` suite ended
    /// 0.08–0.18% short of proof in 10 s (now proven in under 4 s). They are sparse two-entry rows,
    /// valid at every integer point, so all of them go in.
    func completeForBranchAndCut() {
        if f.isGroup { addMemberBounds(violatedAt: nil) }
    }

    private func addGroup(_ g: GroupKey) {
        let key = TimetableColumn.group(mentor: g.mentor, sessions: g.sessions)
        let size = sink.addRows(lower: [-.infinity], upper: [0])
        rowBounds.append((-.infinity, 0))
        rowNames.append("size_i\(g.mentor)_" + Self.describe(g.sessions))
        sizeRowOf[g] = size
        var (rows, coefs) = f.entries(key)
        rows.append(Int32(size)); coefs.append(-Double(f.groupSize(mentor: Int(g.mentor), g.sessions)))
        (rows, coefs) = sortedEntries(rows, coefs)
        let column = WorkspaceColumn(rows: rows, coefficients: coefs, lower: 0, upper: 1, integer: f.isInteger(key),
                                     objective: f.objective(key, stage: stage))
        let c = sink.addColumns([column])
        record(column)
        register(key, c)
    }

    private func register(_ key: TimetableColumn, _ c: Int) {
        while keys.count <= c { keys.append(nil) }
        keys[c] = key
        index[key] = c
        switch key {
        case .pattern(let p, _, _), .member(let p, _): pairHas[Int(p)] = true
        case .group: break
        }
    }

    /// "i3_j12": pair of mentor 3 and mentee 12 (positions in the cohort's lists).
    private func pairName(_ p: Int) -> String { "i\(f.problem.pairs.mentor[p])_j\(f.problem.pairs.mentee[p])" }

    private static func describe(_ sessions: [SessionIndex]) -> String {
        sessions.map { "s\($0.slot)r\($0.room)" }.joined(separator: "_")
    }

    /// A column's name in exported model files: what it is, by the cohort's positions of people
    /// (i mentor, j mentee, p candidate pair), slots s and rooms r.
    func columnName(_ c: Int) -> String {
        if let key = keys[c] {
            switch key {
            case .pattern(let p, let slots, let pins):
                return "x_\(pairName(Int(p)))_" + zip(slots, pins).map { $1 >= 0 ? "s\($0)pin\($1)" : "s\($0)" }.joined(separator: "_")
            case .group(let i, let sessions): return "g_i\(i)_" + Self.describe(sessions)
            case .member(let p, let sessions): return "m_\(pairName(Int(p)))_" + Self.describe(sessions)
            }
        }
        switch f.aux[c].role {
        case .matched(let j): return "z_j\(j)"
        case .seats(let s, let cls, let r): return "w_s\(s)_c\(cls)_r\(r)"
        case .sharing(let s, let r): return "share_s\(s)_r\(r)"
        case .day(let i, let day): return "day_i\(i)_\(day.rawValue)"
        case .active(let i): return "active_i\(i)"
        case .atMinimum(let i): return "y_i\(i)"
        case .meets(let i, let s, let r): return "meets_i\(i)_s\(s)_r\(r)"
        }
    }

    // MARK: - Timetables and points

    /// The pattern (pair formats) of a pair's sessions: a pinned session where it is one.
    func patternKey(pair p: Int, _ sessions: [SessionIndex]) -> TimetableColumn {
        let sorted = sessions.sorted()
        let pins = sorted.map { s -> Int32 in
            Int32(f.pins.indices.first { f.pins[$0].pair == p && f.pins[$0].session == s } ?? -1)
        }
        return .pattern(pair: Int32(p), slots: sorted.map { Int32($0.slot) }, pins: pins)
    }

    /// Every column's value for a timetable that keeps every hard rule (with `addMissing`, its
    /// columns are added when missing), or nil when a column it needs is not there.
    func point(for t: Timetabling, addMissing: Bool = true) -> [Double]? {
        let pairs = f.problem.pairs
        let tctx = f.tctx
        var needed: [TimetableColumn] = []
        var groupOf: [Int: [SessionIndex]] = [:]
        if f.isGroup {
            for (n, p) in t.selection.enumerated() {
                let sessions = t.sessions[n].sorted()
                groupOf[Int(pairs.mentor[p])] = sessions
                needed.append(.member(pair: Int32(p), sessions: sessions))
            }
            for (i, s) in groupOf.sorted(by: { $0.key < $1.key }) { needed.append(.group(mentor: Int32(i), sessions: s)) }
        } else {
            for (n, p) in t.selection.enumerated() { needed.append(patternKey(pair: p, t.sessions[n])) }
        }
        guard needed.allSatisfy({ index[$0] != nil || f.offers($0) }) else { return nil }
        if addMissing { add(needed) }
        var x = [Double](repeating: 0, count: columnCount)
        for key in needed { guard let c = index[key] else { return nil }; x[c] = 1 }
        let S = tctx.slotCount
        var load = Array(repeating: 0, count: f.problem.mentorCount)
        var days = Array(repeating: Set<Weekday>(), count: f.problem.mentorCount)
        var atRoom: [Int: Int] = [:]   // r * S + s → sessions there
        for (n, p) in t.selection.enumerated() {
            let i = Int(pairs.mentor[p]), j = Int(pairs.mentee[p])
            load[i] += 1
            guard let z = auxIndex[.matched(mentee: j)] else { return nil }
            x[z] = 1
            let key = f.isGroup ? nil : patternKey(pair: p, t.sessions[n])
            for (m, s) in t.sessions[n].sorted().enumerated() {
                days[i].insert(tctx.setup.slots[s.slot].day)
                atRoom[s.room * S + s.slot, default: 0] += 1
                if case .pattern(_, _, let pins)? = key, pins[m] < 0 {
                    guard let w = auxIndex[.seats(slot: s.slot, cls: tctx.menteeClass[j], room: s.room)] else { return nil }
                    x[w] += 1
                }
            }
        }
        for (role, c) in auxIndex {
            switch role {
            case .sharing(let s, let r): x[c] = Double(max(0, (atRoom[r * S + s] ?? 0) - 1))
            case .day(let i, let day): x[c] = days[i].contains(day) ? 1 : 0
            case .active(let i): x[c] = days[i].isEmpty ? 0 : 1
            case .atMinimum(let i): x[c] = load[i] >= f.problem.minimum[i] ? 1 : 0
            case .meets(let i, let s, let r): x[c] = groupOf[i]?.contains(SessionIndex(slot: s, room: r)) == true ? 1 : 0
            case .matched, .seats: break
            }
        }
        return x
    }

    /// Whether every integer column (sessions, groups, seats) has an integral value.
    func isIntegral(_ x: [Double]) -> Bool {
        for c in keys.indices where keys[c] != nil || (f.aux[c].column.integer && f.aux[c].decides) {
            if abs(x[c] - x[c].rounded()) > 1e-6 { return false }
        }
        return true
    }

    /// The timetable of an integer point: pairs and sessions, rooms handed out by the seat counts.
    func timetabling(from x: [Double]) -> Timetabling {
        let tctx = f.tctx, pairs = f.problem.pairs
        let C = tctx.classFeatures.count
        var chosen: [(pair: Int, sessions: [SessionIndex])] = []
        if f.isGroup {
            for (c, key) in keys.enumerated() where x[c] > 0.5 {
                if case .member(let p, let sessions)? = key { chosen.append((Int(p), sessions)) }
            }
        } else {
            var seats: [Int: [Int]] = [:]   // s * C + class → room of each seat
            for (role, c) in auxIndex.sorted(by: { $0.value < $1.value }) {
                if case .seats(let s, let cls, let r) = role { seats[s * C + cls, default: []] += Array(repeating: r, count: Int(x[c].rounded())) }
            }
            var used: [Int: Int] = [:]
            for (c, key) in keys.enumerated() where x[c] > 0.5 {
                guard case .pattern(let p, let slots, let pins)? = key else { continue }
                let j = Int(pairs.mentee[Int(p)])
                var sessions: [SessionIndex] = []
                for (s, q) in zip(slots, pins) {
                    if q >= 0 { sessions.append(f.pins[Int(q)].session); continue }
                    let k = Int(s) * C + tctx.menteeClass[j]
                    let n = used[k, default: 0]
                    used[k] = n + 1
                    let list = seats[k] ?? []
                    // A short seat list cannot happen at an integer point; the checks after solving catch it if it does.
                    sessions.append(SessionIndex(slot: Int(s), room: n < list.count ? list[n] : -1))
                }
                chosen.append((Int(p), sessions))
            }
        }
        return Timetabling(selection: chosen.map(\.pair), sessions: chosen.map(\.sessions))
    }

    /// The roundings of an LP point to offer as incumbents: the plain one, and with several
    /// priority levels the one by priority too (each keeps what the other loses; see `rounding`).
    func roundings(_ lp: [Double], first locks: [(pair: Int, slot: Int?, room: Int?)]) -> [Timetabling] {
        let plain = rounding(lp, first: locks)
        return f.problem.priorityLevels.count > 1 ? [plain, rounding(lp, first: locks, byPriority: true)] : [plain]
    }

    /// A timetable guided by LP values: columns by value (then priority and score), each placed by
    /// the greedy scheduler if its sessions are still free; then every other pair greedily.
    /// `first` (locks) are placed before anything else.
    ///
    /// `byPriority`: one priority level at a time, highest first (that level's columns by value,
    /// then its other pairs greedily, then the next level). The plain order lets a lower level's
    /// column at 1 take the seat or mentor a higher level's fractional column needed, so on a large
    /// cohort its rounding can match fewer of a higher level than the stages before proved (the
    /// 3,000-mentee school: 458 of priority 1 where 465 are proven), which no later stage may
    /// accept; this order keeps the earlier stages' counts far more often, at some score.
    func rounding(_ lp: [Double], first locks: [(pair: Int, slot: Int?, room: Int?)], byPriority: Bool = false) -> Timetabling {
        let pairs = f.problem.pairs
        var g = GreedyScheduler(problem: f.problem, tctx: f.tctx)
        for lock in locks {
            if let r = lock.room, let s = lock.slot { g.place(lock.pair, only: SessionIndex(slot: s, room: r)) } else { g.place(lock.pair, onlySlot: lock.slot) }
        }
        // Each option: its sessions, and for pair formats the same with seat rooms left open.
        var options: [(value: Double, pair: Int, sessions: [(slot: Int, room: Int?)], anyRoom: [(slot: Int, room: Int?)]?)] = []
        if f.isGroup {
            // Groups by value, and within each its members by value.
            var groupValue: [[SessionIndex]: [Int: Double]] = [:]
            for (c, key) in keys.enumerated() where lp[c] > 1e-6 {
                if case .group(let i, let sessions)? = key { groupValue[sessions, default: [:]][Int(i)] = lp[c] }
            }
            for (c, key) in keys.enumerated() where lp[c] > 1e-6 {
                guard case .member(let p, let sessions)? = key else { continue }
                let gv = groupValue[sessions]?[Int(pairs.mentor[Int(p)])] ?? 0
                options.append((gv + lp[c] * 1e-3, Int(p), sessions.map { ($0.slot, $0.room) }, nil))
            }
        } else {
            // Seats: rooms in proportion to the LP's seat counts, so that a class with few suitable
            // rooms (quiet, accessible) is not crowded out of them by pairs that could sit anywhere.
            let C = f.tctx.classFeatures.count
            var quota: [Int: [(room: Int, left: Double)]] = [:]   // (s · C + class) → rooms
            for (role, c) in auxIndex.sorted(by: { $0.value < $1.value }) {
                if case .seats(let s, let cls, let r) = role, lp[c] > 1e-6 { quota[s * C + cls, default: []].append((r, lp[c])) }
            }
            for (c, key) in keys.enumerated() where lp[c] > 1e-6 {
                guard case .pattern(let p, let slots, let pins)? = key else { continue }
                let cls = f.tctx.menteeClass[Int(pairs.mentee[Int(p)])]
                let open = zip(slots, pins).map { s, q -> (slot: Int, room: Int?) in
                    q >= 0 ? (f.pins[Int(q)].session.slot, f.pins[Int(q)].session.room) : (Int(s), nil)
                }
                let hinted = zip(slots, pins).map { s, q -> (slot: Int, room: Int?) in
                    if q >= 0 { return (f.pins[Int(q)].session.slot, f.pins[Int(q)].session.room) }
                    let k = Int(s) * C + cls
                    guard var rooms = quota[k], let n = rooms.indices.max(by: { rooms[$0].left < rooms[$1].left }), rooms[n].left > 0.5 else { return (Int(s), nil) }
                    rooms[n].left -= 1; quota[k] = rooms
                    return (Int(s), rooms[n].room)
                }
                options.append((lp[c], Int(p), hinted, open))
            }
        }
        let priority = { (p: Int) in self.f.problem.priority[Int(pairs.mentee[p])] }
        options.sort { a, b in
            let pa = priority(a.pair), pb = priority(b.pair)
            if byPriority && pa != pb { return pa > pb }
            return (a.value, pa, pairs.score[a.pair], -a.pair) > (b.value, pb, pairs.score[b.pair], -b.pair)
        }
        // Plain: every level in one tier (down to Int.min). By priority: one tier per level
        // (`priorityOrder` is sorted by priority, highest first, so each level's pairs are a run of it).
        let levels = byPriority ? f.problem.priorityLevels : [Int.min]
        var nextOption = 0, nextPair = 0
        for level in levels {
            while nextOption < options.count, priority(options[nextOption].pair) >= level {
                let o = options[nextOption]
                nextOption += 1
                // The hinted room is full: any suitable one.
                if !g.place(o.pair, sessions: o.sessions), let open = o.anyRoom { g.place(o.pair, sessions: open) }
            }
            while nextPair < priorityOrder.count, priority(priorityOrder[nextPair]) >= level {
                g.place(priorityOrder[nextPair])
                nextPair += 1
            }
        }
        return Timetabling(selection: g.placed.map(\.pair), sessions: g.placed.map(\.sessions))
    }
}
