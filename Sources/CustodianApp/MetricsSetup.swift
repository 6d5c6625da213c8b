import CustodianWeb
import Metrics
import Prometheus

/// Metrics are on when a scraper's token is given (`metrics.token`, `CUSTODIAN_METRICS_TOKEN`): then
/// every metric the server records goes to one Prometheus registry, served at `/metrics` to that
/// token alone.
enum MetricsSetup {
    static func export(token: String?) -> MetricsExport? {
        guard let token else { return nil }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return MetricsExport(registry: registry, token: token)
    }
}
