/// The audit log: entries appended in the same transaction as the changes they describe, and read
/// back.
public protocol AuditStore: Sendable {
    func appendAudit(_ entries: [AuditEntry]) async throws
    func auditEntries(_ query: AuditQuery) async throws -> [RecordedAuditEntry]
}
