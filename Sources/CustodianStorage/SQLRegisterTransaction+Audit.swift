import CustodianCore
import Foundation
import SQLKit

extension SQLRegisterTransaction {
    /// Holds the entries for the log: a write's until it commits, a consultation's until its
    /// read is done (`SQLRegisterStore`).
    func appendAudit(_ entries: [AuditEntry]) async throws {
        switch audit {
        case .atCommit(let held), .groupCommit(let held): held.add(entries)
        case .refused: throw StoreError.refusedWrite("a lookup cannot log: its use case must read as a consultation")
        }
    }

    func auditEntries(_ q: AuditQuery) async throws -> [RecordedAuditEntry] {
        try await AuditLogSQL(db: db).query(q)
    }
}
