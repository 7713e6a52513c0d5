import Foundation
import PeerMatch

/// The fuzz targets' cases (shared by FuzzTargets.swift in Tests/Fuzz and, through a symbolic
/// link, by the regression tests in Tests/PeerMatchTests, which replay committed findings).
enum FuzzTarget: String, CaseIterable {
    case cohort, policy, csv, xlsx, previous, setup, columns
}

/// How a reader ended on one input. `read` and `refused` are the two acceptable ends; anything
/// else is a finding: an error that is not an `InputError` (a `DecodingError` leaking to the
/// user, say), a diagnostic that names no file, or a cohort that does not survive being
/// written and read back. Traps, crashes, hangs and allocations past the limit end the process
/// and are caught by libFuzzer itself.
enum FuzzOutcome: Equatable, CustomStringConvertible {
    case read
    /// Refused with located diagnostics (every one names its file).
    case refused(String)
    case finding(String)

    var description: String {
        switch self {
        case .read: "read"
        case .refused(let why): "refused: \(why)"
        case .finding(let why): "FINDING: \(why)"
        }
    }
}

/// What each target does with one input (shared with the regression tests, which replay the
/// committed findings through the same code).
enum FuzzRun {
    /// For libFuzzer: a finding that does not crash by itself is made to, so that libFuzzer
    /// saves the input.
    static func one(_ target: FuzzTarget, _ data: Data) {
        if case .finding(let why) = outcome(target, data) { fatalError(why) }
    }

    static func outcome(_ target: FuzzTarget, _ data: Data) -> FuzzOutcome {
        do {
            return try run(target, data)
        } catch let error as InputError {
            if let nameless = error.diagnostics.first(where: { $0.file.isEmpty }) {
                return .finding("a diagnostic names no file: \(nameless)")
            }
            return .refused(error.description)
        } catch {
            return .finding("an error that is not an InputError reached the user: \(type(of: error)): \(error)")
        }
    }

    /// Diagnostics returned (not thrown) must name their file too.
    private static func located(_ diagnostics: [Diagnostic]) -> FuzzOutcome {
        if let nameless = diagnostics.first(where: { $0.file.isEmpty }) { return .finding("a diagnostic names no file: \(nameless)") }
        let errors = diagnostics.filter { $0.severity == .error }
        return errors.isEmpty ? .read : .refused(errors.map(\.description).joined(separator: "\n"))
    }

    private static func run(_ target: FuzzTarget, _ data: Data) throws -> FuzzOutcome {
        switch target {
        case .cohort:
            // Read and validate; a cohort that reads cleanly must write and read back the same.
            let (cohort, diagnostics) = try CohortReader.parse(data, file: "fuzz.json")
            let outcome = located(diagnostics)
            guard outcome == .read else { return outcome }
            let written = CohortWriter.json(cohort).rendered()
            guard let (again, problems) = try? CohortReader.parse(Data(written.utf8), file: "rewritten.json"),
                  !problems.contains(where: { $0.severity == .error }) else {
                return .finding("a cohort that read cleanly did not read back after writing:\n\(written)")
            }
            if CohortWriter.json(again).rendered() != written { return .finding("writing is not a fixed point:\n\(written)") }
            return .read
        case .policy:
            // The same bytes as JSON-or-YAML (no extension) and as YAML.
            var refusals: [String] = []
            for file in ["fuzz", "fuzz.yaml"] {
                do { _ = try PolicyReader.parse(data: data, file: file) } catch let error as InputError {
                    if error.diagnostics.contains(where: { $0.file.isEmpty }) { return .finding("a diagnostic names no file: \(error)") }
                    refusals.append(error.description)
                }
            }
            return refusals.isEmpty ? .read : .refused(refusals.joined(separator: "\n"))
        case .csv:
            // The fuzzed sheet as the mentees beside a fixed mentors sheet, then the other way round.
            let file = ImportFile(name: "fuzz.csv", data: data)
            _ = try SpreadsheetReader.read(file)
            let mentors = ImportFile(name: "mentors.csv", data: Data("id,age\nfixed-m1,15\n".utf8))
            let mentees = ImportFile(name: "mentees.csv", data: Data("id,age\nfixed-e1,12\n".utf8))
            let asMentees = located(CSVImport.analyse(mentors: mentors, mentees: file, options: ImportOptions(), policy: .default).diagnostics)
            if case .finding = asMentees { return asMentees }
            let asMentors = located(CSVImport.analyse(mentors: file, mentees: mentees, options: ImportOptions(), policy: .default).diagnostics)
            return asMentees == .read ? asMentors : asMentees
        case .xlsx:
            let file = ImportFile(name: "fuzz.xlsx", data: data)
            _ = try SpreadsheetReader.sheetNames(file)
            _ = try SpreadsheetReader.read(file)
            return .read
        case .previous:
            _ = try PreviousResult.parse(data, file: "fuzz.json")
            return .read
        case .setup:
            // People available in the seeds' slots, so that a setup that reads reaches the timetable checks.
            let mentors = ImportFile(name: "mentors.csv", data: Data("id,age,availability\nm1,14,wed-lunch; fri-am\n".utf8))
            let mentees = ImportFile(name: "mentees.csv", data: Data("id,age,availability\ne1,12,wed-lunch\n".utf8))
            return located(CSVImport.analyse(mentors: mentors, mentees: mentees, setup: ImportFile(name: "fuzz.yaml", data: data),
                                             options: ImportOptions(), policy: .default).diagnostics)
        case .columns:
            _ = try ColumnMap.parse(data: data, file: "fuzz.yaml")
            return .read
        }
    }
}
