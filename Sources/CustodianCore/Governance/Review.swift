/// A review of an included person: retain, change or remove, with the reviewer's reasons and the
/// score and rulebook version it was made under.
public struct Review: Sendable, Equatable, Codable {
    public enum Outcome: String, Sendable, Codable, CaseIterable { case retain, change, remove }

    /// Why removal was rejected at a forced removal review: a recorded reason a reviewer chose,
    /// counted by governance, not a word found in free text.
    public enum RemovalRejected: String, Sendable, Codable, CaseIterable {
        case ongoingViolence = "ongoing-violence"
        case recentIntelligence = "recent-intelligence"
        case pendingProceedings = "pending-proceedings"
        case inCustody = "in-custody"
        case safeguardingNeed = "safeguarding-need"

        public var label: String {
            switch self {
            case .ongoingViolence: "Violence linked since the last review"
            case .recentIntelligence: "Graded intelligence of involvement since the last review"
            case .pendingProceedings: "Criminal proceedings pending"
            case .inCustody: "In custody: the score will not reflect risk on release"
            case .safeguardingNeed: "A safeguarding need the register still serves"
            }
        }
    }

    public let inclusionID: InclusionID
    public let outcome: Outcome
    public let rationale: String
    public let reviewer: UserID
    public let at: Timestamp
    public let rulebookVersion: Int
    public let score: Double?
    public let removalRejected: RemovalRejected?
    public init(
        inclusionID: InclusionID, outcome: Outcome, rationale: String, reviewer: UserID, at: Timestamp, rulebookVersion: Int,
        score: Double?,
        removalRejected: RemovalRejected? = nil
    ) {
        (self.inclusionID, self.outcome, self.rationale, self.reviewer, self.at, self.rulebookVersion, self.score) =
            (inclusionID, outcome, rationale, reviewer, at, rulebookVersion, score)
        self.removalRejected = removalRejected
    }

    /// The review as a purpose that does not read scores sees it.
    public func withoutScore() -> Review {
        Review(
            inclusionID: inclusionID, outcome: outcome, rationale: rationale, reviewer: reviewer, at: at,
            rulebookVersion: rulebookVersion, score: nil, removalRejected: removalRejected)
    }
}

/// Where an included person stands against the review cadence on a given day.
public enum ReviewStanding: String, Sendable, Equatable, CaseIterable {
    case notDue = "not-due"
    /// Due within the week ahead, or due today.
    case due
    /// Past due, within the grace period.
    case overdue
    /// Past the grace period: suspended until reviewed.
    case suspended
}

extension ReviewStanding {
    /// From the two facts it rests on, which an inclusion also keeps in clear beside its sealed
    /// record: a count over London reads them without opening anyone's record.
    static func of(_ status: Inclusion.Status, nextReviewDue: LocalDate?, on day: LocalDate, under rulebook: Rulebook) -> ReviewStanding {
        guard status == .included, let due = nextReviewDue else { return .notDue }
        let late = due.days(until: day)
        if late > rulebook.review.graceDays { return .suspended }
        if late > 0 { return .overdue }
        return late >= -7 ? .due : .notDue
    }
}

extension SealedInclusion {
    public func reviewStanding(on day: LocalDate, under rulebook: Rulebook) -> ReviewStanding {
        .of(status, nextReviewDue: nextReviewDue, on: day, under: rulebook)
    }
}

extension Inclusion {
    public func reviewStanding(on day: LocalDate, under rulebook: Rulebook) -> ReviewStanding {
        .of(status, nextReviewDue: nextReviewDue, on: day, under: rulebook)
    }

    /// What the daily sweep changes: suspension once the grace period has passed, the start of a
    /// low-score spell, and a forced removal review once that spell lasts the rulebook's period.
    public func swept(on day: LocalDate, score: Double?, under rulebook: Rulebook) -> Inclusion {
        guard status == .included else { return self }
        var next = self
        if reviewStanding(on: day, under: rulebook) == .suspended, suspendedOn == nil { next.suspendedOn = day }
        if let score {
            if score < rulebook.review.retentionThreshold {
                next.belowThresholdSince = belowThresholdSince ?? day
            } else {
                next.belowThresholdSince = nil
            }
        }
        if let since = next.belowThresholdSince, since.days(until: day) >= rulebook.review.zeroScoreRemovalDays {
            next.removalReviewRequired = true
        }
        return next
    }

    /// Records a review by a SPOC or officer of the borough. A retain or change sets the next
    /// due date and lifts a suspension; a removal outcome leaves the erasure to a SPOC's approval.
    public func reviewed(
        _ outcome: Review.Outcome, rationale: String, removalRejected: Review.RemovalRejected? = nil, by reviewer: User,
        at now: Timestamp, score: Double?, under rulebook: Rulebook
    ) throws(RegisterError) -> (Inclusion, Review) {
        var v = Validator()
        let rationaleInput = v.text(rationale, "rationale", max: 2000)
        if let rationaleInput, rationaleInput.count < 20 {
            v.fail("rationale", "review.rationale", "give the review's reasons in at least 20 characters")
        }
        if removalReviewRequired, outcome == .retain, removalRejected == nil {
            v.fail(
                "removalRejected", "review.removal-considered",
                "the score has been under the threshold for \(rulebook.review.zeroScoreRemovalDays) days: choose why removal was rejected (\(Review.RemovalRejected.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        if removalRejected != nil, !(removalReviewRequired && outcome == .retain) {
            v.fail(
                "removalRejected", "review.removal-not-due",
                "a reason for rejecting removal goes with a retain at a forced removal review only")
        }
        let rationale = try v.finish(rationaleInput)
        guard status == .included else { throw .conflict("only an included person is reviewed (this inclusion is \(status.rawValue))") }
        guard reviewer.role.isBoroughRole, reviewer.unit == .borough(unit) else { throw .denied(.reviewOwnBorough(unit)) }
        var next = self
        if outcome == .remove {
            next.removalProposedBy = reviewer.id
        } else {
            next.removalProposedBy = nil
            next.nextReviewDue = now.day.adding(days: rulebook.review.cadenceDays)
            next.suspendedOn = nil
            next.removalReviewRequired = false
        }
        return (
            next,
            Review(
                inclusionID: id, outcome: outcome, rationale: rationale, reviewer: reviewer.id, at: now,
                rulebookVersion: rulebook.version, score: score, removalRejected: removalRejected)
        )
    }
}
