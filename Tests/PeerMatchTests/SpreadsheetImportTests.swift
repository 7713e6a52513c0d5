import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import PeerMatch

/// The front door: spreadsheets as schools really have them. Fixtures in Fixtures/import were
/// written by real programs' writers (make_fixtures.py says which and how).
@Suite struct SpreadsheetImportTests {
    static let fixtures = Repo.path("Tests/PeerMatchTests/Fixtures/import")
    func fixture(_ name: String) throws -> ImportFile {
        let file = try ImportFile.read(path: Self.fixtures + "/" + name)
        return ImportFile(name: name, data: file.data)
    }
    func text(_ name: String, _ s: String) -> ImportFile { ImportFile(name: name, data: Data(s.utf8)) }
    static let menteesCSV = "id,name,age\ne1,Amira,12\ne2,Ben,12\n"

    // MARK: - Encodings

    /// Seen: `line 11: malformed CSV: unicodeDecoding` for Excel's plain "CSV" on Windows.
    @Test func windows1252WithCRLFIsReadAndNamed() throws {
        let report = CSVImport.analyse(mentors: try fixture("excel-1252-mentors.csv"), mentees: try fixture("excel-1252-mentees.csv"))
        #expect(!report.hasErrors, "\(report.errors)")
        let cohort = try #require(report.cohort)
        #expect(cohort.mentors.map(\.name) == ["Zoë Brontë", "José Núñez", "Siân O’Neill", "Chloé Lefèvre", "Renée Åberg", "Dáithí Ó Sé"])
        #expect(cohort.mentees.map(\.name) == ["Amélie", "Bo", "Ciarán", "Daniëlle"])
        #expect(report.notes.contains { $0.contains("excel-1252-mentors.csv: read as Windows-1252") && $0.contains("line 2 \"Zoë\"") }, "\(report.notes)")
        #expect(report.tables[.mentors]?.rows.map(\.line) == [2, 3, 4, 5, 6, 7])
        // "chess, board games" stays one interest: the column uses ";".
        #expect(cohort.mentors[3].interests == ["chess, board games"])
        #expect(cohort.mentors[0].interests == ["football", "art"])
    }

    @Test func utf16UnicodeTextIsReadTabSeparated() throws {
        let report = CSVImport.analyse(mentors: try fixture("excel-unicode-mentors.txt"), mentees: try fixture("excel-1252-mentees.csv"))
        let cohort = try #require(report.cohort, "\(report.errors)")
        #expect(cohort.mentors.count == 6)
        #expect(cohort.mentors[2].name == "Siân O’Neill")
        #expect(cohort.mentors[0].capacity == 2)
        #expect(report.notes.contains { $0.contains("read as UTF-16") })
        #expect(report.notes.contains { $0.contains("separated by tabs") })
    }

    @Test func utf8WithAndWithoutBOMNeedsNoNote() throws {
        let bom = ImportFile(name: "bom.csv", data: Data([0xEF, 0xBB, 0xBF]) + Data("id,name,age,capacity\nm1,Zoë,15,1\n".utf8))
        let report = CSVImport.analyse(mentors: bom, mentees: text("e.csv", Self.menteesCSV))
        #expect(report.cohort?.mentors.first?.name == "Zoë")
        #expect(report.cohort?.mentors.first?.id == "m1", "the BOM is not part of the first header")
        #expect(!report.notes.contains { $0.contains("read as") })
    }

    /// Anything that is neither UTF-8 nor Windows-1252: an error at the first bad byte's line and
    /// column, saying how to save the file as CSV UTF-8.
    @Test func unreadableBytesAreAnErrorAtTheirLineAndColumn() throws {
        var bytes = Data("id,name,age\r\nm1,Jo,15\r\nm2,Ab".utf8)
        bytes.append(0x81)    // undefined in Windows-1252
        bytes.append(Data("c,14\r\n".utf8))
        let report = CSVImport.analyse(mentors: ImportFile(name: "m.csv", data: bytes), mentees: text("e.csv", Self.menteesCSV))
        let e = try #require(report.errors.first)
        #expect(report.cohort == nil)
        #expect(e.file == "m.csv" && e.line == 3 && e.column == 6, "\(e)")
        #expect(e.description.hasPrefix("m.csv: line 3, column 6: byte 0x81"), "\(e)")
        #expect(e.message.contains("CSV UTF-8"))
        // A file mixing UTF-8 and Windows-1252 is not guessed at either.
        var mixed = Data("id,name,age\nm1,Zoë,15\nm2,Jos".utf8)
        mixed.append(0xE9); mixed.append(Data(",14\n".utf8))
        let m = CSVImport.analyse(mentors: ImportFile(name: "mixed.csv", data: mixed), mentees: text("e.csv", Self.menteesCSV))
        #expect(m.errors.first?.location == "line 3, column 7", "\(m.errors)")
        #expect(m.errors.first?.message.contains("mixes two text encodings") == true)
        // UTF-16 without its byte-order mark has NUL bytes.
        let utf16 = ImportFile(name: "u.csv", data: "id,name\nm1,Jo\n".data(using: .utf16LittleEndian)!)
        #expect(CSVImport.analyse(mentors: utf16, mentees: text("e.csv", Self.menteesCSV)).errors.first?.message.contains("NUL") == true)
    }

    // MARK: - Malformed CSV

