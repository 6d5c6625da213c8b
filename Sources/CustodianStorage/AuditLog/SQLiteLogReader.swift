import CustodianCore
import NIOPosix
import VaporCSQLite

/// The verification scan's page read on SQLite as a plain `sqlite3_step` loop on a read-only
/// handle of its own: columns are copied straight from SQLite's buffers into the page, where
/// SQLiteNIO would build an enum, a String or a ByteBuffer per column per row. `VaporCSQLite` is
/// the SQLite that SQLiteNIO vendors (its module, not a product of the package): the same library
/// and file the rest of Custodian uses. One statement is one snapshot, as any read.
struct SQLiteLogReader: Sendable {
    let path: String

    func page(from start: Int64, limit: Int) async throws -> LogPage {
        try await NIOThreadPool.singleton.runIfActive { try read(start, limit) }
    }

    private func read(_ start: Int64, _ limit: Int) throws -> LogPage {
        var db: OpaquePointer?
        defer { sqlite_nio_sqlite3_close(db) }
        guard sqlite_nio_sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else { throw failure(db, "open") }
        sqlite_nio_sqlite3_busy_timeout(db, 5000)
        var statement: OpaquePointer?
        defer { sqlite_nio_sqlite3_finalize(statement) }
        let sql = "SELECT seq, at_us, actor_id, operation, entry FROM audit_log WHERE seq >= ?1 ORDER BY seq LIMIT ?2"
        guard sqlite_nio_sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK,
            sqlite_nio_sqlite3_bind_int64(statement, 1, start) == SQLITE_OK,
            sqlite_nio_sqlite3_bind_int64(statement, 2, Int64(limit)) == SQLITE_OK
        else { throw failure(db, "prepare") }
        var page = LogPage(capacity: limit)
        while true {
            let step = sqlite_nio_sqlite3_step(statement)
            if step == SQLITE_DONE { return page }
            guard step == SQLITE_ROW else { throw failure(db, "step") }
            guard sqlite_nio_sqlite3_column_type(statement, 0) == SQLITE_INTEGER,
                sqlite_nio_sqlite3_column_type(statement, 1) == SQLITE_INTEGER,
                sqlite_nio_sqlite3_column_type(statement, 2) == SQLITE_TEXT, sqlite_nio_sqlite3_column_type(statement, 3) == SQLITE_TEXT,
                sqlite_nio_sqlite3_column_type(statement, 4) == SQLITE_BLOB
            else { throw unreadableRow("audit_log", after: page.sequences.last.map { $0 + 1 } ?? start) }
            page.append(
                sequence: sqlite_nio_sqlite3_column_int64(statement, 0), time: sqlite_nio_sqlite3_column_int64(statement, 1),
                actor: column(statement, 2), operation: column(statement, 3), entry: column(statement, 4))
        }
    }

    /// A column's bytes as SQLite holds them, valid until the next step.
    private func column(_ statement: OpaquePointer?, _ i: Int32) -> UnsafeRawBufferPointer {
        // Ask for the bytes first: SQLite may convert the value when they are read (its documented order).
        let pointer = sqlite_nio_sqlite3_column_blob(statement, i)
        return UnsafeRawBufferPointer(start: pointer, count: Int(sqlite_nio_sqlite3_column_bytes(statement, i)))
    }

    private func failure(_ db: OpaquePointer?, _ step: String) -> StoreError {
        StoreError.corrupt(
            "reading the audit log (\(step)): " + (sqlite_nio_sqlite3_errmsg(db).map { String(cString: $0) } ?? "no message"))
    }
}
