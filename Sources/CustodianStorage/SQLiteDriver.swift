import Foundation
public import Logging
import NIOPosix
public import SQLKit
import SQLiteKit
import SQLiteNIO

/// SQLite allows one writer at a time, so one connection owned by an actor serves every
/// transaction in turn. WAL keeps readers of the file (backups, the sqlite3 tool) unblocked.
public actor SQLiteDriver: SQLDriver {
    private let connection: SQLiteConnection
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Opens (creating if needed) the database file at `path`, or an in-memory database for ":memory:".
    public static func open(path: String, logger: Logger = Logger(label: "custodian.sqlite")) async throws -> SQLiteDriver {
        let storage: SQLiteConnection.Storage = path == ":memory:" ? .memory : .file(path: path)
        let connection = try await SQLiteConnection.open(storage: storage, threadPool: .singleton, logger: logger,
                                                          on: MultiThreadedEventLoopGroup.singleton.any())
        let db = connection.sql()
        for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000", "PRAGMA synchronous=FULL"] {
            try await db.raw(SQLQueryString(pragma)).run()
        }
        return SQLiteDriver(connection: connection)
    }

    private init(connection: SQLiteConnection) { self.connection = connection }

    public func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        await acquire()
        defer { release() }
        let db = connection.sql()
        try await db.raw("BEGIN IMMEDIATE").run()
        do {
            let result = try await body(db)
            try await db.raw("COMMIT").run()
            return result
        } catch {
            try? await db.raw("ROLLBACK").run()
            throw error
        }
    }

    public func close() async throws { try await connection.close() }

    // The actor alone does not serialise: it is re-entered at every await inside a transaction.
    private func acquire() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
