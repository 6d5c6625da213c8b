/// Every refusal the register gives beyond a row of the policy, in one place: its stable rule
/// code and its words. A use case throws one of these; none builds its own.
extension AccessDenial {
    // Permissions beyond a role.
    static func lacking(_ permission: Permission) -> AccessDenial {
        switch permission {
        case .sensitiveData:
            AccessDenial(
                rule: "permission.sensitive-data",
                reason: "ethnicity is special-category data: reading or recording it needs the sensitive-data permission")
        case .dataProtectionOfficer:
            AccessDenial(
                rule: "permission.data-protection-officer",
                reason: "only the data protection officer records the DPO's advice on a DPIA; another governance user drafts or approves it"
            )
        }
    }

    // Keeping the register.
    static func rollbackUnacknowledged(_ continuity: RestoreContinuity) -> AccessDenial {
        AccessDenial(
            rule: "restore.rollback", reason: "\(continuity); a governance user must acknowledge it, with a reason, before it is restored")
    }
    static let decommissionReason = AccessDenial(
        rule: "decommission.reason", reason: "a register is decommissioned with a reason: one line of up to 500 characters")
    static let rollbackReason = AccessDenial(
        rule: "restore.rollback", reason: "a rollback is acknowledged with a reason: one line of up to 500 characters")

    // Records out of use.
    static let restricted = AccessDenial(
        rule: "subject.restricted",
        reason: "this record is restricted (legal hold or contested accuracy): out of all operational use; only governance reads it")
    static func underMinimumAge(_ rulebook: Rulebook) -> AccessDenial {
        AccessDenial(rule: "child.minimum-age", reason: "a child under \(rulebook.inclusion.minimumAge) is never flagged or scored")
    }
    static let recordingBoroughOnly = AccessDenial(rule: "scope.borough-only", reason: "only borough staff record in a borough")
    static func reviewOwnBorough(_ unit: Borough) -> AccessDenial {
        AccessDenial(rule: "review.own-borough", reason: "reviews belong to \(unit.name)'s officers and SPOCs")
    }

    static let protectedOnlyForEnforcement = AccessDenial(
        rule: "purpose.protected-only",
        reason:
            "this person is held only as a victim or witness: their record is opened for safeguarding (state that purpose), never for enforcement"
    )

    // Scoring.
    static let harmProtectedOnly = AccessDenial(
        rule: "harm.protected-only", reason: "a person held only as a victim or witness is never scored")
    static let harmNothingToScore = AccessDenial(
        rule: "harm.nothing-to-score",
        reason: "the method scores offences where the person is a suspect or convicted, and weapon intelligence; this person has neither")

    // Safeguards derived from a use case's declaration.
    static let noDPIA = AccessDenial(
        rule: "dpia.none",
        reason:
            "no approved data protection impact assessment is in date (s.64): nothing is collected, scored, decided, combined or disclosed until governance approves one"
    )
    static let noPolicyDocument = AccessDenial(
        rule: "policy-document.none",
        reason: "no appropriate policy document for sensitive processing is approved (s.42): ethnicity is neither recorded nor read")

    // The rulebook's approval.
    static func noEqualityAssessment(_ version: Int) -> AccessDenial {
        AccessDenial(
            rule: "eia.none",
            reason: "rulebook version \(version) has no equality impact assessment: record one, with its simulation, before it is approved")
    }
    static func disparityWidening(_ groups: [String]) -> AccessDenial {
        AccessDenial(
            rule: "eia.widening",
            reason:
                "the simulation shows a disparity widening beyond the tolerance for \(groups.joined(separator: ", ")); record a justification in the assessment or change the version"
        )
    }
    static func alertsUnanswered(_ count: Int) -> AccessDenial {
        AccessDenial(
            rule: "equality.alerts-unanswered",
            reason: "\(count) equality alert(s) await a documented response; answer them before a new rulebook is approved")
    }

    // Disclosures.
    static let agreementInactive = AccessDenial(
        rule: "share.agreement-inactive", reason: "the agreement is not in force or the disclosure has expired")
    static func withdrawn(_ summary: String) -> AccessDenial {
        AccessDenial(rule: "share.withdrawn", reason: "no record of this disclosure may be sent today: \(summary)")
    }
    static let madeToAnotherOrganisation = AccessDenial(
        rule: "share.other-recipient", reason: "this disclosure was made to another organisation")
    static let packageToNamedPartnerOnly = AccessDenial(
        rule: "share.other-recipient", reason: "a package goes only to the partner the borough's share named")
    static let recalled = AccessDenial(rule: "share.recalled", reason: "the record was recalled")
    static func disclosureExpired(_ on: LocalDate) -> AccessDenial {
        AccessDenial(rule: "share.expired", reason: "the disclosure expired on \(on)")
    }
    static let childShareCentral = AccessDenial(
        rule: "share.central", reason: "a share naming a child or someone of unknown age is approved by central governance after the SPOC")
    static let notARecipient = AccessDenial(
        rule: "portal.recipient", reason: "only a named recipient of a partner organisation uses the portal")

    // Accounts and sessions.
    static let grantChanged = AccessDenial(
        rule: "four-eyes.version",
        reason: "this grant changed after it was shown to you: what is approved is exactly what takes effect, so read it again")
    static let accountDisabled = AccessDenial(
        rule: "account.disabled", reason: "this account is disabled: it holds no credential until governance enables it again")
    static let ownTokensOnly = AccessDenial(
        rule: "token.own", reason: "users issue their own tokens; an administrator never holds another user's credentials")
    public static func signInLocked(until: Timestamp) -> AccessDenial {
        AccessDenial(rule: "signin.locked", reason: "too many failed sign-ins for this username; try again after \(until.clockTime) (UTC)")
    }
    public static let staleForm = AccessDenial(
        rule: "csrf.token", reason: "this form was not sent from a page of this session (it may be stale); go back, reload and try again")
}

extension Refusal {
    /// A restricted record (legal hold, contested accuracy) is out of all operational use.
    static func restricted(_ id: SubjectID) -> Refusal {
        Refusal(denial: .restricted, subjects: [id], touched: [.subject(id)])
    }

    /// Under the rulebook's minimum age nobody is flagged or scored, by any route.
    static func underMinimumAge(_ id: SubjectID, _ rulebook: Rulebook) -> Refusal {
        Refusal(denial: .underMinimumAge(rulebook), subjects: [id], touched: [.subject(id)])
    }
}

extension AccessPolicy {
    /// The row's roles, asked by a record deciding its own next state (a DPIA advised, an alert
    /// answered), so the record refuses whoever the policy would.
    static func require(_ user: User, runs useCase: UseCase) throws(RegisterError) {
        guard runs(user.role, useCase) else { throw .denied(refusal(user.role, useCase)) }
    }

    /// Whether `actor` reads equality figures unsuppressed: governance, who answers for them.
    public static func readsUnsuppressed(_ actor: User) -> Bool { runs(actor.role, .equalityAlertAnswer) }
}
