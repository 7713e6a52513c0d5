/// The lexicographic stages of a timetabled cohort, most important first.
enum TimetableStage: Sendable, Hashable {
    /// Mentees of `priorityLevels[level]` matched.
    case matched(level: Int)
    /// Re-matching: earlier sessions kept exactly where they were.
    case keptSessions
    /// Earlier pairs kept (re-matching pairs whose session had to move, or rotation `keep`).
    case keptPairs
    /// Mentors at a soft minimum.
    case atMinimum
    /// Pair scores plus the timetable's soft terms (hundredths).
    case total
}

/// A column of the timetable formulation, named by what it means (so it can be priced before it
/// exists, and built only when it prices out).
enum TimetableColumn: Hashable, Sendable {
    /// Pair formats: pair `pair` meets every week at `slots` (ascending, pairwise not overlapping);
    /// `pins[n]` is the index of the pinned session used at `slots[n]`, or −1 for a seat of the
    /// mentee's room class (a room handed out by the seat counts w).
    case pattern(pair: Int32, slots: [Int32], pins: [Int32])
    /// Group format: mentor `mentor`'s group meets at these sessions (ascending by slot).
    case group(mentor: Int32, sessions: [SessionIndex])
    /// Group format: pair `pair` is in its mentor's group meeting at these sessions.
    case member(pair: Int32, sessions: [SessionIndex])
}

/// The joint matching-and-timetable model, written so that its session columns can be priced from
/// row duals without being built (column generation), and with formulations whose LP relaxations
/// stay close to the integer optimum:
///
/// **Pair formats** (`one-to-one`, `pairs-in-room`): one column x(p,π) per pair p and *pattern* π
/// of `sessionsPerWeek` mutually non-overlapping common slots. A pair is made exactly when one of
/// its patterns is chosen, so "made" needs no variable of its own and several sessions a week never
/// relax to a fraction of a week (the old Σₛ x(p,s) = 2·y(p) let y = 1 with thirds of three
/// slots). Rooms are interchangeable within a room class (mentees with the same required
/// features), so integer seat counts w(s,c,r) hand rooms to the sessions of class c at slot s:
/// the LP is the same as with a room index on every session column (any fractional (p,s,r) point
/// aggregates to one, and back), with far fewer columns.
/// - mentee j: Σ x − z(j) = 0; mentor i: hardMin ≤ Σ x ≤ capacity; level rows Σ z (stage objectives)
/// - mentor i, clique K of overlapping slots: Σ x(p,π) over i's pairs, π meeting K ≤ 1
/// - seats (s,c): Σ x of class c at s − Σ_r w(s,c,r) = 0; room r, clique K: Σ w + pinned ≤ capacity
/// - soft terms as before: d(i,day), a(i) for mentor days (a ≤ Σ d, and with several sessions a
///   week a ≤ the mentor's sessions), e(s,r) for room sharing
///
/// **Group format**: g(i,π) "mentor i's group meets at the sessions π" (slot and room each week)
/// and m(p,π) "pair p is in that group", with m(p,π) ≤ g(i,π), Σ_p m(p,π) ≤ q(i,π)·g(i,π)
/// (q: the smallest room's seats but the mentor's, capped by the mentor's capacity), Σ_π g ≤ 1 per
/// mentor, one group per room at a time. This is the disjunctive (Balas) form of each mentor's
/// choice, so its LP is the convex hull of every mentor's possible groups: the old row
/// Σ x ≤ Σ_r (capacity(r) − 1)·u(i,s,r) summed seats over rooms, which let a group sit half in a
/// large room and half in a small one. Mentor days depend only on π and sit on g's objective.
///
/// Pinned sessions (a lock with a room, or a previous session when re-matching) are used by
/// pattern columns that name them; slot locks restrict a pair to patterns with that slot.
struct TimetableFormulation {
    /// How the mentor-days indicators d(i,day) are linked to the sessions (pair formats).
    enum DayRows: Sendable {
        /// d(i,day) ≥ Σ over each maximal clique of the day's overlapping slots (the default).
        case perClique
        /// d(i,day) ≥ the sessions at each slot of the day, plus the mentor's clique rows (the
        /// weaker form before issue 12; kept so tests can show the new bound is no weaker).
        case perSlot
    }
    /// How a mentor's "first day free" indicator a(i) is bounded (pair formats with mentor days).
    enum ActiveRows: Sendable {
        /// a(i) ≤ Σ_day d(i,day) and a(i) ≤ Σ of i's session columns (the default).
        case daysAndSessions
        /// a(i) ≤ Σ_day d(i,day) only (the weaker form before it; kept so tests can compare).
        case daysOnly
    }
    let problem: MatchingProblem
    let tctx: TimetableContext
    let policy: Policy
    let stages: [TimetableStage]
    let sessionsPerWeek: Int
    let isGroup: Bool

    // Rows (fixed part; group size rows and member bounds are added with their columns).
    private(set) var rowLower: [Double] = []
    private(set) var rowUpper: [Double] = []
    private(set) var rowNames: [String] = []
    private(set) var menteeRow: [Int] = []
    private(set) var mentorRow: [Int] = []
    private(set) var levelRow: [Int] = []
    private(set) var lockRow: [Int: Int] = [:]
    private(set) var minimumRow: [Int] = []
    private(set) var atMinimumRow = -1
    private(set) var keptSessionsRow = -1
    private(set) var keptPairsRow = -1
    /// Pair formats: rows of mentor i at slot s (cliques, day), flattened by i·S + s.
    private var mentorSlotRows: [[Int32]] = []
    /// The row a(i) − Σ of mentor i's session columns ≤ 0 (pair formats with mentor days and
    /// several sessions a week), or −1, as ``minimumRow``.
    private var activeRow: [Int] = []
    /// Pair formats: seat row of (slot s, class c) at s·C + c, or −1.
    private var seatRow: [Int] = []
    /// Rows of room r at slot s (cliques; pair formats also the sharing row), by r·S + s.
    private var roomSlotRows: [[Int32]] = []
    /// Group format: Σ_π g(i,π) ≤ 1.
    private var convexRow: [Int] = []
    /// Group format: the row u(i,s,r) − Σ_{π ∋ (s,r)} g(i,π) = 0 of each mentor's possible session,
    /// by (i·S + s)·R + r. Branch-and-cut branches on u ("mentor i's group meets at s in r"): a few
    /// dozen per mentor, balanced, where the group columns are hundreds; integral u makes g integral.
    private var meetsRow: [Int: Int] = [:]
    /// Group format without side rows (kept sessions or pairs, a soft minimum): with u integral the
    /// members form a flow network (mentee → group → mentor), so g and m may stay continuous in
    /// branch-and-cut and come out integral.
    private(set) var branchOnMeetings = false

