import CustodianCore
import Foundation
import SQLKit

/// The log's SQL, inside whatever transaction the caller holds. The same statements on SQLite and
/// PostgreSQL; times and sequences are integers and entries are their canonical bytes.
struct AuditLogSQL {
    let db: any SQLDatabase

    /// Gives the entries the next sequence numbers and writes them. Sequence numbers are dense
    /// from 0 and are the leaf indexes of the Merkle tree.
    ///
    /// `from` is a caller's guess at the next number (the end of its own last append), which saves
    /// reading it: if anyone has appended since, the first number is taken and the primary key
    /// refuses the insert, so a wrong guess fails and is never a gap or a duplicate.
    @discardableResult
    func append(_ entries: [AuditEntry], from guess: Int64? = nil) async throws -> [RecordedAuditEntry] {
        guard !entries.isEmpty else { return [] }
        try await Dialect.lockAuditSequence(db)
        let next: Int64
        if let guess { next = guess } else { next = try await size() }
        let recorded = entries.enumerated().map { RecordedAuditEntry(sequence: next + Int64($0.offset), entry: $0.element) }
        try await insert(recorded)
        return recorded
    }

    /// The number of entries: the next sequence number.
    func size() async throws -> Int64 {
        let last = try await db.select().column(SQLFunction("MAX", args: SQLIdentifier("seq")), as: "last").from("audit_log")
            .first().flatMap { try $0.decode(column: "last", as: Int64?.self) }
        return last.map { $0 + 1 } ?? 0
    }

    func insert(_ recorded: [RecordedAuditEntry]) async throws {
        // Bounded multi-row inserts: both databases cap the bind parameters of one statement.
        for start in stride(from: 0, to: recorded.count, by: Self.entriesPerStatement) {
            let (entries, subjects) = rows(recorded[start..<min(start + Self.entriesPerStatement, recorded.count)])
            let entryInsert = db.insert(into: "audit_log").columns(Self.entryColumns).rows(entries)
            let subjectInsert = db.insert(into: "audit_log_subjects").columns(Self.subjectColumns).rows(subjects)
            if !subjects.isEmpty, db.dialect.name == "postgresql" {
                // One round trip for both: the entries' insert as a data-modifying CTE.
                try await db.execute(sql: InsertBoth(first: entryInsert.insert, then: subjectInsert.insert)) { _ in }
            } else {
                try await entryInsert.run()
                if !subjects.isEmpty { try await subjectInsert.run() }
            }
        }
    }

    private static let entriesPerStatement = 500
    private static let entryColumns = ["seq", "at_us", "actor_id", "operation", "entry"]
    private static let subjectColumns = ["subject_id", "seq"]

    /// The bound values of each entry's row and of its per-subject rows.
    private func rows(_ recorded: ArraySlice<RecordedAuditEntry>) -> (
        entries: [[any SQLExpression]], subjects: [[any SQLExpression]]
    ) {
        var entries: [[any SQLExpression]] = []
        var subjects: [[any SQLExpression]] = []
        for r in recorded {
            let e = r.entry
            entries.append(
                [
                    SQLBind(r.sequence), SQLBind(e.at.microseconds), Dialect.auditID(e.actor, db), SQLBind(e.operation.rawValue),
                    SQLBind(CanonicalEntry.encode(r)),
                ])
            for subject in e.indexedSubjects { subjects.append([Dialect.auditID(subject, db), SQLBind(r.sequence)]) }
        }
        return (entries, subjects)
    }

    /// `WITH first AS (INSERT ...) INSERT ...`: PostgreSQL runs both in one statement.
    private struct InsertBoth: SQLExpression {
        let first: SQLInsert
        let then: SQLInsert

        func serialize(to serializer: inout SQLSerializer) {
            serializer.write("WITH first AS (")
            first.serialize(to: &serializer)
            serializer.write(") ")
            then.serialize(to: &serializer)
        }
    }

