public typealias ShareRequestID = Identifier<ShareRequest>
public typealias RecallID = Identifier<Recall>

/// A request to share named people with one partner under one agreement: each person is in or
/// out with the reasons, and a SPOC who is not the requester approves before anything leaves.
public struct ShareRequest: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case pending
        /// The SPOC approved a share naming a child (or someone of unknown age): central governance decides next.
        case awaitingCentral = "awaiting-central"
        case approved, rejected
    }
    public struct Outcome: Sendable, Equatable, Codable {
        public let subjectID: SubjectID
        public let reasons: [AccessDenial]
        /// The person's harm assessment as the decider will see it (score, band).
        public var harmShown: String?
        public var included: Bool { reasons.isEmpty }
    }

    public let id: ShareRequestID
    public let agreementID: AgreementID
    public let partnerID: PartnerID
    public let unit: Borough
    public let purpose: String
    public let requestedBy: UserID
    public let requestedAt: Timestamp
    /// The code C items whose handling conditions the requester acknowledged, one by one.
    public var acknowledgedConditions: [IntelligenceID] { acknowledged ?? [] }
    private let acknowledged: [IntelligenceID]?
    /// Why sharing a child's record protects them; required when anyone in the request is under 18
    /// or of unknown age.
    public let safeguardingRationale: String?
    public var outcomes: [Outcome]
    public var status: Status
    public var decidedBy: UserID?
    public var decisionReason: String?
    public var disclosureID: DisclosureID?
    /// Per person, what the approving SPOC had in front of them: the harm explanation's summary.
    /// Decided person by person (a SPOC approves or excludes each).
    public var decisions: [PersonDecision]?

    public struct PersonDecision: Sendable, Equatable, Codable {
        public let subjectID: SubjectID
        public let approved: Bool
        /// The harm assessment shown to the SPOC when deciding (score, band, method version).
        public let harmShown: String
    }

    /// Whether the request names the person anywhere.
    public func names(_ subject: SubjectID) -> Bool {
        outcomes.contains { $0.subjectID == subject } || (decisions ?? []).contains { $0.subjectID == subject }
    }

    /// The request with every trace of the person taken out: erasure leaves their id nowhere but
    /// the audit log.
    public func forgetting(_ subject: SubjectID) -> ShareRequest {
        var next = self
        next.outcomes.removeAll { $0.subjectID == subject }
        next.decisions?.removeAll { $0.subjectID == subject }
        return next
    }

    init(
        id: ShareRequestID, agreementID: AgreementID, partnerID: PartnerID, unit: Borough, purpose: String, requestedBy: UserID,
        requestedAt: Timestamp, acknowledgedConditions: [IntelligenceID], safeguardingRationale: String?, outcomes: [Outcome],
        status: Status,
        decisionReason: String?
    ) {
        self.id = id
        self.agreementID = agreementID
        self.partnerID = partnerID
        self.unit = unit
        self.purpose = purpose
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.acknowledged = acknowledgedConditions
        self.safeguardingRationale = safeguardingRationale
        self.outcomes = outcomes
        self.status = status
        self.decisionReason = decisionReason
    }
}

/// A notice to a recipient that records it holds must be deleted (the person was removed, the
/// record corrected, or it was shared unlawfully): acknowledged, then deletion confirmed (S6).
public struct Recall: Sendable, Equatable, Codable {
    public enum Reason: String, Sendable, Codable, CaseIterable { case removal, correction, unlawful, restriction }
    public let id: RecallID
    public let disclosureID: DisclosureID
    public let partnerID: PartnerID
    public let unit: Borough
    /// The records to delete, by their reference in the disclosure; empty means every record.
    public let recordRefs: [String]
    public let reason: Reason
    public let raisedAt: Timestamp
    public var acknowledgedAt: Timestamp?
    public var acknowledgedBy: UserID?
    public var deletionConfirmedAt: Timestamp?
    public var confirmedBy: UserID?

    public var isOutstanding: Bool { deletionConfirmedAt == nil }

    public init(
        id: RecallID, disclosureID: DisclosureID, partnerID: PartnerID, unit: Borough, recordRefs: [String], reason: Reason,
        raisedAt: Timestamp
    ) {
        (self.id, self.disclosureID, self.partnerID, self.unit) = (id, disclosureID, partnerID, unit)
        (self.recordRefs, self.reason, self.raisedAt) = (recordRefs, reason, raisedAt)
    }
}