    /// Seen: a stray opening quote swallowed the next rows: 4 mentors imported instead of 6, exit 0.
    @Test func aStrayQuoteIsAnErrorWhereItOpened() throws {
        let unclosed = "id,name,age\nm1,Ann,15\nm2,Bea,15\nm3,\"Cat,15\nm4,Dee,15\nm5,Eve,15\nm6,Fay,15\n"
        let a = CSVImport.analyse(mentors: text("m.csv", unclosed), mentees: text("e.csv", Self.menteesCSV))
        #expect(a.cohort == nil)
        #expect(a.errors.map(\.location) == ["line 4, column 4"], "\(a.errors)")
        #expect(a.errors.first?.message.contains("never closed") == true)
        // Closed further down by another cell's quotes: the row count gives it away.
        let closedLater = "id,name,age,interests\nm1,Ann,15,art\nm2,Bea,15,art\nm3,\"Cat,15,art\nm4,Dee,15,art\nm5,Eve,15,\"\nm6,Fay,15,art\n"
        let b = CSVImport.analyse(mentors: text("m.csv", closedLater), mentees: text("e.csv", Self.menteesCSV))
        #expect(b.cohort == nil)
        let e = try #require(b.errors.first)
        #expect(e.line == 4, "\(b.errors)")
        #expect(e.message.contains("a quoted cell opened at line 4, column 4 and closed on line 6"), "\(e)")
        // Text after a closing quote is where it is.
        let after = "id,name,age\nm1,\"Ann\"x,15\n"
        #expect(CSVImport.analyse(mentors: text("m.csv", after), mentees: text("e.csv", Self.menteesCSV)).errors.first?.location == "line 2, column 9")
    }

    @Test func rowsWithTooManyOrTooFewCellsAreErrorsAtTheirLines() throws {
        let csv = "id,name,age\r\nm1,Ann,15\r\nm2,Smith, Bea,15\r\nm3,Cat\r\n\r\nm4,\"Dee\nDaly\",15\r\nm5,Eve,15,,,\r\n"
        let r = CSVImport.analyse(mentors: text("m.csv", csv), mentees: text("e.csv", Self.menteesCSV))
        #expect(r.errors.map(\.location) == ["line 3", "line 4"], "\(r.errors)")
        #expect(r.errors[0].message.contains("4 cells but the header (line 1) has 3"))
        #expect(r.errors[1].message.contains("2 cells but the header (line 1) has 3"))
        // Fixed: a quoted cell with a line break is one cell, and the lines after it keep their numbers.
        let fixed = csv.replacingOccurrences(of: "m2,Smith, Bea,15", with: "m2,\"Smith, Bea\",15").replacingOccurrences(of: "m3,Cat\r\n", with: "m3,Cat,16\r\n")
        let ok = CSVImport.analyse(mentors: text("m.csv", fixed), mentees: text("e.csv", Self.menteesCSV))
        #expect(!ok.hasErrors, "\(ok.errors)")
        #expect(ok.tables[.mentors]?.rows.map(\.line) == [2, 3, 4, 6, 8])
        #expect(ok.cohort?.mentors.map(\.name) == ["Ann", "Smith, Bea", "Cat", "Dee\nDaly", "Eve"])
        // An error after the multi-line cell names the right line.
        let bad = fixed.replacingOccurrences(of: "m5,Eve,15", with: "m5,Eve,fifteen")
        #expect(CSVImport.analyse(mentors: text("m.csv", bad), mentees: text("e.csv", Self.menteesCSV)).errors.first?.location == "line 8, column 3 (age)")
    }

    @Test func separatorsFromTheHeaderOrExcelsSepLine() throws {
        let semicolons = "id;name;age;interests\nm1;Ann;15,5;art\n"
        let r = try SpreadsheetReader.read(text("m.csv", semicolons))
        #expect(r.header == ["id", "name", "age", "interests"] && r.rows[0].cells == ["m1", "Ann", "15,5", "art"])
        #expect(r.notes.contains { $0.contains("semicolons") })
        let sep = try SpreadsheetReader.read(text("m.csv", "sep=;\r\nid;name\r\nm1;Ann, Jo\r\n"))
        #expect(sep.header == ["id", "name"] && sep.rows[0].cells == ["m1", "Ann, Jo"] && sep.rows[0].line == 3)
        let oldMac = try SpreadsheetReader.read(text("m.csv", "id,name\rm1,Ann\rm2,Bo\r"))
        #expect(oldMac.rows.map(\.line) == [2, 3])
    }

    // MARK: - Columns

