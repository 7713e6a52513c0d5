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

    @OptionGroup var limits: ReadLimitOptions

    func run() throws {
        limits.apply()
        var plan = OutputPlan(protecting: [self.cohort] + self.policy.files)
        let output = try plan.file(out, option: "--out")
        let policy = try policy.load()
        let cohort = try readCohort(self.cohort, policy: policy)
        // Streamed into the plan's temporary file (or standard output) row by row: all or none
        // as every output, without the rows in memory.
        let format = self.format, all = self.all
        plan.set(output, .stream { sink in
            try CandidatesWriter.write(cohort: cohort, policy: policy, format: format, includeRejected: all, to: &sink)
        })
        try plan.commit()
    }
}
