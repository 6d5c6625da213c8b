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
}
