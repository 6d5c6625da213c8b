import Foundation

/// Timed runs of one arm of a benchmark, in milliseconds, sorted; and their median and p99.
struct BenchTiming {
    let sorted: [Double]

    static func run(_ runs: Int, _ body: () async throws -> Void) async throws -> BenchTiming {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            try await body()
            times.append(seconds(since: start) * 1000)
        }
        return BenchTiming(sorted: times.sorted())
    }

    var median: Double { sorted.isEmpty ? 0 : sorted[sorted.count / 2] }
    var p99: Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, sorted.count * 99 / 100)] }
}

/// Seconds since `start`, never zero, so a rate divided by it stays finite.
func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return max(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18, 1e-9)
}

/// CPU time this process has used so far, every thread, user and system.
func processCPUSeconds() -> Double {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
