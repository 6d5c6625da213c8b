@testable import CustodianStorage
import CustodianTestSupport
import Foundation
import PostgresNIO
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

extension AppenderLeaseTests {
    /// The session holding the lease ends under a running server (the database restarted, the
    /// cluster failed over): the server says the lease is lost and takes it again by itself. If
    /// another server took it meanwhile, the first names it and waits until it lets go.
    @Test(.enabled(if: postgres != nil)) func aLeaseWhoseSessionEndsIsTakenAgain() async throws {
        let url = try #require(Self.postgres)
        let (driver, drop) = try await PostgresDriver.scratchSchema(url: url, prefix: "lease_")
        let rival = try PostgresDriver(url: driver.url, maximumConnections: 2)
        let lease = try await PostgresAppenderLease.acquire(driver, holder: "custodian serve, process 5151 on test-host")
        #expect(lease.state == .held)

        // The rival waits where the lease is, so it takes it in the moment the session ends.
        try await driver.terminateSessions(named: "custodian serve, process 5151 on test-host")
        var rivalLease: PostgresAppenderLease?
        for _ in 0..<100 where rivalLease == nil {
            rivalLease = try? await PostgresAppenderLease.acquire(rival, holder: "custodian serve, process 5252 on test-host")
            if rivalLease == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        let taken = try #require(rivalLease, "no one could take the lease after its session ended")
        try await Self.wait(for: lease, "held by custodian serve, process 5252 on test-host")
        #expect(lease.state != .held)

        await taken.releaseLease()
        try await Self.wait(for: lease, nil)
        #expect(lease.state == .held)

        // Ended again with no rival: taken again within seconds.
        try await driver.terminateSessions(named: "custodian serve, process 5151 on test-host")
        try await Self.wait(for: lease, "the session holding the lease ended")
        try await Self.wait(for: lease, nil)
        #expect(lease.state == .held)
        await lease.releaseLease()
        try await rival.close()
        try await drop()
    }

    /// Waits until the lease is lost for a reason saying `saying`, or with nil until it is held.
    static func wait(for lease: PostgresAppenderLease, _ saying: String?) async throws {
        for _ in 0..<100 {
            switch (lease.state, saying) {
            case (.held, nil): return
            case (.lost(let why), let saying?) where why.contains(saying): return
            default: try await Task.sleep(for: .milliseconds(100))
            }
        }
        Issue.record("the lease stayed \(lease.state), waiting for \(saying ?? "it to be held")")
    }
}

extension PostgresDriver {
    /// Ends every session that named itself `name`, as a database restart would.
    func terminateSessions(named name: String) async throws {
        let rows = try await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = \(name)")
        for try await _ in rows.decode(Bool.self) {}
    }
}
