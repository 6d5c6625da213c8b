public import SQLKit

/// A database the store can run transactions on. Two implementations: SQLite (embedded default)
/// and PostgreSQL (production). Everything above this sees only `any SQLDatabase`.
public protocol SQLDriver: Sendable {
    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// Runs `body` on a connection for reading, beside the writer: consultations and proofs.
    /// Writes there fail.
    func read<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// Runs a `body` that issues exactly one statement, which commits on its own: on PostgreSQL
    /// outside any BEGIN/COMMIT (one round trip where a transaction takes four); elsewhere, in a
    /// transaction. A body of more than one statement must use `transaction`: here they would
    /// commit one by one.
    func statement<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    func close() async throws
}

extension SQLDriver {
    public func statement<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await transaction(body)
    }
}
