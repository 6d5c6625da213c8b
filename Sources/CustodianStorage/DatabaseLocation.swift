import Foundation

/// Where the register lives: a SQLite file (the embedded default) or a PostgreSQL URL.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// `postgres://…` or `postgresql://…` selects PostgreSQL; `sqlite:PATH` or a bare path selects SQLite.
    public init(_ text: String) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else if text.hasPrefix("sqlite:") {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else {
            self = .sqlite(path: text)
        }
    }

    public func open(forKeys: Bool = false, pool: PoolRunner = .driver) async throws -> any SQLDriver {
        switch self {
        case .sqlite(let path): try await SQLiteDriver.open(path: path, forKeys: forKeys)
        case .postgres(let url): try await PostgresDriver.open(url: url, runner: pool, pool: forKeys ? "keys" : "register")
        }
    }

    /// Where subjects' keys live when no key store is named: `keys.sqlite` beside a SQLite
    /// register; for PostgreSQL, the schema `custodian_keys` (leave it out of data backups, or
    /// better, name a database of its own with --key-store).
    public var defaultKeyStore: DatabaseLocation {
        switch self {
        case .sqlite(let path):
            path == ":memory:"
                ? .sqlite(path: ":memory:")
                : .sqlite(path: URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("keys.sqlite").path)
        case .postgres(let url): .postgres(url: url + (url.contains("?") ? "&" : "?") + "search_path=" + Self.keySchema)
        }
    }

    public static let keySchema = "custodian_keys"

    /// For messages: never prints a password.
    public var description: String {
        switch self {
        case .sqlite(let path): "SQLite file \(path)"
        case .postgres(let url):
            if let at = url.firstIndex(of: "@"), let scheme = url.range(of: "://") {
                "PostgreSQL \(url[..<scheme.upperBound])…\(url[at...])"
            } else {
                "PostgreSQL"
            }
        }
    }
}
