import Foundation

/// A disclosure as a partner recipient sees it in the portal.
public struct SharedWithPartner: Sendable {
    public let header: DisclosureHeader
    public let agreementTitle: String
    public let records: [DisclosedRecord]
}

extension Register {
    /// An officer asks to share named people of their borough with one partner under one
    /// agreement. Every person is checked and reported in or out with the reasons; nothing leaves
    /// until a SPOC who is not the requester approves.
    public func requestShare(_ draft: ShareDraft, by actor: User, for purpose: StatedPurpose) async throws -> ShareRequest {
        var v = Validator()
        let agreementID = AgreementID(draft.agreementID), partnerID = PartnerID(draft.partnerID)
        v.check(agreementID != nil, "agreementId", "id.format", "agreementId must be a UUID")
        v.check(partnerID != nil, "partnerId", "id.format", "partnerId must be a UUID")
        v.check(!draft.subjectIDs.isEmpty, "subjectIds", "share.subjects", "name the people to share")
        let subjects: [SubjectID] = v.ids(draft.subjectIDs, "subjectIds")
        try v.finish()
        let id: ShareRequestID = ids.next()
        return try await perform(actor, purpose, action: "share.request") { tx, gate in
            try gate.require(.record, unit: actor.unit.borough, subjects: subjects, touched: ["share-request/\(id)"])
            let (agreement, _) = try await agreementAndPartner(agreementID!, partnerID!, tx)
            let rulebook = try await rulebook(tx)
            var outcomes: [ShareRequest.Outcome] = []
            for subject in subjects {
                let sealed = try await loadSubject(subject, tx)
                try gate.require(.record, unit: sealed.unit, subjects: [subject], touched: ["share-request/\(id)"])
                let candidate = try await candidate(sealed, tx)
                outcomes.append(.init(subjectID: subject, reasons: ShareEligibility.reasons(candidate, under: agreement, on: gate.now.day, rulebook: rulebook,
                                                                                          conditionsAcknowledged: draft.conditionsAcknowledged)))
            }
            let anyone = outcomes.contains(where: \.included)
            let request = ShareRequest(id: id, agreementID: agreementID!, partnerID: partnerID!, unit: actor.unit.borough!,
                                       purpose: "\(purpose.purpose.label): \(purpose.justification)", requestedBy: actor.id, requestedAt: gate.now,
                                       conditionsAcknowledged: draft.conditionsAcknowledged, outcomes: outcomes, status: anyone ? .pending : .rejected,
                                       decisionReason: anyone ? nil : "no one in the request may be shared under this agreement")
            try await tx.upsertShareRequest(request)
            try await tx.appendAudit([gate.entry(.alteration, subjects: subjects, touched: ["share-request/\(id)"])])
            return request
        }
    }