    /// Seen: interests, needs and group columns vanished and capacity silently became 1.
    @Test func ignoredHeadersAreReportedWithSuggestions() throws {
        let mentors = "ID,Name,Age,What are your hobbies?,Max mentees,Form,Shoe size\nm1,Ann,15,chess,2,10A,5\n"
        let r = CSVImport.analyse(mentors: text("m.csv", mentors), mentees: text("e.csv", Self.menteesCSV))
        let uses = r.columns.filter { $0.role == .mentors }
        #expect(uses.map(\.field) == ["id", "name", "age", nil, nil, nil, nil])
        #expect(uses.map(\.suggestion) == [nil, nil, nil, "interests", "capacity", "group", nil])
        let warnings = r.warnings.filter { $0.file == "m.csv" }
        #expect(warnings.map(\.column) == [4, 5, 6, 7])
        #expect(warnings.map(\.header) == ["What are your hobbies?", "Max mentees", "Form", "Shoe size"])
        #expect(warnings[0].description == "m.csv: line 1, column 4 (What are your hobbies?): warning: ignored: no cohort field is called \"What are your hobbies?\"; it looks like \"interests\": map it with --columns \"What are your hobbies?=interests\" (or peermatch import --guess writes a column map to edit)")
        #expect(warnings[3].message.contains("e.g. \"5\""))
        #expect(r.notes.contains("m.csv: no capacity column, so every mentor takes at most 1 mentee"))
        // With the map, nothing is lost.
        let map = try ColumnMap.parseInline("What are your hobbies?=interests,Max mentees=capacity,Form=group,Shoe size=ignore")
        let mapped = CSVImport.analyse(mentors: text("m.csv", mentors), mentees: text("e.csv", Self.menteesCSV), options: ImportOptions(columns: map))
        #expect(mapped.warnings.isEmpty, "\(mapped.warnings)")
        let m = try #require(mapped.cohort?.mentors.first)
        #expect(m.interests == ["chess"] && m.capacity == 2 && m.group == "10A")
        // A mentee column of a mentors' field is reported, not dropped.
        let e = CSVImport.analyse(mentors: text("m.csv", mentors), mentees: text("e.csv", "id,age,capacity\ne1,12,3\n"), options: ImportOptions(columns: map))
        #expect(e.warnings.first { $0.file == "e.csv" }?.message.contains("\"capacity\" is a field of mentors only, so its 1 value is not imported") == true)
    }

    /// Seen: a duplicated header silently overwrote the first column's values.
    @Test func aDuplicatedFieldIsAnErrorNamingBothColumns() throws {
        let r = CSVImport.analyse(mentors: text("m.csv", "id,Age,name,age\nm1,15,Ann,16\n"), mentees: text("e.csv", Self.menteesCSV))
        #expect(r.cohort == nil)
        #expect(r.errors.map(\.description) == ["m.csv: line 1, column 4 (age): columns 2 (Age) and 4 (age) both give \"age\", and one would overwrite the other; delete or rename one, or map one to ignore with --columns \"age=ignore\""])
        // Two headers mapped to one field by the column map.
        let map = try ColumnMap.parseInline("Pupil=id")
        let two = CSVImport.analyse(mentors: text("m.csv", "id,Pupil,age\nm1,p1,15\n"), mentees: text("e.csv", Self.menteesCSV), options: ImportOptions(columns: map))
        #expect(two.errors.first?.message.hasPrefix("columns 1 (id) and 2 (Pupil) both give \"id\"") == true, "\(two.errors)")
    }

    @Test func anUnknownFieldInTheColumnMapIsAnError() throws {
        #expect(throws: InputError.self) { try ColumnMap.parseInline("Pupil=shoe") }
        do { _ = try ColumnMap.parseInline("Pupil ID=id,Hobbies=intrests"); Issue.record("expected an error") } catch let e as InputError {
            #expect(e.description == "--columns: Hobbies=intrests: \"intrests\" is not a cohort field (did you mean \"interests\"?); the fields are \(ColumnMap.fields.joined(separator: ", ")), or ignore")
        }
        do { _ = try ColumnMap.parse("columns:\n  Sex: { field: gendr, values: { F: female } }\n", file: "map.yaml"); Issue.record("expected an error") } catch let e as InputError {
            #expect(e.description.hasPrefix("map.yaml: $.columns[\"Sex\"].field: \"gendr\" is not a cohort field (did you mean \"gender\"?)"), "\(e)")
        }
        // A map entry for a header no file has is probably a typo.
        let r = CSVImport.analyse(mentors: text("m.csv", "id,Form\nm1,10A\n"), mentees: text("e.csv", Self.menteesCSV),
                                  options: ImportOptions(columns: try ColumnMap.parseInline("From=group")))
        #expect(r.warnings.contains { $0.file == "--columns" && $0.message.contains("no file has a column \"From\" (did you mean \"Form\"?)") }, "\(r.warnings)")
    }

    // MARK: - Lists and values

    /// Seen: Google Forms checkbox answers ("Gaming, Football") became one interest.
    @Test func googleFormsExportWithAGuessedColumnMap() throws {
        let forms = try fixture("google-forms-mentees.csv")
        let mentors = text("m.csv", "id,name,age,gender,interests,offers\nm1,Jo,14,female,art;music,maths;transition support\nm2,Sam,14,male,football;gaming,reading\n")
        // --guess writes a map that reads back and imports the form as it is.
        let yaml = try CSVImport.guessColumns([(mentors, .mentor), (forms, .mentee)])
        #expect(yaml.contains("\"Timestamp\": ignore"))
        #expect(yaml.contains("\"Which of these do you enjoy?\":    # guessed from the header: check\n    field: interests\n    separator: \", \""), "\(yaml)")
        #expect(yaml.contains("\"What gender would you like your mentor to be?\": genderPreference    # guessed from the header: check\n"), "\(yaml)")
        let map = try ColumnMap.parse(yaml, file: "guess.yaml")
        #expect(map.column(for: "Email address")?.field == "id")
        #expect(map.column(for: "What is your name?")?.field == "name")
        #expect(map.column(for: "Which year are you in?")?.field == "yearGroup")
        #expect(map.column(for: "What would you like help with?")?.field == "needs")
        let r = CSVImport.analyse(mentors: mentors, mentees: forms, options: ImportOptions(columns: map))
        let cohort = try #require(r.cohort, "\(r.errors)")
        #expect(cohort.mentees.map(\.interests) == [["Art", "Music"], ["Football"], ["Gaming", "Football", "Music"]])
        #expect(cohort.mentees.map(\.needs) == [["Transition support"], ["Maths", "Reading"], []])
        #expect(cohort.mentees.map(\.genderPreference) == [.oneOf(["female"]), .any, .same])
        #expect(cohort.mentees[0].id == "amelie@school.example" && cohort.mentees[0].yearGroup == 7)
        // Without the map's separator the import still sees the commas, and says so.
        let plain = CSVImport.analyse(mentors: mentors, mentees: forms, options: ImportOptions(columns: ColumnMap(columns: map.columns.map { var c = $0; c.separator = nil; return c })))
        #expect(plain.cohort?.mentees[2].interests == ["Gaming", "Football", "Music"])
        #expect(plain.notes.contains { $0.contains("column Which of these do you enjoy? (interests): items are separated by commas (as Google Forms writes checkbox answers)") }, "\(plain.notes)")
    }

