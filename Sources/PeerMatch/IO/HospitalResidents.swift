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
    /// (`id,name,numberOfPos,rol`), lists written `"[a,b,c]"`. Ids are kept as written.
    public static func csi2120(residents: String, programs: String) throws -> Cohort {
        let r = try SpreadsheetReader.read(try ImportFile.read(path: residents))
        let p = try SpreadsheetReader.read(try ImportFile.read(path: programs))
        func column(_ t: SheetTable, _ name: String) throws -> Int {
            guard let c = t.header.firstIndex(of: name) else { throw InputError(file: t.file, at: "line 1", "no \"\(name)\" column") }
            return c
        }
        func list(_ cell: String) -> [[PersonID]] {
            cell.trimmingCharacters(in: CharacterSet(charactersIn: "[] ")).split(separator: ",")
                .map { [PersonID(String($0).trimmingCharacters(in: .whitespaces))] }
        }
        let (rid, rfirst, rlast, rrol) = (try column(r, "id"), try column(r, "firstname"), try column(r, "lastname"), try column(r, "rol"))
        let (pid, pname, pcap, prol) = (try column(p, "id"), try column(p, "name"), try column(p, "numberOfPos"), try column(p, "rol"))
        let mentees = r.rows.map { row in
            Person(id: PersonID(row.cells[rid]), role: .mentee, name: row.cells[rfirst] + " " + row.cells[rlast],
                   preferences: list(row.cells[rrol]))
        }
        var mentors: [Person] = []
        for row in p.rows {
            guard let cap = Int(row.cells[pcap]), cap >= 0 else {
                throw InputError(file: p.file, at: "line \(row.line), column \(pcap + 1) (numberOfPos)", "must be a whole number of places")
            }
            mentors.append(Person(id: PersonID(row.cells[pid]), role: .mentor, name: row.cells[pname], capacity: cap,
                                  preferences: list(row.cells[prol])))
        }
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
