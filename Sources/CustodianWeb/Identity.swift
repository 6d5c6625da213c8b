public import CustodianCore

/// The signed-in user for the request being handled. Set by the authentication middleware; the
/// generated OpenAPI handlers receive no request context, so it travels as a task-local value.
public enum Identity {
    @TaskLocal public static var current: User?

    static func required() throws -> User {
        guard let user = current else { throw RegisterError.unauthenticated("sign in with a bearer token") }
        return user
    }
}