    // Auxiliary columns, always present, in this order.
    //
    // Every auxiliary column with an objective coefficient is declared integer, although z, the
    // sharing excess e and the day indicators d, a are integral at every integer point anyway (they
    // follow from the session columns). GLPK's branch-and-cut rounds a node's bound down to the
    // objective's granularity (the gcd of its coefficients: hundredths of a point) only when every
    // column with a coefficient is integer; with one continuous column it must push the bound all
    // the way to the incumbent. A gap of one point then took a 60-mentee term 57 s unproven in one
    // order of its people and 1 s in another (issue 12); rounded, such a node is pruned at once.
    struct AuxColumn {
        enum Role: Hashable { case matched(mentee: Int), seats(slot: Int, cls: Int, room: Int), sharing(slot: Int, room: Int),
                                   day(mentor: Int, day: Weekday), active(mentor: Int), atMinimum(mentor: Int),
                                   meets(mentor: Int, slot: Int, room: Int) }
        var role: Role
        var column: WorkspaceColumn
        /// Objective coefficient in each stage (by stage index), sparse.
        var objective: [(stage: Int, value: Double)]
        /// Whether the column is a decision of its own (seats, meetings, a mentor at the minimum)
        /// rather than one that follows from the session columns (z, e, d, a): an LP point whose
        /// session and deciding columns are integral is a timetable whatever the others' values.
        var decides: Bool {
            switch role {
            case .seats, .meets, .atMinimum: return true
            case .matched, .sharing, .day, .active: return false
            }
        }
    }
    private(set) var aux: [AuxColumn] = []

    // Pair data.
    /// Common slots of each pair (restricted to its slot lock), flattened.
    private var slotStart: [Int] = [0]
    private var slotList: [Int32] = []
    /// Pinned sessions, and those of each pair.
    let pins: [PinnedSession]
    private var pinsOfPair: [Int: [Int]] = [:]
    /// Pair p must use this pin (a lock with a room) / this slot (a lock with a slot only).
    private var fixedPin: [Int: Int] = [:]
    private var requiredSlot: [Int: Int] = [:]
    private let keep: Set<Int>
    /// Slots overlapping each slot (itself included).
    private let overlaps: [[Bool]]
    private let levelOfMentee: [Int]
    /// Group format: each mentor's possible sessions (slot, room), and for each the mentor's pairs
    /// that can attend it.
    private var groupOptions: [[SessionIndex]] = []

    var pairCount: Int { problem.pairs.count }

