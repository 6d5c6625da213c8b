public import CustodianCore
import CustodianWeb
public import Foundation
import Hummingbird
public import HTTPTypes
import HummingbirdTesting
public import Logging
import NIOCore
import Synchronization

/// A running Custodian on a loopback port, reached by real HTTP requests, with a bearer token for
/// every fixture user.
public struct LiveAPI: Sendable {
    public let fixture: RegisterFixture
    let client: any TestClientProtocol
    let tokens: [UserID: String]

    /// The bearer token the harness issued for `user`.
    public func token(for user: User) -> String? { tokens[user.id] }

    /// The same server, with a token for one more user (one made during the test).
    public func adding(_ user: User) async throws -> LiveAPI {
        var more = tokens
        more[user.id] = try await fixture.directory.issueToken(for: user.id, label: "test", validForDays: 30, by: Directory.commandLine)
        return LiveAPI(fixture: fixture, client: client, tokens: more)
    }

    /// Sends one request as `user`. `purpose` travels in the Custodian-Purpose and
    /// Custodian-Justification headers; nil sends neither. `json` is any JSONSerialization value.
    public func send(
        _ method: HTTPRequest.Method, _ path: String, as user: User?, purpose: StatedPurpose? = RegisterFixture.purpose,
        json: Any? = nil
    ) async throws -> APIResponse {
        var headers: HTTPFields = [:]
        if let user, let token = tokens[user.id] { headers[.authorization] = "Bearer \(token)" }
        if let purpose {
            headers[HTTPField.Name("Custodian-Purpose")!] = purpose.purpose.rawValue
            headers[HTTPField.Name("Custodian-Justification")!] = purpose.justification
        }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        }
        let response = try await client.executeRequest(uri: path, method: method, headers: headers, body: body)
        return APIResponse(status: Int(response.status.code), headers: response.headers, body: Data(response.body.readableBytesView))
    }
}

extension LiveAPI {
    /// Sends `body` with whatever content type (or none) a client chooses, as `user`.
    public func send(
        _ method: HTTPRequest.Method, _ path: String, as user: User?, contentType: String?, body: Data
    ) async throws -> APIResponse {
        var headers: HTTPFields = [:]
        if let user, let token = token(for: user) { headers[.authorization] = "Bearer \(token)" }
        if let contentType { headers[.contentType] = contentType }
        let response = try await client.executeRequest(uri: path, method: method, headers: headers, body: ByteBuffer(bytes: body))
        return APIResponse(status: Int(response.status.code), headers: response.headers, body: Data(response.body.readableBytesView))
    }
}

public struct APIResponse: Sendable, CustomStringConvertible {
    public let status: Int
    public let headers: HTTPFields
    public let body: Data

    /// The body as a JSON object, or empty when it is not one.
    public var object: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    public var array: [[String: Any]] { (try? JSONSerialization.jsonObject(with: body)) as? [[String: Any]] ?? [] }
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The fields named by a problem+json's violations.
    public var violatedFields: [String] { (object["violations"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String } }
    public var violatedRules: [String] { (object["violations"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String } }

    public var description: String { "\(status) \(text)" }
}

/// Runs `body` against the whole HTTP application serving a fresh register on `kind`, over a real
/// socket on a free loopback port.
public func withLiveAPI(
    _ kind: TestDatabase, clock: TestClock? = nil, baselines: Bool = true, logger: Logger = Logger(label: "custodian"),
    _ body: @escaping @Sendable (LiveAPI) async throws -> Void
) async throws {
    try await withRegister(kind, clock: clock?.clock ?? .system, baselines: baselines) { fixture in
        var tokens: [UserID: String] = [:]
        // The board member exists from the fixture's DPIA on; it gets a token like everyone else.
        for user in fixture.everyone + [try await fixture.boardMember()] {
            tokens[user.id] = try await fixture.directory.issueToken(
                for: user.id, label: "test", validForDays: 366, by: Directory.commandLine)
        }
        let app = try buildApplication(
            register: fixture.register, directory: fixture.directory, settings: LiveServer.settings, logger: logger)
        let issued = tokens
        try await app.test(.live) { client in
            try await body(LiveAPI(fixture: fixture, client: client, tokens: issued))
        }
    }
}

/// The settings a test's server runs with.
enum LiveServer {
    /// The test client keeps one connection and does not open another when the server closes it,
    /// as a browser would; under a loaded run, a test may sit longer than the production idle
    /// time between two requests. `scripts/slow-clients` tests the idle time itself.
    static var settings: ServerSettings { ServerSettings(host: "127.0.0.1", port: 0, idleConnectionSeconds: 3_600) }
}

/// Every line a logger writes, message and metadata, kept for a test to read: for checking that
/// the server's log never holds a token, a password or register content.
public final class LogCapture: Sendable {
    private let kept = Mutex<[String]>([])
    public init() {}

    public var lines: [String] { kept.withLock { $0 } }

    public var logger: Logger {
        var logger = Logger(label: "custodian.test") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.kept.withLock { $0.append("\(event.level) \(event.message) \(all)") }
        }
    }
}