    /// A SPOC of the borough, never the requester, approves or rejects. Approval re-checks every
    /// person, builds the disclosure from the agreement's fields only, seals each record under its
    /// subject's key, and logs the disclosure naming the recipient organisation and users.
    public func decideShare(_ id: ShareRequestID, approve: Bool, reason: String, by actor: User, for purpose: StatedPurpose) async throws -> ShareRequest {
        var v = Validator()
        let reason = v.text(reason, "reason", max: 1000)
        try v.finish()
        let disclosureID: DisclosureID = ids.next()
        return try await perform(actor, purpose, action: "share.decide") { tx, gate in
            guard var request = try await tx.shareRequest(id) else { throw RegisterError.notFound(kind: "share request", id: id.description) }
            let touched = ["share-request/\(id)"]
            guard actor.role == .boroughSPOC else {
                throw Refusal(denial: AccessDenial(rule: "share.spoc", reason: "a SPOC of the borough approves shares"), subjects: [], touched: touched)
            }
            try gate.require(.decide, unit: request.unit, touched: touched)
            guard actor.id != request.requestedBy else {
                throw Refusal(denial: AccessDenial(rule: "four-eyes.proposer", reason: "the officer who requested a share can never approve it"),
                              subjects: [], touched: touched)
            }
            guard request.status == .pending else { throw RegisterError.conflict("this request is already \(request.status.rawValue)") }
            request.decidedBy = actor.id
            request.decisionReason = reason
            guard approve else {
                request.status = .rejected
                try await tx.upsertShareRequest(request)
                try await tx.appendAudit([gate.entry(.alteration, touched: touched)])
                return request
            }
            let (agreement, partner) = try await agreementAndPartner(request.agreementID, request.partnerID, tx)
            let rulebook = try await rulebook(tx)
            let watermark = keyring.watermark(disclosure: disclosureID, partner: partner.id)
            var sealedRecords: [(ref: String, subject: SubjectID, sealed: Data)] = []
            var outcomes: [ShareRequest.Outcome] = []
            for outcome in request.outcomes {
                guard outcome.included else { outcomes.append(outcome); continue }
                let sealed = try await loadSubject(outcome.subjectID, tx)
                let candidate = try await candidate(sealed, tx)
                let reasons = ShareEligibility.reasons(candidate, under: agreement, on: gate.now.day, rulebook: rulebook,
                                                       conditionsAcknowledged: request.conditionsAcknowledged)
                outcomes.append(.init(subjectID: outcome.subjectID, reasons: reasons))
                guard reasons.isEmpty else { continue }
                let view = try await view(of: sealed, links: try await tx.links(subject: sealed.id), on: gate.now, tx)
                let ref = "R-" + UUID().uuidString.prefix(13).replacingOccurrences(of: "-", with: "")
                let record = DisclosedRecord(view, recordRef: ref, fields: agreement.fields, categories: agreement.categories, lastReviewed: lastReviewed(view.inclusion, rulebook),
                                             band: candidate.band, watermark: watermark)
                let key = try await subjectKey(sealed.id, tx)
                sealedRecords.append((ref, sealed.id, try keyring.seal(record, key: key, subject: sealed.id, label: "disclosure:\(disclosureID)")))
            }
            request.outcomes = outcomes
            guard !sealedRecords.isEmpty else {
                request.status = .rejected
                request.decisionReason = "on approval no one in the request could still be shared"
                try await tx.upsertShareRequest(request)
                try await tx.appendAudit([gate.entry(.alteration, touched: touched)])
                return request
            }
            let header = DisclosureHeader(id: disclosureID, requestID: id, agreementID: agreement.id, partnerID: partner.id, unit: request.unit,
                                          purpose: request.purpose, expiresOn: min(agreement.expiresOn, gate.now.day.adding(days: agreement.retentionDays)),
                                          watermark: watermark, createdAt: gate.now)
            try await tx.insertDisclosure(header, records: sealedRecords)
            request.status = .approved
            request.disclosureID = disclosureID
            try await tx.upsertShareRequest(request)
            let recipients = try await recipientNames(partner, tx)
            try await tx.appendAudit([gate.entry(.disclosure, subjects: sealedRecords.map(\.subject), touched: touched + ["disclosure/\(disclosureID)"],
                                                 recipient: recipientLabel(partner, users: recipients))])
            return request
        }
    }

    /// The encrypted package for a disclosure's recipient. Building one is logged as a disclosure.
    public func package(_ id: DisclosureID, by actor: User, for purpose: StatedPurpose) async throws -> SharePackage.Built {
        try await perform(actor, purpose, action: "share.package") { tx, gate in
            guard let header = try await tx.disclosure(id) else { throw RegisterError.notFound(kind: "disclosure", id: id.description) }
            try gate.require(.record, unit: header.unit, touched: ["disclosure/\(id)"])
            let (agreement, partner) = try await agreementAndPartner(header.agreementID, header.partnerID, tx)
            guard agreement.standing(on: gate.now.day) == .active, gate.now.day <= header.expiresOn else {
                throw Refusal(denial: AccessDenial(rule: "share.agreement-inactive", reason: "the agreement is not in force or the disclosure has expired"),
                              subjects: [], touched: ["disclosure/\(id)"])
            }
            let (records, subjects) = try await openRecords(id, tx)
            let recipients = try await recipientNames(partner, tx)
            let disclosure = Disclosure(id: id, agreementID: agreement.id, partnerID: partner.id, purpose: header.purpose, records: records,
                                        expiresOn: header.expiresOn, watermark: header.watermark, createdAt: header.createdAt)
            let built = try SharePackage.build(disclosure, agreement: agreement, partner: partner, recipientUsers: recipients,
                                               signedBy: ledger.verifier.name, sign: ledger.signature(for:))
            try await tx.appendAudit([gate.entry(.disclosure, subjects: subjects, touched: ["disclosure/\(id)/package"],
                                                 recipient: recipientLabel(partner, users: recipients))])
            return built
        }
    }

    /// The borough's share requests, newest first, for its officers and SPOCs.
    public func shareRequests(by actor: User, for purpose: StatedPurpose) async throws -> [ShareRequest] {
        try await perform(actor, purpose, action: "share.list", .consultation) { tx, gate in
            try gate.require(.record, unit: actor.unit.borough, touched: ["share-requests"])
            let found = try await tx.shareRequests().filter { $0.unit == actor.unit.borough }.sorted { $0.requestedAt > $1.requestedAt }
            try await tx.appendAudit([gate.entry(.consultation, subjects: Array(Set(found.flatMap { $0.outcomes.map(\.subjectID) })).sorted { $0.description < $1.description },
                                                 touched: ["share-requests"])])
            return found
        }
    }

