import Foundation
public import Logging
import PostgresKit
import NIOSSL
import PostgresNIO
import Synchronization
public import SQLKit

/// Who runs a connection pool's loop: the driver itself (commands, tests), or the server's service
/// group through `PostgresRunLoops`, which stops the pools only after the HTTP server has drained.
public enum PoolRunner: Sendable {
    case driver
    case group(PostgresRunLoops)
}

/// PostgreSQL through PostgresNIO's connection pool.
public final class PostgresDriver: SQLDriver {
    let client: PostgresClient
    /// Where it connects, settings included: for a second driver on the same schema.
    public let url: String
    private let runner: Task<Void, Never>?
    /// Ends once the driver's own pool loop is running: a statement leased before would find no
    /// loop (PostgresNIO warns "run() hasn't been called yet").
    private let started: AsyncStream<Void>?
    /// Set once `close` is called: what still holds on to the driver then lets go.
    let closed = Atomic(false)
    let metrics: PoolMetrics
    let logger: Logger

    /// Connects to a `postgres://user:password@host:port/database` URL. `?sslmode=require` or
    /// `verify-full` connects over TLS and always verifies the server's certificate and name: against
    /// the system's trusted roots, or `&sslrootcert=FILE` (PEM) alone. Any other parameter is a
    /// server setting (`?search_path=SCHEMA` works in that schema). `maximumConnections` caps the pool (PostgresNIO's
    /// default is 20): scratch registers keep theirs small, so many at once stay within the server's limit.
    public init(
        url: String, logger: Logger = Logger(label: "custodian.postgres"), runner: PoolRunner = .driver, maximumConnections: Int? = nil,
        pool: String = "register"
    ) throws {
        guard let parts = URLComponents(string: url), ["postgres", "postgresql"].contains(parts.scheme ?? ""),
            let host = parts.host, !host.isEmpty
        else {
            throw StoreError.badLocation("a PostgreSQL location looks like postgres://user:password@host:5432/database")
        }
        let database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        let config = PostgresClient.Configuration(
            host: host, port: parts.port ?? 5432, username: parts.user ?? "postgres", password: parts.password,
            database: database.isEmpty ? nil : database, tls: try Self.tls(parts.queryItems ?? []))
        var configuration = config
        // Every other parameter is a server setting for each pooled connection, sent at startup:
        // `search_path=SCHEMA` (tests give each run its own), `statement_timeout=5000`, or
        // `pgaudit.log=read` (the audit benchmark's comparison).
        for item in parts.queryItems ?? [] where !Self.tlsParameters.contains(item.name) {
            configuration.options.additionalStartupParameters.append((item.name, item.value ?? ""))
        }
        if let maximumConnections { configuration.options.maximumConnections = maximumConnections }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.url = url
        self.logger = logger
        self.metrics = PoolMetrics(pool: pool)
        switch runner {
        case .driver:
            let (started, begin) = AsyncStream<Void>.makeStream()
            self.started = started
            self.runner = Task {
                begin.finish()
                await client.run()
            }
        case .group:
            self.started = nil
            self.runner = nil
        }
    }

    static let tlsParameters: Set<String> = ["sslmode", "sslrootcert"]

    /// TLS as the URL asks: none, or with the server's certificate verified. `prefer` and `allow`,
    /// which would fall back to plain text when TLS fails, are not offered.
    static func tls(_ items: [URLQueryItem]) throws -> PostgresClient.Configuration.TLS {
        let mode = items.last { $0.name == "sslmode" }?.value ?? "disable"
        let root = items.last { $0.name == "sslrootcert" }?.value
        switch mode {
        case "disable" where root == nil: return .disable
        case "require", "verify-ca", "verify-full":
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.minimumTLSVersion = .tlsv12
            tls.certificateVerification = .fullVerification
            if let root {
                guard FileManager.default.isReadableFile(atPath: root) else {
                    throw StoreError.badLocation("sslrootcert=\(root): no readable PEM file there")
                }
                tls.trustRoots = .file(root)
            }
            return .require(tls)
        default:
            throw StoreError.badLocation(
                "sslmode=\(mode)\(root == nil ? "" : " with sslrootcert"): use sslmode=verify-full (TLS, the server's certificate verified) or leave both out"
            )
        }
    }

