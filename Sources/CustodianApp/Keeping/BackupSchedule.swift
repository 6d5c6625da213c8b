import CustodianCore
import Logging
import ServiceLifecycle

/// A serving register backs itself up: into `directory`, every `interval`, the first one interval
/// after start. Each backup is logged by the register as started and finished; the operations
/// log says where it went or why it failed, never what it holds.
struct BackupSchedule: Service {
    let backups: Backups
    let directory: String
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            guard !Task.isShuttingDownGracefully, !Task.isCancelled else { return }
            do {
                let record = try await backups.take(into: directory, by: Directory.commandLine)
                logger.info("backup taken", metadata: ["backup": "\(record.name)", "entries": "\(record.entries)"])
            } catch {
                logger.error("backup failed", metadata: ["directory": "\(directory)"])
            }
        }
    }
}
