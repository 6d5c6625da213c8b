public import Foundation

/// Where each subject's wrapped key lives: apart from the register's data, so that a backup of
/// the data holds ciphertext only, and destroying a key erases the subject from every copy of
/// the data at once (RR3).
public protocol SubjectKeyStore: Sendable {
    /// Keeps wrapped keys, all or none.
    func store(_ keys: [(subject: SubjectID, wrapped: Data)], at: Timestamp) async throws
    func wrappedKey(for subject: SubjectID) async throws -> Data?
    /// The wrapped keys of a page or a request's people in one read; a subject whose key is gone
    /// is left out.
    func wrappedKeys(for subjects: [SubjectID]) async throws -> [SubjectID: Data]
    /// Destroys a subject's key, and their name-search tokens with it, so that no copy of the
    /// store's current state can yield them.
    func destroy(_ subject: SubjectID) async throws

    /// The name-search index lives here, not beside the data: a token is an HMAC of a name, and a
    /// backup of the data that kept them would let anyone holding the master key test a name
    /// against a person erased since. Here they go with the key.
    func storeSearchTokens(_ entries: [(subject: SubjectID, unit: Borough, tokens: [String])]) async throws
    /// Replaces a subject's tokens (their names were corrected), in one step.
    func replaceSearchTokens(subject: SubjectID, unit: Borough, tokens: [String]) async throws
    /// For each token asked about, the subjects (within `units`, or all when nil) that hold it.
    func subjectsHolding(tokens: [String], units: [Borough]?) async throws -> [String: Set<SubjectID>]
    /// The first `query.limit` subjects (within `units`, or all when nil) in the order
    /// `query.rank(hits:)` gives, found and ranked by the store itself.
    func subjectsRanked(_ query: NameQuery, units: [Borough]?) async throws -> [SubjectID]
    /// Pairs of subjects held by different boroughs that share at least `minimumShared` tokens,
    /// counting only tokens held by at most `commonLimit` subjects (a common surname's code joins
    /// strangers, not records of one person). The blocking step of duplicate finding: it reads
    /// keyed hashes only, so no name leaves the key store.
    func pairsSharingTokens(minimumShared: Int, commonLimit: Int) async throws -> [SubjectPair]
}
