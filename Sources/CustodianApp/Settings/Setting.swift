/// One thing an operator can set, under one name in each place it can be set: its key in the
/// configuration file, its environment variable and, where a command line may carry it, its flag.
/// A flag wins over the environment, which wins over the file, which wins over the default.
struct Setting: Sendable, Hashable, CustomStringConvertible {
    /// The key in the JSON configuration file; dots are nested objects (`http.port`).
    let key: String
    let environmentVariable: String
    /// Nil for a secret: a command line is seen by every user of the machine (`ps`).
    let flag: String?
    let isSecret: Bool

    init(_ key: String, _ environmentVariable: String, flag: String?, secret: Bool = false) {
        self.key = key
        self.environmentVariable = environmentVariable
        self.flag = flag
        self.isSecret = secret
    }

    /// How every message names it: all three of its names, so the operator finds it wherever it was set.
    var description: String { ([key] + [flag, environmentVariable].compactMap { $0 }).joined(separator: ", ") }

    static let database = Setting("database", "CUSTODIAN_DATABASE", flag: "--database")
    static let keyStore = Setting("keyStore", "CUSTODIAN_KEY_STORE", flag: "--key-store")
    static let masterKeyFile = Setting("masterKeyFile", "CUSTODIAN_MASTER_KEY_FILE", flag: "--master-key-file")
    static let auditKeyFile = Setting("auditKeyFile", "CUSTODIAN_AUDIT_KEY_FILE", flag: "--audit-key-file")
    static let auditOrigin = Setting("auditOrigin", "CUSTODIAN_AUDIT_ORIGIN", flag: "--audit-origin")
    static let witnesses = Setting("audit.witnesses", "CUSTODIAN_AUDIT_WITNESSES", flag: "--witnesses")
    static let checkpointFile = Setting("checkpointFile", "CUSTODIAN_CHECKPOINT_FILE", flag: "--checkpoint-file")
    static let host = Setting("http.host", "CUSTODIAN_HTTP_HOST", flag: "--host")
    static let port = Setting("http.port", "CUSTODIAN_HTTP_PORT", flag: "--port")
    static let idleConnectionSeconds = Setting(
        "http.idleConnectionSeconds", "CUSTODIAN_HTTP_IDLE_CONNECTION_SECONDS", flag: "--idle-connection-seconds")
    static let secureCookies = Setting("http.secureCookies", "CUSTODIAN_HTTP_SECURE_COOKIES", flag: "--secure-cookies")
    static let metricsToken = Setting("metrics.token", "CUSTODIAN_METRICS_TOKEN", flag: nil, secret: true)
    static let otlpEndpoint = Setting("tracing.otlpEndpoint", "CUSTODIAN_TRACING_OTLP_ENDPOINT", flag: "--otlp-endpoint")
    static let tlsCertificateFile = Setting("tls.certificateFile", "CUSTODIAN_TLS_CERTIFICATE_FILE", flag: "--tls-certificate-file")
    static let tlsKeyFile = Setting("tls.keyFile", "CUSTODIAN_TLS_KEY_FILE", flag: "--tls-key-file")
    static let backupDirectory = Setting("backup.directory", "CUSTODIAN_BACKUP_DIRECTORY", flag: "--backup-directory")
    static let backupIntervalMinutes = Setting(
        "backup.intervalMinutes", "CUSTODIAN_BACKUP_INTERVAL_MINUTES", flag: "--backup-interval-minutes")
    static let pgBackRestStanza = Setting("backup.pgbackrestStanza", "CUSTODIAN_BACKUP_PGBACKREST_STANZA", flag: "--pgbackrest-stanza")
    static let pgBackRestConfig = Setting("backup.pgbackrestConfig", "CUSTODIAN_BACKUP_PGBACKREST_CONFIG", flag: "--pgbackrest-config")

    /// Every setting there is: a file key outside this list is a mistake, and is refused.
    static let all: [Setting] = [
        database, keyStore, masterKeyFile, auditKeyFile, auditOrigin, witnesses, checkpointFile, host, port, idleConnectionSeconds,
        secureCookies,
        metricsToken, otlpEndpoint, backupDirectory, backupIntervalMinutes, pgBackRestStanza, pgBackRestConfig, tlsCertificateFile,
        tlsKeyFile,
    ]
}
