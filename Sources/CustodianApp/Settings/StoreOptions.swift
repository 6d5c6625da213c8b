public import ArgumentParser
import Configuration

/// Where the register is and how to unlock it, as flags: shared by every subcommand. A flag left
/// out falls to the environment, then the configuration file, then the default.
public struct StoreOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: "A JSON file of settings (docs/operations.md lists them). Also CUSTODIAN_CONFIG.")
    public var config: String?

    @Option(name: .long, help: "A SQLite file path (default data/custodian.sqlite) or a postgres:// URL. Also CUSTODIAN_DATABASE.")
    public var database: String?

    @Option(
        name: .long,
        help:
            "File holding the base64 master key. Default for SQLite: master.key beside the database. Or put the key in CUSTODIAN_MASTER_KEY."
    )
    public var masterKeyFile: String?

    @Option(
        name: .long,
        help:
            "File holding the base64 Ed25519 key that signs audit checkpoints. Default for SQLite: audit-signing.key beside the database. Or put the key in CUSTODIAN_AUDIT_KEY."
    )
    public var auditKeyFile: String?

    @Option(
        name: .long,
        help:
            "Where subjects' keys live, apart from the data: a SQLite path or a postgres:// URL. Default: keys.sqlite beside a SQLite database; the schema custodian_keys for PostgreSQL. Also CUSTODIAN_KEY_STORE."
    )
    public var keyStore: String?

    @Option(
        name: .long,
        help: "The audit log's origin: the first line of every checkpoint and the name of its signing key. Also CUSTODIAN_AUDIT_ORIGIN.")
    public var auditOrigin: String?

    @Option(
        name: .long,
        help:
            "Where the newest checkpoint the register published is kept, outside its database, so a rollback is seen at opening. Default for SQLite: beside the database; for PostgreSQL, name one. Also CUSTODIAN_CHECKPOINT_FILE."
    )
    public var checkpointFile: String?

    @Option(
        name: .long,
        help:
            "The log's witnesses, 'VKEY URL' each (VKEY as custodian witness key prints it), separated by commas: each checkpoint is sent to them, and audit verify checks their cosignatures. Also CUSTODIAN_AUDIT_WITNESSES."
    )
    public var witnesses: String?

    public init() {}

    var commandLine: [Setting: ConfigContent] {
        var given: [Setting: ConfigContent] = [:]
        for (setting, value) in [
            (Setting.database, database), (.masterKeyFile, masterKeyFile), (.auditKeyFile, auditKeyFile), (.keyStore, keyStore),
            (.auditOrigin, auditOrigin), (.checkpointFile, checkpointFile), (.witnesses, witnesses),
        ] {
            if let value { given[setting] = .string(value) }
        }
        return given
    }

    /// The settings these flags, the environment and the file give, or every problem with them.
    public func settings() async throws -> StoreSettings {
        let settings = try await Settings.load(commandLine: commandLine, file: config)
        var problems: [String] = []
        let store = StoreSettings.read(settings, &problems)
        guard problems.isEmpty else { throw SettingsError(problems) }
        return store
    }
}

/// How the server listens, as flags; the same settings can come from the environment or the file.
struct ServeOptions: ParsableArguments, Sendable {
    @Option(help: "Address to listen on (default 127.0.0.1). Also CUSTODIAN_HTTP_HOST.") var host: String?
    @Option(help: "Port to listen on, 1 to 65535 (default 8080). Also CUSTODIAN_HTTP_PORT.") var port: Int?
    @Option(help: "Seconds a connection may send nothing before it is closed (default 30). Also CUSTODIAN_HTTP_IDLE_CONNECTION_SECONDS.")
    var idleConnectionSeconds: Int?
    @ArgumentParser.Flag(
        help:
            "Mark session cookies Secure: set when Custodian is served over TLS (behind a terminating proxy). Also CUSTODIAN_HTTP_SECURE_COOKIES."
    )
    var secureCookies = false
    @Option(help: "An OTLP/HTTP address to export traces to (http://collector:4318/v1/traces). Also CUSTODIAN_TRACING_OTLP_ENDPOINT.")
    var otlpEndpoint: String?
    @Option(help: "A PEM certificate chain: serve HTTPS directly (TLS 1.2 and later). Also CUSTODIAN_TLS_CERTIFICATE_FILE.")
    var tlsCertificateFile: String?
    @Option(help: "The PEM private key of that certificate, readable by its owner alone. Also CUSTODIAN_TLS_KEY_FILE.")
    var tlsKeyFile: String?
    @Option(help: "A folder the server backs a SQLite register up into, on a schedule. Also CUSTODIAN_BACKUP_DIRECTORY.")
    var backupDirectory: String?
    @Option(help: "Minutes between the server's backups (default 1440, a day). Also CUSTODIAN_BACKUP_INTERVAL_MINUTES.")
    var backupIntervalMinutes: Int?
    @OptionGroup var pgBackRestFlags: PgBackRestOptions

    var commandLine: [Setting: ConfigContent] {
        var given: [Setting: ConfigContent] = [:]
        if let host { given[.host] = .string(host) }
        if let port { given[.port] = .int(port) }
        if let idleConnectionSeconds { given[.idleConnectionSeconds] = .int(idleConnectionSeconds) }
        if secureCookies { given[.secureCookies] = .bool(true) }
        if let otlpEndpoint { given[.otlpEndpoint] = .string(otlpEndpoint) }
        if let tlsCertificateFile { given[.tlsCertificateFile] = .string(tlsCertificateFile) }
        if let tlsKeyFile { given[.tlsKeyFile] = .string(tlsKeyFile) }
        if let backupDirectory { given[.backupDirectory] = .string(backupDirectory) }
        if let backupIntervalMinutes { given[.backupIntervalMinutes] = .int(backupIntervalMinutes) }
        given.merge(pgBackRestFlags.commandLine) { first, _ in first }
        return given
    }

    /// Everything `serve` needs, read and checked together so one start names every problem.
    func settings(with store: StoreOptions, environment: [String: String]? = nil) async throws -> (StoreSettings, ServeSettings) {
        let settings = try await load(with: store, environment: environment)
        var problems: [String] = []
        let read = ServeSettings.read(settings, &problems)
        guard problems.isEmpty else { throw SettingsError(problems) }
        return read
    }

    func load(with store: StoreOptions, environment: [String: String]?) async throws -> Settings {
        let given = store.commandLine.merging(commandLine) { first, _ in first }
        return if let environment {
            try await Settings.load(commandLine: given, file: store.config, environment: environment)
        } else {
            try await Settings.load(commandLine: given, file: store.config)
        }
    }
}

/// pgBackRest as flags, for `serve` (its schedule) and `backup` alike.
struct PgBackRestOptions: ParsableArguments, Sendable {
    @Option(help: "PostgreSQL: pgBackRest's stanza for the register's cluster. Also CUSTODIAN_BACKUP_PGBACKREST_STANZA.")
    var pgbackrestStanza: String?
    @Option(help: "PostgreSQL: pgBackRest's configuration file, when not its default. Also CUSTODIAN_BACKUP_PGBACKREST_CONFIG.")
    var pgbackrestConfig: String?

    var commandLine: [Setting: ConfigContent] {
        var given: [Setting: ConfigContent] = [:]
        if let pgbackrestStanza { given[.pgBackRestStanza] = .string(pgbackrestStanza) }
        if let pgbackrestConfig { given[.pgBackRestConfig] = .string(pgbackrestConfig) }
        return given
    }
}