    // MARK: The partner portal

    /// What has been shared with the recipient's organisation, under agreements in force and
    /// disclosures not expired. Each look is logged.
    public func sharedWithMe(by actor: User) async throws -> [SharedWithPartner] {
        try await perform(actor, nil, action: "portal.list", .consultation) { tx, gate in
            let partner = try await partnerOf(actor, tx, gate)
            let agreements = Dictionary(uniqueKeysWithValues: try await tx.agreements().map { ($0.id, $0) })
            var out: [SharedWithPartner] = []
            var subjects: [SubjectID] = []
            for header in try await tx.disclosures(partner: partner.id) {
                guard let agreement = agreements[header.agreementID], agreement.standing(on: gate.now.day) == .active,
                      gate.now.day <= header.expiresOn else { continue }
                let (records, ids) = try await openRecords(header.id, tx)
                subjects += ids
                out.append(SharedWithPartner(header: header, agreementTitle: agreement.title, records: records))
            }
            try await tx.appendAudit([gate.entry(.consultation, subjects: subjects, touched: ["portal"], recipient: recipientLabel(partner))])
            return out
        }
    }

    // MARK: Recall

    public func recalls(by actor: User) async throws -> [Recall] {
        try await perform(actor, nil, action: "recall.list", .consultation) { tx, gate in
            if actor.role == .governance {
                try gate.require(.govern, unit: nil, touched: ["recalls"])
                try await tx.appendAudit([gate.entry(.consultation, touched: ["recalls"])])
                return try await tx.recalls(partner: nil)
            }
            let partner = try await partnerOf(actor, tx, gate)
            let found = try await tx.recalls(partner: partner.id)
            try await tx.appendAudit([gate.entry(.consultation, touched: ["recalls"], recipient: recipientLabel(partner))])
            return found
        }
    }

    /// A recipient acknowledges a recall, then confirms the records are deleted.
    public func answerRecall(_ id: RecallID, confirmDeletion: Bool, by actor: User) async throws -> Recall {
        try await perform(actor, nil, action: confirmDeletion ? "recall.confirm-deletion" : "recall.acknowledge") { tx, gate in
            let partner = try await partnerOf(actor, tx, gate)
            guard var recall = try await tx.recalls(partner: partner.id).first(where: { $0.id == id }) else {
                throw RegisterError.notFound(kind: "recall", id: id.description)
            }
            if recall.acknowledgedAt == nil { (recall.acknowledgedAt, recall.acknowledgedBy) = (gate.now, actor.id) }
            if confirmDeletion { (recall.deletionConfirmedAt, recall.confirmedBy) = (gate.now, actor.id) }
            try await tx.upsertRecall(recall)
            try await tx.appendAudit([gate.entry(.alteration, touched: ["recall/\(id)"], recipient: recipientLabel(partner))])
            return recall
        }
    }

    /// Governance recalls a whole disclosure found to have been shared unlawfully.
    public func recallDisclosure(_ id: DisclosureID, by actor: User) async throws -> Recall {
        try await perform(actor, nil, action: "recall.raise") { tx, gate in
            try gate.require(.govern, unit: nil, touched: ["disclosure/\(id)"])
            guard let header = try await tx.disclosure(id) else { throw RegisterError.notFound(kind: "disclosure", id: id.description) }
            let recall = Recall(id: ids.next(), disclosureID: id, partnerID: header.partnerID, unit: header.unit, recordRefs: [],
                                reason: .unlawful, raisedAt: gate.now)
            try await tx.upsertRecall(recall)
            try await tx.appendAudit([gate.entry(.alteration, touched: ["recall/\(recall.id)"])])
            return recall
        }
    }

    /// A SPOC of the borough recalls a person's shared records after correcting them: every
    /// recipient is told to delete what they hold (a corrected share can then be requested).
    public func recallCorrected(_ subject: SubjectID, by actor: User, for purpose: StatedPurpose) async throws -> Int {
        try await perform(actor, purpose, action: "recall.correction") { tx, gate in
            let sealed = try await loadSubject(subject, tx)
            guard actor.role == .boroughSPOC else {
                throw Refusal(denial: AccessDenial(rule: "recall.spoc", reason: "a SPOC of the borough recalls corrected records"),
                              subjects: [subject], touched: ["subject/\(subject)"])
            }
            try gate.require(.decide, unit: sealed.unit, subjects: [subject], touched: ["subject/\(subject)"])
            let raised = try await recallRecords(of: subject, reason: .correction, tx, gate)
            try await tx.appendAudit([gate.entry(.alteration, subjects: [subject], touched: ["subject/\(subject)/recall"])])
            return raised
        }
    }

