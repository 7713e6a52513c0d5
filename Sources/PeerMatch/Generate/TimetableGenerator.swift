/// Adds a realistic school timetable to a generated cohort. Same settings and seed: same timetable.
///
/// Distributions (documented here, in one place):
/// - Slots, in this order until `slots` are taken: Monday to Friday lunch (12:30–13:00), Monday to
///   Friday tutor time (08:40–09:00; primary: "Assembly slot" 09:00–09:20), Monday to Friday after
///   school (15:20–16:00).
/// - Rooms from a fixed list (Library, Mentoring room, Learning support base, Room 12, ...), 2 to 6
///   pairs each; the Library, Mentoring room and Learning support base are `quiet`, the support base
///   and one in three others `accessible`; one room in four is not free at a quarter of the slots.
/// - People are free at each lunch and tutor slot with probability 0.65 (mentors after school 0.35,
///   mentees 0.5); 5% of mentees need a `quiet` room and 3% an `accessible` one; 5% of people have
///   one unavailable date (a trip).
/// - Term: 7 September to 18 December 2026, half term (the week of 26 October) skipped, one
///   session a week; format `pairs-in-room`.
public struct TimetableGenerator: Sendable {
    public var setting: CohortGenerator.Setting
    public var slots: Int
    public var rooms: Int
    public var seed: UInt64

    public init(setting: CohortGenerator.Setting = .secondary, slots: Int, rooms: Int, seed: UInt64) {
        self.setting = setting; self.slots = slots; self.rooms = rooms; self.seed = seed
    }

    static let roomNames = ["Library", "Mentoring room", "Learning support base", "Room 12", "Drama studio", "Room 7",
                            "Sixth form study", "Music room", "Room 3", "Sports hall balcony"]

    public func add(to cohort: inout Cohort) {
        var rng = SeededRandom(seed: seed)
        let days: [Weekday] = [.mon, .tue, .wed, .thu, .fri]
        let early = setting == .primary ? ("Assembly slot", "09:00", "09:20") : ("Tutor time", "08:40", "09:00")
        let kinds = [("Lunch", "12:30", "13:00", "lunch"), (early.0, early.1, early.2, "am"), ("After school", "15:20", "16:00", "pm")]
        var slotList: [Slot] = []
        for kind in kinds { for day in days where slotList.count < slots {
            slotList.append(Slot(id: "\(day.rawValue)-\(kind.3)", day: day, start: ClockTime(kind.1)!, end: ClockTime(kind.2)!, label: kind.0))
        } }
        var roomList: [Room] = []
        for r in 0..<rooms {
            let name = r < Self.roomNames.count ? Self.roomNames[r] : "Room \(r + 20)"
            var room = Room(id: "r\(r + 1)", name: name, capacity: rng.int(in: 2...6))
            if r < 3 { room.features.append("quiet") }
            if r == 2 || (r >= 3 && rng.chance(1.0 / 3)) { room.features.append("accessible") }
            if r > 0 && rng.chance(0.25) { room.availability = slotList.map(\.id).filter { _ in !rng.chance(0.25) } }
            roomList.append(room)
        }
        func availability(afterSchool: Double) -> [String] {
            slotList.filter { rng.chance($0.label == "After school" ? afterSchool : 0.65) }.map(\.id)
        }
        let term = Term(start: CalendarDate("2026-09-07")!, end: CalendarDate("2026-12-18")!, skipWeeks: [CalendarDate("2026-10-26")!])
        let weekdays = days.flatMap { TermCalendar.weeklyDates(term, on: $0) }.sorted()
        func trip(_ p: inout Person) {
            if rng.chance(0.05) { p.unavailableDates = [weekdays[rng.int(weekdays.count)]] }
        }
        for i in cohort.mentors.indices {
            cohort.mentors[i].availability = availability(afterSchool: 0.35)
            trip(&cohort.mentors[i])
        }
        for j in cohort.mentees.indices {
            cohort.mentees[j].availability = availability(afterSchool: 0.5)
            if rng.chance(0.05) { cohort.mentees[j].requireRoomFeatures = ["quiet"] } else if rng.chance(0.03) {
                cohort.mentees[j].requireRoomFeatures = ["accessible"]
            }
            trip(&cohort.mentees[j])
        }
        cohort.timetable = TimetableSetup(slots: slotList, rooms: roomList, term: term, format: .pairsInRoom)
    }
}