    @Test func listSeparatorForAllOrOneColumn() throws {
        let mentors = text("m.csv", "id,age,interests,offers\nm1,15,\"art, music\",maths|reading\n")
        let all = CSVImport.analyse(mentors: mentors, mentees: text("e.csv", Self.menteesCSV), options: ImportOptions(listSeparator: "|"))
        #expect(all.cohort?.mentors[0].interests == ["art, music"] && all.cohort?.mentors[0].offers == ["maths", "reading"])
        let one = CSVImport.analyse(mentors: mentors, mentees: text("e.csv", Self.menteesCSV), options: ImportOptions(columnSeparators: ["Offers": "|"]))
        #expect(one.cohort?.mentors[0].interests == ["art", "music"] && one.cohort?.mentors[0].offers == ["maths", "reading"])
        let semicolonDefault = CSVImport.analyse(mentors: text("m.csv", "id,age,interests\nm1,15,art;music\nm2,15,\"chess, draughts\"\n"),
                                                 mentees: text("e.csv", Self.menteesCSV))
        #expect(semicolonDefault.cohort?.mentors.map(\.interests) == [["art", "music"], ["chess, draughts"]])
    }

    @Test func valueMapsInTheColumnMapFile() throws {
        let map = try ColumnMap.parse("""
            listSeparator: ";"
            columns:
              Pupil: id
              Sex:
                field: gender
                values: { F: female, M: male, "Prefer not to say": null }
              Wants:
                field: genderPreference
                values: { girl: female, boy: male, "no preference": any }
            """, file: "map.yaml")
        let mentors = text("m.csv", "Pupil,age,Sex\nm1,15,F\nm2,15,m\nm3,15,Prefer not to say\n")
        let mentees = text("e.csv", "Pupil,age,Sex,Wants\ne1,12,F,girl\ne2,12,M,No preference\n")
        let r = CSVImport.analyse(mentors: mentors, mentees: mentees, options: ImportOptions(columns: map))
        let cohort = try #require(r.cohort, "\(r.errors)")
        #expect(cohort.mentors.map(\.gender) == ["female", "male", nil])
        #expect(cohort.mentees.map(\.genderPreference) == [.oneOf(["female"]), .any])
        #expect(r.columns.first { $0.header == "Sex" && $0.role == .mentors }?.mappedCells == 3)
    }

    // MARK: - Workbooks

