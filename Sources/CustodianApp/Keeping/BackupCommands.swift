import ArgumentParser
import Configuration
import CustodianCore
import CustodianStorage
import Foundation

/// `custodian backup`, logged: a consistent copy of a SQLite register and its key store, taken
/// while no server holds it (a server takes its own, on the schedule its settings give), or a
/// pgBackRest backup of a PostgreSQL register, taken while it serves.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back the register and its key store up, logged: SQLite into a new folder under --to, PostgreSQL through pgBackRest.")
    @OptionGroup var store: StoreOptions
    @Option(help: "SQLite: the folder backups are kept in; each backup is a folder of its own in it. Also CUSTODIAN_BACKUP_DIRECTORY.")
    var to: String?
    @OptionGroup var pgBackRestFlags: PgBackRestOptions

    func run() async throws {
        var given = store.commandLine.merging(pgBackRestFlags.commandLine) { first, _ in first }
        if let to { given[.backupDirectory] = .string(to) }
        let settings = try await Settings.load(commandLine: given, file: store.config)
        var problems: [String] = []
        let storeSettings = StoreSettings.read(settings, &problems)
        let directory = settings.string(.backupDirectory, &problems)
        let pgBackRest = PgBackRest.read(settings, for: storeSettings.database, &problems)
        guard problems.isEmpty else { throw SettingsError(problems) }
        try await Runtime.with(storeSettings) { runtime in
            let record = try await Backups(runtime: runtime, pgBackRest: pgBackRest).take(into: directory, by: Directory.commandLine)
            if let directory, pgBackRest == nil {
                say(
                    "backed up to \(URL(fileURLWithPath: directory).appendingPathComponent(record.name).path): its log holds \(record.entries) entries"
                )
            } else {
                say("backed up as \(record.name) through pgBackRest: it holds the log's first \(record.entries) entries at least")
            }
        }
    }
}

/// `custodian restore`: puts a SQLite backup in the register's place (`--database`), or takes a
/// PostgreSQL register pgBackRest has put back, refusing either when it loses or rewrites entries
/// the register published, unless a governance user acknowledges it.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Put a backup in the register's place; a rollback needs governance's acknowledgement.",
        discussion: """
            The backup's files are checked against its manifest, its log verified, and set against the newest checkpoint \
            the register published (kept beside it, and --checkpoint). A restore that would lose or rewrite published \
            entries is refused, and the refusal logged, unless --governance-token-file holds a governance user's API \
            token and --reason says why. Keys destroyed since the backup stay destroyed.
            """)
    @OptionGroup var store: StoreOptions
    @Option(help: "The backup's folder (custodian-YYYYMMDDTHHMMSSZ); on PostgreSQL, the name of the backup pgBackRest put back.")
    var from: String
    @Option(help: "A signed checkpoint kept elsewhere: the restored log must hold it too.") var checkpoint: String?
    @Option(help: "A file holding a governance user's API token, acknowledging a rollback.") var governanceTokenFile: String?
    @Option(help: "Why a rollback is acknowledged.") var reason: String?

    func run() async throws {
        var token: String?
        if let governanceTokenFile {
            guard let text = try? String(contentsOfFile: governanceTokenFile, encoding: .utf8) else {
                throw CommandError("cannot read \(governanceTokenFile)")
            }
            token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let settings = try await store.settings()
        let report: Restore.Report
        if case .postgres = settings.database {
            report = try await PostgresRestore(
                name: from, into: settings, outsideCheckpoint: checkpoint, governanceToken: token, reason: reason
            ).run()
        } else {
            report = try await Restore(
                folder: URL(fileURLWithPath: from), into: settings, outsideCheckpoint: checkpoint, governanceToken: token, reason: reason
            ).run()
        }
        say("restored \(report.name): the log now holds \(report.entries) entries; \(report.continuity); \(report.erasures)")
    }
}
