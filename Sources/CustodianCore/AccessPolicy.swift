/// What someone wants to do with register data.
public enum Action: Sendable, Equatable {
    /// Read register content (subjects, matters, intelligence, flags, searches).
    case consult
    /// Read special-category data: ethnicity.
    case consultSensitive
    /// Record a new item (collection) or link items.
    case record
    /// Record special-category data (ethnicity): as reading it, under its own permission.
    case recordSensitive
    /// Place an enforcement flag on a subject.
    case recordFlag
    /// Read the audit log.
    case readAuditLog
    /// Create or change users and their credentials.
    case manageUsers
    /// Propose or decide a version of the central rulebook.
    case govern
    /// Decide an inclusion or a removal someone else proposed (four-eyes is checked by the record).
    case decide
    /// Receive what was disclosed to one's organisation (the partner portal, a package).
    case receive
    /// Read the sharing records: partners, agreements, disclosures made (no register content).
    case readSharingRecords
    /// Approve a grant of a role or permission an administrator asked for.
    case approveGrant
    /// Issue or revoke one's own credentials (API tokens).
    case manageOwnCredentials
    /// Record and answer the rights requests of people on the register (the rights team).
    case handleRights
    /// Read the equality report: in full for governance, suppressed for everyone else allowed.
    case readEqualityReport
    /// Find and judge records of one person held by different boroughs: the one task that joins
    /// boroughs' records, so only those who already read across boroughs do it.
    case resolveDuplicates
}

/// A refusal, in words a person can act on, with a stable code for tests and reports.
public struct AccessDenial: Error, Equatable, Sendable, Codable {
    public let rule: String
    public let reason: String
    public init(rule: String, reason: String) { (self.rule, self.reason) = (rule, reason) }
}

public struct AccessRequest: Sendable {
    public let actor: User
    public let action: Action
    public let purpose: StatedPurpose?
    /// The borough the data belongs to; nil for actions not about one borough's records.
    public let recordUnit: Borough?
    /// The s.38(3) categories the subject holds, where the action is about one subject.
    public let standing: CategoryStanding?

    public init(actor: User, action: Action, purpose: StatedPurpose?, recordUnit: Borough? = nil, standing: CategoryStanding? = nil) {
        self.actor = actor
        self.action = action
        self.purpose = purpose
        self.recordUnit = recordUnit
        self.standing = standing
    }
}

/// The access policy: a pure function from who, what, why and whose data to allow or deny.
/// Everything is denied unless a rule below grants it.
public enum AccessPolicy {
    public static func decide(_ r: AccessRequest, today: LocalDate) -> Result<Void, AccessDenial> {
        let user = r.actor
        guard user.isActive else { return deny("account.disabled", "this account is disabled") }
        guard !user.awaitingGrant else {
            return deny(
                "grant.pending", "this account's role and permissions await approval by a governance user other than the administrator")
        }
        if user.role.actsOnData {
            guard let trained = user.trainingCompletedOn, trained <= today else {
                return deny("training.required", "a \(user.role.label) must have a recorded training date before acting on data")
            }
            if let lapses = user.trainingLapsesOn, today > lapses {
                return deny("training.expired", "training lapsed on \(lapses): a refresher must be recorded before acting on data again")
            }
            if let vetting = user.vetting, today > vetting.expiresOn {
                return deny("vetting.expired", "\(vetting.level.rawValue) vetting expired on \(vetting.expiresOn)")
            }
        }
        switch r.action {
        case .manageUsers:
            return user.role == .administrator ? .success(()) : deny("role.administrator", "only an administrator manages users")
        case .manageOwnCredentials:
            return .success(())
        case .approveGrant:
            return user.role == .governance
                ? .success(())
                : deny("grant.governance", "a role or permission takes effect only when a governance user approves it")
        case .readAuditLog:
            guard user.role == .auditor else { return deny("role.auditor", "only an auditor reads the audit log") }
            return requirePurpose(r, among: [.audit])
        case .govern:
            return user.role == .governance
                ? .success(())
                : deny(
                    "rulebook.governance",
                    "only governance proposes or decides the rulebook and the impact assessments; no borough can change or override them")
        case .decide:
            switch user.role {
            case .boroughSPOC: return registerContent(r)
            case .governance: return requirePurpose(r, among: [.registerReview])
            default:
                return deny(
                    "role.decider", "inclusions and removals are decided by a SPOC of the borough (and central governance for children)")
            }
        case .handleRights:
            guard user.role == .governance else {
                return deny("rights.governance", "rights requests are handled by the rights team in governance")
            }
            return requirePurpose(r, among: [.subjectRights])
        case .readSharingRecords:
            return user.role == .governance || user.role.isBoroughRole
                ? .success(())
                : deny("sharing.readers", "partners and agreements are read by governance and borough staff")
        case .receive:
            guard user.role == .partnerRecipient else {
                return deny("role.partner-recipient", "only a named recipient of a partner organisation receives disclosures")
            }
            return requirePurpose(r, among: purposes(for: user.role))
        case .readEqualityReport:
            // Aggregates only; the people who read them as part of their work, and the independent reviewer.
            return [.governance, .auditor, .centralAnalyst, .independentReviewer].contains(user.role)
                ? .success(())
                : deny(
                    "equality.readers", "the equality report is read by governance, auditors, central analysts and the independent reviewer"
                )
        case .resolveDuplicates:
            guard user.role == .governance || user.role == .centralAnalyst else {
                return deny(
                    "duplicates.resolvers",
                    "records of one person across boroughs are found and judged by central analysts and governance only")
            }
            return requirePurpose(r, among: [.dataQuality, .registerReview])
        case .consult, .consultSensitive, .record, .recordSensitive, .recordFlag:
            return registerContent(r)
        }
    }

