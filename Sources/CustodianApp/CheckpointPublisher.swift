import CustodianCore
import Logging
import ServiceLifecycle

/// Integrates the log into its tree and publishes a signed checkpoint, off the request path,
/// several times a second while entries arrive (SPEC §5 asks for at least once a second), and
/// once more on the way down. Each new one is also kept beside a SQLite register, where a
/// rollback is looked for at every opening.
struct CheckpointPublisher: Service {
    let ledger: any AuditLedger
    let kept: PublishedCheckpoint?
    let interval: Duration
    let logger: Logger

    func run() async throws {
        var size: Int64?
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            size = await publish(over: size)
            try? await Task.sleep(for: interval)
        }
        _ = await publish(over: size)
    }

    private func publish(over size: Int64?) async -> Int64? {
        do {
            guard let checkpoint = try await ledger.publish() else { return size }
            try kept?.keep(checkpoint, over: size)
            return checkpoint.checkpoint.size
        } catch {
            logger.error("checkpoint not published", metadata: ["error": "\(error)"])
            return size
        }
    }
}
