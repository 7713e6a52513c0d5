import Foundation
import PeerMatch

/// A term's dates and, for a timetabled term, its slots, rooms and format: what a cohort file's
/// `slots`, `rooms`, `term` and `format` keys hold. Read from a setup file (JSON or YAML, the same
/// keys as a cohort's timetable) or built by the page's form.
public struct TermSetupInput: Sendable, Hashable {
    public var start: CalendarDate
    public var end: CalendarDate
    /// Any date in a week with no sessions (half term, exams).
    public var skipWeeks: [CalendarDate]
    public var sessionsPerWeek: Int
    /// Empty for a term matched without a timetable.
    public var slots: [Slot]
    public var rooms: [Room]
    public var format: SessionFormat

    public init(start: CalendarDate, end: CalendarDate, skipWeeks: [CalendarDate] = [], sessionsPerWeek: Int = 1,
                slots: [Slot] = [], rooms: [Room] = [], format: SessionFormat = .oneToOne) {
        self.start = start; self.end = end; self.skipWeeks = skipWeeks; self.sessionsPerWeek = sessionsPerWeek
        self.slots = slots; self.rooms = rooms; self.format = format
    }

    public var isTimetabled: Bool { !slots.isEmpty }

    /// The core's timetable setup (nil for a term without slots).
    public var timetable: TimetableSetup? {
        guard isTimetabled else { return nil }
        return TimetableSetup(slots: slots, rooms: rooms,
                              term: Term(start: start, end: end, skipWeeks: skipWeeks, sessionsPerWeek: sessionsPerWeek),
                              format: format)
    }

    /// The cohort-file keys (`slots`, `rooms`, `term`, `format`; only `term` without slots).
    var json: JSONValue {
        let term = JSONValue.object([
            ("start", .string(start.description)), ("end", .string(end.description)),
            ("skipWeeks", .array(skipWeeks.map { .string($0.description) })),
            ("sessionsPerWeek", .number(Double(sessionsPerWeek))),
        ])
        guard isTimetabled else { return .object([("term", term)]) }
        let written = CohortWriter.json(Cohort(mentors: [], mentees: [], timetable: timetable))
        guard case .object(let keys) = written else { return .object([("term", term)]) }
        return .object(keys.filter { ["slots", "rooms", "term", "format"].contains($0.0) })
    }

    /// Reads a setup file: JSON or YAML with `slots`, `rooms`, `term` and `format` (a term without
    /// slots needs only `term`). `start` and `end` (from the command line or the page's form)
    /// replace the file's term dates. Every problem names the file and its JSON path.
    public static func parse(_ data: Data, file: String, start: CalendarDate? = nil, end: CalendarDate? = nil) throws -> TermSetupInput {
        guard let text = String(data: data, encoding: .utf8) else { throw StoreError(.invalid, "\(file): is not UTF-8 text") }
        let root: JSONValue
        do { root = try JSONValue.parseYAML(text, file: file) } catch let e as InputError { throw StoreError(e) }
        guard case .object(var keys) = root else {
            throw StoreError(.invalid, "\(file): must be an object with \"term\" (start, end, skipWeeks, sessionsPerWeek) and, for a timetable, \"slots\", \"rooms\" and \"format\"")
        }
        let known = ["slots", "rooms", "term", "format"]
        let unknown = keys.map(\.0).filter { !known.contains($0) }
        if !unknown.isEmpty {
            throw StoreError(.invalid, [], diagnostics: unknown.map {
                Diagnostic(file: file, at: "$.\($0)", "unknown key; a term setup holds slots, rooms, term and format")
            })
        }
        // Dates given beside the file win over the file's.
        if start != nil || end != nil {
            var term: [(String, JSONValue)] = []
            if case .object(let t)? = root["term"] { term = t }
            func set(_ key: String, _ d: CalendarDate?) {
                guard let d else { return }
                term.removeAll { $0.0 == key }
                term.append((key, .string(d.description)))
            }
            set("start", start); set("end", end)
            keys.removeAll { $0.0 == "term" }
            keys.append(("term", .object(term)))
        }
        let withTerm = JSONValue.object(keys)
        guard withTerm["term"] != nil else {
            throw StoreError(.invalid, "\(file): $.term: missing: give the term's dates (start and end), in the file or with --start and --end")
        }
        if withTerm["slots"] == nil || withTerm["slots"] == .null {
            return try datesOnly(withTerm, file: file)
        }
        // One validator for cohort files and term setups: the core's, on a cohort with nobody in it.
        let probe = JSONValue.object(keys + [("mentors", .array([])), ("mentees", .array([]))])
        let (cohort, diagnostics) = try CohortReader.parse(Data(probe.rendered().utf8), file: file)
        let errors = diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty { throw StoreError(.invalid, [], diagnostics: errors) }
        guard let setup = cohort.timetable, let term = setup.term else {
            throw StoreError(.invalid, "\(file): $.term: missing: give the term's dates (start and end)")
        }
        return TermSetupInput(start: term.start, end: term.end, skipWeeks: term.skipWeeks, sessionsPerWeek: term.sessionsPerWeek,
                              slots: setup.slots, rooms: setup.rooms, format: setup.format)
    }