    /// - Parameters:
    ///   - slotLocks: pair → the slot it must meet at (a lock with a slot and no room).
    ///   - pins: sessions that must (fixed: a lock with a room) or may (re-matching) stay.
    ///   - keepPairs: pairs counted by the "earlier pairs kept" stage.
    ///   - maxChanges: with optional pins, at most this many may be left.
    init(problem: MatchingProblem, tctx: TimetableContext, policy: Policy, slotLocks: [Int: Int] = [:],
         pins: [PinnedSession] = [], keepPairs: [Int] = [], maxChanges: Int? = nil, dayRows: DayRows = .perClique,
         activeRows activeRowsForm: ActiveRows = .daysAndSessions) {
        self.problem = problem
        self.tctx = tctx
        self.policy = policy
        self.pins = pins
        self.keep = Set(keepPairs)
        self.sessionsPerWeek = tctx.sessionsPerWeek
        self.isGroup = tctx.format == .group
        let pairs = problem.pairs
        let S = tctx.slotCount, C = tctx.classFeatures.count, R = tctx.roomCount
        let slots = tctx.setup.slots
        overlaps = slots.map { a in slots.map { a.overlaps($0) } }
        let levelIndex = Dictionary(uniqueKeysWithValues: problem.priorityLevels.enumerated().map { ($1, $0) })
        levelOfMentee = problem.priority.map { levelIndex[$0]! }
        for (q, pin) in pins.enumerated() {
            pinsOfPair[pin.pair, default: []].append(q)
            if pin.fixed { fixedPin[pin.pair] = q }
        }
        requiredSlot = slotLocks
        // Stages.
        var st = problem.priorityLevels.indices.map { TimetableStage.matched(level: $0) }
        let optionalPins = pins.filter { !$0.fixed }.count
        if optionalPins > 0 { st.append(.keptSessions) }
        if !keepPairs.isEmpty { st.append(.keptPairs) }
        if problem.hasSoftMinimum { st.append(.atMinimum) }
        st.append(.total)
        stages = st

        // Common slots per pair.
        for p in 0..<pairs.count {
            let i = Int(pairs.mentor[p]), j = Int(pairs.mentee[p])
            for s in tctx.commonSlots(mentor: i, mentee: j) { slotList.append(Int32(s)) }
            slotStart.append(slotList.count)
        }

        func row(_ name: String, _ lo: Double, _ hi: Double) -> Int {
            rowLower.append(lo); rowUpper.append(hi); rowNames.append(name)
            return rowLower.count - 1
        }
        if isGroup {
            // Each mentor's possible sessions: free, room free and holding the mentor and one more.
            groupOptions = (0..<pairs.mentorCount).map { i in
                guard problem.capacity[i] > 0 else { return [] }
                return (0..<S).flatMap { s in
                    (0..<R).filter { tctx.mentorFree[i][s] && tctx.roomFree[$0][s] && tctx.roomCapacity[$0] >= 2 }.map { SessionIndex(slot: s, room: $0) }
                }
            }
        }
        // Which pairs can be made at all (some pattern exists), and which mentees and mentors take part.
        let possible = (0..<pairs.count).map { canBeMade($0) }
        var menteeHas = Array(repeating: false, count: pairs.menteeCount)
        var mentorHas = Array(repeating: false, count: pairs.mentorCount)
        for p in 0..<pairs.count where possible[p] { menteeHas[Int(pairs.mentee[p])] = true; mentorHas[Int(pairs.mentor[p])] = true }
        menteeRow = (0..<pairs.menteeCount).map { menteeHas[$0] ? row("mentee[\($0)]", 0, 0) : -1 }
        let hardMin = problem.minimumMode == .hard
        mentorRow = (0..<pairs.mentorCount).map { i in
            let lower = hardMin ? Double(problem.minimum[i]) : 0
            return mentorHas[i] || lower > 0 ? row("mentor[\(i)]", lower, Double(problem.capacity[i])) : -1
        }
        var levelSize = Array(repeating: 0, count: problem.priorityLevels.count)
        for j in 0..<pairs.menteeCount where menteeHas[j] { levelSize[levelOfMentee[j]] += 1 }
        levelRow = problem.priorityLevels.indices.map { row("priority[\(problem.priorityLevels[$0])]", 0, Double(levelSize[$0])) }
        for p in problem.locked { lockRow[p] = row("locked[\(p)]", 1, 1) }
        minimumRow = Array(repeating: -1, count: pairs.mentorCount)
        activeRow = Array(repeating: -1, count: pairs.mentorCount)
        if problem.hasSoftMinimum {
            for i in 0..<pairs.mentorCount where problem.minimum[i] > 0 && mentorHas[i] {
                minimumRow[i] = row("minimum[\(i)]", 0, .infinity)
            }
        }
        if optionalPins > 0 {
            let lower = maxChanges.map { Double(max(0, optionalPins - $0)) } ?? 0
            keptSessionsRow = row("kept sessions", lower, Double(optionalPins))
        }
        if !keepPairs.isEmpty { keptPairsRow = row("kept pairs", 0, Double(keepPairs.count)) }

        // Columns that exist from the start: z(j), then the minimum's y(i).
        for j in 0..<pairs.menteeCount where menteeRow[j] >= 0 {
            let lvl = levelOfMentee[j]
            let stage = st.firstIndex(of: .matched(level: lvl))!
            aux.append(AuxColumn(role: .matched(mentee: j),
                                 column: WorkspaceColumn(rows: [Int32(menteeRow[j]), Int32(levelRow[lvl])], coefficients: [-1, 1],
                                                         lower: 0, upper: 1, integer: true, objective: 0),
                                 objective: [(stage, 1)]))
        }
        if problem.hasSoftMinimum {
            let r = row("mentors at minimum", 0, Double(minimumRow.filter { $0 >= 0 }.count))
            atMinimumRow = r
            let stage = st.firstIndex(of: .atMinimum)!
            for i in 0..<pairs.mentorCount where minimumRow[i] >= 0 {
                aux.append(AuxColumn(role: .atMinimum(mentor: i),
                                     column: WorkspaceColumn(rows: [Int32(minimumRow[i]), Int32(r)], coefficients: [-Double(problem.minimum[i]), 1],
                                                             lower: 0, upper: 1, integer: true, objective: 0),
                                     objective: [(stage, 1)]))
            }
        }
        let total = st.count - 1
        roomSlotRows = Array(repeating: [], count: R * S)

        if isGroup {
            convexRow = (0..<pairs.mentorCount).map { mentorHas[$0] && !groupOptions[$0].isEmpty ? row("groups[\($0)]", 0, 1) : -1 }
            for i in 0..<pairs.mentorCount where convexRow[i] >= 0 {
                for o in groupOptions[i] {
                    let r = row("meets[\(i)] slot[\(o.slot)] room[\(o.room)]", 0, 0)
                    meetsRow[(i * S + o.slot) * R + o.room] = r
                    aux.append(AuxColumn(role: .meets(mentor: i, slot: o.slot, room: o.room),
                                         column: WorkspaceColumn(rows: [Int32(r)], coefficients: [1], lower: 0, upper: 1, integer: true, objective: 0),
                                         objective: []))
                }
            }
            branchOnMeetings = !st.contains(.keptSessions) && !st.contains(.keptPairs) && !st.contains(.atMinimum)
            for (n, clique) in tctx.cliques.enumerated() {
                for r in 0..<R where tctx.roomCapacity[r] >= 2 && clique.contains(where: { tctx.roomFree[r][$0] }) {
                    let rr = Int32(row("room[\(r)] clique[\(n)]", 0, 1))
                    for s in clique { roomSlotRows[r * S + s].append(rr) }
                }
            }
        } else {
            // Seats: one row per (slot, class) that some pair of the class can use, with w(s,c,r).
            var classUsed = Array(repeating: false, count: S * C)
            for p in 0..<pairs.count where possible[p] {
                let c = tctx.menteeClass[Int(pairs.mentee[p])]
                for k in slotStart[p] ..< slotStart[p + 1] { classUsed[Int(slotList[k]) * C + c] = true }
            }
            seatRow = Array(repeating: -1, count: S * C)
            var seatColumns: [(s: Int, c: Int, r: Int)] = []
            for s in 0..<S { for c in 0..<C where classUsed[s * C + c] {
                seatRow[s * C + c] = row("seats slot[\(s)] class[\(c)]", 0, 0)
                for r in tctx.roomsFor[c][s] { seatColumns.append((s, c, r)) }
            } }
            // Room capacity per clique, and the sharing rows.
            let seatRooms = Set(seatColumns.map { $0.r * S + $0.s })
            let pinRooms = Set(pins.map { $0.session.room * S + $0.session.slot })
            for (n, clique) in tctx.cliques.enumerated() {
                for r in 0..<R where clique.contains(where: { seatRooms.contains(r * S + $0) || pinRooms.contains(r * S + $0) }) {
                    let rr = Int32(row("room[\(r)] clique[\(n)]", 0, Double(tctx.roomCapacity[r])))
                    for s in clique { roomSlotRows[r * S + s].append(rr) }
                }
            }
            var shareRowOf: [Int: Int] = [:]
            let sharing = Score.hundredths(policy.timetable.roomSharing)
            if tctx.format == .pairsInRoom && sharing > 0 {
                for s in 0..<S { for r in 0..<R where tctx.roomCapacity[r] >= 2 && (seatRooms.contains(r * S + s) || pinRooms.contains(r * S + s)) {
                    let rr = row("sharing room[\(r)] slot[\(s)]", -.infinity, 1)
                    shareRowOf[r * S + s] = rr
                    roomSlotRows[r * S + s].append(Int32(rr))
                    aux.append(AuxColumn(role: .sharing(slot: s, room: r),
                                         column: WorkspaceColumn(rows: [Int32(rr)], coefficients: [-1], lower: 0, upper: .infinity, integer: true, objective: 0),
                                         objective: [(total, -Double(sharing))]))
                } }
            }
            for (s, c, r) in seatColumns {
                var rows = [Int32(seatRow[s * C + c])] + roomSlotRows[r * S + s]
                var coefs = [-1.0] + Array(repeating: 1.0, count: roomSlotRows[r * S + s].count)
                (rows, coefs) = sortedEntries(rows, coefs)
                aux.append(AuxColumn(role: .seats(slot: s, cls: c, room: r),
                                     column: WorkspaceColumn(rows: rows, coefficients: coefs, lower: 0, upper: Double(tctx.roomCapacity[r]), integer: true, objective: 0),
                                     objective: []))
            }
            // A mentor is in one place at a time; days with sessions cost mentorDays each beyond the first.
            mentorSlotRows = Array(repeating: [], count: pairs.mentorCount * S)
            let byMentor = pairs.pairsByMentor()
            let dayCost = Score.hundredths(policy.timetable.mentorDays)
            for i in 0..<pairs.mentorCount where mentorHas[i] {
                var busy = Array(repeating: false, count: S)
                for p in byMentor[i] where possible[p] { for k in slotStart[p] ..< slotStart[p + 1] { busy[Int(slotList[k])] = true } }
                for p in byMentor[i] { for q in pinsOfPair[p] ?? [] { busy[pins[q].session.slot] = true } }
                let days = Array(Set((0..<S).filter { busy[$0] }.map { slots[$0].day })).sorted()
                let withDays = dayCost > 0 && days.count > 1 && problem.capacity[i] * sessionsPerWeek > 1
                let cliqueDays = withDays && dayRows == .perClique
                for (n, clique) in tctx.cliques.enumerated() where !cliqueDays {
                    // One slot's clique is implied by its day row (d ≤ 1); a mentor with one place by the mentor row.
                    guard problem.capacity[i] > 1, clique.filter({ busy[$0] }).count >= (withDays ? 2 : 1) else { continue }
                    let rr = Int32(row("mentor[\(i)] clique[\(n)]", 0, 1))
                    for s in clique where busy[s] { mentorSlotRows[i * S + s].append(rr) }
                }
                guard withDays else { continue }
                var dayColumns: [Int32] = []
                for day in days {
                    var rows: [Int32] = []
                    if cliqueDays {
                        // Σ_{s ∈ K} sessions of i at s ≤ d(i,day) for each maximal clique K of the day's
                        // overlapping slots (cliques never span days): valid, since i is in one place at a
                        // time, so the sum is 0 or 1 and 1 only on a day i meets. It implies both the
                        // per-slot rows d ≥ sessions at s (every slot is in some clique) and the clique
                        // row Σ_K ≤ 1 (d ≤ 1), with no more rows; and it forbids the LP's d = ½ with half
                        // a session at lunch and half at the early lunch it overlaps (issue 12).
                        for (n, clique) in tctx.cliques.enumerated() where slots[clique[0]].day == day {
                            let inDay = clique.filter { busy[$0] }
                            guard !inDay.isEmpty else { continue }
                            let rr = Int32(row("day[\(i)] clique[\(n)]", -.infinity, 0))
                            for s in inDay { mentorSlotRows[i * S + s].append(rr) }
                            rows.append(rr)
                        }
                    } else {
                        for s in 0..<S where busy[s] && slots[s].day == day {
                            let rr = Int32(row("day[\(i)] slot[\(s)]", -.infinity, 0))
                            mentorSlotRows[i * S + s].append(rr); rows.append(rr)
                        }
                    }
                    dayColumns.append(Int32(aux.count))
                    aux.append(AuxColumn(role: .day(mentor: i, day: day),
                                         column: WorkspaceColumn(rows: rows, coefficients: Array(repeating: -1, count: rows.count), lower: 0, upper: 1, integer: true, objective: 0),
                                         objective: [(total, -Double(dayCost))]))
                }
                let ar = Int32(row("active[\(i)]", -.infinity, 0))
                for d in dayColumns { aux[Int(d)].column.rows.append(ar); aux[Int(d)].column.coefficients.append(-1) }
                // a(i) ≤ Σ of i's session columns as well: the first day is free only for a mentor who
                // meets. Valid (a = 1 needs a session) and, with several sessions a week, not implied by
                // a ≤ Σ d: one pattern counts on two days, so a quarter of each of two pairs on four days
                // made Σ d = 1 and gave the LP a whole first day back for half a mentor's sessions
                // (one-to-one, two sessions a week, seed 3 of `small`: its LP was 3.8% above the
                // optimum, which GLPK's cuts could not close; issue 12). With one session a week each
                // column counts on one day, so Σ d ≤ Σ x at every LP optimum and the row is left out.
                var rowsOfA = [ar]
                if activeRowsForm == .daysAndSessions && sessionsPerWeek > 1 {
                    let sr = Int32(row("active[\(i)] sessions", -.infinity, 0))
                    activeRow[i] = Int(sr)
                    rowsOfA.append(sr)
                }
                aux.append(AuxColumn(role: .active(mentor: i),
                                     column: WorkspaceColumn(rows: rowsOfA, coefficients: rowsOfA.map { _ in 1 }, lower: 0, upper: 1, integer: true, objective: 0),
                                     objective: [(total, Double(dayCost))]))
            }
            for k in mentorSlotRows.indices { mentorSlotRows[k].sort() }
        }
        for k in roomSlotRows.indices { roomSlotRows[k].sort() }
        self.dayCost = Score.hundredths(policy.timetable.mentorDays)
    }

