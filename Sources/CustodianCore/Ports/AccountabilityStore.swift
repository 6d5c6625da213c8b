/// The DPIA, the appropriate policy document and the breach register.
public protocol AccountabilityStore: Sendable {
    func upsertDPIA(_ dpia: DPIA) async throws
    func dpias() async throws -> [DPIA]
    /// The approved versions only (one, normally), read by the index on status: what the gate checks
    /// on every gated write.
    func approvedDPIAs() async throws -> [DPIA]
    func upsertBreach(_ breach: Breach) async throws
    func breach(_ id: BreachID) async throws -> Breach?
    func breaches() async throws -> [Breach]
    func upsertPolicyDocument(_ document: PolicyDocument) async throws
    func policyDocuments() async throws -> [PolicyDocument]
    func approvedPolicyDocuments() async throws -> [PolicyDocument]
}
