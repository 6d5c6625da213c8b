public import Foundation

/// A decision waiting for the person asking: which kind, which record, who asked and when. It
/// names no one on the register; the decision's own view shows the proposal whole.
public struct WaitingDecision: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case inclusion, removal, share
        case childAction = "child-action"
        case grant, agreement, dpia, erasure, rulebook

        public var label: String {
            switch self {
            case .inclusion: "Inclusions"
            case .removal: "Removals"
            case .share: "Shares"
            case .childAction: "A child's flag or score"
            case .grant: "Grants of access"
            case .agreement: "Sharing agreements"
            case .dpia: "The DPIA"
            case .erasure: "Erasures"
            case .rulebook: "Rulebook versions"
            }
        }
    }

    public let kind: Kind
    public let id: String
    /// What is asked, in a line: "Central approval of an inclusion in Hackney".
    public let what: String
    public let askedBy: UserID
    public let askedAt: Timestamp?
    /// The person's record, where the decision is taken on it (a removal).
    public var subjectID: SubjectID? = nil
}

/// Everything waiting for one person to decide, across every two-step decision, and the kinds their
/// stated purpose keeps out of view.
public struct DecisionsWaiting: Sendable, Equatable {
    public let decisions: [WaitingDecision]
    /// Who asked, by name, where this person may see staff names.
    public let names: [UserID: String]
    /// Kinds this person decides but could not list under the purpose they stated (an erasure
    /// needs the subject-rights purpose, an inclusion a register purpose).
    public let needAnotherPurpose: [WaitingDecision.Kind]
}

