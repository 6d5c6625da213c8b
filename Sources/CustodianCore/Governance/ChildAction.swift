public import Foundation

public typealias ChildActionID = Identifier<ChildAction>

/// A flag or a harm score for a child (under 18, or of unknown age), held until a SPOC of the
/// borough and then central governance approve it, each a different person from the requester and
/// from each other (C4). Nothing about the child changes until the second approval; the whole
/// request, rationale included, rests sealed under the child's key.
public struct ChildAction: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case flag
        case harmAssessment = "harm-assessment"
    }
    public enum Status: String, Sendable, Codable, CaseIterable {
        case awaitingSPOC = "awaiting-spoc"
        case awaitingCentral = "awaiting-central"
        case approved, rejected
    }

    public let id: ChildActionID
    public let subjectID: SubjectID
    public let unit: Borough
    public let kind: Kind
    /// For a flag: which, and the evidence it cites.
    public let flagKind: Flag.Kind?
    public let evidence: [Evidence]
    public let safeguardingRationale: String
    public let requestedBy: UserID
    public let requestedAt: Timestamp
    public var status: Status
    public var decisions: [InclusionDecision]

    public init(
        id: ChildActionID, subjectID: SubjectID, unit: Borough, kind: Kind, flagKind: Flag.Kind?, evidence: [Evidence],
        safeguardingRationale: String, requestedBy: UserID, requestedAt: Timestamp
    ) {
        (self.id, self.subjectID, self.unit, self.kind, self.flagKind, self.evidence) = (id, subjectID, unit, kind, flagKind, evidence)
        (self.safeguardingRationale, self.requestedBy, self.requestedAt) = (safeguardingRationale, requestedBy, requestedAt)
        (self.status, self.decisions) = (.awaitingSPOC, [])
    }

    /// Applies a decision, or says why this person may not make it: a SPOC of the borough first,
    /// then central governance; never the requester, never the same person twice.
    public func deciding(_ approve: Bool, reason: String, by approver: User, at now: Timestamp) throws(RegisterError) -> ChildAction {
        var v = Validator()
        let reasonInput = v.decisionReason(reason)
        let reason = try v.finish(reasonInput)
        try AccessPolicy.requireSeparation(
            approver, TwoPersonCheck(.childAction, proposer: requestedBy, earlierDeciders: decisions.map(\.by)))
        var next = self
        switch status {
        case .awaitingSPOC:
            next.decisions.append(
                try InclusionDecision.taking(
                    .borough, approve: approve, reason: reason, by: approver, unit: unit, earlier: decisions,
                    at: now, rules: rules, what: "a child's \(kind.rawValue)"))
            next.status = approve ? .awaitingCentral : .rejected
        case .awaitingCentral:
            next.decisions.append(
                try InclusionDecision.taking(
                    .central, approve: approve, reason: reason, by: approver, unit: unit, earlier: decisions,
                    at: now, rules: rules, what: "a child's \(kind.rawValue)"))
            next.status = approve ? .approved : .rejected
        case .approved, .rejected:
            throw .conflict("this request has already been decided (\(status.rawValue))")
        }
        return next
    }

    private var rules: (spoc: RuleCode, central: RuleCode) { ("child.borough-spoc", "child.central-approval") }
}

/// A child action as it rests: what storage filters on in the clear, the request sealed.
public struct SealedChildAction: Sendable, Equatable {
    public let id: ChildActionID
    public let subjectID: SubjectID
    public let unit: Borough
    public let status: ChildAction.Status
    public let sealed: Data
    public init(id: ChildActionID, subjectID: SubjectID, unit: Borough, status: ChildAction.Status, sealed: Data) {
        (self.id, self.subjectID, self.unit, self.status, self.sealed) = (id, subjectID, unit, status, sealed)
    }
}
