import Instrumentation
import Logging
import OTel
import ServiceLifecycle

/// Traces are on when an OTLP endpoint is given (`tracing.otlpEndpoint`): swift-otel's tracer
/// then exports every span, over OTLP/HTTP, to that address as it is (a collector's
/// `http://HOST:4318/v1/traces`). Only tracing is handed to OTel: metrics stay Prometheus's and
/// logs stay swift-log's. The standard `OTEL_*` variables refine the exporter (protocol, headers,
/// certificates, batching); `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` wins over the setting.
enum TracingSetup {
    /// Bootstraps the tracer and returns the service that batches and exports its spans: run it
    /// so it stops last, and the spans of the server's last requests still leave.
    static func export(to endpoint: String?, logger: Logger) throws -> (any Service)? {
        guard let endpoint else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = "custodian"
        configuration.resourceAttributes["service.version"] = CustodianVersion.current
        configuration.diagnosticLogger = .custom(logger)
        configuration.traces.enabled = true
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.endpoint = endpoint
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(backend.factory)
        return backend.service
    }
}
