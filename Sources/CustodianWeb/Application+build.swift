import CustodianAPI
public import CustodianCore
import Foundation
public import Hummingbird
public import Logging
import OpenAPIHummingbird
import OpenAPIRuntime
import HummingbirdCore
import HummingbirdTLS
import Prometheus

/// Where and how the HTTP server listens.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// Marks session cookies Secure. Set when Custodian is served over TLS (behind a terminating
    /// proxy); browsers will then send the cookie over HTTPS only.
    public var secureCookies: Bool
    public var sessionPolicy: SessionPolicy
    /// Seconds a connection may stay open sending nothing before it is closed.
    public var idleConnectionSeconds: Int64
    /// `/metrics`, behind its token; nil serves none.
    public var metrics: MetricsExport?
    /// HTTPS served directly; nil serves plain HTTP (behind a terminating proxy, or on loopback).
    public var tls: ServerTLS?
    /// Parts of readiness the server holds rather than the register: the audit log's lease.
    public var alsoReady: [@Sendable () -> Readiness.Check]
    public init(
        host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = false, sessionPolicy: SessionPolicy = SessionPolicy(),
        idleConnectionSeconds: Int64 = 30, metrics: MetricsExport? = nil, tls: ServerTLS? = nil,
        alsoReady: [@Sendable () -> Readiness.Check] = []
    ) {
        (self.host, self.port, self.secureCookies, self.sessionPolicy) = (host, port, secureCookies || tls != nil, sessionPolicy)
        (self.idleConnectionSeconds, self.metrics, self.tls, self.alsoReady) = (idleConnectionSeconds, metrics, tls, alsoReady)
    }
}

/// The composition root of the HTTP side: routes, middleware, the generated API.
public func buildApplication(
    register: Register, directory: Directory, settings: ServerSettings, jobs: JobBoard? = nil,
    logger: Logger = Logger(label: "custodian")
) throws -> some ApplicationProtocol {
    let router = Router()
    router.add(middleware: RequestSpanMiddleware())
    // Requests by route pattern (never the address itself, which can hold an id), method and status.
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: BodyLimitMiddleware())
    let document = try OpenAPIDocument.yaml()
    router.get("/openapi.yaml") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: document)))
    }
    if let metrics = settings.metrics {
        router.get("/metrics") { request, _ in
            guard let sent = request.headers[.authorization], Pages.constantTimeEqual(sent, "Bearer \(metrics.token)") else {
                return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"])
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.registry.emitToString())))
        }
    }
    // Live: the process answers. Ready: the parts it needs answer too (`Register.readiness`).
    router.get("/health") { _, _ in "ok\n" }
    router.get("/health/live") { _, _ in "live\n" }
    router.get("/health/ready") { [alsoReady = settings.alsoReady] _, _ in
        let readiness = Readiness(checks: await register.readiness().checks + alsoReady.map { $0() })
        let lines = readiness.checks.map { "\($0.part): \($0.state)\n" }.joined()
        return Response(
            status: readiness.isReady ? .ok : .serviceUnavailable,
            headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: (readiness.isReady ? "ready\n" : "not ready\n") + lines)))
    }
    // The key that signs package manifests and log checkpoints is public: anyone (a partner, the
    // person, the regulator) verifies with their own tools, without an account.
    let verifier = register.ledger.verifier
    let keys =
        "{\"origin\":\"\(verifier.name)\",\"algorithm\":\"Ed25519\",\"publicKey\":\"\(verifier.rawPublicKey.base64EncodedString())\",\"verifierKey\":\"\(verifier.verifierKey)\"}\n"
    router.get("/.well-known/custodian/keys") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: keys)))
    }
    let sessions = Sessions(register: register, policy: settings.sessionPolicy, hasher: BcryptHasher())
    Pages(
        register: register, directory: directory, sessions: sessions, renderer: try PageRenderer(), assets: try PageAssets(),
        jobs: jobs ?? JobBoard(clock: register.clock, ids: register.ids), logger: logger, secureCookies: settings.secureCookies
    ).routes(on: router)
    let api = router.group().add(middleware: AuthenticationMiddleware(directory: directory))
    try APIHandler(register: register, directory: directory).registerHandlers(
        on: api, serverURL: try Servers.Server1.url(),
        middlewares: [RefuseNullsMiddleware()])
    // A connection that sends nothing for this long is closed: a client holding thousands of
    // half-open connections would otherwise use up the process's file descriptors.
    let http = HTTPServerBuilder.http1(configuration: .init(idleTimeout: .seconds(settings.idleConnectionSeconds)))
    return Application(
        router: router, server: try settings.tls.map { try .tls(http, tlsConfiguration: $0.configuration) } ?? http,
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "Custodian"), logger: logger)
}
