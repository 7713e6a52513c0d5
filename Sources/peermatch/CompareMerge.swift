import ArgumentParser
import Foundation
import PeerMatch

/// `peermatch compare merge`: the shards of a comparison back into its tables.
struct CompareMerge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the runs files of a sharded comparison and print its tables (the same bytes as a one-machine run).",
        discussion: "Checks that every unit is present exactly once and that all files ran the same comparison with this version of PeerMatch; names what is missing or mixed.")

    @Argument(help: "The runs files the shards wrote (--runs-out).") var files: [String]
    @Option(help: "Policy the others are compared with (default: random if listed, else the first).") var baseline: String?
    @Option(help: "Write the summary as CSV here.") var out: String?
    @Option(name: .customLong("runs-out"), help: "Write every unit, merged, as one runs CSV here.") var runsOut: String?
    @Option(help: "Write the chart (SVG) here.") var svg: String?

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give the runs files of every shard") }
    }

    func run() throws {
        var problems: [Diagnostic] = []
        for path in [out, svg, runsOut].compactMap({ $0 }) {
            do { try AtomicFile.check(path, protecting: files) } catch let error as InputError { problems += error.diagnostics }
        }
        if !problems.isEmpty { throw InputError(problems) }
        let comparison = try ComparisonMerge.merge(paths: files)
        if let baseline, !comparison.policyNames.contains(baseline) {
            throw ValidationError("--baseline \"\(baseline)\" is not one of the comparison's policies (\(comparison.policyNames.joined(separator: ", ")))")
        }
        if let runsOut { try AtomicFile.write(comparison.runsCSV(), to: runsOut, protecting: files) }
        try CompareOutputs(out: out, svg: svg, baseline: baseline).write(comparison, protecting: files)
    }
}
