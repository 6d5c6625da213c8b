import Foundation

/// One item of evidence put forward for an inclusion: a matter the subject is linked to, or an
/// intelligence item about them, with where it came from and (for intelligence) its grade.
public struct InclusionEvidence: Sendable, Equatable {
    public let item: Evidence
    public let sourceType: SourceType
    public let originatingUnit: Scope
    public let sourceReference: String?
    public let grade: IntelligenceGrade?

    public init(item: Evidence, sourceType: SourceType, originatingUnit: Scope, sourceReference: String? = nil, grade: IntelligenceGrade?) {
        (self.item, self.sourceType, self.originatingUnit, self.sourceReference, self.grade) = (
            item, sourceType, originatingUnit, sourceReference, grade
        )
    }

    /// Graded E, or from a source evaluated 3 (not reliable): never enough on its own (I5).
    public var isWeak: Bool {
        switch grade {
        case .current(let g)?: g.assessment == .e || g.source == .notReliable
        case .legacy(let g)?: g.source == "E" || g.intelligence == "5"
        case nil: false
        }
    }

    /// Which source an item stands for. A registered source (a partner organisation, a source
    /// reference) is one source wherever it is recorded; an item without one is its originating
    /// unit's. A source type typed by the same officer makes nothing independent: a "partner"
    /// report and a police one recorded by one borough with no registered source are one source.
    var sourceKey: String {
        if let ref = sourceReference?.trimmingCharacters(in: .whitespaces).lowercased(), !ref.isEmpty { return "ref:" + ref }
        return "unit:" + originatingUnit.code
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
        public init(standing: CategoryStanding, age: Int?, evidence: [InclusionEvidence], safeguardingRationale: String?) {
            (self.standing, self.age, self.evidence, self.safeguardingRationale) = (standing, age, evidence, safeguardingRationale)
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
        let independent = Set(counted.map(\.sourceKey)).count
        if counted.isEmpty {
            v.fail(
                "evidence", "inclusion.weak-grade-alone",
                "intelligence graded E or from a source evaluated 3 never meets the threshold on its own")
        } else if counted.allSatisfy({ $0.sourceType == .socialMedia }) {
            v.fail("evidence", "inclusion.social-media-alone", "social-media material alone never meets the threshold")
        } else if independent < rules.minimumIndependentSources {
            v.fail(
                "evidence", "inclusion.corroboration",
                "the threshold needs corroboration by \(rules.minimumIndependentSources) independent sources (different originating units or registered sources, such as a partner organisation or a source reference); this has \(independent)"
            )
        }
        return v.violations
    }
}
