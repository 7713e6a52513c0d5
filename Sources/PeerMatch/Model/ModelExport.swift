import Foundation

/// One exported model file: one lexicographic stage of the model a cohort poses.
public struct ModelFile: Sendable {
    /// 1-based.
    public var stage: Int
    public var stageName: String
    public var text: String
}

extension Matcher {
    /// The model this matcher solves for a cohort, written by GLPK's own LP or MPS writer, one file
    /// per lexicographic stage, so that any solver can check a result: file t maximises stage t's
    /// objective over every row and column of the whole model (every session column of a
    /// timetable, not only those column generation needed), with the stages before it held at
    /// least at the values `result` reached. Its optimum is then stage t's value whenever the
    /// result proved stage t optimal. A comment at the top of each file says which stage it is,
    /// what was held and what this run reached.
    ///
    /// Only for method `optimal` (and `random`, whose model has the random scores): `stable` has
    /// no model, and `fair` solves a sequence of threshold models.
    public func modelFiles(for cohort: Cohort, result: MatchResult, previous: PreviousResult? = nil, maxChanges: Int? = nil,
                           format: ModelFileFormat) throws -> [ModelFile] {
        guard policy.method == .optimal || policy.method == .random else {
            throw MatchInputError(messages: ["--export-model: method \(policy.method.rawValue) has no single model to export; use method optimal or random"])
        }
        var model: LinearModel
        var reached: [Double]
        /// The row each stage's objective is (fixing the stage raises its lower bound), or nil.
        var stageRows: [Int?]
        if cohort.timetable != nil {
            let inputs = try timetableInputs(cohort, previous: previous, maxChanges: maxChanges)
            let f = inputs.formulation
            let builder = LinearModelBuilder()
            let master = TimetableMaster(f, sink: builder)
            let all = f.price(duals: [Double](repeating: 0, count: builder.rowCount), stage: f.stages.count - 1,
                              presence: master.presence, tolerance: -.infinity, limit: .max, slack: { _ in .infinity })
            master.add(all.entering.map(\.key))
            master.addMemberBounds(violatedAt: nil)
            builder.columnNames = (0..<master.columnCount).map { master.columnName($0) }
            model = builder.model(rowNames: master.rowNames)
            for t in f.stages.indices {
                let objective = master.objective(stage: t)
                let cols = objective.indices.filter { objective[$0] != 0 }
                model.stages.append(.init(name: f.name(ofStage: t), objective: .expression(columns: cols.map { Int32($0) }, coefficients: cols.map { objective[$0] }),
                                          integral: true))
            }
            reached = f.values(timetabling(of: result, inputs))
            stageRows = f.stages.indices.map { f.stageRow($0) }
        } else {
            let (ctx, base) = try problem(for: cohort)
            let problem = policy.method == .random ? base.withScores(randomScores(base)) : base
            let m = MatchingModel(problem)
            model = m.model
            model.columnNames = (0..<model.columnCount).map { c in
                if c < problem.pairs.count { return "x_i\(problem.pairs.mentor[c])_j\(problem.pairs.mentee[c])" }
                if let j = m.menteeColumn.firstIndex(of: c) { return "z_j\(j)" }
                return "y_\(c)"
            }
            let selection = result.pairs.compactMap { p -> Int? in
                guard let i = ctx.mentorIndex[p.mentor], let j = ctx.menteeIndex[p.mentee] else { return nil }
                return problem.pairs.index(mentor: i, mentee: j)
            }
            let e = problem.evaluate(selection)
            reached = e.matchedByLevel.map(Double.init) + (problem.hasSoftMinimum ? [Double(e.mentorsAtMinimum)] : []) + [Double(e.score)]
            stageRows = model.stages.map { if case .row(let r) = $0.objective { return r } else { return nil } }
        }
        let proven = result.stages.map(\.optimal)
        return try model.stages.indices.map { t in
            var m = model
            for u in 0..<t {
                if let r = stageRows[u] {
                    m.setRowBounds(r, lower: reached[u], upper: model.rowUpper[r])
                } else if case .expression(let cols, let coefs) = model.stages[u].objective {
                    m.addRow("stage_\(u + 1)_held", columns: cols, coefficients: coefs, lower: reached[u], upper: .infinity)
                }
            }
            let text = try GLPKBackend.modelFile(m, stage: t, format: format, title: "peermatch stage \(t + 1)")
            let comment = format == .lp ? "\\ " : "* "
            func points(_ v: Double, _ u: Int) -> String { model.stages[u].name.hasPrefix("total") ? "\(v) (hundredths of a point)" : formatNumber(v) }
            var header = [
                "PeerMatch model, stage \(t + 1) of \(model.stages.count): \(model.stages[t].name) (maximised)",
                t == 0 ? "No earlier stage." : "Earlier stages held at the values this run reached: "
                    + (0..<t).map { "\(model.stages[$0].name) >= \(points(reached[$0], $0))" }.joined(separator: "; "),
                "This run reached \(points(reached[t], t))" + (t < proven.count ? (proven[t] ? ", proven optimal" : ", not proven optimal") : ""),
            ]
            if format == .mps {
                header.append("MPS has no objective sense every reader takes: this file minimises the negated objective, so its optimum is minus the stage's value")
            }
            if cohort.timetable != nil {
                header.append("Columns: x_i<mentor>_j<mentee>_s<slot>... a pair's weekly sessions (a seat of its room class; pin<k>: a pinned session), "
                              + "g_i<mentor>_s<slot>r<room>... a group, m_i<mentor>_j<mentee>_... its members, w seats, z matched, share/day/active soft terms "
                              + "(mentors i, mentees j, slots s and rooms r by position in the cohort's lists, from 0)")
            }
            return ModelFile(stage: t + 1, stageName: model.stages[t].name, text: header.map { comment + $0 + "\n" }.joined() + text)
        }
    }

    /// A result's timetable in the formulation's terms.
    private func timetabling(of result: MatchResult, _ inputs: TimetableInputs) -> Timetabling {
        var selection: [Int] = [], sessions: [[SessionIndex]] = []
        for pair in result.pairs {
            guard let i = inputs.ctx.mentorIndex[pair.mentor], let j = inputs.ctx.menteeIndex[pair.mentee],
                  let p = inputs.problem.pairs.index(mentor: i, mentee: j) else { continue }
            selection.append(p)
            sessions.append(pair.sessions.compactMap { s in
                guard let slot = inputs.tctx.slotIndex[s.slot], let room = inputs.tctx.roomIndex[s.room] else { return nil }
                return SessionIndex(slot: slot, room: room)
            })
        }
        return Timetabling(selection: selection, sessions: sessions)
    }
}
