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

/// The operations a transaction offers. Storage adapters implement them with plain SQL; no rule
/// of the register lives behind this line.
public protocol RegisterTransaction: Sendable {
    // Users and credentials
    func insertUser(_ user: User, passwordHash: String?) async throws
    func updateUser(_ user: User) async throws
    func user(_ id: UserID) async throws -> User?
    func user(username: String) async throws -> (user: User, passwordHash: String?)?
    func users(limit: Int, offset: Int) async throws -> [User]
    func insertToken(hash: String, user: UserID, label: String, createdAt: Timestamp, expiresAt: Timestamp?) async throws
    func userForToken(hash: String, at: Timestamp) async throws -> User?
    /// Revokes every token of the user (on disable): re-enabling the account does not bring them back.
    func revokeTokens(user: UserID, at: Timestamp) async throws
    /// Enrolments: a single-use link by which a person sets their own password.
    func upsertEnrolment(_ enrolment: Enrolment) async throws
    func enrolment(tokenHash: String) async throws -> Enrolment?
    func deleteEnrolment(user: UserID) async throws
    func setPasswordHash(_ hash: String, user: UserID) async throws
    func upsertGrant(_ grant: PendingGrant) async throws
    func grant(user: UserID) async throws -> PendingGrant?
    func grants() async throws -> [PendingGrant]
    func deleteGrant(user: UserID) async throws

    // Page sessions and sign-in throttling
    func insertSession(_ session: WebSession) async throws
    func session(id: String) async throws -> WebSession?
    func updateSession(_ session: WebSession) async throws
    func deleteSession(id: String) async throws
    func signInThrottle(username: String) async throws -> SignInThrottle?
    /// Replaces the throttle for a username; nil clears it.
    func setSignInThrottle(username: String, _ throttle: SignInThrottle?) async throws

    // Subjects (their keys and name-search tokens live in a `SubjectKeyStore`)
    /// Many rows in few statements: an import writes hundreds of thousands.
    func insertSubjects(_ subjects: [SealedSubject]) async throws
    func subject(_ id: SubjectID) async throws -> SealedSubject?
    /// The people of a page or a request in one read (those not on the register are left out).
    func subjects(_ ids: [SubjectID]) async throws -> [SealedSubject]
    /// Newest first (ids are time-ordered), within `units` or all when nil, strictly before `before`.
    func subjects(units: [Borough]?, before: SubjectID?, limit: Int) async throws -> [SealedSubject]

    // Matters and links
    func insertMatters(_ matters: [Matter]) async throws
    func matter(_ id: MatterID) async throws -> Matter?
    func matters(_ ids: [MatterID]) async throws -> [Matter]
    func matter(reference: String, unit: Borough) async throws -> Matter?
    func insertLinks(_ links: [SubjectMatterLink]) async throws
    /// A matter's details corrected in place (rectification); its id, unit and provenance stay.
    func updateMatter(_ matter: Matter) async throws
    func updateLinkCategory(_ id: LinkID, to category: Category) async throws
    func upsertDPIA(_ dpia: DPIA) async throws
    func dpias() async throws -> [DPIA]
    /// The approved versions only (one, normally), read by the index on status: what the gate checks
    /// on every gated write.
    func approvedDPIAs() async throws -> [DPIA]
    func upsertBreach(_ breach: Breach) async throws
    func breach(_ id: BreachID) async throws -> Breach?
    func breaches() async throws -> [Breach]
    func upsertPolicyDocument(_ document: PolicyDocument) async throws
    func policyDocuments() async throws -> [PolicyDocument]
    func approvedPolicyDocuments() async throws -> [PolicyDocument]
    /// Equality monitoring: events with no subject in them, summed by storage per period.
    /// Only events the monitor permitted (`Monitor.equality`) can be written.
    func insertEqualityEvents(_ events: Permitted<[EqualityEvent]>) async throws
    /// The events of `from` ..< `until`, summed by stage, borough, band and groups.
    func equalityCounts(from: LocalDate, until: LocalDate) async throws -> [EqualityCount]
    func upsertEqualityBaseline(_ baseline: EqualityBaseline) async throws
    func equalityBaselines() async throws -> [EqualityBaseline]
    func upsertEqualityAlert(_ alert: EqualityAlert) async throws
    func equalityAlerts() async throws -> [EqualityAlert]
    func insertEqualityImpactAssessment(_ assessment: EqualityImpactAssessment) async throws
    func equalityImpactAssessments(rulebookVersion: Int?) async throws -> [EqualityImpactAssessment]

