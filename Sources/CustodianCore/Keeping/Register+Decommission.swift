import Foundation

extension Register {
    /// Two governance users agree that the register is to be destroyed: `asked` asks and
    /// `confirmedBy`, another, confirms; both must be entitled, and a reason given. The entry is
    /// the last the log holds; refused attempts are logged like any other.
    public func recordDecommission(asked: User, confirmedBy confirming: User, reason: String) async throws {
        try await perform(confirming, nil, action: .registerDecommission) { tx, gate in
            let touched = [AuditResource.user(asked.id), .user(confirming.id)]
            let said = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            try gate.refusals(touched: touched) { () throws(RegisterError) in
                if case .failure(let denial) = AccessPolicy.decide(asked, .registerDecommission, purpose: nil, today: gate.now.day) {
                    throw .denied(denial)
                }
                try AccessPolicy.requireSeparation(confirming, TwoPersonCheck(.decommission, proposer: asked.id))
                guard (1...500).contains(said.count), !said.contains(where: \.isNewline) else { throw .denied(.decommissionReason) }
            }
            try await tx.appendAudit([
                gate.entry(
                    .erasure, touched: touched,
                    outcome: "decommissioned at the request of \(asked.username), confirmed by \(confirming.username): \(said)")
            ])
        }
    }
}
