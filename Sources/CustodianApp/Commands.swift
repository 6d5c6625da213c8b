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
            Serve.self, Migrate.self, Demo.self, UserCommand.self, AuditCommand.self, RecordOfProcessingCommand.self, EqualityCommand.self,
            BaselineCommand.self, ImportCommand.self, DuplicatesCommand.self,
        ])

    public init() {}
}

/// Where the register is and how to unlock it. Shared by every subcommand.
public struct StoreOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: "A SQLite file path (the default) or a postgres:// URL. Also CUSTODIAN_DATABASE.")
    public var database: String = ProcessInfo.processInfo.environment["CUSTODIAN_DATABASE"] ?? "data/custodian.sqlite"

    @Option(
        name: .long,
        help: "File holding the base64 master key. Default for SQLite: master.key beside the database. Or set CUSTODIAN_MASTER_KEY.")
    public var masterKeyFile: String?

    @Option(
        name: .long,
        help:
            "File holding the base64 Ed25519 key that signs audit checkpoints. Default for SQLite: audit-signing.key beside the database. Or set CUSTODIAN_AUDIT_KEY."
    )
    public var auditKeyFile: String?

    @Option(
        name: .long,
        help:
            "Where subjects' keys live, apart from the data: a SQLite path or a postgres:// URL. Default: keys.sqlite beside a SQLite database; the schema custodian_keys for PostgreSQL. Also CUSTODIAN_KEY_STORE."
    )
    public var keyStore: String? = ProcessInfo.processInfo.environment["CUSTODIAN_KEY_STORE"]

    @Option(name: .long, help: "The audit log's origin: the first line of every checkpoint and the name of its signing key.")
    public var auditOrigin: String = ProcessInfo.processInfo.environment["CUSTODIAN_AUDIT_ORIGIN"] ?? "custodian.local/audit"

    public init() {}
}

struct Serve: AsyncParsableCommand, Sendable {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP server (migrates first).")
    @OptionGroup var store: StoreOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @ArgumentParser.Flag(help: "Fill an empty register with synthetic demo data first.") var demo = false
    @ArgumentParser.Flag(help: "Mark session cookies Secure: set when Custodian is served over TLS (behind a terminating proxy).")
    var secureCookies = false
    @Option(help: "Seconds a connection may send nothing before it is closed.") var idleConnectionSeconds: Int64 = 30

    func validate() throws {
        guard (1...65_535).contains(port) else {
            throw ValidationError("--port must be a TCP port from 1 to 65535; \(port) is not one")
        }
        guard (1...3_600).contains(idleConnectionSeconds) else {
            throw ValidationError("--idle-connection-seconds must be from 1 to 3600; \(idleConnectionSeconds) is not")
        }
    }

    func run() async throws {
        let logger = Logger(label: "custodian")
        // The PostgreSQL pools run in the group, listed first so they stop last: after the HTTP
        // server has drained and the register has closed.
        let pools = PostgresRunLoops()
        let server = ServedRegister(command: self, pools: pools, metrics: MetricsSetup.fromEnvironment(), logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [pools, server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// The register and everything served from it, as one service: opened (and migrated) once the
/// pools are running, then the HTTP server, the checkpoint publisher and the review sweep, which
/// stop on the group's graceful shutdown before the register closes.
struct ServedRegister: Service {
    let command: Serve
    let pools: PostgresRunLoops
    let metrics: MetricsExport?
    let logger: Logger

    func run() async throws {
        try await Runtime.with(command.store, pool: .group(pools)) { runtime in
            if command.demo {
                if try await DemoData.isEmpty(runtime) {
                    try await DemoData.load(into: runtime, subjects: DemoData.defaultSubjects, seed: DemoData.defaultSeed)
                } else {
                    say("The register already holds users; demo data not loaded again. Issue tokens with `custodian user token`.")
                }
            }
            say("Custodian on http://\(command.host):\(command.port) (\(runtime.location)): pages at /, the API contract at /openapi.yaml")
            let app = try buildApplication(
                register: runtime.register, directory: runtime.directory,
                settings: ServerSettings(
                    host: command.host, port: command.port, secureCookies: command.secureCookies,
                    idleConnectionSeconds: command.idleConnectionSeconds, metrics: metrics))
            let publisher = CheckpointPublisher(ledger: runtime.ledger, interval: .milliseconds(250), logger: logger)
            let sweeper = ReviewSweeper(register: runtime.register, interval: .seconds(3600), logger: logger)
            try await ServiceGroup(configuration: .init(services: [app, publisher, sweeper], logger: logger)).run()
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