    /// A term without slots: only its dates (and skipped weeks, for the weekly attendance figures).
    private static func datesOnly(_ root: JSONValue, file: String) throws -> TermSetupInput {
        var problems: [Diagnostic] = []
        for key in ["rooms", "format"] where root[key] != nil && root[key] != .null {
            problems.append(Diagnostic(file: file, at: "$.\(key)", "needs \"slots\": a term without slots is matched without a timetable"))
        }
        guard case .object(let fields)? = root["term"] else {
            throw StoreError(.invalid, [], diagnostics: problems + [Diagnostic(file: file, at: "$.term", "must be an object with start and end")])
        }
        for (k, _) in fields where !["start", "end", "skipWeeks", "sessionsPerWeek"].contains(k) {
            problems.append(Diagnostic(file: file, at: "$.term.\(k)", "unknown key; a term holds start, end, skipWeeks and sessionsPerWeek"))
        }
        func date(_ v: JSONValue?, _ path: String) -> CalendarDate? {
            guard let v else { problems.append(Diagnostic(file: file, at: path, "missing (a date such as 2026-09-07)")); return nil }
            guard case .string(let s) = v, let d = CalendarDate(s) else {
                problems.append(Diagnostic(file: file, at: path, "must be a date such as 2026-09-07")); return nil
            }
            return d
        }
        let term = root["term"]!
        let start = date(term["start"], "$.term.start"), end = date(term["end"], "$.term.end")
        if let start, let end, end < start { problems.append(Diagnostic(file: file, at: "$.term.end", "is before the start (\(start)), found \(end)")) }
        var skips: [CalendarDate] = []
        if let list = term["skipWeeks"] {
            if case .array(let items) = list {
                for (k, v) in items.enumerated() { if let d = date(v, "$.term.skipWeeks[\(k)]") { skips.append(d) } }
            } else { problems.append(Diagnostic(file: file, at: "$.term.skipWeeks", "must be a list of dates")) }
        }
        var perWeek = 1
        if let v = term["sessionsPerWeek"] {
            if case .number(let x) = v, x == x.rounded(), x >= 1, x <= 7 { perWeek = Int(x) }
            else { problems.append(Diagnostic(file: file, at: "$.term.sessionsPerWeek", "must be a whole number from 1 to 7")) }
        }
        if !problems.isEmpty { throw StoreError(.invalid, [], diagnostics: problems) }
        return TermSetupInput(start: start!, end: end!, skipWeeks: skips, sessionsPerWeek: perWeek)
    }

    /// Reads the setup back from the store's `term.setup` column.
    static func stored(_ text: String, term: TermID) throws -> TermSetupInput {
        do { return try parse(Data(text.utf8), file: "term \(term) (stored setup)") } catch {
            throw StoreError(.database, "term \(term): its stored setup cannot be read: \(error)")
        }
    }

    /// The term's session weeks: the Monday of each week from start to end that is not skipped.
    public var weeks: [CalendarDate] {
        let skipped = Set(skipWeeks.map(\.weekStart))
        var out: [CalendarDate] = []
        var w = start.weekStart
        while w <= end {
            if !skipped.contains(w) { out.append(w) }
            w = w.adding(days: 7)
        }
        return out
    }
}

/// The policy a term is matched with: a preset by name, or the text of a policy file.
public enum PolicyInput: Sendable, Hashable {
    case preset(String)
    /// JSON or YAML, as in a policy file; `source` names it in messages and in the term's record.
    case text(String, source: String)

    /// What the command line's `--policy` takes: an existing file wins, else a preset name.
    public static func resolve(_ spec: String) throws -> PolicyInput {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: spec, isDirectory: &isDirectory), !isDirectory.boolValue {
            guard let data = FileManager.default.contents(atPath: spec), let text = String(data: data, encoding: .utf8) else {
                throw StoreError(.invalid, "\(spec): cannot be read as UTF-8 text")
            }
            return .text(text, source: spec)
        }
        if PolicyPreset.named(spec) != nil { return .preset(spec) }
        throw StoreError(.invalid, "\(spec): is neither a policy file nor a preset; presets: " + PolicyPreset.all.map(\.name).joined(separator: ", "))
    }

    /// The text stored with the term, where it came from, and the parsed policy.
    func resolved() throws -> (text: String, source: String, policy: Policy) {
        switch self {
        case .preset(let name):
            guard let preset = PolicyPreset.named(name) else {
                throw StoreError(.invalid, "policy \"\(name)\" is not a preset; presets: " + PolicyPreset.all.map(\.name).joined(separator: ", "))
            }
            return (preset.yaml, "preset \(name)", preset.policy)
        case .text(let text, let source):
            do { return (text, source, try PolicyReader.parse(text, file: source)) } catch let e as InputError { throw StoreError(e) }
        }
    }

    static let defaultPolicy = (text: Policy.defaultYAML, source: "default")
}
