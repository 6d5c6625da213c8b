public import CustodianCore
public import Foundation
import SQLKit

/// Subjects' wrapped keys in a database of their own: a SQLite file beside the register's (opened
/// without a write-ahead log and with secure delete, so a destroyed key's bytes are overwritten),
/// or a PostgreSQL schema or database that data backups leave out.
public struct SQLSubjectKeyStore: SubjectKeyStore {
    let driver: any SQLDriver

    public init(driver: any SQLDriver) { self.driver = driver }

    public static let migrations = [
        Migration(
            id: "keys-0001-subject-keys",
            up: { db in
                try await db.create(table: "subject_keys")
                    .column("subject_id", type: .text, .primaryKey(autoIncrement: false))
                    .column("wrapped_key", type: .text, .notNull)
                    .column("created_at_us", type: .bigint, .notNull)
                    .run()
            }),
        // The name-search index, beside the keys so that destroying a key takes the tokens too.
        Migration(
            id: "keys-0002-search-tokens",
            up: { db in
                try await db.create(table: "subject_search")
                    .column("subject_id", type: .text, .notNull)
                    .column("unit", type: .text, .notNull)
                    .column("token", type: .text, .notNull)
                    .primaryKey("subject_id", "token")
                    .run()
                try await db.create(index: "subject_search_token").on("subject_search").column("token").column("unit").run()
            }),
        // The name search reads who holds a token in a borough: with the person in the index too,
        // it reads the index alone, a run of neighbouring entries, where it went to the table once
        // for every holder, a random read each. At a million people the commonest two tokens in a
        // borough (2,483 holders) took 5-8 ms warm and 17 ms first; now 1 ms and 3 ms.
        Migration(
            id: "keys-0003-search-tokens-covering",
            up: { db in
                try await db.create(index: "subject_search_holders").on("subject_search").column("token").column("unit")
                    .column("subject_id").run()
                try await db.drop(index: "subject_search_token").run()
            }),
    ]

    public func migrate() async throws { try await Migrations.run(Self.migrations, on: driver) }

    public func store(_ keys: [(subject: SubjectID, wrapped: Data)], at: Timestamp) async throws {
        guard !keys.isEmpty else { return }
        try await driver.transaction { db in
            for start in stride(from: 0, to: keys.count, by: 500) {
                let insert = db.insert(into: "subject_keys").columns("subject_id", "wrapped_key", "created_at_us")
                for (subject, wrapped) in keys[start..<min(start + 500, keys.count)] {
                    insert.values(subject.description, wrapped.base64EncodedString(), at.microseconds)
                }
                try await insert.run()
            }
        }
    }

    public func wrappedKey(for subject: SubjectID) async throws -> Data? {
        try await driver.readStatement { db in
            try await db.select().column("wrapped_key").from("subject_keys").where("subject_id", .equal, subject.description)
                .first().map { try $0.data("wrapped_key") }
        }
    }

    public func wrappedKeys(for subjects: [SubjectID]) async throws -> [SubjectID: Data] {
        guard !subjects.isEmpty else { return [:] }
        return try await driver.read { db in
            var keys: [SubjectID: Data] = [:]
            for row in try await db.rows(from: "subject_keys", where: "subject_id", in: subjects.map(\.description)) {
                keys[try row.id("subject_id")] = try row.data("wrapped_key")
            }
            return keys
        }
    }

    public func destroy(_ subject: SubjectID) async throws {
        try await driver.transaction { db in
            try await db.delete(from: "subject_keys").where("subject_id", .equal, subject.description).run()
            try await db.delete(from: "subject_search").where("subject_id", .equal, subject.description).run()
        }
    }

    public func replaceSearchTokens(subject: SubjectID, unit: Borough, tokens: [String]) async throws {
        try await driver.transaction { db in
            try await db.delete(from: "subject_search").where("subject_id", .equal, subject.description).run()
            guard !tokens.isEmpty else { return }
            let insert = db.insert(into: "subject_search").columns("subject_id", "unit", "token")
            for token in tokens { insert.values(subject.description, unit.rawValue, token) }
            try await insert.run()
        }
    }

    public func storeSearchTokens(_ entries: [(subject: SubjectID, unit: Borough, tokens: [String])]) async throws {
        let rows = entries.flatMap { entry in entry.tokens.map { (entry.subject.description, entry.unit.rawValue, $0) } }
        guard !rows.isEmpty else { return }
        try await driver.transaction { db in
            for start in stride(from: 0, to: rows.count, by: 500) {
                let insert = db.insert(into: "subject_search").columns("subject_id", "unit", "token")
                for (subject, unit, token) in rows[start..<min(start + 500, rows.count)] { insert.values(subject, unit, token) }
                try await insert.run()
            }
        }
    }

