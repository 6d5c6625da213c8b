/// What the HTTP server listens on and how it treats connections.
struct ServeSettings: Sendable {
    var host: String
    var port: Int
    var idleConnectionSeconds: Int64
    var secureCookies: Bool
    /// The scraper's bearer token; metrics are off without one.
    var metricsToken: String?

    static let ports = 1...65_535
    static let idleSeconds = 1...3_600
    /// Long enough that guessing it is out of reach.
    static let shortestMetricsToken = 24

    static func read(_ settings: Settings, _ problems: inout [String]) -> ServeSettings {
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
        return ServeSettings(
            host: host, port: port, idleConnectionSeconds: Int64(idle), secureCookies: settings.bool(.secureCookies, &problems) ?? false,
            metricsToken: token)
    }
}
