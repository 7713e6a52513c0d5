/// Adds a realistic school timetable to a generated cohort. Same settings and seed: same timetable.
///
/// Every number it draws from is in ``GeneratorSettings/timetable`` and documented, with the rest
/// of the generator's distributions, in `Sources/PeerMatch/Generate/DISTRIBUTIONS.md`.
public struct TimetableGenerator: Sendable {
    public var setting: CohortGenerator.Setting
    public var slots: Int
    public var rooms: Int
    public var seed: UInt64

    public init(setting: CohortGenerator.Setting = .secondary, slots: Int, rooms: Int, seed: UInt64) {
        self.setting = setting; self.slots = slots; self.rooms = rooms; self.seed = seed
    }

    public func add(to cohort: inout Cohort) {
        var rng = SeededRandom(seed: seed)
        let t = GeneratorSettings.timetable
        let days: [Weekday] = [.mon, .tue, .wed, .thu, .fri]
        var kinds = t.slotKinds
        if setting == .primary, kinds.count > 1 { kinds[1] = t.primaryEarly }
        let afterSchool = t.slotKinds.last!.label
        var slotList: [Slot] = []
        for kind in kinds { for day in days where slotList.count < slots {
            slotList.append(Slot(id: "\(day.rawValue)-\(kind.suffix)", day: day, start: ClockTime(kind.start)!, end: ClockTime(kind.end)!, label: kind.label))
        } }
        var roomList: [Room] = []
        for r in 0..<rooms {
            let name = r < t.roomNames.count ? t.roomNames[r] : "Room \(r + 20)"
            var room = Room(id: "r\(r + 1)", name: name, capacity: rng.int(in: t.roomCapacity))
            if r < t.quietRooms { room.features.append("quiet") }
            if r == t.accessibleRoom || (r >= t.quietRooms && rng.chance(t.accessibleShare)) { room.features.append("accessible") }
            if r > 0 && rng.chance(t.partlyFreeRoomShare) { room.availability = slotList.map(\.id).filter { _ in !rng.chance(t.closedSlotShare) } }
            roomList.append(room)
        }
        func availability(afterSchool share: Double) -> [String] {
            slotList.filter { rng.chance($0.label == afterSchool ? share : t.availability) }.map(\.id)
        }
        let term = Term(start: CalendarDate(t.termStart)!, end: CalendarDate(t.termEnd)!, skipWeeks: [CalendarDate(t.skipWeek)!])
        let weekdays = days.flatMap { TermCalendar.weeklyDates(term, on: $0) }.sorted()
        func trip(_ p: inout Person) {
            if rng.chance(t.tripShare) { p.unavailableDates = [weekdays[rng.int(weekdays.count)]] }
        }
        for i in cohort.mentors.indices {
            cohort.mentors[i].availability = availability(afterSchool: t.afterSchoolMentors)
            trip(&cohort.mentors[i])
        }
        for j in cohort.mentees.indices {
            cohort.mentees[j].availability = availability(afterSchool: t.afterSchoolMentees)
            if rng.chance(t.quietNeedShare) { cohort.mentees[j].requireRoomFeatures = ["quiet"] } else if rng.chance(t.accessibleNeedShare) {
                cohort.mentees[j].requireRoomFeatures = ["accessible"]
            }
            trip(&cohort.mentees[j])
        }
        cohort.timetable = TimetableSetup(slots: slotList, rooms: roomList, term: term, format: t.format)
    }
}
