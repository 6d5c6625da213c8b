public import CustodianCore
import Foundation
import SQLKit

/// The register's storage on any SQL driver: the same SQL on SQLite and PostgreSQL.
public struct SQLRegisterStore: RegisterStore {
    public let driver: any SQLDriver
    private let committer: GroupCommit

    /// What happens to a consultation's audit entries. Only `custodian-bench audit` asks for
    /// `.discardedForBaseline`, to measure what the log costs; no server is built with it.
    public enum ConsultationAudit: Sendable { case durable, discardedForBaseline }

    public init(driver: any SQLDriver) { self.init(driver: driver, consultationAudit: .durable) }

    /// The switch that discards consultations' entries, for the benchmark's no-audit baseline only:
    /// no server or command can reach it without importing the Benchmarks SPI.
    @_spi(Benchmarks) public init(driver: any SQLDriver, consultationAudit: ConsultationAudit) {
        self.driver = driver
        self.committer = GroupCommit(driver: driver, discard: consultationAudit == .discardedForBaseline)
    }

    /// The consultations' group commit so far: how many entries each flush wrote.
    public var auditFlushCounts: AuditFlushCounts { committer.counts }

    /// A write's audit entries go into the log as it commits, whenever its use case logged them:
    /// appending takes the log's sequence lock (on PostgreSQL, until the transaction ends), and
    /// every consultation's entry waits for that lock, so a long write that logged early held the
    /// whole register until it ended. Still one transaction: a write that fails logs nothing.
    public func transaction<R: Sendable>(_ body: @Sendable (any RegisterTransaction) async throws -> R) async throws -> R {
        try await driver.transaction { db in
            let held = AuditCollector()
            let result = try await body(SQLRegisterTransaction(db: db, audit: held))
            try await AuditLogSQL(db: db).append(held.entries)
            return result
        }
    }

    public func consultation<R: Sendable>(_ body: @Sendable (any RegisterTransaction) async throws -> R) async throws -> R {
        let collected = AuditCollector()
        let result = try await driver.read { db in try await body(SQLRegisterTransaction(db: db, audit: collected)) }
        try await committer.append(collected.entries)
        return result
    }

    public func lookup<R: Sendable>(_ body: @Sendable (any RegisterTransaction) async throws -> R) async throws -> R {
        try await driver.read { db in try await body(SQLRegisterTransaction(db: db, audit: nil)) }
    }

    public func log(_ entries: [AuditEntry]) async throws {
        try await committer.append(entries)
    }
}

/// One transaction's view of the tables. Methods are grouped by record kind in the extensions.
/// `audit` holds the entries it logs: a write's until it commits, a consultation's until its read
/// is done. A lookup has none: it promised not to log, and an entry there is refused, not dropped.
struct SQLRegisterTransaction: RegisterTransaction {
    let db: any SQLDatabase
    let audit: AuditCollector?
}

extension SQLRegisterTransaction {
    /// Rows in as few statements as the databases allow: at most 900 bound values each, under
    /// SQLite's oldest limit (999) and far under PostgreSQL's (65,535).
    func insertRows(into table: String, _ columns: [String], _ rows: [[any Encodable & Sendable]]) async throws {
        let perStatement = max(1, 900 / max(columns.count, 1))
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let insert = db.insert(into: table).columns(columns)
            for row in rows[start..<min(start + perStatement, rows.count)] { insert.values(row) }
            try await insert.run()
        }
    }
}

extension SQLDatabase {
    /// Every row of `table` whose `column` is one of `values`, in statements of at most 500
    /// values, each ordered by `orderBy`: a page or a request's people read in one query (or a
    /// few), not one per person. Rows of one value fall in one statement, so they stay in order.
    func rows(
        from table: String, where column: String, in values: [String], orderBy: [(String, SQLDirection)] = [],
        select: ((any SQLDatabase) -> SQLSelectBuilder)? = nil
    ) async throws -> [any SQLRow] {
        var rows: [any SQLRow] = []
        let distinct = Array(Set(values)).sorted()
        for start in stride(from: 0, to: distinct.count, by: 500) {
            let query = (select?(self) ?? self.select().column("*").from(table))
                .where(column, .in, Array(distinct[start..<min(start + 500, distinct.count)]))
            for (ordering, direction) in orderBy { query.orderBy(ordering, direction) }
            rows += try await query.all()
        }
        return rows
    }
}

/// Decoding helpers that turn a malformed stored value into a clear error rather than a crash.
extension SQLRow {
    func text(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    func optionalText(_ column: String) throws -> String? { try decode(column: column, as: String?.self) }
    func int64(_ column: String) throws -> Int64 { try decode(column: column, as: Int64.self) }
    func optionalInt64(_ column: String) throws -> Int64? { try decode(column: column, as: Int64?.self) }

    func id<Tag>(_ column: String) throws -> Identifier<Tag> {
        let raw = try text(column)
        guard let id = Identifier<Tag>(raw) else { throw StoreError.corrupt("\(column) '\(raw)' is not a UUID") }
        return id
    }

    func enumeration<T: RawRepresentable>(_ column: String, as: T.Type) throws -> T where T.RawValue == String {
        let raw = try text(column)
        guard let value = T(rawValue: raw) else { throw StoreError.corrupt("\(column) '\(raw)' is not a known \(T.self)") }
        return value
    }

    func unit(_ column: String) throws -> Scope {
        let raw = try text(column)
        guard let unit = Scope(code: raw) else { throw StoreError.corrupt("\(column) '\(raw)' is not a unit") }
        return unit
    }

    func borough(_ column: String) throws -> Borough { try enumeration(column, as: Borough.self) }

    func data(_ column: String) throws -> Data {
        let raw = try text(column)
        guard let data = Data(base64Encoded: raw) else { throw StoreError.corrupt("\(column) is not base64") }
        return data
    }

    func provenance() throws -> Provenance {
        Provenance(
            sourceType: try enumeration("source_type", as: SourceType.self), originatingUnit: try unit("originating_unit"),
            author: try id("author"), recordedAt: Timestamp(microseconds: try int64("recorded_at_us")),
            source: try optionalText("source_id").flatMap { SourceID($0) })
    }
}