    public func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await withConnection(begin: "BEGIN", body)
    }

    /// One read-only snapshot for the whole read, as on SQLite: every statement of a consultation
    /// sees the register as it stood when the read began, and a write there fails.
    public func read<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await withConnection(begin: "START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", body)
    }

    public func readStatement<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await leased { connection in try await body(WatchedConnection(connection, logger: self.logger, pool: self.metrics.pool)) }
    }

    /// `body` on a pooled connection, its wait and use counted (`PoolMetrics`).
    func leased<R>(_ body: (PostgresConnection) async throws -> R) async throws -> R {
        let asked = ContinuousClock.now
        return try await client.withConnection { connection in
            metrics.leased(askedAt: asked)
            defer { metrics.returned() }
            return try await body(connection)
        }
    }

    /// `body` in a transaction begun with `begin`: committed if it returns, rolled back if it
    /// throws (and its own error reported), each statement watched for its connection closing.
    private func withConnection<R: Sendable>(begin: SQLQueryString, _ body: @Sendable (any SQLDatabase) async throws -> R)
        async throws -> R
    {
        try await leased { connection in
            let db = WatchedConnection(connection, logger: self.logger, pool: self.metrics.pool)
            try await db.raw(begin).run()
            let result: R
            do {
                result = try await body(db)
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
            try await db.raw("COMMIT").run()
            return result
        }
    }

    /// A driver whose pool the group runs, returned once the pool's loop has started.
    public static func open(url: String, runner: PoolRunner, pool: String = "register") async throws -> PostgresDriver {
        let driver = try PostgresDriver(url: url, runner: runner, pool: pool)
        if case .group(let loops) = runner { await loops.add(driver.client) }
        if let started = driver.started { for await _ in started {} }
        return driver
    }

    /// Stops a pool the driver runs; a pool the service group runs stops with the group.
    public func close() async throws {
        closed.store(true, ordering: .relaxed)
        runner?.cancel()
    }
}

public enum StoreError: Error, CustomStringConvertible {
    case badLocation(String)
    case corrupt(String)
    case refusedWrite(String)
    /// A statement a reader could not run (a lock held too long, a write sent to a reader): the
    /// stored data may be fine, so it is not reported as unreadable.
    case refusedRead(String)
    /// Another process holds what this one needs alone, the register's log.
    case heldElsewhere(String)
    /// The connection closed while a statement was on it: whether a write took effect is not known.
    case connectionLost
    public var description: String {
        switch self {
        case .badLocation(let why): "database location: \(why)"
        case .corrupt(let why): "stored data is not readable: \(why)"
        case .refusedWrite(let why): "the database refused a write: \(why)"
        case .refusedRead(let why): "the database refused a read: \(why)"
        case .heldElsewhere(let why): why
        case .connectionLost: "the database connection closed during a statement; whether it took effect is not known"
        }
    }
}

extension PostgresDriver {
    /// A schema of its own on the server at `url`, for tests and benchmarks: the driver works in it
    /// and `drop` removes it with everything in it.
    public static func scratchSchema(url: String, prefix: String, maximumConnections: Int = 3) async throws -> (
        driver: PostgresDriver, drop: @Sendable () async throws -> Void
    ) {
        let schema = prefix + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        // Tests open many scratch registers at once: a connection of its own only while the schema
        // is made or dropped, a few to work in it, so a whole parallel suite stays within the
        // server's connection limit.
        @Sendable func administer(_ sql: String) async throws {
            let admin = try PostgresDriver(url: url, maximumConnections: 1)
            do { try await admin.transaction { db in try await db.raw("\(unsafeRaw: sql)").run() } } catch {
                try? await admin.close()
                throw error
            }
            try await admin.close()
        }
        try await administer("CREATE SCHEMA \(schema)")
        let driver = try PostgresDriver(
            url: url + (url.contains("?") ? "&" : "?") + "search_path=" + schema, maximumConnections: maximumConnections)
        return (
            driver,
            {
                try await driver.close()
                try await administer("DROP SCHEMA \(schema) CASCADE")
            }
        )
    }
}
