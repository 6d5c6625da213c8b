import CustodianCore
import CustodianStorage
import Foundation

/// A 32-byte secret that never lives in the database: from an environment variable or a key file,
/// and, for the embedded default, a file made beside the database on first start. Two of them:
/// the master key that wraps every subject key, and the audit log's Ed25519 signing key.
struct KeyFile {
    let purpose: String
    let environmentVariable: String
    let defaultName: String

    static let master = KeyFile(purpose: "master key", environmentVariable: "CUSTODIAN_MASTER_KEY", defaultName: "master.key")
    static let auditSigning = KeyFile(
        purpose: "audit signing key", environmentVariable: "CUSTODIAN_AUDIT_KEY", defaultName: "audit-signing.key")

    func load(explicitPath: String?, location: DatabaseLocation) throws -> Data {
        if let text = ProcessInfo.processInfo.environment[environmentVariable], !text.isEmpty {
            return try decode(text, from: environmentVariable)
        }
        guard let path = path(explicit: explicitPath, location: location) else {
            throw CommandError("PostgreSQL needs a \(purpose): set \(environmentVariable) (base64 of 32 bytes) or name its file")
        }
        try PrivateFiles.requirePrivate(path, purpose + " file")
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            return try decode(text, from: path)
        }
        guard explicitPath == nil else { throw CommandError("cannot read the \(purpose) file \(path)") }
        let key = Keyring.generateMasterKey()
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data((key.base64EncodedString() + "\n").utf8),
                attributes: [.posixPermissions: 0o600])
        else {
            throw CommandError("cannot create the \(purpose) file \(path)")
        }
        return key
    }

    /// The key's file: the one named, or for a SQLite register the default beside it; nil for
    /// PostgreSQL with none named.
    func path(explicit: String?, location: DatabaseLocation) -> String? {
        if let explicit { return explicit }
        guard case .sqlite(let db) = location else { return nil }
        return path(explicit: nil, besideRegister: db)
    }

    func path(explicit: String?, besideRegister register: String) -> String {
        explicit ?? URL(fileURLWithPath: register).deletingLastPathComponent().appendingPathComponent(defaultName).path
    }

    private func decode(_ text: String, from source: String) throws -> Data {
        guard let key = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), key.count == 32 else {
            throw CommandError("\(source) must hold the base64 of exactly 32 bytes")
        }
        return key
    }
}

struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
