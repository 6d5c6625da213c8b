public import CustodianCore
public import CustodianStorage
import Crypto
import Foundation
import SQLKit

/// An open register: the database, keys and use cases, ready for a command or the server.
public struct Runtime: Sendable {
    public let location: DatabaseLocation
    public let driver: any SQLDriver
    public let keyDriver: any SQLDriver
    public let keyLocation: DatabaseLocation
    public let register: Register
    public let directory: Directory
    public let ledger: SQLAuditLedger
    /// Held from opening to closing, on a SQLite register.
    let lock: RegisterLock?
    /// Held by a server from opening to closing, on a PostgreSQL register.
    let lease: PostgresAppenderLease?
    /// Where the newest checkpoint the register published is kept.
    let published: PublishedCheckpoint?
    /// Who cosigns its checkpoints.
    var witnesses: [WitnessEndpoint] = []

    /// Opens the database (creating the embedded default on first start), applies migrations and
    /// loads the master key.
    public static func open(_ options: StoreOptions, pool: PoolRunner = .driver) async throws -> Runtime {
        try await open(try await options.settings(), pool: pool)
    }

    /// `serving`: a server, which holds the PostgreSQL log's appender lease for its whole life.
    /// `continuityChecked: false` opens a register whose log may not continue the checkpoint kept,
    /// for `custodian restore` alone, which decides whether it may.
    public static func open(
        _ options: StoreSettings, pool: PoolRunner = .driver, serving: Bool = false, continuityChecked: Bool = true
    ) async throws -> Runtime {
        let location = options.database
        let keyLocation = options.keyStore ?? location.defaultKeyStore
        PrivateFiles.restrictNewFiles()
        var lock: RegisterLock?
        if case .sqlite(let path) = location, path != ":memory:" {
            try PrivateFiles.createDirectory(URL(fileURLWithPath: path).deletingLastPathComponent())
            try PrivateFiles.requirePrivateDatabase(path, "register")
            lock = try RegisterLock.acquire(path)
        }
        if case .sqlite(let path) = keyLocation, path != ":memory:" {
            try PrivateFiles.requirePrivateDatabase(path, "key store")
        }
        let key = try KeyFile.master.load(explicitPath: options.masterKeyFile, location: location)
        let signingKey = try Curve25519.Signing.PrivateKey(
            rawRepresentation: try KeyFile.auditSigning.load(explicitPath: options.auditKeyFile, location: location))
        let driver = try await location.open(pool: pool)
        var lease: PostgresAppenderLease?
        if serving, let postgres = driver as? PostgresDriver {
            do {
                lease = try await PostgresAppenderLease.acquire(
                    postgres,
                    holder: "custodian serve, process \(ProcessInfo.processInfo.processIdentifier) on \(ProcessInfo.processInfo.hostName)")
            } catch {
                try? await driver.close()
                throw error
            }
        }
        try await Migrations.run(on: driver)
        if options.keyStore == nil, case .postgres = location {
            try await driver.transaction { db in
                try await db.raw("CREATE SCHEMA IF NOT EXISTS \(unsafeRaw: DatabaseLocation.keySchema)").run()
            }
        }
        let keyDriver = try await keyLocation.open(forKeys: true, pool: pool)
        let keys = SQLSubjectKeyStore(driver: keyDriver)
        try await keys.migrate()
        // Registers from before the key store kept keys beside the data: move them out once.
        try await keys.adoptKeys(from: driver)
        try await keys.adoptSearchTokens(from: driver)
        let ledger = SQLAuditLedger(driver: driver, signer: NoteSigner(name: options.auditOrigin, privateKey: signingKey))
        // A register opened unchecked never keeps its checkpoints: a fork kept would pass as the
        // published log at the next opening.
        let published = continuityChecked ? PublishedCheckpoint(options) : nil
        do {
            try await published?.checkContinued(by: ledger)
        } catch {
            try? await driver.close()
            try? await keyDriver.close()
            await lease?.releaseLease()
            lock?.release()
            throw error
        }
        let register = Register(store: SQLRegisterStore(driver: driver), ledger: ledger, keyring: try Keyring(masterKey: key), keys: keys)
        return Runtime(
            location: location, driver: driver, keyDriver: keyDriver, keyLocation: keyLocation, register: register,
            directory: Directory(register: register),
            ledger: ledger, lock: lock, lease: lease, published: published, witnesses: options.witnesses)
    }

    public func close() async throws {
        defer { lock?.release() }
        // What a command logged is published and kept before it ends, as a server's publisher
        // does, so a rollback of it is seen too.
        // A register that cannot publish now is closed all the same; its next opening publishes.
        if let published, let checkpoint = try? await ledger.publish() {
            try? published.keep(checkpoint, over: try? published.read(ledger.verifier)?.checkpoint.size)
        }
        await lease?.releaseLease()
        try await driver.close()
        try await keyDriver.close()
    }

    /// Opens the register, runs `body`, and closes it whatever happens.
    static func with<R>(_ options: StoreOptions, pool: PoolRunner = .driver, _ body: (Runtime) async throws -> R) async throws -> R {
        try await with(try await options.settings(), pool: pool, body)
    }

    static func with<R>(
        _ options: StoreSettings, pool: PoolRunner = .driver, serving: Bool = false, _ body: (Runtime) async throws -> R
    ) async throws -> R {
        let runtime = try await open(options, pool: pool, serving: serving)
        do {
            let result = try await body(runtime)
            try await runtime.close()
            return result
        } catch {
            try? await runtime.close()
            throw error
        }
    }
}

extension PostgresAppenderLease {
    /// The lease as readiness sees it: a server that lost it is not ready until it has it again.
    var readiness: Readiness.Check {
        switch state {
        case .held: Readiness.Check(part: "audit log lease", answered: true, state: "held by this server")
        case .lost(let why): Readiness.Check(part: "audit log lease", answered: false, state: "lost (\(why)); taking it again")
        }
    }
}
