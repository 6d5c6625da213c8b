/// What the sharing rules need to know about one person, and nothing more.
public struct ShareCandidate: Sendable, Equatable {
    public let subjectID: SubjectID
    public let categories: Set<Category>
    public let inclusion: Inclusion?
    public let band: HarmBand?
    public let score: Double?
    public let restricted: Bool
    /// Handling code C conditions on the person's intelligence; sharing needs them acknowledged.
    public let handlingConditions: [String]

    public init(subjectID: SubjectID, categories: Set<Category>, inclusion: Inclusion?, band: HarmBand?, score: Double?,
                restricted: Bool, handlingConditions: [String]) {
        self.subjectID = subjectID
        self.categories = categories
        self.inclusion = inclusion
        self.band = band
        self.score = score
        self.restricted = restricted
        self.handlingConditions = handlingConditions
    }
}

/// Whether each person in a share request may go, and why not (S2, S4).
public enum ShareEligibility {
    public static func reasons(_ c: ShareCandidate, under agreement: SharingAgreement, on day: LocalDate, rulebook: Rulebook,
                               conditionsAcknowledged: Bool) -> [AccessDenial] {
        var out: [AccessDenial] = []
        func no(_ rule: String, _ reason: String) { out.append(AccessDenial(rule: rule, reason: reason)) }
        let standing = agreement.standing(on: day)
        if standing != .active { no("share.agreement-inactive", "the agreement is \(standing.rawValue), not in force") }
        if c.restricted { no("share.restricted", "the record is restricted: out of all operational use") }
        let protectedOnly = CategoryStanding(c.categories).isProtectedOnly
        if protectedOnly && !agreement.safeguarding {
            no("share.protected-only", "held only as a victim or witness: shared only under a safeguarding agreement that names them")
        }
        if c.categories.isDisjoint(with: agreement.categories) {
            no("share.category", "none of the person's categories (\(c.categories.map(\.rawValue).sorted().joined(separator: ", "))) is in the agreement's")
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
        if !c.handlingConditions.isEmpty && !conditionsAcknowledged {
            no("share.handling-conditions", "intelligence carries handling conditions (code C) that the request has not acknowledged")
        }
        return out
    }
}
