import HTTPTypes
import Hummingbird
import Instrumentation
import Tracing

/// A server span per request, continuing the caller's trace (W3C `traceparent`) when it sends
/// one. It says what the request log says: the method, the route's pattern, the status and the
/// request id, so a trace and a log line find each other. Never the address (its path holds ids,
/// its query can hold a name searched for), headers, the peer or an error's words: Hummingbird's
/// `TracingMiddleware` records those, so it is not used.
struct RequestSpanMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var parent = InstrumentationContext.current ?? .topLevel
        InstrumentationSystem.instrument.extract(request.headers, into: &parent, using: FieldsExtractor())
        let span = startSpan("HTTP \(request.method.rawValue)", context: parent, ofKind: .server)
        defer { span.end() }
        span.attributes["http.request.method"] = request.method.rawValue
        span.attributes["custodian.request_id"] = context.id
        do {
            let response = try await InstrumentationContext.$current.withValue(span.context) { try await next(request, context) }
            finish(span, request, context, status: Int(response.status.code))
            return response
        } catch {
            finish(span, request, context, status: Int((error as? any HTTPResponseError)?.status.code ?? 500))
            throw error
        }
    }

    private func finish(_ span: any Span, _ request: Request, _ context: Context, status: Int) {
        if let route = context.endpointPath {
            span.operationName = "\(request.method.rawValue) \(route)"
            span.attributes["http.route"] = route
        }
        span.attributes["http.response.status_code"] = status
        if status >= 500 { span.setStatus(SpanStatus(code: .error)) }
    }
}

private struct FieldsExtractor: Extractor {
    func extract(key: String, from fields: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { fields[$0] }
    }
}
