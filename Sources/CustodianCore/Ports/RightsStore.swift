/// Rights requests (organisational records, kept whole), rectifications and retention reviews.
public protocol RightsStore: Sendable {
    func insertRectification(_ rectification: SealedEvent) async throws
    /// Decisions to keep a person past their retention review, sealed with the reason.
    func insertRetentionReview(_ review: SealedEvent) async throws
    /// The person's latest retention event of one kind ("raised" by the sweep, "keep" by governance).
    func latestRetentionReview(subject: SubjectID, kind: String) async throws -> SealedEvent?
    /// Each person's latest retention event, whatever its kind.
    func latestRetentionReviews() async throws -> [SealedEvent]
    /// Retention's facts for each of `subjects` that has any: one query per kind, not per person.
    func retentionFacts(_ subjects: [SubjectID]) async throws -> [SubjectID: RetentionFacts]
    func rectifications(subject: SubjectID) async throws -> [SealedEvent]
    func upsertRightsRequest(_ request: RightsRequest) async throws
    func rightsRequest(_ id: RightsRequestID) async throws -> RightsRequest?
    func rightsRequests() async throws -> [RightsRequest]
}
