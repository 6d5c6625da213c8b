import CustodianCore
import CustodianStorage
import CustodianTestSupport
import Foundation
import SQLKit
import Synchronization
import Testing

/// A register write's audit entries go into the log as the write commits, not where the use case
/// logged them. On PostgreSQL appending takes the log's sequence lock, held until the transaction
/// ends, and every consultation's entry waits for it; a long write (the nightly sweep over London,
/// a large import, a breach's scoping) that logged early held every consultation in the register
/// until it ended. On SQLite the one write lock is the transaction's own, so consultations' flushes
/// wait for any write there whatever it logs: that is why long work there runs in short writes.
@Suite struct AuditAtCommitTests {
    static let databases = TestDatabase.available
    static let postgres = TestDatabase.available.filter(\.isPostgres)

    func entry(_ f: RegisterFixture, _ action: UseCase) -> AuditEntry {
        AuditEntry(
            at: Timestamp(microseconds: 1_790_000_000_000_000), operation: .consultation, action: action, actor: f.analyst,
            purpose: RegisterFixture.purpose, subjects: [IdentifierSource.v7.next()])
    }

    func actions(_ f: RegisterFixture) async throws -> [String] {
        try await f.store.driver.read { db in
            try await db.select().column("entry").from("audit_log").orderBy("seq").all().map {
                try CanonicalEntry.decode(try $0.decode(column: "entry", as: Data.self)).entry.action
            }
        }
    }

    /// A write that has logged and not yet committed holds no consultation back: the consultation's
    /// entry is durable and answered while the write is still open, and the write's entry follows
    /// it in the log when the write commits.
    @Test(arguments: postgres) func aConsultationIsAnsweredWhileAWriteThatHasLoggedIsStillOpen(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let store = SQLRegisterStore(driver: f.store.driver)
            let (logged, hasLogged) = AsyncStream<Void>.makeStream()
            let (release, released) = AsyncStream<Void>.makeStream()
            let writer = Task {
                try await store.transaction { tx in
                    try await tx.appendAudit([entry(f, .batchRecord)])
                    hasLogged.yield()
                    for await _ in release { break }
                }
            }
            for await _ in logged { break }
            let answered = Mutex(false)
            let consultation = Task {
                try await store.consultation { tx in try await tx.appendAudit([entry(f, .subjectRead)]) }
                answered.withLock { $0 = true }
            }
            // Up to ten seconds for an append that takes milliseconds: only a held lock is that slow.
            for _ in 0..<1000 where !answered.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
            #expect(answered.withLock { $0 }, "the consultation waited for a write that had logged early")
            released.yield()
            try await writer.value
            try await consultation.value
            #expect(try await actions(f).suffix(2) == ["subject.read", "batch.record"])
            try await f.ledger.publish()
            #expect(try await f.ledger.verify().entries == Int64(try await actions(f).count))
        }
    }

    /// Logging at commit keeps a write all or nothing: a write that fails after its use case
    /// logged leaves none of its entries, and the log goes on without a gap.
    @Test(arguments: databases) func aWriteThatFailsAfterLoggingLeavesNoneOfItsEntries(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let store = SQLRegisterStore(driver: f.store.driver)
            let before = try await actions(f)
            struct Abandoned: Error {}
            await #expect(throws: Abandoned.self) {
                try await store.transaction { tx in
                    try await tx.appendAudit([entry(f, .matterCreate), entry(f, .matterCreate)])
                    throw Abandoned()
                }
            }
            #expect(try await actions(f) == before)
            try await store.transaction { tx in
                try await tx.appendAudit([entry(f, .subjectSearch)])
                try await tx.appendAudit([entry(f, .subjectList)])
            }
            #expect(try await actions(f) == before + ["subject.search", "subject.list"])
            try await f.ledger.publish()
            #expect(try await f.ledger.verify().entries == Int64(before.count + 2))
        }
    }

    /// A lookup is a read the use case promised not to log in; an entry there is refused, not
    /// dropped, so an entry can never be lost by being written from the wrong kind of read.
    @Test(arguments: databases) func anEntryLoggedInALookupIsRefusedNotDropped(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let store = SQLRegisterStore(driver: f.store.driver)
            let before = try await actions(f)
            await #expect(throws: (any Error).self) {
                try await store.lookup { tx in try await tx.appendAudit([entry(f, .matterRead)]) }
            }
            #expect(try await actions(f) == before)
        }
    }
}
