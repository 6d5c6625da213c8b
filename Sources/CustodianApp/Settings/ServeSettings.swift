import CustodianStorage

/// What the HTTP server listens on and how it treats connections.
struct ServeSettings: Sendable {
    var host: String
    var port: Int
    var idleConnectionSeconds: Int64
    var secureCookies: Bool
    /// The scraper's bearer token; metrics are off without one.
    var metricsToken: String?
    /// Where a serving SQLite register backs itself up, and how often; off without a directory.
    var backupDirectory: String?
    var backupIntervalMinutes: Int

    static let backupMinutes = 1...10_080

    static let ports = 1...65_535
    static let idleSeconds = 1...3_600
    /// Long enough that guessing it is out of reach.
    static let shortestMetricsToken = 24

    /// The store's settings and the server's, read together, so one start names every problem.
    static func read(_ settings: Settings, _ problems: inout [String]) -> (StoreSettings, ServeSettings) {
        let store = StoreSettings.read(settings, &problems)
        let serve = read(serving: settings, &problems)
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
        let backupDirectory = settings.string(.backupDirectory, &problems)
        let backupInterval = settings.int(.backupIntervalMinutes, &problems) ?? 1_440
        if !backupMinutes.contains(backupInterval) {
            problems.append("\(Setting.backupIntervalMinutes): from 1 minute to a week (10080); \(backupInterval) is not")
        }
        return ServeSettings(
            host: host, port: port, idleConnectionSeconds: Int64(idle), secureCookies: settings.bool(.secureCookies, &problems) ?? false,
            metricsToken: token, backupDirectory: backupDirectory, backupIntervalMinutes: backupInterval)
    }
}
