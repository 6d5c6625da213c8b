public import Foundation

/// Intelligence items and enforcement flags, each sealed under its subject's key.
public protocol IntelligenceStore: Sendable {
    func insertIntelligence(_ items: [SealedIntelligence]) async throws
    func intelligence(_ id: IntelligenceID) async throws -> SealedIntelligence?
    func intelligence(subject: SubjectID) async throws -> [SealedIntelligence]
    func intelligence(subjects: [SubjectID]) async throws -> [SealedIntelligence]
    /// Only a flag the monitor permitted (`Monitor.flag`) can be written.
    func insertFlag(_ flag: Permitted<Flag>) async throws
    func flags(subject: SubjectID) async throws -> [Flag]
    func flags(subjects: [SubjectID]) async throws -> [Flag]
    func updateIntelligence(_ id: IntelligenceID, content: Data, grade: IntelligenceGrade) async throws
}

extension IntelligenceStore {
    func insertIntelligence(_ item: SealedIntelligence) async throws { try await insertIntelligence([item]) }
}
