import Foundation

extension Register {
    /// The rulebook in force: the newest approved version, or the built-in first version.
    func rulebook(_ tx: any RegisterTransaction) async throws -> Rulebook {
        try await tx.activeRulebook() ?? .first
    }

    /// The rulebook in force and every version proposed, for anyone signed in: the rules are published.
    public func rulebookVersions() async throws -> (inForce: Rulebook, versions: [RulebookVersion]) {
        try await store.lookup { tx in (try await rulebook(tx), try await tx.rulebookVersions()) }
    }

    /// Governance proposes a new version; it takes the next number and has no effect until a
    /// second governance user approves it.
    public func proposeRulebook(_ proposed: Rulebook, rationale: String, by actor: User) async throws -> RulebookVersion {
        var v = Validator()
        let rationaleInput = v.text(rationale, "rationale", max: 2000)
        for violation in proposed.violations() { v.fail(violation.field, violation.rule, violation.message) }
        let rationale = try v.finish(rationaleInput)
        return try await perform(actor, nil, action: .rulebookPropose) { tx, gate in
            var rulebook = proposed
            rulebook.version = max(1, try await tx.rulebookVersions().map(\.rulebook.version).max() ?? 1) + 1
            let version = RulebookVersion(rulebook: rulebook, rationale: rationale, proposedBy: actor.id, proposedAt: gate.now)
            try await tx.insertRulebookVersion(version)
            try await tx.appendAudit([gate.entry(.configurationChange, touched: [AuditResource(.rulebook, rulebook.version)])])
            return version
        }
    }

    /// A second governance user approves (the version comes into force, the one before is
    /// superseded) or rejects it.
    public func decideRulebook(version: Int, approve: Bool, by actor: User) async throws -> RulebookVersion {
        if approve { try await raiseEqualityAlerts() }
        return try await perform(actor, nil, action: .rulebookDecide) { tx, gate in
            let all = try await tx.rulebookVersions()
            guard let proposed = all.first(where: { $0.rulebook.version == version }) else {
                throw RegisterError.notFound(kind: "rulebook version", id: "\(version)")
            }
            let decided = try gate.refusals(touched: [AuditResource(.rulebook, version)]) { () throws(RegisterError) in
                try proposed.deciding(approve, by: actor, at: gate.now)
            }
            // The equality duty comes after four-eyes: only a decider who may approve is told what is missing.
            if approve { try await requireEqualityImpactAssessment(version: version, tx, gate) }
            if approve {
                for var previous in all where previous.status == .active {
                    previous.status = .superseded
                    try await tx.updateRulebookVersion(previous)
                }
            }
            try await tx.updateRulebookVersion(decided)
            try await tx.appendAudit([gate.entry(.configurationChange, touched: [AuditResource(.rulebook, version)])])
            return decided
        }
    }
}
