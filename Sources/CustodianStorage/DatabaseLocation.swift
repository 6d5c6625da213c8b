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

    public func open() async throws -> any SQLDriver {
        switch self {
        case .sqlite(let path): try await SQLiteDriver.open(path: path)
        case .postgres(let url): try PostgresDriver(url: url)
        }
    }

    /// For messages: never prints a password.
    public var description: String {
        switch self {
        case .sqlite(let path): "SQLite file \(path)"
        case .postgres(let url):
            if let at = url.firstIndex(of: "@"), let scheme = url.range(of: "://") {
                "PostgreSQL \(url[..<scheme.upperBound])…\(url[at...])"
            } else { "PostgreSQL" }
        }
    }
}
