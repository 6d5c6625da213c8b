import CustodianCore
import Foundation
import SQLKit

extension SQLRegisterTransaction {
    /// Appends entries with the next sequence numbers, inside the caller's transaction.
    func appendAudit(_ entries: [AuditEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await Dialect.lockAuditSequence(db)
        var last = try await db.select().column(SQLFunction("MAX", args: SQLIdentifier("seq")), as: "last").from("audit_entries")
            .first().flatMap { try $0.decode(column: "last", as: Int64?.self) } ?? 0
        // Bounded multi-row inserts: both databases cap the bind parameters of one statement.
        for start in stride(from: 0, to: entries.count, by: 400) {
            let chunk = Array(entries[start..<min(start + 400, entries.count)])
            try await insertAudit(chunk, after: last)
            last += Int64(chunk.count)
        }
    }

    private func insertAudit(_ entries: [AuditEntry], after last: Int64) async throws {
        let insert = db.insert(into: "audit_entries")
            .columns("seq", "at_us", "operation", "action", "actor_id", "actor_role", "actor_unit", "purpose", "justification", "recipient", "touched", "outcome")
        let subjects = db.insert(into: "audit_subjects").columns("seq", "subject_id")
        var anySubjects = false
        for (offset, e) in entries.enumerated() {
            let seq = last + 1 + Int64(offset)
            let touched = String(decoding: try JSONEncoder().encode(e.touched), as: UTF8.self)
            insert.values(seq, e.at.microseconds, e.operation.rawValue, e.action, e.actor.description, e.role.rawValue, e.unit.code,
                          e.purpose?.rawValue, e.justification, e.recipient, touched, e.outcome)
            for subject in Set(e.subjects).sorted(by: { $0.description < $1.description }) {
                subjects.values(seq, subject.description)
                anySubjects = true
            }
        }
        try await insert.run()
        if anySubjects { try await subjects.run() }
    }

    func auditEntries(_ q: AuditQuery) async throws -> [RecordedAuditEntry] {
        let select = db.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("audit_entries"))).from("audit_entries")
        if let subject = q.subject {
            select.join(SQLIdentifier("audit_subjects"), method: SQLJoinMethod.inner,
                        on: SQLBinaryExpression(left: SQLColumn("seq", table: "audit_subjects"), op: SQLBinaryOperator.equal, right: SQLColumn("seq", table: "audit_entries")))
                .where(SQLColumn("subject_id", table: "audit_subjects"), .equal, SQLBind(subject.description))
        }
        if let actor = q.actor { select.where(SQLColumn("actor_id", table: "audit_entries"), .equal, SQLBind(actor.description)) }
        if let op = q.operation { select.where(SQLColumn("operation", table: "audit_entries"), .equal, SQLBind(op.rawValue)) }
        if let from = q.from { select.where(SQLColumn("at_us", table: "audit_entries"), .greaterThanOrEqual, SQLBind(from.microseconds)) }
        if let until = q.until { select.where(SQLColumn("at_us", table: "audit_entries"), .lessThan, SQLBind(until.microseconds)) }
        if let before = q.before { select.where(SQLColumn("seq", table: "audit_entries"), .lessThan, SQLBind(before)) }
        let rows = try await select.orderBy(SQLColumn("seq", table: "audit_entries"), SQLDirection.descending).limit(q.limit).all()
        guard !rows.isEmpty else { return [] }
        let seqs = try rows.map { try $0.int64("seq") }
        var subjectsBySeq: [Int64: [SubjectID]] = [:]
        for row in try await db.select().columns("seq", "subject_id").from("audit_subjects").where("seq", .in, seqs).orderBy("subject_id").all() {
            subjectsBySeq[try row.int64("seq"), default: []].append(try row.id("subject_id"))
        }
        return try rows.map { row in
            let seq = try row.int64("seq")
            let touched = try JSONDecoder().decode([String].self, from: Data(try row.text("touched").utf8))
            let entry = AuditEntry(
                at: Timestamp(microseconds: try row.int64("at_us")), operation: try row.enumeration("operation", as: AuditEntry.Operation.self),
                action: try row.text("action"), actorID: try row.id("actor_id"), role: try row.enumeration("actor_role", as: Role.self),
                unit: try row.unit("actor_unit"), purpose: try row.optionalText("purpose").flatMap(Purpose.init(rawValue:)),
                justification: try row.optionalText("justification"), subjects: subjectsBySeq[seq] ?? [],
                recipient: try row.optionalText("recipient"), touched: touched, outcome: try row.optionalText("outcome"))
            return RecordedAuditEntry(sequence: seq, entry: entry)
        }
    }
}