    /// Duplicates across boroughs: the last scan's candidates (replaced whole by each scan) and
    /// the decisions people made about pairs, kept with their reversals.
    func replaceDuplicateCandidates(_ candidates: [DuplicateCandidate]) async throws
    /// Candidates with no settling decision in force, highest score first, then by pair.
    func duplicateCandidates(offset: Int, limit: Int) async throws -> [DuplicateCandidate]
    func duplicateCandidateCount() async throws -> Int
    func upsertDuplicateDecision(_ decision: DuplicateDecision) async throws
    func duplicateDecision(_ id: DuplicateDecisionID) async throws -> DuplicateDecision?
    func duplicateDecisions(pair: SubjectPair) async throws -> [DuplicateDecision]
    func duplicateDecisions(subject: SubjectID) async throws -> [DuplicateDecision]
    /// A matter no one is linked to any more, erased with the last person's record.
    func eraseMatter(_ id: MatterID) async throws
    func links(subject: SubjectID) async throws -> [SubjectMatterLink]
    func links(subjects: [SubjectID]) async throws -> [SubjectMatterLink]
    func links(matter: MatterID) async throws -> [SubjectMatterLink]

    // Intelligence and flags
    func insertIntelligence(_ items: [SealedIntelligence]) async throws
    func intelligence(_ id: IntelligenceID) async throws -> SealedIntelligence?
    func intelligence(subject: SubjectID) async throws -> [SealedIntelligence]
    func intelligence(subjects: [SubjectID]) async throws -> [SealedIntelligence]
    /// Only a flag the monitor permitted (`Monitor.flag`) can be written.
    func insertFlag(_ flag: Permitted<Flag>) async throws
    func flags(subject: SubjectID) async throws -> [Flag]
    func flags(subjects: [SubjectID]) async throws -> [Flag]

    // Restriction and erasure
    func insertRestriction(subject: SubjectID, by: UserID, at: Timestamp, sealedReason: Data) async throws
    func restriction(subject: SubjectID) async throws -> (by: UserID, at: Timestamp, sealedReason: Data)?
    /// Deletes every row about the subject: the subject, its search tokens, links, intelligence,
    /// flags, inclusions, reviews, assessments and restriction. The audit log keeps its entries.
    func eraseSubject(_ subject: SubjectID) async throws
    /// Counts an erasure against the borough and day: a tally with no subject in it.
    func countErasure(unit: Borough, on day: LocalDate) async throws
    func erasures(from: LocalDate, until: LocalDate) async throws -> [Borough: Int]

    // Governance: the rulebook, inclusions, reviews and harm assessments. Their free text is
    // sealed under the subject's key, so erasing the key erases it in every copy.
    func rulebookVersions() async throws -> [RulebookVersion]
    /// The newest active version's rules: one row, read on nearly every request.
    func activeRulebook() async throws -> Rulebook?
    func insertRulebookVersion(_ version: RulebookVersion) async throws
    func updateRulebookVersion(_ version: RulebookVersion) async throws
    func insertInclusion(_ inclusion: SealedInclusion) async throws
    func updateInclusion(_ inclusion: SealedInclusion) async throws
    func inclusion(_ id: InclusionID) async throws -> SealedInclusion?
    func inclusions(subject: SubjectID) async throws -> [SealedInclusion]
    func inclusions(subjects: [SubjectID]) async throws -> [SealedInclusion]
    /// Inclusions of the given statuses, within `units` or all when nil.
    func inclusions(units: [Borough]?, statuses: [Inclusion.Status]) async throws -> [SealedInclusion]
    func insertReview(_ review: SealedEvent) async throws
    /// Only a score the monitor permitted (`Monitor.score`) can be kept.
    func insertHarmAssessment(_ assessment: Permitted<SealedEvent>) async throws
    func latestHarmAssessment(subject: SubjectID) async throws -> SealedEvent?
    func latestHarmAssessments(subjects: [SubjectID]) async throws -> [SubjectID: SealedEvent]
    func latestReview(subject: SubjectID) async throws -> SealedEvent?
    func upsertChildAction(_ action: SealedChildAction) async throws
    func childAction(_ id: ChildActionID) async throws -> SealedChildAction?
    /// Child actions in the given statuses, within `units` or all when nil.
    func childActions(units: [Borough]?, statuses: [ChildAction.Status]) async throws -> [SealedChildAction]

