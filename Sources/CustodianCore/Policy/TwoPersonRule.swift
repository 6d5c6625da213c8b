/// A step that needs two people, and who has already had a hand in the record: the four-eyes
/// rules of every record kind in one place, so inclusions, removals, child actions, shares, the
/// rulebook, agreements and grants cannot drift apart.
public struct TwoPersonCheck: Sendable {
    public enum Duty: Sendable {
        case inclusion, childAction, removal, share, rulebook, agreement, grant, dpia, policyDocument, erasure, agreementExtension
        case decommission
    }

    public let duty: Duty
    /// Who asked for the step: the proposer, requester or administrator who asked for a grant.
    public let proposer: UserID?
    /// Who decided or approved an earlier step of the same record.
    public let earlierDeciders: [UserID]
    /// The user a grant is about, who never approves their own.
    public let about: UserID?

    public init(_ duty: Duty, proposer: UserID?, earlierDeciders: [UserID] = [], about: UserID? = nil) {
        (self.duty, self.proposer, self.earlierDeciders, self.about) = (duty, proposer, earlierDeciders, about)
    }
}

extension AccessPolicy {
    /// Whether `actor` may take the step, given who has already acted. Role and scope are
    /// `decide`'s business; this is only about being a different person.
    public static func separation(_ actor: User, _ check: TwoPersonCheck) -> Result<Void, AccessDenial> {
        let asked = actor.id == check.proposer
        let decidedBefore = check.earlierDeciders.contains(actor.id)
        switch check.duty {
        case .inclusion:
            if asked { return deny("four-eyes.proposer", "the officer who proposed an inclusion can never decide it") }
            if decidedBefore { return deny("four-eyes.second-approver", "the second approval must come from a different person") }
        case .childAction:
            if asked || decidedBefore {
                return deny("four-eyes.child", "the requester, or someone who has already decided, cannot decide again")
            }
        case .removal:
            if asked { return deny("four-eyes.proposer", "the person who proposed a removal can never approve it") }
        case .share:
            if asked || decidedBefore {
                return deny(
                    "four-eyes.proposer", "the officer who requested a share, or the SPOC who decided it, can never give the next approval")
            }
        case .rulebook:
            if asked { return deny("four-eyes.proposer", "a rulebook version takes effect only when a second governance user approves it") }
        case .agreement:
            if decidedBefore {
                return deny("four-eyes.second-approver", "an agreement needs two different governance users to approve it")
            }
        case .dpia:
            if decidedBefore {
                return deny(
                    "four-eyes.dpia", "the board's approval comes from a governance user other than the one who gave the DPO's advice")
            }
        case .policyDocument:
            if asked {
                return deny(
                    "four-eyes.proposer",
                    "the appropriate policy document takes effect only when a governance user other than its drafter approves it")
            }
        case .erasure:
            if asked {
                return deny(
                    "four-eyes.erasure", "erasure cannot be undone: someone other than the person who proposed it confirms it")
            }
        case .agreementExtension:
            if asked {
                return deny(
                    "four-eyes.extension",
                    "an agreement is extended only when a governance user other than the one who proposed it confirms")
            }
        case .decommission:
            if asked {
                return deny(
                    "four-eyes.decommission",
                    "the register is destroyed only when a governance user other than the one who asked confirms it")
            }
        case .grant:
            if asked || actor.id == check.about {
                return deny(
                    "four-eyes.grant", "a grant is approved by someone other than the administrator who asked and the user it is for")
            }
        }
        return .success(())
    }

    /// `separation`, thrown as the register's refusal.
    public static func requireSeparation(_ actor: User, _ check: TwoPersonCheck) throws(RegisterError) {
        if case .failure(let denial) = separation(actor, check) { throw .denied(denial) }
    }
}

extension AccessPolicy {
    /// What a page may offer: whether `actor` would pass the policy's row for `useCase`, the scope
    /// of `unit` and, where the step needs two people, the separation rule. Pages ask this rather
    /// than repeat role checks, so a button is shown exactly when the use case behind it would let
    /// the person through.
    public static func offers(
        _ actor: User, _ useCase: UseCase, unit: Borough? = nil, step: InclusionDecision.Step? = nil, purpose: StatedPurpose?,
        separation: TwoPersonCheck? = nil, today: LocalDate
    ) -> Bool {
        guard case .success = decide(actor, useCase, purpose: purpose, today: today) else { return false }
        if let unit, case .failure = scope(actor, unit) { return false }
        if let step, let unit, case .failure = self.step(step, actor, unit: unit, rules: ("", ""), what: "") { return false }
        guard let separation else { return true }
        if case .success = self.separation(actor, separation) { return true }
        return false
    }
}
