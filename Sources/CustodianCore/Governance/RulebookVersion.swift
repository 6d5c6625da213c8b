/// A version of the rulebook as governance handles it: proposed with reasons by one governance
/// user, in force only once a second approves it (G1, G2). No borough role can do either.
public struct RulebookVersion: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable { case proposed, active, superseded, rejected }

    public let rulebook: Rulebook
    public let rationale: String
    public let proposedBy: UserID
    public let proposedAt: Timestamp
    public var status: Status
    public var decidedBy: UserID?
    public var decidedAt: Timestamp?

    public init(
        rulebook: Rulebook, rationale: String, proposedBy: UserID, proposedAt: Timestamp, status: Status = .proposed,
        decidedBy: UserID? = nil, decidedAt: Timestamp? = nil
    ) {
        self.rulebook = rulebook
        self.rationale = rationale
        self.proposedBy = proposedBy
        self.proposedAt = proposedAt
        self.status = status
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
    }

    /// Approval or rejection by a second governance user.
    public func deciding(_ approve: Bool, by user: User, at now: Timestamp) throws(RegisterError) -> RulebookVersion {
        try AccessPolicy.require(user, runs: .rulebookDecide)
        try AccessPolicy.requireSeparation(user, TwoPersonCheck(.rulebook, proposer: proposedBy))
        guard status == .proposed else { throw .conflict("rulebook version \(rulebook.version) is already \(status.rawValue)") }
        var next = self
        next.status = approve ? .active : .rejected
        (next.decidedBy, next.decidedAt) = (user.id, now)
        return next
    }
}

extension Rulebook {
    /// Whether the rules make sense together; each problem names the setting.
    public func violations() -> [FieldViolation] {
        var v = Validator()
        v.check(
            inclusion.minimumIndependentSources >= 2, "inclusion.minimumIndependentSources", "rulebook.corroboration",
            "corroboration needs at least two independent sources")
        v.check(
            inclusion.minimumAge >= 10, "inclusion.minimumAge", "rulebook.minimum-age",
            "no one under 10 (the age of criminal responsibility) can be included")
        v.check(
            inclusion.childAge >= inclusion.minimumAge, "inclusion.childAge", "rulebook.child-age",
            "the child age cannot be below the minimum age")
        for (offence, weight) in harm.offenceWeights.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where weight < 0 || !weight.isFinite
        {
            v.fail("harm.offenceWeights.\(offence.rawValue)", "rulebook.weight", "an offence weight is a number of days, 0 or more")
        }
        v.check(harm.halfLifeDays > 0, "harm.halfLifeDays", "rulebook.half-life", "the half-life must be at least one day")
        v.check(harm.lookbackDays > 0, "harm.lookbackDays", "rulebook.lookback", "the look-back must be at least one day")
        v.check(
            harm.weaponIntelligenceWindowDays > 0, "harm.weaponIntelligenceWindowDays", "rulebook.window",
            "the window must be at least one day")
        v.check(harm.weaponIntelligenceWeight >= 0, "harm.weaponIntelligenceWeight", "rulebook.weight", "a weight is 0 or more")
        v.check(
            harm.amberFrom > 0 && harm.amberFrom < harm.redFrom, "harm.amberFrom", "rulebook.bands",
            "amber must start above 0 and below red")
        v.check((7...366).contains(review.cadenceDays), "review.cadenceDays", "rulebook.cadence", "reviews fall due every 7 to 366 days")
        v.check((0...90).contains(review.graceDays), "review.graceDays", "rulebook.grace", "the grace period is 0 to 90 days")
        v.check(
            (1...366).contains(review.zeroScoreRemovalDays), "review.zeroScoreRemovalDays", "rulebook.zero-score",
            "a low score forces a removal review within 1 to 366 days")
        v.check(review.retentionThreshold > 0, "review.retentionThreshold", "rulebook.retention", "the retention threshold must be above 0")
        for (field, days) in [
            ("retention.victimOrWitnessDays", retention.victimOrWitnessDays),
            ("retention.rejectedProposalDays", retention.rejectedProposalDays),
            ("retention.neverProposedDays", retention.neverProposedDays),
        ] {
            v.check((30...3653).contains(days), field, "rulebook.retention-period", "a retention period is 30 days to 10 years")
        }
        v.check(
            equality.alertThreshold >= 1 && equality.alertThreshold <= 10, "equality.alertThreshold", "rulebook.equality",
            "the alert threshold is a relative rate from 1 to 10")
        v.check(
            equality.wideningTolerance >= 0 && equality.wideningTolerance <= 1, "equality.wideningTolerance", "rulebook.equality",
            "the widening tolerance is a fraction from 0 to 1")
        return v.violations
    }
}
