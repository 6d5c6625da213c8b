public import CustodianStorage
import Foundation

/// Where the register is and how to unlock it: what every command needs, checked before anything opens.
public struct StoreSettings: Sendable {
    public var database: DatabaseLocation
    public var keyStore: DatabaseLocation?
    public var masterKeyFile: String?
    public var auditKeyFile: String?
    public var auditOrigin: String
    /// Where the newest checkpoint the register published is kept, outside its database; for
    /// SQLite, beside it when not named.
    public var checkpointFile: String? = nil
    /// The witnesses each checkpoint goes to, and whose cosignatures `audit verify` checks.
    var witnesses: [WitnessEndpoint] = []

    static let defaultDatabase = "data/custodian.sqlite"
    static let defaultAuditOrigin = "custodian.local/audit"

    static func read(_ settings: Settings, _ problems: inout [String]) -> StoreSettings {
        let database = DatabaseLocation(settings.string(.database, &problems) ?? defaultDatabase)
        let origin = settings.string(.auditOrigin, &problems) ?? defaultAuditOrigin
        if origin.contains(where: { $0.isWhitespace || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } }) {
            problems.append("\(Setting.auditOrigin): the log's origin is one line with no spaces (as custodian.example/audit)")
        }
        var witnesses: [WitnessEndpoint] = []
        if let text = settings.string(.witnesses, &problems) {
            do { witnesses = try WitnessEndpoint.list(text, origin: origin) } catch { problems.append("\(Setting.witnesses): \(error)") }
        }
        var read = StoreSettings(
            database: database, keyStore: settings.string(.keyStore, &problems).map(DatabaseLocation.init),
            masterKeyFile: settings.string(.masterKeyFile, &problems), auditKeyFile: settings.string(.auditKeyFile, &problems),
            auditOrigin: origin, checkpointFile: settings.string(.checkpointFile, &problems))
        read.witnesses = witnesses
        read.checkKey(.masterKeyFile, read.masterKeyFile, KeyFile.master, settings.environment, &problems)
        read.checkKey(.auditKeyFile, read.auditKeyFile, KeyFile.auditSigning, settings.environment, &problems)
        return read
    }

    /// A key named by its file must be there, and be its owner's alone; PostgreSQL has no folder
    /// to make one in, so it needs one named or given in the environment.
    private func checkKey(_ setting: Setting, _ path: String?, _ key: KeyFile, _ environment: [String: String], _ problems: inout [String])
    {
        if let text = environment[key.environmentVariable], !text.isEmpty { return }
        guard let path else {
            if case .postgres = database {
                problems.append("\(setting): PostgreSQL needs the \(key.purpose) in a file named here, or in \(key.environmentVariable)")
            }
            return
        }
        guard FileManager.default.fileExists(atPath: path) else {
            problems.append("\(setting): there is no \(key.purpose) file at \(path)")
            return
        }
        do {
            try PrivateFiles.requirePrivate(path, key.purpose + " file")
        } catch {
            problems.append("\(setting): \(error)")
        }
    }
}
