import CustodianCore
import Foundation
import SQLKit

/// A register created before a case joined an enumeration (a role, say) keeps the CHECK its
/// tables were made with, and would refuse the new case on insert. This rewrites such a CHECK to
/// the domain's cases today. A wider CHECK holds for every row the narrower one let in, so no row
/// is read or rewritten: PostgreSQL swaps the constraint; SQLite keeps a CHECK only in its
/// table's text, which is edited in place by the procedure SQLite's documentation gives for
/// changes that leave the stored data as it is (the schema version bumped, then an integrity check).
enum WidenedChecks {
    struct Check {
        let table: String
        let column: String
        let values: [String]
    }

    static func widen(_ checks: [Check], _ db: any SQLDatabase) async throws {
        if db.dialect.name == "postgresql" {
            for check in checks { try await postgres(check, db) }
        } else {
            try await sqlite(checks, db)
        }
    }

    private static func list(_ values: [String]) -> String { values.map { "'\($0)'" }.joined(separator: ", ") }

    private static func postgres(_ check: Check, _ db: any SQLDatabase) async throws {
        let found = try await db.raw(
            """
            SELECT conname FROM pg_constraint WHERE conrelid = \(bind: check.table)::regclass AND contype = 'c'
            AND pg_get_constraintdef(oid) LIKE \(bind: "%(\(check.column) = ANY%")
            """
        ).all().map { try $0.decode(column: "conname", as: String.self) }
        for name in found { try await db.raw("ALTER TABLE \(ident: check.table) DROP CONSTRAINT \(ident: name)").run() }
        try await db.raw(
            "ALTER TABLE \(ident: check.table) ADD CONSTRAINT \(ident: "\(check.table)_\(check.column)_check") CHECK (\(unsafeRaw: check.column) IN (\(unsafeRaw: list(check.values))))"
        ).run()
    }

    private static func sqlite(_ checks: [Check], _ db: any SQLDatabase) async throws {
        var rewritten: [String: String] = [:]
        for check in checks {
            let current: String
            if let done = rewritten[check.table] { current = done } else { current = try await tableSQL(check.table, db) }
            rewritten[check.table] = try widened(current, check)
        }
        let version = try await db.raw("PRAGMA schema_version").first().map { try $0.decode(column: "schema_version", as: Int.self) } ?? 0
        try await db.raw("PRAGMA writable_schema = ON").run()
        for (table, sql) in rewritten {
            try await db.raw("UPDATE sqlite_master SET sql = \(bind: sql) WHERE type = 'table' AND name = \(bind: table)").run()
        }
        try await db.raw("PRAGMA schema_version = \(unsafeRaw: String(version + 1))").run()
        try await db.raw("PRAGMA writable_schema = OFF").run()
        let integrity = try await db.raw("PRAGMA integrity_check").all().map { try $0.decode(column: "integrity_check", as: String.self) }
        guard integrity == ["ok"] else { throw StoreError.corrupt("after widening a CHECK: \(integrity.joined(separator: "; "))") }
    }

    private static func tableSQL(_ table: String, _ db: any SQLDatabase) async throws -> String {
        guard
            let sql = try await db.raw("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = \(bind: table)").first()
                .map({ try $0.decode(column: "sql", as: String.self) })
        else { throw StoreError.corrupt("no table \(table) to widen a CHECK on") }
        return sql
    }

    /// The table's text with `column IN (...)` listing `values`; text without that CHECK is an error.
    static func widened(_ sql: String, _ check: Check) throws -> String {
        let marker = "\(check.column) IN ("
        guard let start = sql.range(of: marker)?.upperBound, let end = sql[start...].firstIndex(of: ")") else {
            throw StoreError.corrupt("table \(check.table) has no CHECK on \(check.column) to widen")
        }
        return sql.replacingCharacters(in: start..<end, with: list(check.values))
    }
}

extension Migrations {
    /// Roles added since a register was created (the independent reviewer, the source unit).
    @Sendable static func widenRoleChecks(_ db: any SQLDatabase) async throws {
        let roles = Role.allCases.map(\.rawValue)
        try await WidenedChecks.widen(
            [.init(table: "users", column: "role", values: roles), .init(table: "user_grants", column: "role", values: roles)], db)
    }
}