    private(set) var dayCost = 0

    /// The value of a timetable in each stage, in model units (counts; hundredths for the total).
    func values(_ t: Timetabling) -> [Double] {
        let e = problem.evaluate(t.selection)
        return stages.map { stage in
            switch stage {
            case .matched(let l): return Double(e.matchedByLevel[l])
            case .keptSessions: return Double(zip(t.selection, t.sessions).reduce(0) { $0 + keptPins(pair: $1.0, $1.1) })
            case .keptPairs: return Double(t.selection.filter { keep.contains($0) }.count)
            case .atMinimum: return Double(e.mentorsAtMinimum)
            case .total: return Double(e.score + TimetableRules.softValue(t, problem, tctx, policy))
            }
        }
    }

    /// A stage's name, as the result reports it.
    func name(ofStage t: Int) -> String {
        switch stages[t] {
        case .matched(let l): return "matched at priority \(problem.priorityLevels[l])"
        case .keptSessions: return "earlier sessions kept"
        case .keptPairs: return "earlier pairs kept"
        case .atMinimum: return "mentors at minimum"
        case .total: return "total score with timetable terms"
        }
    }

    /// Whether pair p has at least one pattern (group format: one possible group session set it can attend).
    func canBeMade(_ p: Int) -> Bool {
        var found = false
        if isGroup {
            let i = Int(problem.pairs.mentor[p])
            guard problem.capacity[i] > 0 else { return false }
            forEachMemberPattern(p) { _ in found = true; return false }
        } else {
            forEachPattern(p, values: nil, atLeast: -.infinity) { _, _, _ in found = true; return .infinity }
        }
        return found
    }

