import Foundation
import GRDB
import PeerMatch

/// Before or after the term's mentoring.
public enum OutcomePhase: String, Sendable, Hashable, CaseIterable {
    case pre, post
}

/// A named measure scored per person: each of `items` items scored `itemMin`–`itemMax`, and the
/// raw total their sum (SWEMWBS: 7 items 1–5, total 7–35).
public struct OutcomeMeasure: Sendable, Hashable {
    public var name: String
    public var title: String
    public var items: Int
    public var itemMin: Int
    public var itemMax: Int
    public var higherIsBetter: Bool
    public var totalRange: ClosedRange<Double> { Double(items * itemMin)...Double(items * itemMax) }
}

/// One person's score on a measure.
public struct OutcomeInput: Sendable, Hashable {
    public var term: TermID
    public var person: PersonID
    public var measure: String
    public var phase: OutcomePhase
    public var date: CalendarDate
    /// Item scores in order; or nil with `total` when only the total was kept.
    public var items: [Int]?
    public var total: Double?
    public var note: String?
    public init(term: TermID, person: PersonID, measure: String, phase: OutcomePhase, date: CalendarDate,
                items: [Int]? = nil, total: Double? = nil, note: String? = nil) {
        self.term = term; self.person = person; self.measure = measure; self.phase = phase; self.date = date
        self.items = items; self.total = total; self.note = note
    }
}

/// A stored score (the latest for its person, measure, term and phase).
public struct OutcomeRecord: Sendable, Hashable {
    public var term: TermID
    public var person: PersonID
    public var measure: String
    public var phase: OutcomePhase
    public var date: CalendarDate
    public var items: [Int]
    public var total: Double
    public var note: String?
}

