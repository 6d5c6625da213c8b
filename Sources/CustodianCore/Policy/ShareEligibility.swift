import Foundation

/// What the sharing rules need to know about one person, and nothing more.
public struct ShareCandidate: Sendable, Equatable {
    public let subjectID: SubjectID
    public let categories: Set<Category>
    public let inclusion: Inclusion?
    public let band: HarmBand?
    public let score: Double?
    public let restricted: Bool
    /// The person's intelligence items with their grades: each is checked for dissemination on
    /// its own (handling code, weak grade).
    public let intelligence: [(id: IntelligenceID, grade: IntelligenceGrade)]
    /// The graded intelligence reports among the matters the person is linked to: judged exactly
    /// as an intelligence item with the same grade.
    public let reports: [(id: MatterID, grade: IntelligenceGrade)]

    public init(
        subjectID: SubjectID, categories: Set<Category>, inclusion: Inclusion?, band: HarmBand?, score: Double?,
        restricted: Bool, intelligence: [(id: IntelligenceID, grade: IntelligenceGrade)],
        reports: [(id: MatterID, grade: IntelligenceGrade)] = []
    ) {
        self.reports = reports
        self.subjectID = subjectID
        self.categories = categories
        self.inclusion = inclusion
        self.band = band
        self.score = score
        self.restricted = restricted
        self.intelligence = intelligence
    }

    /// Every graded item the person's record carries, whatever carries it.
    public var graded: [(item: GradedItem, grade: IntelligenceGrade)] {
        intelligence.map { (GradedItem.intelligence($0.id), $0.grade) } + reports.map { (GradedItem.report($0.id), $0.grade) }
    }

    /// The items that stay behind when the record is built for this agreement.
    public func withheld(under agreement: SharingAgreement, acknowledged: Set<IntelligenceID>) -> Set<GradedItem> {
        Set(
            graded.filter { Dissemination.withheld($0.item, grade: $0.grade, under: agreement, acknowledged: acknowledged) != nil }.map(
                \.item))
    }

    /// What a decider sees of the harm assessment: the score, its band and the method's version.
    public var harmShown: String {
        guard let score, let band else { return "no harm assessment kept" }
        return String(format: "score %.1f, %@ band", score, band.rawValue)
    }

    public static func == (a: ShareCandidate, b: ShareCandidate) -> Bool {
        a.subjectID == b.subjectID && a.categories == b.categories && a.inclusion == b.inclusion && a.band == b.band && a.score == b.score
            && a.restricted == b.restricted && a.intelligence.map(\.id) == b.intelligence.map(\.id)
            && a.intelligence.map(\.grade) == b.intelligence.map(\.grade) && a.reports.map(\.id) == b.reports.map(\.id)
            && a.reports.map(\.grade) == b.reports.map(\.grade)
    }
}

/// Whether each person in a share request may go, and why not (S2, S4).
public enum ShareEligibility {
    /// Every reason the person may not be shared when the request is made or approved: their
    /// standing today, and each intelligence item's handling code.
    public static func reasons(
        _ c: ShareCandidate, under agreement: SharingAgreement, on day: LocalDate, rulebook: Rulebook,
        acknowledged: Set<IntelligenceID>
    ) -> [AccessDenial] {
        standing(c, under: agreement, on: day, rulebook: rulebook) + handling(c, under: agreement, acknowledged: acknowledged)
    }

    /// Unacknowledged handling conditions stop the person; other withheld items simply stay
    /// behind (they are left out of the record as it is built).
    static func handling(_ c: ShareCandidate, under agreement: SharingAgreement, acknowledged: Set<IntelligenceID>) -> [AccessDenial] {
        c.graded.compactMap { graded -> AccessDenial? in
            guard let reason = Dissemination.reason(graded.item, grade: graded.grade, under: agreement, acknowledged: acknowledged),
                case .conditionsUnacknowledged = reason
            else { return nil }
            return reason.denial(graded.item)
        }
    }

    /// The person's standing on a day: re-run at every transmission (each portal read, each
    /// package), so a record that was lawful to send last month is not sent after a restriction,
    /// a suspension, an overdue review or the agreement's end.
    public static func standing(_ c: ShareCandidate, under agreement: SharingAgreement, on day: LocalDate, rulebook: Rulebook)
        -> [AccessDenial]
    {
        var out: [AccessDenial] = []
        func no(_ rule: RuleCode, _ reason: String) { out.append(AccessDenial(rule: rule, reason: reason)) }
        let standing = agreement.standing(on: day)
        if standing != .active { no("share.agreement-inactive", "the agreement is \(standing.rawValue), not in force") }
        if c.restricted { no("share.restricted", "the record is restricted: out of all operational use") }
        let protectedOnly = CategoryStanding(c.categories).isProtectedOnly
        if protectedOnly && !agreement.safeguarding {
            no("share.protected-only", "held only as a victim or witness: shared only under a safeguarding agreement that names them")
        }
        if c.categories.isDisjoint(with: agreement.categories) {
            no(
                "share.category",
                "none of the person's categories (\(c.categories.map(\.rawValue).sorted().joined(separator: ", "))) is in the agreement's")
        }
        if !protectedOnly {
            if let inclusion = c.inclusion, inclusion.status == .included {
                if inclusion.suspendedOn != nil { no("share.suspended", "suspended: the review is past its grace period") }
                switch inclusion.reviewStanding(on: day, under: rulebook) {
                case .overdue, .suspended: no("share.review-overdue", "the review is overdue")
                case .due, .notDue: break
                }
            } else if !agreement.safeguarding {
                no("share.not-included", "not included on the register: only included people are shared for enforcement")
            }
            if let score = c.score, score < rulebook.review.retentionThreshold, !agreement.safeguarding {
                no("share.zero-score", "the harm score is zero: shared only under a safeguarding agreement that names such people")
            }
            if let band = c.band {
                if !agreement.bands.contains(band), !(agreement.safeguarding && (c.score ?? 0) < rulebook.review.retentionThreshold) {
                    no("share.band", "the \(band.rawValue) band is not in the agreement's bands")
                }
            } else if !agreement.safeguarding {
                no("share.band", "no harm assessment is kept, so the band the agreement requires is unknown")
            }
        }
        return out
    }
}
