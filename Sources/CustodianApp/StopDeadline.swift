import Foundation
import Logging

/// A stop always ends. On SIGTERM the server drains its requests; after `StopDeadline.drain` what
/// is left is cancelled, and if something still has not ended by `StopDeadline.end` (seen: a
/// query whose connection died in a failover, which PostgresNIO never finishes and does not
/// cancel), the process ends itself, saying so, rather than wait for a supervisor's SIGKILL. The
/// requests left were never answered, so nothing they did went unlogged.
enum StopDeadline {
    static let drain: Duration = .seconds(15)
    static let end: Duration = .seconds(25)

    /// Starts the clock when the stop begins.
    static func start(logger: Logger) {
        Task.detached {
            try? await Task.sleep(for: end)
            logger.error(
                "stopping: requests still unfinished \(end.components.seconds) s after the stop began; ending the process without them")
            exit(0)
        }
    }
}
