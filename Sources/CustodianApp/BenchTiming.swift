import Foundation

/// Timed runs of one arm of a benchmark, in milliseconds, sorted; and their median and p99.
struct BenchTiming {
    let sorted: [Double]

    static func run(_ runs: Int, _ body: () async throws -> Void) async throws -> BenchTiming {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            try await body()
            let elapsed = ContinuousClock.now - start
            times.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        return BenchTiming(sorted: times.sorted())
    }

    var median: Double { sorted.isEmpty ? 0 : sorted[sorted.count / 2] }
    var p99: Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, sorted.count * 99 / 100)] }
}
