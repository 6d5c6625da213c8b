import Foundation
import Logging
import PostgresNIO

/// One server appends to a PostgreSQL register's audit log at a time. Each append already holds a
/// transaction's lock and a number taken twice fails the primary key, but two servers would each
/// publish checkpoints from their own idea of the log and race each other's migrations; the
/// second is refused at start instead, naming the first. The lease is a session's advisory lock,
/// keyed by the register's schema, held on a connection kept for the server's life; PostgreSQL
/// frees it when that session ends, however the server ends.
public final class PostgresAppenderLease: Sendable {
    /// The first half of the lock's two-part key: the log (s.62); the second is the schema's hash.
    static let lockSpace: Int32 = 62
    private let release: AsyncStream<Void>.Continuation
    private let holding: Task<Void, Never>

    private init(release: AsyncStream<Void>.Continuation, holding: Task<Void, Never>) {
        self.release = release
        self.holding = holding
    }

    /// Takes the lease on the log `driver` writes to, or throws naming the session that holds it.
    /// `holder` is how this process is named to the next one refused (`custodian serve, process 42 on host`).
    public static func acquire(_ driver: PostgresDriver, holder: String) async throws -> PostgresAppenderLease {
        let (released, release) = AsyncStream<Void>.makeStream()
        let (taken, answer) = AsyncStream<Result<Void, any Error>>.makeStream()
        let logger = driver.logger
        let holding = Task {
            do {
                try await driver.client.withConnection { connection in
                    _ = try await connection.query(
                        "SELECT set_config('application_name', \(String(holder.prefix(63))), false)", logger: logger)
                    let rows = try await connection.query(
                        "SELECT pg_try_advisory_lock(\(lockSpace), hashtext(current_schema())) AS taken", logger: logger)
                    var got = false
                    for try await (value) in rows.decode(Bool.self) { got = value }
                    guard got else {
                        answer.yield(.failure(StoreError.heldElsewhere(try await describeHolder(connection, logger))))
                        return
                    }
                    answer.yield(.success(()))
                    // Held until released, or until the session ends under it (the database
                    // restarted): then PostgreSQL has freed the lock already and there is nothing
                    // to give back on a connection that is gone.
                    connection.closeFuture.whenComplete { _ in release.yield() }
                    for await _ in released { break }
                    guard !connection.isClosed else { return }
                    _ = try? await connection.query(
                        "SELECT pg_advisory_unlock(\(lockSpace), hashtext(current_schema()))", logger: logger)
                    _ = try? await connection.query("SELECT set_config('application_name', '', false)", logger: logger)
                }
            } catch {
                answer.yield(.failure(error))
            }
            answer.finish()
        }
        for await result in taken {
            try result.get()
            return PostgresAppenderLease(release: release, holding: holding)
        }
        throw StoreError.refusedWrite("the audit log's lease was neither taken nor refused")
    }

    /// Who holds the lease, as PostgreSQL knows the session: the name it gave, where from, since when.
    private static func describeHolder(_ connection: PostgresConnection, _ logger: Logger) async throws -> String {
        let rows = try await connection.query(
            """
            SELECT coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'a local socket'), to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid = \(unescaped: String(lockSpace)) AND l.objsubid = 2
              AND l.objid = (SELECT hashtext(current_schema())::oid) AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """, logger: logger)
        var holder = "another session"
        for try await (name, address, since) in rows.decode((String, String, String).self) {
            holder = "\(name.isEmpty ? "a session" : name) connected from \(address) since \(since) UTC"
        }
        return "this register's audit log is held by \(holder): one server appends to a log at a time, "
            + "so it cannot fork; stop that one first"
    }

    /// Gives the lease up and returns its connection to the pool.
    public func releaseLease() async {
        release.yield()
        release.finish()
        await holding.value
    }
}
