import CustodianCore
import Foundation
import SQLKit

extension SQLRegisterTransaction {
    func insertSubject(_ s: SealedSubject) async throws {
        try await db.insert(into: "subjects")
            .columns("id", "unit", "source_type", "originating_unit", "author", "recorded_at_us", "personal", "sensitive")
            .values(s.id.description, s.unit.rawValue, s.provenance.sourceType.rawValue, s.provenance.originatingUnit.code,
                    s.provenance.author.description, s.provenance.recordedAt.microseconds,
                    s.personal.base64EncodedString(), s.sensitive.base64EncodedString())
            .run()
    }

    func subject(_ id: SubjectID) async throws -> SealedSubject? {
        guard let row = try await db.select().column("*").from("subjects").where("id", .equal, id.description).first() else { return nil }
        return try Self.sealedSubject(row)
    }

    func subjects(units: [Borough]?, before: SubjectID?, limit: Int) async throws -> [SealedSubject] {
        let query = db.select().column("*").from("subjects")
        if let units { query.where("unit", .in, units.map(\.rawValue)) }
        if let before { query.where("id", .lessThan, before.description) }
        return try await query.orderBy("id", .descending).limit(limit).all().map(Self.sealedSubject)
    }

    private static func sealedSubject(_ row: any SQLRow) throws -> SealedSubject {
        SealedSubject(id: try row.id("id"), unit: try row.borough("unit"), provenance: try row.provenance(),
                      personal: try row.data("personal"), sensitive: try row.data("sensitive"))
    }

    func insertSearchTokens(_ tokens: [String], subject: SubjectID, unit: Borough) async throws {
        guard !tokens.isEmpty else { return }
        let insert = db.insert(into: "subject_search").columns("subject_id", "unit", "token")
        for token in tokens { insert.values(subject.description, unit.rawValue, token) }
        try await insert.run()
    }

    func subjectsHolding(tokens: [String], units: [Borough]?) async throws -> [String: Set<SubjectID>] {
        guard !tokens.isEmpty else { return [:] }
        let query = db.select().columns("subject_id", "token").from("subject_search").where("token", .in, tokens)
        if let units { query.where("unit", .in, units.map(\.rawValue)) }
        var hits: [String: Set<SubjectID>] = [:]
        for row in try await query.all() {
            hits[try row.text("token"), default: []].insert(try row.id("subject_id"))
        }
        return hits
    }
}
