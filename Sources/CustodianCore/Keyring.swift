public import Foundation
public import Crypto

/// The keys that protect personal data at rest. A master key, held outside the database, wraps a
/// key for each subject; personal fields are sealed (AES-GCM) under the subject's key, so
/// destroying that one key makes every copy of those fields unreadable, backups included.
public struct Keyring: Sendable {
    private let master: SymmetricKey
    private let searchKey: SymmetricKey
    private let watermarkKey: SymmetricKey
    private let requesterKey: SymmetricKey

    public static let masterKeyBytes = 32

    public init(masterKey: Data) throws(RegisterError) {
        guard masterKey.count == Self.masterKeyBytes else {
            throw .invalid([FieldViolation(field: "masterKey", rule: "key.length", message: "the master key must be exactly 32 bytes")])
        }
        master = SymmetricKey(data: masterKey)
        // A separate key for search tokens, so a leak of tokens says nothing about sealed data.
        searchKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("custodian search tokens v1".utf8), outputByteCount: 32)
        watermarkKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: master, info: Data("custodian disclosure watermarks v1".utf8), outputByteCount: 32)
        requesterKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: master, info: Data("custodian rights requesters v1".utf8), outputByteCount: 32)
    }

    public static func generateMasterKey() -> Data {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    }

    /// A fresh subject key and its wrapped form for storage. The subject id is bound in as
    /// associated data, so a wrapped key moved onto another subject will not open.
    public func newSubjectKey(for subject: SubjectID) throws -> (key: SymmetricKey, wrapped: Data) {
        let key = SymmetricKey(size: .bits256)
        let wrapped = try key.withUnsafeBytes { raw in
            try Self.combined(AES.GCM.seal(Data(raw), using: master, authenticating: Data("key:\(subject)".utf8)))
        }
        return (key, wrapped)
    }

    public func unwrap(_ wrapped: Data, for subject: SubjectID) throws -> SymmetricKey {
        let box = try AES.GCM.SealedBox(combined: wrapped)
        return SymmetricKey(data: try AES.GCM.open(box, using: master, authenticating: Data("key:\(subject)".utf8)))
    }

    /// Seals a value as JSON. `label` names the field group, so one sealed part cannot be
    /// substituted for another of the same subject.
    public func seal(_ value: some Encodable, key: SymmetricKey, subject: SubjectID, label: String) throws -> Data {
        let plain = try Self.encoder.encode(value)
        return try Self.combined(AES.GCM.seal(plain, using: key, authenticating: Data("\(label):\(subject)".utf8)))
    }

    /// Nonce, ciphertext and tag in one. Only a non-standard nonce size has no combined form, and
    /// every box here uses the default 12-byte nonce; a refusal, not a trap, if that ever changed.
    static func combined(_ box: AES.GCM.SealedBox) throws -> Data {
        guard let combined = box.combined else { throw CryptoKitError.incorrectParameterSize }
        return combined
    }

    public func open<T: Decodable>(_ type: T.Type, from sealed: Data, key: SymmetricKey, subject: SubjectID, label: String) throws -> T {
        let box = try AES.GCM.SealedBox(combined: sealed)
        let plain = try AES.GCM.open(box, using: key, authenticating: Data("\(label):\(subject)".utf8))
        return try JSONDecoder().decode(T.self, from: plain)
    }

    /// Seals who made a rights request (name, reference, contact) under a key of its own, bound to
    /// the request: the person asking may not be on the register at all, so no subject key fits.
    public func seal(_ requester: Requester, for request: RightsRequestID) throws -> Data {
        try Self.combined(
            AES.GCM.seal(try Self.encoder.encode(requester), using: requesterKey, authenticating: Data("requester:\(request)".utf8)))
    }

    public func openRequester(_ sealed: Data, for request: RightsRequestID) throws -> Requester {
        let plain = try AES.GCM.open(
            try AES.GCM.SealedBox(combined: sealed), using: requesterKey, authenticating: Data("requester:\(request)".utf8))
        return try JSONDecoder().decode(Requester.self, from: plain)
    }

    /// A keyed hash of a search term: equal terms give equal tokens, and without the key the
    /// tokens reveal nothing (no dictionary attack over common names).
    public func searchToken(_ term: SearchTerm) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(term.canonical.utf8), using: searchKey)
        return Hex.lowercase(Data(mac).prefix(16))
    }

    /// A watermark for one recipient of one disclosure: unique, traceable by Custodian, and not
    /// something a recipient can forge for someone else.
    public func watermark(disclosure: DisclosureID, partner: PartnerID) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(disclosure)|\(partner)".utf8), using: watermarkKey)
        return "CUSTODIAN-" + Data(mac).prefix(6).map { String(format: "%02X", $0) }.joined()
    }

    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return e
    }()
}
