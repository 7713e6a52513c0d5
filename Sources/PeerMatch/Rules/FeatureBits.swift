/// A small fixed-width bit set of vocabulary indices.
///
/// Written by hand rather than using swift-collections' `BitSet` because pair scoring runs over
/// millions of pairs and needs an allocation-free intersection count (`BitSet.intersection`
/// allocates a new set each call).
struct FeatureBits: Sendable, Hashable {
    private(set) var words: [UInt64]

    init(indices: [Int], width: Int) {
        words = Array(repeating: 0, count: max(1, (width + 63) / 64))
        for i in indices { words[i >> 6] |= 1 << UInt64(i & 63) }
    }

    var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }
    var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    /// |self ∩ other|, without allocating.
    func intersectionCount(_ other: FeatureBits) -> Int {
        var n = 0
        for i in 0..<min(words.count, other.words.count) { n += (words[i] & other.words[i]).nonzeroBitCount }
        return n
    }

    /// self ⊆ other.
    func isSubset(of other: FeatureBits) -> Bool {
        for i in 0..<words.count {
            let o = i < other.words.count ? other.words[i] : 0
            if words[i] & ~o != 0 { return false }
        }
        return true
    }
}

/// Case- and space-insensitive key for list items ("Football " and "football" are the same interest).
func normalisedKey(_ s: String) -> String {
    // Fast path (most keys): ASCII, no capitals, no space at either end: already normalised.
    // Foundation's trimming is slow enough to dominate cohorts of 50,000 people.
    let bytes = s.utf8
    if let first = bytes.first, let last = bytes.last, first > 32, last > 32,
       bytes.allSatisfy({ $0 < 128 && !(65...90).contains($0) }) {
        return s
    }
    return s.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
}

import Foundation
