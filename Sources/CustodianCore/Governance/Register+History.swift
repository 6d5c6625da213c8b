/// What the register has decided about a person over time, as their record shows it: every harm
/// score kept (at a review, an inclusion, a request, or by the daily sweep) with its working, and
/// every review of their inclusion with its outcome and rationale.
public struct SubjectHistory: Sendable {
    public struct Scored: Sendable {
        public let at: Timestamp
        public let assessment: HarmAssessment
    }

    public struct Reviewed: Sendable {
        public let at: Timestamp
        public let review: Review
        /// Who reviewed, as staff know them: a removal's decider sees who proposed it.
        public let reviewerName: String
    }

    public let subjectID: SubjectID
    public let assessments: [Scored]
    public let reviews: [Reviewed]
    /// The purpose stated does not read scores (`AccessPolicy.readsHarmScore`).
    public var scoresWithheld = false
}

extension Register {
    /// A person's scores and reviews, oldest first: read as the record is, in scope, never a
    /// restricted record for operational staff, and logged as a consultation.
    public func history(of id: SubjectID, by actor: User, for purpose: StatedPurpose) async throws -> SubjectHistory {
        try await perform(actor, purpose, action: .subjectHistory, .consultation) { tx, gate in
            _ = try await operationalSubject(id, tx, gate)
            let key = try await subjectKey(id, tx)
            let scores = AccessPolicy.readsHarmScore(for: purpose.purpose)
            let assessments = try await (scores ? tx.harmAssessments(subject: id) : []).map {
                SubjectHistory.Scored(at: $0.at, assessment: try openHarm($0, key: key))
            }
            var reviews: [SubjectHistory.Reviewed] = []
            for stored in try await tx.reviews(subject: id) {
                let review = try keyring.open(Review.self, from: stored.sealed, key: key, subject: id, label: "review")
                reviews.append(
                    SubjectHistory.Reviewed(
                        at: stored.at, review: scores ? review : review.withoutScore(),
                        reviewerName: try await tx.user(review.reviewer)?.displayName ?? "a user no longer on the register"))
            }
            try await tx.appendAudit([
                gate.entry(.consultation, subjects: [id], touched: (scores ? [.harm(id)] : []) + [.subject(id, part: "reviews")])
            ])
            return SubjectHistory(subjectID: id, assessments: assessments, reviews: reviews, scoresWithheld: !scores)
        }
    }
}
