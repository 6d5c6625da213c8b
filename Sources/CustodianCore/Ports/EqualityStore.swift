/// Equality monitoring: events with no subject in them, summed by storage per period; baselines,
/// alerts and impact assessments.
public protocol EqualityStore: Sendable {
    /// Equality monitoring: events with no subject in them, summed by storage per period.
    /// Only events the monitor permitted (`Monitor.equality`) can be written.
    func insertEqualityEvents(_ events: Permitted<[EqualityEvent]>) async throws
    /// The events of `from` ..< `until`, summed by stage, borough, band and groups.
    func equalityCounts(from: LocalDate, until: LocalDate) async throws -> [EqualityCount]
    func upsertEqualityBaseline(_ baseline: EqualityBaseline) async throws
    func equalityBaselines() async throws -> [EqualityBaseline]
    func upsertEqualityAlert(_ alert: EqualityAlert) async throws
    func equalityAlerts() async throws -> [EqualityAlert]
    func insertEqualityImpactAssessment(_ assessment: EqualityImpactAssessment) async throws
    func equalityImpactAssessments(rulebookVersion: Int?) async throws -> [EqualityImpactAssessment]
}
