import HTTPTypes
import Hummingbird
import Logging

/// One line per request at `info`: the route's pattern (never the address, whose path can hold an
/// id and whose query a name), the method, the status and the time taken, under the request id
/// Hummingbird puts on every line a request logs. The id goes back in `X-Request-Id`, so someone
/// reporting a problem can name the request and an operator find its lines.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            var response = try await next(request, context)
            response.headers[.xRequestID] = context.id
            log(request, context, status: Int(response.status.code), since: start)
            return response
        } catch {
            log(request, context, status: Int((error as? any HTTPResponseError)?.status.code ?? 500), since: start)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: Int, since start: ContinuousClock.Instant) {
        let took = (ContinuousClock.now - start).components
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method)", "route": "\(context.endpointPath ?? "unmatched")", "status": "\(status)",
                "ms": "\(took.seconds * 1000 + took.attoseconds / 1_000_000_000_000_000)",
            ])
    }
}
