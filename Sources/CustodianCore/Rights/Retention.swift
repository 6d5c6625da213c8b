/// How long the register keeps people who are not included before their record is reviewed
/// (s.39: appropriate time limits for the periodic review of the need to keep data). Included
/// people are reviewed on the rulebook's review cadence instead.
public struct RetentionRules: Sendable, Equatable, Codable {
    public var victimOrWitnessDays: Int
    public var rejectedProposalDays: Int
    public var neverProposedDays: Int

    public init(victimOrWitnessDays: Int, rejectedProposalDays: Int, neverProposedDays: Int) {
        (self.victimOrWitnessDays, self.rejectedProposalDays, self.neverProposedDays) =
            (victimOrWitnessDays, rejectedProposalDays, neverProposedDays)
    }

    public static let standard = RetentionRules(victimOrWitnessDays: 730, rejectedProposalDays: 180, neverProposedDays: 365)

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
}
