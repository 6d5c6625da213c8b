public import Foundation

/// Where each subject's wrapped key lives: apart from the register's data, so that a backup of
/// the data holds ciphertext only, and destroying a key erases the subject from every copy of
/// the data at once (RR3).
public protocol SubjectKeyStore: Sendable {
    /// Keeps wrapped keys, all or none.
    func store(_ keys: [(subject: SubjectID, wrapped: Data)], at: Timestamp) async throws
    func wrappedKey(for subject: SubjectID) async throws -> Data?
    /// Destroys a subject's key so that no copy of the store's current state can yield it.
    func destroy(_ subject: SubjectID) async throws
}
