import CustodianCore
import Foundation
import NIOCore
import PostgresNIO

extension PostgresDriver {
    /// A group commit's entries as one statement outside any transaction, numbered from `guess`:
    /// the sequence lock, the entries and their per-subject rows, which commits on its own (one
    /// round trip and one flush, where a transaction took four round trips). Each column goes as
    /// one array, so the statement's text is the same for any number of entries and the values
    /// are encoded by PostgresNIO directly, not bound one by one through SQLKit. Every row is
    /// joined to the lock's one row, so none is written before the lock is held; a number taken
    /// meanwhile fails the primary key and nothing of the statement is kept.
    func appendLog(_ entries: [AuditEntry], from guess: Int64) async throws {
        var (seqs, times, actors, operations, bytes) = ([Int64](), [Int64](), [UUID](), [String](), [ByteBuffer]())
        var (subjects, subjectSeqs) = ([UUID](), [Int64]())
        for (offset, entry) in entries.enumerated() {
            let seq = guess + Int64(offset)
            seqs.append(seq)
            times.append(entry.at.microseconds)
            actors.append(entry.actor.uuid)
            operations.append(entry.operation.rawValue)
            bytes.append(ByteBuffer(bytes: CanonicalEntry.encode(RecordedAuditEntry(sequence: seq, entry: entry))))
            for subject in entry.indexedSubjects {
                subjects.append(subject.uuid)
                subjectSeqs.append(seq)
            }
        }
        let query: PostgresQuery = """
            WITH held AS MATERIALIZED (SELECT pg_advisory_xact_lock(\(unescaped: String(Dialect.auditSequenceLock)))),
            first AS (INSERT INTO audit_log (seq, at_us, actor_id, operation, entry)
              SELECT e.* FROM unnest(\(seqs)::int8[], \(times)::int8[], \(actors)::uuid[], \(operations)::text[], \(bytes)::bytea[]) AS e, held)
            INSERT INTO audit_log_subjects (subject_id, seq) SELECT s.* FROM unnest(\(subjects)::uuid[], \(subjectSeqs)::int8[]) AS s, held
            """
        try await leased { [logger, metrics] connection in
            _ = try await WatchedConnection.watch(connection.query(query, logger: logger) { _ in }, on: connection, pool: metrics.pool)
                .get()
        }
    }
}
