public import Foundation
public import Crypto

/// A C2SP `tlog-checkpoint`: the log's origin, its size and its root hash, as text.
public struct Checkpoint: Sendable, Equatable {
    public let origin: String
    public let size: Int64
    public let root: TreeHash

    public init(origin: String, size: Int64, root: TreeHash) {
        (self.origin, self.size, self.root) = (origin, size, root)
    }

    /// The note body: three lines, each ending in a newline.
    public var body: String { "\(origin)\n\(size)\n\(root.base64EncodedString())\n" }

    public init(body: String) throws(CheckpointError) {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 4, lines.last == "", !lines[0].isEmpty else {
            throw .malformed("a checkpoint is origin, size and root hash, one per line")
        }
        guard let size = Int64(lines[1]), size >= 0, String(size) == lines[1] else {
            throw .malformed("the tree size is not a decimal number")
        }
        guard let root = Data(base64Encoded: String(lines[2])), root.count == 32 else {
            throw .malformed("the root hash is not base64 of 32 bytes")
        }
        self.init(origin: String(lines[0]), size: size, root: root)
    }
}

public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case badSignature(String)
    public var description: String {
        switch self {
        case .malformed(let why): "checkpoint: \(why)"
        case .badSignature(let why): "checkpoint signature: \(why)"
        }
    }
}

/// Ed25519 signing of C2SP `signed-note`s. The key name is the log's origin; the key hash is the
/// first four bytes of SHA-256(name || 0x0A || 0x01 || public key), 0x01 naming Ed25519.
public struct NoteSigner: Sendable {
    public let name: String
    private let key: Curve25519.Signing.PrivateKey

    public init(name: String, privateKey: Curve25519.Signing.PrivateKey) {
        self.name = name
        self.key = privateKey
    }

    public var verifier: NoteVerifier { NoteVerifier(name: name, publicKey: key.publicKey) }

    /// A raw Ed25519 signature over `data` with Custodian's key: for package manifests.
    public func signature(for data: Data) throws -> Data { try key.signature(for: data) }

    /// The signed note: body, a blank line, and one signature line.
    public func sign(_ checkpoint: Checkpoint) throws -> String { try sign(text: checkpoint.body) }

    /// Any text as a signed note under the log's key: lines ending in newlines, none of them blank.
    public func sign(text body: String) throws -> String {
        let signature = try key.signature(for: Data(body.utf8))
        return body + "\n— \(name) \((verifier.keyHash + signature).base64EncodedString())\n"
    }
}

public struct NoteVerifier: Sendable, Equatable {
    public let name: String
    public let publicKey: Curve25519.Signing.PublicKey

    public init(name: String, publicKey: Curve25519.Signing.PublicKey) {
        (self.name, self.publicKey) = (name, publicKey)
    }

    public static func == (a: NoteVerifier, b: NoteVerifier) -> Bool {
        a.name == b.name && a.publicKey.rawRepresentation == b.publicKey.rawRepresentation
    }

    /// The raw 32-byte Ed25519 public key.
    public var rawPublicKey: Data { publicKey.rawRepresentation }

    public var keyHash: Data {
        Data(SHA256.hash(data: Data(name.utf8) + [0x0A, 0x01] + publicKey.rawRepresentation).prefix(4))
    }

    /// The note verifier key text: `name+hexkeyhash+base64(0x01 || public key)`.
    public var verifierKey: String {
        "\(name)+\(Hex.lowercase(keyHash))+\((Data([0x01]) + publicKey.rawRepresentation).base64EncodedString())"
    }

    public init(verifierKey text: String) throws(CheckpointError) {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(
            separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let raw = Data(base64Encoded: String(parts[2])), raw.count == 33, raw.first == 0x01,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw.dropFirst())
        else {
            throw .malformed("a verifier key is name+keyhash+base64(0x01 || 32-byte Ed25519 key)")
        }
        self.init(name: String(parts[0]), publicKey: key)
        guard Hex.lowercase(keyHash) == parts[1] else {
            throw .malformed("the verifier key's hash does not match its key")
        }
    }

    /// Opens a signed note: checks that a signature line by this key verifies over the body, and
    /// parses the body as a checkpoint of this key's origin.
    public func open(_ note: String) throws(CheckpointError) -> Checkpoint {
        let body = try verifiedText(note)
        let checkpoint = try Checkpoint(body: body)
        guard checkpoint.origin == name else { throw .malformed("the checkpoint's origin is \(checkpoint.origin), not \(name)") }
        return checkpoint
    }

    /// The text of a signed note, once a signature line by this key verifies over it.
    public func verifiedText(_ note: String) throws(CheckpointError) -> String {
        guard let split = note.range(of: "\n\n", options: .backwards) else {
            throw .malformed("a signed note is a body, a blank line and signature lines")
        }
        let body = String(note[..<split.lowerBound]) + "\n"
        var verified = false
        for line in note[split.upperBound...].split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 3, fields[0] == "—" else { throw .malformed("a signature line is '— name base64'") }
            guard fields[1] == name, let blob = Data(base64Encoded: String(fields[2])), blob.count == 68, blob.prefix(4) == keyHash else {
                continue
            }
            guard publicKey.isValidSignature(blob.dropFirst(4), for: Data(body.utf8)) else {
                throw .badSignature("the signature by \(name) does not verify")
            }
            verified = true
        }
        guard verified else { throw .badSignature("no signature by \(name)") }
        return body
    }
}