    /// The stage index whose objective is row r (fixing a stage tightens that row), or nil.
    func stageRow(_ t: Int) -> Int? {
        switch stages[t] {
        case .matched(let l): return levelRow[l]
        case .keptSessions: return keptSessionsRow
        case .keptPairs: return keptPairsRow
        case .atMinimum: return atMinimumRow
        case .total: return nil
        }
    }

    // MARK: - Patterns

    /// Visits the patterns of pair p (pair formats) whose value, the sum of per-session values, is
    /// at least a threshold: `values(slot, pin or −1)` gives each session's value (nil: all 0).
    /// `body(slots, pins, value)` returns the threshold from then on (the same to see every
    /// pattern, the value found to search for a better one, +infinity to stop).
    func forEachPattern(_ p: Int, values: ((Int, Int) -> Double)?, atLeast start: Double,
                        _ body: ([Int32], [Int32], Double) -> Double) {
        let k = sessionsPerWeek
        let i = Int(problem.pairs.mentor[p]), j = Int(problem.pairs.mentee[p])
        var options: [(slot: Int, pin: Int, value: Double)] = []
        let c = tctx.menteeClass[j]
        let fixed = fixedPin[p]
        if let q = fixed { options.append((pins[q].session.slot, q, values?(pins[q].session.slot, q) ?? 0)) }
        for s in slotStart[p] ..< slotStart[p + 1] {
            let slot = Int(slotList[s])
            if tctx.roomsFor[c][slot].isEmpty || (fixed.map { pins[$0].session.slot == slot } ?? false) { continue }
            if fixed != nil && k == 1 { continue }
            options.append((slot, -1, values?(slot, -1) ?? 0))
        }
        if fixed == nil {
            for q in pinsOfPair[p] ?? [] where tctx.mentorFree[i][pins[q].session.slot] && tctx.menteeFree[j][pins[q].session.slot] {
                options.append((pins[q].session.slot, q, values?(pins[q].session.slot, q) ?? 0))
            }
        }
        let required: Int? = fixed.map { pins[$0].session.slot } ?? requiredSlot[p]
        // Depth-first over the options, best first, pruned by the best possible completion.
        options.sort { ($0.value, -$0.slot, -$0.pin) > ($1.value, -$1.slot, -$1.pin) }
        var threshold = start
        var chosen: [Int] = []
        func visit(_ from: Int, _ sum: Double) {
            if chosen.count == k {
                guard sum >= threshold else { return }
                if let required, !chosen.contains(where: { options[$0].slot == required }) { return }
                if let fixed, !chosen.contains(where: { options[$0].pin == fixed }) { return }
                let picked = chosen.map { options[$0] }.sorted { ($0.slot, $0.pin) < ($1.slot, $1.pin) }
                threshold = body(picked.map { Int32($0.slot) }, picked.map { Int32($0.pin) }, sum)
                return
            }
            let need = k - chosen.count
            var n = from
            while n < options.count && options.count - n >= need {
                // Options are sorted, so this one and the next need − 1 are the best completion left.
                var bound = sum
                for m in n ..< n + need { bound += options[m].value }
                if bound < threshold { return }
                let o = options[n]
                if !chosen.contains(where: { overlaps[options[$0].slot][o.slot] }) {
                    chosen.append(n)
                    visit(n + 1, sum + o.value)
                    chosen.removeLast()
                    if threshold == .infinity { return }
                }
                n += 1
            }
        }
        visit(0, 0)
    }

    /// Group format: calls `body(sessions)` for each set of k sessions of pair p's mentor that the
    /// pair can attend (mentee free, every room with the mentee's features). Stops when body returns false.
    func forEachMemberPattern(_ p: Int, _ body: ([SessionIndex]) -> Bool) {
        let i = Int(problem.pairs.mentor[p]), j = Int(problem.pairs.mentee[p])
        let c = tctx.menteeClass[j]
        let options = groupOptions.isEmpty ? [] : groupOptions[i].filter { o in
            tctx.menteeFree[j][o.slot] && tctx.roomsFor[c][o.slot].contains(o.room)
        }
        forEachGroupPattern(options, required: requiredSession(p), requiredSlot: requiredSlot[p], body)
    }

    /// Group format: every set of k sessions of mentor i (one group, every week).
    func forEachGroupPattern(mentor i: Int, _ body: ([SessionIndex]) -> Bool) {
        forEachGroupPattern(groupOptions.isEmpty ? [] : groupOptions[i], required: nil, requiredSlot: nil, body)
    }

    private func requiredSession(_ p: Int) -> SessionIndex? { fixedPin[p].map { pins[$0].session } }

    private func forEachGroupPattern(_ options: [SessionIndex], required: SessionIndex?, requiredSlot: Int?,
                                     _ body: ([SessionIndex]) -> Bool) {
        let k = sessionsPerWeek
        var chosen: [SessionIndex] = []
        var stop = false
        func visit(_ from: Int) {
            if stop { return }
            if chosen.count == k {
                if let required, !chosen.contains(required) { return }
                if let requiredSlot, !chosen.contains(where: { $0.slot == requiredSlot }) { return }
                if !body(chosen) { stop = true }
                return
            }
            for n in from ..< options.count where !chosen.contains(where: { overlaps[$0.slot][options[n].slot] }) {
                chosen.append(options[n]); visit(n + 1); chosen.removeLast()
                if stop { return }
            }
        }
        visit(0)
    }

    /// Seats of the smallest room of a group pattern, the mentor's own excluded, capped by capacity.
    func groupSize(mentor i: Int, _ sessions: [SessionIndex]) -> Int {
        min(problem.capacity[i], (sessions.map { tctx.roomCapacity[$0.room] }.min() ?? 1) - 1)
    }

    func days(_ sessions: [SessionIndex]) -> Int { Set(sessions.map { tctx.setup.slots[$0.slot].day }).count }

    // MARK: - Columns

    /// Which group of the Lagrangian bound a column belongs to: its mentee (patterns and members,
    /// one per mentee at most) or its mentor (group columns, one per mentor at most).
    func lagrangianGroup(_ key: TimetableColumn) -> Int {
        switch key {
        case .pattern(let p, _, _), .member(let p, _): return Int(problem.pairs.mentee[Int(p)])
        case .group(let i, _): return problem.menteeCount + Int(i)
        }
    }

