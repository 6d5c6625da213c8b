import CustodianStorage
import Foundation

extension PgBackRest {
    /// pgBackRest as the settings name it, for a PostgreSQL register; nil when no stanza is set.
    static func read(_ settings: Settings, for database: DatabaseLocation, _ problems: inout [String]) -> PgBackRest? {
        let config = settings.string(.pgBackRestConfig, &problems)
        guard let stanza = settings.string(.pgBackRestStanza, &problems) else {
            if config != nil { problems.append("\(Setting.pgBackRestConfig): names pgBackRest's file, but no stanza is set to back up") }
            return nil
        }
        guard case .postgres = database else {
            problems.append(
                "\(Setting.pgBackRestStanza): pgBackRest backs up PostgreSQL; a SQLite register is backed up into \(Setting.backupDirectory.key)"
            )
            return nil
        }
        guard isStanza(stanza) else {
            problems.append("\(Setting.pgBackRestStanza): a stanza is 1 to 64 letters, digits, '-', '_' or '.'; \(stanza) is not one")
            return nil
        }
        if let config, !FileManager.default.isReadableFile(atPath: config) {
            problems.append("\(Setting.pgBackRestConfig): there is no readable file at \(config)")
            return nil
        }
        return PgBackRest(stanza: stanza, config: config)
    }
}
