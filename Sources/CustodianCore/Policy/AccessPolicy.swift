/// A refusal, in words a person can act on, with a stable code for tests and reports.
public struct AccessDenial: Error, Equatable, Sendable, Codable {
    public let rule: RuleCode
    public let reason: String
    public init(rule: RuleCode, reason: String) { (self.rule, self.reason) = (rule, reason) }
}

/// The access policy: a pure function from who, which use case, why and whose data to allow or
/// deny, reading the use case's row (`UseCase.entitlement`). Everything is denied unless a row
/// grants it.
public enum AccessPolicy {
    /// Whether `actor` may run `useCase` at all, stating `purpose`: account standing, the row's
    /// roles, permission and purposes. Whose records it touches is `scope`'s question, asked of
    /// each record the use case reaches.
    public static func decide(_ actor: User, _ useCase: UseCase, purpose: StatedPurpose?, today: LocalDate) -> Result<Void, AccessDenial> {
        let row = useCase.entitlement
        if row.scheduled {
            return actor.id == Register.scheduler.id ? .success(()) : .failure(row.refusal)
        }
        if case .failure(let denial) = standing(actor, today: today) { return .failure(denial) }
        guard let purposes = row.roles[actor.role] else { return .failure(refusal(actor.role, useCase)) }
        if let permission = row.permission, !actor.permissions.contains(permission) { return .failure(.lacking(permission)) }
        switch purposes {
        case .none: return .success(())
        case .ofRole: return requirePurpose(actor, purpose, among: Self.purposes(for: actor.role))
        case .only(let allowed): return requirePurpose(actor, purpose, among: Self.purposes(for: actor.role).filter(allowed.contains))
        }
    }

    /// What holds for every use case alike: an active account, its grant approved, and, for those
    /// who act on data, training and vetting in date.
    static func standing(_ user: User, today: LocalDate) -> Result<Void, AccessDenial> {
        guard user.isActive else { return deny("account.disabled", "this account is disabled") }
        guard !user.awaitingGrant else {
            return deny(
                "grant.pending", "this account's role and permissions await approval by a governance user other than the administrator")
        }
        if user.role.isBoroughRole, user.unit.borough == nil { return deny(scopeRule, scopeReason) }
        guard user.role.actsOnData else { return .success(()) }
        guard let trained = user.trainingCompletedOn, trained <= today else {
            return deny("training.required", "a \(user.role.label) must have a recorded training date before acting on data")
        }
        if let lapses = user.trainingLapsesOn, today > lapses {
            return deny("training.expired", "training lapsed on \(lapses): a refresher must be recorded before acting on data again")
        }
        if let vetting = user.vetting, today > vetting.expiresOn {
            return deny("vetting.expired", "\(vetting.level.rawValue) vetting expired on \(vetting.expiresOn)")
        }
        return .success(())
    }

    /// The refusal a role not in the row is given: the row's own words, or, where the use case is
    /// about people, what the role is for instead.
    static func refusal(_ role: Role, _ useCase: UseCase) -> AccessDenial {
        let declaration = useCase.declaration
        let aboutPeople = declaration.aboutPeople
        let records = declaration.serves == .operations && !declaration.does.isDisjoint(with: [.writes, .scores, .discloses])
        switch role {
        case .administrator where aboutPeople:
            return AccessDenial(
                rule: "role.no-register-content", reason: "administrators manage users, keys and backups and see no register content")
        case .auditor where aboutPeople:
            return AccessDenial(rule: "role.audit-only", reason: "auditors read the audit log, reports and proofs, and nothing else")
        case .independentReviewer where aboutPeople:
            return AccessDenial(
                rule: "role.aggregates-only",
                reason: "the independent reviewer reads aggregate equality reports and nothing about any person")
        case .sourceUnit where aboutPeople:
            return AccessDenial(
                rule: "role.source-unit", reason: "the source unit keeps the source register and reads nothing about any person")
        case .partnerRecipient where aboutPeople:
            return AccessDenial(
                rule: "role.partner", reason: "partner recipients see only what is shared with their organisation under an agreement")
        case .governance where records:
            return AccessDenial(
                rule: "role.governance-read-only", reason: "governance reads register content to answer rights requests and records nothing"
            )
        case .centralAnalyst where records:
            return AccessDenial(
                rule: "role.analyst-read-only", reason: "central analysts read across boroughs; recording belongs to the borough")
        default:
            return useCase.entitlement.refusal
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
        case .administrator, .independentReviewer, .sourceUnit: []
        }
    }

