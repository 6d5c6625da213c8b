import CustodianCore
import CustodianStorage
import Foundation
import SQLKit

/// Destroying a register for good, with proof. Two governance users agree (their API tokens, one
/// asking and another confirming, with a reason); the log's last entry says so and a last
/// checkpoint is published; then the master key, the audit signing key, every person's key and
/// the register itself are destroyed: a SQLite register's files overwritten and removed, a
/// PostgreSQL register's tables and key store dropped while this command holds the log's lease (so
/// no server has it open). What remains is a certificate of destruction: a signed note under the
/// log's own key (signed before that key is destroyed) naming what went, when, by whom, the last
/// checkpoint and what is left (sealed copies no key opens), which anyone holding the log's
/// published verifier key can check.
struct Decommission {
    let store: StoreSettings
    let askingToken: String
    let confirmingToken: String
    let reason: String

    struct Destroyed {
        let certificate: String
        let files: [String]
    }

    func run() async throws -> Destroyed {
        let keyFiles = try namedKeyFiles()
        let kept = PublishedCheckpoint(store).map { [$0.path, $0.path + ".new"] } ?? []
        let keyLocation = store.keyStore ?? store.database.defaultKeyStore
        switch (store.database, keyLocation) {
        case (.sqlite(let registerPath), .sqlite(let keysPath)) where registerPath != ":memory:":
            let runtime = try await Runtime.open(store)
            let certificate = try await closing(runtime) {
                try await certify(
                    runtime, keyFiles, register: registerPath, keyStore: keysPath,
                    alsoDestroyed: "the register's files and its published checkpoint",
                    remaining: "copies in backups taken before, unreadable without the keys destroyed here")
            }
            var files = keyFiles.map(\.1) + [keysPath, keysPath + "-journal"]
            files += ["", "-wal", "-shm", "-journal", ".lock"].map { registerPath + $0 } + kept
            let lock = try RegisterLock.acquire(registerPath)
            defer { lock.release() }
            return Destroyed(certificate: certificate, files: try shred(files))
        case (.postgres, _):
            // Serving: the log's lease is this command's until it closes, so no server has the register open.
            let runtime = try await Runtime.open(store, serving: true)
            let certificate = try await closing(runtime) {
                let certificate = try await certify(
                    runtime, keyFiles, register: "\(store.database)", keyStore: "\(keyLocation)",
                    alsoDestroyed: "the register's tables and its published checkpoint",
                    remaining: "sealed copies in the database's WAL, its replicas and its backups (pgBackRest), "
                        + "unreadable without the keys destroyed here: delete the stanza too")
                try await Self.dropTables(runtime.keyDriver)
                if store.keyStore == nil {
                    try await runtime.driver.transaction { db in
                        try await db.raw("DROP SCHEMA IF EXISTS \(ident: DatabaseLocation.keySchema) CASCADE").run()
                    }
                }
                try await Self.dropTables(runtime.driver)
                return certificate
            }
            return Destroyed(certificate: certificate, files: try shred(keyFiles.map(\.1) + kept))
        default:
            throw CommandError("custodian decommission destroys a register on disk or on PostgreSQL, with its key store beside it")
        }
    }

    /// The key files, which are destroyed: a key given in the environment cannot be.
    private func namedKeyFiles() throws -> [(KeyFile, String)] {
        var keyFiles: [(KeyFile, String)] = []
        for (key, explicit) in [(KeyFile.master, store.masterKeyFile), (.auditSigning, store.auditKeyFile)] {
            if let given = ProcessInfo.processInfo.environment[key.environmentVariable], !given.isEmpty {
                throw CommandError(
                    "the \(key.purpose) is given in \(key.environmentVariable): decommissioning destroys key files, so name its file instead"
                )
            }
            guard let path = key.path(explicit: explicit, location: store.database) else {
                throw CommandError("decommissioning destroys the \(key.purpose): name its file")
            }
            keyFiles.append((key, path))
        }
        return keyFiles
    }

    /// The decision logged by both users, a last checkpoint published, and the certificate signed.
    private func certify(
        _ runtime: Runtime, _ keyFiles: [(KeyFile, String)], register: String, keyStore: String, alsoDestroyed: String, remaining: String
    ) async throws -> String {
        let asking = try await authenticate(askingToken, runtime, "asking")
        let confirming = try await authenticate(confirmingToken, runtime, "confirming")
        try await runtime.register.recordDecommission(asked: asking, confirmedBy: confirming, reason: reason)
        try await runtime.ledger.publish()
        guard let last = try await runtime.ledger.latestCheckpoint() else { throw CommandError("the log has no checkpoint") }
        let keys = try await runtime.keyDriver.readStatement { db in
            try await db.raw("SELECT count(*) AS n FROM subject_keys").first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let text = [
            runtime.ledger.origin,
            "Certificate of destruction of a Custodian register",
            "register: \(register)",
            "destroyed: \(keyFiles.map { "the \($0.0.purpose) (\($0.1))" }.joined(separator: ", ")), "
                + "\(keys) \(keys == 1 ? "person's key" : "people's keys") in the key store (\(keyStore)), \(alsoDestroyed)",
            "remaining: \(remaining)",
            "at: \(runtime.register.clock.now())",
            "asked by: governance user \(asking.username) (\(asking.id))",
            "confirmed by: governance user \(confirming.username) (\(confirming.id))",
            "reason: \(reason.trimmingCharacters(in: .whitespacesAndNewlines))",
            "last checkpoint: \(last.checkpoint.size) entries, root \(last.checkpoint.root.base64EncodedString())",
        ].map { $0 + "\n" }.joined()
        return try runtime.ledger.signedNote(text)
    }

    /// Every table in the driver's own schema, in one transaction.
    private static func dropTables(_ driver: any SQLDriver) async throws {
        try await driver.transaction { db in
            let tables = try await db.raw("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").all()
            for row in tables {
                try await db.raw("DROP TABLE IF EXISTS \(ident: try row.decode(column: "tablename", as: String.self)) CASCADE").run()
            }
        }
    }

    private func closing<R>(_ runtime: Runtime, _ body: () async throws -> R) async throws -> R {
        do {
            let result = try await body()
            try await runtime.close()
            return result
        } catch {
            try? await runtime.close()
            throw error
        }
    }

    private func shred(_ files: [String]) throws -> [String] {
        var destroyed: [String] = []
        for file in files where FileManager.default.fileExists(atPath: file) {
            try Shredder.destroy(file)
            destroyed.append(file)
        }
        return destroyed
    }

    private func authenticate(_ token: String, _ runtime: Runtime, _ which: String) async throws -> User {
        do {
            return try await runtime.directory.authenticate(token: token)
        } catch {
            throw CommandError("the \(which) governance user's token is not one the register knows, or the account is disabled")
        }
    }
}

/// Overwrites a file with random bytes, flushes it to the disk and removes it. On flash or a
/// copy-on-write file system the old blocks may survive the overwrite; what makes the data
/// unreadable is that every key that unlocks it is gone.
enum Shredder {
    static func destroy(_ path: String) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: 0)
        guard let random = FileHandle(forReadingAtPath: "/dev/urandom") else { throw CommandError("cannot read /dev/urandom") }
        defer { try? random.close() }
        var left = size
        while left > 0 {
            let chunk = try random.read(upToCount: Int(min(left, 1 << 20))) ?? Data()
            guard !chunk.isEmpty else { throw CommandError("cannot read /dev/urandom") }
            try handle.write(contentsOf: chunk)
            left -= UInt64(chunk.count)
        }
        try handle.synchronize()
        try handle.close()
        try FileManager.default.removeItem(atPath: path)
    }
}
