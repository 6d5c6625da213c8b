import CustodianStorage
import CustodianTestSupport
import Foundation
import Testing

/// On PostgreSQL one server at a time holds a register's audit log: a second is refused at start,
/// told who holds it, and gets it once the first lets go or its session ends, however it ended.
/// Another register on the same server (its own schema) is not held up.
@Suite struct AppenderLeaseTests {
    static var postgres: String? { TestDatabase.available.lazy.compactMap { if case .postgres(let url) = $0 { url } else { nil } }.first }

    @Test(.enabled(if: postgres != nil)) func aSecondServerIsRefusedNamingTheFirstUntilItLetsGo() async throws {
        let url = try #require(Self.postgres)
        let (first, drop) = try await PostgresDriver.scratchSchema(url: url, prefix: "lease_")
        let second = try PostgresDriver(url: first.url, maximumConnections: 2)
        let (elsewhere, dropElsewhere) = try await PostgresDriver.scratchSchema(url: url, prefix: "lease_")

        let held = try await PostgresAppenderLease.acquire(first, holder: "custodian serve, process 4242 on test-host")
        do {
            let stolen = try await PostgresAppenderLease.acquire(second, holder: "custodian serve, process 4343 on test-host")
            await stolen.releaseLease()
            Issue.record("a second server took the log's lease")
        } catch {
            let said = "\(error)"
            #expect(said.contains("held by custodian serve, process 4242 on test-host connected from"), "\(said)")
            #expect(said.contains("one server appends to a log at a time"), "\(said)")
        }
        let other = try await PostgresAppenderLease.acquire(elsewhere, holder: "custodian serve, another register")
        await other.releaseLease()

        await held.releaseLease()
        let next = try await PostgresAppenderLease.acquire(second, holder: "custodian serve, process 4343 on test-host")
        await next.releaseLease()

        // A server that ends without letting go: its session ends and the lease with it.
        let (dying, dropDying) = try await PostgresDriver.scratchSchema(url: url, prefix: "lease_")
        let abandoned = try PostgresDriver(url: dying.url, maximumConnections: 2)
        _ = try await PostgresAppenderLease.acquire(abandoned, holder: "custodian serve, about to die")
        try await abandoned.close()
        var taken = false
        for _ in 0..<50 where !taken {
            if let lease = try? await PostgresAppenderLease.acquire(dying, holder: "custodian serve, after") {
                await lease.releaseLease()
                taken = true
            } else {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        #expect(taken, "the lease outlived the session that held it")

        try await second.close()
        try await dropDying()
        try await dropElsewhere()
        try await drop()
    }
}
