/// One s.62 log entry. Subjects appear by id only, never by name.
public struct AuditEntry: Sendable, Equatable, Codable {
    /// The s.62(1) operations, plus the changes to users and configuration that A5 asks to log,
    /// and refusals, which governance needs to see attempted out-of-scope access.
    public enum Operation: String, CaseIterable, Sendable, Codable {
        case collection, alteration, consultation, disclosure, combination, erasure
        case userChange = "user-change"
        case configurationChange = "configuration-change"
        case refusal
        /// A copy of the whole register taken, or put back in its place (SEC4).
        case backup
    }

    public let at: Timestamp
    public let operation: Operation
    /// What was done, in the register's words: a `UseCase`'s raw value (`subject.read`,
    /// `subject.search`, `link.create`), kept as text so an entry reads the same whatever the
    /// catalogue later becomes.
    public let action: String
    public let actor: UserID
    public let role: Role
    public let unit: Scope
    public let purpose: Purpose?
    public let justification: String?
    public let subjects: [SubjectID]
    /// The receiving organisation or person of a disclosure.
    public let recipient: String?
    /// The records touched (`matter/…`, `intelligence/…`, `audit-log`).
    public let touched: [AuditResource]
    /// For refusals: the policy's reason.
    public let outcome: String?

    public init(
        at: Timestamp, operation: Operation, action: UseCase, actor: User, purpose: StatedPurpose?,
        subjects: [SubjectID] = [], recipient: String? = nil, touched: [AuditResource] = [], outcome: String? = nil
    ) {
        self.at = at
        self.operation = operation
        self.action = action.rawValue
        self.actor = actor.id
        self.role = actor.role
        self.unit = actor.unit
        self.purpose = purpose?.purpose
        self.justification = purpose?.justification
        self.subjects = subjects
        self.recipient = recipient
        self.touched = touched
        self.outcome = outcome
    }

    /// Rebuilds an entry as stored.
    public init(
        at: Timestamp, operation: Operation, action: String, actorID: UserID, role: Role, unit: Scope, purpose: Purpose?,
        justification: String?, subjects: [SubjectID], recipient: String?, touched: [AuditResource], outcome: String?
    ) {
        self.at = at
        self.operation = operation
        self.action = action
        self.actor = actorID
        self.role = role
        self.unit = unit
        self.purpose = purpose
        self.justification = justification
        self.subjects = subjects
        self.recipient = recipient
        self.touched = touched
        self.outcome = outcome
    }

    /// The people the per-subject index holds a row for: each named person once, however often
    /// the entry names them. Every writer writes exactly these and verification expects exactly
    /// these, so a repeated row is an edit (PostgreSQL's index on the subject alone would take one).
    public var indexedSubjects: Set<SubjectID> { Set(subjects) }
}

/// An entry with the position the log gave it.
public struct RecordedAuditEntry: Sendable, Equatable {
    public let sequence: Int64
    public let entry: AuditEntry
    public init(sequence: Int64, entry: AuditEntry) { (self.sequence, self.entry) = (sequence, entry) }
}

/// Filters over the log, newest first, a page at a time.
public struct AuditQuery: Sendable, Equatable {
    public var actor: UserID?
    public var subject: SubjectID?
    public var operation: AuditEntry.Operation?
    public var from: Timestamp?
    public var until: Timestamp?
    /// Return entries with a sequence lower than this (the previous page's last).
    public var before: Int64?
    public var limit: Int

    public init(
        actor: UserID? = nil, subject: SubjectID? = nil, operation: AuditEntry.Operation? = nil,
        from: Timestamp? = nil, until: Timestamp? = nil, before: Int64? = nil, limit: Int = 50
    ) {
        self.actor = actor
        self.subject = subject
        self.operation = operation
        self.from = from
        self.until = until
        self.before = before
        self.limit = min(max(limit, 1), 500)
    }
}