    /// Recalls every disclosed record of a subject: called before the subject is erased (or when
    /// their record is corrected), so every recipient is told.
    @discardableResult
    func recallRecords(of subject: SubjectID, reason: Recall.Reason, _ tx: any RegisterTransaction, _ gate: Gate) async throws -> Int {
        let held = try await tx.disclosedRecords(subject: subject)
        var raised = 0
        for (disclosure, refs) in Dictionary(grouping: held, by: \.disclosure) {
            guard let header = try await tx.disclosure(disclosure) else { continue }
            let recall = Recall(id: ids.next(), disclosureID: disclosure, partnerID: header.partnerID, unit: header.unit,
                                recordRefs: refs.map(\.ref).sorted(), reason: reason, raisedAt: gate.now)
            try await tx.upsertRecall(recall)
            raised += 1
        }
        return raised
    }

    // MARK: Helpers

    private func agreementAndPartner(_ agreementID: AgreementID, _ partnerID: PartnerID, _ tx: any RegisterTransaction) async throws -> (SharingAgreement, Partner) {
        guard let agreement = try await tx.agreements().first(where: { $0.id == agreementID }) else {
            throw RegisterError.notFound(kind: "agreement", id: agreementID.description)
        }
        guard agreement.partners.contains(partnerID), let partner = try await tx.partners().first(where: { $0.id == partnerID }) else {
            throw RegisterError.invalid([FieldViolation(field: "partnerId", rule: "share.partner", message: "the partner is not a party to this agreement")])
        }
        return (agreement, partner)
    }

    /// How an audit entry names a recipient: organisation, its id, and the users who receive.
    private func recipientLabel(_ partner: Partner, users: [String] = []) -> String {
        "\(partner.name) [\(partner.id)]" + (users.isEmpty ? "" : ": " + users.joined(separator: ", "))
    }

    private func partnerOf(_ actor: User, _ tx: any RegisterTransaction, _ gate: Gate) async throws -> Partner {
        guard actor.role == .partnerRecipient, actor.isActive,
              let partner = try await tx.partners().first(where: { $0.recipients.contains(actor.id) }) else {
            throw Refusal(denial: AccessDenial(rule: "portal.recipient", reason: "only a named recipient of a partner organisation uses the portal"),
                          subjects: [], touched: ["portal"])
        }
        return partner
    }

    private func recipientNames(_ partner: Partner, _ tx: any RegisterTransaction) async throws -> [String] {
        var names: [String] = []
        for id in partner.recipients { if let user = try await tx.user(id) { names.append(user.username) } }
        return names
    }

    /// A disclosure's records, opened; records of people erased since are gone with their key.
    private func openRecords(_ id: DisclosureID, _ tx: any RegisterTransaction) async throws -> ([DisclosedRecord], [SubjectID]) {
        var records: [DisclosedRecord] = [], subjects: [SubjectID] = []
        for row in try await tx.disclosedRecords(id) {
            guard let wrapped = try await keys.wrappedKey(for: row.subject) else { continue }
            let key = try keyring.unwrap(wrapped, for: row.subject)
            records.append(try keyring.open(DisclosedRecord.self, from: row.sealed, key: key, subject: row.subject, label: "disclosure:\(id)"))
            subjects.append(row.subject)
        }
        return (records, subjects)
    }

    private func candidate(_ sealed: SealedSubject, _ tx: any RegisterTransaction) async throws -> ShareCandidate {
        let key = try await subjectKey(sealed.id, tx)
        let inclusion = try await currentInclusion(sealed.id, key: key, tx)
        let harm = try await latestHarm(sealed.id, key: key, tx)
        let conditions = try await tx.intelligence(subject: sealed.id).compactMap { item -> String? in
            if case .current(let g) = item.grade, g.handling == .c { return g.conditions ?? "handling code C" }
            return nil
        }
        return ShareCandidate(subjectID: sealed.id, categories: Set(try await tx.links(subject: sealed.id).map(\.category)), inclusion: inclusion,
                              band: harm?.band, score: harm?.score, restricted: sealed.restricted, handlingConditions: conditions)
    }

    private func lastReviewed(_ inclusion: Inclusion?, _ rulebook: Rulebook) -> LocalDate? {
        inclusion?.nextReviewDue.map { $0.adding(days: -rulebook.review.cadenceDays) }
    }
}
