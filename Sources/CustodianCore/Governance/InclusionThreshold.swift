import Foundation

/// One item of evidence put forward for an inclusion: a matter the subject is linked to, or an
/// intelligence item about them, with where it came from and (for intelligence) its grade.
public struct InclusionEvidence: Sendable, Equatable {
    public let item: Evidence
    public let sourceType: SourceType
    public let originatingUnit: Scope
    /// The registered source the item cites, as it stands today; nil when it cites none.
    public let source: SourceCitation?
    /// Who entered the item.
    public let author: UserID
    public let grade: IntelligenceGrade?

    public init(
        item: Evidence, sourceType: SourceType, originatingUnit: Scope, source: SourceCitation? = nil, author: UserID,
        grade: IntelligenceGrade?
    ) {
        (self.item, self.sourceType, self.originatingUnit, self.source, self.author, self.grade) = (
            item, sourceType, originatingUnit, source, author, grade
        )
    }

    /// Graded E, or from a source evaluated 3 (not reliable) when graded or since: never enough
    /// on its own (I5).
    public var isWeak: Bool {
        if source?.reliability == .notReliable { return true }
        return switch grade {
        case .current(let g)?: g.assessment == .e || g.source == .notReliable
        case .legacy(let g)?: g.source == "E" || g.intelligence == "5"
        case nil: false
        }
    }
}

/// The inclusion threshold of the rulebook, as a plain function of the case put forward.
public enum InclusionThreshold {
    public struct Case: Sendable {
        public let standing: CategoryStanding
        /// Age on the day of the decision; nil when the date of birth is not known.
        public let age: Int?
        public let evidence: [InclusionEvidence]
        public let safeguardingRationale: String?
        /// Whoever proposes: items they alone entered corroborate nothing of each other.
        public let proposer: UserID?
        public init(
            standing: CategoryStanding, age: Int?, evidence: [InclusionEvidence], safeguardingRationale: String?, proposer: UserID?
        ) {
            (self.standing, self.age, self.evidence, self.safeguardingRationale, self.proposer) = (
                standing, age, evidence, safeguardingRationale, proposer
            )
        }
    }

    /// Every reason the case falls short, each naming its rule; empty when the threshold is met.
    public static func shortfalls(_ c: Case, under rulebook: Rulebook) -> [FieldViolation] {
        let rules = rulebook.inclusion
        var v = Validator()
        if c.standing.isProtectedOnly {
            v.fail(
                "subjectId", "inclusion.protected-only",
                "a person held only as a victim or witness is never included: they are protected, not targeted")
        }
        if let age = c.age, age < rules.minimumAge {
            v.fail("subjectId", "inclusion.minimum-age", "a child under \(rules.minimumAge) cannot be included")
        } else if (c.age.map { $0 < rules.childAge } ?? true), (c.safeguardingRationale?.nilIfBlank?.count ?? 0) < 20 {
            v.fail(
                "safeguardingRationale", "inclusion.child-rationale",
                "a child (under \(rules.childAge), or of unknown age) needs a safeguarding rationale of at least 20 characters")
        }
        if c.evidence.isEmpty {
            v.fail("evidence", "inclusion.evidence", "name the matters and intelligence the inclusion rests on")
            return v.violations
        }
        let counted = c.evidence.filter { !$0.isWeak }
        let independent = Corroboration.independent(counted, proposer: c.proposer)
        let needed = rules.minimumIndependentSources
        let sources = independent.map { Corroboration.origin(of: $0).description }.joined(separator: "; ")
        if counted.isEmpty {
            v.fail(
                "evidence", "inclusion.weak-grade-alone",
                "intelligence graded E or from a source evaluated 3 never meets the threshold on its own")
        } else if counted.allSatisfy({ $0.sourceType == .socialMedia }) {
            v.fail("evidence", "inclusion.social-media-alone", "social-media material alone never meets the threshold")
        } else if independent.count < needed, Corroboration.ignoringAuthors(counted) >= needed {
            v.fail(
                "evidence", "inclusion.proposer-alone",
                "items the proposer entered alone corroborate nothing of each other: \(needed) independent sources need an item entered by someone else; counted: \(sources)"
            )
        } else if independent.count < needed {
            v.fail(
                "evidence", "inclusion.corroboration",
                "the threshold needs corroboration by \(needed) independent sources (registered sources or recording units, each handled by a different unit); this has \(independent.count): \(sources)"
            )
        }
        return v.violations
    }
}
