/// Records of one person held by different boroughs: the last scan's candidates (replaced whole by
/// each scan) and the decisions people made about pairs, kept with their reversals.
public protocol DuplicateStore: Sendable {
    /// Duplicates across boroughs: the last scan's candidates (replaced whole by each scan) and
    /// the decisions people made about pairs, kept with their reversals.
    func replaceDuplicateCandidates(_ candidates: [DuplicateCandidate]) async throws
    /// Candidates with no settling decision in force, highest score first, then by pair.
    func duplicateCandidates(offset: Int, limit: Int) async throws -> [DuplicateCandidate]
    func duplicateCandidateCount() async throws -> Int
    func upsertDuplicateDecision(_ decision: DuplicateDecision) async throws
    func duplicateDecision(_ id: DuplicateDecisionID) async throws -> DuplicateDecision?
    func duplicateDecisions(pair: SubjectPair) async throws -> [DuplicateDecision]
    func duplicateDecisions(subject: SubjectID) async throws -> [DuplicateDecision]
}
