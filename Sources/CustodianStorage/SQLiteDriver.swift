import CustodianCore
import Foundation
public import Logging
import NIOPosix
public import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization

/// SQLite allows one writer at a time, so one connection serves every write transaction in turn.
/// WAL lets readers go on beside it: consultations use their own read-only handles
/// (`SQLiteDirectReader`), so a group commit's flush never holds up a read. `:memory:` and a key
/// store have one connection for everything.
public final class SQLiteDriver: SQLDriver {
    private let writer: Lane
    private let readers: [Lane]
    private let writerConnection: SQLiteConnection
    private let readerHandles: [SQLiteDirectReader]
    private let turn = Turn()
    private let writerThread: NIOThreadPool
    /// The group commit's own handle on the file (none in memory or for a key store).
    private let appender: SQLiteLogAppender?
    /// The file, for readers that open their own handle on it (nil in memory).
    let path: String?
    /// How much the write-ahead log may grow before a checkpoint empties it.
    private let checkpointEvery: Int64
    /// The write-ahead log's size at which the next checkpoint is tried.
    private let checkpointDue: Mutex<Int64>

    /// A consultation holds its reader for the whole read, key unwraps and decryption between
    /// statements included, so readers, not cores, bounded consultations: with two, a quarter of
    /// the two cores sat idle. Four gave 35-45% more consultations a second on 2 cores (audited
    /// and not, `custodian-bench audit`); eight gave no more. (Measured when reads went through
    /// SQLiteNIO, each statement a hop between threads.)
    public static let readerCount = 4

    /// Opens (creating if needed) the database file at `path`, or an in-memory database for ":memory:".
    /// A key store (`forKeys`) keeps no write-ahead log and overwrites what it deletes, so a
    /// destroyed key leaves no bytes behind in the file; it needs no separate readers.
    /// `checkpointEvery` is SQLite's own default, about a thousand pages.
    public static func open(
        path: String, forKeys: Bool = false, checkpointEvery: Int64 = 4 << 20, logger: Logger = Logger(label: "custodian.sqlite")
    ) async throws -> SQLiteDriver {
        // The writer's statements run on a thread of their own: on the shared pool a group
        // commit's flush queued behind every read in flight, and each consultation waited for it.
        let writerThread = NIOThreadPool(numberOfThreads: 1)
        writerThread.start()
        var writer: SQLiteConnection?
        var readers: [SQLiteDirectReader] = []
        do {
            let storage: SQLiteConnection.Storage = path == ":memory:" ? .memory : .file(path: path)
            let connection = try await SQLiteConnection.open(
                storage: storage, threadPool: writerThread, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
            writer = connection
            let db = connection.sql()
            let journal = forKeys ? ["PRAGMA journal_mode=DELETE", "PRAGMA secure_delete=ON"] : ["PRAGMA journal_mode=WAL"]
            for pragma in journal + ["PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000", "PRAGMA synchronous=FULL"] {
                try await db.raw(SQLQueryString(pragma)).run()
            }
            if !forKeys && path != ":memory:" {
                // The driver checkpoints (`checkpointIfDue`): SQLite's passive ones starve under load.
                try await db.raw("PRAGMA wal_autocheckpoint=0").run()
                for _ in 0..<readerCount { readers.append(try SQLiteDirectReader(path: path)) }
            }
            let appender = readers.isEmpty ? nil : try SQLiteLogAppender(path: path)
            return SQLiteDriver(
                writer: connection, readers: readers, writerThread: writerThread, appender: appender,
                path: path == ":memory:" ? nil : path, checkpointEvery: checkpointEvery)
        } catch {
            // Nothing half-open is left behind: the handles made so far and the writer's thread.
            for reader in readers { reader.close() }
            try? await writer?.close()
            try? await writerThread.shutdownGracefully()
            throw error
        }
    }

    private init(
        writer: SQLiteConnection, readers: [SQLiteDirectReader], writerThread: NIOThreadPool, appender: SQLiteLogAppender?, path: String?,
        checkpointEvery: Int64
    ) {
        self.checkpointEvery = checkpointEvery
        self.checkpointDue = Mutex(checkpointEvery)
        self.writerThread = writerThread
        self.appender = appender
        self.path = path
        self.writer = Lane(.connection(writer))
        self.readers = readers.isEmpty ? [self.writer] : readers.map { Lane(.direct($0)) }
        self.writerConnection = writer
        self.readerHandles = readers
    }

    public func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let result = try await writer.run(begin: "BEGIN IMMEDIATE", body)
        await checkpointIfDue()
        return result
    }

