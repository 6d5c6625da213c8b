/// Who may run a use case and for what: the policy's row for it (`UseCase.entitlement`). Each
/// role named may run it stating one of its purposes; every other role is refused with `refusal`.
/// Scope (own borough), account standing, the DPIA and the policy document are not in the row:
/// they hold for every use case alike, or are derived from its declaration.
public struct Entitlement: Sendable {
    /// What a role must state to run the use case.
    public enum Purposes: Sendable, Equatable {
        /// Nothing: configuration, governance records and one's own account are not about a person.
        case none
        /// One of the role's working purposes (`AccessPolicy.purposes(for:)`).
        case ofRole
        /// One of these, which must also be among the role's working purposes.
        case only(Set<Purpose>)

        /// The purposes that read a harm score (`AccessPolicy.readsHarmScore`): scoring is for them.
        static var scoring: Purposes {
            .only(Set(AccessPolicy.purposes(for: .boroughOfficer).filter(AccessPolicy.readsHarmScore)))
        }
    }

    public let roles: [Role: Purposes]
    /// A permission beyond the role.
    public let permission: Permission?
    /// Only the register's own scheduler runs it (the nightly sweep and its alerts).
    public let scheduled: Bool
    /// The rule and reason a role not named is given.
    public let refusal: AccessDenial
    /// The four-eyes duty a decision of this use case is under, where one is.
    public let separation: TwoPersonCheck.Duty?

    init(
        _ roles: [Role: Purposes], permission: Permission? = nil, scheduled: Bool = false, separation: TwoPersonCheck.Duty? = nil,
        else rule: RuleCode, _ reason: String
    ) {
        self.roles = roles
        self.permission = permission
        self.scheduled = scheduled
        self.separation = separation
        self.refusal = AccessDenial(rule: rule, reason: reason)
    }

    /// The borough's officers and SPOCs, for their working purposes: recording belongs to them.
    static func boroughStaff(separation: TwoPersonCheck.Duty? = nil) -> Entitlement {
        Entitlement(
            [.boroughOfficer: .ofRole, .boroughSPOC: .ofRole], separation: separation,
            else: "role.borough-records", "people, matters and intelligence are recorded by the borough's officers and SPOCs")
    }

    /// Everyone who reads register content for their work: borough staff (in their borough),
    /// central analysts across boroughs, and governance for rights and review.
    static func readers(permission: Permission? = nil) -> Entitlement {
        Entitlement(
            [.boroughOfficer: .ofRole, .boroughSPOC: .ofRole, .centralAnalyst: .ofRole, .governance: .ofRole], permission: permission,
            else: "role.register-readers", "register content is read by borough staff, central analysts and governance")
    }

    /// Governance alone, stating nothing: the rulebook, assessments, agreements and breaches.
    static func governance(separation: TwoPersonCheck.Duty? = nil, _ rule: RuleCode, _ reason: String) -> Entitlement {
        Entitlement([.governance: .none], separation: separation, else: rule, reason)
    }

    /// The rights team in governance, for subject rights.
    static let rightsTeam = Entitlement(
        [.governance: .only([.subjectRights])], else: "rights.governance", "rights requests are handled by the rights team in governance")

    /// The auditor, for audit.
    static let auditor = Entitlement([.auditor: .only([.audit])], else: "role.auditor", "only an auditor reads the audit log")

    /// Those who find and judge records of one person held by different boroughs.
    static let duplicateResolvers = Entitlement(
        [.centralAnalyst: .only([.dataQuality, .registerReview]), .governance: .only([.registerReview])],
        else: "duplicates.resolvers", "records of one person across boroughs are found and judged by central analysts and governance only")

    /// A SPOC of the borough, then central governance for review: the deciders of a two-step record.
    static func deciders(separation: TwoPersonCheck.Duty? = nil) -> Entitlement {
        Entitlement(
            [.boroughSPOC: .ofRole, .governance: .only([.registerReview])], separation: separation,
            else: "role.decider",
            "inclusions, shares and a child's flag or score are decided by a SPOC of the borough, then central governance")
    }

    /// Everyone: one's own account, and reporting a breach.
    static func anyone(_ rule: RuleCode, _ reason: String) -> Entitlement {
        Entitlement(Dictionary(Role.allCases.map { ($0, Purposes.none) }, uniquingKeysWith: { first, _ in first }), else: rule, reason)
    }
}
