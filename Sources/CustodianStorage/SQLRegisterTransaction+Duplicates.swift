import CustodianCore
import Foundation
import SQLKit

extension SQLRegisterTransaction {
    // MARK: Duplicates across boroughs

    func replaceDuplicateCandidates(_ candidates: [DuplicateCandidate]) async throws {
        try await db.delete(from: "duplicate_candidates").run()
        for start in stride(from: 0, to: candidates.count, by: 500) {
            let insert = db.insert(into: "duplicate_candidates")
                .columns("pair_key", "first_id", "second_id", "first_unit", "second_unit", "score", "evidence", "found_at_us")
            for c in candidates[start..<min(start + 500, candidates.count)] {
                insert.values(
                    c.pair.key, c.pair.first.description, c.pair.second.description, c.firstUnit.rawValue, c.secondUnit.rawValue,
                    c.match.score, c.match.evidence.map(\.rawValue).joined(separator: " "), c.foundAt.microseconds)
            }
            try await insert.run()
        }
    }

    /// Pairs no settling decision in force has taken out of the queue.
    private func pendingCandidates() -> SQLSelectBuilder {
        db.select().from("duplicate_candidates")
            .where(
                SQLRaw(
                    "NOT EXISTS (SELECT 1 FROM duplicate_decisions d WHERE d.pair_key = duplicate_candidates.pair_key AND d.settles = 1)"))
    }

    func duplicateCandidates(offset: Int, limit: Int) async throws -> [DuplicateCandidate] {
        try await pendingCandidates().column("*").orderBy("score", .descending).orderBy("pair_key").offset(offset).limit(limit).all()
            .map { row in
                guard let pair = SubjectPair(try row.id("first_id"), try row.id("second_id")) else {
                    throw StoreError.corrupt("duplicate candidate \(try row.text("pair_key")) pairs a record with itself")
                }
                let evidence = try row.text("evidence").split(separator: " ").map { code in
                    guard let e = DuplicateEvidence(rawValue: String(code)) else {
                        throw StoreError.corrupt("evidence '\(code)' is unknown")
                    }
                    return e
                }
                return DuplicateCandidate(
                    pair: pair, firstUnit: try row.borough("first_unit"), secondUnit: try row.borough("second_unit"),
                    match: DuplicateMatch(score: Int(try row.int64("score")), evidence: evidence),
                    foundAt: Timestamp(microseconds: try row.int64("found_at_us")))
            }
    }

    func duplicateCandidateCount() async throws -> Int {
        Int(try await pendingCandidates().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").first()?.int64("n") ?? 0)
    }

    func upsertDuplicateDecision(_ decision: DuplicateDecision) async throws {
        let body = String(decoding: try Self.sortedJSON.encode(decision), as: UTF8.self)
        try await db.delete(from: "duplicate_decisions").where("id", .equal, decision.id.description).run()
        try await db.insert(into: "duplicate_decisions")
            .columns("id", "pair_key", "first_id", "second_id", "settles", "decided_at_us", "body")
            .values(
                decision.id.description, decision.pair.key, decision.pair.first.description, decision.pair.second.description,
                decision.settles ? 1 : 0, decision.at.microseconds, body
            )
            .run()
    }

    private func decisions(_ query: SQLSelectBuilder) async throws -> [DuplicateDecision] {
        try await query.column("body").orderBy("decided_at_us").orderBy("id").all()
            .map { try JSONDecoder().decode(DuplicateDecision.self, from: Data(try $0.text("body").utf8)) }
    }

    func duplicateDecision(_ id: DuplicateDecisionID) async throws -> DuplicateDecision? {
        try await decisions(db.select().from("duplicate_decisions").where("id", .equal, id.description)).first
    }

    func duplicateDecisions(pair: SubjectPair) async throws -> [DuplicateDecision] {
        try await decisions(db.select().from("duplicate_decisions").where("pair_key", .equal, pair.key))
    }

    func duplicateDecisions(subject: SubjectID) async throws -> [DuplicateDecision] {
        try await decisions(
            db.select().from("duplicate_decisions").where("first_id", .equal, subject.description)
                .orWhere("second_id", .equal, subject.description))
    }
}
