import CustodianCore
import Synchronization

/// Group commit for the audit log: entries from concurrent consultations wait together and are
/// written in one transaction with one flush. While one batch commits, the next gathers; every
/// caller resumes only once its own entries are durable, or with the error that stopped them.
actor GroupCommit {
    let driver: any SQLDriver
    let discard: Bool
    private var waiting: [(entries: [AuditEntry], done: CheckedContinuation<Void, any Error>)] = []
    private var flushing = false

    init(driver: any SQLDriver, discard: Bool) {
        self.driver = driver
        self.discard = discard
    }

    func append(_ entries: [AuditEntry]) async throws {
        guard !entries.isEmpty, !discard else { return }
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            waiting.append((entries, done))
            if !flushing {
                flushing = true
                Task { await self.flush() }
            }
        }
    }

    private func flush() async {
        while !waiting.isEmpty {
            let batch = waiting
            waiting.removeAll(keepingCapacity: true)
            let entries = batch.flatMap(\.entries)
            do {
                try await driver.transaction { db in try await AuditLogSQL(db: db).append(entries) }
                for caller in batch { caller.done.resume() }
            } catch {
                for caller in batch { caller.done.resume(throwing: error) }
            }
        }
        flushing = false
    }
}

/// The audit entries a consultation appends, held until the read is done.
final class AuditCollector: Sendable {
    private let gathered = Mutex<[AuditEntry]>([])
    func add(_ entries: [AuditEntry]) { gathered.withLock { $0 += entries } }
    var entries: [AuditEntry] { gathered.withLock { $0 } }
}
