import Foundation
import CustodianStorage
import CustodianWeb

/// What the HTTP server listens on and how it treats connections.
struct ServeSettings: Sendable {
    var host: String
    var port: Int
    var idleConnectionSeconds: Int64
    var secureCookies: Bool
    /// The scraper's bearer token; metrics are off without one.
    var metricsToken: String?
    /// Where spans go, over OTLP/HTTP; tracing is off without it.
    var otlpEndpoint: String?
    /// Where a serving SQLite register backs itself up, and how often; off without a directory.
    var backupDirectory: String?
    var backupIntervalMinutes: Int
    /// What backs a serving PostgreSQL register up, on the same schedule; off without a stanza.
    var pgBackRest: PgBackRest?
    /// HTTPS served directly, read and checked at start; nil serves plain HTTP.
    var tls: ServerTLS?

    static let backupMinutes = 1...10_080

    static let ports = 1...65_535
    static let idleSeconds = 1...3_600
    /// Long enough that guessing it is out of reach.
    static let shortestMetricsToken = 24

    /// The store's settings and the server's, read together, so one start names every problem.
    static func read(_ settings: Settings, _ problems: inout [String]) -> (StoreSettings, ServeSettings) {
        let store = StoreSettings.read(settings, &problems)
        var serve = read(serving: settings, &problems)
        serve.pgBackRest = PgBackRest.read(settings, for: store.database, &problems)
        if serve.backupDirectory != nil, case .postgres = store.database {
            problems.append(
                "\(Setting.backupDirectory): a PostgreSQL register is backed up with pgBackRest and WAL archiving, not by Custodian")
        }
        return (store, serve)
    }

    private static func read(serving settings: Settings, _ problems: inout [String]) -> ServeSettings {
        let port = settings.int(.port, &problems) ?? 8080
        if !ports.contains(port) {
            problems.append("\(Setting.port): a TCP port is from 1 to 65535; \(port), from \(settings.source(of: .port)), is not one")
        }
        let idle = settings.int(.idleConnectionSeconds, &problems) ?? 30
        if !idleSeconds.contains(idle) {
            problems.append(
                "\(Setting.idleConnectionSeconds): from 1 to 3600 seconds; \(idle), from \(settings.source(of: .idleConnectionSeconds)), is not"
            )
        }
        let host = settings.string(.host, &problems) ?? "127.0.0.1"
        let token = settings.string(.metricsToken, &problems)
        if let token, token.count < shortestMetricsToken {
            problems.append("\(Setting.metricsToken): a scraper's token is at least \(shortestMetricsToken) characters")
        }
        let otlpEndpoint = settings.string(.otlpEndpoint, &problems)
        if let otlpEndpoint, !isEndpoint(otlpEndpoint) {
            problems.append(
                "\(Setting.otlpEndpoint): an OTLP/HTTP address is http:// or https://, a host and a path (http://collector:4318/v1/traces); \(otlpEndpoint) is not one"
            )
        }
        let backupDirectory = settings.string(.backupDirectory, &problems)
        let backupInterval = settings.int(.backupIntervalMinutes, &problems) ?? 1_440
        if !backupMinutes.contains(backupInterval) {
            problems.append("\(Setting.backupIntervalMinutes): from 1 minute to a week (10080); \(backupInterval) is not")
        }
        return ServeSettings(
            host: host, port: port, idleConnectionSeconds: Int64(idle), secureCookies: settings.bool(.secureCookies, &problems) ?? false,
            metricsToken: token, otlpEndpoint: otlpEndpoint, backupDirectory: backupDirectory, backupIntervalMinutes: backupInterval,
            tls: tls(settings, &problems))
    }

    private static func isEndpoint(_ text: String) -> Bool {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased()), let host = url.host, !host.isEmpty else {
            return false
        }
        return url.user == nil && url.password == nil && !text.contains(where: \.isWhitespace)
    }

    /// Both files or neither; the key its owner's alone; each one PEM of its kind.
    private static func tls(_ settings: Settings, _ problems: inout [String]) -> ServerTLS? {
        let certificate = settings.string(.tlsCertificateFile, &problems)
        let key = settings.string(.tlsKeyFile, &problems)
        guard let certificate, let key else {
            if certificate != nil || key != nil {
                problems.append(
                    "\(certificate == nil ? Setting.tlsCertificateFile : Setting.tlsKeyFile): HTTPS needs a certificate and its key; one is missing"
                )
            }
            return nil
        }
        do {
            try PrivateFiles.requirePrivate(key, "TLS private key")
        } catch {
            problems.append("\(Setting.tlsKeyFile): \(error)")
            return nil
        }
        do {
            return try ServerTLS(certificateFile: certificate, keyFile: key)
        } catch let error as TLSFileError {
            problems.append("\(error.description.hasPrefix(key) ? Setting.tlsKeyFile : Setting.tlsCertificateFile): \(error)")
        } catch {
            problems.append("\(Setting.tlsCertificateFile): \(error)")
        }
        return nil
    }
}
