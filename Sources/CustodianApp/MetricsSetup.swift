import CustodianWeb
import Foundation
import Metrics
import Prometheus

/// Metrics are on when a scraper's token is given (`CUSTODIAN_METRICS_TOKEN`): then every metric
/// the server records goes to one Prometheus registry, served at `/metrics` to that token alone.
enum MetricsSetup {
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> MetricsExport? {
        guard let token = environment["CUSTODIAN_METRICS_TOKEN"], !token.isEmpty else { return nil }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return MetricsExport(registry: registry, token: token)
    }
}
