public typealias InclusionID = Identifier<Inclusion>

/// A person's place on the register: proposed with evidence by an officer, decided by a SPOC of
/// the same borough who is not the proposer (and, for a child, by central governance as well),
/// then reviewed on the rulebook's cadence. Stamped with the rulebook version it was decided under.
public struct Inclusion: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case proposed
        /// A child's inclusion the borough approved, waiting for central governance.
        case awaitingCentral = "awaiting-central"
        case included
        case rejected

        /// Whose decision the inclusion waits for, if anyone's.
        public var step: InclusionDecision.Step? {
            switch self {
            case .proposed: .borough
            case .awaitingCentral: .central
            case .included, .rejected: nil
            }
        }
    }

    public let id: InclusionID
    public let subjectID: SubjectID
    public let unit: Borough
    public let proposedBy: UserID
    public let proposedAt: Timestamp
    public let evidence: [Evidence]
    public let rationale: String
    public let safeguardingRationale: String?
    public let isChild: Bool
    /// Being on the register says the register judged, on graded intelligence, that a person is
    /// involved in serious violence: an assessment, never a finding of fact (s.38(2)), and said
    /// beside the status wherever it goes.
    public static let basis = Basis.assessment
    public let rulebookVersion: Int
    public var status: Status
    public var decisions: [InclusionDecision]
    /// When the next review is due; set on inclusion and by each review.
    public var nextReviewDue: LocalDate?
    /// Set when a review went past its grace period: out of cohorts and sharing until reviewed.
    public var suspendedOn: LocalDate?
    /// The first day the score sat below the rulebook's retention threshold, while it still does.
    public var belowThresholdSince: LocalDate?
    /// Set when the score stayed low for the rulebook's period: the next review must consider removal.
    public var removalReviewRequired: Bool
    /// Who reviewed and proposed removal; a SPOC other than them approves the erasure.
    public var removalProposedBy: UserID?

    public init(
        id: InclusionID, subjectID: SubjectID, unit: Borough, proposedBy: UserID, proposedAt: Timestamp, evidence: [Evidence],
        rationale: String, safeguardingRationale: String?, isChild: Bool, rulebookVersion: Int, status: Status = .proposed,
        decisions: [InclusionDecision] = [], nextReviewDue: LocalDate? = nil, suspendedOn: LocalDate? = nil,
        belowThresholdSince: LocalDate? = nil, removalReviewRequired: Bool = false, removalProposedBy: UserID? = nil
    ) {
        self.id = id
        self.subjectID = subjectID
        self.unit = unit
        self.proposedBy = proposedBy
        self.proposedAt = proposedAt
        self.evidence = evidence
        self.rationale = rationale
        self.safeguardingRationale = safeguardingRationale
        self.isChild = isChild
        self.rulebookVersion = rulebookVersion
        self.status = status
        self.decisions = decisions
        self.nextReviewDue = nextReviewDue
        self.suspendedOn = suspendedOn
        self.belowThresholdSince = belowThresholdSince
        self.removalReviewRequired = removalReviewRequired
        self.removalProposedBy = removalProposedBy
    }

    /// Whether the person counts in cohorts (and, later, shares) today.
    public var isActive: Bool { status == .included && suspendedOn == nil }
}

/// A recorded human decision on an inclusion, with its reason.
public struct InclusionDecision: Sendable, Equatable, Codable {
    public enum Step: String, Sendable, Codable, CaseIterable { case borough, central }
    public let step: Step
    public let approved: Bool
    public let by: UserID
    public let at: Timestamp
    public let reason: String
    public init(step: Step, approved: Bool, by: UserID, at: Timestamp, reason: String) {
        (self.step, self.approved, self.by, self.at, self.reason) = (step, approved, by, at, reason)
    }
}

extension InclusionDecision {
    /// The child route's two steps as one rule, for inclusions and for a child's flag or score: a
    /// SPOC of the borough first, then central governance, never the same person twice.
    static func taking(
        _ step: Step, approve: Bool, reason: String, by approver: User, unit: Borough, earlier: [InclusionDecision],
        at now: Timestamp, rules: (spoc: RuleCode, central: RuleCode), what: String
    ) throws(RegisterError) -> InclusionDecision {
        if case .failure(let denial) = AccessPolicy.step(step, approver, unit: unit, rules: rules, what: what) { throw .denied(denial) }
        return InclusionDecision(step: step, approved: approve, by: approver.id, at: now, reason: reason)
    }
}

extension Inclusion {
    /// Applies a decision by `approver`, or says why they may not make it. Four-eyes: never the
    /// proposer, and never the same person at both steps.
    public func deciding(_ approve: Bool, reason: String, by approver: User, on now: Timestamp, under rulebook: Rulebook)
        throws(RegisterError) -> Inclusion
    {
        var v = Validator()
        let reasonInput = v.decisionReason(reason)
        let reason = try v.finish(reasonInput)
        try AccessPolicy.requireSeparation(approver, TwoPersonCheck(.inclusion, proposer: proposedBy, earlierDeciders: decisions.map(\.by)))
        var next = self
        switch status {
        case .proposed:
            next.decisions.append(
                try InclusionDecision.taking(
                    .borough, approve: approve, reason: reason, by: approver, unit: unit, earlier: decisions,
                    at: now, rules: Self.decisionRules, what: "this borough's inclusion"))
            next.status = !approve ? .rejected : isChild ? .awaitingCentral : .included
        case .awaitingCentral:
            next.decisions.append(
                try InclusionDecision.taking(
                    .central, approve: approve, reason: reason, by: approver, unit: unit, earlier: decisions,
                    at: now, rules: Self.decisionRules, what: "a child's inclusion"))
            next.status = approve ? .included : .rejected
        case .included, .rejected:
            throw .conflict("this inclusion has already been decided (\(status.rawValue))")
        }
        if next.status == .included {
            next.nextReviewDue = now.day.adding(days: rulebook.review.cadenceDays)
        }
        return next
    }

    static let decisionRules: (spoc: RuleCode, central: RuleCode) = ("inclusion.borough-spoc", "inclusion.central-approval")
}