    @Test func xlsxFromOpenpyxlSharedStringsNumbersBooleansDatesAndSheets() throws {
        let book = try fixture("openpyxl-intake.xlsx")
        #expect(try SpreadsheetReader.sheetNames(book) == ["Notes", "Mentors", "Mentees"])
        let mentors = try SpreadsheetReader.read(book, preferred: ImportRole.mentors.sheetNames)
        #expect(mentors.sheet == "Mentors" && mentors.format == .xlsx)
        #expect(mentors.header == ["id", "name", "age", "gender", "interests", "capacity", "staff supported", "DBS checked on"])
        #expect(mentors.rows.map(\.cells) == [
            ["m1", "Zoë Brontë", "15", "female", "football; art", "2", "TRUE", "2026-07-14"],
            ["m2", "José Núñez", "14.5", "male", "music", "1", "FALSE", ""],
            ["1003", "Siân", "15", "female", "", "1", "FALSE", "2025-11-03"],
        ])
        #expect(mentors.rows.map(\.line) == [2, 3, 4])
        // One workbook for both sides: each file reads the sheet named for it; blank rows are skipped.
        let r = CSVImport.analyse(mentors: book, mentees: book)
        let cohort = try #require(r.cohort, "\(r.errors)")
        #expect(cohort.mentors.map(\.id) == ["m1", "m2", "1003"] && cohort.mentors[1].age == 14.5)
        #expect(cohort.mentees.map(\.id) == ["e1", "e2", "e3"])
        #expect(r.tables[.mentees]?.rows.map(\.line) == [2, 3, 5])
        #expect(r.notes.contains("openpyxl-intake.xlsx: read the sheet \"Mentors\" (the workbook has \"Notes\", \"Mentors\", \"Mentees\"); choose another with --sheet"))
        // Cells are named as the spreadsheet names them.
        let w = try #require(r.warnings.first { $0.header == "staff supported" })
        #expect(w.location == "row 1, column G (staff supported)" && w.file == "openpyxl-intake.xlsx [Mentors]")
        // --sheet: a missing sheet is an error naming the sheets there are.
        let missing = CSVImport.analyse(mentors: book, mentees: book, options: ImportOptions(sheets: [.mentees: "Year 7"]))
        #expect(missing.errors.map(\.description) == ["openpyxl-intake.xlsx: has no sheet \"Year 7\"; its sheets are \"Notes\", \"Mentors\", \"Mentees\""])
        let chosen = try SpreadsheetReader.read(book, sheet: "mentees")
        #expect(chosen.sheet == "Mentees")
    }

    @Test func xlsxInlineStrings1904DatesAndUncalculatedFormulas() throws {
        let inline = try SpreadsheetReader.read(try fixture("xlsxwriter-inline-mentors.xlsx"))
        #expect(inline.rows.count == 6 && inline.rows[0].cells == ["m1", "Zoë Brontë", "15", "female", "football; art", "maths", "safeguarding-trained", "2", "10A"])
        #expect(inline.rows[1].cells[6] == "", "an empty cell is empty")
        let old = try SpreadsheetReader.read(try fixture("openpyxl-1904.xlsx"))
        #expect(old.rows[0].cells == ["e1", "Amélie", "11", "2026-10-07"])
        do { _ = try SpreadsheetReader.read(try fixture("openpyxl-formula.xlsx")); Issue.record("expected an error") } catch let e as InputError {
            #expect(e.diagnostics.first?.location == "row 2, column C", "\(e)")
            #expect(e.description.contains("formula whose result was never saved"))
        }
        // Other files that are not spreadsheets PeerMatch reads.
        #expect(throws: InputError.self) { try SpreadsheetReader.read(ImportFile(name: "old.xls", data: Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]))) }
        #expect(throws: InputError.self) { try SpreadsheetReader.read(ImportFile(name: "cut.xlsx", data: Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]))) }
    }

    /// Issue 15 follow-up: the zip is read through a file with no name (Linux: an anonymous memory
    /// file), so a killed import leaves nothing behind. Where there is no memory file, a private
    /// temporary file named as ours, which the next read removes if its process was killed.
    @Test func workbookBytesGoThroughAMemoryFileOrACleanedTemporaryFile() throws {
        let book = try fixture("openpyxl-intake.xlsx").data
        #if os(Linux)
        let (archive, backing) = try XLSXReader.openArchive(book)
        #expect(backing == .memoryFile)
        #expect(archive["xl/workbook.xml"] != nil)
        #endif
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-tmp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A process that has exited: its pid names a killed run's file.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run(); gone.waitUntilExit()
        let stale = ".xlsx-import.peermatch-\(gone.processIdentifier)-7.tmp"
        FileManager.default.createFile(atPath: folder.path + "/" + stale, contents: Data("old".utf8))
        FileManager.default.createFile(atPath: folder.path + "/someone-elses.tmp", contents: Data())
        let (fallback, kind) = try XLSXReader.openArchive(book, memoryFile: false, folder: folder.path)
        #expect(kind == .temporaryFile)
        #expect(fallback["xl/workbook.xml"] != nil, "the archive reads after its file is unlinked")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["someone-elses.tmp"])
    }

    @Test func serialDatesAndNumbersAsExcelShowsThem() {
        #expect(XLSXReader.serialDate(46_302, date1904: false) == "2026-10-07")
        #expect(XLSXReader.serialDate(1, date1904: false) == "1900-01-01")
        #expect(XLSXReader.serialDate(61, date1904: false) == "1900-03-01")
        #expect(XLSXReader.serialDate(44_840, date1904: true) == "2026-10-07")
        #expect(XLSXReader.serialDate(46_302.5, date1904: false) == "2026-10-07 12:00")
        #expect(XLSXReader.numberText("15") == "15" && XLSXReader.numberText("14.5") == "14.5")
        #expect(XLSXReader.numberText("0.30000000000000004") == "0.3")
        #expect(XLSXReader.isDateFormat("dd/mm/yyyy") && XLSXReader.isDateFormat("[$-809]d mmmm yyyy"))
        #expect(!XLSXReader.isDateFormat("0.00") && !XLSXReader.isDateFormat("#,##0 \"days\"") && !XLSXReader.isDateFormat("0.00E+00"))
    }

    // MARK: - Round trip

    /// The same people as Excel's CSV and as an openpyxl workbook (committed): the same cohort.
    @Test func theSamePeopleFromCSVAndFromAWorkbook() throws {
        let csv = CSVImport.analyse(mentors: try fixture("excel-1252-mentors.csv"), mentees: try fixture("excel-1252-mentees.csv"))
        let book = try fixture("openpyxl-same-people.xlsx")
        let xlsx = CSVImport.analyse(mentors: book, mentees: book)
        let a = try #require(csv.cohort), b = try #require(xlsx.cohort, "\(xlsx.errors)")
        #expect(a == b)
        #expect(b.mentors.count == 6 && b.mentees.count == 4)
    }

    /// A cohort written to CSV and to xlsx (by openpyxl) imports back to the same cohort.
    @Test func roundTripThroughCSVAndXlsx() throws {
        let (original, mentors, mentees, exclusions) = Self.roundTripTables()
        let viaCSV = CSVImport.analyse(mentors: text("m.csv", mentors), mentees: text("e.csv", mentees), exclusions: text("x.csv", exclusions))
        #expect(viaCSV.cohort == original, "\(viaCSV.errors)")
        guard let python = ProcessInfo.processInfo.environment["PEERMATCH_TEST_PYTHON"] else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pm-rt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, body) in [("m.csv", mentors), ("e.csv", mentees), ("x.csv", exclusions)] {
            try Data(body.utf8).write(to: dir.appendingPathComponent(name))
        }
        let book = dir.appendingPathComponent("cohort.xlsx").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [Repo.path("Tests/Python/write_xlsx.py"), book] + ["Mentors=m.csv", "Mentees=e.csv", "Exclusions=x.csv"].map { spec in
            let parts = spec.split(separator: "=")
            return "\(parts[0])=\(dir.appendingPathComponent(String(parts[1])).path)"
        }
        try p.run(); p.waitUntilExit()
        try #require(p.terminationStatus == 0)
        let file = try ImportFile.read(path: book)
        let viaXlsx = CSVImport.analyse(mentors: file, mentees: file, exclusions: file)
        #expect(viaXlsx.cohort == original, "\(viaXlsx.errors)")
    }

    /// A generated cohort (lists without tie groups) and its three tables as a spreadsheet holds them.
    static func roundTripTables() -> (Cohort, String, String, String) {
        var original = CohortGenerator(mentees: 40, seed: 11).generate()
        // Ranked lists with tie groups have no spreadsheet spelling; they go through the cohort file.
        for i in original.mentors.indices { original.mentors[i].preferences = [] }
        for j in original.mentees.indices { original.mentees[j].preferences = [] }
        func table(_ people: [Person], _ role: Role) -> String {
            var rows: [[String]] = []
            for p in people {
                let pref: String
                switch p.genderPreference { case .any: pref = "any"; case .same: pref = "same"; case .oneOf(let s): pref = s.sorted().joined(separator: ";") }
                var row = [p.id.rawValue, p.name, formatNumber(p.age!), formatNumber(p.yearGroup!), p.gender ?? "", pref,
                           p.interests.joined(separator: "; "), (role == .mentor ? p.offers : p.needs).joined(separator: ";"),
                           p.qualifications.joined(separator: ";"), p.group ?? ""]
                row += role == .mentor ? [String(p.capacity)] : [p.requires.joined(separator: ";"), String(p.priority)]
                rows.append(row)
            }
            return csvText(header: ["id", "name", "age", "yearGroup", "gender", "genderPreference", "interests",
                                    role == .mentor ? "offers" : "needs", "qualifications", "group"]
                                    + (role == .mentor ? ["capacity"] : ["requires", "priority"]), rows: rows)
        }
        let x = csvText(header: ["a", "b", "reason"], rows: original.exclusions.map { [$0.a.rawValue, $0.b.rawValue, $0.reason ?? ""] })
        return (original, table(original.mentors, .mentor), table(original.mentees, .mentee), x)
    }

    // MARK: - Near misses

    /// Seen: gender "F" beside "female", a preference of "girls", and a `requires` of
    /// "safeguarding trained" that no mentor holds passed; two mentees went unmatched.
    @Test func typosAreFlaggedBeforeAnyoneIsMatched() throws {
        let mentors = text("m.csv", """
            id,name,age,gender,qualifications,interests
            m1,Ann,14,female,safeguarding-trained,football
            m2,Bea,14,female,safeguarding-trained,football
            m3,Cat,14,F,safeguarding-trained,footbal
            m4,Dan,14,male,,art

            """)
        let mentees = text("e.csv", """
            id,name,age,gender,gender preference,requires,interests
            e1,Harvey,12,male,,safeguarding trained,art
            e2,Isla,12,female,girls,,football
            e3,Jay,12,male,non-binary,,art

            """)
        let r = CSVImport.analyse(mentors: mentors, mentees: mentees)
        #expect(r.cohort == nil)
        let byCell = Dictionary(grouping: r.diagnostics.filter { $0.file != "--columns" }, by: { "\($0.file) \($0.location)" })
        #expect(byCell["e.csv line 2, column 6 (requires)"]?.map(\.description) == [
            "e.csv: line 2, column 6 (requires): \"safeguarding trained\" (required by Harvey) is held by no mentor, so Harvey cannot be matched. It is close to \"safeguarding-trained\" (3 mentors): if that is meant, write it the same way"])
        #expect(byCell["e.csv line 3, column 5 (gender preference)"]?.map(\.severity) == [.error])
        #expect(byCell["e.csv line 3, column 5 (gender preference)"]?.first?.message.contains("Isla wants a \"girls\" mentor, but no mentor's gender is \"girls\", so Isla cannot be matched. It is close to \"female\" (2 mentors)") == true)
        #expect(byCell["m.csv line 4, column 4 (gender)"]?.map(\.description) == [
            "m.csv: line 4, column 4 (gender): warning: \"f\" (Cat) is close to \"female\" (3 people) in gender: if they mean the same, write them the same way, or they will not match"])
        #expect(byCell["m.csv line 4, column 6 (interests)"]?.first?.message.hasPrefix("\"footbal\" (Cat) is close to \"football\" (3 people)") == true)
        // A wish nobody can meet that is not a typo of anything is a warning: a real shortfall.
        #expect(byCell["e.csv line 4, column 5 (gender preference)"]?.map(\.severity) == [.warning])
        #expect(byCell["e.csv line 4, column 5 (gender preference)"]?.first?.message.contains("Jay wants a \"non-binary\" mentor, and no mentor is \"non-binary\", so Jay cannot be matched") == true)
        // Every diagnostic carries its cell for a page to highlight.
        for d in r.diagnostics where d.file != "--columns" { #expect(d.line != nil && d.column != nil && d.header != nil, "\(d)") }
    }

    /// The same checks for a cohort file, at JSON paths (validate and solve read through here).
    @Test func nearMissesInACohortFile() throws {
        let json = #"{"mentors":[{"id":"m1","age":14,"qualifications":["dbs-checked"]},{"id":"m2","age":14,"qualifications":["dbs-checked"]}],"mentees":[{"id":"e1","name":"Tia","age":12,"requires":["DBS checked"]}]}"#
        let (_, diagnostics) = try CohortReader.parse(Data(json.utf8), file: "c.json")
        #expect(diagnostics.map(\.description) == ["c.json: $.mentees[0].requires: \"DBS checked\" (required by Tia) is held by no mentor, so Tia cannot be matched. It is close to \"dbs-checked\" (2 mentors): if that is meant, write it the same way"])
        // Case alone is never flagged: the rules already ignore it.
        let cased = #"{"mentors":[{"id":"m1","age":14,"interests":["Football"]}],"mentees":[{"id":"e1","age":12,"interests":["football"]}]}"#
        #expect(try CohortReader.parse(Data(cased.utf8), file: "c.json").1.isEmpty)
        // Near: spaces, hyphens, plurals, one or two letters; not: other digits, short words.
        #expect(NearMisses.near("safeguarding trained", "safeguarding-trained", genderWords: false))
        #expect(NearMisses.near("board games", "board game", genderWords: false))
        #expect(NearMisses.near("photography", "photograhpy", genderWords: false))
        #expect(NearMisses.near("gaming", "gamin", genderWords: false))
        #expect(!NearMisses.near("year 7", "year 8", genderWords: false))
        #expect(!NearMisses.near("art", "act", genderWords: false))
        #expect(!NearMisses.near("gaming", "coding", genderWords: false))
        #expect(NearMisses.near("f", "female", genderWords: true) && NearMisses.near("girls", "female", genderWords: true))
    }

    /// Every bundled example and generated cohorts have no near misses: the checks are not noise.
    @Test func examplesAndGeneratedCohortsRaiseNoNearMisses() throws {
        let folder = Repo.path("instances/examples")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder).filter({ $0.hasSuffix(".json") }).sorted() {
            let policy = name.hasPrefix("housing-first") ? try PolicyReader.resolve(Repo.path("instances/policies/adults.yaml")) : .default
            let (cohort, _) = try CohortReader.parse(try AtomicFile.read(folder + "/" + name), file: name, policy: policy)
            let findings = NearMisses.check(cohort, policy: policy).filter { $0.field != "yearGroup" && $0.field != "requires" && $0.field != "genderPreference" }
            #expect(findings.isEmpty, "\(name): \(findings.map(\.message))")
        }
        for setting in CohortGenerator.Setting.allCases {
            let cohort = CohortGenerator(setting: setting, mentees: 200, seed: 3).generate()
            let findings = NearMisses.check(cohort, policy: .default)
            #expect(findings.filter { $0.severity == .error }.isEmpty, "\(setting): \(findings.map(\.message))")
            #expect(findings.filter { ["interests", "offers", "needs", "qualifications", "gender"].contains($0.field) }.isEmpty, "\(setting): \(findings.map(\.message))")
        }
    }
}

