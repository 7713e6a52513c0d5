import ArgumentParser
import PeerMatch

struct Candidates: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every pair that passes the hard rules, with its score breakdown (\"why not these two?\").")

    @Argument(help: "Cohort file (JSON).") var cohort: String
    @OptionGroup var policy: PolicyOption
    @Option(help: "json, csv or table.") var format: OutputFormat = .json
    @Flag(help: "Also list every rejected pair with the rules that rejected it.") var all = false
    @Option(help: "Output file (default: stdout).") var out: String?

    func run() throws {
        let policy = try policy.load()
        let cohort = try readCohort(self.cohort, policy: policy)
        let rows = CandidatesWriter.rows(cohort: cohort, policy: policy, includeRejected: all)
        try emit(CandidatesWriter.render(rows, policy: policy, format: format, cohort: cohort), to: out, inputs: [self.cohort] + self.policy.files)
    }
}
