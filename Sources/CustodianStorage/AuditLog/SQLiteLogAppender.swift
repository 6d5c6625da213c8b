import CustodianCore
import Foundation
import Synchronization
import VaporCSQLite

/// A group commit's flush on SQLite as one job on the writer's thread: a handle of its own on the
/// same file with its three statements prepared once, `BEGIN IMMEDIATE`, where the log ends, each
/// entry and per-subject row, `COMMIT`. Through SQLiteNIO the same flush was four statements, each
/// parsed afresh and each a hop to the thread pool and back; on a busy server those hops, not the
/// writing, were what a consultation's audit cost.
///
/// It writes only while the driver's writer lane is held, so it never contends with the writer
/// connection for SQLite's one write lock; the lock holds the handle for the same reason.
final class SQLiteLogAppender: Sendable {
    private struct Handle: ~Copyable {
        var db: OpaquePointer?
        var last: OpaquePointer?
        var entry: OpaquePointer?
        var subject: OpaquePointer?
    }
    private let handle: Mutex<Handle>
    /// How long a write waits for another process's lock, as on the driver's connections.
    private static let busyTimeoutMs: Int32 = 5000

    init(path: String) throws {
        // Checkpoints are the driver's (`checkpoint()`), not each commit's.
        let db = try openSQLiteHandle(
            path, pragmas: ["PRAGMA busy_timeout=\(Self.busyTimeoutMs)", "PRAGMA synchronous=FULL", "PRAGMA wal_autocheckpoint=0"],
            failure: Self.failure)
        handle = Mutex(Handle(db: db))
    }

    func close() {
        handle.withLock { h in
            for statement in [h.last, h.entry, h.subject] { sqlite_nio_sqlite3_finalize(statement) }
            sqlite_nio_sqlite3_close(h.db)
            h = Handle()
        }
    }

    /// Appends `entries` after the last one in one transaction and returns the sequence number
    /// after them. Blocking: run on the writer's thread, holding the writer lane.
    func append(_ entries: [AuditEntry]) throws -> Int64 {
        try handle.withLock { h in
            guard let db = h.db else { throw StoreError.refusedWrite("the audit log's writer is closed") }
            try Self.prepare(&h.last, db, "SELECT MAX(seq) FROM audit_log")
            try Self.prepare(&h.entry, db, "INSERT INTO audit_log (seq, at_us, actor_id, operation, entry) VALUES (?1, ?2, ?3, ?4, ?5)")
            try Self.prepare(&h.subject, db, "INSERT INTO audit_log_subjects (subject_id, seq) VALUES (?1, ?2)")
            try Self.exec(db, "BEGIN IMMEDIATE")
            do {
                var next = try Self.next(h.last, db)
                for entry in entries {
                    let recorded = RecordedAuditEntry(sequence: next, entry: entry)
                    try Self.run(h.entry, db) { s in
                        sqlite_nio_sqlite3_bind_int64(s, 1, next)
                        sqlite_nio_sqlite3_bind_int64(s, 2, entry.at.microseconds)
                        Self.bind(s, 3, entry.actor.description)
                        Self.bind(s, 4, entry.operation.rawValue)
                        CanonicalEntry.encode(recorded).withUnsafeBytes {
                            sqlite_nio_sqlite3_bind_blob64(s, 5, $0.baseAddress, UInt64($0.count), SQLITE_TRANSIENT)
                        }
                    }
                    for subject in entry.indexedSubjects {
                        try Self.run(h.subject, db) { s in
                            Self.bind(s, 1, subject.description)
                            sqlite_nio_sqlite3_bind_int64(s, 2, next)
                        }
                    }
                    next += 1
                }
                try Self.exec(db, "COMMIT")
                return next
            } catch {
                sqlite_nio_sqlite3_exec(db, "ROLLBACK", nil, nil, nil)
                throw error
            }
        }
    }

    /// Copies the write-ahead log into the database and empties it, waiting a few milliseconds at
    /// most for readers on older snapshots to finish. Returns whether the log is now empty.
    ///
    /// SQLite's own checkpoints are passive: they copy only what no reader still needs, and the log
    /// restarts only when no reader is using it. Under steady consultations some reader always is,
    /// so the log grew without end (300 MB in a 20-second bench) and each commit's checkpoint
    /// walked all of it. Blocking: run on the writer's thread, holding the writer lane.
    func checkpoint() -> Bool {
        handle.withLock { h in
            guard let db = h.db else { return false }
            // Readers finish in milliseconds; one reading for minutes (a verification, an export)
            // must not stop every write meanwhile: then this gives up and is tried later.
            sqlite_nio_sqlite3_busy_timeout(db, 10)
            defer { sqlite_nio_sqlite3_busy_timeout(db, Self.busyTimeoutMs) }
            return sqlite_nio_sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_TRUNCATE, nil, nil) == SQLITE_OK
        }
    }

    private static func next(_ last: OpaquePointer?, _ db: OpaquePointer) throws -> Int64 {
        defer { sqlite_nio_sqlite3_reset(last) }
        guard sqlite_nio_sqlite3_step(last) == SQLITE_ROW else { throw failure(db, "reading where the log ends") }
        return sqlite_nio_sqlite3_column_type(last, 0) == SQLITE_NULL ? 0 : sqlite_nio_sqlite3_column_int64(last, 0) + 1
    }

    /// Binds a row's values, steps the insert once and resets it for the next row.
    private static func run(_ statement: OpaquePointer?, _ db: OpaquePointer, _ bind: (OpaquePointer?) -> Void) throws {
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        bind(statement)
        guard sqlite_nio_sqlite3_step(statement) == SQLITE_DONE else { throw failure(db, "insert") }
    }

    private static func bind(_ statement: OpaquePointer?, _ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 {
            sqlite_nio_sqlite3_bind_text64(statement, index, $0.baseAddress, UInt64($0.count), SQLITE_TRANSIENT, UInt8(SQLITE_UTF8))
        }
    }

    /// Prepared on first use, after the migrations have made the tables.
    private static func prepare(_ statement: inout OpaquePointer?, _ db: OpaquePointer, _ sql: String) throws {
        guard statement == nil else { return }
        guard sqlite_nio_sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw failure(db, "prepare") }
    }

    private static func exec(_ db: OpaquePointer, _ sql: String) throws {
        guard sqlite_nio_sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw failure(db, sql) }
    }

    private static func failure(_ db: OpaquePointer?, _ step: String) -> StoreError {
        StoreError.refusedWrite(
            "appending to the audit log (\(step)): " + (sqlite_nio_sqlite3_errmsg(db).map { String(cString: $0) } ?? "no message"))
    }
}

/// SQLite's "copy the value now" destructor.
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
