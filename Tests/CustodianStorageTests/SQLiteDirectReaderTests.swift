import CustodianCore
import CustodianStorage
import Foundation
import SQLKit
import Testing

/// SQLite's readers run their statements on the caller's thread, outside SQLiteNIO: what they read
/// must decode exactly as the writer's connection (SQLiteNIO) decodes the same row, and a
/// statement they keep prepared must follow the schema when a migration changes it.
@Suite struct SQLiteDirectReaderTests {
    struct Probe: Codable, Equatable, Sendable {
        var id: UUID
        var count: Int64
        var ratio: Double
        var name: String
        var bytes: Data
        var flag: Bool
        var missing: String?
    }

    static func withDriver(_ body: (SQLiteDriver) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custodian-direct-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let driver = try await SQLiteDriver.open(path: dir.appendingPathComponent("r.sqlite").path)
        do {
            try await body(driver)
        } catch {
            try? await driver.close()
            throw error
        }
        try await driver.close()
    }

    static func select(_ db: any SQLDatabase) async throws -> [Probe] {
        try await db.select().columns("id", "count", "ratio", "name", "bytes", "flag", "missing").from("probe").orderBy("count")
            .all(decoding: Probe.self)
    }

    @Test func aRowOfEveryTypeDecodesAsTheWritersConnectionDecodesIt() async throws {
        try await Self.withDriver { driver in
            let probes = [
                Probe(
                    id: UUID(), count: Int64.max, ratio: -0.125, name: "Zoë O'Neill 👩🏽‍⚖️", bytes: Data([0, 1, 2, 255]), flag: true,
                    missing: nil),
                Probe(id: UUID(), count: Int64.min, ratio: 1e300, name: "", bytes: Data(), flag: false, missing: "held"),
            ]
            try await driver.transaction { db in
                try await db.raw(
                    "CREATE TABLE probe (id TEXT, count INTEGER, ratio REAL, name TEXT, bytes BLOB, flag INTEGER, missing TEXT)"
                ).run()
                for probe in probes { try await db.insert(into: "probe").model(probe).run() }
            }
            let written = try await driver.transaction { db in try await Self.select(db) }
            let read = try await driver.read { db in try await Self.select(db) }
            let single = try await driver.readStatement { db in try await Self.select(db) }
            #expect(written == probes.sorted { $0.count < $1.count })
            #expect(read == written)
            #expect(single == written)
            let columns = try await driver.read { db in try await db.raw("SELECT * FROM probe").first()?.allColumns }
            #expect(columns == ["id", "count", "ratio", "name", "bytes", "flag", "missing"])
        }
    }

    /// A reader keeps its statements prepared. A migration that adds a column must show in the
    /// next `SELECT *` the reader runs, and one that drops the table must fail it, not serve the old.
    @Test func aKeptStatementFollowsTheSchema() async throws {
        try await Self.withDriver { driver in
            try await driver.transaction { db in
                try await db.raw("CREATE TABLE grows (a INTEGER)").run()
                try await db.raw("INSERT INTO grows VALUES (1)").run()
            }
            // Every reader, so each has the statement prepared.
            for _ in 0..<(2 * SQLiteDriver.readerCount) {
                #expect(try await driver.read { db in try await db.raw("SELECT * FROM grows").first()?.allColumns } == ["a"])
            }
            try await driver.transaction { db in try await db.raw("ALTER TABLE grows ADD COLUMN b TEXT DEFAULT 'x'").run() }
            for _ in 0..<(2 * SQLiteDriver.readerCount) {
                let row = try await driver.read { db in try await db.raw("SELECT * FROM grows").first() }
                #expect(row?.allColumns == ["a", "b"])
                #expect(try row?.decode(column: "b", as: String.self) == "x")
            }
            try await driver.transaction { db in try await db.raw("DROP TABLE grows").run() }
            for _ in 0..<(2 * SQLiteDriver.readerCount) {
                await #expect(throws: (any Error).self) { try await driver.read { db in try await db.raw("SELECT * FROM grows").all() } }
            }
        }
    }

    /// A write sent through a read is refused by the reader (`query_only`), named as a refused read
    /// with SQLite's reason, not as unreadable data, and it changes nothing.
    @Test func aWriteThroughAReadIsRefusedAndNamed() async throws {
        try await Self.withDriver { driver in
            try await driver.transaction { db in try await db.raw("CREATE TABLE kept (n INTEGER)").run() }
            for _ in 0..<SQLiteDriver.readerCount {
                do {
                    try await driver.read { db in try await db.raw("INSERT INTO kept VALUES (1)").run() }
                    Issue.record("a read wrote")
                } catch let error as StoreError {
                    #expect(error.description.hasPrefix("the database refused a read: step: "), "\(error)")
                    #expect(error.description.contains("readonly"), "\(error)")
                }
            }
            struct Count: Decodable { let n: Int }
            #expect(
                try await driver.transaction { db in try await db.raw("SELECT COUNT(*) AS n FROM kept").first(decoding: Count.self)?.n }
                    == 0)
        }
    }

    /// More statement shapes than a reader keeps prepared (an `IN` list's length is a shape): each
    /// still answers with its own binds, before and after the reader lets its kept ones go.
    @Test func moreShapesThanAReaderKeepsStillAnswerRight() async throws {
        try await Self.withDriver { driver in
            try await driver.transaction { db in
                try await db.raw("CREATE TABLE numbers (n INTEGER)").run()
                let insert = db.insert(into: "numbers").columns("n")
                for n in 0..<400 { insert.values(n) }
                try await insert.run()
            }
            for size in 1...300 {
                let wanted = Array(stride(from: size, to: size + 2 * size, by: 2)).filter { $0 < 400 }
                let found = try await driver.read { db in
                    try await db.select().column("n").from("numbers").where("n", .in, wanted).orderBy("n").all().map {
                        try $0.decode(column: "n", as: Int.self)
                    }
                }
                #expect(found == wanted, "IN list of \(wanted.count)")
            }
        }
    }
}
