import CustodianCore
import SQLKit
import Foundation

extension SQLRegisterTransaction {
    func insertMatters(_ matters: [Matter]) async throws {
        try await insertRows(
            into: "matters",
            [
                "id", "unit", "kind", "reference", "offence", "occurred_on", "basis", "source_type", "originating_unit", "author",
                "recorded_at_us", "source_id", "grade",
            ],
            try matters.map { m in
                [
                    m.id.description, m.unit.rawValue, m.kind.rawValue, m.reference, m.offence?.rawValue, m.occurredOn.description,
                    m.basis.rawValue, m.provenance.sourceType.rawValue, m.provenance.originatingUnit.code,
                    m.provenance.author.description, m.provenance.recordedAt.microseconds, m.provenance.source?.description,
                    try m.grade.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) },
                ]
            })
    }

    func updateMatter(_ m: Matter) async throws {
        try await db.update("matters")
            .set("kind", to: m.kind.rawValue).set("reference", to: m.reference).set("offence", to: m.offence?.rawValue)
            .set("occurred_on", to: m.occurredOn.description).set("basis", to: m.basis.rawValue)
            .set("grade", to: try m.grade.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) })
            .where("id", .equal, m.id.description).run()
    }

    func updateLinkCategory(_ id: LinkID, to category: Category) async throws {
        try await db.update("subject_matter_links").set("category", to: category.rawValue).where("id", .equal, id.description).run()
    }

    func eraseMatter(_ id: MatterID) async throws {
        try await db.delete(from: "legacy_source_labels").where("record_table", .equal, "matters").where(
            "record_id", .equal, id.description
        )
        .run()
        try await db.delete(from: "matters").where("id", .equal, id.description).run()
    }

    func matter(_ id: MatterID) async throws -> Matter? {
        try await matters([id]).first
    }

    func matters(_ ids: [MatterID]) async throws -> [Matter] {
        try Self.matters(from: try await db.rows(from: "matters", where: "id", in: ids.map(\.description)))
    }

    func matter(reference: String, unit: Borough) async throws -> Matter? {
        try Self.matters(
            from: try await db.select().column("*").from("matters")
                .where("reference", .equal, reference).where("unit", .equal, unit.rawValue)
                .orderBy("id", .descending).limit(1).all()
        ).first
    }

    private static func matters(from rows: [any SQLRow]) throws -> [Matter] {
        try rows.map { row in
            guard let date = LocalDate(iso: try row.text("occurred_on")) else { throw StoreError.corrupt("matter occurred_on") }
            return Matter(
                id: try row.id("id"), unit: try row.borough("unit"), kind: try row.enumeration("kind", as: Matter.Kind.self),
                reference: try row.text("reference"),
                offence: try row.optionalText("offence").map { raw in
                    guard let o = OffenceType(rawValue: raw) else { throw StoreError.corrupt("offence \(raw)") }
                    return o
                },
                occurredOn: date, basis: try row.enumeration("basis", as: Basis.self), provenance: try row.provenance(),
                grade: try row.optionalText("grade").map { try JSONDecoder().decode(IntelligenceGrade.self, from: Data($0.utf8)) })
        }
    }

    func insertLinks(_ links: [SubjectMatterLink]) async throws {
        try await insertRows(
            into: "subject_matter_links",
            ["id", "subject_id", "matter_id", "category", "basis", "source_type", "originating_unit", "author", "recorded_at_us"],
            links.map { l in
                [
                    l.id.description, l.subjectID.description, l.matterID.description, l.category.rawValue, l.basis.rawValue,
                    l.provenance.sourceType.rawValue, l.provenance.originatingUnit.code, l.provenance.author.description,
                    l.provenance.recordedAt.microseconds,
                ]
            })
    }

    func links(subject: SubjectID) async throws -> [SubjectMatterLink] {
        try await links(where: "subject_id", [subject.description])
    }

    func links(subjects: [SubjectID]) async throws -> [SubjectMatterLink] {
        try await links(where: "subject_id", subjects.map(\.description))
    }

    func links(matter: MatterID) async throws -> [SubjectMatterLink] {
        try await links(where: "matter_id", [matter.description])
    }

    private func links(where column: String, _ values: [String]) async throws -> [SubjectMatterLink] {
        try await db.rows(from: "subject_matter_links", where: column, in: values, orderBy: [("id", .ascending)]).map { row in
            SubjectMatterLink(
                id: try row.id("id"), subjectID: try row.id("subject_id"), matterID: try row.id("matter_id"),
                category: try row.enumeration("category", as: CustodianCore.Category.self),
                basis: try row.enumeration("basis", as: Basis.self), provenance: try row.provenance())
        }
    }
}
