public import CustodianCore
import CustodianWeb
public import Foundation
import Hummingbird
public import HTTPTypes
import HummingbirdTesting
import NIOCore
import Synchronization
import SQLKit
import CustodianStorage

/// A clock the test moves by hand: session idle limits, purpose periods and lock-outs are
/// checked against it, not against the wall.
public final class TestClock: Sendable {
    private let current: Mutex<Timestamp>
    public init(_ start: Timestamp = Timestamp(Date())) { current = Mutex(start) }
    public var clock: Clock { Clock { [self] in current.withLock { $0 } } }
    public func advance(seconds: Int64) { current.withLock { $0 = $0.adding(seconds: seconds) } }

    /// Noon on the last day of this calendar quarter: a test records events in a quarter, then
    /// moves a day on to read it published, without moving past any token's or training's date.
    public static func atQuarterEnd() -> TestClock {
        TestClock(Timestamp(Quarter(containing: Timestamp(Date()).day).until.startOfDay).adding(seconds: 12 * 3600))
    }

    /// Into the next calendar quarter, the one this clock is at now being over.
    public func advanceToNextQuarter() {
        current.withLock { now in
            let next = Quarter(containing: now.day).until.adding(days: 1)
            now = Timestamp(next.startOfDay).adding(seconds: 9 * 3600)
        }
    }
}

/// The pages of a running Custodian on a loopback port, reached by real HTTP requests from a
/// browser-like client that keeps cookies and reads forms' hidden fields.
public struct LivePages: Sendable {
    public let fixture: RegisterFixture
    public let clock: TestClock
    /// The server's jobs, for a test to start work it holds open and watch it from the pages.
    public let jobs: JobBoard
    let client: any TestClientProtocol
    public static let password = "a test passphrase long enough"

    /// A browser session: its own cookie jar.
    public final class Browser: Sendable {
        let client: any TestClientProtocol
        private let cookies = Mutex<[String: String]>([:])
        init(client: any TestClientProtocol) { self.client = client }

        public var cookieJar: [String: String] { cookies.withLock { $0 } }
        public func setCookie(_ name: String, _ value: String) { cookies.withLock { $0[name] = value } }

        public func get(_ path: String) async throws -> PageResponse { try await send(.get, path, body: nil) }

        /// Sends a form. `csrfFrom` is a page whose `_csrf` (or `_signin`) hidden field is copied in,
        /// as a real form would carry it.
        public func post(_ path: String, _ fields: [(String, String)], csrfFrom page: PageResponse? = nil) async throws -> PageResponse {
            var all = fields
            if let page {
                for name in ["_csrf", "_signin"] { if let value = page.hidden(name) { all.append((name, value)) } }
            }
            let body = all.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
            return try await send(.post, path, body: body)
        }

        /// Sends a form body exactly as given: what a hostile client sends, not what a form would.
        public func post(_ path: String, encoded body: String) async throws -> PageResponse {
            try await send(.post, path, body: body)
        }

