public import ArgumentParser
import CustodianCore
import CustodianStorage
import CustodianWeb
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// `custodian`: the one command for running and administering the register.
public struct CustodianCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "custodian",
        abstract: "A register of people involved in, or at risk from, serious violence, held lawfully.",
        version: CustodianVersion.current,
        subcommands: [
            Serve.self, ConfigCommand.self, Migrate.self, Demo.self, UserCommand.self, AuditCommand.self, RecordOfProcessingCommand.self,
            EqualityCommand.self, BaselineCommand.self, ImportCommand.self, DuplicatesCommand.self, BackupCommand.self,
            RestoreCommand.self, DecommissionCommand.self, WitnessCommand.self,
        ])

    public init() {}
}

struct Serve: AsyncParsableCommand, Sendable {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP server (migrates first).")
    @OptionGroup var store: StoreOptions
    @OptionGroup var http: ServeOptions
    @ArgumentParser.Flag(help: "Fill an empty register with synthetic demo data first.") var demo = false

    func run() async throws {
        let (store, serve) = try await http.settings(with: self.store)
        let logger = Logger(label: "custodian")
        // The PostgreSQL pools run in the group, listed first so they stop last: after the HTTP
        // server has drained and the register has closed.
        let pools = PostgresRunLoops()
        let server = ServedRegister(
            store: store, serve: serve, demo: demo, pools: pools, metrics: MetricsSetup.export(token: serve.metricsToken), logger: logger)
        // The span exporter, when there is one, goes first, so it stops after everything that makes spans.
        let tracing = try TracingSetup.export(to: serve.otlpEndpoint, logger: logger)
        var configuration = ServiceGroupConfiguration(
            services: (tracing.map { [$0] } ?? []) + [pools, server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = StopDeadline.drain
        try await ServiceGroup(configuration: configuration).run()
    }
}

/// The register and everything served from it, as one service: opened (and migrated) once the
/// pools are running, then the HTTP server, the checkpoint publisher and the review sweep, which
/// stop on the group's graceful shutdown before the register closes.
struct ServedRegister: Service {
    let store: StoreSettings
    let serve: ServeSettings
    let demo: Bool
    let pools: PostgresRunLoops
    let metrics: MetricsExport?
    let logger: Logger

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await serveRegister()
        } onGracefulShutdown: { [logger] in
            StopDeadline.start(logger: logger)
        }
    }

    private func serveRegister() async throws {
        try await Runtime.with(store, pool: .group(pools), serving: true) { runtime in
            if demo {
                if try await DemoData.isEmpty(runtime) {
                    try await DemoData.load(into: runtime, subjects: DemoData.defaultSubjects, seed: DemoData.defaultSeed)
                } else {
                    say("The register already holds users; demo data not loaded again. Issue tokens with `custodian user token`.")
                }
            }
            // A witness that cosigned a larger log, or another, has caught a rollback or a fork: no start.
            for witness in store.witnesses {
                do {
                    _ = try await WitnessCollector.submit(runtime.ledger, to: witness)
                } catch let finding as WitnessCollector.Finding {
                    throw CommandError("\(finding). Put back the register its witnesses cosigned")
                } catch {
                    logger.warning("witness did not answer at start", metadata: ["witness": "\(witness.name)", "error": "\(error)"])
                }
            }
            let scheme = serve.tls == nil ? "http" : "https"
            say("Custodian on \(scheme)://\(serve.host):\(serve.port) (\(runtime.location)): pages at /, the API contract at /openapi.yaml")
            let app = try buildApplication(
                register: runtime.register, directory: runtime.directory,
                settings: ServerSettings(
                    host: serve.host, port: serve.port, secureCookies: serve.secureCookies,
                    idleConnectionSeconds: serve.idleConnectionSeconds, metrics: metrics, tls: serve.tls,
                    alsoReady: runtime.lease.map { lease in [{ lease.readiness }] } ?? []))
            let publisher = CheckpointPublisher(
                ledger: runtime.ledger, kept: runtime.published, interval: .milliseconds(250), logger: logger)
            let sweeper = ReviewSweeper(register: runtime.register, interval: .seconds(3600), logger: logger)
            var services: [any Service] = [app, publisher, sweeper]
            if !store.witnesses.isEmpty {
                services.append(WitnessCollector(ledger: runtime.ledger, witnesses: store.witnesses, interval: .seconds(5), logger: logger))
            }
            if serve.backupDirectory != nil || serve.pgBackRest != nil {
                services.append(
                    BackupSchedule(
                        backups: Backups(runtime: runtime, pgBackRest: serve.pgBackRest), directory: serve.backupDirectory,
                        interval: .seconds(60 * serve.backupIntervalMinutes), logger: logger))
            }
            if runtime.published == nil, case .postgres = runtime.location {
                logger.warning(
                    "no checkpointFile is set: a rollback of this PostgreSQL register (an older backup restored) is not seen at opening")
            }
            try await ServiceGroup(configuration: .init(services: services, logger: logger)).run()
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or update the database schema.")
    @OptionGroup var store: StoreOptions

    func run() async throws {
        // Opening the runtime migrates the register and its key store, and moves any keys an
        // older register kept beside its data.
        try await Runtime.with(store) { runtime in say("\(runtime.location) and its key store are up to date") }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Fill an empty register with synthetic London demo data and demo users.")
    @OptionGroup var store: StoreOptions
    @Option(help: "How many subjects.") var subjects = DemoData.defaultSubjects
    @Option(help: "Random seed: the same seed gives the same people.") var seed = DemoData.defaultSeed

    func run() async throws {
        try await Runtime.with(store) { runtime in
            guard try await DemoData.isEmpty(runtime) else {
                throw CommandError("the register is not empty; demo data goes into a new database (use --database)")
            }
            try await DemoData.load(into: runtime, subjects: subjects, seed: seed)
        }
    }
}

extension CustodianCommand {
    /// Parses the process arguments and runs the chosen subcommand; the executable's whole body.
    public static func runFromCommandLine() async { await main() }
}

/// Writes a line straight to standard output, unbuffered, so tokens and progress show at once even
/// when output goes to a file or pipe while the server runs on.
public func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
