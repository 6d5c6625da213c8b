import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization
import VaporCSQLite

/// A read-only handle on the register's file whose statements run on the calling task's thread.
/// Through SQLiteNIO each statement of a read is three hops (to SQLite's thread pool, to the event
/// loop, back to Swift's executor), and a consultation sends a dozen: it held its reader for
/// 1.2-1.6 ms of wall time for 0.6 ms of CPU, and the readers bounded consultations. A read only
/// touches pages the OS already holds, so it is work for a core, not a wait; it runs where the
/// caller is. Each statement is prepared once and kept, where SQLiteNIO parsed it every time.
final class SQLiteDirectReader: Sendable {
    private struct Handle: ~Copyable {
        var db: OpaquePointer?
        var prepared: [String: OpaquePointer] = [:]
    }
    private let handle: Mutex<Handle>
    /// Statements kept prepared, at most: a read's SQL is a handful of shapes, but an `IN` list's
    /// length makes a shape of its own.
    private static let preparedLimit = 256

    init(path: String) throws {
        // `query_only`: a read can never change the register.
        let db = try openSQLiteHandle(
            path, pragmas: ["PRAGMA busy_timeout=5000", "PRAGMA foreign_keys=ON", "PRAGMA query_only=ON"], failure: Self.failure)
        handle = Mutex(Handle(db: db))
    }

    func close() {
        handle.withLock { h in
            for statement in h.prepared.values { sqlite_nio_sqlite3_finalize(statement) }
            sqlite_nio_sqlite3_close(h.db)
            h = Handle()
        }
    }

    /// Runs `sql` with `binds` and hands each row to `onRow`, with SQLiteNIO's values and names,
    /// so rows decode exactly as they did through it.
    func run(_ sql: String, _ binds: [SQLiteData], _ onRow: (DirectRow) -> Void) throws {
        try handle.withLock { h in
            guard let db = h.db else { throw StoreError.refusedRead("the reader is closed") }
            let statement: OpaquePointer
            if let kept = h.prepared[sql] {
                statement = kept
            } else {
                var made: OpaquePointer?
                guard sqlite_nio_sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &made, nil) == SQLITE_OK,
                    let made
                else { throw Self.failure(db, "prepare") }
                if h.prepared.count >= Self.preparedLimit {
                    for old in h.prepared.values { sqlite_nio_sqlite3_finalize(old) }
                    h.prepared.removeAll()
                }
                h.prepared[sql] = made
                statement = made
            }
            defer {
                sqlite_nio_sqlite3_reset(statement)
                sqlite_nio_sqlite3_clear_bindings(statement)
            }
            for (offset, value) in binds.enumerated() {
                let i = Int32(offset + 1)
                let bound: Int32
                switch value {
                case .integer(let n): bound = sqlite_nio_sqlite3_bind_int64(statement, i, Int64(n))
                case .float(let x): bound = sqlite_nio_sqlite3_bind_double(statement, i, x)
                case .text(let text):
                    bound = sqlite_nio_sqlite3_bind_text64(
                        statement, i, text, UInt64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
                case .blob(let bytes):
                    bound = bytes.withUnsafeReadableBytes {
                        sqlite_nio_sqlite3_bind_blob64(statement, i, $0.baseAddress, UInt64($0.count), transient)
                    }
                case .null: bound = sqlite_nio_sqlite3_bind_null(statement, i)
                }
                guard bound == SQLITE_OK else { throw Self.failure(db, "bind") }
            }
            // Named after the first step: a kept statement is prepared again by its step when the
            // schema has changed since, and `SELECT *` may then have other columns.
            var columns: DirectRow.Columns?
            while true {
                let step = sqlite_nio_sqlite3_step(statement)
                if step == SQLITE_DONE { return }
                guard step == SQLITE_ROW else { throw Self.failure(db, "step") }
                let named = columns ?? DirectRow.Columns(statement)
                columns = named
                onRow(DirectRow(columns: named, values: named.names.indices.map { Self.value(statement, Int32($0)) }))
            }
        }
    }

    private static func value(_ statement: OpaquePointer, _ i: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, i) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, i)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, i))
        case SQLITE_TEXT: return .text(sqlite_nio_sqlite3_column_text(statement, i).map { String(cString: $0) } ?? "")
        case SQLITE_BLOB:
            let length = Int(sqlite_nio_sqlite3_column_bytes(statement, i))
            var buffer = ByteBufferAllocator().buffer(capacity: length)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, i) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: length))
            }
            return .blob(buffer)
        default: return .null
        }
    }

    private static func failure(_ db: OpaquePointer?, _ step: String) -> StoreError {
        StoreError.refusedRead("\(step): " + (sqlite_nio_sqlite3_errmsg(db).map { String(cString: $0) } ?? "no message"))
    }
}

private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One row from a direct reader, read through SQLKit as SQLiteKit reads SQLiteNIO's.
struct DirectRow: SQLRow {
    /// A statement's column names, shared by its rows; a repeated name finds its first column.
    final class Columns: Sendable {
        let names: [String]
        let index: [String: Int]
        init(_ statement: OpaquePointer) {
            names = (0..<sqlite_nio_sqlite3_column_count(statement)).map {
                sqlite_nio_sqlite3_column_name(statement, $0).map { String(cString: $0) } ?? ""
            }
            self.index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }
    let columns: Columns
    let values: [SQLiteData]

    var allColumns: [String] { columns.names }
    func contains(column: String) -> Bool { columns.index[column] != nil }
    func decodeNil(column: String) throws -> Bool { columns.index[column].map { values[$0] == .null } ?? true }
    func decode<D: Decodable>(column: String, as: D.Type) throws -> D {
        guard let i = columns.index[column] else { throw StoreError.corrupt("reading the register: no column \(column)") }
        return try SQLiteDataDecoder().decode(D.self, from: values[i])
    }
}

/// A direct reader as SQLKit's database: statements serialised in SQLite's dialect, values
/// encoded as SQLiteKit encodes them.
struct DirectSQLiteDatabase: SQLDatabase {
    let reader: SQLiteDirectReader
    var logger: Logger { Self.logger }
    private static let logger = Logger(label: "custodian.sqlite")
    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var dialect: any SQLDialect { SQLiteDialect() }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        do {
            try run(query, onRow)
            return eventLoop.makeSucceededVoidFuture()
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    /// Each statement first lets other tasks in: a statement never suspends, so a task reading in
    /// a loop would otherwise keep its thread from every other task (found by a test that spun
    /// reads until cancelled: the task that was to cancel them never ran).
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        await Task.yield()
        try run(query, onRow)
    }

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> Void) throws {
        let (sql, binds) = serialize(query)
        let encoder = SQLiteDataEncoder()
        try reader.run(sql, try binds.map { try encoder.encode($0) }) { onRow($0) }
    }
}
