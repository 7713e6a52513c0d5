import Foundation
import PeerMatch

extension SchemeStore {
    /// The cohort a match of `term` would solve, as a cohort file (`CohortWriter`'s JSON): its
    /// people, exclusions, kept pairs as locks and earlier terms' pairs as history. With the term's
    /// policy, `peermatch solve` on it gives the store's proposals: a way to check a run by hand,
    /// to share a case (redacted or not), and the benchmark's peer.
    public func cohortFile(term: TermID) throws -> (cohort: JSONValue, policy: String) {
        try read { db in
            let built = try TermCohort.build(db, store: self, term: term)
            return (CohortWriter.json(built.cohort), built.policyText)
        }
    }
}
