import Foundation

/// What the rights team decides on a request to erase or restrict (s.47): erase, restrict instead
/// (the data must be kept as evidence, or its accuracy is contested and cannot be settled), or
/// refuse with the reasons. The same duties apply to anyone on the register, included or not.
public enum ErasureDecision: String, Sendable, Codable, CaseIterable {
    case erase
    case restrict
    case refuse
}

extension Register {
    /// Decides an open erasure or restriction request for every person confirmed on it, and closes
    /// it in writing with `outcome`. Erasure destroys the person's key first and recalls every
    /// disclosure that carried them; restriction takes them out of all use and recalls likewise.
    /// Erasure is proposed by one member of the rights team and takes effect when a second confirms
    /// it, with the outcome the first wrote.
    public func decideErasureRequest(
        _ id: RightsRequestID, decision: String, outcome: String, by actor: User, for purpose: StatedPurpose
    ) async throws -> RightsRequest {
        guard let choice = ErasureDecision(rawValue: decision) else {
            throw RegisterError.invalid([
                FieldViolation(
                    field: "decision", rule: "rights.decision",
                    message: "decision must be one of \(ErasureDecision.allCases.map(\.rawValue).joined(separator: ", "))")
            ])
        }
        return try await perform(actor, purpose, action: .rightsDecide) { tx, gate in
            let touched: [AuditResource] = [AuditResource(.rightsRequest, id)]
            guard let request = try await tx.rightsRequest(id) else {
                throw RegisterError.notFound(kind: "rights request", id: id.description)
            }
            guard request.kind == .erasure || request.kind == .restriction, !request.subjects.isEmpty else {
                throw RegisterError.conflict("erasure and restriction are decided on such a request, once its people are confirmed")
            }
            // A record decided the same person since the people were confirmed stops the decision too.
            if choice != .refuse { try await requireEveryRecord(of: request.subjects, tx, touched: touched) }
            if request.kind == .restriction, choice == .erase {
                throw RegisterError.invalid([
                    FieldViolation(field: "decision", rule: "rights.decision", message: "a restriction request is restricted or refused")
                ])
            }
            // Erasure takes two people: the first proposes it, and a second confirms exactly what
            // was proposed. Restricting or refusing instead takes effect at once and sets it aside.
            var outcome = outcome
            if choice == .erase {
                guard let proposal = request.erasureProposal else {
                    let proposed = try gate.refusals(subjects: request.subjects, touched: touched) { () throws(RegisterError) in
                        try request.proposingErasure(outcome: outcome, by: actor.id, at: gate.now)
                    }
                    try await tx.upsertRightsRequest(proposed)
                    try await tx.appendAudit([
                        gate.entry(.alteration, subjects: request.subjects, touched: touched, outcome: "erasure proposed: \(outcome)")
                    ])
                    return proposed
                }
                try gate.separate(TwoPersonCheck(.erasure, proposer: proposal.by), subjects: request.subjects, touched: touched)
                outcome = proposal.outcome
            }
            let closed = try gate.refusals(subjects: request.subjects, touched: touched) { () throws(RegisterError) in
                try request.closing(refused: choice == .refuse, outcome: outcome, on: gate.now.day)
            }
            for subject in request.subjects {
                guard let sealed = try await tx.subject(subject) else { continue }
                switch choice {
                case .erase: try await erase(subject, tx, gate)
                case .restrict where !sealed.restricted:
                    try await applyRestriction(subject, reason: "At the person's request (\(id)): \(outcome)", tx, gate)
                case .restrict, .refuse: break
                }
            }
            try await tx.upsertRightsRequest(closed)
            try await tx.appendAudit([
                gate.entry(.alteration, subjects: request.subjects, touched: touched, outcome: "\(choice.rawValue): \(outcome)")
            ])
            return closed
        }
    }
}
