public import Prometheus

/// Where `/metrics` reads from and the token a scraper must send. Without one, `/metrics` is not
/// served: the counts say how the register is used, which is not for anyone who asks.
public struct MetricsExport: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let token: String

    public init(registry: PrometheusCollectorRegistry, token: String) {
        (self.registry, self.token) = (registry, token)
    }
}
