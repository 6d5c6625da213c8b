public import Foundation
public import Crypto

/// A partner's public key in the age format (`age1…`, an X25519 key in Bech32).
public struct AgeRecipient: Sendable, Equatable, Codable, CustomStringConvertible {
    public let publicKey: Data

    public init?(_ text: String) {
        guard let (hrp, data) = Bech32.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)), hrp == "age", data.count == 32,
            (try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: data)) != nil
        else { return nil }
        publicKey = Data(data)
    }

    public init(publicKey: Curve25519.KeyAgreement.PublicKey) { self.publicKey = publicKey.rawRepresentation }

    public var description: String { Bech32.encode(hrp: "age", data: Array(publicKey)) }
}

/// Encryption to X25519 recipients in the age v1 format (C2SP age), so a partner opens a package
/// with the stock `age` tool and their identity file. Written from the specification.
public enum AgeEncryption {
    static let chunkSize = 64 * 1024

    public static func encrypt(_ plaintext: Data, to recipients: [AgeRecipient]) throws -> Data {
        guard !recipients.isEmpty else {
            throw RegisterError.invalid([
                FieldViolation(field: "ageRecipient", rule: "partner.age-key", message: "an age file needs at least one recipient")
            ])
        }
        let fileKey = SymmetricKey(size: .bits128)
        var header = "age-encryption.org/v1\n"
        for recipient in recipients { header += try stanza(fileKey: fileKey, recipient: recipient) }
        header += "---"
        let macKey = hkdf(fileKey, salt: Data(), info: "header")
        let mac = HMAC<SHA256>.authenticationCode(for: Data(header.utf8), using: macKey)
        header += " " + base64(Data(mac)) + "\n"

        var out = Data(header.utf8)
        let nonce = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
        out += nonce
        let payloadKey = hkdf(fileKey, salt: nonce, info: "payload")
        var chunks: [Data] = []
        var offset = 0
        repeat {
            let end = min(offset + chunkSize, plaintext.count)
            chunks.append(plaintext.subdata(in: offset..<end))
            offset = end
        } while offset < plaintext.count
        for (i, chunk) in chunks.enumerated() {
            var counter = Data(repeating: 0, count: 11)
            var n = UInt64(i)
            for b in stride(from: 10, through: 3, by: -1) {
                counter[b] = UInt8(n & 0xff)
                n >>= 8
            }
            counter.append(i == chunks.count - 1 ? 1 : 0)
            let box = try ChaChaPoly.seal(chunk, using: payloadKey, nonce: ChaChaPoly.Nonce(data: counter))
            out += box.ciphertext + box.tag
        }
        return out
    }

    private static func stanza(fileKey: SymmetricKey, recipient: AgeRecipient) throws -> String {
        let ephemeral = Curve25519.KeyAgreement.PrivateKey()
        let share = ephemeral.publicKey.rawRepresentation
        let theirs = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: recipient.publicKey)
        let shared = try ephemeral.sharedSecretFromKeyAgreement(with: theirs).withUnsafeBytes { Data($0) }
        guard shared.contains(where: { $0 != 0 }) else { throw AgeError.lowOrderKey }
        let wrapKey = hkdf(SymmetricKey(data: shared), salt: share + recipient.publicKey, info: "age-encryption.org/v1/X25519")
        let body = try ChaChaPoly.seal(
            fileKey.withUnsafeBytes { Data($0) }, using: wrapKey, nonce: ChaChaPoly.Nonce(data: Data(repeating: 0, count: 12)))
        return "-> X25519 \(base64(share))\n" + wrapped(base64(body.ciphertext + body.tag)) + "\n"
    }

    private static func hkdf(_ key: SymmetricKey, salt: Data, info: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, salt: salt, info: Data(info.utf8), outputByteCount: 32)
    }

    /// Canonical base64 without padding, as the format requires.
    static func base64(_ data: Data) -> String { data.base64EncodedString().replacingOccurrences(of: "=", with: "") }

    /// Stanza bodies are wrapped at 64 columns; the last line is always shorter than 64, so a body
    /// whose encoding is a multiple of 64 ends with an empty line.
    static func wrapped(_ text: String) -> String {
        var lines: [String] = []
        var rest = Substring(text)
        while rest.count >= 64 {
            lines.append(String(rest.prefix(64)))
            rest = rest.dropFirst(64)
        }
        lines.append(String(rest))
        return lines.joined(separator: "\n")
    }
}

public enum AgeError: Error { case lowOrderKey }

/// An age X25519 identity: what a partner keeps secret. Custodian never needs one; the demo
/// makes one so a package can be opened end to end on a fresh machine.
public struct AgeIdentity: Sendable {
    public let recipient: AgeRecipient
    /// The identity file's text, as `age-keygen` writes it.
    public let fileContents: String

    public static func generate(created: Date = Date()) -> AgeIdentity {
        let key = Curve25519.KeyAgreement.PrivateKey()
        let recipient = AgeRecipient(publicKey: key.publicKey)
        let secret = Bech32.encode(hrp: "age-secret-key-", data: Array(key.rawRepresentation)).uppercased()
        let text = "# created: \(created.formatted(.iso8601))\n# public key: \(recipient)\n\(secret)\n"
        return AgeIdentity(recipient: recipient, fileContents: text)
    }
}