    /// Filters over the log, newest first.
    func query(_ q: AuditQuery) async throws -> [RecordedAuditEntry] {
        let select = db.select().column(SQLColumn("entry", table: "audit_log")).from("audit_log")
        if let subject = q.subject {
            select.join(
                SQLIdentifier("audit_log_subjects"), method: SQLJoinMethod.inner,
                on: SQLBinaryExpression(
                    left: SQLColumn("seq", table: "audit_log_subjects"), op: SQLBinaryOperator.equal,
                    right: SQLColumn("seq", table: "audit_log"))
            )
            .where(SQLColumn("subject_id", table: "audit_log_subjects"), .equal, Dialect.auditID(subject, db))
        }
        if let actor = q.actor { select.where(SQLColumn("actor_id", table: "audit_log"), .equal, Dialect.auditID(actor, db)) }
        if let op = q.operation { select.where(SQLColumn("operation", table: "audit_log"), .equal, SQLBind(op.rawValue)) }
        if let from = q.from { select.where(SQLColumn("at_us", table: "audit_log"), .greaterThanOrEqual, SQLBind(from.microseconds)) }
        if let until = q.until { select.where(SQLColumn("at_us", table: "audit_log"), .lessThan, SQLBind(until.microseconds)) }
        if let before = q.before { select.where(SQLColumn("seq", table: "audit_log"), .lessThan, SQLBind(before)) }
        let rows = try await select.orderBy(SQLColumn("seq", table: "audit_log"), SQLDirection.descending).limit(q.limit).all()
        return try rows.map(Self.decodeEntry)
    }

    /// Kept out of the async functions: the Swift 6.3 optimiser crashes splitting an async
    /// function that calls a typed-throws decoder inside a closure.
    static func decodeEntry(_ row: any SQLRow) throws -> RecordedAuditEntry {
        try decodeEntry(bytes: try row.decode(column: "entry", as: Data.self))
    }

    static func decodeEntry(bytes: Data) throws -> RecordedAuditEntry {
        do { return try CanonicalEntry.decode(bytes) } catch { throw StoreError.corrupt("\(error)") }
    }

    /// Stored entries with `start <= seq < end`, as (sequence column, canonical bytes), in order.
    func rawEntries(from start: Int64, to end: Int64) async throws -> [(Int64, Data)] {
        try await db.select().columns("seq", "entry").from("audit_log")
            .where("seq", .greaterThanOrEqual, start).where("seq", .lessThan, end).orderBy("seq").all()
            .map { (try $0.int64("seq"), try $0.decode(column: "entry", as: Data.self)) }
    }

    /// Up to `limit` stored entries with `seq >= start`, in order: a gap shows as a jump.
    func rawEntries(after start: Int64, limit: Int) async throws -> [(Int64, Data)] {
        try await db.select().columns("seq", "entry").from("audit_log").where("seq", .greaterThanOrEqual, start).orderBy("seq").limit(limit)
            .all()
            .map { (try $0.int64("seq"), try $0.decode(column: "entry", as: Data.self)) }
    }

    /// The per-subject index rows for entries `first...last`, as each entry's subject ids in
    /// order, a repeated row repeated.
    func subjectIndex(from first: Int64, through last: Int64) async throws -> [Int64: [String]] {
        let rows = db.select().column(SQLIdentifier("seq")).column(Dialect.auditIDText("subject_id", db)).from("audit_log_subjects")
            .where("seq", .greaterThanOrEqual, first).where("seq", .lessThanOrEqual, last)
        var out: [Int64: [String]] = [:]
        for row in try await rows.all() { out[try row.int64("seq"), default: []].append(try row.text("subject_id")) }
        return out.mapValues { $0.sorted() }
    }

