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
        try await NIOThreadPool.singleton.runIfActive {
            var page = LogPage(capacity: limit)
            try each(
                "SELECT seq, at_us, actor_id, operation, entry FROM audit_log WHERE seq >= ?1 ORDER BY seq LIMIT ?2",
                [start, Int64(limit)],
                types: [SQLITE_INTEGER, SQLITE_INTEGER, SQLITE_TEXT, SQLITE_TEXT, SQLITE_BLOB], table: "audit_log"
            ) { row in
                page.append(
                    sequence: sqlite_nio_sqlite3_column_int64(row, 0), time: sqlite_nio_sqlite3_column_int64(row, 1),
                    actor: column(row, 2), operation: column(row, 3), entry: column(row, 4))
            }
            return page
        }
    }

    func subjectIndex(below size: Int64, into digest: SubjectIndexDigest) async throws -> SubjectIndexDigest {
        try await NIOThreadPool.singleton.runIfActive {
            var digest = digest
            try each(
                "SELECT seq, subject_id FROM audit_log_subjects WHERE seq < ?1", [size], types: [SQLITE_INTEGER, SQLITE_TEXT],
                table: "audit_log_subjects"
            ) { row in digest.add(sequence: sqlite_nio_sqlite3_column_int64(row, 0), subject: column(row, 1)) }
            return digest
        }
    }

    /// Runs one statement on a fresh read-only handle and hands each row to `body`, after checking
    /// its columns hold the types the schema gives them.
    private func each(_ sql: String, _ binds: [Int64], types: [Int32], table: String, _ body: (OpaquePointer?) -> Void) throws {
        var db: OpaquePointer?
        defer { sqlite_nio_sqlite3_close(db) }
        guard sqlite_nio_sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else { throw failure(db, "open") }
        sqlite_nio_sqlite3_busy_timeout(db, 5000)
        var statement: OpaquePointer?
        defer { sqlite_nio_sqlite3_finalize(statement) }
        guard sqlite_nio_sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw failure(db, "prepare") }
        for (i, value) in binds.enumerated() where sqlite_nio_sqlite3_bind_int64(statement, Int32(i + 1), value) != SQLITE_OK {
            throw failure(db, "bind")
        }
        while true {
            let step = sqlite_nio_sqlite3_step(statement)
            if step == SQLITE_DONE { return }
            guard step == SQLITE_ROW else { throw failure(db, "step") }
            for (i, type) in types.enumerated() where sqlite_nio_sqlite3_column_type(statement, Int32(i)) != type {
                throw unreadableRow(table, after: sqlite_nio_sqlite3_column_int64(statement, 0))
            }
            body(statement)
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