    /// The column's objective coefficient in stage t.
    func objective(_ key: TimetableColumn, stage t: Int) -> Double {
        switch (key, stages[t]) {
        case (.pattern(let p, let slots, _), .total):
            return Double(problem.pairs.score[Int(p)] + slots.reduce(0) { $0 + tctx.slotBonus[Int($1)] })
        case (.member(let p, let sessions), .total):
            return Double(problem.pairs.score[Int(p)] + sessions.reduce(0) { $0 + tctx.slotBonus[$1.slot] })
        case (.group(_, let sessions), .total):
            return -Double(dayCost * max(0, days(sessions) - 1))
        case (.pattern(let p, _, _), .keptPairs), (.member(let p, _), .keptPairs):
            return keep.contains(Int(p)) ? 1 : 0
        case (.pattern(_, _, let used), .keptSessions):
            return Double(used.filter { $0 >= 0 && !pins[Int($0)].fixed }.count)
        case (.member(let p, let sessions), .keptSessions):
            return Double(keptPins(pair: Int(p), sessions))
        default:
            return 0
        }
    }

    /// Optional pins of pair p among these sessions.
    func keptPins(pair p: Int, _ sessions: [SessionIndex]) -> Int {
        (pinsOfPair[p] ?? []).filter { !pins[$0].fixed && sessions.contains(pins[$0].session) }.count
    }

    /// Rows and coefficients of a pattern or member column (a member's size row is the caller's).
    func entries(_ key: TimetableColumn) -> (rows: [Int32], coefficients: [Double]) {
        var rows: [Int32] = [], coefs: [Double] = []
        func add(_ r: Int, _ a: Double) { if r >= 0 && a != 0 { rows.append(Int32(r)); coefs.append(a) } }
        let S = tctx.slotCount, C = tctx.classFeatures.count
        switch key {
        case .pattern(let pp, let slots, let used):
            let p = Int(pp), i = Int(problem.pairs.mentor[p]), j = Int(problem.pairs.mentee[p])
            add(menteeRow[j], 1); add(mentorRow[i], 1); add(lockRow[p] ?? -1, 1); add(minimumRow[i], 1)
            add(activeRow[i], -1)
            if keep.contains(p) { add(keptPairsRow, 1) }
            add(keptSessionsRow, Double(used.filter { $0 >= 0 && !pins[Int($0)].fixed }.count))
            for (s, q) in zip(slots, used) {
                for r in mentorSlotRows[i * S + Int(s)] { add(Int(r), 1) }
                if q < 0 {
                    add(seatRow[Int(s) * C + tctx.menteeClass[j]], 1)
                } else {
                    for r in roomSlotRows[pins[Int(q)].session.room * S + Int(s)] { add(Int(r), 1) }
                }
            }
        case .member(let pp, let sessions):
            let p = Int(pp), i = Int(problem.pairs.mentor[p]), j = Int(problem.pairs.mentee[p])
            add(menteeRow[j], 1); add(mentorRow[i], 1); add(lockRow[p] ?? -1, 1); add(minimumRow[i], 1)
            if keep.contains(p) { add(keptPairsRow, 1) }
            add(keptSessionsRow, Double(keptPins(pair: p, sessions)))
        case .group(let ii, let sessions):
            add(convexRow[Int(ii)], 1)
            for s in sessions {
                for r in roomSlotRows[s.room * S + s.slot] { add(Int(r), 1) }
                add(meetsRow[(Int(ii) * S + s.slot) * tctx.roomCount + s.room] ?? -1, -1)
            }
        }
        return sortedEntries(rows, coefs)
    }

    /// Whether branch-and-cut keeps the column integer (see ``branchOnMeetings``).
    func isInteger(_ key: TimetableColumn) -> Bool {
        switch key {
        case .pattern: return true
        case .group, .member: return !branchOnMeetings
        }
    }

    // MARK: - Pricing

    /// What the master knows of its columns, for pricing.
    struct Presence {
        /// Whether a column exists.
        var contains: (TimetableColumn) -> Bool
        /// Whether pair p has any column (a quick test before `contains`).
        var pairHasColumns: (Int) -> Bool
        /// Group format: the size row of an existing group column, or nil.
        var sizeRow: (Int, [SessionIndex]) -> Int?
        /// Group format: the member bound rows m ≤ g of an existing group column.
        var boundRows: (Int, [SessionIndex]) -> [Int] = { _, _ in [] }
    }

    /// The result of pricing every column the master does not have.
    struct Pricing {
        /// Per Lagrangian group (mentees, then mentors), the largest reduced cost among the absent
        /// columns, at least 0 (group format: with the absent rows' duals μ, σ of ``priceGroups``, so
        /// a mentor's is its best absent pattern's value as a whole group).
        var groupMax: [Double]
        /// Absent columns to add, with their reduced costs.
        var entering: [(key: TimetableColumn, reducedCost: Double)]
    }

    /// Prices every absent column from the row duals without building it: d = c − Σ_rows a·dual,
    /// computed per pair from a few sums (its mentee's, its mentor's and its locks' duals) and per
    /// session from per-(mentor, slot), per-(slot, class) and per-pin sums. An absent row (a group's
    /// size row, a member's bound) has dual 0, which is exact for the LP over every row and column.
    ///
    /// Without `slack`: for each pair (group format: each member of each pattern) the best absent
    /// column whose reduced cost exceeds `tolerance`, the best `limit` overall. With `slack(group)`:
    /// every absent column whose reduced cost is at least its group's maximum minus the slack.
    func price(duals: [Double], stage t: Int, presence: Presence, tolerance: Double, limit: Int,
               slack: ((Int) -> Double)? = nil) -> Pricing {
        var groupMax = [Double](repeating: 0, count: problem.menteeCount + problem.mentorCount)
        var entering: [(key: TimetableColumn, reducedCost: Double)] = []
        if isGroup {
            priceGroups(duals, t, presence, &groupMax, &entering, tolerance, slack: nil)
            if let slack { entering = []; priceGroups(duals, t, presence, &groupMax, &entering, tolerance, slack: slack) }
        } else {
            pricePatterns(duals, t, presence, &groupMax, &entering, tolerance, slack: nil)
            if let slack { entering = []; pricePatterns(duals, t, presence, &groupMax, &entering, tolerance, slack: slack) }
        }
        if slack == nil {
            entering.sort { ($0.reducedCost) > ($1.reducedCost) }
            if entering.count > limit { entering.removeLast(entering.count - limit) }
        }
        return Pricing(groupMax: groupMax, entering: entering)
    }

