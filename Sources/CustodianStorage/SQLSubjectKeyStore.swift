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
        Migration(id: "keys-0001-subject-keys", up: { db in
            try await db.create(table: "subject_keys")
                .column("subject_id", type: .text, .primaryKey(autoIncrement: false))
                .column("wrapped_key", type: .text, .notNull)
                .column("created_at_us", type: .bigint, .notNull)
                .run()
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
        try await driver.read { db in
            try await db.select().column("wrapped_key").from("subject_keys").where("subject_id", .equal, subject.description)
                .first().map { try $0.data("wrapped_key") }
        }
    }

    public func destroy(_ subject: SubjectID) async throws {
        try await driver.transaction { db in
            try await db.delete(from: "subject_keys").where("subject_id", .equal, subject.description).run()
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
        let known = Set(try await driver.read { db in
            try await db.select().column("subject_id").from("subject_keys").all().map { try $0.text("subject_id") }
        })
        try await store(rows.filter { !known.contains($0.subject.description) }, at: Timestamp(Date()))
        try await data.transaction { db in try await db.delete(from: "subject_keys").run() }
        return rows.count
    }
}
