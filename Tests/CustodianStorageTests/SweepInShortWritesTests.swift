@_spi(Storage) import CustodianCore
import CustodianStorage
import CustodianTestSupport
import Foundation
import Synchronization
import Testing

/// The register's store, watched: counts the writes made through it and runs `beforeWrite` as
/// each begins, outside any transaction, so a test can act between two of them.
final class WatchedStore: RegisterStore {
    let inner: any RegisterStore
    let beforeWrite: @Sendable (Int) async throws -> Void
    let writes = Mutex(0)

    init(inner: any RegisterStore, beforeWrite: @escaping @Sendable (Int) async throws -> Void) {
        (self.inner, self.beforeWrite) = (inner, beforeWrite)
    }

    func transaction<R: Sendable>(_ body: @Sendable (any RegisterTransaction) async throws -> R) async throws -> R {
        let n = writes.withLock {
            $0 += 1
            return $0
        }
        try await beforeWrite(n)
        return try await inner.transaction(body)
    }
    func consultation<R: Sendable>(_ body: @Sendable (any RegisterTransaction) async throws -> R) async throws -> R {
        try await inner.consultation(body)
    }
    func lookup<R: Sendable>(_ body: @Sendable (any RegisterTransaction) async throws -> R) async throws -> R {
        try await inner.lookup(body)
    }
    func log(_ entries: [AuditEntry]) async throws { try await inner.log(entries) }
}

extension GovernanceStorageTests {
    /// The sweep over London is many short writes, not one: it held SQLite's one write lock (every
    /// officer's write and every consultation's audit flush) and PostgreSQL's rows for as long as
    /// it took, minutes at a million people. Each write decides its people again on what it reads
    /// itself, so an officer's review made between two of them is what the sweep acts on.
    @Test(arguments: databases) func theSweepDecidesAFewPeopleAWriteAndActsOnWhatOfficersDidMeanwhile(_ db: TestDatabase) async throws {
        let clock = TestClock()
        try await withRegister(db, clock: clock.clock) { f in
            let r = f.register
            var included: [Inclusion] = []
            for family in ["Ashdown", "Brereton", "Cavendish"] {
                let (subject, matter, item) = try await corroborated(f, family: family)
                included.append(
                    try await r.decideInclusion(
                        try await propose(f, subject, matters: [matter], items: [item]).id, approve: true,
                        reason: "Two independent sources", by: f.hackneySPOC, for: purpose))
            }
            var victims: [SubjectID] = []
            for family in ["Dunmore", "Ellery", "Fenwick", "Garside", "Hollins"] {
                let subject = try await r.recordSubject(
                    RegisterFixture.draft(given: "Philippa", family: family, dob: "1995-02-02"), by: f.hackneyOfficer, for: purpose)
                _ = try await r.recordMatter(
                    MatterDraft(kind: "incident", reference: "CAD-\(family)", offence: nil, occurredOn: r.clock.now().day.description),
                    linking: subject.description, as: "victim", basis: "fact", by: f.hackneyOfficer, for: purpose)
                victims.append(subject)
            }
            try await f.adoptRulebook("Shorter retention for victims") { $0.retention.victimOrWitnessDays = 60 }
            // Past every review's grace and every victim's retention period.
            clock.advance(seconds: 106 * 86_400)

            let retainedMeanwhile = Mutex<[SubjectID]>([])
            let watched = WatchedStore(inner: r.store) { n in
                // After the sweep's first write and before its second: the officer reviews everyone
                // the sweep has not yet suspended.
                guard n == 2 else { return }
                for due in try await r.reviewQueue(by: f.hackneyOfficer, for: purpose) where due.inclusion.suspendedOn == nil {
                    _ = try await r.review(
                        due.inclusion.id, outcome: .retain, rationale: "Seen this week with the YOT; still active",
                        by: f.hackneyOfficer, for: purpose)
                    retainedMeanwhile.withLock { $0.append(due.inclusion.subjectID) }
                }
            }
            let sweeping = Register(store: watched, ledger: r.ledger, keyring: r.keyring, keys: r.keys, clock: r.clock, ids: r.ids)
            let outcome = try await sweeping.sweep(peoplePerWrite: 1)

            let retained = retainedMeanwhile.withLock { $0 }
            #expect(retained.count == 2, "the officer acted between the sweep's first and second writes")
            #expect(outcome.suspended.count == 1 && Set(outcome.suspended + retained) == Set(included.map(\.subjectID)))
            let queue = try await r.reviewQueue(by: f.hackneyOfficer, for: purpose)
            for person in retained {
                #expect(
                    queue.first { $0.inclusion.subjectID == person }?.inclusion.suspendedOn == nil, "suspended over a review made meanwhile"
                )
            }
            #expect(Set(outcome.retentionReviewsRaised) == Set(victims))
            // One person a write: three rescored, five raised, and the equality alerts.
            #expect(watched.writes.withLock { $0 } >= 3 + 5 + 1)
            #expect(try await r.sweep().retentionReviewsRaised.isEmpty, "the sweep raised the same reviews twice")
            try await f.ledger.publish()
            _ = try await f.ledger.verify()
        }
    }
}
