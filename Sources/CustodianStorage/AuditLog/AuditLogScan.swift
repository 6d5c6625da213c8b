import CustodianCore
import Foundation
import SQLKit
import Synchronization

/// Reads the log in bulk for verification: a page of entries with their filter columns in one
/// statement, and the per-subject index folded into a digest as it streams by. Each database
/// answers below SQLKit's row decoding (which builds a decoder and a `Data` per column per row,
/// most of verification's time before); `SQLKitLogScan` is the same reads through SQLKit, for a
/// driver with no reader of its own. The fast readers are checked by the tree itself: the tiles
/// were hashed from bytes read through SQLKit, so a reader that changed a byte fails verification.
protocol AuditLogScan: Sendable {
    /// Up to `limit` entries with `seq >= start`, in order: a gap shows as a jump.
    func page(from start: Int64, limit: Int) async throws -> LogPage
    /// `digest` with every index row of an entry below `size` added.
    func subjectIndex(below size: Int64, into digest: SubjectIndexDigest) async throws -> SubjectIndexDigest
}

struct SQLKitLogScan: AuditLogScan {
    let driver: any SQLDriver

    func page(from start: Int64, limit: Int) async throws -> LogPage {
        try await driver.read { db in
            var page = LogPage(capacity: limit)
            for row in try await db.select().column(SQLIdentifier("seq")).column(SQLIdentifier("at_us"))
                .column(Dialect.auditIDText("actor_id", db)).columns("operation", "entry").from("audit_log")
                .where("seq", .greaterThanOrEqual, start).orderBy("seq").limit(limit).all()
            {
                let (seq, at, actor, operation) = (
                    try row.int64("seq"), try row.int64("at_us"), try row.text("actor_id"), try row.text("operation")
                )
                try row.decode(column: "entry", as: Data.self).withUnsafeBytes {
                    page.append(sequence: seq, time: at, actor: actor, operation: operation, entry: $0)
                }
            }
            return page
        }
    }

    func subjectIndex(below size: Int64, into digest: SubjectIndexDigest) async throws -> SubjectIndexDigest {
        try await driver.read { db in
            var digest = digest
            for row in try await db.select().column(SQLIdentifier("seq")).column(Dialect.auditIDText("subject_id", db))
                .from("audit_log_subjects").where("seq", .lessThan, size).all()
            {
                var text = try row.text("subject_id")
                let seq = try row.int64("seq")
                text.withUTF8 { digest.add(sequence: seq, subject: UnsafeRawBufferPointer($0)) }
            }
            return digest
        }
    }
}

/// What a row callback fills, on whichever thread the driver calls it.
final class Gathered<Value: Sendable>: Sendable {
    let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func take() -> Value { value.withLock { $0 } }
}

/// A row whose columns are not of the types the schema gives them: only an edit made outside
/// Custodian can store one.
func unreadableRow(_ table: String, after seq: Int64) -> StoreError {
    StoreError.corrupt("a row of \(table) at or after entry \(seq) does not hold the column types the schema gives it")
}