    /// An index row at or past `size` naming an entry the log does not hold: one fabricated in the
    /// index alone. Asked in one snapshot, so entries appended meanwhile are not taken for one.
    func subjectIndexRowWithoutEntry(atOrAfter size: Int64) async throws -> Int64? {
        try await db.raw(
            """
            SELECT s.seq AS seq FROM audit_log_subjects s WHERE s.seq >= \(bind: size)
            AND NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.seq = s.seq) ORDER BY s.seq LIMIT 1
            """
        ).first().map { try $0.int64("seq") }
    }

    // MARK: Tiles

    func tiles(level: Int, from first: Int64, through last: Int64) async throws -> [Int64: Data] {
        var found: [Int64: Data] = [:]
        for row in try await db.select().columns("idx", "hashes").from("audit_tiles")
            .where("level", .equal, level).where("idx", .greaterThanOrEqual, first).where("idx", .lessThanOrEqual, last).all()
        {
            found[try row.int64("idx")] = try row.decode(column: "hashes", as: Data.self)
        }
        return found
    }

    func putTile(level: Int, index: Int64, hashes: Data) async throws {
        try await db.insert(into: "audit_tiles").columns("level", "idx", "hashes").values(level, index, hashes)
            .onConflict(with: ["level", "idx"]) { try $0.set(excludedValueOf: "hashes") }
            .run()
    }

    // MARK: Checkpoints

    func insertCheckpoint(_ c: StoredCheckpoint) async throws {
        try await db.insert(into: "audit_checkpoints").columns("size", "root", "note", "published_at_us")
            .values(c.checkpoint.size, c.checkpoint.root, c.note, c.publishedAt.microseconds).run()
    }

    func latestCheckpoint(origin: String) async throws -> StoredCheckpoint? {
        try await checkpoints(db.select().column("*").from("audit_checkpoints").orderBy("size", .descending).limit(1), origin: origin).first
    }

    func checkpoint(size: Int64, origin: String) async throws -> StoredCheckpoint? {
        try await checkpoints(db.select().column("*").from("audit_checkpoints").where("size", .equal, size), origin: origin).first
    }

    func allCheckpoints(origin: String) async throws -> [StoredCheckpoint] {
        try await checkpoints(db.select().column("*").from("audit_checkpoints").orderBy("size"), origin: origin)
    }

    /// Each checkpoint with its witnesses' cosignature lines after the log's own signature.
    private func checkpoints(_ select: SQLSelectBuilder, origin: String) async throws -> [StoredCheckpoint] {
        let rows = try await select.all()
        let sizes = try rows.map { try $0.int64("size") }
        var cosigned: [Int64: String] = [:]
        if let low = sizes.min(), let high = sizes.max() {
            let lines = try await db.select().column("size").column("line").from("audit_cosignatures")
                .where("size", .greaterThanOrEqual, low).where("size", .lessThanOrEqual, high).orderBy("witness").all()
            for line in lines { cosigned[try line.int64("size"), default: ""] += try line.text("line") }
        }
        return try zip(rows, sizes).map { row, size in
            StoredCheckpoint(
                checkpoint: Checkpoint(origin: origin, size: size, root: try row.decode(column: "root", as: Data.self)),
                note: try row.text("note") + (cosigned[size] ?? ""), publishedAt: Timestamp(microseconds: try row.int64("published_at_us")))
        }
    }

    func addCosignature(size: Int64, witness: String, line: String, at time: Int64) async throws {
        try await db.delete(from: "audit_cosignatures").where("size", .equal, size).where("witness", .equal, witness).run()
        try await db.insert(into: "audit_cosignatures").columns("size", "witness", "line", "cosigned_at")
            .values(SQLBind(size), SQLBind(witness), SQLBind(line), SQLBind(time)).run()
    }

    func cosignedSize(by witness: String) async throws -> Int64? {
        try await db.select().column(SQLFunction("max", args: SQLColumn("size")), as: "size").from("audit_cosignatures")
            .where("witness", .equal, witness).first()?.decode(column: "size", as: Int64?.self)
    }
}
