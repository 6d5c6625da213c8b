import ArgumentParser
import CustodianCore
import Foundation

/// `custodian backup`: a consistent copy of a SQLite register and its key store, taken while no
/// server holds it (a server takes its own, on the schedule its settings give).
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the register and its key store into a new folder under --to, logged.")
    @OptionGroup var store: StoreOptions
    @Option(help: "The folder backups are kept in; each backup is a folder of its own in it.") var to: String

    func run() async throws {
        try await Runtime.with(store) { runtime in
            let record = try await Backups(runtime: runtime).take(into: to, by: Directory.commandLine)
            say(
                "backed up to \(URL(fileURLWithPath: to).appendingPathComponent(record.name).path): its log holds \(record.entries) entries"
            )
        }
    }
}

/// `custodian restore`: puts a backup in the register's place (`--database`), refusing one that
/// loses or rewrites entries the register published unless a governance user acknowledges it.
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
    @Option(help: "The backup's folder (custodian-YYYYMMDDTHHMMSSZ).") var from: String
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
        let restore = Restore(
            folder: URL(fileURLWithPath: from), into: try await store.settings(), outsideCheckpoint: checkpoint, governanceToken: token,
            reason: reason)
        let report = try await restore.run()
        say("restored \(report.name): the log now holds \(report.entries) entries; \(report.continuity); \(report.erasures)")
    }
}
