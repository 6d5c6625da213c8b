import CustodianCore
import Foundation
import NIOCore
import PostgresNIO
import SQLiteNIO
import Synchronization

extension SQLiteDriver: AuditLogScan {
    func page(from start: Int64, limit: Int) async throws -> LogPage {
        if let path { return try await SQLiteLogReader(path: path).page(from: start, limit: limit) }
        // In memory there is one connection and no file to open beside it.
        return try await readConnection { connection in
            let gathered = Gathered((page: LogPage(capacity: limit), unreadable: false))
            try await connection.query(
                "SELECT seq, at_us, actor_id, operation, entry FROM audit_log WHERE seq >= ?1 ORDER BY seq LIMIT ?2",
                [.integer(Int(start)), .integer(limit)]
            ) { row in
                gathered.value.withLock { out in
                    guard case .integer(let seq)? = row.column("seq"), case .integer(let at)? = row.column("at_us"),
                        case .text(let actor)? = row.column("actor_id"), case .text(let operation)? = row.column("operation"),
                        case .blob(let entry)? = row.column("entry")
                    else {
                        out.unreadable = true
                        return
                    }
                    entry.withUnsafeReadableBytes {
                        out.page.append(sequence: Int64(seq), time: Int64(at), actor: actor, operation: operation, entry: $0)
                    }
                }
            }
            let (page, unreadable) = gathered.take()
            if unreadable { throw unreadableRow("audit_log", after: start) }
            return page
        }
    }

    func subjectIndex(below size: Int64, into digest: SubjectIndexDigest) async throws -> SubjectIndexDigest {
        if let path { return try await SQLiteLogReader(path: path).subjectIndex(below: size, into: digest) }
        return try await readConnection { connection in
            let gathered = Gathered((digest: digest, unreadable: false))
            try await connection.query("SELECT seq, subject_id FROM audit_log_subjects WHERE seq < ?1", [.integer(Int(size))]) { row in
                gathered.value.withLock { out in
                    guard case .integer(let seq)? = row.column("seq"), case .text(var subject)? = row.column("subject_id") else {
                        out.unreadable = true
                        return
                    }
                    subject.withUTF8 { out.digest.add(sequence: Int64(seq), subject: UnsafeRawBufferPointer($0)) }
                }
            }
            let (found, unreadable) = gathered.take()
            if unreadable { throw unreadableRow("audit_log_subjects", after: 0) }
            return found
        }
    }
}

extension PostgresDriver: AuditLogScan {
    // Rows are taken on the connection's event loop as they arrive (PostgresNIO's `onRow`): its
    // async row sequence wakes the reading task once per row, which cost more than the rows.

    func page(from start: Int64, limit: Int) async throws -> LogPage {
        try await client.withConnection { [logger] connection in
            let gathered = Gathered(LogPage(capacity: limit))
            _ = try await connection.query(
                "SELECT seq, at_us, actor_id, operation, entry FROM audit_log WHERE seq >= \(start) ORDER BY seq LIMIT \(limit)",
                logger: logger
            ) { row in
                let (seq, at, actor, operation, entry) = try row.decode((Int64, Int64, ByteBuffer, ByteBuffer, ByteBuffer).self)
                gathered.value.withLock { page in
                    actor.withUnsafeReadableBytes { uuid in
                        withCanonicalText(uuid) { a in
                            operation.withUnsafeReadableBytes { o in
                                entry.withUnsafeReadableBytes { e in page.append(sequence: seq, time: at, actor: a, operation: o, entry: e)
                                }
                            }
                        }
                    }
                }
            }.get()
            return gathered.take()
        }
    }

    func subjectIndex(below size: Int64, into digest: SubjectIndexDigest) async throws -> SubjectIndexDigest {
        try await client.withConnection { [logger] connection in
            let gathered = Gathered(digest)
            _ = try await connection.query("SELECT seq, subject_id FROM audit_log_subjects WHERE seq < \(size)", logger: logger) { row in
                let (seq, subject) = try row.decode((Int64, ByteBuffer).self)
                gathered.value.withLock { digest in
                    subject.withUnsafeReadableBytes { uuid in withCanonicalText(uuid) { digest.add(sequence: seq, subject: $0) } }
                }
            }.get()
            return gathered.take()
        }
    }
}

/// A `uuid` column's 16 bytes (PostgreSQL sends it binary) as the lower-case canonical text the
/// entries' bytes hold, which is what verification compares. Any other length is passed as it is,
/// to be reported as the disagreement it is.
private func withCanonicalText<R>(_ raw: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    guard raw.count == 16 else { return body(raw) }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { out in
        let written = UUIDText.write(raw, into: out)
        return body(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(out)[0..<written]))
    }
}
