/// The `candidates` report: every pair that passes the hard rules with its score breakdown, and
/// optionally every rejected pair with the rules that rejected it. Answers "why not these two?".
public enum CandidatesWriter {
    public struct Row: Sendable {
        public var mentor: PersonID
        public var mentee: PersonID
        public var scoreHundredths: Int?
        public var breakdown: [(String, Int)]
        public var rejectedBy: [(rule: String, reason: String)]
    }

    /// Rows in mentor, then mentee order.
    public static func rows(cohort: Cohort, policy: Policy, includeRejected: Bool) -> [Row] {
        let ctx = PairingContext(cohort: cohort, policy: policy)
        let pairs = CandidatePairs(ctx)
        var out: [Row] = []
        for i in cohort.mentors.indices {
            for j in cohort.mentees.indices {
                if let p = pairs.index(mentor: i, mentee: j) {
                    let breakdown = ScoreTerms.breakdown(mentor: i, mentee: j, in: ctx).map { ($0.term.id, $0.hundredths) }
                    out.append(Row(mentor: cohort.mentors[i].id, mentee: cohort.mentees[j].id, scoreHundredths: pairs.score[p],
                                   breakdown: breakdown, rejectedBy: []))
                } else if includeRejected {
                    let rules = HardRules.violations(mentor: i, mentee: j, in: ctx)
                    out.append(Row(mentor: cohort.mentors[i].id, mentee: cohort.mentees[j].id, scoreHundredths: nil, breakdown: [],
                                   rejectedBy: rules.map { ($0.id, $0.rejection(mentor: i, mentee: j, in: ctx)) }))
                }
            }
        }
        return out
    }

    /// `cohort` gives the table its names ("Sam (m1)"); JSON and CSV carry ids only.
    public static func render(_ rows: [Row], policy: Policy, format: OutputFormat, cohort: Cohort? = nil) -> String {
        let terms = ScoreTerms.active(policy).map(\.id)
        switch format {
        case .table:
            var names: [PersonID: String] = [:]
            for p in (cohort?.mentors ?? []) + (cohort?.mentees ?? []) { names[p.id] = p.name }
            func who(_ id: PersonID) -> String { names[id].map { "\($0) (\(id))" } ?? id.rawValue }
            let allowed = rows.filter { $0.scoreHundredths != nil }.count
            var out = "\(allowed) allowed pair\(allowed == 1 ? "" : "s")" + (rows.count > allowed ? ", \(rows.count - allowed) rejected" : "") + "\n\n"
            guard !rows.isEmpty else { return out }
            let body = rows.map { row -> [String] in
                let byTerm = Dictionary(uniqueKeysWithValues: row.breakdown)
                return [who(row.mentor), who(row.mentee), row.scoreHundredths.map { formatNumber(Score.points($0)) } ?? "–"]
                    + terms.map { t in byTerm[t].map { formatNumber(Score.points($0)) } ?? "" }
                    + [row.rejectedBy.map { "\($0.rule): \($0.reason)" }.joined(separator: "; ")]
            }
            out += ResultWriter.textTable(header: ["Mentor", "Mentee", "Score"] + terms + ["Rejected by"], rows: body)
            return out
        case .csv:
            let header = ["mentor", "mentee", "score"] + terms + ["rejectedBy"]
            let body = rows.map { row -> [String] in
                let byTerm = Dictionary(uniqueKeysWithValues: row.breakdown)
                return [row.mentor.rawValue, row.mentee.rawValue, row.scoreHundredths.map { formatNumber(Score.points($0)) } ?? ""]
                    + terms.map { t in byTerm[t].map { formatNumber(Score.points($0)) } ?? "" }
                    + [row.rejectedBy.map { "\($0.rule): \($0.reason)" }.joined(separator: "; ")]
            }
            return csvText(header: header, rows: body)
        case .json:
            return JSONValue.array(rows.map { row in
                var fields: [(String, JSONValue)] = [("mentor", .string(row.mentor.rawValue)), ("mentee", .string(row.mentee.rawValue))]
                if let s = row.scoreHundredths {
                    fields.append(("score", .number(Score.points(s))))
                    fields.append(("breakdown", .object(row.breakdown.map { ($0.0, .number(Score.points($0.1))) })))
                } else {
                    fields.append(("rejected", .bool(true)))
                    fields.append(("rejectedBy", .array(row.rejectedBy.map {
                        .object([("rule", .string($0.rule)), ("reason", .string($0.reason))])
                    })))
                }
                return .object(fields)
            }).rendered()
        }
    }
}
