public import Crypto
public import Foundation

/// A witness's public key as C2SP tlog-cosignature (Ed25519, `cosignature/v1`) names it: the
/// witness's name and a key ID, the first four bytes of SHA-256(name || 0x0A || 0x04 || key),
/// 0x04 naming a timestamped Ed25519 cosignature. Written as a vkey,
/// `name+hex(key ID)+base64(0x04 || key)`, which is what a witness publishes and a register, an
/// auditor or a person checking a receipt is configured with.
public struct CosignerKey: Sendable, Equatable {
    public let name: String
    public let publicKey: Curve25519.Signing.PublicKey

    static let algorithm: UInt8 = 0x04

    public init(name: String, publicKey: Curve25519.Signing.PublicKey) { (self.name, self.publicKey) = (name, publicKey) }

    public static func == (a: CosignerKey, b: CosignerKey) -> Bool {
        a.name == b.name && a.publicKey.rawRepresentation == b.publicKey.rawRepresentation
    }

    public var keyID: Data {
        Data(SHA256.hash(data: Data(name.utf8) + [0x0A, Self.algorithm] + publicKey.rawRepresentation).prefix(4))
    }

    public var verifierKey: String {
        "\(name)+\(Hex.lowercase(keyID))+\((Data([Self.algorithm]) + publicKey.rawRepresentation).base64EncodedString())"
    }

    public init(verifierKey text: String) throws(CheckpointError) {
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[0].contains(where: { $0.isWhitespace }),
            let blob = Data(base64Encoded: String(parts[2])), blob.count == 33, blob.first == Self.algorithm,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: blob.dropFirst())
        else { throw .malformed("a witness key is name+keyid+base64(0x04 || Ed25519 key)") }
        self.init(name: String(parts[0]), publicKey: key)
        guard Hex.lowercase(keyID) == parts[1] else { throw .malformed("the witness key's ID does not match its key") }
    }

    /// The message a cosignature signs: the header line, the time line and the whole checkpoint body.
    static func message(_ body: String, at time: UInt64) -> Data {
        Data("cosignature/v1\ntime \(time)\n\(body)".utf8)
    }

    /// The time this witness cosigned `note`'s body, when a line of its name and key ID verifies;
    /// nil when the note carries none of its lines. A line of its name and ID that does not verify
    /// is a forgery, and thrown.
    public func cosignedAt(_ note: String) throws(CheckpointError) -> UInt64? {
        guard let split = note.range(of: "\n\n", options: .backwards) else {
            throw .malformed("a signed note is a body, a blank line and signature lines")
        }
        let body = String(note[..<split.lowerBound]) + "\n"
        var newest: UInt64?
        for line in note[split.upperBound...].split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 3, fields[0] == "—", fields[1] == name, let blob = Data(base64Encoded: String(fields[2])),
                blob.count == 76, blob.prefix(4) == keyID
            else { continue }
            let time = blob.dropFirst(4).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard time < 1 << 63, publicKey.isValidSignature(blob.dropFirst(12), for: Self.message(body, at: time)) else {
                throw .badSignature("the cosignature by witness \(name) does not verify")
            }
            newest = max(newest ?? 0, time)
        }
        return newest
    }
}

/// A witness's signing key: cosigns checkpoints it has checked.
public struct Cosigner: Sendable {
    public let name: String
    let key: Curve25519.Signing.PrivateKey

    public init(name: String, privateKey: Curve25519.Signing.PrivateKey) { (self.name, self.key) = (name, privateKey) }

    public var publicKey: CosignerKey { CosignerKey(name: name, publicKey: key.publicKey) }

    /// The signature line, `— name base64(key ID || time || signature)`, newline-terminated.
    public func cosign(_ checkpoint: Checkpoint, at time: UInt64) throws -> String {
        let signature = try key.signature(for: CosignerKey.message(checkpoint.body, at: time))
        let timestamp = (0..<8).map { UInt8(truncatingIfNeeded: time >> (56 - 8 * $0)) }
        return "— \(name) \((publicKey.keyID + timestamp + signature).base64EncodedString())\n"
    }
}
