import VaporCSQLite

/// Opens a handle of its own on the file at `path` (the appender's, a reader's) and sets
/// `pragmas`; a handle that fails either is closed again, and `failure` names what failed.
func openSQLiteHandle(_ path: String, pragmas: [String], failure: (OpaquePointer?, String) -> any Error) throws -> OpaquePointer? {
    var db: OpaquePointer?
    guard sqlite_nio_sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else {
        defer { sqlite_nio_sqlite3_close(db) }
        throw failure(db, "open")
    }
    for pragma in pragmas where sqlite_nio_sqlite3_exec(db, pragma, nil, nil, nil) != SQLITE_OK {
        defer { sqlite_nio_sqlite3_close(db) }
        throw failure(db, pragma)
    }
    return db
}
