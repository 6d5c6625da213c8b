import CustodianCore
import CustodianStorage
import Foundation

/// What every restore decides with, whatever put the register back: how its log stands against
/// the newest checkpoint the register is known to have published, and who may acknowledge a
/// rollback.
enum RestoredLog {
    /// The restored log verified, then set against the newest of the checkpoint kept outside the
    /// database and one kept elsewhere (an auditor's, a witness's), whichever reaches further.
    static func continuity(of restored: Runtime, published kept: PublishedCheckpoint?, outsideCheckpoint: String?) async throws
        -> RestoreContinuity
    {
        let verifier = restored.ledger.verifier
        var published: [StoredCheckpoint] = []
        if let note = try kept?.read(verifier) { published.append(note) }
        if let outsideCheckpoint {
            guard let note = try? String(contentsOfFile: outsideCheckpoint, encoding: .utf8) else {
                throw CommandError("cannot read \(outsideCheckpoint)")
            }
            published.append(StoredCheckpoint(checkpoint: try verifier.open(note), note: note, publishedAt: Timestamp(microseconds: 0)))
        }
        do {
            _ = try await restored.ledger.verify(progress: { _ in })
        } catch let fault as LogFault {
            throw CommandError("the backup's own audit log does not verify, so it is not restored: \(fault)")
        }
        guard let newest = published.max(by: { $0.checkpoint.size < $1.checkpoint.size }) else { return .continues }
        let size = try await restored.ledger.size()
        guard size >= newest.checkpoint.size else { return .shorter(published: newest.checkpoint.size, restored: size) }
        do {
            _ = try await restored.ledger.verify(also: [newest])
            return .continues
        } catch is LogFault {
            return .forked(published: newest.checkpoint.size)
        }
    }

    /// The acknowledging governance user, by an API token of theirs: the register as it stands
    /// knows today's tokens; the backup knows those of its day.
    static func governance(_ token: String, live: Runtime?, restored: Runtime) async throws -> User {
        if let live, let user = try? await live.directory.authenticate(token: token) { return user }
        do {
            return try await restored.directory.authenticate(token: token)
        } catch {
            throw CommandError("the governance token is not one the register knows, or its account is disabled")
        }
    }

    /// Whether the log holds the entry that opened backup `name`: logged before the copy began,
    /// it is in every copy of that backup, and in no copy taken before it.
    static func holdsStart(of name: String, _ ledger: SQLAuditLedger) async throws -> Bool {
        let start = AuditResource(.backup, name)
        var before: Int64?
        while true {
            let page = try await ledger.entries(matching: AuditQuery(operation: .backup, before: before, limit: 500))
            if page.contains(where: { $0.entry.touched.contains(start) && $0.entry.outcome == "started" }) { return true }
            guard page.count == 500, let last = page.last else { return false }
            before = last.sequence
        }
    }
}
