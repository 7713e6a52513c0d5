/// One weekly session of a pair: slot and room, by position in the cohort's lists.
public struct SessionIndex: Sendable, Hashable, Comparable {
    public var slot: Int
    public var room: Int
    public init(slot: Int, room: Int) { self.slot = slot; self.room = room }
    public static func < (a: SessionIndex, b: SessionIndex) -> Bool { (a.slot, a.room) < (b.slot, b.room) }
}

/// A matching with a timetable: the selected pairs and the weekly sessions of each.
public struct Timetabling: Sendable {
    /// Selected candidate-pair indices, ascending.
    public var selection: [Int]
    /// Sessions of each selected pair (same order as `selection`), sorted.
    public var sessions: [[SessionIndex]]

    public init(selection: [Int], sessions: [[SessionIndex]]) {
        let order = selection.indices.sorted { selection[$0] < selection[$1] }
        self.selection = order.map { selection[$0] }
        self.sessions = order.map { sessions[$0].sorted() }
    }

    public func sessions(ofPair p: Int) -> [SessionIndex]? {
        selection.firstIndex(of: p).map { sessions[$0] }
    }
}

/// A session the model must or may keep exactly where it is: a lock with a room, or a session of
/// the previous result when re-matching.
public struct PinnedSession: Sendable, Hashable {
    public var pair: Int
    public var session: SessionIndex
    /// Locked: always kept. Otherwise kept when possible (counted by the "kept" stage).
    public var fixed: Bool
    public init(pair: Int, session: SessionIndex, fixed: Bool) { self.pair = pair; self.session = session; self.fixed = fixed }
}