extension SchemeStore {
    /// The measures the scheme knows (SWEMWBS is built in).
    public func measures() throws -> [OutcomeMeasure] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM outcome_measure ORDER BY name").map(Self.measure) }
    }

    static func measure(_ r: Row) -> OutcomeMeasure {
        OutcomeMeasure(name: r["name"], title: r["title"], items: r["items"], itemMin: r["item_min"], itemMax: r["item_max"],
                       higherIsBetter: r["higher_is_better"])
    }

    /// Adds a measure (a name of letters, digits and `-`, items scored from `itemMin` to `itemMax`).
    public func defineMeasure(name: String, title: String, items: Int, itemMin: Int, itemMax: Int, higherIsBetter: Bool = true, by actor: Actor) throws {
        let key = name.lowercased()
        guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw StoreError.invalid("measure name \"\(name)\": use letters, digits and - only")
        }
        guard (1...200).contains(items), itemMin < itemMax else {
            throw StoreError.invalid("measure \(key): give 1 to 200 items and a lowest item score below the highest")
        }
        try write(by: actor) { w in
            if try Bool.fetchOne(w.db, sql: "SELECT 1 FROM outcome_measure WHERE name = ?", arguments: [key]) == true {
                throw StoreError.invalid("measure \(key) already exists")
            }
            try w.db.execute(sql: "INSERT INTO outcome_measure (name, title, items, item_min, item_max, higher_is_better, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             arguments: [key, title, items, itemMin, itemMax, higherIsBetter, w.at, actor.name])
            w.audit("measure.add", subject: key, detail: "\(items) items scored \(itemMin)-\(itemMax)")
        }
    }

    /// Records scores, all or none: each is checked against its measure (item count and range, or
    /// the total's range) and names the person. A second score for the same person, measure, term
    /// and phase is a correction; the first is kept, marked as superseded.
    @discardableResult
    public func recordOutcomes(_ inputs: [OutcomeInput], by actor: Actor, source: String = "entered") throws -> Int {
        guard !inputs.isEmpty else { throw StoreError.invalid("no outcome scores given") }
        return try write(by: actor) { w in
            let n = try storeOutcomes(inputs.map { ($0, nil) }, w: &w, by: actor, source: source)
            w.audit("outcome", term: Set(inputs.map(\.term)).count == 1 ? inputs[0].term : nil, subject: source, detail: "\(n) scores recorded")
            return n
        }
    }

    public func recordOutcome(_ input: OutcomeInput, by actor: Actor) throws { try recordOutcomes([input], by: actor) }

    func storeOutcomes(_ inputs: [(OutcomeInput, String?)], w: inout Writer, by actor: Actor, source: String) throws -> Int {
        let db = w.db
        var problems: [String] = []
        var measures: [String: OutcomeMeasure] = [:]
        var checked: [(OutcomeInput, [Int], Double)] = []
        for (o, origin) in inputs {
            let at = origin.map { "\($0): " } ?? ""
            let key = o.measure.lowercased()
            if measures[key] == nil, let r = try Row.fetchOne(db, sql: "SELECT * FROM outcome_measure WHERE name = ?", arguments: [key]) {
                measures[key] = Self.measure(r)
            }
            guard let m = measures[key] else {
                let known = try String.fetchAll(db, sql: "SELECT name FROM outcome_measure ORDER BY name")
                problems.append("\(at)no measure \"\(o.measure)\"; the scheme's measures are \(known.joined(separator: ", "))"); continue
            }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM term WHERE id = ?", arguments: [o.term]) == true else {
                problems.append(try unknownTerm(o.term, db).description); continue
            }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM person_version WHERE term_id = ? AND person_id = ?", arguments: [o.term, o.person]) == true else {
                problems.append("\(at)\(o.person) is not in term \(o.term)"); continue
            }
            var total: Double
            var items: [Int] = []
            if let given = o.items {
                guard given.count == m.items else {
                    problems.append("\(at)\(o.person): \(m.name) has \(m.items) items, found \(given.count)"); continue
                }
                if let bad = given.enumerated().first(where: { !(m.itemMin...m.itemMax).contains($0.element) }) {
                    problems.append("\(at)\(o.person): \(m.name) item \(bad.offset + 1) must be from \(m.itemMin) to \(m.itemMax), found \(bad.element)"); continue
                }
                items = given
                total = Double(given.reduce(0, +))
                if let t = o.total, t != total {
                    problems.append("\(at)\(o.person): the items add up to \(formatNumber(total)), not the total given (\(formatNumber(t)))"); continue
                }
            } else if let t = o.total {
                guard m.totalRange.contains(t) else {
                    problems.append("\(at)\(o.person): a \(m.name) total must be from \(formatNumber(m.totalRange.lowerBound)) to \(formatNumber(m.totalRange.upperBound)), found \(formatNumber(t))"); continue
                }
                total = t
            } else {
                problems.append("\(at)\(o.person): give the \(m.items) item scores or the total"); continue
            }
            checked.append((o, items, total))
        }
        if !problems.isEmpty { throw StoreError(.invalid, problems + ["nothing was recorded"]) }
        for (o, items, total) in checked {
            let key = o.measure.lowercased()
            let old = try Int64.fetchOne(db, sql: "SELECT id FROM outcome WHERE term_id = ? AND person_id = ? AND measure = ? AND phase = ? AND superseded_by IS NULL",
                                         arguments: [o.term, o.person, key, o.phase.rawValue])
            try db.execute(sql: "INSERT INTO outcome (term_id, person_id, measure, phase, date, items, total, note, source, at, by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [o.term, o.person, key, o.phase.rawValue, o.date, CompactJSON.text(.array(items.map { .number(Double($0)) })),
                                       total, o.note, source, w.at, actor.name])
            let id = db.lastInsertedRowID
            if let old { try db.execute(sql: "UPDATE outcome SET superseded_by = ? WHERE id = ?", arguments: [id, old]) }
        }
        return checked.count
    }

    /// Scores from a CSV: columns person (or id), phase (pre/post), date, and either item1..itemN
    /// or total; `measure` names the measure (or a measure column does).
    @discardableResult
    public func importOutcomes(term: TermID, csv: ImportFile, measure: String?, by actor: Actor) throws -> Int {
        var columns: [String: [String]] = [
            "person": ["person", "id", "personid", "pupil", "pupilid", "mentee", "menteeid"], "phase": ["phase", "when", "prepost"],
            "date": ["date"], "total": ["total", "score", "rawtotal"], "measure": ["measure", "scale"], "note": ["note", "notes", "comment"],
        ]
        for k in 1...50 { columns["item\(k)"] = ["item\(k)", "q\(k)", "question\(k)"] }
        let sheet = try SheetRows(csv, columns: columns, required: ["person", "phase", "date"])
        var inputs: [(OutcomeInput, String?)] = []
        var problems: [String] = []
        let itemColumns = (1...50).map { "item\($0)" }.filter { sheet.column[$0] != nil }
        for (line, row) in sheet.rows {
            let phaseText = sheet.cell(row, "phase").lowercased(), dateText = sheet.cell(row, "date")
            guard let phase = OutcomePhase(rawValue: phaseText == "before" ? "pre" : phaseText == "after" ? "post" : phaseText) else {
                problems.append("\(sheet.at(line, "phase")): expected pre or post, found \"\(sheet.cell(row, "phase"))\""); continue
            }
            guard let date = CalendarDate(dateText) else {
                problems.append("\(sheet.at(line, "date")): expected a date such as 2026-09-15, found \"\(dateText)\""); continue
            }
            guard let name = measure ?? (sheet.cell(row, "measure").isEmpty ? nil : sheet.cell(row, "measure")) else {
                problems.append("\(sheet.file): line \(line): no measure (give --measure or a measure column)"); continue
            }
            var items: [Int]? = nil
            if !itemColumns.isEmpty {
                var list: [Int] = []
                for c in itemColumns {
                    guard let v = Int(sheet.cell(row, c)) else { problems.append("\(sheet.at(line, c)): expected a whole number, found \"\(sheet.cell(row, c))\""); break }
                    list.append(v)
                }
                if list.count != itemColumns.count { continue }
                items = list
            }
            var total: Double? = nil
            let totalText = sheet.cell(row, "total")
            if !totalText.isEmpty {
                guard let t = Double(totalText) else { problems.append("\(sheet.at(line, "total")): expected a number, found \"\(totalText)\""); continue }
                total = t
            }
            let note = sheet.cell(row, "note")
            inputs.append((OutcomeInput(term: term, person: PersonID(sheet.cell(row, "person")), measure: name, phase: phase, date: date,
                                        items: items, total: total, note: note.isEmpty ? nil : note), "\(sheet.file): line \(line)"))
        }
        if !problems.isEmpty { throw StoreError(.invalid, problems + ["nothing was recorded"]) }
        guard !inputs.isEmpty else { throw StoreError.invalid("\(csv.name): has no rows") }
        return try write(by: actor) { w in
            let n = try storeOutcomes(inputs, w: &w, by: actor, source: csv.name)
            w.audit("outcome.import", term: term, subject: csv.name, detail: "\(n) scores recorded")
            return n
        }
    }

    /// A term's scores (the latest of each person, measure and phase).
    public func outcomes(term: TermID) throws -> [OutcomeRecord] {
        try read { db in
            _ = try requireTerm(term, db)
            return try Row.fetchAll(db, sql: "SELECT * FROM outcome WHERE term_id = ? AND superseded_by IS NULL ORDER BY measure, person_id, phase",
                                    arguments: [term]).map { r in
                OutcomeRecord(term: term, person: r["person_id"], measure: r["measure"], phase: OutcomePhase(rawValue: r["phase"]) ?? .pre,
                              date: r["date"], items: Self.intList(r["items"]),
                              total: r["total"], note: r["note"])
            }
        }
    }

    static func intList(_ text: String) -> [Int] {
        guard let data = text.data(using: .utf8), let list = try? JSONSerialization.jsonObject(with: data) as? [NSNumber] else { return [] }
        return list.map(\.intValue)
    }
}
