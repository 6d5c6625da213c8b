import CustodianCore
import Foundation
import SQLKit

extension SQLRegisterTransaction {
    func insertIntelligence(_ items: [SealedIntelligence]) async throws {
        try await insertRows(
            into: "intelligence",
            [
                "id", "subject_id", "unit", "grade_scheme", "grade_source", "grade_assessment", "grade_handling", "grade_conditions",
                "basis", "source_type", "originating_unit", "author", "recorded_at_us", "content", "source_id",
            ],
            items.map { i in
                let (scheme, source, assessment, handling, conditions): (String, String, String, String, String?) =
                    switch i.grade {
                    case .current(let g): ("3x5x2", g.source.rawValue, g.assessment.rawValue, g.handling.rawValue, g.conditions)
                    case .legacy(let g): ("5x5x5", g.source, g.intelligence, g.handling, nil)
                    }
                return [
                    i.id.description, i.subjectID.description, i.unit.rawValue, scheme, source, assessment, handling, conditions,
                    i.basis.rawValue, i.provenance.sourceType.rawValue, i.provenance.originatingUnit.code,
                    i.provenance.author.description, i.provenance.recordedAt.microseconds, i.content.base64EncodedString(),
                    i.provenance.source?.description,
                ]
            })
    }

    func updateIntelligence(_ id: IntelligenceID, content: Data, grade: IntelligenceGrade) async throws {
        let (scheme, source, assessment, handling, conditions): (String, String, String, String, String?) =
            switch grade {
            case .current(let g): ("3x5x2", g.source.rawValue, g.assessment.rawValue, g.handling.rawValue, g.conditions)
            case .legacy(let g): ("5x5x5", g.source, g.intelligence, g.handling, nil)
            }
        try await db.update("intelligence")
            .set("content", to: content.base64EncodedString()).set("grade_scheme", to: scheme).set("grade_source", to: source)
            .set("grade_assessment", to: assessment).set("grade_handling", to: handling).set("grade_conditions", to: conditions)
            .where("id", .equal, id.description).run()
    }

    func intelligence(_ id: IntelligenceID) async throws -> SealedIntelligence? {
        guard let row = try await db.select().column("*").from("intelligence").where("id", .equal, id.description).first() else {
            return nil
        }
        return try sealedIntelligence(row)
    }

    func intelligence(subject: SubjectID) async throws -> [SealedIntelligence] {
        try await intelligence(subjects: [subject])
    }

    func intelligence(subjects: [SubjectID]) async throws -> [SealedIntelligence] {
        try await db.rows(
            from: "intelligence", where: "subject_id", in: subjects.map(\.description),
            orderBy: [("recorded_at_us", .descending), ("id", .ascending)]
        ).map(sealedIntelligence)
    }

    private func sealedIntelligence(_ row: any SQLRow) throws -> SealedIntelligence {
        let grade: IntelligenceGrade
        switch try row.text("grade_scheme") {
        case "3x5x2":
            grade = .current(
                ThreeByFiveByTwo(
                    source: try row.enumeration("grade_source", as: ThreeByFiveByTwo.Source.self),
                    assessment: try row.enumeration("grade_assessment", as: ThreeByFiveByTwo.Assessment.self),
                    handling: try row.enumeration("grade_handling", as: ThreeByFiveByTwo.Handling.self),
                    conditions: try row.optionalText("grade_conditions")))
        default:
            grade = .legacy(
                FiveByFiveByFive(
                    source: try row.text("grade_source"), intelligence: try row.text("grade_assessment"),
                    handling: try row.text("grade_handling")))
        }
        return SealedIntelligence(
            id: try row.id("id"), subjectID: try row.id("subject_id"), unit: try row.borough("unit"), grade: grade,
            basis: try row.enumeration("basis", as: Basis.self), provenance: try row.provenance(),
            content: try row.data("content"))
    }

    func insertFlag(_ permitted: Permitted<Flag>) async throws {
        let f = permitted.value
        try await db.insert(into: "flags")
            .columns("id", "subject_id", "unit", "kind", "originating_unit", "author", "recorded_at_us")
            .values(
                f.id.description, f.subjectID.description, f.unit.rawValue, f.kind.rawValue,
                f.provenance.originatingUnit.code, f.provenance.author.description, f.provenance.recordedAt.microseconds
            )
            .run()
        let insert = db.insert(into: "flag_evidence").columns("flag_id", "evidence_kind", "evidence_id")
        for evidence in f.evidence {
            switch evidence {
            case .intelligence(let id): insert.values(f.id.description, "intelligence", id.description)
            case .matter(let id): insert.values(f.id.description, "matter", id.description)
            }
        }
        try await insert.run()
    }

    func flags(subject: SubjectID) async throws -> [Flag] {
        try await flags(subjects: [subject])
    }

    /// Two statements for any number of people (a statement a kind per 500): their flags, then
    /// every flag's evidence.
    func flags(subjects: [SubjectID]) async throws -> [Flag] {
        let rows = try await db.rows(from: "flags", where: "subject_id", in: subjects.map(\.description), orderBy: [("id", .ascending)])
        var evidence: [String: [Evidence]] = [:]
        let evidenceRows = try await db.rows(
            from: "flag_evidence", where: "flag_id", in: try rows.map { try $0.text("id") },
            orderBy: [("evidence_kind", .ascending), ("evidence_id", .ascending)])
        for e in evidenceRows {
            let item: Evidence
            if try e.text("evidence_kind") == "matter" {
                let matter: MatterID = try e.id("evidence_id")
                item = .matter(matter)
            } else {
                let intelligence: IntelligenceID = try e.id("evidence_id")
                item = .intelligence(intelligence)
            }
            evidence[try e.text("flag_id"), default: []].append(item)
        }
        return try rows.map { row in
            let id: FlagID = try row.id("id")
            return Flag(
                id: id, subjectID: try row.id("subject_id"), unit: try row.borough("unit"),
                kind: try row.enumeration("kind", as: Flag.Kind.self),
                evidence: evidence[id.description] ?? [],
                provenance: Provenance(
                    sourceType: .police, originatingUnit: try row.unit("originating_unit"),
                    author: try row.id("author"), recordedAt: Timestamp(microseconds: try row.int64("recorded_at_us"))))
        }
    }
}
