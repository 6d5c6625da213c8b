public import CustodianCore
public import Logging
public import ServiceLifecycle

/// Runs the register's daily sweep (suspensions past a review's grace, forced removal reviews)
/// beside the HTTP server: at start, then every `interval`. The sweep reads "today" from the
/// register's clock, so tests move time and watch the service act.
public struct ReviewSweeper: Service {
    let register: Register
    let interval: Duration
    let logger: Logger

    public init(register: Register, interval: Duration, logger: Logger) {
        (self.register, self.interval, self.logger) = (register, interval, logger)
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let started = ContinuousClock.now
            do {
                let outcome = try await register.sweep()
                KeepingMetrics.sweep(
                    succeeded: true, examined: outcome.examined, suspended: outcome.suspended.count,
                    forced: outcome.removalReviewsForced.count, since: started)
                if !outcome.suspended.isEmpty || !outcome.removalReviewsForced.isEmpty || outcome.rescored != [] {
                    logger.info(
                        "review sweep",
                        metadata: [
                            "examined": "\(outcome.examined)", "suspended": "\(outcome.suspended.count)",
                            "removal-reviews": "\(outcome.removalReviewsForced.count)",
                            "rescored": outcome.rescored.map { "\($0.count)" } ?? "none: no DPIA in force",
                        ])
                }
            } catch {
                KeepingMetrics.sweep(succeeded: false, examined: 0, suspended: 0, forced: 0, since: started)
                logger.error("review sweep failed", metadata: ["error": "\(error)"])
            }
            // A long wait must not hold up shutdown: it ends when shutdown begins.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
