import Foundation

/// What one lexicographic stage reached: its value, the best bound proven on it (given the stages
/// before it at their reached values), and whether the two meet.
public struct StageReport: Sendable, Hashable {
    public var name: String
    /// Counts, or points for the total.
    public var value: Double
    /// Nil when no bound was proven in the stage's time.
    public var bound: Double?
    /// The stage's value is proven optimal (given the stages before it).
    public var optimal: Bool
    public init(name: String, value: Double, bound: Double?, optimal: Bool) {
        self.name = name; self.value = value; self.bound = bound; self.optimal = optimal
    }
}

/// Solves a ``TimetableFormulation`` stage by stage with column generation and price-and-branch.
///
/// Each stage: the LP over every column, by column generation (solve the restricted LP, price
/// every absent column from the duals, add the best, repeat until none prices out): that is the
/// stage's exact LP bound. Stopped early, the Lagrangian bound of the last duals (each mentee and
/// mentor can take at most one column, so Σ_rows dual·activity + Σ over mentees and mentors of
/// their best reduced cost) is still a valid bound, and it also ends the stage as soon as it shows
/// that the incumbent cannot be beaten. Incumbents: the greedy scheduler, LP-guided rounding, and
/// branch-and-cut on the generated columns. Branch-and-cut is exact when every column that could
/// appear in a better solution is present: a column whose reduced cost is more than
/// (bound − incumbent − 1) below its mentee's best cannot (reduced-cost filtering), so those
/// columns are added first and the restricted optimum is then the optimum.
///
/// Stages do not starve each other: each gets a share of the time left (the total two shares);
/// a stage that runs out keeps its incumbent, reports its bound, and the next stage still runs.
struct TimetableSolver {
    let formulation: TimetableFormulation
    let backend: any LinearBackend
    let deadline: Date
    /// Relative gap at which the final stage may stop.
    var gap: Double = 0
    /// Locks to place first in every greedy and rounded timetable.
    var locks: [(pair: Int, slot: Int?, room: Int?)] = []
    /// Best pairs per mentee in the first restricted master (tests use 0 to force pricing rounds).
    var initialPairsPerMentee = 3
    /// Columns added per pricing round, at least.
    var columnsPerRound = 2000
    /// Wentges smoothing of the duals that choose the entering columns (0: none): pricing at
    /// α·π_center + (1 − α)·π_LP, where the center is the dual vector with the best Lagrangian
    /// bound so far. Only columns whose reduced cost at the LP's own duals is positive enter; when
    /// there are none (mispricing), the LP duals' own columns do. Convergence is declared only when
    /// pricing at the LP's own duals finds nothing, so the LP value is exact either way. Used in
    /// the group format only, where it was measured to help (groups with two sessions a week
    /// tailed off without it); in the others it only changed which columns entered, and with them
    /// the restricted master that branch-and-cut searches (pairs-in-room, one session a week,
    /// overlapping slots, seed 1 of the `small` benchmark lost its proof to it).
    var smoothing = 0.5
    /// Reduced-cost filtering adds at most this many columns (beyond it, branch-and-cut runs on
    /// the columns it has and the stage keeps its LP bound).
    var filterLimit = 400_000
    /// The command's limits: with a work limit, each stage gets the same share of the work left
    /// as of the time left, spent by simplex iterations and branch-and-cut nodes (so a
    /// work-limited run stops at the same point, with the same bytes, on any machine).
    var limits: SolveLimits? = nil
    /// Told at the start of each stage: what it is, the stages done, and how many there are.
    var progress: ((String, Int, Int) -> Void)? = nil

    struct Outcome {
        var timetable: Timetabling?
        var stages: [StageReport]
        var infeasible: Bool
        var rawStatus: String
        var columns: Int
        var rows: Int
    }

