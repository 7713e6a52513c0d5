import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// Reads one sheet of an Excel workbook (.xlsx, Office Open XML) into a ``SheetTable``: shared
/// and inline strings, numbers (as Excel shows them, to 15 significant digits), booleans
/// (TRUE/FALSE), dates stored as serial numbers under a date format (as ISO dates, 1900 and 1904
/// date systems), formula results, empty cells and several sheets.
///
/// The zip is opened by ZIPFoundation and the XML parts are read by Foundation's event-driven
/// XMLParser; what is written here is only the small part of the file format PeerMatch needs
/// (which part holds which sheet, and what a cell's type and style say about its value).
enum XLSXReader {
    /// A part larger than this unpacked is refused: a school's intake sheet is a few megabytes,
    /// and a zip that unpacks to gigabytes is not one.
    static let partLimit: UInt64 = 256 << 20

    struct Workbook {
        var sheets: [(name: String, path: String, hidden: Bool)]
        var date1904: Bool
        var archive: Archive
    }

    /// The names of the workbook's sheets, in tab order.
    static func sheetNames(_ data: Data, file: String) throws -> [String] {
        try open(data, file: file).sheets.map(\.name)
    }

    /// Reads the sheet named `sheet`; with nil, the sheet named like `preferred` (e.g. "Mentors"
    /// for the mentors file) if there is one, else the first visible sheet, said in a note.
    static func table(_ data: Data, file: String, sheet: String?, preferred: [String] = []) throws -> SheetTable {
        let book = try open(data, file: file)
        let visible = book.sheets.filter { !$0.hidden }
        let names = book.sheets.map { "\"\($0.name)\"" }.joined(separator: ", ")
        var notes: [String] = []
        let chosen: (name: String, path: String, hidden: Bool)
        if let sheet {
            guard let found = book.sheets.first(where: { $0.name == sheet })
                    ?? book.sheets.first(where: { ColumnMap.key($0.name) == ColumnMap.key(sheet) }) else {
                throw InputError(file: file, "has no sheet \"\(sheet)\"; its sheets are \(names)")
            }
            chosen = found
        } else if let named = visible.first(where: { s in preferred.contains { ColumnMap.key($0) == ColumnMap.key(s.name) } }) {
            chosen = named
            if book.sheets.count > 1 { notes.append("\(file): read the sheet \"\(named.name)\" (the workbook has \(names)); choose another with --sheet") }
        } else {
            guard let first = visible.first ?? book.sheets.first else { throw InputError(file: file, "the workbook has no sheets") }
            chosen = first
            if book.sheets.count > 1 { notes.append("\(file): read the first sheet, \"\(first.name)\" (the workbook has \(names)); choose another with --sheet") }
        }
        let shared = try sharedStrings(book.archive, file: file)
        let dateStyles = try self.dateStyles(book.archive, file: file)
        let xml = try part(book.archive, chosen.path, file: file)
        let reader = SheetXML(shared: shared, dateStyles: dateStyles, date1904: book.date1904)
        try reader.parse(xml, file: "\(file) [\(chosen.name)]")
        if !reader.problems.isEmpty {
            throw InputError(reader.problems.map { p in
                Diagnostic(file: "\(file) [\(chosen.name)]", at: "row \(p.row), column \(SheetTable.columnLetters(p.column))", p.message,
                           line: p.row, column: p.column)
            })
        }
        let rows = reader.rows.sorted { $0.key < $1.key }.filter { _, cells in cells.values.contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty } }
        guard let (headerRow, headerCells) = rows.first else {
            throw InputError(file: "\(file) [\(chosen.name)]", "the sheet is empty: it has no header row (the first row must name the columns, e.g. id, name, age)")
        }
        let width = rows.map { $0.value.filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }.keys.max() ?? 0 }.max() ?? 0
        func line(_ cells: [Int: String]) -> [String] { (1...max(width, 1)).map { cells[$0] ?? "" } }
        var header = line(headerCells).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        while header.count > 1, let last = header.last, last.isEmpty,
              !rows.contains(where: { !($0.value[header.count]?.trimmingCharacters(in: .whitespaces).isEmpty ?? true) }) { header.removeLast() }
        let body = rows.dropFirst().map { SheetTable.Row(line: $0.key, cells: Array(line($0.value).prefix(header.count))) }
        return SheetTable(file: file, format: .xlsx, sheet: chosen.name, header: header, headerLine: headerRow,
                          rows: body, notes: notes)
    }

    // MARK: - Parts

    private static func open(_ data: Data, file: String) throws -> Workbook {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw InputError(file: file, "is not a readable .xlsx workbook (the zip inside is damaged or cut short); open it in the spreadsheet program and save it again, or save it as CSV UTF-8")
        }
        // The workbook part is named in the package relationships, usually xl/workbook.xml.
        var workbookPath = "xl/workbook.xml"
        if archive["_rels/.rels"] != nil {
            let rels = try attributes(of: "Relationship", in: try part(archive, "_rels/.rels", file: file), file: file)
            if let office = rels.first(where: { ($0["Type"] ?? "").hasSuffix("/officeDocument") }), let target = office["Target"] {
                workbookPath = target.hasPrefix("/") ? String(target.dropFirst()) : target
            }
        }
        guard archive[workbookPath] != nil else {
            throw InputError(file: file, "is a zip file but not an Excel workbook (no \(workbookPath)); save it from the spreadsheet program as .xlsx, or as CSV UTF-8")
        }
        let folder = workbookPath.contains("/") ? String(workbookPath[..<workbookPath.lastIndex(of: "/")!]) + "/" : ""
        let relsPath = folder + "_rels/" + workbookPath.split(separator: "/").last! + ".rels"
        var targets: [String: String] = [:]
        if archive[relsPath] != nil {
            for rel in try attributes(of: "Relationship", in: try part(archive, relsPath, file: file), file: file) {
                guard let id = rel["Id"], let target = rel["Target"] else { continue }
                targets[id] = target.hasPrefix("/") ? String(target.dropFirst()) : folder + target
            }
        }
        let workbookXML = try part(archive, workbookPath, file: file)
        let sheets = try attributes(of: "sheet", in: workbookXML, file: file).compactMap { a -> (String, String, Bool)? in
            guard let name = a["name"] else { return nil }
            let id = a["r:id"] ?? a.first(where: { $0.key.hasSuffix(":id") })?.value ?? ""
            let path = targets[id] ?? "\(folder)worksheets/sheet\(a["sheetId"] ?? "1").xml"
            return (name, path, a["state"] == "hidden" || a["state"] == "veryHidden")
        }
        let pr = try attributes(of: "workbookPr", in: workbookXML, file: file).first
        let date1904 = pr?["date1904"] == "1" || pr?["date1904"] == "true"
        return Workbook(sheets: sheets, date1904: date1904, archive: archive)
    }

    static func part(_ archive: Archive, _ path: String, file: String) throws -> Data {
        guard let entry = archive[path] else { throw InputError(file: file, "the workbook is missing its part \(path); save it again from the spreadsheet program") }
        guard entry.uncompressedSize <= partLimit else {
            throw InputError(file: file, "the workbook's part \(path) unpacks to \(entry.uncompressedSize >> 20) MiB, more than the \(partLimit >> 20) MiB PeerMatch reads")
        }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                data.append(chunk)
                if UInt64(data.count) > partLimit { throw CocoaError(.fileReadTooLarge) }
            }
        } catch {
            throw InputError(file: file, "the workbook's part \(path) cannot be unpacked (\(error)); open it in the spreadsheet program and save it again")
        }
        return data
    }

    /// The attributes of every element with this (qualified or local) name.
    private static func attributes(of element: String, in xml: Data, file: String) throws -> [[String: String]] {
        let collector = AttributeCollector(element: element)
        let parser = XMLParser(data: xml)
        parser.delegate = collector
        guard parser.parse() else { throw InputError(file: file, "a part of the workbook is not well-formed XML (\(parser.parserError.map { "\($0)" } ?? "unknown error")); save it again from the spreadsheet program") }
        return collector.found
    }

    /// xl/sharedStrings.xml: each `<si>` is the text of its `<t>` elements, phonetic runs left out.
    private static func sharedStrings(_ archive: Archive, file: String) throws -> [String] {
        guard let entry = archive.first(where: { $0.path.hasSuffix("sharedStrings.xml") }) else { return [] }
        let reader = SharedStringsXML()
        let parser = XMLParser(data: try part(archive, entry.path, file: file))
        parser.delegate = reader
        guard parser.parse() else { throw InputError(file: file, "the workbook's shared strings are not well-formed XML; save it again from the spreadsheet program") }
        return reader.strings
    }

    /// Which cell styles (`s` attribute, an index into cellXfs) show a number as a date or time.
    private static func dateStyles(_ archive: Archive, file: String) throws -> Set<Int> {
        guard let entry = archive.first(where: { $0.path.hasSuffix("styles.xml") }) else { return [] }
        let reader = StylesXML()
        let parser = XMLParser(data: try part(archive, entry.path, file: file))
        parser.delegate = reader
        guard parser.parse() else { return [] }
        var out: Set<Int> = []
        for (k, id) in reader.cellFormats.enumerated() {
            if (14...22).contains(id) || (45...47).contains(id) || (27...36).contains(id) || (50...58).contains(id) { out.insert(k); continue }
            if let code = reader.customFormats[id], isDateFormat(code) { out.insert(k) }
        }
        return out
    }

    /// A number format shows a date or time when it has d, m, y, h or s outside quotes and
    /// brackets (`[Red]`, `[$-409]`), and is not a plain number format with "m" in a literal.
    static func isDateFormat(_ code: String) -> Bool {
        var inQuote = false, inBracket = false, escaped = false
        for c in code.lowercased() {
            if escaped { escaped = false; continue }
            switch c {
            case "\\": escaped = true
            case "\"": inQuote.toggle()
            case "[": if !inQuote { inBracket = true }
            case "]": if !inQuote { inBracket = false }
            case "d", "m", "y", "h", "s": if !inQuote && !inBracket { return true }
            default: break
            }
        }
        return false
    }

    /// An Excel serial day number as an ISO date (time of day, if any, as HH:MM).
    static func serialDate(_ serial: Double, date1904: Bool) -> String {
        let days = Int(serial.rounded(.down))
        let fraction = serial - Double(days)
        var text = ""
        if days > 0 || date1904 {
            // 1900 system: day 1 is 1900-01-01, and day 60 is Excel's (Lotus's) non-existent
            // 29 February 1900, so days after it are one less than a real count.
            let dayNumber = date1904 ? days - 24_107 : (days >= 61 ? days - 25_569 : days - 25_568)
            text = CalendarDate(dayNumber: dayNumber).description
        }
        let minutes = Int((fraction * 1440).rounded())
        if minutes > 0 && minutes < 1440 {
            let time = String(format: "%02d:%02d", minutes / 60, minutes % 60)
            text = text.isEmpty ? time : text + " " + time
        }
        return text.isEmpty ? "1900-01-00" : text
    }

    /// A number as Excel shows it by default: whole numbers without a decimal point, others to 15 significant digits.
    static func numberText(_ raw: String) -> String {
        guard let x = Double(raw.trimmingCharacters(in: .whitespaces)), x.isFinite else { return raw }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        var s = String(format: "%.15g", x)
        if s.contains("e") { return s }
        if s.contains(".") { while s.hasSuffix("0") { s.removeLast() }; if s.hasSuffix(".") { s.removeLast() } }
        return s
    }
}

