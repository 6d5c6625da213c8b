import Crypto
import Foundation

/// What an officer asks to share.
public struct ShareDraft: Sendable {
    public var agreementID: String
    public var partnerID: String
    public var subjectIDs: [String]
    /// Ids of the code C intelligence items whose handling conditions the requester has read and
    /// acknowledges, item by item.
    public var acknowledgedConditions: [String]
    /// Required when anyone named is under 18 or of unknown age.
    public var safeguardingRationale: String?
    public init(
        agreementID: String, partnerID: String, subjectIDs: [String], acknowledgedConditions: [String] = [],
        safeguardingRationale: String? = nil
    ) {
        (self.agreementID, self.partnerID, self.subjectIDs) = (agreementID, partnerID, subjectIDs)
        (self.acknowledgedConditions, self.safeguardingRationale) = (acknowledgedConditions, safeguardingRationale)
    }
}

extension Register {
    // MARK: Partners and agreements (governance)

    public func registerPartner(_ draft: PartnerDraft, by actor: User) async throws -> Partner {
        let id: PartnerID = ids.next()
        let partner = try draft.validated(id: id)
        return try await perform(actor, nil, action: .partnerRegister) { tx, gate in
            var v = Validator()
            let others = try await tx.partners().filter { $0.id != id }
            for (i, user) in partner.recipients.enumerated() {
                let found = try await tx.user(user)
                v.check(
                    found.map { AccessPolicy.runs($0.role, .portalList) } == true, "recipientIds[\(i)]", "partner.recipient-role",
                    "a recipient must be a partner-recipient user")
                // One recipient, one organisation: otherwise the portal could not say whose disclosures a user reads.
                if let holder = others.first(where: { $0.recipients.contains(user) }) {
                    v.fail(
                        "recipientIds[\(i)]", "partner.recipient-taken",
                        "this user already receives for \(holder.name); a recipient belongs to one organisation")
                }
            }
            try v.finish()
            try await tx.upsertPartner(partner)
            try await tx.appendAudit([gate.entry(.configurationChange, touched: [AuditResource(.partner, id)])])
            return partner
        }
    }

    public func partners(by actor: User) async throws -> [Partner] {
        try await readSharingRecords(actor, .partnerList) { tx in try await tx.partners() }
    }

    /// Governance drafts an agreement; it does nothing until two governance users approve it.
    public func draftAgreement(_ agreement: SharingAgreement, by actor: User) async throws -> SharingAgreement {
        var v = Validator()
        v.line(agreement.title, "title", max: 200)
        v.text(agreement.purpose, "purpose", max: 2000)
        v.text(agreement.legalPower, "legalPower", max: 1000)
        v.text(agreement.securityTerms, "securityTerms", max: 2000)
        v.check(!agreement.partners.isEmpty, "partners", "agreement.partners", "name at least one partner organisation")
        v.check(!agreement.fields.isEmpty, "fields", "agreement.fields", "list the fields that may be shared")
        v.check(!agreement.categories.isEmpty, "categories", "agreement.categories", "list the categories that may be shared")
        v.check(!agreement.signatories.isEmpty, "signatories", "agreement.signatories", "name the signatories")
        v.check(
            (1...730).contains(agreement.retentionDays), "retentionDays", "agreement.retention", "the recipient keeps data 1 to 730 days")
        v.check(
            agreement.startsOn <= agreement.reviewOn && agreement.reviewOn <= agreement.expiresOn, "expiresOn", "agreement.dates",
            "start, review and expiry dates must be in that order")
        let protectedNamed =
            agreement.categories.contains(.victim) || agreement.categories.contains(.witness) || agreement.bands.contains(.green)
        v.check(
            !protectedNamed || agreement.safeguarding, "categories", "agreement.safeguarding-only",
            "only a safeguarding agreement may name victims, witnesses or the green band")
        try v.finish()
        return try await perform(actor, nil, action: .agreementDraft) { tx, gate in
            let known = Set(try await tx.partners().map(\.id))
            for partner in agreement.partners where !known.contains(partner) {
                throw RegisterError.notFound(kind: "partner", id: partner.description)
            }
            var draft = agreement
            draft.status = .draft
            draft.approvals = []
            try await tx.upsertAgreement(draft)
            try await tx.appendAudit([gate.entry(.configurationChange, touched: [AuditResource(.agreement, agreement.id)])])
            return draft
        }
    }

    public func approveAgreement(_ id: AgreementID, by actor: User) async throws -> SharingAgreement {
        try await changeAgreement(id, by: actor, action: .agreementApprove) { current throws(RegisterError) in
            try current.approving(by: actor)
        }
    }

    /// The four-stage review of police practice: contacts, fit for purpose, emerging issues, then
    /// extend (to a new expiry) or terminate.
    public func reviewAgreement(
        _ id: AgreementID, contactsChecked: Bool, fitForPurpose: Bool, emergingIssues: String,
        extendTo: LocalDate?, by actor: User
    ) async throws -> SharingAgreement {
        var v = Validator()
        let issues = v.text(emergingIssues, "emergingIssues", max: 2000, required: false) ?? ""
        try v.finish()
        return try await changeAgreement(id, by: actor, action: .agreementReview) { current throws(RegisterError) in
            try current.reviewed(
                contactsChecked: contactsChecked, fitForPurpose: fitForPurpose, emergingIssues: issues, extendTo: extendTo, by: actor,
                at: self.clock.now())
        }
    }

    public func suspendAgreement(_ id: AgreementID, by actor: User) async throws -> SharingAgreement {
        try await changeAgreement(id, by: actor, action: .agreementSuspend) { current in
            var next = current
            next.status = .suspended
            return next
        }
    }

    private func changeAgreement(
        _ id: AgreementID, by actor: User, action: UseCase,
        _ change: @escaping @Sendable (SharingAgreement) throws(RegisterError) -> SharingAgreement
    ) async throws -> SharingAgreement {
        try await perform(actor, nil, action: action) { tx, gate in
            guard let current = try await tx.agreement(id) else {
                throw RegisterError.notFound(kind: "agreement", id: id.description)
            }
            let next = try gate.refusals(touched: [AuditResource(.agreement, id)]) { () throws(RegisterError) in try change(current) }
            try await tx.upsertAgreement(next)
            try await tx.appendAudit([gate.entry(.configurationChange, touched: [AuditResource(.agreement, id)])])
            return next
        }
    }

    public func agreements(by actor: User) async throws -> [SharingAgreement] {
        try await readSharingRecords(actor, .agreementList) { tx in try await tx.agreements() }
    }

    /// Partners and agreements are read by governance and the borough staff who request shares;
    /// partner recipients see only what is shared with them, through the portal.
    /// Every disclosure made, newest first, for governance: to whom, under what, until when (no
    /// records, no people), so an unlawful one can be found and recalled.
    public func disclosures(by actor: User) async throws -> [DisclosureHeader] {
        try await perform(actor, nil, action: .disclosureList, .consultation) { tx, gate in
            var all: [DisclosureHeader] = []
            for partner in try await tx.partners() { all += try await tx.disclosures(partner: partner.id) }
            try await tx.appendAudit([gate.entry(.consultation, touched: [.whole(.disclosures)])])
            return all.sorted { $0.createdAt > $1.createdAt }
        }
    }

    private func readSharingRecords<R: Sendable>(
        _ actor: User, _ action: UseCase,
        _ read: @escaping @Sendable (any RegisterTransaction) async throws -> R
    ) async throws -> R {
        try await perform(actor, nil, action: action) { tx, gate in
            return try await read(tx)
        }
    }
}
