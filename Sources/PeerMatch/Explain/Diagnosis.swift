/// Plain-language reasons why a hard mentor minimum cannot hold.
enum Diagnosis {
    /// Checks that need no solver; returns the reasons when infeasibility is certain.
    static func provenInfeasible(_ problem: MatchingProblem, _ ctx: PairingContext) -> [String]? {
        guard problem.hasHardMinimum else { return nil }
        let reasons = explainInfeasible(problem, ctx, onlyCertain: true)
        return reasons.isEmpty ? nil : reasons
    }

    static func explainInfeasible(_ problem: MatchingProblem, _ ctx: PairingContext, onlyCertain: Bool = false) -> [String] {
        var out: [String] = []
        let n = ctx.policy.mentorMinimum.count
        let counts = problem.pairs.pairCountsByMentor()
        for i in 0..<problem.mentorCount where counts[i] < problem.minimum[i] {
            let m = ctx.mentor(i)
            out.append("\(m.name) (\(m.id)) can be paired with only \(counts[i]) mentee\(counts[i] == 1 ? "" : "s") under the hard rules, but the policy requires \(problem.minimum[i]) (mentorMinimum \(n), hard)")
        }
        let need = problem.minimum.reduce(0, +)
        let reachable = (0..<problem.menteeCount).filter { !problem.pairs.pairs(ofMentee: $0).isEmpty }.count
        if need > reachable {
            out.append("mentors need at least \(need) mentees between them, but only \(reachable) mentees have a compatible mentor")
        }
        if !onlyCertain && out.isEmpty {
            out.append("no matching gives every mentor at least \(n) mentee\(n == 1 ? "" : "s") while keeping each mentee with one mentor: the mentors' compatible mentees overlap too much (try a soft mentorMinimum, or check the locks)")
        }
        return out
    }
}
