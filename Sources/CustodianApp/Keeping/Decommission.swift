import CustodianCore
import CustodianStorage
import Foundation
import SQLKit

/// Destroying a SQLite register for good, with proof. Two governance users agree (their API
/// tokens, one asking and another confirming, with a reason); the log's last entry says so and a
/// last checkpoint is published; then the master key, the audit signing key, the key store with
/// every person's key, and the register's files are overwritten and removed. What remains is a
/// certificate of destruction: a signed note under the log's own key (signed before that key is
/// destroyed) naming what went, when, by whom and the last checkpoint, which anyone holding the
/// log's published verifier key can check.
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
        guard case .sqlite(let registerPath) = store.database, registerPath != ":memory:" else {
            throw CommandError("custodian decommission destroys a SQLite register; a PostgreSQL one is dropped by its database's owner")
        }
        guard case .sqlite(let keysPath) = store.keyStore ?? store.database.defaultKeyStore else {
            throw CommandError("custodian decommission destroys a key store kept as a SQLite file")
        }
        var keyFiles: [(KeyFile, String)] = []
        for (key, explicit) in [(KeyFile.master, store.masterKeyFile), (.auditSigning, store.auditKeyFile)] {
            if let given = ProcessInfo.processInfo.environment[key.environmentVariable], !given.isEmpty {
                throw CommandError(
                    "the \(key.purpose) is given in \(key.environmentVariable): decommissioning destroys key files, so name its file instead"
                )
            }
            keyFiles.append((key, key.path(explicit: explicit, besideRegister: registerPath)))
        }

        let runtime = try await Runtime.open(store)
        let certificate: String
        do {
            let asking = try await authenticate(askingToken, runtime, "asking")
            let confirming = try await authenticate(confirmingToken, runtime, "confirming")
            try await runtime.register.recordDecommission(asked: asking, confirmedBy: confirming, reason: reason)
            try await runtime.ledger.publish()
            guard let last = try await runtime.ledger.latestCheckpoint() else { throw CommandError("the log has no checkpoint") }
            let keys = try await runtime.keyDriver.readStatement { db in
                try await db.raw("SELECT count(*) AS n FROM subject_keys").first()?.decode(column: "n", as: Int.self) ?? 0
            }
            let at = runtime.register.clock.now()
            let text = [
                runtime.ledger.origin,
                "Certificate of destruction of a Custodian register",
                "register: \(registerPath)",
                "destroyed: \(keyFiles.map { "the \($0.0.purpose) (\($0.1))" }.joined(separator: ", ")), "
                    + "\(keys) \(keys == 1 ? "person's key" : "people's keys") in the key store (\(keysPath)), "
                    + "the register's files and its published checkpoint",
                "at: \(at)",
                "asked by: governance user \(asking.username) (\(asking.id))",
                "confirmed by: governance user \(confirming.username) (\(confirming.id))",
                "reason: \(reason.trimmingCharacters(in: .whitespacesAndNewlines))",
                "last checkpoint: \(last.checkpoint.size) entries, root \(last.checkpoint.root.base64EncodedString())",
            ].map { $0 + "\n" }.joined()
            certificate = try runtime.ledger.signedNote(text)
            try await runtime.close()
        } catch {
            try? await runtime.close()
            throw error
        }
        var files = keyFiles.map(\.1) + [keysPath, keysPath + "-journal"]
        files += ["", "-wal", "-shm", "-journal", ".checkpoint", ".checkpoint.new", ".lock"].map { registerPath + $0 }
        let lock = try RegisterLock.acquire(registerPath)
        defer { lock.release() }
        var destroyed: [String] = []
        for file in files where FileManager.default.fileExists(atPath: file) {
            try Shredder.destroy(file)
            destroyed.append(file)
        }
        return Destroyed(certificate: certificate, files: destroyed)
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