// MARK: - XML readers

private final class AttributeCollector: NSObject, XMLParserDelegate {
    let element: String
    var found: [[String: String]] = []
    init(element: String) { self.element = element }
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        if name == element || name.hasSuffix(":" + element) { found.append(attributes) }
    }
}

private final class SharedStringsXML: NSObject, XMLParserDelegate {
    var strings: [String] = []
    private var current = "", inT = false, inPhonetic = false, inItem = false
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch local(name) {
        case "si": inItem = true; current = ""
        case "rPh": inPhonetic = true
        case "t": inT = inItem && !inPhonetic
        default: break
        }
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch local(name) {
        case "si": strings.append(current); inItem = false
        case "rPh": inPhonetic = false
        case "t": inT = false
        default: break
        }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { if inT { current += string } }
}

private final class StylesXML: NSObject, XMLParserDelegate {
    var customFormats: [Int: String] = [:]
    var cellFormats: [Int] = []
    private var inCellXfs = false
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch local(name) {
        case "numFmt": if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"] { customFormats[id] = code }
        case "cellXfs": inCellXfs = true
        case "xf": if inCellXfs { cellFormats.append(attributes["numFmtId"].flatMap(Int.init) ?? 0) }
        default: break
        }
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if local(name) == "cellXfs" { inCellXfs = false }
    }
}

