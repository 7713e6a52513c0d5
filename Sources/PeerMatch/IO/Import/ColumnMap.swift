import Foundation

/// How a spreadsheet's columns become cohort fields: which header gives which field (or is
/// ignored), the separator of each list column, and value maps that turn what the sheet says
/// into what PeerMatch expects (`F` → `female`).
///
/// Written by hand or by `peermatch import --guess`, as YAML or JSON:
///
/// ```yaml
/// listSeparator: ";"              # every list column without its own (default: ";", or what the cells show)
/// columns:
///   Pupil ID: id
///   Timestamp: ignore
///   Which of these do you enjoy?:
///     field: interests
///     separator: ", "             # Google Forms joins checkbox answers with ", "
///   Sex:
///     field: gender
///     values: { F: female, M: male }
/// ```
///
/// The older flat form `{ "Pupil ID": "id" }` and the `--columns "Pupil ID=id,Form=group"` text
/// are read too. Headers match ignoring case, spaces, `-` and `_`.
public struct ColumnMap: Sendable, Hashable {
    public struct Column: Sendable, Hashable {
        /// The header as the map wrote it.
        public var header: String
        /// The cohort field, or nil to ignore the column on purpose (no warning).
        public var field: String?
        /// List columns: the separator between items (nil: the map's or the import's default).
        public var separator: String?
        /// Cell value (matched ignoring case and surrounding spaces) → value to use. In list
        /// columns each item is mapped. A value mapped to "" is left out.
        public var values: [String: String]

        public init(header: String, field: String?, separator: String? = nil, values: [String: String] = [:]) {
            self.header = header; self.field = field; self.separator = separator; self.values = values
        }
    }

    public var columns: [Column]
    /// The separator for list columns that set none.
    public var listSeparator: String?

    public init(columns: [Column] = [], listSeparator: String? = nil) {
        self.columns = columns; self.listSeparator = listSeparator
    }

    // MARK: - Fields

    /// Cohort fields a column can map to.
    public static let fields = ["id", "name", "age", "yearGroup", "gender", "genderPreference", "interests", "offers",
                                "needs", "qualifications", "requires", "group", "capacity", "priority", "preferences",
                                "availability", "unavailableDates", "requireRoomFeatures"]
    /// Fields holding several items in a cell.
    public static let listFields: Set<String> = ["genderPreference", "interests", "offers", "needs", "qualifications", "requires",
                                                 "preferences", "availability", "unavailableDates", "requireRoomFeatures"]
    static let numberFields: Set<String> = ["age", "yearGroup", "capacity", "priority"]
    /// Fields only one side has: a mentees' "capacity" column would otherwise vanish unseen.
    static let mentorOnly: Set<String> = ["offers", "capacity"]
    static let menteeOnly: Set<String> = ["needs", "requires", "priority", "requireRoomFeatures"]

    /// Whether people of this role carry the field.
    static func applies(_ field: String, to role: Role) -> Bool {
        role == .mentor ? !menteeOnly.contains(field) : !mentorOnly.contains(field)
    }

    /// Header or field name compared ignoring case, spaces, `-` and `_`: "Year group" is `yearGroup`.
    public static func key(_ s: String) -> String {
        s.lowercased().filter { !" _-\t\n\r".contains($0) }
    }

    /// The field a name spells ("Year group" → "yearGroup"), if any.
    public static func field(named name: String) -> String? {
        let k = key(name)
        return fields.first { key($0) == k }
    }

    /// The entry for a header, if the map has one.
    public func column(for header: String) -> Column? {
        let k = Self.key(header)
        return columns.last { Self.key($0.header) == k }
    }

    // MARK: - Reading a map

    /// A column map from `--columns`: the path of a YAML/JSON file, or `"Pupil ID=id,Form=group"`.
    public static func load(_ spec: String) throws -> ColumnMap {
        if FileManager.default.fileExists(atPath: spec) {
            return try parse(data: try InputFile.read(spec), file: spec)
        }
        return try parseInline(spec)
    }

