public import CustodianCore
public import Hummingbird

/// Resolves `Authorization: Bearer <token>` to a user for everything below it. No token, no entry.
public struct AuthenticationMiddleware<Context: RequestContext>: RouterMiddleware {
    let directory: Directory

    public init(directory: Directory) { self.directory = directory }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw RegisterError.unauthenticated("send an Authorization: Bearer token issued by an administrator")
        }
        let user = try await directory.authenticate(token: String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces))
        return try await Identity.$current.withValue(user) { try await next(request, context) }
    }
}

import Foundation
