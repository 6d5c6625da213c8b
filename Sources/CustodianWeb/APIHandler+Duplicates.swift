import CustodianAPI
import CustodianCore
import Foundation

/// Records of one person across boroughs: the queue, the scan, decisions and their reversal.
extension APIHandler {
    func listDuplicatePairs(_ input: Operations.ListDuplicatePairs.Input) async throws -> Operations.ListDuplicatePairs.Output {
        let h = input.headers
        let page = try await register.duplicateQueue(
            offset: input.query.offset ?? 0, limit: input.query.limit ?? Register.duplicatePageSize, by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(.init(pairs: try page.pairs.map(Schemas.DuplicatePair.init), total: page.total, next: page.next))))
    }

    func scanForDuplicates(_ input: Operations.ScanForDuplicates.Input) async throws -> Operations.ScanForDuplicates.Output {
        let h = input.headers
        let scan = try await register.scanForDuplicates(
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(.init(compared: scan.compared, candidates: scan.candidates))))
    }

    func decideDuplicate(_ input: Operations.DecideDuplicate.Input) async throws -> Operations.DecideDuplicate.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let decision = try await register.decideDuplicate(
            try id(b.first, "first"), try id(b.second, "second"), verdict: b.verdict.rawValue, reason: b.reason,
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .created(.init(body: .json(try .init(decision))))
    }

    func reverseDuplicateDecision(_ input: Operations.ReverseDuplicateDecision.Input) async throws
        -> Operations.ReverseDuplicateDecision.Output
    {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let decision = try await register.reverseDuplicateDecision(
            try id(input.path.id, "id"), reason: b.reason, by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(decision))))
    }

    func listDuplicateDecisions(_ input: Operations.ListDuplicateDecisions.Input) async throws -> Operations.ListDuplicateDecisions.Output {
        let h = input.headers
        let decisions = try await register.duplicateDecisions(
            of: try id(input.path.subjectId, "subjectId"), by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try decisions.map(Schemas.DuplicateDecision.init))))
    }
}

extension Schemas.DuplicateEvidence {
    init(_ e: DuplicateEvidence) throws {
        self.init(code: try e.wire(), weight: e.weight, explanation: e.explanation)
    }
}

extension Schemas.DuplicateSide {
    init(_ s: DuplicateSide) throws {
        let p = s.personal
        self.init(
            id: s.id.description, unit: try s.unit.wire(), names: p.names.map { .init(given: $0.given, family: $0.family) },
            aliases: p.aliases, nickname: p.nickname, dateOfBirth: p.dateOfBirth?.description, pncId: p.pncID, sex: try p.sex.wire())
    }
}

extension Schemas.DuplicatePair {
    init(_ p: DuplicatePair) throws {
        self.init(
            key: p.candidate.pair.key, score: p.candidate.match.score,
            evidence: try p.candidate.match.evidence.map(Schemas.DuplicateEvidence.init), first: try .init(p.first),
            second: try .init(p.second), notSure: try p.notSure.map(Schemas.DuplicateDecision.init))
    }
}

extension Schemas.DuplicateDecision {
    init(_ d: DuplicateDecision) throws {
        self.init(
            id: d.id.description, first: d.pair.first.description, second: d.pair.second.description, verdict: try d.verdict.wire(),
            reason: d.reason, decidedBy: d.decidedBy.description, role: try d.role.wire(), at: d.at.date, score: d.score,
            evidence: try d.evidence.map(Schemas.DuplicateEvidence.init), inForce: d.inForce,
            reversal: d.reversal.map { .init(reason: $0.reason, by: $0.by.description, at: $0.at.date) })
    }
}

extension Schemas.SameSubject {
    init(_ s: SameSubject) throws {
        self.init(
            subjectId: s.subject.description, unit: try s.unit.wire(), decisionId: s.decision.id.description, reason: s.decision.reason,
            decidedBy: s.decision.decidedBy.description, at: s.decision.at.date)
    }
}
