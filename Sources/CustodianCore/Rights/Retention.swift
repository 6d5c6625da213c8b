/// How long the register keeps people who are not included before their record is reviewed
/// (s.39: appropriate time limits for the periodic review of the need to keep data). Included
/// people are reviewed on the rulebook's review cadence instead.
public struct RetentionRules: Sendable, Equatable, Codable {
    public var victimOrWitnessDays: Int
    public var rejectedProposalDays: Int
    public var neverProposedDays: Int
    /// Whether the matters a person was linked to outlive the person's erasure from the register.
    /// The register is a product derived from the force's crime and intelligence records, which
    /// keep their own MoPI review schedule (RR4): kept apart, a matter stays when the last person
    /// linked to it goes; otherwise a matter no one is linked to any more goes with them.
    public var matterRecordsKeptApart: Bool

    public init(victimOrWitnessDays: Int, rejectedProposalDays: Int, neverProposedDays: Int, matterRecordsKeptApart: Bool = true) {
        (self.victimOrWitnessDays, self.rejectedProposalDays, self.neverProposedDays, self.matterRecordsKeptApart) =
            (victimOrWitnessDays, rejectedProposalDays, neverProposedDays, matterRecordsKeptApart)
    }

    public static let standard = RetentionRules(victimOrWitnessDays: 730, rejectedProposalDays: 180, neverProposedDays: 365)

    private enum CodingKeys: String, CodingKey {
        case victimOrWitnessDays, rejectedProposalDays, neverProposedDays, matterRecordsKeptApart
    }

    /// Rulebooks approved before the MoPI setting existed kept matters apart, as the register did.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            victimOrWitnessDays: try c.decode(Int.self, forKey: .victimOrWitnessDays),
            rejectedProposalDays: try c.decode(Int.self, forKey: .rejectedProposalDays),
            neverProposedDays: try c.decode(Int.self, forKey: .neverProposedDays),
            matterRecordsKeptApart: try c.decodeIfPresent(Bool.self, forKey: .matterRecordsKeptApart) ?? true)
    }

    /// The period for a group; nil for included people, whom the review cadence covers.
    public func days(for group: RetentionGroup) -> Int? {
        switch group {
        case .included: nil
        case .victimOrWitness: victimOrWitnessDays
        case .rejectedProposal: rejectedProposalDays
        case .neverProposed: neverProposedDays
        }
    }
}

/// Which retention rule a person falls under.
public enum RetentionGroup: String, Sendable, Codable, CaseIterable {
    case included
    case victimOrWitness = "victim-or-witness"
    case rejectedProposal = "rejected-proposal"
    case neverProposed = "never-proposed"

    /// Included (or on the way) comes first; then a rejected proposal; then held only as a victim
    /// or witness; anyone else was recorded and never proposed.
    public static func of(categories: [Category], inclusions: [Inclusion.Status]) -> RetentionGroup {
        if inclusions.contains(where: { $0 != .rejected }) { return .included }
        if inclusions.contains(.rejected) { return .rejectedProposal }
        if !categories.isEmpty, CategoryStanding(categories).isProtectedOnly { return .victimOrWitness }
        return .neverProposed
    }
}

/// A person whose retention review has fallen due.
public struct RetentionDue: Sendable, Equatable {
    public let subjectID: SubjectID
    public let unit: Borough
    public let group: RetentionGroup
    public let lastActivity: LocalDate
    public let dueOn: LocalDate
    /// When the daily sweep raised this review; nil until it has run since the review fell due.
    public let raisedOn: LocalDate?
    /// When a governance user proposed erasing the person at this review; a second confirms it.
    public var erasureProposedOn: LocalDate? = nil
}

/// What a retention decision did: erasure takes two governance users, so the first to choose it
/// proposes it and the second erases.
public enum RetentionOutcome: String, Sendable, Equatable {
    case kept
    case erasureProposed = "erasure-proposed"
    case erased
}

/// An erasure proposed at a retention review, sealed with the person's key: who proposed it and why.
struct RetentionErasureProposal: Codable {
    let by: UserID
    let reason: String
}

/// What storage holds that bears on a person's retention, read for many people at once: the
/// daily sweep reads all of London, and one query per kind for a page of people replaces five
/// per person.
public struct RetentionFacts: Sendable, Equatable {
    public var categories: [Category] = []
    public var inclusions: [Inclusion.Status] = []
    public var lastLinkAt: Timestamp?
    public var lastIntelligenceAt: Timestamp?
    /// The latest decision to keep them, and the latest review the sweep raised.
    public var lastKeptAt: Timestamp?
    public var lastRaisedAt: Timestamp?
    /// The latest erasure proposed at a review.
    public var lastErasureProposedAt: Timestamp?

    public init() {}

    /// The person's group and review date under `rules`; nil for included people. Activity is the
    /// record itself, its links and items, or the last decision to keep; a review raised before
    /// the latest activity belongs to an earlier period.
    public func due(_ sealed: SealedSubject, _ rules: RetentionRules) -> RetentionDue? {
        let group = RetentionGroup.of(categories: categories, inclusions: inclusions)
        guard let days = rules.days(for: group) else { return nil }
        let last =
            ([lastLinkAt, lastIntelligenceAt, lastKeptAt].compactMap { $0 } + [sealed.provenance.recordedAt]).max()
            ?? sealed.provenance.recordedAt
        return RetentionDue(
            subjectID: sealed.id, unit: sealed.unit, group: group, lastActivity: last.day, dueOn: last.day.adding(days: days),
            raisedOn: lastRaisedAt.flatMap { $0 >= last ? $0.day : nil },
            erasureProposedOn: lastErasureProposedAt.flatMap { $0 >= last ? $0.day : nil })
    }
}

/// The kinds of a person's retention events.
public enum RetentionEvent {
    /// The sweep found the review due and raised it for governance.
    public static let raised = "raised"
    /// Governance decided to keep the person; the next period runs from then.
    public static let keep = "keep"
    /// A governance user proposed erasing the person; a second one erases.
    public static let erasureProposed = "erasure-proposed"
}
