/// Reads and validates the timetable part of a cohort file (`slots`, `rooms`, `term`, `format`)
/// and the timetable fields of people, recording every problem with its JSON path.
struct TimetableReader {
    /// Slot ids in file order, for checking references.
    private(set) var slotIDs: Set<String> = []
    private(set) var setup: TimetableSetup?
    /// Rooms by id, for checking locks.
    private var roomByID: [String: Room] = [:]
    /// Whether some room has every feature of a requirement (keyed by the sorted features), so each
    /// distinct requirement is compared with the rooms once; `featureChecks` bounds that work on
    /// hostile files (past it the warning is skipped).
    private var featuresMet: [[String]: Bool] = [:]
    private var featureChecks = 0

    /// Reads the cohort-level timetable keys of `root`.
    mutating func readSetup(_ root: JSONValue, _ r: inout DocumentReader) {
        let hasSlots = root["slots"] != nil && root["slots"] != .null
        guard hasSlots else {
            for key in ["rooms", "term", "format"] where root[key] != nil && root[key] != .null {
                r.error("$.\(key)", "needs \"slots\": a cohort without slots is matched without a timetable")
            }
            return
        }
        var slots: [Slot] = []
        var firstSlot: [String: String] = [:]
        for (k, item) in (r.array(root["slots"], "$.slots") ?? []).enumerated() {
            let path = "$.slots[\(k)]"
            guard let fields = r.object(item, path) else { continue }
            r.rejectUnknownKeys(fields, path, known: ["id", "day", "start", "end", "label"])
            guard let (id, duplicate) = Self.id(item, path, kind: "slot", &firstSlot, &r) else { continue }
            slotIDs.insert(id)
            let day = weekday(item["day"], "\(path).day", &r)
            let start = clock(item["start"], "\(path).start", &r)
            let end = clock(item["end"], "\(path).end", &r)
            if let start, let end, end <= start {
                r.error("\(path).end", "must be after start (\(start)), found \(end)")
                continue
            }
            let label = r.string(item["label"], "\(path).label").flatMap { $0.isEmpty ? nil : $0 }
            if let day, let start, let end, !duplicate { slots.append(Slot(id: id, day: day, start: start, end: end, label: label)) }
        }
        if slots.isEmpty && !r.hasErrors { r.error("$.slots", "must list at least one slot") }

        var rooms: [Room] = []
        var firstRoom: [String: String] = [:]
        if root["rooms"] == nil || root["rooms"] == .null {
            r.error("$.rooms", "missing: a cohort with slots needs at least one room")
        }
        let roomItems = r.array(root["rooms"], "$.rooms")
        if roomItems?.isEmpty == true { r.error("$.rooms", "must list at least one room") }
        for (k, item) in (roomItems ?? []).enumerated() {
            let path = "$.rooms[\(k)]"
            guard let fields = r.object(item, path) else { continue }
            r.rejectUnknownKeys(fields, path, known: ["id", "name", "capacity", "features", "availability"])
            guard let (id, duplicate) = Self.id(item, path, kind: "room", &firstRoom, &r), !duplicate else { continue }
            var room = Room(id: id)
            room.name = r.string(item["name"], "\(path).name").flatMap { $0.isEmpty ? nil : $0 } ?? id
            room.capacity = r.integer(item["capacity"], "\(path).capacity", minimum: 1) ?? 1
            room.features = r.stringList(item["features"], "\(path).features").map(normalisedKey)
            room.availability = slotList(item["availability"], "\(path).availability", &r)
            rooms.append(room)
        }

        var term: Term?
        if let fields = r.object(root["term"], "$.term") {
            r.rejectUnknownKeys(fields, "$.term", known: ["start", "end", "skipWeeks", "sessionsPerWeek"])
            let t = root["term"]!
            let start = date(t["start"], "$.term.start", required: true, &r)
            let end = date(t["end"], "$.term.end", required: true, &r)
            if let start, let end, end < start { r.error("$.term.end", "is before the start (\(start)), found \(end)") }
            var skips: [CalendarDate] = []
            for (k, v) in (r.array(t["skipWeeks"], "$.term.skipWeeks") ?? []).enumerated() {
                guard let d = date(v, "$.term.skipWeeks[\(k)]", required: true, &r) else { continue }
                if let start, let end, d.weekStart > end || d.weekStart.adding(days: 6) < start {
                    r.warning("$.term.skipWeeks[\(k)]", "\(d) is in a week outside the term (\(start) to \(end))")
                }
                skips.append(d)
            }
            let perWeek = r.integer(t["sessionsPerWeek"], "$.term.sessionsPerWeek", minimum: 1) ?? 1
            if perWeek > max(1, slotIDs.count) { r.error("$.term.sessionsPerWeek", "is \(perWeek), but there are only \(slotIDs.count) slots") }
            if let start, let end { term = Term(start: start, end: end, skipWeeks: skips, sessionsPerWeek: perWeek) }
        }
        let format = r.choice(root["format"], "$.format", as: SessionFormat.self) ?? .oneToOne
        setup = TimetableSetup(slots: slots, rooms: rooms, term: term, format: format)
        for room in rooms where roomByID[room.id] == nil { roomByID[room.id] = room }
    }