/// What schools' spreadsheets also do: a title above the header, decimal commas, UK dates.
@Suite struct SpreadsheetHabitsTests {
    func text(_ name: String, _ s: String) -> ImportFile { ImportFile(name: name, data: Data(s.utf8)) }

    @Test func titleRowsAboveTheHeaderAreSkippedAndSaid() throws {
        // Unquoted, the title's comma makes two cells: that row is the header, and the real header a ragged row.
        #expect(throws: InputError.self) { try SpreadsheetReader.read(text("m.csv", "Year 10 mentors, autumn 2026\n\nid,name,age\nm1,Ann,15\n")) }
        let titled = try SpreadsheetReader.read(text("m.csv", "\"Year 10 mentors, autumn 2026\",,\n,,\nid,name,age\nm1,Ann,15\n"))
        #expect(titled.header == ["id", "name", "age"] && titled.headerLine == 3 && titled.rows.map(\.line) == [4])
        #expect(titled.notes == ["m.csv: the header is the first row with several columns; the title above it (line 1: \"Year 10 mentors, autumn 2026\") was skipped"])
        // A table of one column has no title rows.
        let one = try SpreadsheetReader.read(text("ids.csv", "id\nm1\nm2\n"))
        #expect(one.header == ["id"] && one.rows.count == 2)
    }

