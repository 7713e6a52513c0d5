import Foundation
import PeerMatch

/// A term's stable id, chosen by the co-ordinator ("2026-autumn"). Terms sort by start date, not
/// by id; the id only has to be unique within the scheme.
public struct TermID: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (a: TermID, b: TermID) -> Bool { a.rawValue < b.rawValue }
}

/// A staged import (``ImportDraft``), kept in the database so that a reload of the page or another
/// process sees the same draft.
public struct DraftID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { "draft \(rawValue)" }
}

/// One pair of one term, named by its people. A term has at most one live (not superseded) pair
/// per mentor and mentee, so this names it without the row id.
public struct PairRef: Hashable, Sendable, CustomStringConvertible {
    public var term: TermID
    public var mentor: PersonID
    public var mentee: PersonID
    public init(term: TermID, mentor: PersonID, mentee: PersonID) {
        self.term = term; self.mentor = mentor; self.mentee = mentee
    }
    /// "m1:e4", the form the command line takes.
    public var description: String { "\(mentor):\(mentee)" }
}

/// Who makes a change: `--by NAME` on the command line (default the login name), the name typed at
/// the page's first visit. Every audit row carries it.
public struct Actor: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public init(_ name: String) { self.name = name }
    public init(name: String) { self.name = name }
    public var description: String { name }

    /// The login name of the user running the process (`ProcessInfo.userName`), or "unknown".
    public static var login: Actor {
        let env = ProcessInfo.processInfo.environment
        let name = ProcessInfo.processInfo.userName
        if !name.isEmpty { return Actor(name) }
        return Actor(env["USER"] ?? env["LOGNAME"] ?? "unknown")
    }
}

/// A pair's life cycle: proposed → approved → active → ended, or declined; a proposal that a later
/// match run replaced before anyone approved it is superseded (kept as a record, never deleted).
public enum PairState: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Made by a match run (or a lock in an import); waiting for the co-ordinator.
    case proposed
    /// Agreed by the co-ordinator; kept by every later match run of the term.
    case approved
    /// Approved and meeting: the first held session was recorded.
    case active
    /// Finished, with a reason (``EndReason``) and a date.
    case ended
    /// Turned down: never proposed again anywhere in the scheme.
    case declined
    /// A proposal replaced by a later match run (or whose person withdrew) before approval.
    case superseded

    /// States of a pair that is still on: its people are taken for the term.
    public static let live: [PairState] = [.proposed, .approved, .active]
    /// States of a pair that happened (for rotation history and reports).
    public static let held: [PairState] = [.approved, .active, .ended]

    public static func < (a: PairState, b: PairState) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Why a match ended (the reasons co-ordinators' platforms record).
public enum EndReason: String, Sendable, Hashable, CaseIterable {
    case goalsMet = "goals-met"
    case menteeDisengaged = "mentee-disengaged"
    case mentorWithdrew = "mentor-withdrew"
    case conflict
    case safeguarding
    case movedAway = "moved-away"
    case other

    /// "goals met".
    public var label: String { rawValue.replacingOccurrences(of: "-", with: " ") }

    /// Accepts the raw value, the label or the case name, ignoring case, spaces, `-` and `_`.
    public init?(text: String) {
        let k = normalisedWord(text)
        guard let r = Self.allCases.first(where: { normalisedWord($0.rawValue) == k || normalisedWord("\($0)") == k }) else { return nil }
        self = r
    }
}

/// What happened to one planned session.
public enum SessionOutcome: String, Sendable, Hashable, CaseIterable {
    case held
    case missedByMentee = "missed-by-mentee"
    case missedByMentor = "missed-by-mentor"
    /// Called off in advance (by staff, a trip): not counted against attendance.
    case cancelled
    /// The school or venue was closed: not counted against attendance.
    case closure

    public var label: String { rawValue.replacingOccurrences(of: "-", with: " ") }

    /// Whether the session counts towards attendance (held or missed), as against one that could not happen.
    public var counts: Bool { self == .held || self == .missedByMentee || self == .missedByMentor }
    public var isMissed: Bool { self == .missedByMentee || self == .missedByMentor }

    /// Accepts the raw value, the label or the case name, ignoring case, spaces, `-` and `_`; also
    /// the register words co-ordinators use ("attended", "DNA" for did not attend, "closed").
    public init?(text: String) {
        let k = normalisedWord(text)
        if let r = Self.allCases.first(where: { normalisedWord($0.rawValue) == k || normalisedWord("\($0)") == k }) { self = r; return }
        switch k {
        case "attended", "present", "yes", "y": self = .held
        case "dna", "absent", "menteeabsent", "missedmentee": self = .missedByMentee
        case "mentorabsent", "missedmentor": self = .missedByMentor
        case "closed", "schoolclosed": self = .closure
        case "cancel", "canceled": self = .cancelled
        default: return nil
        }
    }
}

/// Lower case without spaces, `-` or `_`: how the store compares words typed by people.
func normalisedWord(_ s: String) -> String {
    s.lowercased().filter { !" -_".contains($0) }
}
