import Crypto

/// Subjects' unwrapped keys from one read of the key store. A key that is gone (the person
/// erased) is absent: asked for outright, that is the person not found, as one key's read says.
struct SubjectKeys {
    private let keys: [SubjectID: SymmetricKey]

    init(_ keys: [SubjectID: SymmetricKey]) { self.keys = keys }

    /// The key, or nil where it is gone: for readers that pass over an erased person.
    subscript(id: SubjectID) -> SymmetricKey? { keys[id] }

    func key(for id: SubjectID) throws -> SymmetricKey {
        guard let key = keys[id] else { throw RegisterError.notFound(kind: "subject", id: id.description) }
        return key
    }
}
