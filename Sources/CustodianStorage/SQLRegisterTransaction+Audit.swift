import CustodianCore
import Foundation
import SQLKit

extension SQLRegisterTransaction {
    /// In a write, appends inside the caller's transaction; in a consultation, holds the entries
    /// for the group commit that follows the read.
    func appendAudit(_ entries: [AuditEntry]) async throws {
        if let consulting { consulting.add(entries) } else { try await AuditLogSQL(db: db).append(entries) }
    }

    func auditEntries(_ q: AuditQuery) async throws -> [RecordedAuditEntry] {
        try await AuditLogSQL(db: db).query(q)
    }
}
