import CustodianCore
import CustodianStorage
import Foundation

/// The master key that wraps every subject key. It never lives in the database: it comes from the
/// environment or a key file, and the embedded default makes its own file on first start.
enum MasterKey {
    static let environmentVariable = "CUSTODIAN_MASTER_KEY"

    static func load(_ options: StoreOptions, location: DatabaseLocation) throws -> Data {
        if let text = ProcessInfo.processInfo.environment[environmentVariable], !text.isEmpty {
            return try decode(text, from: environmentVariable)
        }
        let path: String
        if let file = options.masterKeyFile {
            path = file
        } else if case .sqlite(let db) = location {
            path = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("master.key").path
        } else {
            throw CommandError("PostgreSQL needs a master key: set \(environmentVariable) (base64 of 32 bytes) or pass --master-key-file")
        }
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            return try decode(text, from: path)
        }
        guard options.masterKeyFile == nil else { throw CommandError("cannot read the master key file \(path)") }
        let key = Keyring.generateMasterKey()
        guard FileManager.default.createFile(atPath: path, contents: Data((key.base64EncodedString() + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw CommandError("cannot create the master key file \(path)")
        }
        return key
    }

    private static func decode(_ text: String, from source: String) throws -> Data {
        guard let key = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), key.count == Keyring.masterKeyBytes else {
            throw CommandError("\(source) must hold the base64 of exactly 32 bytes")
        }
        return key
    }
}

struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
