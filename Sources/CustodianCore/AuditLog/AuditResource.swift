/// A record or collection an audit entry touched: a kind the register knows, the record's id
/// where it is one, and the part of it concerned (a person's `retention`, a user's `password`).
///
/// The log stores it as the text `kind/id/part`; `description` writes exactly that and
/// `init(logged:)` is its inverse, so an entry read back hashes to the bytes that were signed.
/// Nothing reads a resource's text to decide anything: code asks `kind` and the typed ids.
public struct AuditResource: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        // Records about people.
        case subject, matter, intelligence, flag, link, inclusion, harm
        case childAction = "child-action"
        case duplicatePair = "duplicate-pair"
        case duplicateDecision = "duplicate-decision"
        case recall
        case rightsRequest = "rights-request"
        case shareRequest = "share-request"
        case disclosure
        case `import`
        case batch
        case removalRejected = "removal-rejected"

        // Governance and configuration.
        case user, session, rulebook, dpia, eia, agreement, partner, breach
        case policyDocument = "policy-document"
        case equalityAlert = "equality-alert"
        case equalityBaseline = "equality-baseline"
        case equalityReport = "equality-report"
        case recordOfProcessing = "record-of-processing"
        case source
        case backup

        // The log itself.
        case auditLog = "audit-log"
        case auditReport = "audit-report"
        case auditKey = "audit-key"
        case auditCheckpoint = "audit-checkpoint"
        case auditProof = "audit-proof"

        // Lists and queues read whole.
        case subjectSearch = "subject-search"
        case subjectList = "subject-list"
        case reviewQueue = "review-queue"
        case inclusionQueue = "inclusion-queue"
        case retentionQueue = "retention-queue"
        case duplicateQueue = "duplicate-queue"
        case duplicateCandidates = "duplicate-candidates"
        case rightsRequests = "rights-requests"
        case shareRequests = "share-requests"
        case childActions = "child-actions"
        case recalls, breaches, disclosures, dashboard, portal, sources
    }

    public let kind: Kind
    /// The record's id as logged (a UUID, a rulebook version, an import's digest, a range).
    public let id: String?
    /// What of the record was touched, when not the whole of it.
    public let part: String?

    public init(_ kind: Kind, _ id: some CustomStringConvertible, part: String? = nil) {
        (self.kind, self.id, self.part) = (kind, id.description, part)
    }

    private init(_ kind: Kind) { (self.kind, self.id, self.part) = (kind, nil, nil) }

    /// Reads a resource back from the log's text; nil when the text names a kind the register
    /// never writes, which verification reports as an entry it did not make.
    public init?(logged text: String) {
        let pieces = text.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard let kind = Kind(rawValue: String(pieces[0])) else { return nil }
        self.kind = kind
        id = pieces.count > 1 ? String(pieces[1]) : nil
        part = pieces.count > 2 ? String(pieces[2]) : nil
        // A part with no id cannot be told apart from an id, so it is never written.
        if id == nil, part != nil { return nil }
    }

    public var description: String {
        [kind.rawValue, id, part].compactMap { $0 }.joined(separator: "/")
    }

    /// Whether this is a record of a person's data (rather than a list, the log, or configuration):
    /// what a breach can expose.
    public var isPersonalRecord: Bool {
        guard id != nil else { return false }
        switch kind {
        case .subject, .matter, .intelligence, .flag, .link, .inclusion, .harm, .childAction, .duplicatePair, .duplicateDecision,
            .recall, .rightsRequest, .shareRequest, .disclosure:
            return true
        default: return false
        }
    }

    /// The disclosure this resource is, or is part of (its package), when it is one.
    public var disclosure: DisclosureID? { kind == .disclosure ? id.flatMap(DisclosureID.init) : nil }

    public static func subject(_ id: SubjectID, part: String? = nil) -> Self { Self(.subject, id, part: part) }
    public static func matter(_ id: MatterID) -> Self { Self(.matter, id) }
    public static func intelligence(_ id: IntelligenceID, part: String? = nil) -> Self { Self(.intelligence, id, part: part) }
    public static func flag(_ id: FlagID) -> Self { Self(.flag, id) }
    public static func link(_ id: LinkID) -> Self { Self(.link, id) }
    public static func inclusion(_ id: InclusionID, part: String? = nil) -> Self { Self(.inclusion, id, part: part) }
    public static func harm(_ id: SubjectID) -> Self { Self(.harm, id) }
    public static func user(_ id: UserID, part: String? = nil) -> Self { Self(.user, id, part: part) }
    public static func disclosure(_ id: DisclosureID, part: String? = nil) -> Self { Self(.disclosure, id, part: part) }
    /// A list, queue or whole read with no single record.
    public static func whole(_ kind: Kind) -> Self { Self(kind) }
}

extension AuditResource: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let resource = AuditResource(logged: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(text) names no kind of record"))
        }
        self = resource
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