    /// Whether `actor` may read or record ethnicity: its own permission, beyond the role's row.
    public static func sensitive(_ actor: User) -> Result<Void, AccessDenial> {
        actor.permissions.contains(.sensitiveData) ? .success(()) : .failure(.lacking(.sensitiveData))
    }

    /// Whether the row for `useCase` names `role` at all, whatever else it asks: what a page's
    /// navigation offers.
    public static func runs(_ role: Role, _ useCase: UseCase) -> Bool { useCase.entitlement.roles[role] != nil }

    /// Whether a list or search made for `purpose` shows people held only as victims or
    /// witnesses. Under an enforcement purpose it never does (the ICO's first finding: victims and
    /// perpetrators on one list); safeguarding, governance, rights and audit see them.
    public static func listsProtectedOnly(for purpose: Purpose) -> Bool {
        switch purpose {
        case .violencePrevention, .investigation: false
        case .safeguarding, .registerReview, .dataQuality, .subjectRights, .audit: true
        }
    }

    /// Whether a person can be read by id for `purpose`, given how they are held. Someone held only
    /// as a victim or witness is kept out of enforcement altogether (the ICO's first finding): not
    /// in its lists, and not opened by id either; their record is read for safeguarding, rights,
    /// review and audit, and the purpose stated is on the log with the read.
    public static func readsByID(_ standing: CategoryStanding, for purpose: Purpose?) -> Result<Void, AccessDenial> {
        guard let purpose, !listsProtectedOnly(for: purpose), standing.isVictimOrWitnessOnly else { return .success(()) }
        return .failure(.protectedOnlyForEnforcement)
    }

    /// Whether `actor` reads a restricted record: governance alone, with its recorded reason.
    /// Safeguarding reads a person's circumstances, not their rank for enforcement: under it the
    /// harm score, its band and its history are not shown (the flags stay, as warnings to whoever
    /// visits). The enforcement purposes and the register's own review read them.
    public static func readsHarmScore(for purpose: Purpose?) -> Bool { purpose != .safeguarding }

    public static func readsRestricted(_ actor: User) -> Bool { actor.role == .governance }

    public static let scopeRule: RuleCode = "scope.own-borough"
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

    private static func requirePurpose(_ actor: User, _ stated: StatedPurpose?, among allowed: [Purpose]) -> Result<Void, AccessDenial> {
        guard let stated else {
            return deny("purpose.required", "a purpose and justification are required")
        }
        guard allowed.contains(stated.purpose) else {
            return deny(
                "purpose.role",
                "a \(actor.role.label) may not act for the purpose '\(stated.purpose.rawValue)'; allowed: \(allowed.map(\.rawValue).joined(separator: ", "))"
            )
        }
        return .success(())
    }

    static func deny(_ rule: RuleCode, _ reason: String) -> Result<Void, AccessDenial> {
        .failure(AccessDenial(rule: rule, reason: reason))
    }
}

extension AccessPolicy {
    /// The boroughs whose records `actor` reaches: their own for borough staff, all for central roles.
    public static func reach(_ actor: User) -> [Borough] {
        Borough.allCases.filter { if case .success = scope(actor, $0) { true } else { false } }
    }

    /// Whether `actor` works across London rather than in one borough: central figures and the
    /// central step of a two-step decision are theirs.
    public static func central(_ actor: User) -> Bool { !actor.role.isBoroughRole }

    /// The step of a two-step decision (an inclusion, a share, a child's flag or score) someone may
    /// take: a SPOC of the record's borough first, central governance second.
    public static func step(
        _ step: InclusionDecision.Step, _ actor: User, unit: Borough, rules: (spoc: RuleCode, central: RuleCode), what: String
    )
        -> Result<Void, AccessDenial>
    {
        switch step {
        case .borough:
            guard actor.role == .boroughSPOC, actor.unit == .borough(unit) else {
                return deny(rules.spoc, "a SPOC of \(unit.name) decides \(what) first")
            }
        case .central:
            guard actor.role == .governance else { return deny(rules.central, "\(what) needs a second approval from central governance") }
        }
        return .success(())
    }
}
