import Foundation

/// Reads published hospitals/residents instances as cohorts, so `mentee-choice` can be checked
/// against their reference matchings: residents become mentees, hospitals (programmes) become
/// mentors with their capacity, both rank-order lists become `preferences`, and every other rule is
/// off (``policy``). A pair is acceptable only if each side lists the other, as in the classical
/// model, which is what a non-empty PeerMatch list means.
public enum HospitalResidents {
    /// Method stable (residents propose), no hard rule but the lists, no score terms.
    public static let policy: Policy = {
        var p = Policy()
        p.method = .stable
        p.proposer = .mentees
        p.ageGap.mode = .off
        p.genderPreference = .off
        p.sameGroup = .ignore
        p.requiredQualifications = .off
        p.weights = Policy.Weights()
        p.weights.sharedInterests = 0; p.weights.needsMet = 0; p.weights.ageCloseness = 0
        p.weights.genderPreference = 0; p.weights.statedPreferences = 0; p.weights.sameGroupPenalty = 0
        return p
    }()

    /// The uOttawa CSI2120 format: `residents.csv` (`id,firstname,lastname,rol`) and `programs.csv`
    /// (`id,name,numberOfPos,rol`), lists written `"[a,b,c]"`. Ids are kept as written. Errors
    /// name the file, line and column: a missing column, an empty or repeated id, a list not
    /// written in brackets, a capacity that is not a whole number. An id listed that the other
    /// file does not hold is no partner, as in the classical model (the published small instance
    /// has three such listings), and is dropped.
    public static func csi2120(residents: String, programs: String) throws -> Cohort {
        let r = try SpreadsheetReader.read(try ImportFile.read(path: residents))
        let p = try SpreadsheetReader.read(try ImportFile.read(path: programs))
        func column(_ t: SheetTable, _ name: String) throws -> Int {
            guard let c = t.header.firstIndex(of: name) else {
                throw InputError(file: t.file, at: "line \(t.headerLine)", "no \"\(name)\" column (a CSI2120 \(t.file == r.file ? "residents file has id,firstname,lastname,rol" : "programs file has id,name,numberOfPos,rol"))")
            }
            return c
        }
        func location(_ t: SheetTable, _ row: SheetTable.Row, _ c: Int) -> String { "line \(row.line), column \(c + 1) (\(t.header[c]))" }
        func list(_ t: SheetTable, _ row: SheetTable.Row, _ c: Int) throws -> [String] {
            let cell = trimmed(row.cells[c])
            guard cell.hasPrefix("["), cell.hasSuffix("]") else {
                throw InputError(file: t.file, at: location(t, row, c), "a rank-order list is written in brackets, most preferred first: \"[a,b,c]\" (got \"\(cell.prefix(40))\")")
            }
            // Split on the bytes: Foundation's trimming per item was 30% of the whole
            // `solve --programs` on the large instance (programme lists of up to 49,828 ids).
            var items: [String] = []
            var utf8 = cell.utf8.dropFirst().dropLast()[...]
            while !utf8.isEmpty {
                let end = utf8.firstIndex(of: 0x2C) ?? utf8.endIndex
                var item = utf8[utf8.startIndex ..< end]
                while let f = item.first, f == 0x20 || f == 0x09 { item = item.dropFirst() }
                while let l = item.last, l == 0x20 || l == 0x09 { item = item.dropLast() }
                if !item.isEmpty { items.append(String(decoding: item, as: UTF8.self)) }
                utf8 = end == utf8.endIndex ? utf8[end...] : utf8[utf8.index(after: end)...]
            }
            return items
        }
        func id(_ t: SheetTable, _ row: SheetTable.Row, _ c: Int, seen: inout [String: Int]) throws -> String {
            let v = trimmed(row.cells[c])
            guard !v.isEmpty else { throw InputError(file: t.file, at: location(t, row, c), "empty id") }
            if let first = seen.updateValue(row.line, forKey: v) {
                throw InputError(file: t.file, at: location(t, row, c), "id \"\(v)\" is already used on line \(first): ids must be unique")
            }
            return v
        }
        let (rid, rfirst, rlast, rrol) = (try column(r, "id"), try column(r, "firstname"), try column(r, "lastname"), try column(r, "rol"))
        let (pid, pname, pcap, prol) = (try column(p, "id"), try column(p, "name"), try column(p, "numberOfPos"), try column(p, "rol"))
        var residentLines: [String: Int] = [:], programLines: [String: Int] = [:]
        var mentees: [Person] = []
        mentees.reserveCapacity(r.rows.count)
        var residentLists: [[String]] = []
        for row in r.rows {
            let key = try id(r, row, rid, seen: &residentLines)
            residentLists.append(try list(r, row, rrol))
            mentees.append(Person(id: PersonID(key), role: .mentee, name: row.cells[rfirst] + " " + row.cells[rlast]))
        }
        var mentors: [Person] = []
        var programLists: [[String]] = []
        for row in p.rows {
            let key = try id(p, row, pid, seen: &programLines)
            guard let cap = Int(trimmed(row.cells[pcap])), cap >= 0 else {
                throw InputError(file: p.file, at: location(p, row, pcap), "must be a whole number of places (got \"\(row.cells[pcap])\")")
            }
            programLists.append(try list(p, row, prol))
            mentors.append(Person(id: PersonID(key), role: .mentor, name: row.cells[pname], capacity: cap))
        }
        // Listed ids the other file does not hold are no partners (see above).
        for k in mentees.indices { mentees[k].preferences = residentLists[k].filter { programLines[$0] != nil }.map { [PersonID($0)] } }
        for k in mentors.indices { mentors[k].preferences = programLists[k].filter { residentLines[$0] != nil }.map { [PersonID($0)] } }
        return acceptingNobodyWhenEmpty(Cohort(mentors: mentors, mentees: mentees))
    }