    /// The part of a pair's reduced cost that does not depend on its sessions (pattern or member).
    private func pairBase(_ p: Int, _ duals: [Double], stage t: Int) -> Double {
        let i = Int(problem.pairs.mentor[p]), j = Int(problem.pairs.mentee[p])
        var d = stages[t] == .total ? Double(problem.pairs.score[p]) : 0
        if menteeRow[j] >= 0 { d -= duals[menteeRow[j]] }
        if mentorRow[i] >= 0 { d -= duals[mentorRow[i]] }
        if let r = lockRow[p] { d -= duals[r] }
        if minimumRow[i] >= 0 { d -= duals[minimumRow[i]] }
        if activeRow[i] >= 0 { d += duals[activeRow[i]] }
        if keep.contains(p) { d += (stages[t] == .keptPairs ? 1 : 0) - duals[keptPairsRow] }
        return d
    }

    private func pricePatterns(_ duals: [Double], _ t: Int, _ presence: Presence, _ groupMax: inout [Double],
                               _ entering: inout [(key: TimetableColumn, reducedCost: Double)], _ tolerance: Double,
                               slack: ((Int) -> Double)?) {
        let pairs = problem.pairs
        let S = tctx.slotCount, C = tctx.classFeatures.count
        let total = stages[t] == .total
        var mentorSlot = [Double](repeating: 0, count: mentorSlotRows.count)
        for k in mentorSlotRows.indices { for r in mentorSlotRows[k] { mentorSlot[k] += duals[Int(r)] } }
        // Per (slot, class): bonus − the seat row's dual; NaN where no seat row exists.
        var seat = [Double](repeating: .nan, count: S * C)
        for k in seatRow.indices where seatRow[k] >= 0 { seat[k] = (total ? Double(tctx.slotBonus[k / C]) : 0) - duals[seatRow[k]] }
        let keptStage = stages[t] == .keptSessions
        let pinValue = pins.indices.map { q -> Double in
            let s = pins[q].session
            var v = (total ? Double(tctx.slotBonus[s.slot]) : 0) - roomSlotRows[s.room * S + s.slot].reduce(0) { $0 + duals[Int($1)] }
            if !pins[q].fixed && keptSessionsRow >= 0 { v += (keptStage ? 1 : 0) - duals[keptSessionsRow] }
            return v
        }
        let unusable = -1e18
        for p in 0..<pairs.count where slotStart[p + 1] > slotStart[p] || fixedPin[p] != nil {
            let i = Int(pairs.mentor[p]), j = Int(pairs.mentee[p])
            guard menteeRow[j] >= 0 else { continue }
            let c = tctx.menteeClass[j]
            let base = pairBase(p, duals, stage: t)
            let has = presence.pairHasColumns(p)
            if sessionsPerWeek == 1 && fixedPin[p] == nil && pinsOfPair[p] == nil && requiredSlot[p] == nil {
                // The common case without the pattern search: one session, at a seat.
                var best = -Double.infinity, bestSlot = -1
                for k in slotStart[p] ..< slotStart[p + 1] {
                    let s = Int(slotList[k]), v = seat[s * C + c]
                    guard !v.isNaN else { continue }
                    let d = base + v - mentorSlot[i * S + s]
                    if has && presence.contains(.pattern(pair: Int32(p), slots: [Int32(s)], pins: [-1])) { continue }
                    if let slack {
                        if d >= groupMax[j] - slack(j) { entering.append((.pattern(pair: Int32(p), slots: [Int32(s)], pins: [-1]), d)) }
                    } else if d > best { best = d; bestSlot = s }
                }
                if slack == nil && bestSlot >= 0 {
                    if best > groupMax[j] { groupMax[j] = best }
                    if best > tolerance { entering.append((.pattern(pair: Int32(p), slots: [Int32(bestSlot)], pins: [-1]), best)) }
                }
                continue
            }
            let values: (Int, Int) -> Double = { s, q in
                if q >= 0 { return pinValue[q] - mentorSlot[i * S + s] }
                let v = seat[s * C + c]
                return v.isNaN ? unusable : v - mentorSlot[i * S + s]
            }
            if let slack {
                let threshold = groupMax[j] - slack(j) - base
                forEachPattern(p, values: values, atLeast: max(threshold, unusable / 2)) { slots, used, sum in
                    let key = TimetableColumn.pattern(pair: Int32(p), slots: slots, pins: used)
                    if !(has && presence.contains(key)) { entering.append((key, base + sum)) }
                    return max(threshold, unusable / 2)
                }
            } else {
                // The best absent pattern: search with a rising threshold.
                var best: (TimetableColumn, Double)? = nil
                forEachPattern(p, values: values, atLeast: unusable / 2) { slots, used, sum in
                    let key = TimetableColumn.pattern(pair: Int32(p), slots: slots, pins: used)
                    if has && presence.contains(key) { return sum }   // present: look for another as good or better
                    best = (key, base + sum)
                    return sum.nextUp
                }
                if let best {
                    if best.1 > groupMax[j] { groupMax[j] = best.1 }
                    if best.1 > tolerance { entering.append((best.0, best.1)) }
                }
            }
        }
    }

