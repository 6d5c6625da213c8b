import Crypto
import CustodianCore
import CustodianStorage
import Foundation
import SQLKit

/// A throw-away register for a benchmark: SQLite in a temporary directory, or its own schema on
/// a PostgreSQL server (made and dropped), keys in SQLite beside it, migrated and ready.
struct BenchRegister {
    let register: Register
    let directory: Directory
    let driver: any SQLDriver
    let database: String
    /// The SQLite file, when the register is SQLite.
    let file: URL?
    private let cleanUp: @Sendable () async throws -> Void

    static func open(postgres: String?) async throws -> BenchRegister {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custodian-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let keyDriver = try await SQLiteDriver.open(path: dir.appendingPathComponent("keys.sqlite").path, forKeys: true)
        let keys = SQLSubjectKeyStore(driver: keyDriver)
        try await keys.migrate()
        let driver: any SQLDriver
        var drop: (@Sendable () async throws -> Void)?
        if let postgres {
            let scratch = try await PostgresDriver.scratchSchema(url: postgres, prefix: "bench_", maximumConnections: 4)
            (driver, drop) = (scratch.driver, scratch.drop)
        } else {
            driver = try await SQLiteDriver.open(path: dir.appendingPathComponent("bench.sqlite").path)
        }
        let dropSchema = drop
        let cleanUp: @Sendable () async throws -> Void = {
            if let dropSchema { try? await dropSchema() } else { try? await driver.close() }
            try? await keyDriver.close()
            try? FileManager.default.removeItem(at: dir)
        }
        do {
            try await Migrations.run(on: driver)
            let ledger = SQLAuditLedger(driver: driver, signer: NoteSigner(name: "custodian.bench/audit", privateKey: .init()))
            let register = Register(
                store: SQLRegisterStore(driver: driver), ledger: ledger, keyring: try Keyring(masterKey: Keyring.generateMasterKey()),
                keys: keys)
            return BenchRegister(
                register: register, directory: Directory(register: register), driver: driver,
                database: postgres == nil ? "SQLite" : "PostgreSQL",
                file: postgres == nil ? dir.appendingPathComponent("bench.sqlite") : nil, cleanUp: cleanUp)
        } catch {
            try await cleanUp()
            throw error
        }
    }

    /// A user trained a month ago.
    func user(_ name: String, _ role: Role, _ unit: String = "central", dpo: Bool = false) async throws -> User {
        try await BenchUsers.make(name, role, unit, dpo: dpo, directory)
    }

    /// The shipped baseline DPIA, so the register may collect.
    func adoptDPIA() async throws {
        try await register.adoptBaselineDPIA(
            dpo: try await user("bench.dpo", .governance, dpo: true), board: try await user("bench.board", .governance),
            reviewOn: register.clock.now().day.adding(days: 365))
    }

    /// What the register takes on disk: the SQLite file and its write-ahead log, or every table and
    /// index of the bench's PostgreSQL schema. The key store (apart, as in production) is not counted.
    func bytesOnDisk() async throws -> Int {
        if let file {
            return [file.path, file.path + "-wal"].reduce(0) { total, path in
                total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
            }
        }
        return try await driver.transaction { db in
            try await db.raw(
                "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::bigint AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'"
            ).first()?.decode(column: "bytes", as: Int.self) ?? 0
        }
    }

    /// Finishes on PostgreSQL what a bulk load leaves behind before anything is timed, as pgbench
    /// does before its runs: a vacuum with fresh statistics (or autovacuum works through the
    /// measurements, over every table just filled) and a checkpoint. A register in service keeps
    /// these up as it goes; the load is the bench's, not the register's. SQLite keeps no such debt.
    func settle() async throws {
        guard file == nil else { return }
        try await driver.readStatement { db in try await db.raw("VACUUM (ANALYZE)").run() }
        // A checkpoint needs the server's pg_checkpoint role: a bench pointed at a server where its
        // user lacks it goes on without.
        try? await driver.readStatement { db in try await db.raw("CHECKPOINT").run() }
    }

    func close() async throws { try await cleanUp() }
}
