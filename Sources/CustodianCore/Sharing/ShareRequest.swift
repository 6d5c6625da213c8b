public typealias ShareRequestID = Identifier<ShareRequest>
public typealias RecallID = Identifier<Recall>

/// A request to share named people with one partner under one agreement: each person is in or
/// out with the reasons, and a SPOC who is not the requester approves before anything leaves.
public struct ShareRequest: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable { case pending, approved, rejected }
    public struct Outcome: Sendable, Equatable, Codable {
        public let subjectID: SubjectID
        public let reasons: [AccessDenial]
        public var included: Bool { reasons.isEmpty }
    }

    public let id: ShareRequestID
    public let agreementID: AgreementID
    public let partnerID: PartnerID
    public let unit: Borough
    public let purpose: String
    public let requestedBy: UserID
    public let requestedAt: Timestamp
    public let conditionsAcknowledged: Bool
    public var outcomes: [Outcome]
    public var status: Status
    public var decidedBy: UserID?
    public var decisionReason: String?
    public var disclosureID: DisclosureID?
}

/// A notice to a recipient that records it holds must be deleted (the person was removed, the
/// record corrected, or it was shared unlawfully): acknowledged, then deletion confirmed (S6).
public struct Recall: Sendable, Equatable, Codable {
    public enum Reason: String, Sendable, Codable, CaseIterable { case removal, correction, unlawful }
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
}
