public import Foundation

/// A signed checkpoint as the log keeps it: the checkpoint, the signed note that carries it, and
/// when it was published.
public struct StoredCheckpoint: Sendable, Equatable {
    public let checkpoint: Checkpoint
    public let note: String
    public let publishedAt: Timestamp
    public init(checkpoint: Checkpoint, note: String, publishedAt: Timestamp) {
        (self.checkpoint, self.note, self.publishedAt) = (checkpoint, note, publishedAt)
    }
}

/// An entry with its stored bytes: the leaf its hash is computed over, and a committed entry's
/// openings after it.
public struct LoggedEntry: Sendable, Equatable {
    public let recorded: RecordedAuditEntry
    public let stored: Data
    public init(recorded: RecordedAuditEntry, stored: Data) { (self.recorded, self.stored) = (recorded, stored) }
    /// The exact bytes the leaf hash is computed over.
    public var canonical: Data { CanonicalEntry.leaf(stored) }
    public var leafHash: TreeHash { Merkle.leafHash(canonical) }
}

/// The port to the log's Merkle tree: publishing checkpoints and answering proofs. Entries are
/// appended through `RegisterStore`; this side turns them into a tree an outsider can check.
public protocol AuditLedger: Sendable {
    var verifier: NoteVerifier { get }
    /// Signs with Custodian's Ed25519 key (the one checkpoints are signed with): package manifests.
    func signature(for data: Data) throws -> Data
    /// Integrates every entry logged so far and publishes a signed checkpoint if the tree grew.
    @discardableResult func publish() async throws -> StoredCheckpoint?
    func latestCheckpoint() async throws -> StoredCheckpoint?
    func checkpoint(size: Int64) async throws -> StoredCheckpoint?
    /// RFC 6962 §2.1.1 audit path of leaf `index` in the tree of `size` (size <= the latest checkpoint's).
    func inclusionProof(index: Int64, size: Int64) async throws -> [TreeHash]
    /// RFC 6962 §2.1.2 proof that the tree of `old` is a prefix of the tree of `new`.
    func consistencyProof(old: Int64, new: Int64) async throws -> [TreeHash]
    func entries(from start: Int64, count: Int) async throws -> [LoggedEntry]
    /// Re-reads every entry against the tree and every kept checkpoint; throws `LogFault` naming
    /// the first fault found. Reports the entries read against the newest checkpoint's size.
    func verify(progress: @escaping @Sendable (WorkProgress) -> Void) async throws -> LogVerification.Summary
}

extension AuditLedger {
    public func verify() async throws -> LogVerification.Summary { try await verify(progress: { _ in }) }
}
