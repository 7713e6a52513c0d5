/// A small fixed-width bit set of vocabulary indices.
///
/// Written by hand rather than using swift-collections' `BitSet` because pair scoring runs over
/// millions of pairs and needs an allocation-free intersection count (`BitSet.intersection`
/// allocates a new set each call). The first 128 indices live inline, so the common vocabularies
/// (tens of interests or skills) never touch the heap: no pointer chasing and no reference
/// counting in the per-pair loop. Wider vocabularies keep the indices from 128 on in `rest`.
struct FeatureBits: Sendable, Hashable {
    private(set) var w0: UInt64 = 0
    private(set) var w1: UInt64 = 0
    /// Indices from 128 on, 64 to a word; nil when the vocabulary has at most 128 items (all sets
    /// of one vocabulary have the same width, so two sets compared have the same shape).
    private(set) var rest: [UInt64]? = nil

    init(indices: [Int], width: Int) {
        if width > 128 { rest = Array(repeating: 0, count: (width - 128 + 63) / 64) }
        for i in indices {
            switch i {
            case ..<64: w0 |= 1 << UInt64(i)
            case ..<128: w1 |= 1 << UInt64(i - 64)
            default: rest![(i - 128) >> 6] |= 1 << UInt64(i & 63)
            }
        }
    }

    var count: Int {
        w0.nonzeroBitCount + w1.nonzeroBitCount + (rest?.reduce(0) { $0 + $1.nonzeroBitCount } ?? 0)
    }
    var isEmpty: Bool { w0 == 0 && w1 == 0 && (rest?.allSatisfy { $0 == 0 } ?? true) }

    /// |self ∩ other|, without allocating.
    @inline(__always)
    func intersectionCount(_ other: FeatureBits) -> Int {
        let n = (w0 & other.w0).nonzeroBitCount + (w1 & other.w1).nonzeroBitCount
        guard let rest, let o = other.rest else { return n }
        return n + Self.wideIntersectionCount(rest, o)
    }

    /// self ⊆ other.
    @inline(__always)
    func isSubset(of other: FeatureBits) -> Bool {
        guard w0 & ~other.w0 == 0, w1 & ~other.w1 == 0 else { return false }
        guard let rest else { return true }
        return Self.wideIsSubset(rest, other.rest ?? [])
    }

    private static func wideIntersectionCount(_ a: [UInt64], _ b: [UInt64]) -> Int {
        var n = 0
        for k in 0..<min(a.count, b.count) { n += (a[k] & b[k]).nonzeroBitCount }
        return n
    }

    private static func wideIsSubset(_ a: [UInt64], _ b: [UInt64]) -> Bool {
        for k in a.indices where a[k] & ~(k < b.count ? b[k] : 0) != 0 { return false }
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