    /// An item's `id`, and whether an earlier item already used it (reported with both paths).
    private static func id(_ item: JSONValue, _ path: String, kind: String, _ first: inout [String: String],
                           _ r: inout DocumentReader) -> (String, Bool)? {
        guard let id = r.string(item["id"], "\(path).id", nonEmpty: true) else {
            if item["id"] == nil { r.error("\(path).id", "missing id") }
            return nil
        }
        if let earlier = first[id] {
            r.error("\(path).id", "duplicate \(kind) id \"\(id)\" (first used at \(earlier))")
            return (id, true)
        }
        first[id] = "\(path).id"
        return (id, false)
    }

    /// Reads a person's `availability`, `requireRoomFeatures` and `unavailableDates`.
    mutating func readPerson(_ item: JSONValue, _ path: @autoclosure () -> String, _ person: inout Person, _ r: inout DocumentReader) {
        if setup == nil {
            for key in ["availability", "requireRoomFeatures", "unavailableDates"] where item[key] != nil && item[key] != .null {
                r.error("\(path()).\(key)", "needs \"slots\" in the cohort")
            }
            return
        }
        person.availability = slotList(item["availability"], "\(path()).availability", &r)
        if case .array(let items)? = item["availability"], items.isEmpty {
            r.warning("\(path()).availability", "is empty: \(person.name) can make no slot and cannot be matched")
        }
        let features = r.stringList(item["requireRoomFeatures"], "\(path()).requireRoomFeatures").map(normalisedKey)
        if !features.isEmpty && person.role == .mentor {
            r.error("\(path()).requireRoomFeatures", "only mentees may require room features")
        } else if !features.isEmpty, let rooms = setup?.rooms, !rooms.isEmpty, !someRoomHas(features, rooms) {
            r.warning("\(path()).requireRoomFeatures", "no room has \(naturalList(features)): \(person.name) cannot be matched")
        }
        person.requireRoomFeatures = features
        for (k, v) in (r.array(item["unavailableDates"], "\(path()).unavailableDates") ?? []).enumerated() {
            guard let d = date(v, "\(path()).unavailableDates[\(k)]", required: true, &r) else { continue }
            if let t = setup?.term, d < t.start || d > t.end {
                r.warning("\(path()).unavailableDates[\(k)]", "\(d) is outside the term (\(t.start) to \(t.end))")
            }
            person.unavailableDates.append(d)
        }
    }

    /// Whether some room has every one of `features` (true when the check is past its budget).
    private mutating func someRoomHas(_ features: [String], _ rooms: [Room]) -> Bool {
        let key = Array(Set(features)).sorted()
        if let known = featuresMet[key] { return known }
        guard featureChecks < 20_000_000 else { return true }
        featureChecks += rooms.count * key.count
        let wanted = Set(key)
        let met = rooms.contains { wanted.isSubset(of: $0.features) }
        featuresMet[key] = met
        return met
    }

