import CustodianCore
import Foundation
public import Hummingbird
import Logging
import NIOHTTP1
import OpenAPIRuntime

/// Every refusal and failure leaves as RFC 9457 `application/problem+json`, naming the field and
/// rule where there is one. Internal failures say nothing of their cause to the caller.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    /// What a failure may say in the server log: the operation and the kinds of error, nothing of
    /// their contents.
    static func loggable(_ error: any Error) -> String {
        if let server = error as? ServerError {
            return "operation \(server.operationID): \(String(reflecting: type(of: server.underlyingError)))"
        }
        return String(reflecting: type(of: error))
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem(error)
            if problem.status >= 500 {
                // The log learns what failed and where, never the request: an error's own
                // description can carry the headers (a bearer token), the body or the decoded
                // input (register content). The path is logged without its query string.
                context.logger.error("request failed", metadata: ["error": "\(Self.loggable(error))", "path": "\(request.uri.path)"])
            }
            return problem.response()
        }
    }
}

struct Problem: Encodable {
    let type: String
    let title: String
    let status: Int
    let detail: String?
    let rule: String?
    let violations: [FieldViolation]?

    init(type: String, title: String, status: Int, detail: String?, rule: String? = nil, violations: [FieldViolation]? = nil) {
        self.type = "urn:custodian:problem:" + type
        self.title = title
        self.status = status
        self.detail = detail
        self.rule = rule
        self.violations = violations
    }

    init(_ error: any Error) {
        var error = error
        // Errors from generated handlers arrive wrapped; the domain's own error is inside.
        if let server = error as? ServerError {
            if server.underlyingError is RegisterError || server.underlyingError is DecodingError {
                error = server.underlyingError
            } else if server.httpStatus.code < 500 {
                self.init(
                    type: "bad-request", title: "The request does not match the API contract", status: server.httpStatus.code,
                    detail: server.causeDescription)
                return
            } else {
                error = server.underlyingError
            }
        }
        switch error {
        case is HTTPParserError:
            self.init(type: "bad-request", title: "The request body is not valid HTTP", status: 400, detail: "nothing was written")
        case RegisterError.invalid(let violations):
            self.init(
                type: "invalid", title: "The request broke the register's rules; nothing was written", status: 422,
                detail: violations.map(\.description).joined(separator: "; "), violations: violations)
        case RegisterError.denied(let denial):
            self.init(type: "denied", title: "Refused by the access policy", status: 403, detail: denial.reason, rule: denial.rule.rawValue)
        case RegisterError.notFound(let kind, let id):
            self.init(type: "not-found", title: "Not found", status: 404, detail: "no \(kind) with id \(id)")
        case RegisterError.unauthenticated(let why):
            self.init(type: "unauthenticated", title: "Not signed in", status: 401, detail: why)
        case RegisterError.conflict(let why):
            self.init(type: "conflict", title: "Conflicts with what is held", status: 409, detail: why)
        case let decoding as DecodingError:
            let (path, message) = Self.describe(decoding)
            self.init(
                type: "invalid", title: "The request body is not valid JSON for this operation", status: 400, detail: "\(path): \(message)",
                violations: [FieldViolation(field: path, rule: "json.shape", message: message)])
        case let http as HTTPError:
            self.init(type: "http", title: http.status.reasonPhrase, status: http.status.code, detail: http.body)
        default:
            self.init(type: "internal", title: "Internal error", status: 500, detail: "the request failed; it has been logged")
        }
    }

    static func describe(_ error: DecodingError) -> (String, String) {
        func path(_ c: DecodingError.Context) -> String { c.codingPath.map(\.stringValue).joined(separator: ".") }
        switch error {
        case .keyNotFound(let key, let c): return ((c.codingPath + [key]).map(\.stringValue).joined(separator: "."), "is required")
        case .typeMismatch(let type, let c): return (path(c), "must be of type \(type)")
        case .valueNotFound(let type, let c): return (path(c), type == Any.self ? c.debugDescription : "must be a \(type), not null")
        case .dataCorrupted(let c): return (path(c).isEmpty ? "body" : path(c), c.debugDescription)
        @unknown default: return ("body", "could not be decoded")
        }
    }

    func response() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = (try? encoder.encode(self)) ?? Data()
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == 401 { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
