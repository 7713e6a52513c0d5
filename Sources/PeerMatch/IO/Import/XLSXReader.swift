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
        var archive: Zip
    }

    /// The zip's directory (read by ZIPFoundation) and its bytes (which ``part(_:_:file:)`` unpacks).
    struct Zip {
        let archive: Archive
        let raw: Data
        subscript(path: String) -> Entry? { archive[path] }
        func first(where match: (Entry) -> Bool) -> Entry? { archive.first(where: match) }
    }

    /// The names of the workbook's sheets, in tab order.
    static func sheetNames(_ data: Data, file: String) throws -> [String] {
        try workbook(data, file: file).sheets.map(\.name)
    }

    /// Reads the sheet named `sheet`; with nil, the sheet named like `preferred` (e.g. "Mentors"
    /// for the mentors file) if there is one, else the first visible sheet, said in a note.
    static func table(_ data: Data, file: String, sheet: String?, preferred: [String] = []) throws -> SheetTable {
        let book = try workbook(data, file: file)
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
        var rows = reader.rows.sorted { $0.key < $1.key }.filter { _, cells in cells.values.contains { !isBlank($0) } }
        let titles = CSVParser.titleRows(rows.map { Array($0.value.values) })
        if titles > 0 {
            notes.append(CSVParser.titleNote(file: "\(file) [\(chosen.name)]", lines: rows.prefix(titles).map { ($0.key, $0.value.sorted { $0.key < $1.key }.map(\.value)) }, where: "row"))
            rows.removeFirst(titles)
        }
        guard let (headerRow, headerCells) = rows.first else {
            throw InputError(file: "\(file) [\(chosen.name)]", "the sheet is empty: it has no header row (the first row must name the columns, e.g. id, name, age)")
        }
        let width = rows.lazy.map { row in row.value.lazy.filter { !isBlank($0.value) }.map(\.key).max() ?? 0 }.max() ?? 0
        // A cohort sheet has tens of columns; one with values a thousand columns out is not one.
        guard width <= 1_000 else {
            throw InputError(file: "\(file) [\(chosen.name)]", "the sheet has values as far out as column \(SheetTable.columnLetters(width)); PeerMatch reads at most 1,000 columns: delete what lies beyond the table, or copy the table to a new sheet")
        }
        func line(_ cells: [Int: String]) -> [String] { (1...max(width, 1)).map { cells[$0] ?? "" } }
        var header = line(headerCells).map { trimmed($0, newlines: true) }
        while header.count > 1, let last = header.last, last.isEmpty,
              !rows.contains(where: { !($0.value[header.count]?.trimmingCharacters(in: .whitespaces).isEmpty ?? true) }) { header.removeLast() }
        let body = rows.dropFirst().map { SheetTable.Row(line: $0.key, cells: Array(line($0.value).prefix(header.count))) }
        return SheetTable(file: file, format: .xlsx, sheet: chosen.name, header: header, headerLine: headerRow,
                          rows: body, notes: notes)
    }

    // MARK: - Parts


    private static func workbook(_ data: Data, file: String) throws -> Workbook {
        let archive: Zip
        do {
            try ZIPStructure.check(data)   // offsets past the end: refused before ZIPFoundation sees them
            archive = Zip(archive: try openArchive(data).archive, raw: data)
        } catch {
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
        if let entry = archive["mimetype"], entry.uncompressedSize < 200,
           let kind = try? String(decoding: part(archive, "mimetype", file: file), as: UTF8.self), kind.contains("opendocument") {
            throw InputError(file: file, "is an OpenDocument file (LibreOffice's .ods), which PeerMatch does not read; in LibreOffice Calc use File > Save As > \"Excel 2007-365 (.xlsx)\" or \"Text CSV\" with character set \"Unicode (UTF-8)\"")
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

    /// Opens the zip through a file rather than ZIPFoundation's in-memory backing: in 0.9.20 that
    /// backing traps (a negative range in `Archive.MemoryFile.readData`) when damaged headers seek
    /// past the end of the data, which a cut-short upload does; its file backing reads through
    /// stdio, where the same read comes back short and becomes an error.
    ///
    /// The file has no name anywhere (issue 15: a named one in /tmp would outlive a SIGKILL): on
    /// Linux it is an anonymous memory file (`memfd_create`), opened by ZIPFoundation as
    /// `/proc/self/fd/N` and gone when the last descriptor closes or the process dies, however it
    /// dies. Only where there is no memory file (another system, no /proc) is it a private file in
    /// the temporary folder, named as ``TemporaryName`` names ours, unlinked as soon as the archive
    /// holds it open; a killed run's one is removed by the next run that reads a workbook.
    /// `memoryFile: false` (tests) takes the temporary-file way, in `folder` (default: the temporary folder).
    static func openArchive(_ data: Data, memoryFile: Bool = true, folder: String? = nil) throws -> (archive: Archive, backing: Backing) {
        if memoryFile, let archive = try openInMemoryFile(data) { return (archive, .memoryFile) }
        return (try openThroughTemporaryFile(data, folder: folder ?? FileManager.default.temporaryDirectory.path), .temporaryFile)
    }

    enum Backing { case memoryFile, temporaryFile }

    /// `memfd_create`, looked up at run time: Swift's Glibc module does not declare it (it is a GNU
    /// extension of <sys/mman.h>); nil where the C library has none.
    private static let memfdCreate: (@convention(c) (UnsafePointer<CChar>, UInt32) -> Int32)? = {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "memfd_create") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafePointer<CChar>, UInt32) -> Int32).self)
        #else
        return nil
        #endif
    }()

    private static func writeAll(_ data: Data, to fd: Int32) -> Bool {
        data.withUnsafeBytes { raw -> Bool in
            var done = 0
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                done += n
            }
            return true
        }
    }

    /// The archive over an anonymous memory file, or nil when there is none to be had.
    private static func openInMemoryFile(_ data: Data) throws -> Archive? {
        guard let memfdCreate else { return nil }
        let fd = memfdCreate("peermatch-xlsx", 1 /* MFD_CLOEXEC */)
        guard fd >= 0 else { return nil }
        defer { close(fd) }   // ZIPFoundation's own stream keeps the memory file alive
        guard writeAll(data, to: fd) else { throw CocoaError(.fileWriteOutOfSpace) }
        let path = "/proc/self/fd/\(fd)"
        guard access(path, R_OK) == 0 else { return nil }
        return try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
    }

    private static func openThroughTemporaryFile(_ data: Data, folder: String) throws -> Archive {
        TemporaryName.cleanStale(in: folder)
        let path = folder + "/" + TemporaryName.make(for: "xlsx-import", kind: "tmp", serial: Int.random(in: 1 ... 1 << 40))
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { unlink(path) }
        let written = writeAll(data, to: fd)
        close(fd)
        guard written else { throw CocoaError(.fileWriteOutOfSpace) }
        return try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
    }

    /// One part, unpacked. ZIPFoundation reads the directory, but the bytes are fed to its
    /// inflater here, within the entry's bounds: `Archive.extract` (0.9.20) keeps asking for input
    /// past the end of a cut-short entry and loops for ever on the empty reads, and tells zlib its
    /// buffer is full when the last read was short (so zlib reads past it). This provider hands
    /// out whole buffers (zero-filled past the entry's end) and refuses to read on after it.
    static func part(_ zip: Zip, _ path: String, file: String) throws -> Data {
        guard let entry = zip[path] else { throw InputError(file: file, "the workbook is missing its part \(path); save it again from the spreadsheet program") }
        let damaged = { (why: String) in
            InputError(file: file, "the workbook's part \(path) cannot be unpacked (\(why)); open it in the spreadsheet program and save it again, or save it as CSV UTF-8")
        }
        guard entry.uncompressedSize <= partLimit else {
            throw InputError(file: file, "the workbook's part \(path) unpacks to \(entry.uncompressedSize >> 20) MiB, more than the \(partLimit >> 20) MiB PeerMatch reads")
        }
        guard let start = localData(zip.raw, name: entry.path) else { throw damaged("its local header is missing") }
        let size = Int(clamping: entry.compressedSize)
        guard size <= zip.raw.count - start else { throw damaged("the file is cut short") }
        let raw = zip.raw.subdata(in: (zip.raw.startIndex + start)..<(zip.raw.startIndex + start + size))
        var out = Data()
        let limit = Int(entry.uncompressedSize)
        if entry.isCompressed {
            struct Exhausted: Error {}
            let buffer = 32 * 1024
            do {
                let crc = try Data.decompress(size: Int64(size), bufferSize: buffer, skipCRC32: false, provider: { position, _ in
                    guard position < Int64(size) else { throw Exhausted() }
                    var chunk = raw.subdata(in: Int(position)..<min(size, Int(position) + buffer))
                    if chunk.count < buffer { chunk.append(Data(count: buffer - chunk.count)) }
                    return chunk
                }, consumer: { chunk in
                    out.append(chunk)
                    if out.count > limit { throw CocoaError(.fileReadTooLarge) }
                })
                guard out.count == limit else { throw damaged("it unpacks to \(out.count) bytes, not the \(limit) its directory says") }
                guard crc == entry.checksum else { throw damaged("its checksum does not match") }
            } catch let error as InputError { throw error } catch is Exhausted {
                throw damaged("its compressed data ends early")
            } catch {
                throw damaged("\(error)")
            }
        } else {
            guard size == limit else { throw damaged("its stored size is inconsistent") }
            out = raw
            guard out.crc32(checksum: 0) == entry.checksum else { throw damaged("its checksum does not match") }
        }
        return try utf8XML(out, path: path, file: file)
    }

    /// Where an entry's data starts: after the local file header (signature PK\3\4, 30 bytes,
    /// then the name and an extra field) that carries this name.
    static func localData(_ raw: Data, name: String) -> Int? {
        let bytes = [UInt8](raw), target = Array(name.utf8)
        var k = 0
        while k + 30 <= bytes.count {
            if bytes[k] == 0x50, bytes[k + 1] == 0x4B, bytes[k + 2] == 0x03, bytes[k + 3] == 0x04 {
                let nameLength = Int(bytes[k + 26]) | Int(bytes[k + 27]) << 8
                let extraLength = Int(bytes[k + 28]) | Int(bytes[k + 29]) << 8
                let end = k + 30 + nameLength
                if end <= bytes.count, Array(bytes[(k + 30)..<end]) == target {
                    let data = end + extraLength
                    return data <= bytes.count ? data : nil
                }
            }
            k += 1
        }
        return nil
    }

    /// The part as UTF-8, checked before XMLParser sees it: Foundation's XMLParser on Linux traps
    /// (a forced unwrap in `_NSXMLParserStartElementNs`) on a name that is not valid UTF-8, which a
    /// damaged file can hold. OOXML parts are UTF-8 or UTF-16; UTF-16 is turned into UTF-8.
    static func utf8XML(_ data: Data, path: String, file: String) throws -> Data {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            guard let text = String(data: data, encoding: .utf16) else {
                throw InputError(file: file, "the workbook's part \(path) is damaged (its UTF-16 text cannot be read); save it again from the spreadsheet program")
            }
            // The declaration would still say UTF-16 about what are now UTF-8 bytes.
            var body = Substring(text)
            if body.hasPrefix("<?xml"), let end = body.range(of: "?>") { body = body[end.upperBound...] }
            bytes = Array(body.utf8)
        }
        if TextDecoding.firstInvalidUTF8(bytes) != nil || bytes.contains(0) {
            throw InputError(file: file, "the workbook's part \(path) is damaged (it is not valid UTF-8 text); open it in the spreadsheet program and save it again, or save it as CSV UTF-8")
        }
        return Data(bytes)
    }

    /// An XMLParser that reads the part as a stream. Given the whole part at once (`XMLParser(data:)`),
    /// Foundation on Linux pushes it to libxml2 in one chunk, and libxml2 refuses a chunk over 10 MB
    /// ("huge input lookup", error 1): a sheet of 20,000 pupils is 12 MB of XML. The stream is read
    /// in small chunks, with no such limit.
    static func parser(for xml: Data) -> XMLParser { XMLParser(stream: InputStream(data: xml)) }

    /// The attributes of every element with this (qualified or local) name.
    private static func attributes(of element: String, in xml: Data, file: String) throws -> [[String: String]] {
        let collector = AttributeCollector(element: element)
        let parser = XLSXReader.parser(for: xml)
        parser.delegate = collector
        guard parser.parse() else { throw InputError(file: file, "a part of the workbook is not well-formed XML (\(parser.parserError.map { "\($0)" } ?? "unknown error")); save it again from the spreadsheet program") }
        return collector.found
    }

    /// xl/sharedStrings.xml: each `<si>` is the text of its `<t>` elements, phonetic runs left out.
    private static func sharedStrings(_ archive: Zip, file: String) throws -> [String] {
        guard let entry = archive.first(where: { $0.path.hasSuffix("sharedStrings.xml") }) else { return [] }
        let reader = SharedStringsXML()
        let parser = XLSXReader.parser(for: try part(archive, entry.path, file: file))
        parser.delegate = reader
        guard parser.parse() else { throw InputError(file: file, "the workbook's shared strings are not well-formed XML; save it again from the spreadsheet program") }
        return reader.strings
    }

    /// Which cell styles (`s` attribute, an index into cellXfs) show a number as a date or time.
    private static func dateStyles(_ archive: Zip, file: String) throws -> Set<Int> {
        guard let entry = archive.first(where: { $0.path.hasSuffix("styles.xml") }) else { return [] }
        let reader = StylesXML()
        let parser = XLSXReader.parser(for: try part(archive, entry.path, file: file))
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
        guard let x = Double(trimmed(raw)), x.isFinite else { return raw }
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
    private var inV = false, inInlineT = false, inIs = false, inPhonetic = false, badCell = false

    init(shared: [String], dateStyles: Set<Int>, date1904: Bool) {
        self.shared = shared; self.dateStyles = dateStyles; self.date1904 = date1904
    }

    func parse(_ data: Data, file: String) throws {
        let parser = XLSXReader.parser(for: data)
        parser.delegate = self
        guard parser.parse() else {
            throw InputError(file: file, "the sheet is not well-formed XML (\(parser.parserError.map { "\($0)" } ?? "unknown error")); save the workbook again from the spreadsheet program")
        }
    }

    /// "BC12" → column 55 (1-based), row 12.
    static func reference(_ r: String) -> (column: Int, row: Int)? {
        var column = 0, digits = ""
        for c in r.uppercased() {
            if let a = c.asciiValue, (65...90).contains(a), digits.isEmpty {
                column = column * 26 + Int(a) - 64
                if column > 16_384 { return nil }   // past Excel's last column, XFD
            }
            else if c.isASCII && c.isNumber { digits.append(c) }
            else if c == "$" { continue }
            else { return nil }
        }
        guard column > 0, digits.count <= 7, let row = Int(digits), row >= 1, row <= 1_048_576 else { return nil }
        return (column, row)
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch local(name) {
        case "row":
            row = attributes["r"].flatMap(Int.init) ?? row + 1
            column = 0
        case "c":
            if let r = attributes["r"] {
                guard let ref = Self.reference(r) else {
                    problems.append((row, column + 1, "the cell reference \"\(r.prefix(20))\" is not one Excel writes; save the workbook again from the spreadsheet program"))
                    column += 1; badCell = true
                    return
                }
                column = ref.column; row = ref.row
            } else { column += 1 }
            badCell = false
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
        if badCell { return }
        // openpyxl and other writers that do not calculate leave a formula's value empty (`<v/>`).
        if hasFormula && type != "str" && isBlank(value) { hasValue = false }
        guard hasValue else {
            if hasFormula {
                problems.append((row, column, "the cell holds a formula whose result was never saved (the file was written by a program that does not calculate); open the workbook in Excel or LibreOffice and save it, or paste the values"))
            }
            return
        }
        let text: String
        switch type {
        case "s":
            guard let k = Int(trimmed(value)), k >= 0, k < shared.count else {
                problems.append((row, column, "the cell refers to shared text number \(value), which the workbook does not have; save it again from the spreadsheet program"))
                return
            }
            text = shared[k]
        case "inlineStr": text = inline
        case "str": text = value
        case "b": text = trimmed(value) == "1" ? "TRUE" : "FALSE"
        case "e":
            problems.append((row, column, "the cell shows the error \(value) instead of a value; fix the formula in the spreadsheet, or clear the cell"))
            return
        case "d":
            // An ISO 8601 date cell (Strict files): keep the date, and the time when it is not midnight.
            let v = trimmed(value)
            if let t = v.firstIndex(of: "T") {
                let time = v[v.index(after: t)...].prefix(5)
                text = time == "00:00" ? String(v[..<t]) : String(v[..<t]) + " " + time
            } else { text = v }
        default:
            if dateStyles.contains(style), let x = Double(trimmed(value)), x >= 0, x < 2_958_466 {
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
