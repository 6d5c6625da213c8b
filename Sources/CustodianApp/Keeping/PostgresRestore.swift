import CustodianCore
import CustodianStorage
import Foundation

/// Takes a PostgreSQL register that pgBackRest has put back (on the database's host, with the
/// servers stopped: docs/operations.md) as the register. Its log must hold backup `name`'s start,
/// verify, and continue the newest checkpoint kept outside the database (`checkpointFile`) and
/// any kept elsewhere; a rollback or fork goes ahead only when a governance user acknowledges it
/// with a reason, and a refusal is logged in the restored log and leaves the kept checkpoint as it
/// was, so every later opening is refused too. Until this succeeds the register does not open.
struct PostgresRestore {
    let name: String
    let into: StoreSettings
    var outsideCheckpoint: String?
    var governanceToken: String?
    var reason: String?

    func run() async throws -> Restore.Report {
        guard BackupRecord.isName(name) else {
            throw CommandError(
                "--from: on PostgreSQL, the name of the backup pgBackRest put back (custodian-YYYYMMDDTHHMMSSZ, its annotation in `pgbackrest info`)"
            )
        }
        guard let kept = PublishedCheckpoint(into) else {
            throw CommandError(
                "\(Setting.checkpointFile): a PostgreSQL restore is checked against the checkpoint the register kept outside its database; name that file"
            )
        }
        let restored = try await Runtime.open(into, continuityChecked: false)
        do {
            let report = try await restore(restored, kept: kept)
            try await restored.close()
            return report
        } catch {
            try? await restored.close()
            throw error
        }
    }

    private func restore(_ restored: Runtime, kept: PublishedCheckpoint) async throws -> Restore.Report {
        guard try await RestoredLog.holdsStart(of: name, restored.ledger) else {
            throw CommandError("this database's log has no entry opening backup \(name): it is not that backup put back")
        }
        let continuity = try await RestoredLog.continuity(of: restored, published: kept, outsideCheckpoint: outsideCheckpoint)
        var acknowledgement: RollbackAcknowledgement?
        if continuity != .continues, let governanceToken {
            let governance = try await RestoredLog.governance(governanceToken, live: nil, restored: restored)
            acknowledgement = RollbackAcknowledgement(governance: governance, reason: reason ?? "")
        }
        let size = try await restored.ledger.size()
        // pgBackRest puts the cluster back whole, key store and log together: what the log lost,
        // the key store lost too, erasures among it.
        let erasures =
            continuity == .continues
            ? "the key store came back with the log, to the same moment"
            : "keys destroyed after entry \(size) are in the key store again: carry out again the erasures the published log records after it"
        try await restored.register.recordRestore(
            name, continuity: continuity, acknowledgement: acknowledgement, erasuresKept: erasures, by: Directory.commandLine)
        try await restored.ledger.publish()
        guard let newest = try await restored.ledger.latestCheckpoint() else {
            throw CommandError("the restored log has no checkpoint")
        }
        try kept.replace(with: newest.note)
        return Restore.Report(name: name, entries: newest.checkpoint.size, continuity: continuity, erasures: erasures)
    }
}
