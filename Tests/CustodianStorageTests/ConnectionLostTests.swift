@testable import CustodianStorage
import CustodianTestSupport
import Foundation
import NIOConcurrencyHelpers
import PostgresNIO
import SQLKit
import Testing

/// A statement whose connection closes under it ends with an error within seconds, whatever
/// PostgresNIO does with it: one left waiting would hold up its caller for ever, and an audit
/// append left waiting holds up every append after it (the failover test found both).
@Suite struct ConnectionLostTests {
    static var postgres: String? { AppenderLeaseTests.postgres }

    @Test(.enabled(if: postgres != nil)) func aStatementWhoseSessionEndsFailsPromptly() async throws {
        let url = try #require(Self.postgres)
        let (driver, drop) = try await PostgresDriver.scratchSchema(url: url, prefix: "lost_")
        let started = ContinuousClock.now
        let reading = Task {
            try await driver.read { db in try await db.raw("SELECT pg_sleep(60) AS slept").run() }
        }
        var ended = false
        for _ in 0..<50 where !ended {
            try await Task.sleep(for: .milliseconds(100))
            let rows = try await driver.client.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60) AS slept' AND pid <> pg_backend_pid()"
            )
            for try await terminated in rows.decode(Bool.self) { ended = ended || terminated }
        }
        #expect(ended, "the statement never reached the server")
        await #expect(throws: (any Error).self) { try await reading.value }
        #expect(
            ContinuousClock.now - started < .seconds(10), "the read waited \(ContinuousClock.now - started) for a session that had ended")

        // The pool goes on with a new connection.
        let one = try await driver.read { db in try await db.raw("SELECT 1 AS one").first()?.decode(column: "one", as: Int.self) }
        #expect(one == 1)
        try await drop()
    }

    /// The watch itself, on a statement that never finishes (as PostgresNIO left some in the
    /// failover test): once its connection closes, it ends with `connectionLost` within seconds.
    @Test(.enabled(if: postgres != nil)) func aStatementLeftWaitingOnAClosedConnectionIsEnded() async throws {
        let url = try #require(Self.postgres)
        let (driver, drop) = try await PostgresDriver.scratchSchema(url: url, prefix: "lost_")
        try await driver.client.withConnection { connection in
            let never = connection.eventLoop.makePromise(of: Void.self)
            let lostBefore = TestMetrics.value("custodian_db_statements_lost_total{pool=\"watch-test\"}")
            let watched = WatchedConnection.watch(never.futureResult, on: connection, pool: "watch-test")
            let ended = NIOLockedValueBox(false)
            watched.whenComplete { _ in ended.withLockedValue { $0 = true } }
            try await Task.sleep(for: .milliseconds(1500))
            #expect(!ended.withLockedValue { $0 }, "the watch ended a statement on an open connection")
            try await connection.close()
            for _ in 0..<30 where !ended.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(100)) }
            #expect(ended.withLockedValue { $0 }, "a statement on a closed connection was left waiting 3 s")
            never.succeed(())
            #expect(TestMetrics.value("custodian_db_statements_lost_total{pool=\"watch-test\"}") == lostBefore + 1)
            await #expect {
                try await watched.get()
            } throws: { error in
                if case StoreError.connectionLost = error { true } else { false }
            }
        }
        try await drop()
    }

    /// The pool's use as `/metrics` shows it: each lease's wait counted, connections in use while
    /// work holds them and none after.
    @Test(.enabled(if: postgres != nil)) func aPoolsUseIsCounted() async throws {
        let url = try #require(Self.postgres)
        _ = TestMetrics.registry
        let (scratch, drop) = try await PostgresDriver.scratchSchema(url: url, prefix: "pool_")
        let driver = try PostgresDriver(url: scratch.url, maximumConnections: 2, pool: "metrics-test")
        let waits = "custodian_db_connection_wait_seconds_count{pool=\"metrics-test\"}"
        let inUse = "custodian_db_connections_in_use{pool=\"metrics-test\"}"
        for _ in 0..<5 { _ = try await driver.read { db in try await db.raw("SELECT 1 AS one").all() } }
        #expect(TestMetrics.value(waits) == 5)
        let during = try await driver.read { _ in TestMetrics.value(inUse) }
        #expect(during == 1)
        #expect(TestMetrics.value(inUse) == 0)
        try await driver.close()
        try await drop()
    }
}
