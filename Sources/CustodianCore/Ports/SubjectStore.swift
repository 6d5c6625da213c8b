public import Foundation

/// People on the register: their sealed records, restriction and erasure. Their keys and name-
/// search tokens live in a `SubjectKeyStore`.
public protocol SubjectStore: Sendable {
    /// Many rows in few statements: an import writes hundreds of thousands.
    func insertSubjects(_ subjects: [SealedSubject]) async throws
    func subject(_ id: SubjectID) async throws -> SealedSubject?
    /// The people of a page or a request in one read (those not on the register are left out).
    func subjects(_ ids: [SubjectID]) async throws -> [SealedSubject]
    /// Newest first (ids are time-ordered), within `units` or all when nil, strictly before `before`.
    func subjects(units: [Borough]?, before: SubjectID?, limit: Int) async throws -> [SealedSubject]
    func insertRestriction(subject: SubjectID, by: UserID, at: Timestamp, sealedReason: Data) async throws
    func restriction(subject: SubjectID) async throws -> (by: UserID, at: Timestamp, sealedReason: Data)?
    /// Deletes every row about the subject: the subject, its search tokens, links, intelligence,
    /// flags, inclusions, reviews, assessments and restriction. The audit log keeps its entries.
    func eraseSubject(_ subject: SubjectID) async throws
    /// Counts an erasure against the borough and day: a tally with no subject in it.
    func countErasure(unit: Borough, on day: LocalDate) async throws
    func erasures(from: LocalDate, until: LocalDate) async throws -> [Borough: Int]
    func updateSubjectPersonal(_ id: SubjectID, sealed: Data) async throws
}

extension SubjectStore {
    func insertSubject(_ subject: SealedSubject) async throws { try await insertSubjects([subject]) }
}
