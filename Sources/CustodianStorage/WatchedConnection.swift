import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit

/// A pooled connection's statements, each ended with an error once the connection has closed
/// under it. PostgresNIO can leave a statement whose connection closed mid-flight waiting for
/// ever (seen in the failover test: `kill -9` on the cluster's leader left reads and an audit
/// append on closed connections that never finished); an append that never finishes holds up
/// every append after it, so the register would never answer again. The connection is looked at
/// once a second while a statement runs, never on the statement's own path.
struct WatchedConnection: SQLDatabase {
    let connection: PostgresConnection
    let inner: any SQLDatabase
    let pool: String

    init(_ connection: PostgresConnection, logger: Logger, pool: String) {
        self.connection = connection
        self.inner = connection.sql(logger: logger)
        self.pool = pool
    }

    var logger: Logger { inner.logger }
    var eventLoop: any EventLoop { inner.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { inner.version }
    var dialect: any SQLDialect { inner.dialect }
    var queryLogLevel: Logger.Level? { inner.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        Self.watch(inner.execute(sql: query, onRow), on: connection, pool: pool)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await execute(sql: query, onRow).get()
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    /// `running`, or an error once `connection` has closed and `running` has still not finished.
    static func watch<T: Sendable>(_ running: EventLoopFuture<T>, on connection: PostgresConnection, pool: String)
        -> EventLoopFuture<T>
    {
        let loop = connection.eventLoop
        let answer = loop.makePromise(of: T.self)
        let check = loop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { check in
            guard connection.isClosed else { return }
            check.cancel()
            PoolMetrics.statementLost(pool: pool)
            answer.fail(StoreError.connectionLost)
        }
        running.hop(to: loop).whenComplete { result in
            check.cancel()
            answer.completeWith(result)
        }
        return answer.futureResult
    }
}
