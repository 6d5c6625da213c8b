import CustodianCore
import CustodianStorage
import CustodianTestSupport
import Foundation
import SQLKit
import Synchronization
import Testing

/// Verification takes a clean, aligned block of 256 entries whole (hashed on every core, checked
/// as one subtree) and walks entry by entry only where something is in doubt. These tamper deep
/// inside a log of 1,300 entries, in blocks the whole-block path would otherwise take, and expect
/// the same fault, in the same words, as an entry-by-entry walk names.
@Suite struct AuditLogBlockVerificationTests {
    static let databases = TestDatabase.available

    /// 1,300 entries after the fixture's own, naming 0 to 3 subjects (some twice, and one 40 times
    /// over seven people, which the index holds once each), with checkpoints at an unaligned size inside the log and at its end.
    func fill(_ f: RegisterFixture) async throws -> Int64 {
        let people: [SubjectID] = (0..<7).map { _ in IdentifierSource.v7.next() }
        let purpose = RegisterFixture.purpose
        var entries: [AuditEntry] = []
        for i in 0..<1300 {
            var named = (0..<(i % 4)).map { people[(i + $0) % people.count] }
            if i % 9 == 0, let first = named.first { named.append(first) }
            if i == 1002 { named = (0..<40).map { people[$0 % people.count] } }  // a long list, each person many times
            entries.append(
                AuditEntry(
                    at: Timestamp(microseconds: 1_780_000_000_000_000 + Int64(i)), operation: i % 5 == 0 ? .collection : .consultation,
                    action: .subjectRead, actor: i % 2 == 0 ? f.hackneyOfficer : f.analyst, purpose: purpose, subjects: named,
                    touched: named.map { .subject($0) }))
            if i == 600 || i == 1299 {
                try await SQLRegisterStore(driver: f.store.driver).log(entries)
                entries = []
                try await f.ledger.publish()
            }
        }
        return try #require(try await f.ledger.latestCheckpoint()).checkpoint.size
    }

    @Test(arguments: databases) func aLongLogVerifiesAndEveryKindOfEditDeepInsideIsNamed(_ db: TestDatabase) async throws {
        // Entry 1000 sits in the block 768..<1024, clear of both checkpoints; 1001 names a subject.
        var edits: [(tamper: @Sendable (RegisterFixture) async throws -> Void, fault: String)] = [
            (
                { try await $0.store.tamperWithEntry(1000) { $0[CanonicalEntry.leaf($0).count - 3] ^= 0x01 } },
                "entry 1000: its bytes were changed after it was logged (its hash differs from the tree's)"
            ),
            (
                // After the leaf: the openings the register reads the entry from, outside the hash.
                { try await $0.store.tamperWithEntry(1001) { $0[$0.count - 3] ^= 0x01 } },
                "entry 1001: its stored details differ from what its signed digests commit to"
            ),
            (
                { try await $0.store.tamper("UPDATE audit_log SET actor_id = '00000000-0000-0000-0000-000000000000' WHERE seq = 1000") },
                "entry 1000: its actor column says 00000000-0000-0000-0000-000000000000"
            ),
            ({ try await $0.store.tamper("UPDATE audit_log SET at_us = at_us + 1 WHERE seq = 1000") }, "entry 1000: its time column"),
            (
                { try await $0.store.tamper("UPDATE audit_log SET operation = 'disclosure' WHERE seq = 1000") },
                "entry 1000: its operation column says disclosure"
            ),
            ({ try await $0.store.tamper("DELETE FROM audit_log_subjects WHERE seq = 1001") }, "entry 1001: its per-subject index rows"),
            (
                {
                    try await $0.store.tamper(
                        "INSERT INTO audit_log_subjects (subject_id, seq) VALUES ('00000000-0000-0000-0000-0000000000ee', 1000)")
                },
                "entry 1000: its per-subject index rows"
            ),
            (
                {
                    try await $0.store.tamper("DELETE FROM audit_log_subjects WHERE seq = 1000")
                    try await $0.store.tamper("DELETE FROM audit_log WHERE seq = 1000")
                }, "entry 1000 is missing: the log goes from 999 to 1001"
            ),
        ]
        if db.isPostgres {
            // A repeated row: SQLite's primary key refuses one (below); PostgreSQL's index on the
            // subject alone takes it, so verification must count it.
            edits.append(
                (
                    {
                        try await $0.store.tamper(
                            "INSERT INTO audit_log_subjects (subject_id, seq) SELECT subject_id, seq FROM audit_log_subjects WHERE seq = 1001"
                        )
                    }, "entry 1001: its per-subject index rows"
                ))
        } else {
            // PostgreSQL's uuid column cannot hold an upper-case id at all.
            edits.append(
                (
                    { try await $0.store.tamper("UPDATE audit_log SET actor_id = UPPER(actor_id) WHERE seq = 1000") },
                    "entry 1000: its actor column says"
                ))
        }
        for (tamper, fault) in edits {
            try await withRegister(db) { f in
                let size = try await fill(f)
                let intact = try await f.ledger.verify()
                #expect(intact.entries == size && intact.checkpoints == 2 && intact.unsigned == 0)
                try await tamper(f)
                try await expectVerification(of: f, toName: fault, after: "an edit deep inside the log")
            }
        }
    }

