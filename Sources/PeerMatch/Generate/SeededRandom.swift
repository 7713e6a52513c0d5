/// SplitMix64: a tiny, fast, seedable generator whose sequence is the same on every platform and
/// Swift version. Written by hand because the standard library's generator cannot be seeded and
/// "same seed, same file" is a promise of `peermatch generate`.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<n without modulo bias (Lemire's method via the standard library).
    public mutating func int(_ n: Int) -> Int { Int.random(in: 0..<n, using: &self) }
    public mutating func double() -> Double { Double.random(in: 0..<1, using: &self) }
    public mutating func chance(_ p: Double) -> Bool { double() < p }
    public mutating func int(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    public mutating func double(in range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &self) }

    /// Index drawn with probability proportional to `weights`.
    public mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var x = double() * total
        for (i, w) in weights.enumerated() {
            x -= w
            if x < 0 { return i }
        }
        return weights.count - 1
    }

    /// `k` distinct indices, each drawn with probability proportional to `weights`.
    public mutating func distinctWeighted(_ k: Int, _ weights: [Double]) -> [Int] {
        var w = weights, out: [Int] = []
        for _ in 0..<min(k, w.count) {
            let i = weighted(w)
            out.append(i); w[i] = 0
        }
        return out
    }

    /// `k` distinct indices in 0..<n, uniformly, in increasing order (Floyd's algorithm: O(k²), no O(n) array).
    public mutating func distinctUniform(_ k: Int, _ n: Int) -> [Int] {
        var out: [Int] = []
        for m in max(0, n - k)..<n {
            let t = int(m + 1)
            out.append(out.contains(t) ? m : t)
        }
        return out.sorted()
    }

    /// Fisher–Yates, written out so that the order depends only on this generator's sequence.
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, int(i + 1))
        }
    }
}
