import SQLKit

/// The one place that branches on the database dialect.
enum Dialect {
    /// Serialises audit appends across concurrent transactions, so sequence numbers are dense and
    /// ordered. SQLite's `BEGIN IMMEDIATE` already holds the only write lock; PostgreSQL takes a
    /// transaction-scoped advisory lock (62 for s.62).
    static func lockAuditSequence(_ db: any SQLDatabase) async throws {
        if db.dialect.name == "postgresql" {
            try await db.raw("SELECT pg_advisory_xact_lock(62)").run()
        }
    }

    /// Serialises integration of the Merkle tree (its own lock, so appends go on meanwhile).
    static func lockAuditTree(_ db: any SQLDatabase) async throws {
        if db.dialect.name == "postgresql" {
            try await db.raw("SELECT pg_advisory_xact_lock(6962)").run()
        }
    }

    /// Connections that serve consultations refuse writes, so a read can never change the register.
    static func readOnly(_ db: any SQLDatabase) async throws {
        if db.dialect.name == "sqlite" {
            try await db.raw("PRAGMA query_only=ON").run()
        }
    }

    /// Bytes the audit log takes on disk: its tables and their indexes.
    static func auditFootprint(_ db: any SQLDatabase) async throws -> Int64 {
        let sql: SQLQueryString =
            db.dialect.name == "postgresql"
            ? "SELECT CAST(SUM(pg_total_relation_size(CAST(t AS regclass))) AS BIGINT) AS bytes FROM unnest(ARRAY['audit_log', 'audit_log_subjects', 'audit_tiles', 'audit_checkpoints']) AS t"
            : "SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name LIKE 'audit%' OR name LIKE 'sqlite_autoindex_audit%'"
        return try await db.raw(sql).first()?.decode(column: "bytes", as: Int64?.self) ?? 0
    }
}
