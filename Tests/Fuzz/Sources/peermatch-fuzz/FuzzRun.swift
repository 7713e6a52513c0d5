import Foundation
import PeerMatch

/// The fuzz targets' cases (shared by FuzzTargets.swift in Tests/Fuzz and, through a symbolic
/// link, by the regression tests in Tests/PeerMatchTests, which replay committed findings).
enum FuzzTarget: String, CaseIterable {
    case cohort, policy, csv, xlsx, previous, setup, columns
}

/// What each target does with one input (shared with the regression tests, which replay the
/// committed findings through the same code).
enum FuzzRun {
    static func one(_ target: FuzzTarget, _ data: Data) {
        switch target {
        case .cohort:
            // Read and validate; a cohort that reads cleanly must write and read back the same.
            guard let (cohort, diagnostics) = try? CohortReader.parse(data, file: "fuzz.json"),
                  !diagnostics.contains(where: { $0.severity == .error }) else { return }
            let written = CohortWriter.json(cohort).rendered()
            guard let (again, problems) = try? CohortReader.parse(Data(written.utf8), file: "rewritten.json"),
                  !problems.contains(where: { $0.severity == .error }) else {
                fatalError("a cohort that read cleanly did not read back after writing:\n\(written)")
            }
            if CohortWriter.json(again).rendered() != written { fatalError("writing is not a fixed point:\n\(written)") }
        case .policy:
            _ = try? PolicyReader.parse(data: data, file: "fuzz")
            _ = try? PolicyReader.parse(data: data, file: "fuzz.yaml")
        case .csv:
            let file = ImportFile(name: "fuzz.csv", data: data)
            _ = try? SpreadsheetReader.read(file)
            _ = CSVImport.analyse(mentors: file, mentees: file, options: ImportOptions(), policy: .default)
        case .xlsx:
            let file = ImportFile(name: "fuzz.xlsx", data: data)
            _ = try? SpreadsheetReader.sheetNames(file)
            _ = try? SpreadsheetReader.read(file)
        case .previous:
            _ = try? PreviousResult.parse(data, file: "fuzz.json")
        case .setup:
            let people = ImportFile(name: "people.csv", data: Data("id,age,availability\nm1,14,a\ne1,12,a\n".utf8))
            _ = CSVImport.analyse(mentors: people, mentees: people, setup: ImportFile(name: "fuzz.yaml", data: data),
                                  options: ImportOptions(), policy: .default)
        case .columns:
            _ = try? ColumnMap.parse(data: data, file: "fuzz.yaml")
        }
    }
}
