import CustodianCore
public import CustodianStorage
public import Foundation
import SQLKit

/// The databases every storage and API test runs against: a real SQLite file always, and a real
/// PostgreSQL server when `CUSTODIAN_TEST_POSTGRES_URL` names one (scripts/test starts it).
public enum TestDatabase: Sendable, CustomStringConvertible {
    case sqlite
    case postgres(url: String)

    public static var available: [TestDatabase] {
        var kinds: [TestDatabase] = [.sqlite]
        if let url = ProcessInfo.processInfo.environment["CUSTODIAN_TEST_POSTGRES_URL"], !url.isEmpty { kinds.append(.postgres(url: url)) }
        return kinds
    }

    public var description: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }

    public var isPostgres: Bool { if case .postgres = self { true } else { false } }
}

/// A migrated, empty register in a place of its own, removed afterwards.
public struct TestStore: Sendable {
    public let kind: TestDatabase
    public let driver: any SQLDriver
    /// Subjects' keys, in a database of their own as in production.
    public let keyDriver: any SQLDriver
    /// The SQLite file, for tests that read the bytes at rest.
    public let sqlitePath: String?
    /// The key store's SQLite file, for tests that check a destroyed key left no bytes behind.
    public let keyStorePath: String?
    let cleanup: @Sendable () async throws -> Void

    public static func make(_ kind: TestDatabase) async throws -> TestStore {
        switch kind {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custodian-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let path = dir.appendingPathComponent("register.sqlite").path
            let driver = try await SQLiteDriver.open(path: path)
            try await Migrations.run(on: driver)
            let keyPath = dir.appendingPathComponent("keys.sqlite").path
            let keyDriver = try await SQLiteDriver.open(path: keyPath, forKeys: true)
            try await SQLSubjectKeyStore(driver: keyDriver).migrate()
            return TestStore(kind: kind, driver: driver, keyDriver: keyDriver, sqlitePath: path, keyStorePath: keyPath) {
                try await driver.close()
                try await keyDriver.close()
                try? FileManager.default.removeItem(at: dir)
            }
        case .postgres(let url):
            let (driver, drop) = try await PostgresDriver.scratchSchema(url: url, prefix: "t_")
            try await Migrations.run(on: driver)
            let (keyDriver, dropKeys) = try await PostgresDriver.scratchSchema(url: url, prefix: "k_")
            try await SQLSubjectKeyStore(driver: keyDriver).migrate()
            return TestStore(kind: kind, driver: driver, keyDriver: keyDriver, sqlitePath: nil, keyStorePath: nil) {
                try await drop()
                try await dropKeys()
            }
        }
    }

    public func close() async throws { try await cleanup() }

    /// Runs SQL as an attacker with the database would: for tests that tamper with what is stored.
    public func tamper(_ sql: String) async throws {
        try await driver.transaction { db in try await db.raw(SQLQueryString(sql)).run() }
    }

    /// Rewrites the stored bytes of one audit entry behind the log's back.
    public func tamperWithEntry(_ sequence: Int64, _ change: @escaping @Sendable (inout Data) -> Void) async throws {
        try await driver.transaction { db in
            guard
                var bytes = try await db.select().column("entry").from("audit_log").where("seq", .equal, sequence).first()?
                    .decode(column: "entry", as: Data.self)
            else { return }
            change(&bytes)
            try await db.update("audit_log").set("entry", to: bytes).where("seq", .equal, sequence).run()
        }
    }

    /// The tables with a row whose text holds `needle`: for checks that an erased subject's id is
    /// left only where the law keeps it (the audit log).
    public func tablesMentioning(_ needle: String) async throws -> Set<String> {
        try await Self.tablesMentioning(needle, in: driver, kind: kind)
    }

    /// The same, in the key store (keys and the name-search index).
    public func keyStoreTablesMentioning(_ needle: String) async throws -> Set<String> {
        try await Self.tablesMentioning(needle, in: keyDriver, kind: kind)
    }

    private static func tablesMentioning(_ needle: String, in driver: any SQLDriver, kind: TestDatabase) async throws -> Set<String> {
        try await driver.transaction { db in
            let listing =
                kind.isPostgres
                ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
                : "SELECT name FROM sqlite_master WHERE type = 'table'"
            let tables = try await db.raw(SQLQueryString(listing)).all().map { try $0.decode(column: "name", as: String.self) }
            var found: Set<String> = []
            for table in tables {
                let rows =
                    kind.isPostgres
                    ? try await db.raw("SELECT CAST(t AS text) AS r FROM \(ident: table) t").all().map {
                        try $0.decode(column: "r", as: String.self)
                    }
                    : try await db.raw("SELECT * FROM \(ident: table)").all().map { row in
                        try row.allColumns.map { column in (try? row.decode(column: column, as: String?.self)) ?? nil }.compactMap { $0 }
                            .joined(separator: "|")
                    }
                if rows.contains(where: { $0.contains(needle) }) { found.insert(table) }
            }
            return found
        }
    }

    /// Every table's rows as text, for checks that nothing is held in plaintext.
    public func everyStoredText() async throws -> String {
        if let path = sqlitePath {
            // The bytes at rest: the main file and its write-ahead log.
            return [path, path + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
                .map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
        }
        return try await driver.transaction { db in
            let tables = try await db.raw("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()").all()
                .map { try $0.decode(column: "table_name", as: String.self) }
            var text = ""
            for table in tables {
                for row in try await db.raw("SELECT CAST(t AS text) AS r FROM \(ident: table) t").all() {
                    text += try row.decode(column: "r", as: String.self) + "\n"
                }
            }
            return text
        }
    }
}

/// Runs `body` against a fresh store, closing it whatever happens.
public func withTestStore(_ kind: TestDatabase, _ body: (TestStore) async throws -> Void) async throws {
    let store = try await TestStore.make(kind)
    do {
        try await body(store)
    } catch {
        try? await store.close()
        throw error
    }
    try await store.close()
}
