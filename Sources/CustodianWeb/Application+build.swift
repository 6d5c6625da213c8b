import CustodianAPI
public import CustodianCore
import Foundation
public import Hummingbird
public import Logging
import OpenAPIHummingbird
import OpenAPIRuntime

/// Where and how the HTTP server listens.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    public init(host: String = "127.0.0.1", port: Int = 8080) { (self.host, self.port) = (host, port) }
}

/// The composition root of the HTTP side: routes, middleware, the generated API.
public func buildApplication(register: Register, directory: Directory, settings: ServerSettings,
                             logger: Logger = Logger(label: "custodian")) throws -> some ApplicationProtocol {
    let router = Router()
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ProblemMiddleware())
    let document = try OpenAPIDocument.yaml()
    router.get("/openapi.yaml") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: document)))
    }
    router.get("/health") { _, _ in "ok\n" }
    let api = router.group().add(middleware: AuthenticationMiddleware(directory: directory))
    try APIHandler(register: register, directory: directory).registerHandlers(on: api, serverURL: try Servers.Server1.url())
    return Application(router: router, configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "Custodian"),
                       logger: logger)
}