    public func subjectsHolding(tokens: [String], units: [Borough]?) async throws -> [String: Set<SubjectID>] {
        guard !tokens.isEmpty else { return [:] }
        return try await driver.readStatement { db in
            let query = db.select().columns("subject_id", "token").from("subject_search").where("token", .in, tokens)
            if let units { query.where("unit", .in, units.map(\.rawValue)) }
            var hits: [String: Set<SubjectID>] = [:]
            for row in try await query.all() {
                hits[try row.text("token"), default: []].insert(try row.id("subject_id"))
            }
            return hits
        }
    }

    /// `query` as one statement: each holder's tokens joined to the query's terms (a term table of
    /// literal rows), summed by subject, kept when every group is met, ordered and cut in the
    /// database, so a common name's sound returns `limit` people, not all of its holders.
    public func subjectsRanked(_ query: NameQuery, units: [Borough]?) async throws -> [SubjectID] {
        guard !query.terms.isEmpty, query.limit > 0 else { return [] }
        return try await driver.readStatement { db in
            var terms: [any SQLExpression] = []
            for (i, term) in query.terms.enumerated() {
                let row: SQLQueryString =
                    "SELECT \(bind: term.token) AS token, \(unsafeRaw: String(term.group)) AS grp, \(unsafeRaw: String(term.weight)) AS weight"
                terms.append(i == 0 ? row : SQLQueryString(" UNION ALL ") + row)
            }
            var held: SQLQueryString = "SELECT subject_id, token FROM subject_search WHERE token IN (\(binds: query.tokens))"
            if let units { held = held + " AND unit IN (\(binds: units.map(\.rawValue)))" }
            let sql: SQLQueryString = """
                SELECT h.subject_id AS subject_id, SUM(q.weight) AS score
                FROM (\(held)) h JOIN (\(SQLList(terms, separator: SQLRaw("")))) q ON q.token = h.token
                GROUP BY h.subject_id HAVING COUNT(DISTINCT q.grp) = \(bind: query.groups)
                ORDER BY score DESC, h.subject_id ASC LIMIT \(bind: query.limit)
                """
            return try await db.raw(sql).all().map { try $0.id("subject_id") }
        }
    }

    public func pairsSharingTokens(minimumShared: Int, commonLimit: Int) async throws -> [SubjectPair] {
        try await driver.read { db in
            let rows = try await db.raw(
                """
                WITH distinctive AS (
                    SELECT token FROM subject_search GROUP BY token HAVING COUNT(*) BETWEEN 2 AND \(bind: commonLimit)
                )
                SELECT a.subject_id AS first_id, b.subject_id AS second_id
                FROM subject_search a
                JOIN distinctive t ON t.token = a.token
                JOIN subject_search b ON b.token = a.token AND b.subject_id > a.subject_id AND b.unit <> a.unit
                GROUP BY a.subject_id, b.subject_id
                HAVING COUNT(*) >= \(bind: minimumShared)
                ORDER BY a.subject_id, b.subject_id
                """
            ).all()
            return try rows.compactMap { row in SubjectPair(try row.id("first_id"), try row.id("second_id")) }
        }
    }

    /// Moves keys an older register kept in its own database into this store, then deletes them
    /// there: a one-off on upgrade. Returns how many moved.
    @discardableResult
    public func adoptKeys(from data: any SQLDriver) async throws -> Int {
        let rows = try await data.read { db in
            try await db.select().columns("subject_id", "wrapped_key").from("subject_keys").all()
                .map { (subject: try $0.id("subject_id") as SubjectID, wrapped: try $0.data("wrapped_key")) }
        }
        guard !rows.isEmpty else { return 0 }
        let known = Set(
            try await driver.read { db in
                try await db.select().column("subject_id").from("subject_keys").all().map { try $0.text("subject_id") }
            })
        try await store(rows.filter { !known.contains($0.subject.description) }, at: Timestamp(Date()))
        try await data.transaction { db in try await db.delete(from: "subject_keys").run() }
        return rows.count
    }

    /// Moves the name-search index an older register kept beside its data into this store, then
    /// deletes it there: a one-off on upgrade. Returns how many tokens moved.
    @discardableResult
    public func adoptSearchTokens(from data: any SQLDriver) async throws -> Int {
        let rows = try await data.read { db in
            try await db.select().columns("subject_id", "unit", "token").from("subject_search").all()
                .map { (subject: try $0.id("subject_id") as SubjectID, unit: try $0.text("unit"), token: try $0.text("token")) }
        }
        guard !rows.isEmpty else { return 0 }
        let grouped = Dictionary(grouping: rows, by: \.subject).compactMap {
            subject, tokens -> (subject: SubjectID, unit: Borough, tokens: [String])? in
            guard let unit = tokens.first.flatMap({ Borough(rawValue: $0.unit) }) else { return nil }
            return (subject, unit, tokens.map(\.token))
        }
        let held = try await driver.read { db in
            Set(try await db.select().column("subject_id").from("subject_search").all().map { try $0.text("subject_id") })
        }
        try await storeSearchTokens(grouped.filter { !held.contains($0.subject.description) })
        try await data.transaction { db in try await db.delete(from: "subject_search").run() }
        return rows.count
    }
}
