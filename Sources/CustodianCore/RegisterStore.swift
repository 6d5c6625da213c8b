public import Foundation

/// The storage port. Every use case runs in one transaction: its writes and its audit entry
/// commit together or not at all, and a consultation's entry is durable before it is answered.
public protocol RegisterStore: Sendable {
    /// A write: its changes and the audit entries it appends commit together or not at all.
    func transaction<R: Sendable>(_ body: @Sendable (any RegisterTransaction) async throws -> R) async throws -> R
    /// A consultation: `body` reads and may write nothing but audit entries. Those are made durable
    /// (committed together with other consultations' entries, one flush for many) before this
    /// returns, so nothing is answered that the log does not hold.
    func consultation<R: Sendable>(_ body: @Sendable (any RegisterTransaction) async throws -> R) async throws -> R
    /// A lookup that is not register content and is not logged (a token, the rulebook in force):
    /// one read-only snapshot on a reader, never the writer's lane, so signing in never queues
    /// behind a write.
    func lookup<R: Sendable>(_ body: @Sendable (any RegisterTransaction) async throws -> R) async throws -> R
    /// Appends entries on their own, durably: refusals, and reads made outside a consultation.
    func log(_ entries: [AuditEntry]) async throws
}

/// An inclusion as it rests: the facts storage filters on in the clear, the whole record (with
/// its evidence, rationales and decisions' reasons) sealed under the subject's key.
public struct SealedInclusion: Sendable, Equatable {
    public let id: InclusionID
    public let subjectID: SubjectID
    public let unit: Borough
    public let status: Inclusion.Status
    public let nextReviewDue: LocalDate?
    public let suspendedOn: LocalDate?
    public let removalReviewRequired: Bool
    public let sealed: Data
    public init(
        id: InclusionID, subjectID: SubjectID, unit: Borough, status: Inclusion.Status, nextReviewDue: LocalDate?,
        suspendedOn: LocalDate?, removalReviewRequired: Bool, sealed: Data
    ) {
        self.id = id
        self.subjectID = subjectID
        self.unit = unit
        self.status = status
        self.nextReviewDue = nextReviewDue
        self.suspendedOn = suspendedOn
        self.removalReviewRequired = removalReviewRequired
        self.sealed = sealed
    }
}

/// A review or a harm assessment as it rests: who and when in the clear, the record sealed.
public struct SealedEvent: Sendable, Equatable {
    public let subjectID: SubjectID
    public let unit: Borough
    public let at: Timestamp
    /// The outcome of a review, or the band of an assessment (`HarmRowKind`): for counting, never free text.
    public let kind: String
    public let sealed: Data
    public init(subjectID: SubjectID, unit: Borough, at: Timestamp, kind: String, sealed: Data) {
        (self.subjectID, self.unit, self.at, self.kind, self.sealed) = (subjectID, unit, at, kind, sealed)
    }
}

/// A disclosure without its records: what was sent to whom, under what, until when.
public struct DisclosureHeader: Sendable, Equatable, Codable {
    public let id: DisclosureID
    public let requestID: ShareRequestID
    public let agreementID: AgreementID
    public let partnerID: PartnerID
    public let unit: Borough
    public let purpose: String
    public let expiresOn: LocalDate
    public let watermark: String
    public let createdAt: Timestamp
    public init(
        id: DisclosureID, requestID: ShareRequestID, agreementID: AgreementID, partnerID: PartnerID, unit: Borough, purpose: String,
        expiresOn: LocalDate, watermark: String, createdAt: Timestamp
    ) {
        self.id = id
        self.requestID = requestID
        self.agreementID = agreementID
        self.partnerID = partnerID
        self.unit = unit
        self.purpose = purpose
        self.expiresOn = expiresOn
        self.watermark = watermark
        self.createdAt = createdAt
    }
}

/// Personal parts of a subject as they rest in storage: sealed bytes only.
public struct SealedSubject: Sendable, Equatable {
    public let id: SubjectID
    public let unit: Borough
    public let provenance: Provenance
    public let personal: Data
    public let sensitive: Data
    /// Held under restriction (legal hold, contested accuracy): out of all operational use.
    public let restricted: Bool
    public init(id: SubjectID, unit: Borough, provenance: Provenance, personal: Data, sensitive: Data, restricted: Bool = false) {
        (self.id, self.unit, self.provenance, self.personal, self.sensitive, self.restricted) = (
            id, unit, provenance, personal, sensitive, restricted
        )
    }
}

public struct SealedIntelligence: Sendable, Equatable {
    public let id: IntelligenceID
    public let subjectID: SubjectID
    public let unit: Borough
    public let grade: IntelligenceGrade
    public let basis: Basis
    public let provenance: Provenance
    public let content: Data
    public init(
        id: IntelligenceID, subjectID: SubjectID, unit: Borough, grade: IntelligenceGrade, basis: Basis, provenance: Provenance,
        content: Data
    ) {
        self.id = id
        self.subjectID = subjectID
        self.unit = unit
        self.grade = grade
        self.basis = basis
        self.provenance = provenance
        self.content = content
    }
}

/// The operations a transaction offers: one protocol per capability (`Ports/`). Storage adapters
/// implement them with plain SQL; no rule of the register lives behind this line.
public typealias RegisterTransaction = AccountStore & SubjectStore & MatterStore & IntelligenceStore & GovernanceStore
    & SharingStore & RightsStore & AccountabilityStore & EqualityStore & DuplicateStore & AuditStore & SourceStore
