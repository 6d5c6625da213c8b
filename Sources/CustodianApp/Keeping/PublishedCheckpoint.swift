import CustodianCore
import CustodianStorage
import Foundation

/// The newest checkpoint a register has published, kept in a file outside its database (beside a
/// SQLite register as `PATH.checkpoint`, or where `checkpointFile` says), so putting an older
/// database in its place, by copying files or by a PostgreSQL point-in-time restore, does not put
/// this back too. A register whose log is shorter than it, or is not the log it signed, is
/// refused at opening: that is a rollback.
struct PublishedCheckpoint: Sendable {
    let path: String

    init(path: String) { self.path = path }

    /// Where `settings` keep it; nil for an in-memory register, and for PostgreSQL with none named.
    init?(_ settings: StoreSettings) {
        if let named = settings.checkpointFile {
            path = named
        } else if case .sqlite(let database) = settings.database, database != ":memory:" {
            path = database + ".checkpoint"
        } else {
            return nil
        }
    }

    /// The note kept, checked against the log's key; nil when none has been kept.
    func read(_ verifier: NoteVerifier) throws -> StoredCheckpoint? {
        guard let note = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        do {
            return StoredCheckpoint(checkpoint: try verifier.open(note), note: note, publishedAt: Timestamp(microseconds: 0))
        } catch {
            throw CommandError("the register's published checkpoint \(path) is not one its audit key signed: \(error)")
        }
    }

    /// Keeps `checkpoint` when it reaches further than the one kept: written aside and renamed, so
    /// a crash leaves the old note or the new, never half of one.
    func keep(_ checkpoint: StoredCheckpoint, over kept: Int64?) throws {
        guard checkpoint.checkpoint.size > (kept ?? -1) else { return }
        try replace(with: checkpoint.note)
    }

    func replace(with note: String) throws {
        let aside = path + ".new"
        guard FileManager.default.createFile(atPath: aside, contents: Data(note.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CommandError("cannot write \(aside)")
        }
        guard rename(aside, path) == 0 else { throw CommandError("cannot replace \(path)") }
    }

    /// Refuses a log shorter than the checkpoint kept, or one whose own checkpoint of that size
    /// has another root.
    func checkContinued(by ledger: SQLAuditLedger) async throws {
        guard let published = try read(ledger.verifier) else { return }
        let size = try await ledger.size()
        let continuity: RestoreContinuity
        if size < published.checkpoint.size {
            continuity = .shorter(published: published.checkpoint.size, restored: size)
        } else if let own = try await ledger.checkpoint(size: published.checkpoint.size), own.checkpoint.root != published.checkpoint.root {
            continuity = .forked(published: published.checkpoint.size)
        } else {
            return
        }
        throw CommandError(
            "this register's audit log is not the one it published (\(path)): \(continuity). "
                + "Put back the register that published it, or restore a backup with `custodian restore`, which asks governance to acknowledge a rollback"
        )
    }
}