    func solve(start: [Timetabling]) -> Outcome? {
        guard let ws = backend.makeWorkspace() else { return nil }
        let f = formulation
        let master = TimetableMaster(f, sink: ws)
        var best: (t: Timetabling, values: [Double])? = nil
        let startTime = Date()
        /// Keeps a timetable that keeps every row (with the stages fixed so far) if it is better.
        func consider(_ t: Timetabling) {
            guard TimetableRules.violations(t, f.problem, f.tctx).isEmpty, f.problem.violations(t.selection).isEmpty,
                  let x = master.point(for: t), ws.isFeasible(x) else { return }
            let v = f.values(t)
            if best == nil || best!.values.lexicographicallyPrecedes(v) { best = (t, v) }
        }
        for t in start { consider(t) }
        // The first restricted master: the incumbents' columns (added by consider) and each
        // mentee's best pairs at their best sessions.
        if initialPairsPerMentee > 0 {
            let zero = [Double](repeating: 0, count: ws.rowCount)
            let seed = f.price(duals: zero, stage: f.stages.count - 1, presence: master.presence, tolerance: -.infinity, limit: .max)
            var perMentee: [Int: Int] = [:]
            var keys: [TimetableColumn] = []
            for e in seed.entering {
                let g = f.lagrangianGroup(e.key)
                guard g < f.problem.menteeCount, perMentee[g, default: 0] < initialPairsPerMentee else { continue }
                perMentee[g, default: 0] += 1
                keys.append(e.key)
            }
            master.add(keys)
        }

        var reports: [StageReport] = []
        var raw: [String] = []
        var rounds = 0, nodes = 0, dives = 0
        let weights = f.stages.map { $0 == .total ? 2.0 : 1.0 }
        for t in f.stages.indices {
            let share = weights[t] / weights[t...].reduce(0, +)
            let stageStart = Date()
            let stageDeadline = stageStart.addingTimeInterval(max(0, deadline.timeIntervalSinceNow) * share)
            master.stage = t
            var stageStartWork: Int? = nil
            if let limits, let left = limits.workRemaining {
                stageStartWork = limits.workUsed
                ws.work = WorkBudget(limits: limits, until: limits.workUsed + Int((Double(left) * share).rounded(.down)),
                                     stage: "timetable stage \(t + 1) (\(f.name(ofStage: t)))")
            }
            progress?("timetabling by column generation, stage \(t + 1) of \(f.stages.count): \(f.name(ofStage: t))", t, f.stages.count)
            ws.setObjective(master.objective(stage: t))
            let cg = generateColumns(ws, master, stage: t, deadline: stageDeadline, incumbent: best?.values[t])
            if cg.infeasible {
                return Outcome(timetable: nil, stages: reports, infeasible: true,
                               rawStatus: "the LP relaxation over every column is infeasible at stage \(t + 1) (\(f.name(ofStage: t)))",
                               columns: ws.columnCount, rows: ws.rowCount)
            }
            rounds += cg.rounds
            let lpValue = cg.lpValue, converged = cg.converged
            var bound = cg.bound
            let lastDuals = cg.lastDuals, lastLB = cg.lastBound
            var note = cg.note
            if lpValue != nil {
                // An integral LP point is a timetable (the stage's LP optimum, so proven); else round it.
                let x = ws.columnValues()
                if master.isIntegral(x) { consider(master.timetabling(from: x.map { $0.rounded() })) }
                if Date() < stageDeadline { for r in master.roundings(x, first: locks) { consider(r) } }
            }
            let isFinal = t == f.stages.count - 1
            func done() -> Bool {
                guard let best else { return false }
                if floorBound(bound) <= best.values[t] { return true }
                if isFinal && gap > 0 && bound.isFinite && (bound - best.values[t]) / max(1, abs(bound)) <= gap { return true }
                return false
            }
            if !done() && lpValue != nil && Date() < stageDeadline {
                // LP diving for a better incumbent, with 40% of the stage's time left; with 75%, and
                // the basis restored after it, where the stage's column generation took over 40% of
                // its time, as branch-and-cut then gets less than its root needs (the 3,000-mentee
                // school: the LP took 114–160 s of a 275 s stage, and branch-and-cut's root 78 s of
                // the rest, finding nothing, while each dive round of about 20 s found a better
                // timetable).
                // With a work limit, the share of the stage's work, so that the same input takes
                // the same path on any machine.
                let lpShare = if let w = ws.work, let start = stageStartWork {
                    Double(w.limits.workUsed - start) / Double(max(1, w.until - start))
                } else {
                    Date().timeIntervalSince(stageStart) / max(1e-9, stageDeadline.timeIntervalSince(stageStart))
                }
                let long = lpShare > 0.4
                let (num, den) = long ? (3, 4) : (2, 5)
                let diveDeadline = Date().addingTimeInterval(max(0, stageDeadline.timeIntervalSinceNow) * Double(num) / Double(den))
                // The same share of the stage's work, when there is a work limit.
                let stageWork = ws.work
                if let w = stageWork { ws.work = WorkBudget(limits: w.limits, until: w.limits.workUsed + max(0, w.left) * num / den, stage: w.stage, recordsCut: false) }
                let dived = dive(ws, master, stage: t, deadline: diveDeadline, restoringBasis: long)
                dives += dived.rounds
                for found in dived.found { consider(found) }
                ws.work = stageWork
                ws.setObjective(master.objective(stage: t))
            }
            var proven = best.map { floorBound(bound) <= $0.values[t] } ?? false
            if !done() && Date() < stageDeadline, let duals = lastDuals {
                // Price-and-branch: every column that could be in a better solution first (when the
                // bound is known and they are not too many), then branch-and-cut on the master.
                var exact = false
                // Stage values are whole numbers (counts, hundredths of a point) at every integer
                // point when every coefficient is: a bound under one above the incumbent proves it.
                let step: Double = master.objective(stage: t).allSatisfy { $0 == $0.rounded() } ? 1 : 0
                func columnsWithinTheGap() -> [TimetableColumn]? {
                    guard let best, lastLB.isFinite else { return nil }
                    let slack = lastLB - best.values[t] - 1 + 1e-6 * max(1, abs(lastLB))
                    return f.price(duals: duals, stage: t, presence: master.presence, tolerance: 0, limit: .max,
                                   slack: { _ in slack }).entering.map(\.key)
                }
                var within = columnsWithinTheGap()
                if let w = within, w.count > 1000, w.count > 4 * ws.columnCount, w.count <= filterLimit {
                    // A weak incumbent leaves many columns within the gap (a count stage, where most
                    // columns cost nothing): branch-and-cut on the generated columns first, with a
                    // third of the stage's time, for a better incumbent and a smaller gap to filter by.
                    master.completeForBranchAndCut()
                    let incumbents = best.flatMap { master.point(for: $0.t, addMissing: false) }.map { [$0] } ?? []
                    let pre = ws.solveMIP(deadline: Date().addingTimeInterval(max(0, stageDeadline.timeIntervalSinceNow) / 3),
                                          gap: 0, step: step, incumbents: incumbents) { lp in
                        master.point(for: master.rounding(lp, first: locks), addMissing: false)
                    }
                    nodes += pre.nodes
                    raw.append("stage \(t + 1), on the generated columns first: \(pre.rawStatus)")
                    if let x = pre.values { consider(master.timetabling(from: x)) }
                    within = done() ? [] : columnsWithinTheGap()
                }
                if !done(), let within {
                    if within.count <= filterLimit {
                        master.add(within)
                        exact = true
                        if !within.isEmpty { ws.setObjective(master.objective(stage: t)) }
                    } else {
                        note += (note.isEmpty ? "" : "; ") + "\(within.count) columns within the gap: branch-and-cut on the generated ones only"
                    }
                } else if best == nil {
                    note += (note.isEmpty ? "" : "; ") + "no incumbent: branch-and-cut on the generated columns"
                }
                if !done() {   // else the branch-and-cut on the generated columns proved it
                    master.completeForBranchAndCut()
                    let incumbents = best.flatMap { master.point(for: $0.t, addMissing: false) }.map { [$0] } ?? []
                    let mip = ws.solveMIP(deadline: stageDeadline, gap: isFinal ? gap : 0, step: step, incumbents: incumbents) { lp in
                        master.point(for: master.rounding(lp, first: locks), addMissing: false)
                    }
                    nodes += mip.nodes
                    raw.append("stage \(t + 1): \(mip.rawStatus)")
                    if let x = mip.values { consider(master.timetabling(from: x)) }
                    if exact {
                        if mip.complete {
                            // The restricted optimum is the optimum (GLPK's value, whether or not its point was kept).
                            if let v = mip.objective { bound = min(bound, v) } else if let best { bound = min(bound, best.values[t]) } else {
                                return Outcome(timetable: nil, stages: reports, infeasible: true,
                                               rawStatus: "branch-and-cut proved stage \(t + 1) infeasible", columns: ws.columnCount, rows: ws.rowCount)
                            }
                        } else if let b = mip.bound {
                            bound = min(bound, b)
                        }
                    }
                }
            }
            guard let best else {
                return Outcome(timetable: nil, stages: reports, infeasible: false,
                               rawStatus: "no timetable found at stage \(t + 1) (\(f.name(ofStage: t))) \(note)",
                               columns: ws.columnCount, rows: ws.rowCount)
            }
            proven = floorBound(bound) <= best.values[t]
            let scale = f.stages[t] == .total ? 0.01 : 1
            reports.append(StageReport(name: f.name(ofStage: t), value: best.values[t] * scale,
                                       bound: bound.isFinite ? (proven ? best.values[t] : floorBound(bound)) * scale : nil, optimal: proven))
            raw.append("stage \(t + 1) (\(f.name(ofStage: t))): \(converged ? "LP converged" : "LP not converged") \(lpValue.map { String(format: "%.2f", $0) } ?? "—")\(note.isEmpty ? "" : ", " + note), until \(String(format: "%.1f", Date().timeIntervalSince(startTime))) s")
            if let r = f.stageRow(t) {
                master.setRowBounds(r, lower: best.values[t], upper: f.rowUpper[r], in: ws)
            }
        }
        raw.append("\(rounds) LP solves, \(dives) diving rounds, \(ws.simplexIterations) simplex iterations, \(nodes) branch-and-cut nodes, \(ws.columnCount) columns, \(ws.rowCount) rows, \(String(format: "%.1f", Date().timeIntervalSince(startTime))) s")
        return Outcome(timetable: best?.t, stages: reports, infeasible: false, rawStatus: raw.joined(separator: "; "),
                       columns: ws.columnCount, rows: ws.rowCount)
    }

