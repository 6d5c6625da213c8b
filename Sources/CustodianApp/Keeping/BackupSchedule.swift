import CustodianCore
import Logging
import ServiceLifecycle

/// A serving register backs itself up every `interval`, the first one interval after start: a
/// SQLite register into `directory`, a PostgreSQL one through pgBackRest. Each backup is logged by the register as started and finished; the operations
/// log says where it went or why it failed, never what it holds.
struct BackupSchedule: Service {
    let backups: Backups
    let directory: String?
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            guard !Task.isShuttingDownGracefully, !Task.isCancelled else { return }
            let started = ContinuousClock.now
            do {
                let record = try await backups.take(into: directory, by: Directory.commandLine)
                KeepingMetrics.backup(
                    succeeded: true, entries: record.entries, since: started, at: Double(record.takenAt.microseconds) / 1_000_000)
                logger.info("backup taken", metadata: ["backup": "\(record.name)", "entries": "\(record.entries)"])
            } catch {
                KeepingMetrics.backup(succeeded: false, entries: nil, since: started, at: 0)
                logger.error("backup failed", metadata: ["directory": "\(directory ?? "pgBackRest")", "error": "\(error)"])
            }
        }
    }
}
