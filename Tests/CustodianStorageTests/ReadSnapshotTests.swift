@_spi(Storage) import CustodianCore
import CustodianStorage
import CustodianTestSupport
import Foundation
import SQLKit
import Testing

/// SQLite and PostgreSQL read alike: a consultation sees one snapshot from its first statement to
/// its last and can write nothing; lookups (tokens) never wait for the writer.
@Suite struct ReadSnapshotTests {
    static let databases = TestDatabase.available

    struct Count: Decodable { let n: Int }

    static func count(_ db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM snapshot_probe").first(decoding: Count.self)?.n ?? -1
    }

    @Test(arguments: databases) func aReadSeesOneSnapshotAndWritesNothing(_ kind: TestDatabase) async throws {
        try await withTestStore(kind) { store in
            let driver = store.driver
            try await driver.transaction { db in
                try await db.raw("CREATE TABLE snapshot_probe (n INTEGER)").run()
                try await db.raw("INSERT INTO snapshot_probe VALUES (1)").run()
            }
            let (before, after) = try await driver.read { db in
                let before = try await Self.count(db)
                // A write committed by someone else while the read is under way.
                try await driver.transaction { w in try await w.raw("INSERT INTO snapshot_probe VALUES (2)").run() }
                return (before, try await Self.count(db))
            }
            #expect(before == 1 && after == 1, "the read saw the write made during it")
            #expect(try await driver.read { db in try await Self.count(db) } == 2, "a later read sees it")
            await #expect(throws: (any Error).self, "a read wrote") {
                try await driver.read { db in try await db.raw("INSERT INTO snapshot_probe VALUES (3)").run() }
            }
            #expect(try await driver.read { db in try await Self.count(db) } == 2)
        }
    }

    /// A task cancelled in the middle of a read or a write (a timeout, a failed sibling in a task
    /// group, shutdown) leaves no transaction open behind it: every connection serves the next read and
    /// the next write, and the cancelled write kept nothing.
    @Test(arguments: databases) func aCancelledReadOrWriteLeavesNoTransactionOpen(_ kind: TestDatabase) async throws {
        try await withTestStore(kind) { store in
            let driver = store.driver
            try await driver.transaction { db in try await db.raw("CREATE TABLE snapshot_probe (n INTEGER)").run() }
            for _ in 0..<20 {
                let (inside, entered) = AsyncStream<Void>.makeStream()
                let work = Task {
                    defer { entered.finish() }  // so a run where nothing got in cannot hang the wait below
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for _ in 0..<(2 * SQLiteDriver.readerCount) {
                            group.addTask {
                                try await driver.read { db in
                                    entered.yield()
                                    while true {
                                        try Task.checkCancellation()
                                        _ = try await Self.count(db)
                                    }
                                }
                            }
                        }
                        group.addTask {
                            try await driver.transaction { db in
                                entered.yield()
                                while true {
                                    try Task.checkCancellation()
                                    try await db.raw("INSERT INTO snapshot_probe VALUES (1)").run()
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                }
                for await _ in inside { break }
                work.cancel()
                _ = try? await work.value
            }
            for _ in 0..<(2 * SQLiteDriver.readerCount) { #expect(try await driver.read { db in try await Self.count(db) } == 0) }
            try await driver.transaction { db in try await db.raw("INSERT INTO snapshot_probe VALUES (2)").run() }
            #expect(try await driver.read { db in try await Self.count(db) } == 1, "a cancelled write kept rows")
        }
    }

    /// A one-statement read (`readStatement`, the key lookup of every consultation) sends no BEGIN
    /// of its own, so on a connection shared with writes (SQLite's key store has one) it must wait
    /// for another task's transaction to end, not run inside it and see what that transaction
    /// has not committed and then rolls back. On the register's driver it reads beside the writer.
    @Test(arguments: databases) func aOneStatementReadNeverSeesAnotherTasksUncommittedWrite(_ kind: TestDatabase) async throws {
        try await withTestStore(kind) { store in
            for driver in [store.keyDriver, store.driver] {
                try await driver.transaction { db in try await db.raw("CREATE TABLE statement_probe (n INTEGER)").run() }
                let (inside, entered) = AsyncStream<Void>.makeStream()
                let (go, release) = AsyncStream<Void>.makeStream()
                struct Abandoned: Error {}
                let writer = Task {
                    try await driver.transaction { db in
                        try await db.raw("INSERT INTO statement_probe VALUES (1)").run()
                        entered.yield()
                        for await _ in go { break }
                        throw Abandoned()
                    }
                }
                for await _ in inside { break }
                let reader = Task {
                    try await driver.readStatement { db in
                        try await db.raw("SELECT COUNT(*) AS n FROM statement_probe").first(decoding: Count.self)?.n ?? -1
                    }
                }
                // Long enough for a read that did not wait to have read the uncommitted row.
                try await Task.sleep(for: .milliseconds(200))
                release.yield()
                release.finish()
                await #expect(throws: Abandoned.self) { try await writer.value }
                #expect(try await reader.value == 0, "the read saw a row its writer then rolled back")
            }
        }
    }

    /// Signing in with a token while a write holds the writer: the lookup answers at once (it
    /// would wait for the writer forever if it took the writer's lane).
    @Test(arguments: databases) func aTokenLookupDoesNotWaitForTheWriter(_ kind: TestDatabase) async throws {
        try await withRegister(kind) { f in
            let token = try await f.directory.issueToken(for: f.hackneyOfficer.id, label: "t", validForDays: 1, by: Directory.commandLine)
            let (released, release) = AsyncStream<Void>.makeStream()
            let (held, holding) = AsyncStream<Void>.makeStream()
            let writer = Task {
                try await f.register.store.transaction { _ in
                    holding.yield()
                    for await _ in released { break }
                }
            }
            for await _ in held { break }
            // The lookup runs on its own; the test waits at most sixty seconds for its answer (CI
            // runs every suite at once on two cores, and SQLite's thread pool is shared by all of
            // them, so a healthy lookup can queue for seconds), then lets the writer go either way,
            // so a regression fails instead of hanging. An error is reported as itself, not as a wait.
            let (answers, answer) = AsyncStream<Result<User, any Error>>.makeStream()
            let lookup = Task {
                do { answer.yield(.success(try await f.directory.authenticate(token: token))) } catch { answer.yield(.failure(error)) }
                answer.finish()
            }
            let deadline = Task {
                try await Task.sleep(for: .seconds(60))
                answer.finish()
            }
            var outcome: Result<User, any Error>?
            for await answered in answers {
                outcome = answered
                break
            }
            deadline.cancel()
            release.yield()
            release.finish()
            try await writer.value
            await lookup.value
            switch outcome {
            case .success(let user): #expect(user.id == f.hackneyOfficer.id)
            case .failure(let error): Issue.record("the lookup failed: \(error)")
            case nil: Issue.record("the lookup waited for the writer")
            }
        }
    }
}
