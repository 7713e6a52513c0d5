import Foundation
import PeerMatch
import PeerMatchStore

/// A withdrawal plan in words, person by person: what changes for each person it touches ("Harry
/// Jones: with Dan Smith → no mentor", "Dan Smith: 2 mentees → 1") and who is left without a
/// partner, so a co-ordinator reads the consequences without working them out from the pair lines.
///
/// Worked out from the plan and the term's live pairs before it: the plan's ended and dropped
/// pairs and its removed changes take a partner away, its added changes give one, its moved ones
/// keep the partner and change when or where they meet.
struct WithdrawalWords {
    /// One person's change, to show as "name: text".
    struct Line: Hashable {
        var name: String
        var text: String
    }

    var people: [Line] = []
    /// Everyone with a partner before and none after (the withdrawing person aside), with why.
    var leftWithout: [Line] = []

    init(plan: WithdrawalPlan, before: [PairRef], name: (PersonID) -> String, session: ([Session]) -> String) {
        var mentorsOf: [PersonID: Set<PersonID>] = [:]   // mentee -> mentors
        var menteesOf: [PersonID: Set<PersonID>] = [:]   // mentor -> mentees
        for p in before {
            mentorsOf[p.mentee, default: []].insert(p.mentor)
            menteesOf[p.mentor, default: []].insert(p.mentee)
        }
        var afterMentors = mentorsOf, afterMentees = menteesOf
        var touched: Set<PersonID> = [plan.person]
        func remove(_ m: PersonID, _ e: PersonID) {
            afterMentors[e]?.remove(m); afterMentees[m]?.remove(e); touched.formUnion([m, e])
        }
        for r in plan.ended + plan.dropped { remove(r.mentor, r.mentee) }
        var moved: [PersonID: [String]] = [:]
        for c in plan.changes {
            switch c.kind {
            case .removed: remove(c.mentor, c.mentee)
            case .added:
                afterMentors[c.mentee, default: []].insert(c.mentor); afterMentees[c.mentor, default: []].insert(c.mentee)
                touched.formUnion([c.mentor, c.mentee])
            case .moved:
                let text = "meets \(name(c.mentor)) \(session(c.after)) instead of \(session(c.before))"
                moved[c.mentee, default: []].append(text)
                moved[c.mentor, default: []].append("meets \(name(c.mentee)) \(session(c.after)) instead of \(session(c.before))")
                touched.formUnion([c.mentor, c.mentee])
            }
        }
        func names(_ ids: Set<PersonID>?) -> String { (ids ?? []).map(name).sorted().joined(separator: " and ") }
        func mentees(_ n: Int) -> String { n == 0 ? "no mentees" : n == 1 ? "1 mentee" : "\(n) mentees" }
        var lines: [Line] = []
        var left: [Line] = []
        for id in touched {
            let isMentor = menteesOf[id] != nil || afterMentees[id] != nil || (plan.person == id && plan.role == .mentor)
            var parts: [String] = []
            if id == plan.person { parts.append("leaves on \(Format.date(plan.date)) (\(plan.reason.label))") }
            if isMentor {
                let was = menteesOf[id] ?? [], now = id == plan.person ? [] : (afterMentees[id] ?? [])
                if was != now {
                    let gone = was.subtracting(now), new = now.subtracting(was)
                    var detail: [String] = []
                    if !gone.isEmpty { detail.append("no longer with \(names(gone))") }
                    if !new.isEmpty { detail.append("now with \(names(new))") }
                    parts.append("\(mentees(was.count)) → \(now.count == 0 ? "none" : mentees(now.count))" + (detail.isEmpty ? "" : " (\(detail.joined(separator: "; ")))"))
                    if !was.isEmpty && now.isEmpty && id != plan.person {
                        left.append(Line(name: name(id), text: "mentor, has no mentee after this (was with \(names(was)))"))
                    }
                }
            } else {
                let was = mentorsOf[id] ?? [], now = id == plan.person ? [] : (afterMentors[id] ?? [])
                if was != now {
                    parts.append((was.isEmpty ? "no mentor" : "with \(names(was))") + " → " + (now.isEmpty ? "no mentor" : "with \(names(now))"))
                    if !was.isEmpty && now.isEmpty && id != plan.person {
                        left.append(Line(name: name(id), text: "mentee, has no mentor after this (was with \(names(was))): no free mentor fits every rule"))
                    }
                }
            }
            parts += moved[id] ?? []
            if !parts.isEmpty { lines.append(Line(name: name(id), text: parts.joined(separator: "; "))) }
        }
        let order = { (a: Line, b: Line) in (a.name, a.text) < (b.name, b.text) }
        people = lines.sorted(by: order)
        leftWithout = left.sorted(by: order)
    }
}
