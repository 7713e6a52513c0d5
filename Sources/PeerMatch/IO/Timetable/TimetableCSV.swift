/// The timetable as CSV: one row per session date, for spreadsheets and school MIS imports.
///
/// Columns: `date, day, start, end, slot, room, roomName, mentor, mentorName, mentees, menteeNames`
/// (several mentees of a `group` session are joined with `"; "`, in id order). Rows are sorted by
/// date, start time, room id, mentor id (then slot id and mentee ids), so the same timetable always
/// gives the same bytes. Written through CSV.swift (RFC 4180 quoting).
public enum TimetableCSV {
    public static let header = ["date", "day", "start", "end", "slot", "room", "roomName",
                                "mentor", "mentorName", "mentees", "menteeNames"]

    /// - Throws: ``InputError`` when the view is inconsistent (see ``TimetableView/validate()``).
    public static func render(_ view: TimetableView) throws -> String {
        try view.validate()
        let slot = Dictionary(uniqueKeysWithValues: view.slots.map { ($0.id, $0) })
        let room = Dictionary(uniqueKeysWithValues: view.rooms.map { ($0.id, $0) })
        struct Row { var date: TimetableView.CalendarDate; var start: Int; var cells: [String]; var key: [String] }
        var rows: [Row] = []
        for s in view.sessions {
            let sl = slot[s.slot]!, rm = room[s.room]!
            let mentees = s.mentees.sorted { $0.id < $1.id }
            let ids = mentees.map(\.id.rawValue).joined(separator: "; ")
            for date in s.dates {
                rows.append(Row(date: date, start: sl.start.minutes,
                                cells: [date.iso, date.weekday.rawValue, sl.start.description, sl.end.description, sl.id,
                                        rm.id, rm.name, s.mentor.id.rawValue, s.mentor.name, ids,
                                        mentees.map(\.name).joined(separator: "; ")],
                                key: [rm.id, s.mentor.id.rawValue, sl.id, ids]))
            }
        }
        rows.sort { a, b in
            if a.date != b.date { return a.date < b.date }
            if a.start != b.start { return a.start < b.start }
            return a.key.lexicographicallyPrecedes(b.key)
        }
        return csvText(header: header, rows: rows.map(\.cells))
    }
}