    @Test func decimalCommasAndDayFirstDates() throws {
        let setup = ImportFile(name: "setup.yaml", data: Data("""
            slots: [{ id: wed, day: wed, start: "12:40", end: "13:05" }]
            rooms: [{ id: lib, capacity: 2 }]
            term: { start: "2026-09-07", end: "2026-12-18" }
            """.utf8))
        let mentors = text("m.csv", "id;age;capacity;unavailable dates\nm1;15,5;2;\"07/10/2026; 1.12.2026\"\n")
        let mentees = text("e.csv", "id,age\ne1,12\n")
        let r = CSVImport.analyse(mentors: mentors, mentees: mentees, setup: setup)
        let cohort = try #require(r.cohort, "\(r.errors)")
        #expect(cohort.mentors[0].age == 15.5)
        #expect(cohort.mentors[0].unavailableDates.map(\.description) == ["2026-10-07", "2026-12-01"])
        #expect(r.notes.contains("m.csv: column unavailable dates: dates like 07/10/2026 were read day first, as in the UK (7 October 2026)"))
        #expect(r.notes.contains("m.csv: column age: numbers with a decimal comma (15,5) were read as 15.5"))
        #expect(CSVImport.dayFirstDate("2026/10/07") == "2026-10-07" && CSVImport.dayFirstDate("31/02/2026") == nil && CSVImport.dayFirstDate("2026-10-07") == nil)
    }
}

