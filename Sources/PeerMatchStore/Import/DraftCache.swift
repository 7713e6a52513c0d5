import Foundation
import PeerMatch

/// Analysed import drafts, each for the store revision it was analysed at: a draft is shown again
/// from memory only while the store is at that revision (every write bumps it, an edit of the
/// draft as much as a change to its term), so what the page shows is never older than the file.
/// Bounded: the few drafts looked at last.
final class DraftCache: @unchecked Sendable {
    static let capacity = 4
    private let lock = NSLock()
    private var entries: [(id: DraftID, revision: Int, draft: ImportDraft)] = []
    private var hitCount = 0

    func lookup(_ id: DraftID, revision: Int) -> ImportDraft? {
        lock.withLock {
            guard let e = entries.first(where: { $0.id == id && $0.revision == revision }) else { return nil }
            hitCount += 1
            return e.draft
        }
    }

    func keep(_ draft: ImportDraft, revision: Int) {
        lock.withLock {
            entries.removeAll { $0.id == draft.id }
            entries.append((draft.id, revision, draft))
            if entries.count > Self.capacity { entries.removeFirst(entries.count - Self.capacity) }
        }
    }

    var hits: Int { lock.withLock { hitCount } }
}

extension SchemeStore {
    /// How many draft views were answered from memory (for tests).
    public var draftCacheHits: Int { draftCache.hits }
}