    /// `"Pupil ID=id,Form=group,Notes=ignore"`.
    public static func parseInline(_ spec: String) throws -> ColumnMap {
        var columns: [Column] = []
        var problems: [Diagnostic] = []
        for item in spec.split(separator: ",") {
            let kv = item.split(separator: "=", maxSplits: 1).map { trimmed($0) }
            guard kv.count == 2, !kv[0].isEmpty else {
                problems.append(Diagnostic(file: "--columns", at: "", "expected HEADER=field pairs separated by commas, found \"\(item)\"; or give the path of a column map file (peermatch import --guess writes one)"))
                continue
            }
            switch target(kv[1]) {
            case .success(let field): columns.append(Column(header: kv[0], field: field))
            case .failure(let e): problems.append(Diagnostic(file: "--columns", at: "", "\(kv[0])=\(kv[1]): \(e.message)"))
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        return ColumnMap(columns: columns)
    }

    /// A column map file's text (YAML or JSON); `file` names it in messages.
    public static func parse(_ text: String, file: String) throws -> ColumnMap {
        try parse(data: Data(text.utf8), file: file)
    }

    /// A column map file's bytes (YAML or JSON: ``JSONValue/parseDocument(_:file:limits:)``).
    public static func parse(data: Data, file: String) throws -> ColumnMap {
        let root = try JSONValue.parseDocument(data, file: file)
        guard case .object(let top) = root else {
            throw InputError(file: file, "must map column headers to field names, e.g. columns: { \"Pupil ID\": id }")
        }
        var problems: [Diagnostic] = []
        var listSeparator: String? = nil
        var entries: [(String, JSONValue, String)] = []
        if case .object(let cols)? = root["columns"] {
            for (k, v) in top where k != "columns" {
                if k == "listSeparator" {
                    if case .string(let s) = v, !s.isEmpty { listSeparator = s }
                    else { problems.append(Diagnostic(file: file, at: "$.listSeparator", "must be the text between list items, e.g. \";\" or \", \"")) }
                } else {
                    problems.append(Diagnostic(file: file, at: "$.\(k)", "unknown key; a column map holds \"columns\" and \"listSeparator\""))
                }
            }
            entries = cols.map { ($0.0, $0.1, "$.columns[\"\($0.0)\"]") }
        } else {
            // The flat form: every key is a header.
            entries = top.map { ($0.0, $0.1, "$[\"\($0.0)\"]") }
        }
        var columns: [Column] = []
        for (header, value, path) in entries {
            switch value {
            case .string(let name):
                switch target(name) {
                case .success(let field): columns.append(Column(header: header, field: field))
                case .failure(let e): problems.append(Diagnostic(file: file, at: path, e.message))
                }
            case .null:
                columns.append(Column(header: header, field: nil))
            case .object(let o):
                var column = Column(header: header, field: nil)
                var haveField = false
                for (k, v) in o {
                    switch k {
                    case "field":
                        guard case .string(let name) = v else { problems.append(Diagnostic(file: file, at: "\(path).field", "must be a field name")); continue }
                        switch target(name) {
                        case .success(let field): column.field = field; haveField = true
                        case .failure(let e): problems.append(Diagnostic(file: file, at: "\(path).field", e.message))
                        }
                    case "separator":
                        if case .string(let s) = v, !s.isEmpty { column.separator = separatorWord(s) }
                        else { problems.append(Diagnostic(file: file, at: "\(path).separator", "must be the text between list items, e.g. \";\" or \", \"")) }
                    case "values":
                        guard case .object(let pairs) = v else {
                            problems.append(Diagnostic(file: file, at: "\(path).values", "must map cell values to values, e.g. { F: female, M: male }")); continue
                        }
                        for (from, to) in pairs {
                            switch to {
                            case .string(let s): column.values[from] = s
                            case .number(let x): column.values[from] = formatNumber(x)
                            case .null: column.values[from] = ""
                            case .bool(let b): column.values[from] = b ? "true" : "false"
                            default: problems.append(Diagnostic(file: file, at: "\(path).values[\"\(from)\"]", "must be one value (text or a number)"))
                            }
                        }
                    default:
                        problems.append(Diagnostic(file: file, at: "\(path).\(k)", "unknown key; a column holds \"field\", \"separator\" and \"values\""))
                    }
                }
                if !haveField && !o.contains(where: { $0.0 == "field" }) {
                    problems.append(Diagnostic(file: file, at: path, "has no \"field\" (a field name, or ignore)"))
                }
                columns.append(column)
            default:
                problems.append(Diagnostic(file: file, at: path, "must be a field name, or { field, separator, values }"))
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        return ColumnMap(columns: columns, listSeparator: listSeparator)
    }

    /// A field name, or "ignore" (nil); anything else names the fields there are.
    private static func target(_ name: String) -> Result<String?, MapError> {
        let k = key(name)
        if k == "ignore" || k == "skip" || k.isEmpty { return .success(nil) }
        if let f = field(named: name) { return .success(f) }
        var message = "\"\(name)\" is not a cohort field"
        if let close = fields.min(by: { editDistance(key($0), k) < editDistance(key($1), k) }), editDistance(key(close), k) <= 2 {
            message += " (did you mean \"\(close)\"?)"
        }
        return .failure(MapError(message: message + "; the fields are \(fields.joined(separator: ", ")), or ignore"))
    }
    private struct MapError: Error { var message: String }

    /// Words for separators that are awkward to type: comma, semicolon, tab, newline, pipe.
    public static func separatorWord(_ s: String) -> String {
        switch s.lowercased() {
        case "comma": return ","
        case "semicolon": return ";"
        case "tab": return "\t"
        case "newline", "line", "linebreak": return "\n"
        case "pipe": return "|"
        case "slash": return "/"
        default: return s
        }
    }

    // MARK: - Guessing

    /// What a header looks like when it is not a field's own name: a field to suggest.
    /// Phrases are matched as words in the lower-cased header ("What are your hobbies?").
    static let hints: [(field: String, phrases: [String])] = [
        ("id", ["pupil id", "student id", "upn", "candidate number", "admission number", "admission no", "reference", "ref", "pupil number", "student number", "identifier", "code", "email", "email address", "e mail"]),
        ("yearGroup", ["year", "school year", "ncy", "what year", "year group"]),
        ("age", ["age", "how old", "age years", "age in years"]),
        ("genderPreference", ["prefer a", "would you like a", "gender of mentor", "gender of your mentor", "mentor gender", "mentee gender", "preferred gender", "gender preference", "boy or girl mentor"]),
        ("gender", ["sex", "gender", "boy or girl", "are you a"]),
        ("interests", ["hobbies", "hobby", "interests", "interest", "enjoy", "likes", "like doing", "what do you like", "free time", "pastimes", "passions"]),
        ("offers", ["can offer", "offer", "skills", "strengths", "good at", "can help with", "help others with", "expertise"]),
        ("needs", ["needs", "need", "support with", "help with", "want help", "worries", "would like help", "areas of support", "goals"]),
        ("qualifications", ["dbs", "training", "trained", "qualified", "qualification", "certificate", "checks", "clearance"]),
        ("requires", ["requires", "required", "must have", "mentor must", "needs a mentor who"]),
        ("capacity", ["how many mentees", "max mentees", "maximum mentees", "number of mentees", "places", "mentees max", "how many"]),
        ("priority", ["priority", "urgent", "urgency"]),
        ("group", ["form", "form group", "tutor group", "tutor", "class", "house", "friendship group", "circle", "team", "registration group", "reg group"]),
        ("name", ["full name", "pupil name", "student name", "your name", "first name", "forename", "preferred name", "name", "names"]),
        ("preferences", ["choices", "choice", "preferred mentors", "preferred mentees", "who would you like", "ranked", "first choice"]),
        ("availability", ["available", "availability", "free slots", "when can you", "free at", "slots"]),
        ("unavailableDates", ["unavailable", "away", "dates you cannot", "cannot attend", "absence dates"]),
        ("requireRoomFeatures", ["room needs", "access needs", "wheelchair", "room features", "accessible room"]),
    ]

    /// The field a header looks like (for a role), when it is not that field's own name.
    public static func suggestion(for header: String, role: Role? = nil) -> String? {
        let words = " " + header.lowercased().map { $0.isLetter || $0.isNumber ? $0 : " " }.split(separator: " ").joined(separator: " ") + " "
        var best: (field: String, length: Int)? = nil
        for (field, phrases) in hints {
            if let role, !applies(field, to: role) { continue }
            for phrase in phrases where words.contains(" \(phrase) ") {
                // The longest phrase wins: "gender of mentor" over "gender".
                if best == nil || phrase.count > best!.length { best = (field, phrase.count) }
            }
        }
        // "What gender would you like your mentor to be?" is a wish, not the person's own gender.
        if words.contains(" gender ") || words.contains(" sex "),
           [" mentor ", " mentee ", " prefer ", " like ", " want ", " rather "].contains(where: words.contains) {
            return role.map { applies("genderPreference", to: $0) } ?? true ? "genderPreference" : nil
        }
        return best?.field
    }

    /// A map for these headers: each header named like a field maps to it, each header that
    /// looks like one maps to its suggestion, the rest are ignored. For `import --guess`.
    public static func guess(header: [String], role: Role? = nil) -> ColumnMap {
        var columns: [Column] = []
        var taken: Set<String> = []
        for h in header where !h.isEmpty {
            if let f = field(named: h), !taken.contains(f) { columns.append(Column(header: h, field: f)); taken.insert(f) }
        }
        for h in header where !h.isEmpty && field(named: h) == nil {
            if let f = suggestion(for: h, role: role), !taken.contains(f) { columns.append(Column(header: h, field: f)); taken.insert(f) }
            else { columns.append(Column(header: h, field: nil)) }
        }
        let order = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return ColumnMap(columns: columns.sorted { (order[$0.header] ?? 0) < (order[$1.header] ?? 0) })
    }

    // MARK: - Writing a map

    /// The map as a column map file to edit (YAML with comments), lines in column order.
    /// `comments` adds a note after a header's entry ("guessed from the header: check").
    public func yaml(comments: [String: String] = [:], intro: [String] = []) -> String {
        var out = intro.map { "# \($0)\n" }.joined()
        if let s = listSeparator { out += "listSeparator: \(JSONValue.quoted(s))\n" }
        out += "columns:\n"
        for c in columns {
            let name = "  \(JSONValue.quoted(c.header)):"
            let note = comments[c.header].map { "    # \($0)" } ?? ""
            let field = c.field ?? "ignore"
            if c.separator == nil && c.values.isEmpty {
                out += "\(name) \(field)\(note)\n"
            } else {
                out += "\(name)\(note)\n    field: \(field)\n"
                if let s = c.separator { out += "    separator: \(JSONValue.quoted(s))\n" }
                if !c.values.isEmpty {
                    out += "    values:\n"
                    for (k, v) in c.values.sorted(by: { $0.key < $1.key }) { out += "      \(JSONValue.quoted(k)): \(JSONValue.quoted(v))\n" }
                }
            }
        }
        return out
    }
}

/// Damerau–Levenshtein distance (optimal string alignment) between two short strings.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var prev2 = [Int](repeating: 0, count: y.count + 1)
    var prev = Array(0...y.count)
    var cur = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        cur[0] = i
        for j in 1...y.count {
            let cost = x[i - 1] == y[j - 1] ? 0 : 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] { cur[j] = min(cur[j], prev2[j - 2] + 1) }
        }
        prev2 = prev; prev = cur
    }
    return prev[y.count]
}
