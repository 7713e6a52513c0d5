extension TimetableView {
    /// The printable view of a timetabled result: the cohort's slots, rooms and term, and one
    /// session per pair and weekly slot (`group`: one per mentor, slot and room, with all its mentees).
    ///
    /// - Parameters:
    ///   - title: the page and calendar heading, also part of every event UID (e.g. the cohort file's name).
    /// - Throws: ``InputError`` when the cohort has no slots or no term (sessions without dates
    ///   cannot be printed as a term's timetable).
    public init(result: MatchResult, cohort: Cohort, title: String, timeZone: String = "Europe/London") throws {
        guard let setup = cohort.timetable else {
            throw InputError(file: title, "the cohort lists no slots, so there is no timetable to write")
        }
        guard let term = setup.term else {
            throw InputError(file: title, "the cohort has no term, so its sessions have no dates: add \"term\": {\"start\", \"end\"}")
        }
        let names = ResultWriter.names(cohort)
        func person(_ id: PersonID) -> Person { Person(id: id, name: names[id] ?? id.rawValue) }
        let dayOf = Dictionary(setup.slots.map { ($0.id, $0.day) }, uniquingKeysWith: { a, _ in a })

        // One entry per (mentor, slot, room) in the group format, else per (pair, slot).
        struct Key: Hashable { var mentor: PersonID; var slot: String; var room: String; var mentee: PersonID? }
        var order: [Key] = []
        var mentees: [Key: [Person]] = [:]
        var dates: [Key: Set<CalendarDate>] = [:]
        var skipped: [Key: [CalendarDate: String]] = [:]
        for pair in result.pairs {
            for s in pair.sessions {
                let key = Key(mentor: pair.mentor, slot: s.slot, room: s.room, mentee: setup.format == .group ? nil : pair.mentee)
                if mentees[key] == nil { order.append(key) }
                mentees[key, default: []].append(person(pair.mentee))
                // A pair's dates cover all its weekly slots; each session keeps those on its own weekday.
                let day = dayOf[s.slot]
                dates[key, default: []].formUnion(pair.dates.filter { $0.weekday == day })
                for skip in pair.skippedDates where skip.date.weekday == day {
                    skipped[key, default: [:]][skip.date] = skipped[key]?[skip.date] ?? skip.reason
                }
            }
        }
        let sessions = order.map { key -> Session in
            let on = dates[key] ?? []
            // In a group, a date drops out only when nobody meets.
            let off = (skipped[key] ?? [:]).filter { !on.contains($0.key) }
                .sorted { $0.key < $1.key }.map { Skipped(date: $0.key, reason: $0.value) }
            return Session(slot: key.slot, room: key.room, mentor: person(key.mentor),
                           mentees: (mentees[key] ?? []).sorted { $0.id < $1.id }, dates: on.sorted(), skipped: off)
        }
        let (pairs, unmatched) = Self.pairsAndUnmatched(of: result, cohort: cohort)
        self.init(title: title, termStart: term.start, termEnd: term.end, timeZone: timeZone,
                  slots: setup.slots.map { Slot(id: $0.id, day: $0.day, start: $0.start, end: $0.end, label: $0.label ?? "") },
                  rooms: setup.rooms.map { Room(id: $0.id, name: $0.name, capacity: $0.capacity, features: $0.features) },
                  sessions: sessions, pairs: pairs, unmatched: unmatched)
    }
}
