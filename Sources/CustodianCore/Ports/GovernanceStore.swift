/// The rulebook, inclusions, reviews, harm assessments and child actions. Their free text is sealed
/// under the subject's key, so erasing the key erases it in every copy.
public protocol GovernanceStore: Sendable {
    func rulebookVersions() async throws -> [RulebookVersion]
    /// The newest active version's rules: one row, read on nearly every request.
    func activeRulebook() async throws -> Rulebook?
    func insertRulebookVersion(_ version: RulebookVersion) async throws
    func updateRulebookVersion(_ version: RulebookVersion) async throws
    func insertInclusion(_ inclusion: SealedInclusion) async throws
    func updateInclusion(_ inclusion: SealedInclusion) async throws
    func inclusion(_ id: InclusionID) async throws -> SealedInclusion?
    func inclusions(subject: SubjectID) async throws -> [SealedInclusion]
    func inclusions(subjects: [SubjectID]) async throws -> [SealedInclusion]
    /// Inclusions of the given statuses, within `units` or all when nil.
    func inclusions(units: [Borough]?, statuses: [Inclusion.Status]) async throws -> [SealedInclusion]
    func insertReview(_ review: SealedEvent) async throws
    /// Only a score the monitor permitted (`Monitor.score`) can be kept.
    func insertHarmAssessment(_ assessment: Permitted<SealedEvent>) async throws
    func latestHarmAssessment(subject: SubjectID) async throws -> SealedEvent?
    func latestHarmAssessments(subjects: [SubjectID]) async throws -> [SubjectID: SealedEvent]
    func latestReview(subject: SubjectID) async throws -> SealedEvent?
    /// Every harm assessment kept of the person, oldest first.
    func harmAssessments(subject: SubjectID) async throws -> [SealedEvent]
    /// Every review of the person's inclusion, oldest first.
    func reviews(subject: SubjectID) async throws -> [SealedEvent]
    func upsertChildAction(_ action: SealedChildAction) async throws
    func childAction(_ id: ChildActionID) async throws -> SealedChildAction?
    /// Child actions in the given statuses, within `units` or all when nil.
    func childActions(units: [Borough]?, statuses: [ChildAction.Status]) async throws -> [SealedChildAction]
}