    /// One snapshot for the whole read.
    public func read<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let lane = readers[await turn.next(of: readers.count)]
        return try await lane.run(begin: lane === writer ? "BEGIN IMMEDIATE" : "BEGIN", body)
    }

    /// On a reader (on the writer where there are none, waiting for any transaction there to end).
    public func readStatement<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let lane = readers[await turn.next(of: readers.count)]
        return try await lane.exclusive { try await body(lane.handle.database) }
    }

    public func close() async throws {
        for reader in readerHandles { reader.close() }
        try await writerConnection.close()
        if let appender { try await writer.exclusive { try await writerThread.runIfActive { appender.close() } } }
        try await writerThread.shutdownGracefully()
    }

    /// A group commit's entries appended in one job on the writer's thread, holding the writer
    /// lane; nil where there is no file to open a handle on (then the flush goes through SQLKit).
    func appendLog(_ entries: [AuditEntry]) async throws -> Int64? {
        guard let appender else { return nil }
        return try await writer.exclusive { try await writerThread.runIfActive { try appender.append(entries) } }
    }

    /// Checkpoints once the write-ahead log has grown past `checkpointEvery`, after the write that
    /// grew it has committed. If a long read holds the log, it is tried again a log's growth later.
    func checkpointIfDue() async {
        guard let appender, let path else { return }
        var file = stat()
        guard stat(path + "-wal", &file) == 0, Int64(file.st_size) >= checkpointDue.withLock({ $0 }) else { return }
        let emptied = (try? await writer.exclusive { try await writerThread.runIfActive { appender.checkpoint() } }) ?? false
        checkpointDue.withLock { $0 = emptied ? checkpointEvery : Int64(file.st_size) + checkpointEvery }
    }

    /// A read on the one connection of a database in memory, for the bulk reads that go below
    /// SQLKit (on a file they open handles of their own: `SQLiteLogReader`).
    func readConnection<R: Sendable>(_ body: @Sendable @escaping (SQLiteConnection) async throws -> R) async throws -> R {
        try await writer.run(begin: "BEGIN IMMEDIATE") { _ in try await body(writerConnection) }
    }
}

/// One connection, used by one task at a time in arrival order. An actor alone does not
/// serialise: it is re-entered at every await inside a transaction.
private actor Lane {
    /// The writer's connection goes through SQLiteNIO, on a thread of its own; a reader runs on
    /// the caller's thread.
    enum Handle: Sendable {
        case connection(SQLiteConnection)
        case direct(SQLiteDirectReader)

        var database: any SQLDatabase {
            switch self {
            case .connection(let connection): connection.sql()
            case .direct(let reader): DirectSQLiteDatabase(reader: reader)
            }
        }
    }
    let handle: Handle
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ handle: Handle) { self.handle = handle }

    /// Runs `body` with the lane to itself.
    func exclusive<R: Sendable>(_ body: @Sendable () async throws -> R) async throws -> R {
        if busy { await withCheckedContinuation { waiting.append($0) } } else { busy = true }
        defer { if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() } }
        return try await body()
    }

    /// Runs `body` in a transaction opened with `begin`: committed if it returns, rolled back if it throws.
    func run<R: Sendable>(begin: SQLQueryString, _ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await exclusive { try await transaction(begin: begin, body) }
    }

    private func transaction<R: Sendable>(begin: SQLQueryString, _ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let db = handle.database
        try await db.raw(begin).run()
        do {
            let result = try await body(db)
            try await end(db, "COMMIT")
            return result
        } catch {
            try? await end(db, "ROLLBACK")
            throw error
        }
    }

    /// Ends the transaction even when the caller's task is cancelled. NIO's thread pool skips the
    /// work of a cancelled task, so a skipped ROLLBACK left the connection inside a transaction for
    /// good: every later read on it refused ("cannot start a transaction within a transaction"),
    /// its snapshot held the write-ahead log from ever being emptied, and on the writer every write
    /// after it failed. A task of its own is not cancelled with the caller's. A direct reader runs
    /// the statement on this thread, where nothing skips it.
    private func end(_ db: any SQLDatabase, _ statement: SQLQueryString) async throws {
        if case .direct = handle { return try await db.raw(statement).run() }
        try await Task { try await db.raw(statement).run() }.value
    }
}

private actor Turn {
    private var count = 0
    func next(of n: Int) -> Int {
        count &+= 1
        return count % n
    }
}
