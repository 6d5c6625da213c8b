import Foundation

/// Governance's use cases for the appropriate policy document, and the check every recording or
/// reading of ethnicity passes.
extension Register {
    public func draftPolicyDocument(_ draft: PolicyDocumentDraft, by actor: User, for purpose: StatedPurpose) async throws
        -> PolicyDocument
    {
        let id: PolicyDocumentID = ids.next()
        return try await perform(actor, purpose, action: .policyDocumentDraft) { tx, gate in
            let touched: [AuditResource] = [AuditResource(.policyDocument, id)]
            let version = (try await tx.policyDocuments().map(\.version).max() ?? 0) + 1
            let document = try gate.refusals(touched: touched) { () throws(RegisterError) in
                try PolicyDocument.drafting(draft, id: id, version: version, by: actor, at: gate.now)
            }
            try await tx.upsertPolicyDocument(document)
            try await tx.appendAudit([gate.entry(.collection, touched: touched, outcome: "version \(version)")])
            return document
        }
    }

    /// Approval by a second governance user; the version in force is superseded, never deleted.
    public func approvePolicyDocument(_ id: PolicyDocumentID, by actor: User, for purpose: StatedPurpose) async throws -> PolicyDocument {
        try await perform(actor, purpose, action: .policyDocumentApprove) { tx, gate in
            let touched: [AuditResource] = [AuditResource(.policyDocument, id)]
            let all = try await tx.policyDocuments()
            guard let current = all.first(where: { $0.id == id }) else {
                throw RegisterError.notFound(kind: "policy document", id: id.description)
            }
            let approved = try gate.refusals(touched: touched) { () throws(RegisterError) in try current.approving(by: actor, at: gate.now)
            }
            for earlier in all where earlier.status == .approved { try await tx.upsertPolicyDocument(earlier.superseded()) }
            try await tx.upsertPolicyDocument(approved)
            try await tx.appendAudit([gate.entry(.alteration, touched: touched, outcome: "version \(approved.version) approved")])
            return approved
        }
    }

    public func policyDocuments(by actor: User, for purpose: StatedPurpose) async throws -> [PolicyDocument] {
        try await perform(actor, purpose, action: .policyDocumentList, .consultation) { tx, gate in
            return try await tx.policyDocuments().sorted { $0.version > $1.version }
        }
    }

    /// The one door to ethnicity: the access policy's permission check, then the appropriate
    /// policy document (s.42). Every use case that records or reads it comes through here.
    func requireSensitive(_ gate: Gate, subjects: [SubjectID] = [], touched: [AuditResource]) throws {
        try gate.sensitive(subjects: subjects, touched: touched)
        guard let inForce = gate.policyDocumentInForce else {
            throw RegisterError.conflict("\(gate.action.rawValue) does not declare sensitive data: ethnicity was neither read nor written")
        }
        guard !inForce else { return }
        throw Refusal(denial: .noPolicyDocument, subjects: subjects, touched: touched)
    }

    /// Drafts the baseline document and has a second governance user approve it.
    @discardableResult
    public func adoptBaselinePolicyDocument(drafter: User, approver: User, reviewOn: LocalDate) async throws -> PolicyDocument {
        let purpose = StatedPurpose(purpose: .registerReview, justification: "Adopting the appropriate policy document")
        let draft = try await draftPolicyDocument(.custodianBaseline(reviewOn: reviewOn), by: drafter, for: purpose)
        return try await approvePolicyDocument(draft.id, by: approver, for: purpose)
    }
}