/// A worksheet's `<sheetData>`: rows by row number, each a map from column number to text.
private final class SheetXML: NSObject, XMLParserDelegate {
    let shared: [String]
    let dateStyles: Set<Int>
    let date1904: Bool
    var rows: [Int: [Int: String]] = [:]
    var problems: [(row: Int, column: Int, message: String)] = []

    private var row = 0, column = 0
    private var type = "n", style = 0
    private var value = "", inline = "", hasValue = false, hasFormula = false
    private var inV = false, inInlineT = false, inIs = false, inPhonetic = false

    init(shared: [String], dateStyles: Set<Int>, date1904: Bool) {
        self.shared = shared; self.dateStyles = dateStyles; self.date1904 = date1904
    }

    func parse(_ data: Data, file: String) throws {
        let parser = XMLParser(data: data)
        parser.delegate = self
        guard parser.parse() else {
            throw InputError(file: file, "the sheet is not well-formed XML (\(parser.parserError.map { "\($0)" } ?? "unknown error")); save the workbook again from the spreadsheet program")
        }
    }

    /// "BC12" → column 55 (1-based), row 12.
    static func reference(_ r: String) -> (column: Int, row: Int)? {
        var column = 0, digits = ""
        for c in r.uppercased() {
            if let a = c.asciiValue, (65...90).contains(a), digits.isEmpty { column = column * 26 + Int(a) - 64 }
            else if c.isASCII && c.isNumber { digits.append(c) }
            else if c == "$" { continue }
            else { return nil }
        }
        guard column > 0, let row = Int(digits) else { return nil }
        return (column, row)
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch local(name) {
        case "row":
            row = attributes["r"].flatMap(Int.init) ?? row + 1
            column = 0
        case "c":
            if let r = attributes["r"], let ref = Self.reference(r) { column = ref.column; row = ref.row } else { column += 1 }
            type = attributes["t"] ?? "n"
            style = attributes["s"].flatMap(Int.init) ?? 0
            value = ""; inline = ""; hasValue = false; hasFormula = false
        case "v": inV = true; hasValue = true
        case "f": hasFormula = true
        case "is": inIs = true
        case "rPh": inPhonetic = true
        case "t": if inIs && !inPhonetic { inInlineT = true; hasValue = true }
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inV { value += string } else if inInlineT { inline += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch local(name) {
        case "v": inV = false
        case "is": inIs = false
        case "rPh": inPhonetic = false
        case "t": inInlineT = false
        case "c": finishCell()
        default: break
        }
    }

    private func finishCell() {
        // openpyxl and other writers that do not calculate leave a formula's value empty (`<v/>`).
        if hasFormula && type != "str" && value.trimmingCharacters(in: .whitespaces).isEmpty { hasValue = false }
        guard hasValue else {
            if hasFormula {
                problems.append((row, column, "the cell holds a formula whose result was never saved (the file was written by a program that does not calculate); open the workbook in Excel or LibreOffice and save it, or paste the values"))
            }
            return
        }
        let text: String
        switch type {
        case "s":
            guard let k = Int(value.trimmingCharacters(in: .whitespaces)), k >= 0, k < shared.count else {
                problems.append((row, column, "the cell refers to shared text number \(value), which the workbook does not have; save it again from the spreadsheet program"))
                return
            }
            text = shared[k]
        case "inlineStr": text = inline
        case "str": text = value
        case "b": text = value.trimmingCharacters(in: .whitespaces) == "1" ? "TRUE" : "FALSE"
        case "e":
            problems.append((row, column, "the cell shows the error \(value) instead of a value; fix the formula in the spreadsheet, or clear the cell"))
            return
        case "d":
            // An ISO 8601 date cell (Strict files): keep the date, and the time when it is not midnight.
            let v = value.trimmingCharacters(in: .whitespaces)
            if let t = v.firstIndex(of: "T") {
                let time = v[v.index(after: t)...].prefix(5)
                text = time == "00:00" ? String(v[..<t]) : String(v[..<t]) + " " + time
            } else { text = v }
        default:
            if dateStyles.contains(style), let x = Double(value.trimmingCharacters(in: .whitespaces)) {
                text = XLSXReader.serialDate(x, date1904: date1904)
            } else {
                text = XLSXReader.numberText(value)
            }
        }
        rows[row, default: [:]][column] = text
    }
}

private func local(_ name: String) -> String {
    if let colon = name.lastIndex(of: ":") { return String(name[name.index(after: colon)...]) }
    return name
}