    struct ColumnGeneration {
        var lpValue: Double?
        /// The best bound seen (the LP value when converged).
        var bound = Double.infinity
        var converged = false
        var infeasible = false
        var rounds = 0
        /// The duals of the last LP solved, and the Lagrangian bound they give.
        var lastDuals: [Double]?
        var lastBound = Double.infinity
        var note = ""
        /// Rounds whose entering columns came from the smoothed duals, and rounds that mispriced.
        var smoothedRounds = 0, mispriced = 0
    }

    /// Column generation for stage t (the objective already set): solve the restricted LP, price
    /// every absent column, add the best, until none prices out, the deadline, or the bound shows
    /// that `incumbent` cannot be beaten.
    func generateColumns(_ ws: any LPWorkspace, _ master: TimetableMaster, stage t: Int, deadline: Date,
                         incumbent: Double?, addAllWhenInfeasible: Bool = true, startDual: Bool = false,
                         stabilise: Bool = true) -> ColumnGeneration {
        let f = formulation
        var cg = ColumnGeneration()
        // The stability center: the duals with the best Lagrangian bound so far.
        var center: [Double]? = nil, centerBound = Double.infinity
        let limit = max(columnsPerRound, 2 * f.rowLower.count)
        var addedAll = !addAllWhenInfeasible
        var dual = startDual
        while true {
            let useDual = dual
            dual = false
            switch ws.solveLP(deadline: deadline, dual: useDual) {
            case .optimal(let v):
                cg.lpValue = v
            case .infeasible:
                // The restricted master may be infeasible (locks or a hard minimum its columns
                // cannot meet) where the whole model is not: add every column once, then decide.
                if !addedAll {
                    addedAll = true
                    let all = f.price(duals: [Double](repeating: 0, count: ws.rowCount), stage: t, presence: master.presence,
                                      tolerance: -.infinity, limit: .max, slack: { _ in .infinity })
                    master.add(all.entering.map(\.key))
                    ws.setObjective(master.objective(stage: t))
                    continue
                }
                cg.infeasible = true
                return cg
            case .timeLimit:
                cg.note = ws.work.map { $0.left <= 0 } == true ? "work limit in the LP" : "time limit in the LP"
                return cg
            case .failed(let why):
                cg.note = why
                return cg
            }
            cg.rounds += 1
            // Group format: member bounds the LP point breaks, as cuts, before pricing.
            if f.isGroup && master.addMemberBounds(violatedAt: ws.columnValues()) > 0 && Date() < deadline { dual = true; continue }
            let duals = ws.rowDuals()
            let pricing = f.price(duals: duals, stage: t, presence: master.presence, tolerance: 1e-7, limit: limit)
            let lb = lagrangianBound(ws, master, duals: duals, absentMax: pricing.groupMax)
            cg.lastDuals = duals; cg.lastBound = lb
            cg.bound = min(cg.bound, lb)
            // Exact: only pricing at the LP's own duals ends the generation.
            if pricing.entering.isEmpty { cg.converged = true; cg.bound = min(cg.bound, cg.lpValue!); return cg }
            if let incumbent, floorBound(cg.bound) <= incumbent { return cg }   // proven without converging
            if Date() >= deadline { cg.note = "time limit in column generation"; return cg }
            var entering = pricing.entering.map(\.key)
            if stabilise && smoothing > 0 && f.isGroup {
                if lb < centerBound { center = duals; centerBound = lb }
                if let c = center, c != duals {
                    // Rows added since the center was read have dual 0 there.
                    let a = smoothing
                    let sep = duals.indices.map { r in a * (r < c.count ? c[r] : 0) + (1 - a) * duals[r] }
                    let smoothed = f.price(duals: sep, stage: t, presence: master.presence, tolerance: 1e-7, limit: limit)
                    let objective = master.objective(stage: t)
                    let sepBound = master.lagrangianBound(duals: sep, objective: objective, absentMax: smoothed.groupMax)
                    cg.bound = min(cg.bound, sepBound)
                    if sepBound < centerBound { center = sep; centerBound = sepBound }
                    if let incumbent, floorBound(cg.bound) <= incumbent { return cg }
                    let useful = smoothed.entering.map(\.key).filter { master.reducedCost($0, duals: duals) > 1e-7 }
                    if useful.isEmpty { cg.mispriced += 1 } else { entering = useful; cg.smoothedRounds += 1 }
                }
            }
            master.add(entering)
        }
    }

