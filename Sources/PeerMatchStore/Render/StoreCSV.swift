import PeerMatch

/// CSV the store writes (show, review, report, export): the core's RFC 4180 writer, with cells
/// that a spreadsheet would run as a formula (`=`, `+`, `@`, tab, carriage return at the start)
/// prefixed with `'`. Names and notes come from spreadsheets and people; an exported register
/// opened in Excel must never run one of them.
enum StoreCSV {
    static func text(header: [String], rows: [[String]]) -> String {
        csvText(header: header, rows: rows.map { $0.map(safe) })
    }

    static func safe(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, "=+@\t\r".unicodeScalars.contains(first) else { return cell }
        return "'" + cell
    }
}
