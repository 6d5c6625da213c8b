import ArgumentParser
import CustodianStorage
import Foundation

/// `custodian config check`: reads the settings exactly as `serve` would and says, for each, its
/// value and where it came from, or every problem that would stop the start. Secrets are shown
/// only as set or not.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Check Custodian's settings.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read the settings as serve would, print each with its source, and fail on any problem.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var http: ServeOptions

        func run() async throws {
            let report = Self.report(try await http.load(with: store, environment: nil))
            for line in report.lines { say(line) }
            guard report.problems.isEmpty else { throw SettingsError(report.problems) }
            say("The settings are sound: custodian serve would start with them.")
        }

        /// One line per setting (key, value, source) and the problems, as `serve` would meet them.
        static func report(_ settings: Settings) -> (lines: [String], problems: [String]) {
            var problems: [String] = []
            let (store, serve) = ServeSettings.read(settings, &problems)
            let shown: [(Setting, String)] = [
                (.database, store.database.description), (.keyStore, store.keyStore?.description ?? "beside the register"),
                (.masterKeyFile, store.masterKeyFile ?? "beside a SQLite register, or CUSTODIAN_MASTER_KEY"),
                (.auditKeyFile, store.auditKeyFile ?? "beside a SQLite register, or CUSTODIAN_AUDIT_KEY"),
                (.auditOrigin, store.auditOrigin),
                (
                    .witnesses,
                    store.witnesses.isEmpty ? "none: no one outside cosigns the log" : store.witnesses.map(\.name).joined(separator: ", ")
                ),
                (.checkpointFile, PublishedCheckpoint(store)?.path ?? "not set: a rollback of this register is not seen at opening"),
                (.host, serve.host), (.port, String(serve.port)),
                (.idleConnectionSeconds, String(serve.idleConnectionSeconds)), (.secureCookies, String(serve.secureCookies)),
                (.metricsToken, serve.metricsToken == nil ? "not set: /metrics is off" : "set (not shown)"),
                (.otlpEndpoint, serve.otlpEndpoint ?? "not set: no traces are exported"),
                (.tlsCertificateFile, serve.tls == nil ? "not set: plain HTTP" : "read"),
                (.tlsKeyFile, serve.tls == nil ? "not set" : "read (not shown)"),
                (.backupDirectory, serve.backupDirectory ?? "not set: the server takes no backups"),
                (.backupIntervalMinutes, String(serve.backupIntervalMinutes)),
                (.pgBackRestStanza, serve.pgBackRest?.stanza ?? "not set: the server takes no PostgreSQL backups"),
                (.pgBackRestConfig, serve.pgBackRest?.config ?? "pgBackRest's default"),
            ]
            let width = shown.map(\.0.key.count).max() ?? 0
            let lines = shown.map { setting, value in
                let said = settings.sources.found(setting)?.unreadable == true ? "cannot be read" : value
                return setting.key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + said + "  ("
                    + settings.source(of: setting)
                    + ")"
            }
            return (lines, problems)
        }
    }
}
