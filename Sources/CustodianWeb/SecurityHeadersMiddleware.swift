public import Hummingbird

/// Headers that every response carries, API and pages alike.
public struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        // Register content must never sit in a shared or browser cache; only the hashed assets may.
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        response.headers[.xFrameOptions] = "DENY"
        return response
    }
}

import HTTPTypes

// Header names are literals, valid tokens (HTTPField.Name has no non-failable initialiser); the
// security-headers test reads each of them on every answer.
// swift-format-ignore: NeverForceUnwrap
extension HTTPField.Name {
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let xRequestID = Self("X-Request-Id")!
}
