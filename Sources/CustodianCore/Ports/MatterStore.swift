/// Matters (offences, incidents, intelligence reports) and the links that say how a person is held
/// on one.
public protocol MatterStore: Sendable {
    func insertMatters(_ matters: [Matter]) async throws
    func matter(_ id: MatterID) async throws -> Matter?
    func matters(_ ids: [MatterID]) async throws -> [Matter]
    func matter(reference: String, unit: Borough) async throws -> Matter?
    func insertLinks(_ links: [SubjectMatterLink]) async throws
    /// A matter's details corrected in place (rectification); its id, unit and provenance stay.
    func updateMatter(_ matter: Matter) async throws
    func updateLinkCategory(_ id: LinkID, to category: Category) async throws
    /// A matter no one is linked to any more, erased with the last person's record.
    func eraseMatter(_ id: MatterID) async throws
    func links(subject: SubjectID) async throws -> [SubjectMatterLink]
    func links(subjects: [SubjectID]) async throws -> [SubjectMatterLink]
    func links(matter: MatterID) async throws -> [SubjectMatterLink]
}

extension MatterStore {
    func insertMatter(_ matter: Matter) async throws { try await insertMatters([matter]) }
    func insertLink(_ link: SubjectMatterLink) async throws { try await insertLinks([link]) }
}