    /// A list of known slot ids; nil when absent.
    private func slotList(_ v: JSONValue?, _ path: @autoclosure () -> String, _ r: inout DocumentReader) -> [String]? {
        guard let v, v != .null else { return nil }
        guard let items = r.array(v, path()) else { return nil }
        var out: [String] = []
        var seen = Set<String>()
        for (k, item) in items.enumerated() {
            guard let id = r.string(item, "\(path())[\(k)]", nonEmpty: true) else { continue }
            if !slotIDs.contains(id) { r.error("\(path())[\(k)]", "unknown slot id \"\(id)\""); continue }
            if seen.insert(id).inserted { out.append(id) }
        }
        return out
    }

    private func weekday(_ v: JSONValue?, _ path: String, _ r: inout DocumentReader) -> Weekday? {
        guard let v, v != .null else { r.error(path, "missing (mon, tue, wed, thu, fri, sat or sun)"); return nil }
        guard let s = r.string(v, path) else { return nil }
        let key = normalisedKey(s)
        if let d = Weekday.allCases.first(where: { $0.rawValue == key || $0.name.lowercased() == key }) { return d }
        r.error(path, "must be one of mon, tue, wed, thu, fri, sat, sun, found \"\(s)\"")
        return nil
    }

    private func clock(_ v: JSONValue?, _ path: String, _ r: inout DocumentReader) -> ClockTime? {
        guard let v, v != .null else { r.error(path, "missing (a time \"HH:MM\")"); return nil }
        guard let s = r.string(v, path) else { return nil }
        if let t = ClockTime(s.trimmingCharacters(in: .whitespaces)) { return t }
        r.error(path, "must be a time \"HH:MM\" (24-hour clock), found \"\(s)\"")
        return nil
    }

    private func date(_ v: JSONValue?, _ path: @autoclosure () -> String, required: Bool, _ r: inout DocumentReader) -> CalendarDate? {
        guard let v, v != .null else {
            if required { r.error(path(), "missing (a date \"YYYY-MM-DD\")") }
            return nil
        }
        guard let s = r.string(v, path()) else { return nil }
        if let d = CalendarDate(trimmed(s)) { return d }
        r.error(path(), "must be a date \"YYYY-MM-DD\", found \"\(s)\"")
        return nil
    }
}

extension TimetableReader {
    /// Reads a lock's optional `slot` and `room` and checks they can hold: both people free at the
    /// slot, the room free then and with the mentee's features. Returns false when the lock is unusable.
    func checkLock(_ item: JSONValue, _ path: @autoclosure () -> String, _ lock: inout LockedPair, mentor: Person, mentee: Person,
                   _ r: inout DocumentReader) -> Bool {
        let slot = r.string(item["slot"], "\(path()).slot", nonEmpty: true)
        let room = r.string(item["room"], "\(path()).room", nonEmpty: true)
        if slot == nil && room == nil { return true }
        guard setup != nil else {
            r.error(slot != nil ? "\(path()).slot" : "\(path()).room", "needs \"slots\" in the cohort")
            return false
        }
        var ok = true
        if let slot, !slotIDs.contains(slot) { r.error("\(path()).slot", "unknown slot id \"\(slot)\""); ok = false }
        if let room, roomByID[room] == nil { r.error("\(path()).room", "unknown room id \"\(room)\""); ok = false }
        if room != nil && slot == nil { r.error("\(path()).room", "a locked room needs a locked slot too"); ok = false }
        guard ok, let slot else { return false }
        for person in [mentor, mentee] where !(person.availability?.contains(slot) ?? true) {
            r.error("\(path()).slot", "\(person.name) (\(person.id)) is not available at slot \"\(slot)\""); ok = false
        }
        if let room, let rm = roomByID[room] {
            if !(rm.availability?.contains(slot) ?? true) {
                r.error("\(path()).room", "room \"\(room)\" is not free at slot \"\(slot)\""); ok = false
            }
            let missing = mentee.requireRoomFeatures.filter { !rm.features.contains($0) }
            if !missing.isEmpty {
                r.error("\(path()).room", "room \"\(room)\" lacks \(naturalList(missing)), which \(mentee.name) needs"); ok = false
            }
        }
        lock.slot = slot; lock.room = room
        return ok
    }
}
