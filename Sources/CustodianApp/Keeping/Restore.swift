import CustodianCore
import CustodianStorage
import Foundation

/// Puts a backup in the place of a SQLite register. The backup is staged beside the register, its
/// log verified and set against the newest checkpoint the register published (the note kept
/// beside it, and any kept elsewhere): a restore that loses or rewrites published entries goes
/// ahead only when a governance user acknowledges it, with a reason, and is refused otherwise, the
/// refusal logged in the register as it stands. Keys destroyed since the backup stay destroyed.
/// The restore's own entry opens the restored log's continuation, naming all of this.
struct Restore {
    let folder: URL
    let into: StoreSettings
    /// A signed checkpoint kept elsewhere (an auditor's, a witness's).
    var outsideCheckpoint: String?
    var governanceToken: String?
    var reason: String?

    struct Report {
        let name: String
        let entries: Int64
        let continuity: RestoreContinuity
        let erasures: String
    }

    func run() async throws -> Report {
        let manifest = try Backups.open(folder)
        guard case .sqlite(let registerPath) = into.database, registerPath != ":memory:" else {
            throw CommandError("custodian restore puts back a SQLite register; restore PostgreSQL with pgBackRest (docs/operations.md)")
        }
        let keysPath: String
        if case .sqlite(let path) = into.keyStore ?? into.database.defaultKeyStore {
            keysPath = path
        } else {
            throw CommandError("custodian restore puts the key store back as a SQLite file beside the register")
        }
        let staged = StoreSettings(
            database: .sqlite(path: registerPath + ".restoring"), keyStore: .sqlite(path: keysPath + ".restoring"),
            masterKeyFile: try keyFile(.master, into.masterKeyFile, registerPath),
            auditKeyFile: try keyFile(.auditSigning, into.auditKeyFile, registerPath), auditOrigin: into.auditOrigin)

        var live: Runtime?
        var lock: RegisterLock?
        if FileManager.default.fileExists(atPath: registerPath) {
            live = try await Runtime.open(into)
        } else {
            lock = try RegisterLock.acquire(registerPath)
        }
        defer { lock?.release() }
        do {
            let report = try await restore(manifest, live: live, registerPath: registerPath, keysPath: keysPath, staged: staged)
            return report
        } catch {
            try? await live?.close()
            for path in [registerPath + ".restoring", keysPath + ".restoring", registerPath + ".restoring.lock"] {
                try? FileManager.default.removeItem(atPath: path)
            }
            throw error
        }
    }

    private func restore(_ manifest: Backups.Manifest, live: Runtime?, registerPath: String, keysPath: String, staged: StoreSettings)
        async throws -> Report
    {
        let (stagedRegister, stagedKeys) = (registerPath + ".restoring", keysPath + ".restoring")
        for path in [stagedRegister, stagedRegister + "-wal", stagedRegister + "-shm", stagedKeys] {
            try? FileManager.default.removeItem(atPath: path)
        }
        try FileManager.default.copyItem(at: folder.appendingPathComponent(Backups.registerName), to: URL(fileURLWithPath: stagedRegister))
        try FileManager.default.copyItem(at: folder.appendingPathComponent(Backups.keysName), to: URL(fileURLWithPath: stagedKeys))
        for path in [stagedRegister, stagedKeys] { try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path) }

        let erasures: String
        if FileManager.default.fileExists(atPath: keysPath) {
            let forgotten = try SQLiteCopy.forgetKeysDestroyedSince(stagedKeys, current: keysPath)
            erasures = "\(forgotten) \(forgotten == 1 ? "key" : "keys") destroyed since the backup stay destroyed"
        } else {
            erasures = "no key store at \(keysPath): keys destroyed since the backup could not be carried over"
        }

        let restored = try await Runtime.open(staged, continuityChecked: false)
        let report: Report
        do {
            let continuity = try await RestoredLog.continuity(
                of: restored, published: PublishedCheckpoint(into), outsideCheckpoint: outsideCheckpoint)
            var acknowledgement: RollbackAcknowledgement?
            if continuity != .continues, let governanceToken {
                let governance = try await RestoredLog.governance(governanceToken, live: live, restored: restored)
                acknowledgement = RollbackAcknowledgement(governance: governance, reason: reason ?? "")
            }
            do {
                try RollbackAcknowledgement.check(continuity, acknowledgement, today: restored.register.clock.now().day)
            } catch {
                // Logged where the register stands: the staged copy is about to be thrown away.
                try await live?.register.recordRestore(
                    manifest.name, continuity: continuity, acknowledgement: acknowledgement, erasuresKept: erasures,
                    by: Directory.commandLine)
                throw error
            }
            try await restored.register.recordRestore(
                manifest.name, continuity: continuity, acknowledgement: acknowledgement, erasuresKept: erasures, by: Directory.commandLine)
            try await restored.ledger.publish()
            guard let newest = try await restored.ledger.latestCheckpoint() else {
                throw CommandError("the restored log has no checkpoint")
            }
            report = Report(name: manifest.name, entries: newest.checkpoint.size, continuity: continuity, erasures: erasures)
            try await restored.close()
            try? FileManager.default.removeItem(atPath: stagedRegister + ".lock")
            // The register's own lock is held from here to the end, with or without a live register.
            try await live?.close()
            let held = live == nil ? nil : try RegisterLock.acquire(registerPath)
            defer { held?.release() }
            for stale in [registerPath + "-wal", registerPath + "-shm"] { try? FileManager.default.removeItem(atPath: stale) }
            guard rename(stagedRegister, registerPath) == 0, rename(stagedKeys, keysPath) == 0 else {
                throw CommandError("cannot move the restored register into \(registerPath)")
            }
            for stale in [stagedRegister + "-wal", stagedRegister + "-shm"] { try? FileManager.default.removeItem(atPath: stale) }
            try PublishedCheckpoint(into)?.replace(with: newest.note)
        } catch {
            try? await restored.close()
            throw error
        }
        return report
    }

    /// The key a backup was sealed under is never in it: it must be where the register keeps it.
    private func keyFile(_ key: KeyFile, _ explicit: String?, _ registerPath: String) throws -> String? {
        if let value = ProcessInfo.processInfo.environment[key.environmentVariable], !value.isEmpty { return explicit }
        let path = key.path(explicit: explicit, besideRegister: registerPath)
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandError(
                "the \(key.purpose) this backup was made under is not at \(path): a backup never holds it, so put it there "
                    + "(or name its file in the settings) before restoring")
        }
        return path
    }
}