    /// LP diving: fix the columns at 1 and the most promising fractional ones (by value, then
    /// objective), re-solve with pricing, and repeat until the LP point is integral, which is then
    /// a timetable near the LP optimum; roundings of the points on the way are found too. A fix
    /// that makes the LP infeasible is undone and the column is excluded instead. Every bound is
    /// restored at the end, and with `restoringBasis` the basis too, so that branch-and-cut after
    /// it starts from the stage's optimal LP without a solve (re-solving from the dive's last basis
    /// took the 3,000-mentee school's whole branch-and-cut time). Not always: on small stages the
    /// re-solve is quick and the vertex it reaches suits GLPK's cuts better (three 30-mentee
    /// `small` cohorts proven in 0.2–3.3 s from the re-solved basis were not proven in 10 s from
    /// the restored one). Returns the rounds done and the timetables found, which the caller offers
    /// after the bounds are back (offered during the dive, a timetable without the dive's fixed
    /// columns would be refused as breaking their bounds).
    func dive(_ ws: any LPWorkspace, _ master: TimetableMaster, stage t: Int, deadline: Date,
              restoringBasis: Bool) -> (rounds: Int, found: [Timetabling]) {
        var fixed: [Int] = [], banned: [Int] = []
        let basis = restoringBasis ? ws.saveBasis() : nil
        var found: [Timetabling] = []
        defer {
            for c in fixed { ws.setColumnBounds(c, lower: 0, upper: 1) }
            for c in banned { ws.setColumnBounds(c, lower: 0, upper: 1) }
            if let basis { ws.restoreBasis(basis) }
        }
        var isFixed = Set<Int>()
        var lastBatch: [Int] = []
        var rounds = 0
        while Date() < deadline {
            rounds += 1
            let cg = generateColumns(ws, master, stage: t, deadline: deadline, incumbent: nil, addAllWhenInfeasible: false, startDual: rounds > 1,
                                     stabilise: false)
            if cg.infeasible {
                // The last fixes went too far: undo them, exclude the first of them, go on.
                guard let first = lastBatch.first else { return (rounds, found) }
                for c in lastBatch { ws.setColumnBounds(c, lower: 0, upper: 1); isFixed.remove(c) }
                fixed.removeAll { lastBatch.contains($0) }
                ws.setColumnBounds(first, lower: 0, upper: 0); banned.append(first)
                lastBatch = []
                continue
            }
            guard cg.lpValue != nil else { return (rounds, found) }
            let x = ws.columnValues()
            if master.isIntegral(x) { found.append(master.timetabling(from: x.map { $0.rounded() })); return (rounds, found) }
            found += master.roundings(x, first: locks)
            let objective = master.objective(stage: t)
            var fractional: [Int] = [], ones: [Int] = []
            for c in 0..<x.count where master.keys[c] != nil && !isFixed.contains(c) {
                if x[c] >= 1 - 1e-6 { ones.append(c) } else if x[c] > 1e-6 { fractional.append(c) }
            }
            fractional.sort { (x[$0], objective[$0], -$0) > (x[$1], objective[$1], -$1) }
            // The columns at 1 stay; of the fractional ones, the best tenth (at least one), one per Lagrangian group.
            var taken = Set(fixed.map { master.f.lagrangianGroup(master.keys[$0]!) } + ones.map { master.f.lagrangianGroup(master.keys[$0]!) })
            lastBatch = []
            for c in fractional where lastBatch.count < max(1, fractional.count / 10) {
                if taken.insert(master.f.lagrangianGroup(master.keys[c]!)).inserted { lastBatch.append(c) }
            }
            for c in ones + lastBatch { ws.setColumnBounds(c, lower: 1, upper: 1); fixed.append(c); isFixed.insert(c) }
        }
        return (rounds, found)
    }

