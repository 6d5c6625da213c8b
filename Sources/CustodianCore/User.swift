/// The roles of SPEC.md. Every permission is denied unless the access policy grants it.
public enum Role: String, CaseIterable, Sendable, Codable {
    case boroughOfficer = "borough-officer"
    case boroughSPOC = "borough-spoc"
    case centralAnalyst = "central-analyst"
    case governance
    case auditor
    case partnerRecipient = "partner-recipient"
    case administrator
    /// Reads suppressed aggregate equality reports for the annual review (E4, as MOPAC did), nothing else.
    case independentReviewer = "independent-reviewer"
    /// Keeps the source register (I1): partner organisations, registered human sources and
    /// technical sources, with their reliability. Proposes no inclusions and reads no one's record.
    case sourceUnit = "source-unit"

    public var label: String {
        switch self {
        case .boroughOfficer: "Borough officer"
        case .boroughSPOC: "Borough SPOC (supervisor)"
        case .centralAnalyst: "Central analyst"
        case .governance: "Governance (DPO, board)"
        case .auditor: "Auditor"
        case .partnerRecipient: "Partner recipient"
        case .administrator: "Administrator"
        case .independentReviewer: "Independent reviewer"
        case .sourceUnit: "Source unit"
        }
    }

    /// Borough roles belong to one borough; every other role belongs to the central team.
    public var isBoroughRole: Bool { self == .boroughOfficer || self == .boroughSPOC }

    /// Roles that act on personal data, and so need a recorded training date. The administrator
    /// manages users, keys and backups and never sees register content.
    /// The independent reviewer sees only suppressed aggregates, describing no one.
    public var actsOnData: Bool { self != .administrator && self != .independentReviewer }
}

/// Separate grants beyond a role. Sensitive processing (s.35(8): ethnicity) needs its own.
public enum Permission: String, CaseIterable, Sendable, Codable {
    case sensitiveData = "sensitive-data"
    /// The data protection officer (s.69): the one governance user whose advice on a DPIA is the
    /// DPO's advice. Held by governance only, granted like any widening.
    case dataProtectionOfficer = "data-protection-officer"
}

/// National Police Personnel Vetting levels, lowest first.
public enum VettingLevel: String, CaseIterable, Sendable, Codable {
    case nppv2 = "NPPV2"
    case nppv3 = "NPPV3"
    case sc = "SC"
    case dv = "DV"
}

public struct Vetting: Hashable, Sendable, Codable {
    public let level: VettingLevel
    public let expiresOn: LocalDate
    public init(level: VettingLevel, expiresOn: LocalDate) { (self.level, self.expiresOn) = (level, expiresOn) }
}

public struct User: Hashable, Sendable, Codable {
    public let id: UserID
    public var username: String
    public var displayName: String
    public var role: Role
    public var unit: Scope
    public var trainingCompletedOn: LocalDate?
    /// When a refresher falls due, set from the rulebook when training is recorded.
    public var trainingRefresherDue: LocalDate?
    public var vetting: Vetting?
    public var permissions: Set<Permission>
    public var disabledAt: Timestamp?
    /// A new account whose role and permissions a governance user has not yet approved: it can do
    /// nothing until then.
    public var awaitingGrant: Bool
    public let createdAt: Timestamp

    public init(
        id: UserID, username: String, displayName: String, role: Role, unit: Scope,
        trainingCompletedOn: LocalDate?, trainingRefresherDue: LocalDate? = nil, vetting: Vetting? = nil,
        permissions: Set<Permission> = [], disabledAt: Timestamp? = nil, awaitingGrant: Bool = false, createdAt: Timestamp
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.unit = unit
        self.trainingCompletedOn = trainingCompletedOn
        self.trainingRefresherDue = trainingRefresherDue
        self.vetting = vetting
        self.permissions = permissions
        self.disabledAt = disabledAt
        self.awaitingGrant = awaitingGrant
        self.createdAt = createdAt
    }

    public var isActive: Bool { disabledAt == nil }

    /// The day training lapses: the recorded refresher date, or a year after training for records
    /// made before refreshers were recorded.
    public var trainingLapsesOn: LocalDate? {
        trainingRefresherDue ?? trainingCompletedOn?.adding(days: Rulebook.defaultTrainingRefresherDays)
    }
}

/// A change of role, unit or permissions that widens what a user may do, waiting for a
/// governance user who is neither the administrator who asked nor the user themself (two people
/// for every privilege). Narrowing takes effect at once.
public struct PendingGrant: Hashable, Sendable, Codable {
    public let userID: UserID
    public let role: Role
    public let unit: Scope
    public let permissions: Set<Permission>
    public let requestedBy: UserID
    public let requestedAt: Timestamp
    public init(userID: UserID, role: Role, unit: Scope, permissions: Set<Permission>, requestedBy: UserID, requestedAt: Timestamp) {
        (self.userID, self.role, self.unit, self.permissions, self.requestedBy, self.requestedAt) = (
            userID, role, unit, permissions, requestedBy, requestedAt
        )
    }
}

