/// SplitMix64: a small, fast, seedable generator, so the same seed gives the same demo people
/// and a randomised test's failure can be replayed from its seed. Not for anything secret.
public struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

    public mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }

    /// Picks by weight: `[("a", 3), ("b", 1)]` gives "a" three times as often.
    public mutating func weighted<T>(_ items: [(T, Double)]) -> T {
        var x = Double.random(in: 0..<items.reduce(0) { $0 + $1.1 }, using: &self)
        for (item, weight) in items {
            if x < weight { return item }
            x -= weight
        }
        return items[items.count - 1].0
    }
}
