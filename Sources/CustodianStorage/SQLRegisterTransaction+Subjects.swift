import CustodianCore
import Foundation
import SQLKit

extension SQLRegisterTransaction {
    func insertSubjects(_ subjects: [SealedSubject]) async throws {
        try await insertRows(
            into: "subjects",
            ["id", "unit", "source_type", "originating_unit", "author", "recorded_at_us", "personal", "sensitive", "source_id"],
            subjects.map { s in
                [
                    s.id.description, s.unit.rawValue, s.provenance.sourceType.rawValue, s.provenance.originatingUnit.code,
                    s.provenance.author.description, s.provenance.recordedAt.microseconds,
                    s.personal.base64EncodedString(), s.sensitive.base64EncodedString(), s.provenance.source?.description,
                ]
            })
    }

    func updateSubjectPersonal(_ id: SubjectID, sealed: Data) async throws {
        try await db.update("subjects").set("personal", to: sealed.base64EncodedString()).where("id", .equal, id.description).run()
    }

    func subject(_ id: SubjectID) async throws -> SealedSubject? {
        try await Self.selectSubjects(db).where("id", .equal, id.description).first().map(Self.sealedSubject)
    }

    func subjects(_ ids: [SubjectID]) async throws -> [SealedSubject] {
        try await db.rows(from: "subjects", where: "id", in: ids.map(\.description), select: Self.selectSubjects).map(Self.sealedSubject)
    }

    func subjects(units: [Borough]?, before: SubjectID?, limit: Int) async throws -> [SealedSubject] {
        let query = Self.selectSubjects(db)
        if let units { query.where("unit", .in, units.map(\.rawValue)) }
        if let before { query.where("id", .lessThan, before.description) }
        return try await query.orderBy("id", .descending).limit(limit).all().map(Self.sealedSubject)
    }

    /// Subjects with whether each is restricted, in the same statement (a round trip fewer for
    /// every record, page and search).
    private static func selectSubjects(_ db: any SQLDatabase) -> SQLSelectBuilder {
        db.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("subjects")))
            .column(
                SQLRaw(
                    "CASE WHEN EXISTS (SELECT 1 FROM subject_restrictions WHERE subject_restrictions.subject_id = subjects.id) THEN 1 ELSE 0 END"
                ), as: "restricted"
            )
            .from("subjects")
    }

    private static func sealedSubject(_ row: any SQLRow) throws -> SealedSubject {
        SealedSubject(
            id: try row.id("id"), unit: try row.borough("unit"), provenance: try row.provenance(),
            personal: try row.data("personal"), sensitive: try row.data("sensitive"), restricted: try row.int64("restricted") != 0)
    }

    func insertRestriction(subject: SubjectID, by: UserID, at: Timestamp, sealedReason: Data) async throws {
        try await db.insert(into: "subject_restrictions").columns("subject_id", "restricted_by", "at_us", "sealed_reason")
            .values(subject.description, by.description, at.microseconds, sealedReason.base64EncodedString()).run()
    }

    func restriction(subject: SubjectID) async throws -> (by: UserID, at: Timestamp, sealedReason: Data)? {
        try await db.select().column("*").from("subject_restrictions").where("subject_id", .equal, subject.description).first().map { row in
            (try row.id("restricted_by"), Timestamp(microseconds: try row.int64("at_us")), try row.data("sealed_reason"))
        }
    }

    func countErasure(unit: Borough, on day: LocalDate) async throws {
        let current = try await db.select().column("erased").from("erasure_tally")
            .where("unit", .equal, unit.rawValue).where("on_day", .equal, day.description).first().map { try $0.int64("erased") }
        if let current {
            try await db.update("erasure_tally").set("erased", to: current + 1)
                .where("unit", .equal, unit.rawValue).where("on_day", .equal, day.description).run()
        } else {
            try await db.insert(into: "erasure_tally").columns("unit", "on_day", "erased").values(unit.rawValue, day.description, Int64(1))
                .run()
        }
    }

    func erasures(from: LocalDate, until: LocalDate) async throws -> [Borough: Int] {
        var out: [Borough: Int] = [:]
        for row in try await db.select().columns("unit", "erased").from("erasure_tally")
            .where("on_day", .greaterThanOrEqual, from.description).where("on_day", .lessThanOrEqual, until.description).all()
        {
            out[try row.borough("unit"), default: 0] += Int(try row.int64("erased"))
        }
        return out
    }

    func eraseSubject(_ subject: SubjectID) async throws {
        let id = subject.description
        // Children first, so foreign keys hold at every step on both databases.
        let flags = try await db.select().column("id").from("flags").where("subject_id", .equal, id).all().map { try $0.text("id") }
        if !flags.isEmpty { try await db.delete(from: "flag_evidence").where("flag_id", .in, flags).run() }
        try await db.delete(from: "flags").where("subject_id", .equal, id).run()
        try await db.delete(from: "intelligence").where("subject_id", .equal, id).run()
        try await db.delete(from: "subject_matter_links").where("subject_id", .equal, id).run()
        // Rows an older register kept beside its data (before the index moved to the key store).
        try await db.delete(from: "subject_search").where("subject_id", .equal, id).run()
        for table in [
            "inclusions", "reviews", "harm_assessments", "subject_restrictions", "disclosure_records", "child_actions", "rectifications",
            "retention_reviews",
        ] {
            try await db.delete(from: table).where("subject_id", .equal, id).run()
        }
        try await db.delete(from: "legacy_source_labels").where("subject_id", .equal, id).run()
        for table in ["duplicate_candidates", "duplicate_decisions"] {
            try await db.delete(from: table).where("first_id", .equal, id).orWhere("second_id", .equal, id).run()
        }
        try await db.delete(from: "subjects").where("id", .equal, id).run()
    }

}
