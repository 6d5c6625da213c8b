import CustodianCore
import Foundation
import SQLKit

extension SQLRegisterTransaction {
    func appendAudit(_ entries: [AuditEntry]) async throws {
        guard let audit else { throw StoreError.refusedWrite("a lookup cannot log: its use case must read as a consultation") }
        audit.add(entries)
    }

    func auditEntries(_ q: AuditQuery) async throws -> [RecordedAuditEntry] {
        try await AuditLogSQL(db: db).query(q)
    }
}
