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
    /// Where this process's last flush ended: the next sequence number unless someone else has
    /// appended since (then the primary key refuses it, and the flush reads the table and retries).
    private var next: Int64?
    /// Flushes made and entries they wrote, since this store was made.
    private nonisolated let flushes = Atomic<Int>(0)
    private nonisolated let flushed = Atomic<Int>(0)
    nonisolated var counts: AuditFlushCounts {
        AuditFlushCounts(flushes: flushes.load(ordering: .relaxed), entries: flushed.load(ordering: .relaxed))
    }

    init(driver: any SQLDriver, discard: Bool) {
        self.driver = driver
        self.discard = discard
    }

    func append(_ entries: [AuditEntry]) async throws {
        guard !entries.isEmpty, !discard else { return }
        let start = ContinuousClock.now
        defer { AuditMetrics.waited(since: start) }
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
            // Callers just resumed by the last flush are about to append again: letting them in
            // first (until no more arrive, a few turns at most) makes one full flush where there
            // would be a small one and then a large one.
            var seen = 0
            for _ in 0..<4 where waiting.count != seen {
                seen = waiting.count
                await Task.yield()
            }
            let batch = waiting
            waiting.removeAll(keepingCapacity: true)
            let entries = batch.flatMap(\.entries)
            do {
                next = try await write(entries)
                flushes.add(1, ordering: .relaxed)
                flushed.add(entries.count, ordering: .relaxed)
                for caller in batch { caller.done.resume() }
                AuditMetrics.flushed(entries)
                // After the callers have their answer: they need not wait for it.
                if let sqlite = driver as? SQLiteDriver { await sqlite.checkpointIfDue() }
            } catch {
                next = nil
                for caller in batch { caller.done.resume(throwing: error) }
            }
        }
        flushing = false
    }

    /// Writes `entries` durably and returns the sequence number after them.
    private func write(_ entries: [AuditEntry]) async throws -> Int64 {
        if let sqlite = driver as? SQLiteDriver, let end = try await sqlite.appendLog(entries) { return end }
        if let guess = next {
            do {
                if let postgres = driver as? PostgresDriver {
                    try await postgres.appendLog(entries, from: guess)
                } else {
                    try await driver.transaction { db in try await AuditLogSQL(db: db).append(entries, from: guess) }
                }
                return guess + Int64(entries.count)
            } catch {
                next = nil  // taken meanwhile (or the write failed): once more, reading where the log ends
            }
        }
        let written = try await driver.transaction { db in try await AuditLogSQL(db: db).append(entries) }
        return written.last.map { $0.sequence + 1 } ?? 0
    }
}

/// How many flushes a store's group commit has made, and how many entries they wrote.
public struct AuditFlushCounts: Sendable, Equatable {
    public var flushes: Int
    public var entries: Int
}

/// The audit entries a transaction has logged, held until its read is done or it commits.
final class AuditCollector: Sendable {
    private let gathered = Mutex<[AuditEntry]>([])
    func add(_ entries: [AuditEntry]) { gathered.withLock { $0 += entries } }
    var entries: [AuditEntry] { gathered.withLock { $0 } }
}
