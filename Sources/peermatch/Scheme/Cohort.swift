import ArgumentParser
import Foundation
import PeerMatchStore

struct SchemeCohort: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cohort",
        abstract: "The cohort file a match of the term would solve (people, exclusions, kept pairs, history), for peermatch solve.")

    @Argument(help: "The term (default: the term with the latest start).") var term: String?
    @Option(help: "Output file (default: stdout); written readable by you only.") var out: String?
    @Option(name: .customLong("policy-out"), help: "Also write the term's policy to this file.") var policyOut: String?
    @OptionGroup var scheme: SchemeFileOptions

    func run() throws {
        let store = try scheme.open()
        let (cohort, policy) = try store.cohortFile(term: try term.map { TermID($0) } ?? store.latestTerm())
        if let policyOut { try writeOutput(policy, to: policyOut, store: store) }
        try writeOutput(cohort.rendered(), to: out, store: store)
    }
}
