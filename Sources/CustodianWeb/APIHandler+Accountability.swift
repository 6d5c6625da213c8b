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

extension APIHandler {
    func getRecordOfProcessing(_ input: Operations.GetRecordOfProcessing.Input) async throws -> Operations.GetRecordOfProcessing.Output {
        let h = input.headers
        let r = try await register.recordOfProcessing(
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(
            .init(
                body: .json(
                    .init(
                        generatedAt: r.generatedAt.date, controller: r.controller, dataProtectionOfficer: r.dataProtectionOfficer,
                        purposes: r.purposes, legalBasis: r.legalBasis, subjectCategories: r.subjectCategories,
                        dataCategories: try r.dataCategories.map { .init(field: $0.field, kind: try $0.kind.wire(), meaning: $0.meaning) },
                        recipients: try r.recipients.map {
                            .init(
                                partnerKind: try wire($0.partnerKind), agreement: $0.agreement, legalPower: $0.legalPower,
                                fields: $0.fields,
                                until: $0.until.description)
                        },
                        transfers: r.transfers, retention: r.retention,
                        profiling: .init(
                            method: r.profiling.method, rulebookVersion: r.profiling.rulebookVersion,
                            offenceWeights: .init(additionalProperties: r.profiling.offenceWeights), bands: r.profiling.bands,
                            humanDecision: r.profiling.humanDecision),
                        security: r.security, logging: try r.logging.map { try wire($0) }, dpia: r.dpia,
                        sensitiveProcessing: r.sensitiveProcessing))))
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

/// The appropriate policy document over the API.
extension APIHandler {
    func listPolicyDocuments(_ input: Operations.ListPolicyDocuments.Input) async throws -> Operations.ListPolicyDocuments.Output {
        let h = input.headers
        let all = try await register.policyDocuments(
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try all.map(Schemas.PolicyDocument.init))))
    }

    func draftPolicyDocument(_ input: Operations.DraftPolicyDocument.Input) async throws -> Operations.DraftPolicyDocument.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let document = try await register.draftPolicyDocument(
            PolicyDocumentDraft(conditions: b.conditions, procedures: b.procedures, retention: b.retention, reviewOn: b.reviewOn),
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .created(.init(body: .json(try .init(document))))
    }

    func approvePolicyDocument(_ input: Operations.ApprovePolicyDocument.Input) async throws -> Operations.ApprovePolicyDocument.Output {
        let h = input.headers
        let document = try await register.approvePolicyDocument(
            try id(input.path.policyDocumentId, "policyDocumentId"), by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(document))))
    }
}

extension Schemas.PolicyDocument {
    init(_ d: CustodianCore.PolicyDocument) throws {
        self.init(
            id: d.id.description, version: d.version, conditions: d.conditions, procedures: d.procedures, retention: d.retention,
            reviewOn: d.reviewOn.description, draftedBy: d.draftedBy.description, draftedAt: d.draftedAt.date,
            approvedBy: d.approvedBy?.description, approvedAt: d.approvedAt?.date, status: try d.status.wire())
    }
}

/// Governance's routine audit report over the API.
extension APIHandler {
    func getAuditReport(_ input: Operations.GetAuditReport.Input) async throws -> Operations.GetAuditReport.Output {
        let (from, until) = try period(input.query.from, input.query.until)
        let h = input.headers
        let (r, names) = try await register.auditReport(
            from: from, until: until, by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        func name(_ id: UserID) -> String { names[id] ?? id.description }
        return .ok(
            .init(
                body: .json(
                    .init(
                        from: r.from.date, until: r.until.date, entries: r.entries, truncated: r.truncated,
                        volume: try r.volume.map {
                            .init(
                                user: $0.user.description, username: name($0.user), role: try $0.role.wire(),
                                consultations: $0.consultations,
                                peerMedian: $0.peerMedian)
                        },
                        nightBursts: r.nightBursts.map {
                            .init(
                                user: $0.user.description, username: name($0.user), nightConsultations: $0.nightConsultations,
                                busiestHourCount: $0.busiestHourCount, busiestHourStart: $0.busiestHourStart.date)
                        },
                        outsideBorough: r.outsideBorough.map {
                            .init(user: $0.user.description, username: name($0.user), attempts: $0.attempts)
                        },
                        justifications: r.justifications.map {
                            .init(
                                user: $0.user.description, username: name($0.user), text: $0.text, entries: $0.entries, days: $0.days,
                                tooShort: $0.tooShort, repeated: $0.repeated)
                        },
                        sharesByRecipient: r.sharesByRecipient.map { .init(key: $0.key, count: $0.count) },
                        refusalsByRule: r.refusalsByRule.map { .init(key: $0.key, count: $0.count) }))))
    }
}