        /// Sends a form with a file, as `<form enctype="multipart/form-data">` does: the fields, then
        /// the file under `fileField`, with the page's CSRF token copied in.
        public func upload(
            _ path: String, _ fields: [(String, String)], file: (field: String, name: String, content: String), csrfFrom page: PageResponse?
        ) async throws -> PageResponse {
            let boundary = "----custodian-test-\(UUID().uuidString)"
            var body = ""
            for (name, value) in fields + (page?.hidden("_csrf").map { [("_csrf", $0)] } ?? []) {
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
            }
            body +=
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: text/csv\r\n\r\n\(file.content)\r\n--\(boundary)--\r\n"
            return try await send(.post, path, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
        }

        /// Where a form that starts a job leads once the job has finished: its redirect followed,
        /// and the job's page checked again (as its button does) until it no longer runs. A
        /// response that is not a job's redirect is returned as it is.
        public func finished(_ response: PageResponse, within seconds: Double = 60) async throws -> PageResponse {
            guard response.status == 303, let job = response.location, job.hasPrefix("/jobs/") else { return response }
            return try await finishedJob(job, within: seconds)
        }

        /// A job's page once the job no longer runs.
        public func finishedJob(_ job: String, within seconds: Double = 60) async throws -> PageResponse {
            let deadline = ContinuousClock.now + .seconds(seconds)
            while true {
                let page = try await get(job)
                if !page.html.contains("data-job-state=\"running\"") || ContinuousClock.now > deadline { return page }
                try await Task.sleep(for: .milliseconds(20))
            }
        }

        /// Signs in through the sign-in form.
        @discardableResult
        public func signIn(_ username: String, password: String = LivePages.password) async throws -> PageResponse {
            let form = try await get("/signin")
            return try await post("/signin", [("username", username), ("password", password)], csrfFrom: form)
        }

        /// States a purpose through the purpose form.
        @discardableResult
        public func state(_ purpose: StatedPurpose) async throws -> PageResponse {
            let form = try await get("/purpose")
            return try await post(
                "/purpose", [("purpose", purpose.purpose.rawValue), ("justification", purpose.justification)], csrfFrom: form)
        }

        func send(
            _ method: HTTPRequest.Method, _ path: String, body: String?, contentType: String = "application/x-www-form-urlencoded"
        ) async throws -> PageResponse {
            // What a browser asks for, so the server answers as it would a person.
            var headers: HTTPFields = [.accept: "text/html,application/xhtml+xml,*/*;q=0.8"]
            let jar = cookieJar
            if !jar.isEmpty { headers[.cookie] = jar.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
            if body != nil { headers[.contentType] = contentType }
            let response = try await client.executeRequest(
                uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
            let setCookies = response.headers[values: .setCookie]
            cookies.withLock { jar in
                for line in setCookies {
                    let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    let (name, value) = (String(pair[0]), pair.count > 1 ? String(pair[1]) : "")
                    if value.isEmpty || line.contains("Max-Age=0") { jar[name] = nil } else { jar[name] = value }
                }
            }
            return PageResponse(
                status: Int(response.status.code), headers: response.headers, html: String(buffer: response.body),
                setCookies: setCookies)
        }

        static func escape(_ s: String) -> String {
            s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? s
        }
    }

    public func browser() -> Browser { Browser(client: client) }

    /// Gives a fixture user a page password, as an administrator would at creation.
    /// Test users' page password is hashed at bcrypt's lowest cost: the suite signs in hundreds of
    /// times at once on two cores, and production's cost (12) would spend minutes of it hashing.
    /// What is tested (the flow, lock-outs, the decoy for unknown names) does not depend on the cost.
    public func enablePages(for user: User) async throws {
        let hash = try await BcryptHasher.hash(Self.password, cost: 4)
        try await fixture.store.driver.transaction { db in
            try await db.raw("UPDATE users SET password_hash = \(bind: hash) WHERE id = \(bind: user.id.description)").run()
        }
    }
}

public struct PageResponse: Sendable, CustomStringConvertible {
    public let status: Int
    public let headers: HTTPFields
    public let html: String
    public let setCookies: [String]

    public var location: String? { headers[.location] }
    /// The page a redirect goes to, without its query (a confirmation's `?done=`): the record's
    /// own address, to build the next step's address on.
    public var place: String? { location.map { String($0.prefix { $0 != "?" }) } }

    /// The value of a hidden input, as the page carries it.
    public func hidden(_ name: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    public var description: String { "\(status) \(location ?? "") \(html.prefix(2000))" }
}

/// Runs `body` against the whole application serving a fresh register on `kind`, with a clock
/// the test controls.
public func withLivePages(
    _ kind: TestDatabase, clock: TestClock = TestClock(), _ body: @escaping @Sendable (LivePages) async throws -> Void
) async throws {
    try await withRegister(kind, clock: clock.clock) { fixture in
        let jobs = JobBoard(clock: fixture.register.clock, ids: fixture.register.ids)
        let app = try buildApplication(
            register: fixture.register, directory: fixture.directory, settings: LiveServer.settings, jobs: jobs)
        try await app.test(.live) { client in
            try await body(LivePages(fixture: fixture, clock: clock, jobs: jobs, client: client))
        }
    }
}
