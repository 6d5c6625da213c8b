import Foundation
import NIOPosix
import VaporCSQLite

/// A consistent copy of a SQLite database while others go on writing to it: SQLite's online
/// backup, every page in one step under one read snapshot, so the copy is the database as it stood
/// at one moment, write-ahead log included. Writers are not held up; the copy is a plain file.
public enum SQLiteCopy {
    public static func copy(from source: String, to destination: String) async throws {
        try await NIOThreadPool.singleton.runIfActive { try copyNow(from: source, to: destination) }
    }

    private static func copyNow(from source: String, to destination: String) throws {
        var from: OpaquePointer?
        var to: OpaquePointer?
        defer {
            sqlite_nio_sqlite3_close(from)
            sqlite_nio_sqlite3_close(to)
        }
        guard sqlite_nio_sqlite3_open_v2(source, &from, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else {
            throw StoreError.refusedRead("cannot open \(source) to copy it: \(message(from))")
        }
        sqlite_nio_sqlite3_busy_timeout(from, 5000)
        guard FileManager.default.fileExists(atPath: destination) == false,
            sqlite_nio_sqlite3_open_v2(destination, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK
        else {
            throw StoreError.refusedWrite("cannot make the copy \(destination): it exists or cannot be written")
        }
        guard let backup = sqlite_nio_sqlite3_backup_init(to, "main", from, "main") else {
            throw StoreError.refusedWrite("cannot start copying \(source): \(message(to))")
        }
        var step = SQLITE_OK
        repeat {
            step = sqlite_nio_sqlite3_backup_step(backup, -1)
            if step == SQLITE_BUSY || step == SQLITE_LOCKED { usleep(10_000) }
        } while step == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED
        sqlite_nio_sqlite3_backup_finish(backup)
        guard step == SQLITE_DONE else { throw StoreError.refusedWrite("copying \(source) stopped: \(message(to))") }
        // A copy is one file: no write-ahead log is made beside it when it is read.
        guard sqlite_nio_sqlite3_exec(to, "PRAGMA journal_mode=DELETE", nil, nil, nil) == SQLITE_OK else {
            throw StoreError.refusedWrite("cannot finish the copy \(destination): \(message(to))")
        }
    }

    /// How many entries the audit log in the SQLite file at `path` holds, read without opening it as a register.
    public static func logLength(_ path: String) throws -> Int64 {
        var db: OpaquePointer?
        defer { sqlite_nio_sqlite3_close(db) }
        var statement: OpaquePointer?
        defer { sqlite_nio_sqlite3_finalize(statement) }
        guard sqlite_nio_sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK,
            sqlite_nio_sqlite3_prepare_v2(db, "SELECT coalesce(max(seq) + 1, 0) FROM audit_log", -1, &statement, nil) == SQLITE_OK,
            sqlite_nio_sqlite3_step(statement) == SQLITE_ROW
        else { throw StoreError.corrupt("cannot read the audit log in \(path): \(message(db))") }
        return sqlite_nio_sqlite3_column_int64(statement, 0)
    }

    /// Takes out of the key store at `path` every key the key store at `current` no longer holds:
    /// a person erased since the copy was made stays erased when it is put back. Returns how many.
    public static func forgetKeysDestroyedSince(_ path: String, current: String) throws -> Int {
        var db: OpaquePointer?
        defer { sqlite_nio_sqlite3_close(db) }
        guard sqlite_nio_sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else {
            throw StoreError.refusedWrite("cannot open \(path): \(message(db))")
        }
        let attach = "ATTACH DATABASE '\(current.replacingOccurrences(of: "'", with: "''"))' AS current"
        let statements = [
            "PRAGMA secure_delete=ON", attach, "BEGIN IMMEDIATE",
            "DELETE FROM subject_search WHERE subject_id NOT IN (SELECT subject_id FROM current.subject_keys)",
            "DELETE FROM subject_keys WHERE subject_id NOT IN (SELECT subject_id FROM current.subject_keys)",
        ]
        for sql in statements where sqlite_nio_sqlite3_exec(db, sql, nil, nil, nil) != SQLITE_OK {
            throw StoreError.refusedWrite("cannot carry erasures into \(path): \(message(db))")
        }
        let forgotten = Int(sqlite_nio_sqlite3_changes(db))
        guard sqlite_nio_sqlite3_exec(db, "COMMIT", nil, nil, nil) == SQLITE_OK,
            sqlite_nio_sqlite3_exec(db, "DETACH DATABASE current", nil, nil, nil) == SQLITE_OK
        else { throw StoreError.refusedWrite("cannot carry erasures into \(path): \(message(db))") }
        return forgotten
    }

    private static func message(_ db: OpaquePointer?) -> String {
        db.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "no handle"
    }
}
