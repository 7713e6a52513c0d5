import Foundation

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

    /// Writes the report in CSV or JSON straight into `sink`, row by row, with the bytes
    /// ``render(_:policy:format:cohort:)`` gives for ``rows(cohort:policy:includeRejected:)``:
    /// no row is kept in memory (5 million pairs are 300 MB of CSV, several GB as row values).
    /// The table (its widths need every row) is rendered whole.
    public static func write(cohort: Cohort, policy: Policy, format: OutputFormat, includeRejected: Bool,
                             to sink: inout OutputSink) throws {
        guard format != .table else {
            let rows = rows(cohort: cohort, policy: policy, includeRejected: includeRejected)
            try sink.write(render(rows, policy: policy, format: .table, cohort: cohort))
            return
        }
        let ctx = PairingContext(cohort: cohort, policy: policy)
        let pairs = CandidatePairs(ctx)
        let terms = ctx.scoreTerms
        let mentorIDs = cohort.mentors.map(\.id.rawValue), menteeIDs = cohort.mentees.map(\.id.rawValue)
        var csv = CSVBytes(reservingCapacity: 1 << 17)
        var rowCount = 0
        func flushIfFull() throws {
            if csv.count >= 1 << 16 { try sink.write(Data(csv.bytes)); csv.removeAll() }
        }
        func rejections(_ i: Int, _ j: Int) -> [(rule: String, reason: String)] {
            HardRules.violations(mentor: i, mentee: j, in: ctx).map { ($0.id, $0.rejection(mentor: i, mentee: j, in: ctx)) }
        }
        // Rows in mentor, then mentee order (both formats): every pair with --all, else the
        // allowed pairs mentor by mentor; the buffer goes to the sink whenever it is full.
        func forEachRow(allowed: (Int, Int, Int) -> Void, rejected: (Int, Int) -> Void) throws {
            if includeRejected {
                for i in cohort.mentors.indices {
                    for j in cohort.mentees.indices {
                        if let p = pairs.index(mentor: i, mentee: j) { allowed(i, j, p) } else { rejected(i, j) }
                        try flushIfFull()
                    }
                }
            } else {
                let byMentor = pairs.pairsByMentor()
                for i in cohort.mentors.indices {
                    for p32 in byMentor[i] {
                        let p = Int(p32)
                        allowed(i, Int(pairs.mentee[p]), p)
                        try flushIfFull()
                    }
                }
            }
        }
        if format == .csv {
            csv.row(["mentor", "mentee", "score"] + terms.map(\.term.id) + ["rejectedBy"])
            func allowed(_ i: Int, _ j: Int, _ p: Int) {
                csv.field(mentorIDs[i]); csv.comma(); csv.field(menteeIDs[j]); csv.comma(); csv.hundredths(pairs.score[p])
                for t in terms {
                    csv.comma(); csv.hundredths(Score.hundredths(t.weight * t.term.value(mentor: i, mentee: j, in: ctx)))
                }
                csv.comma(); csv.end()
            }
            try forEachRow(allowed: allowed) { i, j in
                csv.field(mentorIDs[i]); csv.comma(); csv.field(menteeIDs[j]); csv.comma()
                for _ in terms { csv.comma() }
                csv.comma(); csv.field(rejections(i, j).map { "\($0.rule): \($0.reason)" }.joined(separator: "; "))
                csv.end()
            }
            try sink.write(Data(csv.bytes))
            return
        }
        // JSON: each element written as bytes, as JSONValue renders it one level in (the
        // streamed-against-whole test compares them byte for byte). Going through JSONValue per
        // row took 53.7 CPU s for 5.18 M pairs, against 2.2 s for the same rows as CSV.
        let quotedMentors = mentorIDs.map(JSONValue.quoted), quotedMentees = menteeIDs.map(JSONValue.quoted)
        let termKeys = terms.map { "      " + JSONValue.quoted($0.term.id) + ": " }
        func open(_ i: Int, _ j: Int) {
            csv.raw(rowCount == 0 ? "[\n  {\n    \"mentor\": " : ",\n  {\n    \"mentor\": ")
            csv.raw(quotedMentors[i]); csv.raw(",\n    \"mentee\": "); csv.raw(quotedMentees[j])
            rowCount += 1
        }
        func allowed(_ i: Int, _ j: Int, _ p: Int) {
            open(i, j)
            csv.raw(",\n    \"score\": "); csv.hundredths(pairs.score[p])
            csv.raw(",\n    \"breakdown\": ")
            if terms.isEmpty { csv.raw("{}") } else {
                csv.raw("{\n")
                for (k, t) in terms.enumerated() {
                    csv.raw(termKeys[k]); csv.hundredths(Score.hundredths(t.weight * t.term.value(mentor: i, mentee: j, in: ctx)))
                    csv.raw(k == terms.count - 1 ? "\n" : ",\n")
                }
                csv.raw("    }")
            }
            csv.raw("\n  }")
        }
        func rejected(_ i: Int, _ j: Int) {
            open(i, j)
            csv.raw(",\n    \"rejected\": true,\n    \"rejectedBy\": ")
            let rules = rejections(i, j)
            if rules.isEmpty { csv.raw("[]") } else {
                csv.raw("[\n")
                for (k, r) in rules.enumerated() {
                    csv.raw("      {\n        \"rule\": "); csv.raw(JSONValue.quoted(r.rule))
                    csv.raw(",\n        \"reason\": "); csv.raw(JSONValue.quoted(r.reason))
                    csv.raw(k == rules.count - 1 ? "\n      }\n" : "\n      },\n")
                }
                csv.raw("    ]")
            }
            csv.raw("\n  }")
        }
        try forEachRow(allowed: allowed, rejected: rejected)
        csv.raw(rowCount == 0 ? "[]\n" : "\n]\n")
        try sink.write(Data(csv.bytes))
    }

    static func jsonValue(_ row: Row) -> JSONValue {
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
            return JSONValue.array(rows.map(jsonValue)).rendered()
        }
    }
}
