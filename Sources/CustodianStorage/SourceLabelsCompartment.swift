import Foundation
import SQLKit

extension Migrations {
    /// Source labels typed before the source register ("CHIS-0001" on an item) are
    /// source-identifying material: they move out of the record tables, which disclosures,
    /// answers and exports read, into a compartment of their own that none of them reads. Nothing
    /// is lost: each label is kept with the record it was typed on (and that record's person, so
    /// erasing the person takes it too) for the source unit to register properly.
    @Sendable static func sourceLabelsCompartment(_ db: any SQLDatabase) async throws {
        try await db.create(table: "legacy_source_labels")
            .column("record_table", type: .text, .notNull)
            .column("record_id", type: .text, .notNull)
            .column("subject_id", type: .text)
            .column("label", type: .text, .notNull)
            .primaryKey("record_table", "record_id")
            .run()
        try await db.create(index: "legacy_source_labels_subject").on("legacy_source_labels").column("subject_id").run()
        for (table, subject) in [
            ("subjects", "id"), ("intelligence", "subject_id"), ("subject_matter_links", "subject_id"), ("matters", "NULL"),
        ] {
            try await db.raw(
                """
                INSERT INTO legacy_source_labels (record_table, record_id, subject_id, label)
                SELECT \(bind: table), id, \(unsafeRaw: subject), source_reference FROM \(ident: table) WHERE source_reference IS NOT NULL
                """
            ).run()
            try await db.update(table).set("source_reference", to: SQLLiteral.null).where("source_reference", .isNot, SQLLiteral.null).run()
        }
    }
}