    /// Purposes each role may state when touching register content.
    public static func purposes(for role: Role) -> [Purpose] {
        switch role {
        case .boroughOfficer, .boroughSPOC, .centralAnalyst:
            [.violencePrevention, .investigation, .safeguarding, .registerReview, .dataQuality]
        case .governance: [.subjectRights, .registerReview]
        case .auditor: [.audit]
        // A partner reads what was shared for the purposes agreements are made for.
        case .partnerRecipient: [.safeguarding, .violencePrevention]
        case .administrator, .independentReviewer: []
        }
    }

    private static func registerContent(_ r: AccessRequest) -> Result<Void, AccessDenial> {
        let user = r.actor
        switch user.role {
        case .administrator:
            return deny("role.no-register-content", "administrators manage users, keys and backups and see no register content")
        case .auditor:
            return deny("role.audit-only", "auditors read the audit log, reports and proofs, and nothing else")
        case .independentReviewer:
            return deny("role.aggregates-only", "the independent reviewer reads aggregate equality reports and nothing about any person")
        case .partnerRecipient:
            return deny("role.partner", "partner recipients see only what is shared with their organisation under an agreement")
        case .governance:
            guard r.action == .consult || r.action == .consultSensitive else {
                return deny("role.governance-read-only", "governance reads register content to answer rights requests and records nothing")
            }
        case .centralAnalyst:
            guard r.action == .consult || r.action == .consultSensitive else {
                return deny("role.analyst-read-only", "central analysts read across boroughs; recording belongs to the borough")
            }
        case .boroughOfficer, .boroughSPOC:
            guard let unit = r.recordUnit else { return deny(scopeRule, scopeReason) }
            if case .failure(let denial) = scope(user, unit) { return .failure(denial) }
        }
        if r.action == .consultSensitive || r.action == .recordSensitive, !user.permissions.contains(.sensitiveData) {
            return deny(
                "permission.sensitive-data",
                "ethnicity is special-category data: reading or recording it needs the sensitive-data permission")
        }
        if r.action == .recordFlag, let standing = r.standing, standing.isProtectedOnly {
            return deny("category.protected-only", "an enforcement flag cannot rest on a subject held only as a victim or witness")
        }
        return requirePurpose(r, among: purposes(for: user.role))
    }

    public static let scopeRule = "scope.own-borough"
    // Never says whose the record is: the refusal must not tell a borough what another holds.
    static let scopeReason = "borough staff act on their own borough's records only"

    /// Whether a record of `unit` is within the actor's reach at all: borough staff reach their own
    /// borough's only; central roles are not limited by borough here (what they may do is decided
    /// by `decide`).
    public static func scope(_ actor: User, _ unit: Borough) -> Result<Void, AccessDenial> {
        guard actor.role.isBoroughRole else { return .success(()) }
        guard case .borough(let own) = actor.unit, own == unit else { return deny(scopeRule, scopeReason) }
        return .success(())
    }

    private static func requirePurpose(_ r: AccessRequest, among allowed: [Purpose]) -> Result<Void, AccessDenial> {
        guard let stated = r.purpose else {
            return deny("purpose.required", "a purpose and justification are required")
        }
        guard allowed.contains(stated.purpose) else {
            return deny(
                "purpose.role",
                "a \(r.actor.role.label) may not act for the purpose '\(stated.purpose.rawValue)'; allowed: \(allowed.map(\.rawValue).joined(separator: ", "))"
            )
        }
        return .success(())
    }

    static func deny(_ rule: String, _ reason: String) -> Result<Void, AccessDenial> {
        .failure(AccessDenial(rule: rule, reason: reason))
    }
}
