public import SQLKit

/// A database the store can run transactions on. Two implementations: SQLite (embedded default)
/// and PostgreSQL (production). Everything above this sees only `any SQLDatabase`.
public protocol SQLDriver: Sendable {
    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// Runs `body` on a connection for reading, beside the writer: consultations and proofs.
    /// Writes there fail.
    func read<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// Runs `body`, which sends one SELECT, on a connection for reading with no transaction
    /// around it: a single statement is its own snapshot, and the BEGIN and COMMIT a `read` adds
    /// are each a trip to the database's thread or server. For lookups made on every consultation.
    /// Unlike `read`, it is not refused a write on every database (PostgreSQL's read-only mode is a
    /// transaction's): only the key store's lookups call it.
    func readStatement<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    func close() async throws
}
