/// A proposal waiting for the caller's step, as the decider needs to see it: what was proposed,
/// by whom and when, on what evidence (each item with its source and grade), and what the
/// rulebook's threshold says of it today.
public struct PendingInclusion: Sendable {
    public let inclusion: Inclusion
    public let displayName: String
    public let proposer: String
    public let step: InclusionDecision.Step
    public let evidence: [InclusionEvidence]
    /// The threshold today: empty when it is met. Evidence recalled, regraded or erased since the
    /// proposal shows here rather than passing unseen.
    public let shortfalls: [FieldViolation]
    /// The items the threshold counts as independent sources, one per handling unit.
    public let corroborating: [Evidence]
}

extension Register {
    /// Inclusions awaiting the caller's step, oldest first: a SPOC sees their borough's proposals,
    /// central governance those the borough approved for a child. Restricted records are not shown.
    public func inclusionQueue(by actor: User, for purpose: StatedPurpose) async throws -> [PendingInclusion] {
        try await perform(actor, purpose, action: .inclusionQueue, .consultation) { tx, gate in
            let step: InclusionDecision.Step = AccessPolicy.central(actor) ? .central : .borough
            let rulebook = try await rulebook(tx)
            var queue: [PendingInclusion] = []
            let waiting = try await tx.inclusions(
                units: AccessPolicy.reach(actor), statuses: [step == .borough ? .proposed : .awaitingCentral])
            for sealed in waiting {
                let subject = try await loadSubject(sealed.subjectID, tx)
                if subject.restricted { continue }
                let key = try await subjectKey(sealed.subjectID, tx)
                let inclusion = try openInclusion(sealed, key: key)
                let personal = try openPersonal(subject, key: key)
                let links = try await tx.links(subject: sealed.subjectID)
                var v = Validator()
                let evidence = try await inclusionEvidence(
                    of: sealed.subjectID,
                    intelligence: inclusion.evidence.compactMap { if case .intelligence(let id) = $0 { id } else { nil } },
                    matters: inclusion.evidence.compactMap { if case .matter(let id) = $0 { id } else { nil } }, links: links, tx, &v)
                let today = InclusionThreshold.Case(
                    standing: CategoryStanding(links.map(\.category)), age: personal.dateOfBirth.map { $0.age(on: gate.now.day) },
                    evidence: evidence, safeguardingRationale: inclusion.safeguardingRationale,
                    proposer: inclusion.proposedBy)
                queue.append(
                    PendingInclusion(
                        inclusion: inclusion, displayName: personal.displayName,
                        proposer: try await tx.user(inclusion.proposedBy)?.displayName ?? "a user no longer on the register", step: step,
                        evidence: evidence, shortfalls: v.violations + InclusionThreshold.shortfalls(today, under: rulebook),
                        corroborating: Corroboration.independent(evidence.filter { !$0.isWeak }, proposer: inclusion.proposedBy).map(\.item)
                    ))
            }
            queue.sort { $0.inclusion.proposedAt < $1.inclusion.proposedAt }
            try await tx.appendAudit([
                gate.entry(.consultation, subjects: queue.map(\.inclusion.subjectID), touched: [.whole(.inclusionQueue)])
            ])
            return queue
        }
    }
}
