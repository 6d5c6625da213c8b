import CustodianAPI
import CustodianCore
import Foundation
import OpenAPIRuntime

/// Sharing: partners, agreements, shares, packages, the partner portal and recalls.
extension APIHandler {
    func listPartners(_ input: Operations.ListPartners.Input) async throws -> Operations.ListPartners.Output {
        .ok(.init(body: .json(try await register.partners(by: try Identity.required()).map(Schemas.Partner.init))))
    }

    func registerPartner(_ input: Operations.RegisterPartner.Input) async throws -> Operations.RegisterPartner.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let partner = try await register.registerPartner(
            PartnerDraft(
                name: b.name, kind: b.kind.rawValue, statutory: b.statutory, recipientIDs: b.recipientIds,
                ageRecipient: b.ageRecipient), by: try Identity.required())
        return .created(.init(body: .json(try .init(partner))))
    }

    func listAgreements(_ input: Operations.ListAgreements.Input) async throws -> Operations.ListAgreements.Output {
        let actor = try Identity.required()
        let today = register.clock.now().day
        return .ok(.init(body: .json(try await register.agreements(by: actor).map { try Schemas.Agreement($0, today: today) })))
    }

    func draftAgreement(_ input: Operations.DraftAgreement.Input) async throws -> Operations.DraftAgreement.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let actor = try Identity.required()
        let agreement = try await register.draftAgreement(try SharingAgreement(b, drafter: actor.id), by: actor)
        return .created(.init(body: .json(try .init(agreement, today: register.clock.now().day))))
    }

    func approveAgreement(_ input: Operations.ApproveAgreement.Input) async throws -> Operations.ApproveAgreement.Output {
        let agreement = try await register.approveAgreement(try id(input.path.agreementId, "agreementId"), by: try Identity.required())
        return .ok(.init(body: .json(try .init(agreement, today: register.clock.now().day))))
    }

    func reviewAgreement(_ input: Operations.ReviewAgreement.Input) async throws -> Operations.ReviewAgreement.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        var extendTo: LocalDate?
        if let text = b.extendTo {
            extendTo = LocalDate(iso: text)
            if extendTo == nil {
                throw RegisterError.invalid([
                    FieldViolation(field: "extendTo", rule: "date.format", message: "extendTo must be a date as YYYY-MM-DD")
                ])
            }
        }
        let agreement = try await register.reviewAgreement(
            try id(input.path.agreementId, "agreementId"), contactsChecked: b.contactsChecked,
            fitForPurpose: b.fitForPurpose, emergingIssues: b.emergingIssues, extendTo: extendTo,
            by: try Identity.required())
        return .ok(.init(body: .json(try .init(agreement, today: register.clock.now().day))))
    }

    func requestShare(_ input: Operations.RequestShare.Input) async throws -> Operations.RequestShare.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let request = try await register.requestShare(
            ShareDraft(
                agreementID: b.agreementId, partnerID: b.partnerId, subjectIDs: b.subjectIds,
                acknowledgedConditions: b.acknowledgedConditions ?? [],
                safeguardingRationale: b.safeguardingRationale),
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .created(.init(body: .json(try .init(request))))
    }

    func decideShare(_ input: Operations.DecideShare.Input) async throws -> Operations.DecideShare.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let request = try await register.decideShare(
            try id(input.path.shareId, "shareId"), approve: b.approve, reason: b.reason,
            excluding: b.excludedSubjectIds ?? [], by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(request))))
    }

    func getPackage(_ input: Operations.GetPackage.Input) async throws -> Operations.GetPackage.Output {
        let h = input.headers
        let built = try await register.package(
            try id(input.path.disclosureId, "disclosureId"), by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .binary(HTTPBody(built.encrypted))))
    }

    func recallCorrected(_ input: Operations.RecallCorrected.Input) async throws -> Operations.RecallCorrected.Output {
        let h = input.headers
        let raised = try await register.recallCorrected(
            try id(input.path.subjectId, "subjectId"), by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(.init(raised: raised))))
    }

    func recallDisclosure(_ input: Operations.RecallDisclosure.Input) async throws -> Operations.RecallDisclosure.Output {
        .created(
            .init(
                body: .json(
                    try .init(
                        try await register.recallDisclosure(try id(input.path.disclosureId, "disclosureId"), by: try Identity.required()))))
        )
    }

    func listRecalls(_ input: Operations.ListRecalls.Input) async throws -> Operations.ListRecalls.Output {
        .ok(.init(body: .json(try await register.recalls(by: try Identity.required()).map(Schemas.Recall.init))))
    }

    func acknowledgeRecall(_ input: Operations.AcknowledgeRecall.Input) async throws -> Operations.AcknowledgeRecall.Output {
        .ok(
            .init(
                body: .json(
                    try .init(
                        try await register.answerRecall(
                            try id(input.path.recallId, "recallId"), confirmDeletion: false, by: try Identity.required())))))
    }

    func confirmRecallDeletion(_ input: Operations.ConfirmRecallDeletion.Input) async throws -> Operations.ConfirmRecallDeletion.Output {
        .ok(
            .init(
                body: .json(
                    try .init(
                        try await register.answerRecall(
                            try id(input.path.recallId, "recallId"), confirmDeletion: true, by: try Identity.required())))))
    }

    func portalDisclosures(_ input: Operations.PortalDisclosures.Input) async throws -> Operations.PortalDisclosures.Output {
        let h = input.headers
        let shared = try await register.sharedWithMe(
            by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        let encoder = JSONEncoder()
        return .ok(
            .init(
                body: .json(
                    try shared.map { s in
                        Schemas.PortalDisclosure(
                            disclosureId: s.header.id.description, agreementTitle: s.agreementTitle, purpose: s.header.purpose,
                            expiresOn: s.header.expiresOn.description, watermark: s.header.watermark,
                            records: try s.records.map {
                                .init(
                                    additionalProperties: try JSONDecoder().decode(
                                        OpenAPIObjectContainer.self, from: try encoder.encode($0)))
                            })
                    })))
    }
}

