import Foundation

/// Governance's use cases for the DPIA, and the gate every use case that requires one passes.
extension Register {
    public func draftDPIA(_ draft: DPIADraft, by actor: User, for purpose: StatedPurpose) async throws -> DPIA {
        let id: DPIAID = ids.next()
        return try await perform(actor, purpose, action: .dpiaDraft) { tx, gate in
            let touched: [AuditResource] = [AuditResource(.dpia, id)]
            let version = (try await tx.dpias().map(\.version).max() ?? 0) + 1
            let dpia = try gate.refusals(touched: touched) { () throws(RegisterError) in
                try DPIA.drafting(draft, id: id, version: version, by: actor, at: gate.now)
            }
            try await tx.upsertDPIA(dpia)
            try await tx.appendAudit([gate.entry(.collection, touched: touched, outcome: "version \(version)")])
            return dpia
        }
    }

    public func adviseOnDPIA(_ id: DPIAID, advice: String, by actor: User, for purpose: StatedPurpose) async throws -> DPIA {
        try await changeDPIA(id, by: actor, for: purpose, action: .dpiaAdvise) { dpia, gate throws(RegisterError) in
            try dpia.advising(advice, by: actor, at: gate.now)
        }
    }

    /// The board's approval; the version it replaces is superseded in the same transaction.
    public func approveDPIA(_ id: DPIAID, icoAdvice: String?, by actor: User, for purpose: StatedPurpose) async throws -> DPIA {
        try await perform(actor, purpose, action: .dpiaApprove) { tx, gate in
            let touched: [AuditResource] = [AuditResource(.dpia, id)]
            let all = try await tx.dpias()
            guard let current = all.first(where: { $0.id == id }) else { throw RegisterError.notFound(kind: "DPIA", id: id.description) }
            let approved = try gate.refusals(touched: touched) { () throws(RegisterError) in
                try current.approving(by: actor, icoAdvice: icoAdvice, at: gate.now)
            }
            for earlier in all where earlier.status == .approved { try await tx.upsertDPIA(earlier.superseded()) }
            try await tx.upsertDPIA(approved)
            try await tx.appendAudit([gate.entry(.alteration, touched: touched, outcome: "version \(approved.version) approved")])
            return approved
        }
    }

    /// Every version, newest first, with where the register stands today.
    public func dpias(by actor: User, for purpose: StatedPurpose?) async throws -> (versions: [DPIA], standing: DPIAStanding) {
        try await perform(actor, purpose, action: .dpiaList, .consultation) { tx, gate in
            let all = try await tx.dpias().sorted { $0.version > $1.version }
            return (all, DPIAStanding(inForce: all.first { $0.isInForce(on: gate.now.day) }, today: gate.now.day))
        }
    }

    /// Refuses, as a logged refusal naming `dpia.none`, when no approved DPIA is in date. `perform`
    /// calls it for every use case whose declaration requires it, before the use case's own body.
    func requireDPIA(_ tx: any RegisterTransaction, _ gate: Gate) async throws {
        guard try await !tx.approvedDPIAs().contains(where: { $0.isInForce(on: gate.now.day) }) else { return }
        throw Refusal(denial: .noDPIA, subjects: [], touched: [])
    }

    private func changeDPIA(
        _ id: DPIAID, by actor: User, for purpose: StatedPurpose, action: UseCase,
        _ change: @escaping @Sendable (DPIA, Gate) throws(RegisterError) -> DPIA
    ) async throws -> DPIA {
        try await perform(actor, purpose, action: action) { tx, gate in
            let touched: [AuditResource] = [AuditResource(.dpia, id)]
            guard let current = try await tx.dpias().first(where: { $0.id == id }) else {
                throw RegisterError.notFound(kind: "DPIA", id: id.description)
            }
            let next = try gate.refusals(touched: touched) { () throws(RegisterError) in try change(current, gate) }
            try await tx.upsertDPIA(next)
            try await tx.appendAudit([gate.entry(.alteration, touched: touched)])
            return next
        }
    }
}
