import CustodianAPI
import CustodianCore
import Foundation

/// The DPIA over the API: governance drafts, the DPO advises, a second governance user approves.
extension APIHandler {
    func listDPIAs(_ input: Operations.ListDPIAs.Input) async throws -> Operations.ListDPIAs.Output {
        let h = input.headers
        let (versions, standing) = try await register.dpias(
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(
            .init(
                body: .json(
                    .init(
                        versions: try versions.map(Schemas.DPIAVersion.init), inForceVersion: standing.inForce?.version,
                        daysToReview: standing.daysToReview, reviewSoon: standing.reviewSoon))))
    }

    func draftDPIA(_ input: Operations.DraftDPIA.Input) async throws -> Operations.DraftDPIA.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let dpia = try await register.draftDPIA(
            DPIADraft(
                processing: b.processing, necessity: b.necessity, risks: b.risks, measures: b.measures,
                priorConsultation: b.priorConsultation ?? false, icoAdvice: b.icoAdvice, reviewOn: b.reviewOn),
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .created(.init(body: .json(try .init(dpia))))
    }

    func adviseOnDPIA(_ input: Operations.AdviseOnDPIA.Input) async throws -> Operations.AdviseOnDPIA.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let dpia = try await register.adviseOnDPIA(
            try id(input.path.dpiaId, "dpiaId"), advice: b.advice, by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(dpia))))
    }

    func approveDPIA(_ input: Operations.ApproveDPIA.Input) async throws -> Operations.ApproveDPIA.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let dpia = try await register.approveDPIA(
            try id(input.path.dpiaId, "dpiaId"), icoAdvice: b.icoAdvice, by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(dpia))))
    }
}

extension Schemas.DPIAVersion {
    init(_ d: CustodianCore.DPIA) throws {
        self.init(
            id: d.id.description, version: d.version, processing: d.processing, necessity: d.necessity, risks: d.risks,
            measures: d.measures, priorConsultation: d.priorConsultation, icoAdvice: d.icoAdvice, reviewOn: d.reviewOn.description,
            draftedBy: d.draftedBy.description, draftedAt: d.draftedAt.date, dpoAdvice: d.dpoAdvice, advisedBy: d.advisedBy?.description,
            advisedAt: d.advisedAt?.date, approvedBy: d.approvedBy?.description, approvedAt: d.approvedAt?.date, status: try d.status.wire()
        )
    }
}
