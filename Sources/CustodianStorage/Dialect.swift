import CustodianCore
import SQLKit

/// The one place that branches on the database dialect.
enum Dialect {
    /// The advisory lock every append to the log holds until it commits, on PostgreSQL (62 for s.62).
    static let auditSequenceLock = 62

    /// Serialises audit appends across concurrent transactions, so sequence numbers are dense and
    /// ordered. SQLite's `BEGIN IMMEDIATE` already holds the only write lock; PostgreSQL takes a
    /// transaction-scoped advisory lock.
    static func lockAuditSequence(_ db: any SQLDatabase) async throws {
        if db.dialect.name == "postgresql" {
            try await db.raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(auditSequenceLock)))").run()
        }
    }

    /// Serialises integration of the Merkle tree (its own lock, so appends go on meanwhile).
    static func lockAuditTree(_ db: any SQLDatabase) async throws {
        if db.dialect.name == "postgresql" {
            try await db.raw("SELECT pg_advisory_xact_lock(6962)").run()
        }
    }

    /// The log's per-entry indexes, smaller, every row kept. On SQLite the per-subject index
    /// becomes a WITHOUT ROWID table: its primary key is the table, where a rowid table kept the
    /// same two columns twice (the table and its key's index). On PostgreSQL the time index
    /// becomes BRIN: entries arrive in time order, so a summary per block range finds a period
    /// in a few pages, where a B-tree held a key for every entry.
    @Sendable static func compactAuditIndexes(_ db: any SQLDatabase) async throws {
        if db.dialect.name == "postgresql" {
            try await db.raw("DROP INDEX audit_log_time").run()
            try await db.raw("CREATE INDEX audit_log_time ON audit_log USING brin (at_us)").run()
        } else {
            try await db.raw(
                """
                CREATE TABLE audit_log_subjects_compact (subject_id TEXT NOT NULL, seq INTEGER NOT NULL,
                PRIMARY KEY (subject_id, seq)) WITHOUT ROWID
                """
            ).run()
            try await db.raw("INSERT INTO audit_log_subjects_compact (subject_id, seq) SELECT subject_id, seq FROM audit_log_subjects")
                .run()
            try await db.raw("DROP TABLE audit_log_subjects").run()
            try await db.raw("ALTER TABLE audit_log_subjects_compact RENAME TO audit_log_subjects").run()
        }
    }

    /// On PostgreSQL the log's id columns become `uuid` (16 bytes where canonical text took 37,
    /// in the table and in each index), and the per-subject rows lose their primary key for an
    /// index on the subject alone, which PostgreSQL deduplicates: one key and a list of row
    /// pointers per person, where the key held every (person, entry) pair and split in the middle
    /// as each person's entries grew. Finding a person's entries reads all of their rows and
    /// sorts them; the writers never repeat a row and verification counts a repeated one as an
    /// edit. SQLite keeps text: its WITHOUT ROWID key is already the table.
    @Sendable static func compactAuditIDs(_ db: any SQLDatabase) async throws {
        guard db.dialect.name == "postgresql" else { return }
        try await db.raw("ALTER TABLE audit_log ALTER COLUMN actor_id TYPE uuid USING CAST(actor_id AS uuid)").run()
        try await db.raw("ALTER TABLE audit_log_subjects DROP CONSTRAINT audit_log_subjects_pkey").run()
        try await db.raw("ALTER TABLE audit_log_subjects ALTER COLUMN subject_id TYPE uuid USING CAST(subject_id AS uuid)").run()
        try await db.raw("CREATE INDEX audit_log_subjects_subject ON audit_log_subjects (subject_id)").run()
    }

    /// An id as the log's id columns hold it: a `uuid` on PostgreSQL, lower-case text on SQLite.
    static func auditID<Tag>(_ id: Identifier<Tag>, _ db: any SQLDatabase) -> any SQLExpression {
        db.dialect.name == "postgresql" ? SQLBind(id.uuid) : SQLBind(id.description)
    }

    /// A log id column read back as lower-case canonical text on both databases, named `column`.
    static func auditIDText(_ column: String, _ db: any SQLDatabase) -> any SQLExpression {
        db.dialect.name == "postgresql"
            ? SQLAlias(SQLFunction("CAST", args: SQLRaw("\(column) AS TEXT")), as: SQLIdentifier(column)) : SQLIdentifier(column)
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
