import CustodianCore
import Foundation
import SQLKit

/// The s.62 log as a Merkle log. `audit_log` holds each entry's canonical bytes (what is hashed,
/// and the only copy of what the entry says) with the few columns the auditor filters on;
/// `audit_tiles` holds the tree as C2SP-style tiles of 256 hashes, so proofs need no rebuild;
/// `audit_checkpoints` keeps every signed checkpoint.
enum AuditLogSchema {
    /// Each witness's cosignature line on a checkpoint, appended to the checkpoint's note wherever
    /// it is served, so the note published is the cosigned one.
    @Sendable static func cosignatures(_ db: any SQLDatabase) async throws {
        try await db.create(table: "audit_cosignatures")
            .column("size", type: .bigint, .notNull)
            .column("witness", type: .text, .notNull)
            .column("line", type: .text, .notNull)
            .column("cosigned_at", type: .bigint, .notNull)
            .primaryKey("size", "witness")
            .run()
    }

    static func create(_ db: any SQLDatabase) async throws {
        try await db.create(table: "audit_log")
            .column("seq", type: .bigint, .primaryKey(autoIncrement: false))
            .column("at_us", type: .bigint, .notNull)
            .column("actor_id", type: .text, .notNull)
            .column("operation", type: .text, .notNull)
            .column("entry", type: .blob, .notNull)
            .run()
        try await db.create(index: "audit_log_actor").on("audit_log").column("actor_id").column("seq").run()
        try await db.create(index: "audit_log_time").on("audit_log").column("at_us").run()
        try await db.create(table: "audit_log_subjects")
            .column("subject_id", type: .text, .notNull)
            .column("seq", type: .bigint, .notNull)
            .primaryKey("subject_id", "seq")
            .run()
        // level: the tile level (tile level t holds Merkle nodes of level 8t); idx: the tile's index
        // at that level; hashes: up to 256 concatenated 32-byte hashes, fewer while it fills.
        try await db.create(table: "audit_tiles")
            .column("level", type: .int, .notNull)
            .column("idx", type: .bigint, .notNull)
            .column("hashes", type: .blob, .notNull)
            .primaryKey("level", "idx")
            .run()
        try await db.create(table: "audit_checkpoints")
            .column("size", type: .bigint, .primaryKey(autoIncrement: false))
            .column("root", type: .blob, .notNull)
            .column("note", type: .text, .notNull)
            .column("published_at_us", type: .bigint, .notNull)
            .run()
        try await moveLegacyEntries(db)
    }

    /// Entries written before the log became a Merkle log move over in their canonical form, in
    /// order, and the old tables go: one log, one source of truth.
    private static func moveLegacyEntries(_ db: any SQLDatabase) async throws {
        var subjectsBySeq: [Int64: [SubjectID]] = [:]
        for row in try await db.select().columns("seq", "subject_id").from("audit_subjects").orderBy("subject_id").all() {
            subjectsBySeq[try row.int64("seq"), default: []].append(try row.id("subject_id"))
        }
        var recorded: [RecordedAuditEntry] = []
        for row in try await db.select().column("*").from("audit_entries").orderBy("seq").all() {
            let old = try row.int64("seq")
            let touched = try JSONDecoder().decode([AuditResource].self, from: Data(try row.text("touched").utf8))
            recorded.append(
                RecordedAuditEntry(
                    sequence: Int64(recorded.count),
                    entry: AuditEntry(
                        at: Timestamp(microseconds: try row.int64("at_us")),
                        operation: try row.enumeration("operation", as: AuditEntry.Operation.self),
                        action: try row.text("action"), actorID: try row.id("actor_id"),
                        role: try row.enumeration("actor_role", as: Role.self),
                        unit: try row.unit("actor_unit"), purpose: try row.optionalText("purpose").flatMap(Purpose.init(rawValue:)),
                        justification: try row.optionalText("justification"), subjects: subjectsBySeq[old] ?? [],
                        recipient: try row.optionalText("recipient"), touched: touched, outcome: try row.optionalText("outcome"))))
        }
        try await AuditLogSQL(db: db).insert(recorded)
        try await db.drop(table: "audit_subjects").run()
        try await db.drop(table: "audit_entries").run()
    }
}
