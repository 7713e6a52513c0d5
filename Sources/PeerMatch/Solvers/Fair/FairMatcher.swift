/// Method `fair`: the lexicographic objective of method optimal with a max–min stage inserted
/// before the total score:
/// 1. matched mentees per priority, then mentors at the soft minimum (exactly as optimal);
/// 2. the lowest pair score among matched pairs, as high as possible;
/// 3. the total score.
///
/// Solved as a threshold search with the same GLPK network model: for a threshold t, drop every
/// candidate pair scoring below t and solve the usual model. Step 1's values can only fall as t
/// rises, so a binary search over the distinct pair scores finds the largest t* that keeps them;
/// the solve at t* maximises the total among matchings whose every pair scores at least t*, and
/// its lowest pair scores exactly t* (else a higher distinct score would also keep step 1).
/// Locked pairs are always kept, so t* never exceeds the lowest locked score.
///
/// - Complexity: ⌈log₂ D⌉ + 1 solves for D distinct pair scores.
struct FairMatcher {
    let matcher: Matcher

    func solve(_ ctx: PairingContext, _ problem: MatchingProblem) -> Matcher.Outcome {
        var best = matcher.optimise(ctx, problem, stage: "fair: optimal solve")
        guard best.status != .infeasible, best.limit == nil else { return best }
        let optimalScore = problem.evaluate(best.selection).score
        best.optimalScore = optimalScore
        guard !best.selection.isEmpty else { return best }
        let target = prefix(problem.evaluate(best.selection))
        let locked = Set(problem.locked)
        let lockedFloor = problem.locked.map { problem.pairs.score[$0] }.min() ?? Int.max
        let thresholds = Array(Set(problem.pairs.score)).filter { $0 <= lockedFloor }.sorted()
        // Invariant: thresholds[lo] keeps step 1 (the current minimum does); find the last that does.
        let currentMin = best.selection.map { problem.pairs.score[$0] }.min()!
        var lo = thresholds.firstIndex(of: currentMin) ?? 0
        var hi = thresholds.count - 1
        var solves = 1
        var proven = best.status == .optimal
        // Every threshold solve shares the command's limits: when one is cut, the search stops with
        // the best matching proven so far (its lowest pair is then not proven the highest possible).
        var cut: SolveLimits.Cut? = nil
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            let t = thresholds[mid]
            let stage = "fair: threshold solve \(solves)"
            if let kind = matcher.limits.check(stage: stage) { cut = SolveLimits.Cut(kind: kind, stage: stage); break }
            let (sub, original) = problem.restricted { problem.pairs.score[$0] >= t || locked.contains($0) }
            var attempt = matcher.optimise(ctx, sub, stage: stage)
            solves += 1
            if let limit = attempt.limit { cut = limit; break }
            let reached = attempt.status != .infeasible ? prefix(sub.evaluate(attempt.selection)) : nil
            if let reached, reached == target {
                attempt.selection = attempt.selection.map { original[$0] }.sorted()
                // The restricted solve's minimum may already be above t: skip ahead.
                let m = attempt.selection.map { problem.pairs.score[$0] }.min()!
                lo = thresholds.firstIndex(of: m) ?? mid
                best = attempt
                proven = proven && attempt.status == .optimal
            } else {
                if attempt.status != .optimal && attempt.status != .infeasible { proven = false }
                hi = mid - 1
            }
        }
        best.optimalScore = optimalScore
        best.bound = nil
        if cut != nil { proven = false; best.limit = cut }
        if !proven && best.status == .optimal { best.status = .feasible }
        let minimum = best.selection.map { problem.pairs.score[$0] }.min()!
        best.stats.method += " + max–min threshold search (\(solves) solves)"
        if let cut {
            best.notes.append("method fair: \(matcher.limits.describe(cut.kind)) stopped the threshold search at \(cut.stage); the lowest pair score below is the best proven so far")
        }
        best.notes.append("method fair: the lowest pair score is \(formatNumber(Score.points(minimum))), the highest possible while matching as many mentees (by priority) as method optimal; price of fairness: \(formatNumber(Score.points(max(0, optimalScore - problem.evaluate(best.selection).score)))) points of total score against method optimal (\(formatNumber(Score.points(optimalScore))))")
        return best
    }

    /// Step 1 of the objective: matched per priority level, then mentors at the minimum.
    private func prefix(_ e: MatchingProblem.Evaluation) -> [Int] { e.matchedByLevel + [e.mentorsAtMinimum] }
}