/// Bad input gets an error, never a crash: every fixture with random bytes changed, cut short or
/// repeated, read through the whole import.
@Suite struct SpreadsheetRobustnessTests {
    @Test func mutatedFilesAreErrorsOrTablesNeverCrashes() throws {
        let folder = SpreadsheetImportTests.fixtures
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasSuffix(".py") }.sorted()
        #expect(names.count >= 8)
        // PEERMATCH_FUZZ_SEED and PEERMATCH_FUZZ_ROUNDS make a longer run by hand.
        let env = ProcessInfo.processInfo.environment
        var rng = SeededRandom(seed: env["PEERMATCH_FUZZ_SEED"].flatMap(UInt64.init) ?? 5)
        let rounds = env["PEERMATCH_FUZZ_ROUNDS"].flatMap(Int.init) ?? 60
        var outcomes = (tables: 0, errors: 0)
        for name in names {
            let original = [UInt8](try AtomicFile.read(folder + "/" + name))
            for round in 0..<rounds {
                var bytes = original
                switch round % 4 {
                case 0: for _ in 0..<(1 + rng.int(4)) { bytes[rng.int(bytes.count)] = UInt8(rng.int(256)) }
                case 1: bytes = Array(bytes.prefix(rng.int(bytes.count)))
                case 2: let k = rng.int(bytes.count); bytes.insert(contentsOf: bytes[k..<min(bytes.count, k + 1 + rng.int(40))], at: k)
                default:
                    let a = rng.int(bytes.count), b = rng.int(bytes.count)
                    bytes.removeSubrange(min(a, b)..<max(a, b))
                }
                let file = ImportFile(name: name, data: Data(bytes))
                do {
                    let table = try SpreadsheetReader.read(file)
                    for row in table.rows { #expect(row.cells.count == table.header.count, "\(name) round \(round)") }
                    outcomes.tables += 1
                } catch let error as InputError {
                    #expect(!error.diagnostics.isEmpty && error.diagnostics.allSatisfy { $0.file.hasPrefix(name) }, "\(name) round \(round): \(error)")
                    outcomes.errors += 1
                }
                _ = CSVImport.analyse(mentors: file, mentees: file)
            }
        }
        #expect(outcomes.tables > 0 && outcomes.errors > 0)
    }
}

/// Seen while measuring: a workbook of 20,000 mentees (12 MB of sheet XML) was "not well-formed"
/// because libxml2 refuses a pushed chunk over 10 MB; the parts are now streamed.
@Suite struct LargeWorkbookTests {
    @Test func sheetXMLOverTenMegabytesParses() throws {
        let rows = (1...90_000).map { r in "<row r=\"\(r)\"><c r=\"A\(r)\" t=\"inlineStr\"><is><t>mentee number \(r) with a long name</t></is></c><c r=\"B\(r)\"><v>12</v></c></row>" }
        let data = Data(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet><sheetData>" + rows.joined() + "</sheetData></worksheet>").utf8)
        #expect(data.count > 10_500_000)
        final class Count: NSObject, XMLParserDelegate {
            var rows = 0
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
                if name == "row" { rows += 1 }
            }
        }
        let count = Count()
        let parser = XLSXReader.parser(for: data)
        parser.delegate = count
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(count.rows == 90_000)
    }

    /// End to end with a real writer: 20,000 mentees in an openpyxl workbook and as CSV, the same cohort.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PEERMATCH_TEST_PYTHON"] != nil, "needs openpyxl (PEERMATCH_TEST_PYTHON)"))
    func twentyThousandMenteesFromAWorkbook() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pm-big-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let mentors = "id,name,age,capacity\n" + (1...2_000).map { "m\($0),Mentor \($0),15,3\n" }.joined()
        let mentees = "id,name,age,interests\n" + (1...20_000).map { "e\($0),Mentee number \($0),12,art;music\n" }.joined()
        try mentors.write(to: dir.appendingPathComponent("m.csv"), atomically: true, encoding: .utf8)
        try mentees.write(to: dir.appendingPathComponent("e.csv"), atomically: true, encoding: .utf8)
        let book = dir.appendingPathComponent("big.xlsx").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.environment["PEERMATCH_TEST_PYTHON"]!)
        p.arguments = [Repo.path("Tests/Python/write_xlsx.py"), book, "Mentors=\(dir.path)/m.csv", "Mentees=\(dir.path)/e.csv"]
        try p.run(); p.waitUntilExit()
        try #require(p.terminationStatus == 0)
        let file = try ImportFile.read(path: book)
        let xlsx = CSVImport.analyse(mentors: file, mentees: file)
        let csv = CSVImport.analyse(mentors: ImportFile(name: "m.csv", data: Data(mentors.utf8)), mentees: ImportFile(name: "e.csv", data: Data(mentees.utf8)))
        let a = try #require(xlsx.cohort, "\(xlsx.errors)")
        #expect(a.mentees.count == 20_000 && a == csv.cohort)
    }
}