    // Sharing: partners, agreements, requests, disclosures and recalls. Organisational records are
    // kept as they are; each disclosed record is sealed under its subject's key.
    func upsertPartner(_ partner: Partner) async throws
    func partners() async throws -> [Partner]
    func partner(_ id: PartnerID) async throws -> Partner?
    /// The organisation a partner user receives for, if any.
    func partner(recipient: UserID) async throws -> Partner?
    func upsertAgreement(_ agreement: SharingAgreement) async throws
    func agreements() async throws -> [SharingAgreement]
    func agreement(_ id: AgreementID) async throws -> SharingAgreement?
    func upsertShareRequest(_ request: ShareRequest) async throws
    func shareRequest(_ id: ShareRequestID) async throws -> ShareRequest?
    /// A borough's share requests, and (for erasure) those naming one person: looked up by
    /// index, never by reading every request.
    func shareRequests(unit: Borough) async throws -> [ShareRequest]
    func shareRequests(naming subject: SubjectID) async throws -> [ShareRequest]
    func insertDisclosure(_ disclosure: DisclosureHeader, records: [(ref: String, subject: SubjectID, sealed: Data)]) async throws
    func disclosures(partner: PartnerID) async throws -> [DisclosureHeader]
    func disclosure(_ id: DisclosureID) async throws -> DisclosureHeader?
    func disclosedRecords(_ id: DisclosureID) async throws -> [(ref: String, subject: SubjectID, sealed: Data)]
    /// Every disclosed record of a subject, to recall them before the subject is erased.
    func disclosedRecords(subject: SubjectID) async throws -> [(disclosure: DisclosureID, ref: String)]
    func upsertRecall(_ recall: Recall) async throws
    func recalls(partner: PartnerID?) async throws -> [Recall]

    // Rectification: the corrected record in place, and the before and after kept sealed.
    func updateSubjectPersonal(_ id: SubjectID, sealed: Data) async throws
    func updateIntelligence(_ id: IntelligenceID, content: Data, grade: IntelligenceGrade) async throws
    func insertRectification(_ rectification: SealedEvent) async throws
    /// Decisions to keep a person past their retention review, sealed with the reason.
    func insertRetentionReview(_ review: SealedEvent) async throws
    /// The person's latest retention event of one kind ("raised" by the sweep, "keep" by governance).
    func latestRetentionReview(subject: SubjectID, kind: String) async throws -> SealedEvent?
    /// Each person's latest retention event, whatever its kind.
    func latestRetentionReviews() async throws -> [SealedEvent]
    /// Retention's facts for each of `subjects` that has any: one query per kind, not per person.
    func retentionFacts(_ subjects: [SubjectID]) async throws -> [SubjectID: RetentionFacts]
    func rectifications(subject: SubjectID) async throws -> [SealedEvent]

    // Rights requests: organisational records (no register content), kept whole.
    func upsertRightsRequest(_ request: RightsRequest) async throws
    func rightsRequest(_ id: RightsRequestID) async throws -> RightsRequest?
    func rightsRequests() async throws -> [RightsRequest]

    // The audit log
    func appendAudit(_ entries: [AuditEntry]) async throws
    func auditEntries(_ query: AuditQuery) async throws -> [RecordedAuditEntry]
}

extension RegisterTransaction {
    func insertSubject(_ subject: SealedSubject) async throws { try await insertSubjects([subject]) }
    func insertMatter(_ matter: Matter) async throws { try await insertMatters([matter]) }
    func insertLink(_ link: SubjectMatterLink) async throws { try await insertLinks([link]) }
    func insertIntelligence(_ item: SealedIntelligence) async throws { try await insertIntelligence([item]) }
}
