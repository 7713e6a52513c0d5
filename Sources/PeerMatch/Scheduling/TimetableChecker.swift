/// Checks a timetable given by ids against every hard rule, for callers that edit a timetable
/// outside a solve (the scheme store moves a session or swaps two mentees). It is the same check
/// every solver's timetable goes through (``Verifier`` for the pairs, `TimetableRules` for the
/// sessions), so an edit is held to exactly the rules a solve is.
public struct TimetableChecker: Sendable {
    let ctx: PairingContext
    let problem: MatchingProblem
    let tctx: TimetableContext

    /// Builds the cohort's candidate pairs and timetable facts once, for many checks.
    public init(cohort: Cohort, policy: Policy) throws {
        var unlocked = cohort
        unlocked.locked = []
        (ctx, problem) = try Matcher(policy: policy).problem(for: unlocked)
        tctx = TimetableContext(cohort: unlocked, policy: policy)
    }

    /// One pair and its weekly sessions (slot and room ids).
    public struct Meeting: Sendable, Hashable {
        public var mentor: PersonID
        public var mentee: PersonID
        public var sessions: [Session]
        public init(mentor: PersonID, mentee: PersonID, sessions: [Session]) {
            self.mentor = mentor; self.mentee = mentee; self.sessions = sessions
        }
    }

    /// Everything wrong with these meetings taken together (empty when they keep every rule): a
    /// pair a hard rule forbids, a mentee with two mentors, a mentor over capacity, an unknown
    /// slot or room, a person not free, a room not free, too small or without a needed feature,
    /// someone in two places at once.
    public func violations(_ meetings: [Meeting]) -> [String] {
        var problems: [String] = []
        var selection: [Int] = []
        var sessions: [[SessionIndex]] = []
        for m in meetings {
            guard let i = ctx.mentorIndex[m.mentor], let j = ctx.menteeIndex[m.mentee] else {
                problems.append("(\(m.mentor), \(m.mentee)) is not a mentor and a mentee of this cohort"); continue
            }
            guard let p = problem.pairs.index(mentor: i, mentee: j) else {
                let rules = HardRules.violations(mentor: i, mentee: j, in: ctx)
                problems.append("(\(m.mentor), \(m.mentee)) breaks " + (rules.map { "\($0.id): \($0.rejection(mentor: i, mentee: j, in: ctx))" }.first ?? "a hard rule"))
                continue
            }
            var list: [SessionIndex] = []
            for s in m.sessions {
                guard let slot = tctx.slotIndex[s.slot] else { problems.append("unknown slot \"\(s.slot)\""); continue }
                guard let room = tctx.roomIndex[s.room] else { problems.append("unknown room \"\(s.room)\""); continue }
                list.append(SessionIndex(slot: slot, room: room))
            }
            selection.append(p)
            sessions.append(list)
        }
        guard problems.isEmpty else { return problems }
        // Locks and a hard minimum concern the matching as a whole, which an edit of sessions does not change.
        problems += problem.violations(selection).filter { !$0.contains("locked") && !$0.contains("below the minimum") }
        if tctx.slotCount > 0 {
            problems += TimetableRules.violations(Timetabling(selection: selection, sessions: sessions), problem, tctx)
        }
        return problems
    }

    /// The meetings of `others` that a change to `changed` can bear on: those with one of its
    /// mentors or mentees, and those with a session in one of its rooms at the same or an
    /// overlapping slot (a slot or room the cohort does not know counts as touching).
    ///
    /// Every rule above concerns one meeting, one person's meetings, or one room at slots that
    /// overlap, and none that a timetable breaks is kept by adding a meeting to it. So when
    /// `others` keep every rule on their own (`violations(others)` is empty), `changed` with all
    /// of `others` keeps every rule exactly when `changed` with these does: a move or a swap can
    /// be checked against a few meetings instead of the whole term's (`TimetableCheckerTests`
    /// checks the two agree on random timetables).
    public func meetings(_ others: [Meeting], touching changed: [Meeting]) -> [Meeting] {
        let mentors = Set(changed.map(\.mentor)), mentees = Set(changed.map(\.mentee))
        let slots = tctx.setup.slots
        let places = changed.flatMap(\.sessions).map { (session: $0, slot: tctx.slotIndex[$0.slot].map { slots[$0] }) }
        func near(_ s: Session) -> Bool {
            places.contains { p in
                guard p.session.room == s.room else { return false }
                guard p.session.slot != s.slot, let a = p.slot, let b = tctx.slotIndex[s.slot] else { return true }
                return a.overlaps(slots[b])
            }
        }
        return others.filter { mentors.contains($0.mentor) || mentees.contains($0.mentee) || $0.sessions.contains(where: near) }
    }
}
