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
        let rows = CandidatesWriter.rows(cohort: cohort, policy: policy, includeRejected: all)
        plan.set(output, text: CandidatesWriter.render(rows, policy: policy, format: format, cohort: cohort))
        try plan.commit()
    }
}
