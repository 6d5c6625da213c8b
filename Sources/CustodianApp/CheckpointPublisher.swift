import CustodianCore
import Logging
import ServiceLifecycle

/// Integrates the log into its tree and publishes a signed checkpoint, off the request path,
/// several times a second while entries arrive (SPEC §5 asks for at least once a second), and
/// once more on the way down.
struct CheckpointPublisher: Service {
    let ledger: any AuditLedger
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await publish()
            try? await Task.sleep(for: interval)
        }
        await publish()
    }

    private func publish() async {
        do { try await ledger.publish() } catch { logger.error("checkpoint not published", metadata: ["error": "\(error)"]) }
    }
}