    /// A group commit starts its next flush where its last one ended, without reading the table;
    /// a write in between (a register transaction, or another process) takes those numbers, and
    /// the flush must then read the table and retry: never a gap, never a refusal to the caller.
    @Test(arguments: databases) func aGroupCommitWhoseNextNumberWasTakenMeanwhileRetriesFromTheTable(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let store = SQLRegisterStore(driver: f.store.driver)
            let people: [SubjectID] = (0..<3).map { _ in IdentifierSource.v7.next() }
            func consult(_ n: Int, naming named: Int = 0) -> [AuditEntry] {
                (0..<n).map { _ in
                    AuditEntry(
                        at: Timestamp(microseconds: 1_790_000_000_000_000), operation: .consultation, action: .subjectRead,
                        actor: f.analyst, purpose: RegisterFixture.purpose, subjects: Array(people.prefix(named)))
                }
            }
            try await store.log(consult(3))
            try await store.log(consult(2, naming: 2))  // from its own guess, in one statement on PostgreSQL
            // Another store over the same database (as a second process would be) appends between.
            try await SQLRegisterStore(driver: f.store.driver).log(consult(4))
            _ = try await f.register.recordSubject(RegisterFixture.draft(), by: f.hackneyOfficer, for: RegisterFixture.purpose)
            try await store.log(consult(5, naming: 3))  // its guess is taken: it must retry from the table
            try await store.log(consult(1, naming: 1))
            try await f.ledger.publish()
            let summary = try await f.ledger.verify()
            let rows = try await f.store.driver.read { db in try await db.select().column("seq").from("audit_log").all().count }
            #expect(summary.entries == Int64(rows) && summary.unsigned == 0)
            #expect(
                try await f.register.auditLog(AuditQuery(subject: people[2]), by: f.auditor, for: RegisterFixture.auditPurpose).count == 5)
        }
    }

    /// A flush is all or nothing: when the database refuses one row of it (here a trigger on the
    /// per-subject index), every caller in it gets the error, none of its entries is kept, and the
    /// next flush writes on from where the log ends, with no gap.
    @Test(arguments: databases) func aRefusedFlushKeepsNoneOfItsEntriesAndTheLogGoesOnWithoutAGap(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let store = SQLRegisterStore(driver: f.store.driver)
            let refused: SubjectID = IdentifierSource.v7.next()
            func consult(_ named: [SubjectID]) -> AuditEntry {
                AuditEntry(
                    at: Timestamp(microseconds: 1_790_000_000_000_000), operation: .consultation, action: .subjectRead, actor: f.analyst,
                    purpose: RegisterFixture.purpose, subjects: named)
            }
            func logged() async throws -> Int {
                try await f.store.driver.read { db in try await db.select().column("seq").from("audit_log").all().count }
            }
            try await store.log([consult([IdentifierSource.v7.next()])])
            let before = try await logged()
            if case .sqlite = db {
                try await f.store.tamper(
                    "CREATE TRIGGER refuse BEFORE INSERT ON audit_log_subjects WHEN NEW.subject_id = '\(refused)' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            } else {
                try await f.store.tamper(
                    "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN IF NEW.subject_id = '\(refused)' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
                )
                try await f.store.tamper("CREATE TRIGGER refuse BEFORE INSERT ON audit_log_subjects FOR EACH ROW EXECUTE FUNCTION refuse()")
            }
            await #expect(throws: (any Error).self) {
                try await store.log([consult([IdentifierSource.v7.next()]), consult([refused]), consult([])])
            }
            #expect(try await logged() == before)
            try await f.store.tamper("DROP TRIGGER refuse" + (db.isPostgres ? " ON audit_log_subjects" : ""))
            try await store.log([consult([refused]), consult([])])
            #expect(try await logged() == before + 2)
            try await f.ledger.publish()
            #expect(try await f.ledger.verify().entries == Int64(before + 2))
        }
    }

    /// A group commit's flush waits for the sequence lock before it writes a row, even when it
    /// writes without a transaction of its own (one statement on PostgreSQL): a register write that
    /// has taken the lock and not yet written holds every flush back until it ends, so its numbers
    /// can never be taken from under it.
    @Test(arguments: databases) func aFlushWaitsForAWriteThatHoldsTheSequenceLock(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let store = SQLRegisterStore(driver: f.store.driver)
            let entry = AuditEntry(
                at: Timestamp(microseconds: 1_790_000_000_000_000), operation: .consultation, action: .subjectRead, actor: f.analyst,
                purpose: RegisterFixture.purpose, subjects: [IdentifierSource.v7.next()])
            try await store.log([entry])  // the next flush starts from its own guess
            func logged() async throws -> Int {
                try await f.store.driver.read { db in try await db.select().column("seq").from("audit_log").all().count }
            }
            let before = try await logged()
            let (locked, lockTaken) = AsyncStream<Void>.makeStream()
            let (release, released) = AsyncStream<Void>.makeStream()
            let writer = Task {
                try await f.store.driver.transaction { db in
                    if db.dialect.name == "postgresql" {  // on SQLite the transaction itself holds the only write lock
                        try await db.raw("SELECT pg_advisory_xact_lock(62)").run()
                    }
                    lockTaken.yield()
                    for await _ in release { break }
                }
            }
            for await _ in locked { break }
            let flushed = Mutex(false)
            let flush = Task {
                try await store.log([entry])
                flushed.withLock { $0 = true }
            }
            try await Task.sleep(for: .milliseconds(300))
            #expect(!flushed.withLock { $0 }, "the flush wrote while another transaction held the sequence lock")
            #expect(try await logged() == before)
            released.yield()
            try await writer.value
            try await flush.value
            #expect(try await logged() == before + 1)
            try await f.ledger.publish()
            #expect(try await f.ledger.verify().entries == Int64(before + 1))
        }
    }

    /// 0021 rebuilds the log's indexes smaller: a log made before it keeps every index row, still
    /// verifies, and still answers a filter by subject.
    @Test(arguments: databases) func theCompactIndexesKeepEveryRowOfALogMadeBeforeThem(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let size = try await fill(f)
            func rows() async throws -> Int {
                try await f.store.driver.read { db in try await db.select().column("seq").from("audit_log_subjects").all().count }
            }
            let before = try await rows()
            // Back to the schema before 0021, with the same rows, then migrated again.
            if case .sqlite = db {
                try await f.store.tamper(
                    "CREATE TABLE old_subjects (subject_id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (subject_id, seq))")
                try await f.store.tamper("INSERT INTO old_subjects SELECT subject_id, seq FROM audit_log_subjects")
                try await f.store.tamper("DROP TABLE audit_log_subjects")
                try await f.store.tamper("ALTER TABLE old_subjects RENAME TO audit_log_subjects")
            } else {
                try await f.store.tamper("DROP INDEX audit_log_time")
                try await f.store.tamper("CREATE INDEX audit_log_time ON audit_log (at_us)")
            }
            try await f.store.tamper("DELETE FROM schema_migrations WHERE id = '0021-audit-index-compact'")
            #expect(try await Migrations.run(on: f.store.driver) == ["0021-audit-index-compact"])
            #expect(try await rows() == before && before > 1000)
            #expect(try await f.ledger.verify().entries == size)
            // A filter by person and one by period read the rebuilt indexes.
            let first = try await f.store.driver.read { db in
                try await db.select().column("subject_id").from("audit_log_subjects").orderBy("seq").first()?.decode(
                    column: "subject_id", as: String.self)
            }
            let person = try #require(first.flatMap(SubjectID.init))
            let named = try await subjectRows(naming: person, in: f, db)
            let purpose = RegisterFixture.auditPurpose
            let found = try await f.register.auditLog(AuditQuery(subject: person, limit: 500), by: f.auditor, for: purpose)
            #expect(found.count == min(named, 500) && found.allSatisfy { $0.entry.subjects.contains(person) })
            let period = try await f.register.auditLog(
                AuditQuery(
                    from: Timestamp(microseconds: 1_780_000_000_000_100), until: Timestamp(microseconds: 1_780_000_000_000_110), limit: 500),
                by: f.auditor, for: purpose)
            #expect(period.map(\.entry.at.microseconds).sorted() == Array(1_780_000_000_000_100..<1_780_000_000_000_110))
        }
    }

    /// 0023 gives PostgreSQL's log uuid id columns and an index on the subject alone: a log made
    /// before it keeps every row, still verifies, and still answers a filter by person and by
    /// actor. On SQLite it changes nothing.
    @Test(arguments: databases) func theUUIDColumnsKeepEveryRowOfALogMadeBeforeThem(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let size = try await fill(f)
            let first = try await f.store.driver.read { db in
                try await db.select().column("subject_id").from("audit_log_subjects").orderBy("seq").first()?.decode(
                    column: "subject_id", as: String.self)
            }
            let person = try #require(first.flatMap(SubjectID.init))
            let before = try await subjectRows(naming: person, in: f, db)
            if db.isPostgres {
                // Back to the text columns and the primary key, with the same rows.
                try await f.store.tamper("DROP INDEX audit_log_subjects_subject")
                try await f.store.tamper("ALTER TABLE audit_log_subjects ALTER COLUMN subject_id TYPE text")
                try await f.store.tamper("ALTER TABLE audit_log_subjects ADD PRIMARY KEY (subject_id, seq)")
                try await f.store.tamper("ALTER TABLE audit_log ALTER COLUMN actor_id TYPE text")
            }
            try await f.store.tamper("DELETE FROM schema_migrations WHERE id = '0023-audit-uuid-ids'")
            #expect(try await Migrations.run(on: f.store.driver) == ["0023-audit-uuid-ids"])
            let types = try await columnTypes(f, db)
            #expect(types == (db.isPostgres ? ["uuid", "uuid"] : ["TEXT", "TEXT"]))
            #expect(try await subjectRows(naming: person, in: f, db) == before && before > 0)
            #expect(try await f.ledger.verify().entries == size)
            let purpose = RegisterFixture.auditPurpose
            let named = try await f.register.auditLog(AuditQuery(subject: person, limit: 500), by: f.auditor, for: purpose)
            #expect(named.count == min(before, 500) && named.allSatisfy { $0.entry.subjects.contains(person) })
            let byActor = try await f.register.auditLog(AuditQuery(actor: f.hackneyOfficer.id, limit: 500), by: f.auditor, for: purpose)
            #expect(!byActor.isEmpty && byActor.allSatisfy { $0.entry.actor == f.hackneyOfficer.id })
        }
    }

    /// On SQLite the per-subject rows keep their primary key, which refuses a repeated row.
    @Test func sqliteRefusesARepeatedPerSubjectRow() async throws {
        try await withRegister(.sqlite) { f in
            _ = try await fill(f)
            await #expect(throws: (any Error).self) {
                try await f.store.tamper(
                    "INSERT INTO audit_log_subjects (subject_id, seq) SELECT subject_id, seq FROM audit_log_subjects WHERE seq = 1001")
            }
        }
    }

    /// How many per-subject rows name `person`, bound as the column holds ids.
    private func subjectRows(naming person: SubjectID, in f: RegisterFixture, _ kind: TestDatabase) async throws -> Int {
        let id: any SQLExpression = kind.isPostgres ? SQLBind(person.uuid) : SQLBind(person.description)
        return try await f.store.driver.read { db in
            try await db.select().column("seq").from("audit_log_subjects").where(SQLIdentifier("subject_id"), .equal, id).all().count
        }
    }

    /// The declared types of the log's actor and subject id columns.
    private func columnTypes(_ f: RegisterFixture, _ kind: TestDatabase) async throws -> [String] {
        try await f.store.driver.read { db in
            if kind.isPostgres {
                return try await db.raw(
                    """
                    SELECT data_type AS t FROM information_schema.columns WHERE table_schema = current_schema()
                    AND ((table_name = 'audit_log' AND column_name = 'actor_id') OR (table_name = 'audit_log_subjects' AND column_name = 'subject_id'))
                    ORDER BY table_name
                    """
                ).all().map { try $0.decode(column: "t", as: String.self) }
            }
            var types: [String] = []
            for (table, column) in [("audit_log", "actor_id"), ("audit_log_subjects", "subject_id")] {
                let rows = try await db.raw("SELECT name, type FROM pragma_table_info(\(literal: table))").all()
                for row in rows where try row.decode(column: "name", as: String.self) == column {
                    types.append(try row.decode(column: "type", as: String.self))
                }
            }
            return types
        }
    }

    @Test(arguments: databases) func entriesLoggedAfterTheLastCheckpointAreVerifiedAgainstEachOtherAndTheIndex(_ db: TestDatabase)
        async throws
    {
        try await withRegister(db) { f in
            let size = try await fill(f)
            try await SQLRegisterStore(driver: f.store.driver).log(
                (0..<700).map { i in
                    AuditEntry(
                        at: Timestamp(microseconds: 1_790_000_000_000_000 + Int64(i)), operation: .consultation, action: .subjectRead,
                        actor: f.analyst, purpose: RegisterFixture.purpose, subjects: [IdentifierSource.v7.next()])
                })
            let summary = try await f.ledger.verify()
            #expect(summary.entries == size + 700 && summary.unsigned == 700)
            try await f.store.tamper("DELETE FROM audit_log_subjects WHERE seq = \(size + 650)")
            await #expect(throws: LogFault.self) { try await f.ledger.verify() }
        }
    }
}