    /// Group format: for each mentor and pattern, the group column and each member column.
    private func priceGroups(_ duals: [Double], _ t: Int, _ presence: Presence, _ groupMax: inout [Double],
                             _ entering: inout [(key: TimetableColumn, reducedCost: Double)], _ tolerance: Double,
                             slack: ((Int) -> Double)?) {
        let pairs = problem.pairs
        let S = tctx.slotCount
        let total = stages[t] == .total, keptStage = stages[t] == .keptSessions
        let byMentor = pairs.pairsByMentor()
        let J = problem.menteeCount
        /// Per mentor, without `slack`: the patterns whose value as a whole group is positive (see
        /// μ and σ below), each with its best members, so that a pattern enters with the members
        /// that make it worth having; the best few per mentor enter each round.
        let perMentor = 3
        for i in 0..<pairs.mentorCount where convexRow[i] >= 0 {
            let members = byMentor[i].filter { menteeRow[Int(pairs.mentee[$0])] >= 0 }
            let bases = members.map { pairBase($0, duals, stage: t) }
            var bundles: [(value: Double, columns: [(key: TimetableColumn, reducedCost: Double)])] = []
            forEachGroupPattern(mentor: i) { sessions in
                let sizeRow = presence.sizeRow(i, sessions)
                // A size row added after these duals were read was not in that LP: its dual is 0.
                let sizeDual = sizeRow.map { $0 < duals.count ? duals[$0] : 0 } ?? 0
                let gKey = TimetableColumn.group(mentor: Int32(i), sessions: sessions)
                let q = groupSize(mentor: i, sessions)
                var dg = objective(gKey, stage: t) - duals[convexRow[i]] + Double(q) * sizeDual
                for s in sessions {
                    for r in roomSlotRows[s.room * S + s.slot] { dg -= duals[Int(r)] }
                    if let r = meetsRow[(i * S + s.slot) * tctx.roomCount + s.room] { dg += duals[r] }
                }
                let gPresent = sizeRow != nil
                let bonus = total ? Double(sessions.reduce(0) { $0 + tctx.slotBonus[$1.slot] }) : 0
                var positive: [(key: TimetableColumn, reducedCost: Double, mentee: Int)] = []
                for (n, p) in members.enumerated() where attends(p, sessions) {
                    let key = TimetableColumn.member(pair: Int32(p), sessions: sessions)
                    if gPresent && presence.pairHasColumns(p) && presence.contains(key) { continue }
                    let j = Int(pairs.mentee[p])
                    var d = bases[n] + bonus - sizeDual
                    let kept = keptPins(pair: p, sessions)
                    if kept > 0 { d += Double(kept) * ((keptStage ? 1 : 0) - duals[keptSessionsRow]) }
                    if d > min(0, tolerance) || slack != nil { positive.append((key, d, j)) }
                }
                // The absent members' bound rows m ≤ g (and an absent group's size row) are not in
                // the LP, so their duals may be any μ ≥ 0 (σ ≥ 0): they have right-hand side 0, so the
                // dual objective stays the LP value, and they are dual feasible when every column's
                // reduced cost is ≤ 0. A member's reduced cost falls by its μ, the group's rises by
                // Σ μ (and q·σ). Present group with reduced cost −b ≤ 0: its absent members need
                // Σ (their reduced costs)⁺ ≤ b, the largest first. Absent group: with σ the q-th
                // largest member's, the members come to ≤ 0 and the group to dg + Σ of its best q
                // members' (the pattern's value as a whole group). So a pattern enters only when its
                // value is positive, and the Lagrangian bound takes each pattern once, by its mentor,
                // rather than every member by its mentee.
                // With `slack` (reduced-cost filtering, groupMax from the pass without it): the same
                // μ and σ, so a member is kept when its reduced cost with them is within the slack of
                // its mentee's maximum, and an absent pattern only when its value is within the slack
                // of its mentor's.
                positive.sort { ($0.reducedCost, $1.mentee) > ($1.reducedCost, $0.mentee) }
                let top = positive.prefix(max(1, q)).filter { $0.reducedCost > min(0, tolerance) }
                let value: Double
                var lowered: [Double] = []   // each member's reduced cost with its μ (and σ)
                if gPresent {
                    // The group's reduced cost in the LP: its bound rows' duals included.
                    let dgLP = dg + presence.boundRows(i, sessions).reduce(0) { $0 + ($1 < duals.count ? duals[$1] : 0) }
                    var budget = max(0, -dgLP)
                    value = positive.reduce(0) { $0 + max(0, $1.reducedCost) } - budget
                    for m in positive {
                        let mu = min(max(0, m.reducedCost), budget)
                        budget -= mu
                        lowered.append(m.reducedCost - mu)
                    }
                } else {
                    value = dg + top.reduce(0) { $0 + $1.reducedCost }
                    let sigma = top.count >= max(1, q) ? top.last!.reducedCost : 0
                    lowered = positive.map { min(0, $0.reducedCost - sigma) }
                }
                if let slack {
                    if !gPresent && value < groupMax[J + i] - slack(J + i) { return true }
                    for (m, d) in zip(positive, lowered) where d >= groupMax[m.mentee] - slack(m.mentee) { entering.append((m.key, m.reducedCost)) }
                    if !gPresent { entering.append((gKey, dg)) }
                    return true
                }
                for (m, d) in zip(positive, lowered) where d > groupMax[m.mentee] { groupMax[m.mentee] = d }
                if !gPresent && value > groupMax[J + i] { groupMax[J + i] = value }
                if value > tolerance {
                    let columns = top.isEmpty ? [(key: gKey, reducedCost: dg)] : top.map { (key: $0.key, reducedCost: $0.reducedCost) }
                    bundles.append((value, columns))
                }
                return true
            }
            // Ranked by the bundle's value, so the truncation to `limit` keeps whole bundles.
            bundles.sort { $0.value > $1.value }
            for b in bundles.prefix(perMentor) { for c in b.columns { entering.append((c.key, b.value + c.reducedCost * 1e-9)) } }
        }
    }

    /// Whether the formulation has this column (a timetable from elsewhere, e.g. the greedy
    /// scheduler's, may use sessions that a lock rules out).
    func offers(_ key: TimetableColumn) -> Bool {
        let k = sessionsPerWeek
        switch key {
        case .pattern(let pp, let slots, let used):
            let p = Int(pp)
            guard slots.count == k, used.count == k, isGroup == false else { return false }
            var found = false
            forEachPattern(p, values: nil, atLeast: -.infinity) { s, u, _ in
                if s == slots && u == used { found = true; return .infinity }
                return -.infinity
            }
            return found
        case .member(let p, let sessions):
            guard isGroup, validGroup(mentor: Int(problem.pairs.mentor[Int(p)]), sessions) else { return false }
            return attends(Int(p), sessions)
        case .group(let i, let sessions):
            return isGroup && validGroup(mentor: Int(i), sessions)
        }
    }

    private func validGroup(mentor i: Int, _ sessions: [SessionIndex]) -> Bool {
        guard sessions.count == sessionsPerWeek, sessions == sessions.sorted(), !groupOptions.isEmpty else { return false }
        for (a, s) in sessions.enumerated() {
            guard groupOptions[i].contains(s) else { return false }
            for t in sessions[(a + 1)...] where overlaps[s.slot][t.slot] { return false }
        }
        return true
    }

    /// Group format: whether pair p can attend its mentor's group at these sessions.
    func attends(_ p: Int, _ sessions: [SessionIndex]) -> Bool {
        let j = Int(problem.pairs.mentee[p]), c = tctx.menteeClass[j]
        for s in sessions where !tctx.menteeFree[j][s.slot] || !tctx.roomsFor[c][s.slot].contains(s.room) { return false }
        if let q = fixedPin[p], !sessions.contains(pins[q].session) { return false }
        if let s = requiredSlot[p], !sessions.contains(where: { $0.slot == s }) { return false }
        return true
    }
}

/// Entries sorted by row, duplicates summed.
func sortedEntries(_ rows: [Int32], _ coefs: [Double]) -> ([Int32], [Double]) {
    let order = rows.indices.sorted { rows[$0] < rows[$1] }
    var r: [Int32] = [], c: [Double] = []
    for k in order {
        if let last = r.last, last == rows[k] { c[c.count - 1] += coefs[k] } else { r.append(rows[k]); c.append(coefs[k]) }
    }
    return (r, c)
}
