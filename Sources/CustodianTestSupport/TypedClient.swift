public import CustodianAPI
public import CustodianCore
public import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
public import OpenAPIRuntime

/// The client generated from openapi.yaml, sending over the live test socket as one user: tests
/// call typed operations instead of building untyped JSON, so a test that compiles speaks the
/// contract.
struct LiveTransport: ClientTransport {
    let client: any TestClientProtocol
    let token: String?

    func send(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String) async throws -> (HTTPResponse, HTTPBody?) {
        var headers = request.headerFields
        if let token { headers[.authorization] = "Bearer \(token)" }
        var bytes: ByteBuffer?
        if let body { bytes = ByteBuffer(bytes: try await [UInt8](collecting: body, upTo: 16 << 20)) }
        let response = try await client.executeRequest(
            uri: baseURL.path + (request.path ?? ""), method: request.method,
            headers: headers, body: bytes)
        return (HTTPResponse(status: response.status, headerFields: response.headers), HTTPBody(Array(response.body.readableBytesView)))
    }
}

extension LiveAPI {
    /// The generated client acting as `user` (nil: no token).
    public func client(as user: User?) throws -> Client {
        Client(serverURL: try Servers.Server1.url(), transport: LiveTransport(client: client, token: user.flatMap { tokens[$0.id] }))
    }
}
