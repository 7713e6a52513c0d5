/// Everything the timetable model and checks look up about slots, rooms and people, computed once.
///
/// Slots and rooms are referred to by position in the cohort's lists. Mentees with the same
/// `requireRoomFeatures` form one room class: within a class, rooms are interchangeable except for
/// their availability, so the model counts sessions per (slot, class, room) instead of giving every
/// pair a room variable.
public struct TimetableContext: Sendable {
    public let setup: TimetableSetup
    public let slotIndex: [String: Int]
    public let roomIndex: [String: Int]
    /// Sessions per week for each pair or group.
    public let sessionsPerWeek: Int
    /// mentorFree[i][s], menteeFree[j][s]: whether the person can make slot s.
    let mentorFree: [[Bool]]
    let menteeFree: [[Bool]]
    /// roomFree[r][s].
    let roomFree: [[Bool]]
    /// Room class of each mentee (by its required features).
    let menteeClass: [Int]
    /// Required features of each class, sorted.
    let classFeatures: [[String]]
    /// roomsFor[c][s]: rooms free at s that have every feature of class c (and, for groups, room for
    /// a mentor and at least one mentee).
    let roomsFor: [[[Int]]]
    /// Maximal sets of mutually overlapping slots (a slot overlapping nothing is its own clique).
    /// Nobody and no room seat can be in two slots of one clique.
    let cliques: [[Int]]
    /// Sessions a room can hold at once: pairs (`one-to-one`: 1), or people (`group`).
    let roomCapacity: [Int]
    /// Bonus in hundredths for a session at each slot (policy `timetable.preferredSlots`).
    let slotBonus: [Int]

    public init(cohort: Cohort, policy: Policy) {
        let setup = cohort.timetable ?? TimetableSetup(slots: [], rooms: [])
        self.setup = setup
        let slots = setup.slots, rooms = setup.rooms
        var si: [String: Int] = [:], ri: [String: Int] = [:]
        for (s, slot) in slots.enumerated() { si[slot.id] = s }
        for (r, room) in rooms.enumerated() { ri[room.id] = r }
        slotIndex = si; roomIndex = ri
        sessionsPerWeek = setup.sessionsPerWeek
        func free(_ list: [String]?) -> [Bool] {
            guard let list else { return Array(repeating: true, count: slots.count) }
            var out = Array(repeating: false, count: slots.count)
            for id in list { if let s = si[id] { out[s] = true } }
            return out
        }
        mentorFree = cohort.mentors.map { free($0.availability) }
        menteeFree = cohort.mentees.map { free($0.availability) }
        roomFree = rooms.map { free($0.availability) }
        var classOf: [[String]: Int] = [:], features: [[String]] = []
        menteeClass = cohort.mentees.map { e in
            let key = Array(Set(e.requireRoomFeatures)).sorted()
            if let c = classOf[key] { return c }
            classOf[key] = features.count; features.append(key)
            return features.count - 1
        }
        classFeatures = features
        let format = setup.format
        roomCapacity = rooms.map { format == .oneToOne ? 1 : $0.capacity }
        roomsFor = features.map { need in
            (0..<slots.count).map { s in
                rooms.indices.filter { r in
                    rooms[r].availability.map { $0.contains(slots[s].id) } ?? true
                        && Set(need).isSubset(of: Set(rooms[r].features))
                        && (format != .group || rooms[r].capacity >= 2)
                }
            }
        }
        // Maximal cliques of an interval graph: for each slot, the slots of its day running at its start.
        var found: [[Int]] = []
        for s in slots.indices {
            let clique = slots.indices.filter { t in
                slots[t].day == slots[s].day && slots[t].start <= slots[s].start && slots[s].start < slots[t].end
            }
            found.append(clique)
        }
        var maximal: [[Int]] = []
        for c in found where !found.contains(where: { $0.count > c.count && Set(c).isSubset(of: Set($0)) }) {
            if !maximal.contains(c) { maximal.append(c) }
        }
        cliques = maximal
        slotBonus = slots.map { slot in
            policy.timetable.preferredSlots.filter { p in
                p.slot == slot.id || (slot.label.map { normalisedKey($0) == normalisedKey(p.slot) } ?? false)
            }.reduce(0) { $0 + Score.hundredths($1.bonus) }
        }
    }

    public var slotCount: Int { setup.slots.count }
    public var roomCount: Int { setup.rooms.count }
    public var format: SessionFormat { setup.format }

    /// Slots at which mentor i and mentee j can meet: both free and a suitable room free.
    func commonSlots(mentor i: Int, mentee j: Int) -> [Int] {
        let c = menteeClass[j]
        return (0..<slotCount).filter { mentorFree[i][$0] && menteeFree[j][$0] && !roomsFor[c][$0].isEmpty }
    }

    /// Whether mentor i and mentee j have enough common slots for their sessions each week.
    func canMeet(mentor i: Int, mentee j: Int) -> Bool {
        commonSlots(mentor: i, mentee: j).count >= sessionsPerWeek
    }

    /// "no common free slot" or, with several sessions a week, "not enough common free slots for 2 sessions a week".
    var noSlotPhrase: String {
        sessionsPerWeek == 1 ? "no common free slot" : "not enough common free slots for \(sessionsPerWeek) sessions a week"
    }

    /// Pairs the rooms can hold a week (pair formats; nil for groups): each room holds its capacity
    /// once per group of overlapping slots it is free at, divided by sessions a week.
    var pairsRoomsCanHold: Int? {
        guard format != .group else { return nil }
        return (0..<roomCount).reduce(0) { total, r in
            total + roomCapacity[r] * cliques.filter { $0.contains { roomFree[r][$0] } }.count
        } / sessionsPerWeek
    }

    /// Indices of the cliques containing slot s.
    func cliques(containing s: Int) -> [Int] { cliques.indices.filter { cliques[$0].contains(s) } }

    /// "Wednesday 12:30–13:00 (Lunch)".
    func describe(slot s: Int) -> String {
        let slot = setup.slots[s]
        return "\(slot.day.name) \(slot.start)–\(slot.end)" + (slot.label.map { " (\($0))" } ?? "")
    }
}