    /// The Python `matching` library's JSON examples: `residents` and `hospitals` map names to
    /// ranked lists, `capacities` maps hospitals to places (every hospital gets `defaultCapacity`
    /// when absent). Ids become `r:NAME` and `h:NAME`, since both sides may use the same names.
    public static func matchingLibrary(path: String, defaultCapacity: Int = 1) throws -> Cohort {
        let root = try JSONValue.parseJSON(try AtomicFile.read(path), file: path)
        func text(_ v: JSONValue) -> String {
            switch v {
            case .string(let s): return s
            case .number(let x): return formatNumber(x)
            default: return ""
            }
        }
        func people(_ key: String, _ role: Role, prefix: String, otherPrefix: String) throws -> [Person] {
            guard case .object(let entries)? = root[key] else { throw InputError(file: path, at: "$.\(key)", "missing object") }
            return entries.map { name, list in
                var p = Person(id: PersonID(prefix + name), role: role, name: name)
                if case .array(let items) = list { p.preferences = items.map { [PersonID(otherPrefix + text($0))] } }
                if role == .mentor {
                    p.capacity = root["capacities"]?[name].flatMap { if case .number(let x) = $0 { Int(x) } else { nil } } ?? defaultCapacity
                }
                return p
            }
        }
        let mentees = try people("residents", .mentee, prefix: "r:", otherPrefix: "h:")
        let mentors = try people("hospitals", .mentor, prefix: "h:", otherPrefix: "r:")
        // Names listed by one side but absent from the other side's keys are dropped (no such partner).
        let menteeIDs = Set(mentees.map(\.id)), mentorIDs = Set(mentors.map(\.id))
        let ms = mentors.map { var p = $0; p.preferences = p.preferences.filter { menteeIDs.contains($0[0]) }; return p }
        let es = mentees.map { var p = $0; p.preferences = p.preferences.filter { mentorIDs.contains($0[0]) }; return p }
        return acceptingNobodyWhenEmpty(Cohort(mentors: ms, mentees: es))
    }

    /// In the classical model an empty list accepts nobody, while in PeerMatch it accepts every
    /// compatible partner: a mentor with an empty list gets capacity 0, a mentee with an empty list
    /// is excluded from every mentor.
    static func acceptingNobodyWhenEmpty(_ cohort: Cohort) -> Cohort {
        var c = cohort
        for k in c.mentors.indices where c.mentors[k].preferences.isEmpty { c.mentors[k].capacity = 0 }
        for e in c.mentees where e.preferences.isEmpty {
            c.exclusions += c.mentors.map { Exclusion(a: $0.id, b: e.id, reason: "empty rank-order list") }
        }
        return c
    }
}
