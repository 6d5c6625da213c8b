import Metrics
public import Prometheus

/// swift-metrics takes one backend per process: the test process's, made once, shared by every
/// suite that reads what was recorded.
public enum TestMetrics {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// The value of one series (name and labels exactly as written), 0 when it is not there.
    public static func value(_ series: String) -> Double {
        registry.emitToString().split(separator: "\n").first { $0.hasPrefix(series + " ") }
            .flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
    }
}