    /// The largest integer a bound allows, with room for the LP's floating-point error (at most
    /// half a unit: values are integers, in hundredths for the total).
    func floorBound(_ b: Double) -> Double {
        guard b.isFinite else { return .infinity }
        return (b + min(0.5, 1e-6 * max(1, abs(b)))).rounded(.down)
    }

    /// Σ_rows dual·activity + Σ_present auxiliary columns at their best bound + Σ over mentees and
    /// mentors of the largest reduced cost of any of their columns (present or not), at least 0:
    /// an upper bound on the stage objective over every integer point, from any LP optimum of the
    /// restricted master (with every column priced, it is the LP optimum itself).
    func lagrangianBound(_ ws: any LPWorkspace, _ master: TimetableMaster, duals: [Double], absentMax: [Double]) -> Double {
        let act = ws.rowActivities()
        var lb = 0.0
        for r in duals.indices { lb += duals[r] * act[r] }
        var groupMax = absentMax
        let d = ws.reducedCosts()
        let f = master.f
        for c in 0..<master.columnCount {
            if let key = master.keys[c] {
                let g = f.lagrangianGroup(key)
                if d[c] > groupMax[g] { groupMax[g] = d[c] }
            } else if d[c] > 1e-9 {
                // An auxiliary column at its upper bound.
                let upper = auxUpper(master, c)
                if !upper.isFinite { return .infinity }
                lb += d[c] * upper
            }
        }
        return lb + groupMax.reduce(0) { $0 + max(0, $1) }
    }

    private func auxUpper(_ master: TimetableMaster, _ c: Int) -> Double {
        master.f.aux[c].column.upper
    }
}