extension Schemas.Partner {
    init(_ p: Partner) throws {
        self.init(
            id: p.id.description, name: p.name, kind: try p.kind.wire(), statutory: p.statutory,
            recipientIds: p.recipients.map(\.description),
            ageRecipient: p.key.description)
    }
}

extension Schemas.Agreement {
    init(_ a: SharingAgreement, today: LocalDate) throws {
        self.init(
            id: a.id.description, title: a.title, partnerIds: a.partners.map(\.description), purpose: a.purpose, legalPower: a.legalPower,
            fields: try a.fields.map(\.rawValue).sorted().map { try wire($0) }, categories: try a.categories.sorted().map { try $0.wire() },
            bands: try a.bands.map(\.rawValue).sorted().map { try wire($0) },
            safeguarding: a.safeguarding, handlingConditions: a.handlingConditions, sharesWeakIntelligence: a.sharesWeakIntelligence,
            onwardSharing: a.onwardSharing, retentionDays: a.retentionDays,
            securityTerms: a.securityTerms, signatories: a.signatories, startsOn: a.startsOn.description, reviewOn: a.reviewOn.description,
            expiresOn: a.expiresOn.description, status: try a.status.wire(), standing: try a.standing(on: today).wire(),
            approvals: a.approvals.map(\.description),
            proposedExtension: a.proposedExtension.map {
                .init(to: $0.to.description, proposedBy: $0.by.description, proposedAt: $0.at.date)
            })
    }
}

extension SharingAgreement {
    /// The wire shape parsed; every enumerated value and date named when wrong. The agreement's
    /// own rules are checked by the use case.
    init(_ b: Schemas.AgreementInput, drafter: UserID) throws {
        var v = Validator()
        let partners = b.partnerIds.enumerated().compactMap { i, text in
            let id = PartnerID(text)
            v.check(id != nil, "partnerIds[\(i)]", "id.format", "must be a partner id (a UUID)")
            return id
        }
        func parse<T: RawRepresentable>(_ values: [some RawRepresentable<String>], _ field: String, _ type: T.Type) -> Set<T>
        where T.RawValue == String, T: Hashable {
            Set(
                values.enumerated().compactMap { i, wire in
                    let value = T(rawValue: wire.rawValue)
                    v.check(value != nil, "\(field)[\(i)]", "\(field).known", "unknown value '\(wire.rawValue)'")
                    return value
                })
        }
        let fields = parse(b.fields, "fields", SharedField.self)
        let categories = parse(b.categories, "categories", Category.self)
        let bands = parse(b.bands, "bands", HarmBand.self)
        func day(_ text: String, _ field: String) -> LocalDate? {
            let d = LocalDate(iso: text)
            v.check(d != nil, field, "date.format", "\(field) must be a date as YYYY-MM-DD")
            return d
        }
        let (starts, review, expires) = (day(b.startsOn, "startsOn"), day(b.reviewOn, "reviewOn"), day(b.expiresOn, "expiresOn"))
        try v.finish()
        guard let starts, let review, let expires else { throw RegisterError.invalid(v.violations) }
        self.init(
            id: AgreementID(UUID()), title: b.title, partners: partners, purpose: b.purpose, legalPower: b.legalPower, fields: fields,
            categories: categories, bands: bands, safeguarding: b.safeguarding, handlingConditions: b.handlingConditions,
            onwardSharing: b.onwardSharing,
            retentionDays: b.retentionDays, securityTerms: b.securityTerms, signatories: b.signatories, startsOn: starts, reviewOn: review,
            expiresOn: expires, status: .draft, approvals: [], reviews: [], draftedBy: drafter,
            sharesWeakIntelligence: b.sharesWeakIntelligence ?? false)
    }
}

extension Schemas.ShareRequest {
    init(_ r: ShareRequest) throws {
        self.init(
            id: r.id.description, agreementId: r.agreementID.description, partnerId: r.partnerID.description, status: try r.status.wire(),
            outcomes: r.outcomes.map {
                .init(
                    subjectId: $0.subjectID.description, included: $0.included,
                    reasons: $0.reasons.map { .init(rule: $0.rule.rawValue, reason: $0.reason) },
                    harmShown: $0.harmShown)
            },
            decisionReason: r.decisionReason, disclosureId: r.disclosureID?.description,
            needsCentralApproval: r.status == .awaitingCentral,
            decisions: r.decisions?.map { .init(subjectId: $0.subjectID.description, approved: $0.approved, harmShown: $0.harmShown) })
    }
}

extension Schemas.Recall {
    init(_ r: Recall) throws {
        self.init(
            id: r.id.description, disclosureId: r.disclosureID.description, partnerId: r.partnerID.description, recordRefs: r.recordRefs,
            reason: try r.reason.wire(), raisedAt: r.raisedAt.date, acknowledgedAt: r.acknowledgedAt?.date,
            deletionConfirmedAt: r.deletionConfirmedAt?.date, outstanding: r.isOutstanding)
    }
}