/// What an administrator supplies to create or change a user. Checked here, not in a handler.
public struct UserDraft: Sendable {
    public var username: String
    public var displayName: String
    public var role: String
    public var unit: String
    public var trainingCompletedOn: String?
    public var permissions: [String]
    /// NPPV2, NPPV3, SC or DV, with the day it expires; both or neither.
    public var vettingLevel: String?
    public var vettingExpiresOn: String?

    public init(
        username: String, displayName: String, role: String, unit: String,
        trainingCompletedOn: String?, permissions: [String] = [], vettingLevel: String? = nil, vettingExpiresOn: String? = nil
    ) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.unit = unit
        self.trainingCompletedOn = trainingCompletedOn
        self.permissions = permissions
        self.vettingLevel = vettingLevel
        self.vettingExpiresOn = vettingExpiresOn
    }

    public func validated(id: UserID, now: Timestamp) throws(RegisterError) -> User {
        var v = Validator()
        let username = v.line(username, "username", max: 64)
        if let username, username.contains(where: { !($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
            v.fail("username", "username.characters", "username may hold letters, digits, '.', '_' and '-' only")
        }
        let displayName = v.line(displayName, "displayName", max: 120)
        let role = Role(rawValue: role)
        if role == nil {
            v.fail("role", "role.known", "role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let unit = Scope(code: unit)
        if unit == nil { v.fail("unit", "unit.known", "unit must be a London borough code or 'central'") }
        if let role, let unit {
            if role.isBoroughRole && unit == .central {
                v.fail("unit", "unit.borough-role", "a \(role.label) must belong to a borough")
            } else if !role.isBoroughRole && unit != .central {
                v.fail("unit", "unit.central-role", "a \(role.label) belongs to the central team, not a borough")
            }
        }
        var training: LocalDate?
        if let text = trainingCompletedOn, !text.isEmpty {
            training = LocalDate(iso: text)
            if training == nil {
                v.fail("trainingCompletedOn", "date.format", "trainingCompletedOn must be a date as YYYY-MM-DD")
            } else if let t = training, t > now.day {
                v.fail("trainingCompletedOn", "date.not-future", "trainingCompletedOn cannot be in the future")
            }
        }
        var grants: Set<Permission> = []
        for text in permissions {
            if let p = Permission(rawValue: text) {
                grants.insert(p)
            } else {
                v.fail("permissions", "permission.known", "unknown permission '\(text)'")
            }
        }
        if let role, grants.contains(.sensitiveData), ![.boroughOfficer, .boroughSPOC, .centralAnalyst, .governance].contains(role) {
            v.fail("permissions", "permission.sensitive-role", "a \(role.label) cannot hold the sensitive-data permission")
        }
        if let role, grants.contains(.dataProtectionOfficer), role != .governance {
            v.fail("permissions", "permission.dpo-role", "only a governance user can be the data protection officer")
        }
        var vetting: Vetting?
        let level = vettingLevel?.nilIfBlank
        let expires = vettingExpiresOn?.nilIfBlank
        if level != nil || expires != nil {
            let known = level.flatMap(VettingLevel.init(rawValue:))
            let day = expires.flatMap(LocalDate.init(iso:))
            v.check(
                known != nil, "vettingLevel", "vetting.level",
                "vettingLevel must be one of \(VettingLevel.allCases.map(\.rawValue).joined(separator: ", "))")
            v.check(
                day != nil, "vettingExpiresOn", "vetting.expiry", "vettingExpiresOn must be the date the vetting expires, as YYYY-MM-DD")
            if let known, let day { vetting = Vetting(level: known, expiresOn: day) }
        }
        let parsed = try v.finish(username, displayName, role, unit)
        return User(
            id: id, username: parsed.0, displayName: parsed.1, role: parsed.2, unit: parsed.3,
            trainingCompletedOn: training, vetting: vetting, permissions: grants, createdAt: now)
    }
}

/// What a password must be before it is hashed. Length is what matters (NCSC guidance); no
/// composition rules, no expiry.
public enum PasswordPolicy {
    public static let minimumLength = 12

    public static func check(_ password: String, field: String = "password") throws(RegisterError) {
        var v = Validator()
        v.check(password.count >= minimumLength, field, "password.length", "a password must be at least \(minimumLength) characters")
        v.check(password.count <= 128, field, "password.max-length", "a password must be at most 128 characters")
        try v.finish()
    }
}