extension Directory {
    /// Each kind's own list, read only where the policy lets this person read it under their
    /// purpose (so nothing is refused), each read logged as that list's consultation; then only
    /// the records whose decision the policy would let this person take: never their own proposal,
    /// never a second step of their own, only in their reach.
    public func decisionsWaiting(by actor: User, for purpose: StatedPurpose?) async throws -> DecisionsWaiting {
        let today = register.clock.now().day
        var out: [WaitingDecision] = []
        var elsewhere: [WaitingDecision.Kind] = []
        /// The purpose to list a kind under: nil when this person takes none of its decisions, or
        /// their purpose keeps its list out of view (noted, so the page can say which to state).
        func readable(_ kind: WaitingDecision.Kind, _ list: UseCase, decides: [UseCase]) -> StatedPurpose?? {
            guard AccessPolicy.runs(actor.role, list), decides.contains(where: { AccessPolicy.runs(actor.role, $0) }) else { return nil }
            guard case .success = AccessPolicy.decide(actor, list, purpose: purpose, today: today) else {
                elsewhere.append(kind)
                return nil
            }
            return .some(purpose)
        }
        func may(_ useCase: UseCase, unit: Borough? = nil, step: InclusionDecision.Step? = nil, _ check: TwoPersonCheck) -> Bool {
            AccessPolicy.offers(actor, useCase, unit: unit, step: step, purpose: purpose, separation: check, today: today)
        }

        if case let p?? = readable(.inclusion, .inclusionQueue, decides: [.inclusionDecide]) {
            for pending in try await register.inclusionQueue(by: actor, for: p) {
                let i = pending.inclusion
                guard
                    may(
                        .inclusionDecide, unit: i.unit, step: pending.step,
                        TwoPersonCheck(.inclusion, proposer: i.proposedBy, earlierDeciders: i.decisions.map(\.by)))
                else { continue }
                let what = pending.step == .central ? "Central approval of a child's inclusion in" : "An inclusion proposed in"
                out.append(
                    .init(
                        kind: .inclusion, id: i.id.description, what: "\(what) \(i.unit.name)", askedBy: i.proposedBy, askedAt: i.proposedAt
                    ))
            }
        }
        if case let p?? = readable(.removal, .reviewQueue, decides: [.removalDecide]) {
            for queued in try await register.reviewQueue(by: actor, for: p) {
                let i = queued.inclusion
                guard let proposer = i.removalProposedBy, may(.removalDecide, unit: i.unit, TwoPersonCheck(.removal, proposer: proposer))
                else { continue }
                out.append(
                    .init(
                        kind: .removal, id: i.id.description, what: "A removal proposed at review in \(i.unit.name)", askedBy: proposer,
                        askedAt: nil, subjectID: i.subjectID))
            }
        }
        if case let p?? = readable(.share, .shareList, decides: [.shareDecide]) {
            for r in try await register.shareRequests(by: actor, for: p) where r.status == .pending || r.status == .awaitingCentral {
                let step: InclusionDecision.Step = r.status == .pending ? .borough : .central
                let earlier = r.decidedBy.map { [$0] } ?? []
                guard may(.shareDecide, unit: r.unit, step: step, TwoPersonCheck(.share, proposer: r.requestedBy, earlierDeciders: earlier))
                else { continue }
                out.append(
                    .init(
                        kind: .share, id: r.id.description, what: "A share of \(r.outcomes.count) people requested in \(r.unit.name)",
                        askedBy: r.requestedBy, askedAt: r.requestedAt))
            }
        }
        if case let p?? = readable(.childAction, .childActionList, decides: [.childActionDecide]) {
            for a in try await register.childActions(by: actor, for: p) {
                let step: InclusionDecision.Step = a.status == .awaitingSPOC ? .borough : .central
                guard
                    may(
                        .childActionDecide, unit: a.unit, step: step,
                        TwoPersonCheck(.childAction, proposer: a.requestedBy, earlierDeciders: a.decisions.map(\.by)))
                else { continue }
                let what = a.kind == .flag ? "A flag on a child in" : "A harm score of a child in"
                out.append(
                    .init(
                        kind: .childAction, id: a.id.description, what: "\(what) \(a.unit.name)", askedBy: a.requestedBy,
                        askedAt: a.requestedAt))
            }
        }
        if readable(.grant, .grantList, decides: [.grantDecide]) != nil {
            for (grant, user) in try await pendingGrants(by: actor)
            where may(.grantDecide, TwoPersonCheck(.grant, proposer: grant.requestedBy, about: grant.userID)) {
                out.append(
                    .init(
                        kind: .grant, id: grant.userID.description,
                        what: "\(grant.role.label), \(grant.unit.name), for \(user.displayName)",
                        askedBy: grant.requestedBy, askedAt: grant.requestedAt))
            }
        }
        if readable(.agreement, .agreementList, decides: [.agreementApprove]) != nil {
            for a in try await register.agreements(by: actor)
            where a.status == .draft
                && may(.agreementApprove, TwoPersonCheck(.agreement, proposer: a.draftedBy, earlierDeciders: a.approvals))
            {
                out.append(
                    .init(
                        kind: .agreement, id: a.id.description, what: "Approval of the agreement \(a.title)", askedBy: a.draftedBy,
                        askedAt: nil))
            }
        }
        if case let p? = readable(.dpia, .dpiaList, decides: [.dpiaAdvise, .dpiaApprove]) {
            for d in try await register.dpias(by: actor, for: p).versions {
                let advice = d.status == .draft && may(.dpiaAdvise, TwoPersonCheck(.dpia, proposer: nil))
                let approval =
                    d.status == .advised
                    && may(.dpiaApprove, TwoPersonCheck(.dpia, proposer: nil, earlierDeciders: d.advisedBy.map { [$0] } ?? []))
                guard advice || approval else { continue }
                out.append(
                    .init(
                        kind: .dpia, id: d.id.description,
                        what: advice ? "The DPO's advice on DPIA version \(d.version)" : "Approval of DPIA version \(d.version)",
                        askedBy: d.draftedBy, askedAt: d.draftedAt))
            }
        }
        if case let p?? = readable(.erasure, .rightsList, decides: [.rightsDecide]) {
            for r in try await register.rightsRequests(by: actor, for: p) where r.status == .open {
                guard let proposal = r.erasureProposal, may(.rightsDecide, TwoPersonCheck(.erasure, proposer: proposal.by)) else {
                    continue
                }
                out.append(
                    .init(
                        kind: .erasure, id: r.id.description, what: "Confirmation of an erasure", askedBy: proposal.by, askedAt: proposal.at
                    ))
            }
        }
        if AccessPolicy.runs(actor.role, .rulebookDecide) {
            for v in try await register.rulebookVersions().versions
            where v.status == .proposed && may(.rulebookDecide, TwoPersonCheck(.rulebook, proposer: v.proposedBy)) {
                out.append(
                    .init(
                        kind: .rulebook, id: String(v.rulebook.version), what: "Rulebook version \(v.rulebook.version)",
                        askedBy: v.proposedBy, askedAt: v.proposedAt))
            }
        }
        let asked = Set(out.map(\.askedBy))
        let names = AccessPolicy.runs(actor.role, .staffNames) && !asked.isEmpty ? try await staffNames(asked, by: actor) : [:]
        return DecisionsWaiting(decisions: out, names: names, needAnotherPurpose: elsewhere)
    }
}
