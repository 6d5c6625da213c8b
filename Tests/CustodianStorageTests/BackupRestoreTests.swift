import CustodianCore
import CustodianStorage
import CustodianTestSupport
import Foundation
import Logging
import Prometheus
import Testing

@testable import CustodianApp

/// Backups that restore. A backup taken while the register is written to restores elsewhere to a
/// log that verifies and holds exactly the entries the original held when the copy was made. An
/// older backup put back over a register that published more is refused, the refusal logged,
/// unless a governance user's token and a reason acknowledge it; then the restore's own entry
/// names them. Copying an old file into place by hand is refused at opening. Keys destroyed since
/// the backup stay destroyed, and a tampered backup is refused by its manifest.
@Suite(.serialized) struct BackupRestoreTests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("custodian-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func settings(_ folder: String) -> StoreSettings {
        StoreSettings(
            database: .sqlite(path: dir.appendingPathComponent("\(folder)/custodian.sqlite").path), keyStore: nil, masterKeyFile: nil,
            auditKeyFile: nil, auditOrigin: "custodian.test/audit")
    }

    func user(_ runtime: Runtime, _ name: String, _ role: String) async throws -> User {
        try await runtime.directory.createUser(
            UserDraft(username: name, displayName: name, role: role, unit: "central", trainingCompletedOn: "2026-01-01"), passwordHash: nil,
            by: Directory.commandLine)
    }

    func entries(_ runtime: Runtime) async throws -> [Data] {
        try await runtime.ledger.allEntryBytes()
    }

    func lastEntry(_ runtime: Runtime) async throws -> AuditEntry {
        let size = try await runtime.ledger.size()
        return try #require(try await runtime.ledger.entries(from: size - 1, count: 1).first).recorded.entry
    }

    @Test func aBackupTakenUnderLoadRestoresElsewhereToTheSameVerifiedEntries() async throws {
        let live = try await Runtime.open(settings("live"))
        let admin = try await user(live, "admin.backup", "administrator")
        let writing = Task {
            var made = 0
            while !Task.isCancelled, made < 400 {
                _ = try await user(live, "load.\(made)", "auditor")
                made += 1
            }
            return made
        }
        try await Task.sleep(for: .milliseconds(150))
        let record = try await Backups(runtime: live).take(into: dir.appendingPathComponent("backups").path, by: admin)
        let written = try await writing.value
        #expect(written == 400)
        let original = try await entries(live)
        #expect(record.entries > 1 && record.entries < Int64(original.count), "the copy was taken while writes went on")
        // Logged as started (inside the copy) and finished (after it).
        let finished = original.lazy.compactMap { try? CanonicalEntry.decode($0).entry }
            .filter { $0.action == UseCase.registerBackup.rawValue }
        #expect(finished.map(\.outcome) == ["started", "its log holds \(record.entries) entries"])
        try await live.close()

        // A new place: the keys are never in a backup, so they are put there first.
        let elsewhere = dir.appendingPathComponent("elsewhere")
        try PrivateFiles.createDirectory(elsewhere)
        for key in ["master.key", "audit-signing.key"] {
            try FileManager.default.copyItem(
                at: dir.appendingPathComponent("live/\(key)"), to: elsewhere.appendingPathComponent(key))
        }
        let folder = dir.appendingPathComponent("backups/\(record.name)")
        let report = try await Restore(folder: folder, into: settings("elsewhere")).run()
        #expect(report.continuity == .continues)
        #expect(report.erasures.contains("no key store at"))

        let restored = try await Runtime.open(settings("elsewhere"))
        _ = try await restored.ledger.verify(progress: { _ in })
        let back = try await entries(restored)
        #expect(back.count == Int(record.entries) + 1)
        #expect(Array(back.prefix(Int(record.entries))) == Array(original.prefix(Int(record.entries))))
        let restore = try await lastEntry(restored)
        #expect(restore.action == UseCase.registerRestore.rawValue && restore.operation == .backup)
        #expect(restore.outcome?.hasPrefix("the restored log continues the newest checkpoint published") == true)
        try await restored.close()
    }

    @Test func anOlderBackupIsRefusedUnlessGovernanceAcknowledgesTheRollback() async throws {
        var live = try await Runtime.open(settings("live"))
        let admin = try await user(live, "admin.backup", "administrator")
        let governance = try await user(live, "dpo.restore", "governance")
        let keys = SQLSubjectKeyStore(driver: live.keyDriver)
        let (kept, erased) = (SubjectID(UUID()), SubjectID(UUID()))
        try await keys.store(
            [(kept, Data(repeating: 1, count: 40)), (erased, Data(repeating: 2, count: 40))], at: live.register.clock.now())
        let backups = dir.appendingPathComponent("backups").path
        let older = try await Backups(runtime: live).take(into: backups, by: admin)
        try await Task.sleep(for: .seconds(1.1))  // the next backup's name is the next second's
        for n in 0..<5 { _ = try await user(live, "after.\(n)", "auditor") }
        try await keys.destroy(erased)
        let adminToken = try await live.directory.issueToken(for: admin.id, label: "restore", validForDays: 1, by: Directory.commandLine)
        let governanceToken = try await live.directory.issueToken(
            for: governance.id, label: "restore", validForDays: 1, by: Directory.commandLine)
        let before = try await entries(live)
        try await live.close()  // publishes and keeps the newest checkpoint
        let published = dir.appendingPathComponent("live/custodian.sqlite.checkpoint").path
        #expect(FileManager.default.fileExists(atPath: published))

        let folder = dir.appendingPathComponent("backups/\(older.name)")
        let restoring = Restore(folder: folder, into: settings("live"))
        for (token, reason, why) in [
            (nil, nil, "a governance user must acknowledge it"), (adminToken, "disk failed", "only an active governance user"),
            (governanceToken, "", "reason"),
        ] as [(String?, String?, String)] {
            var attempt = restoring
            (attempt.governanceToken, attempt.reason) = (token, reason)
            await #expect { try await attempt.run() } throws: { error in
                "\(error)".contains(why) || (error as? RegisterError).map { "\($0)".contains(why) } == true
            }
        }
        // Each refusal is on the register as it stands, which is otherwise unchanged.
        live = try await Runtime.open(settings("live"))
        let after = try await entries(live)
        #expect(Array(after.prefix(before.count)) == before)
        let refusals = after.dropFirst(before.count).compactMap { try? CanonicalEntry.decode($0).entry }
        #expect(refusals.count == 3 && refusals.allSatisfy { $0.operation == .refusal && $0.action == "register.restore" })
        #expect(refusals.first?.refusedUnder == "restore.rollback")
        #expect(refusals.first?.outcome?.contains("restoring it loses") == true)
        try await live.close()

        var acknowledged = restoring
        (acknowledged.governanceToken, acknowledged.reason) = (governanceToken, "Disk failed; newer backups unreadable")
        let report = try await acknowledged.run()
        guard case .shorter(let publishedSize, let restoredSize) = report.continuity else {
            Issue.record("not named a rollback: \(report.continuity)")
            return
        }
        #expect(restoredSize == older.entries && publishedSize > restoredSize)
        #expect(report.erasures == "1 key destroyed since the backup stay destroyed")

        let restored = try await Runtime.open(settings("live"))
        _ = try await restored.ledger.verify(progress: { _ in })
        let restore = try await lastEntry(restored)
        #expect(restore.action == "register.restore")
        #expect(restore.outcome?.contains("acknowledged by governance user dpo.restore: Disk failed; newer backups unreadable") == true)
        #expect(restore.touched.contains(.user(governance.id)))
        let restoredKeys = SQLSubjectKeyStore(driver: restored.keyDriver)
        #expect(try await restoredKeys.wrappedKey(for: kept) != nil)
        #expect(try await restoredKeys.wrappedKey(for: erased) == nil)
        try await restored.close()
    }

    @Test func anOldFileCopiedIntoPlaceByHandIsRefusedAtOpening() async throws {
        let live = try await Runtime.open(settings("live"))
        let admin = try await user(live, "admin.backup", "administrator")
        let older = try await Backups(runtime: live).take(into: dir.appendingPathComponent("backups").path, by: admin)
        for n in 0..<3 { _ = try await user(live, "after.\(n)", "auditor") }
        try await live.close()

        let path = dir.appendingPathComponent("live/custodian.sqlite").path
        for stale in [path, path + "-wal", path + "-shm"] { try? FileManager.default.removeItem(atPath: stale) }
        try FileManager.default.copyItem(atPath: dir.appendingPathComponent("backups/\(older.name)/register.sqlite").path, toPath: path)
        await #expect { try await Runtime.open(settings("live")) } throws: { error in
            "\(error)".contains("this register's audit log is not the one it published") && "\(error)".contains("a rollback")
        }
    }

    /// A checkpoint file named in the settings is where the register keeps what it published, and
    /// where an old copy put in place is caught: the same check a PostgreSQL register gets.
    @Test func aNamedCheckpointFileIsKeptAndCatchesARollback() async throws {
        var named = settings("named")
        named.checkpointFile = dir.appendingPathComponent("elsewhere.checkpoint").path
        let live = try await Runtime.open(named)
        let admin = try await user(live, "admin.backup", "administrator")
        let older = try await Backups(runtime: live).take(into: dir.appendingPathComponent("backups").path, by: admin)
        for n in 0..<3 { _ = try await user(live, "after.\(n)", "auditor") }
        try await live.close()
        #expect(FileManager.default.fileExists(atPath: named.checkpointFile ?? ""))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("named/custodian.sqlite.checkpoint").path))

        let path = dir.appendingPathComponent("named/custodian.sqlite").path
        for stale in [path, path + "-wal", path + "-shm"] { try? FileManager.default.removeItem(atPath: stale) }
        try FileManager.default.copyItem(atPath: dir.appendingPathComponent("backups/\(older.name)/register.sqlite").path, toPath: path)
        await #expect { try await Runtime.open(named) } throws: { error in
            "\(error)".contains("elsewhere.checkpoint") && "\(error)".contains("a rollback")
        }
        // Opened unchecked (as a restore opens it), the register keeps nothing: the rollback stays caught.
        let unchecked = try await Runtime.open(named, continuityChecked: false)
        _ = try await user(unchecked, "while.unchecked", "auditor")
        try await unchecked.close()
        await #expect { try await Runtime.open(named) } throws: { error in "\(error)".contains("a rollback") }
    }

    /// pgBackRest's own answer names the backup Custodian annotated; a copy's name that is not one
    /// plain line is refused at the register, and logged.
    @Test func aPostgreSQLBackupIsFoundByItsAnnotationAndNamedPlainly() async throws {
        let info = Data(
            #"""
            [{"archive":[],"backup":[
              {"label":"20261207-233000F","annotation":{"custodian-backup":"custodian-20261207T233000Z"},"type":"full"},
              {"label":"20261207-233000F_20261207-234000I","type":"incr"},
              {"label":"20261207-233000F_20261207-235000I","annotation":{"custodian-backup":"custodian-20261207T235000Z","x":"y"}}
            ],"name":"custodian","status":{"code":0}}]
            """#.utf8)
        #expect(try PgBackRest.label(annotatedAs: "custodian-20261207T233000Z", in: info) == "20261207-233000F")
        #expect(try PgBackRest.label(annotatedAs: "custodian-20261207T235000Z", in: info) == "20261207-233000F_20261207-235000I")
        #expect(try PgBackRest.label(annotatedAs: "custodian-20261207T234000Z", in: info) == nil)
        #expect(throws: CommandError.self) { try PgBackRest.label(annotatedAs: "x", in: Data("P00 ERROR: [055]".utf8)) }
        #expect(PgBackRest.isStanza("custodian-main_1.a") && !PgBackRest.isStanza("../x") && !PgBackRest.isStanza("-x"))

        let live = try await Runtime.open(settings("copies"))
        let admin = try await user(live, "admin.backup", "administrator")
        let auditor = try await user(live, "auditor.backup", "auditor")
        let name = "custodian-20261207T233000Z"
        try await live.register.beginBackup(name, by: admin)
        for hostile in ["pgBackRest backup 1\nforged: entry", "pgBackRest; backup", String(repeating: "a", count: 121), ""] {
            await #expect(throws: RegisterError.self) { try await live.register.finishBackup(name, entries: 1, copy: hostile, by: admin) }
        }
        await #expect(throws: RegisterError.self) {
            try await live.register.finishBackup(name, entries: 1, copy: "pgBackRest backup 20261207-233000F", by: auditor)
        }
        try await live.register.finishBackup(name, entries: 1, copy: "pgBackRest backup 20261207-233000F", by: admin)
        let logged = try await live.ledger.entries(matching: AuditQuery(operation: .backup, limit: 10))
        #expect(logged.first?.entry.outcome == "its log holds 1 entries; pgBackRest backup 20261207-233000F")
        let refusals = try await live.ledger.entries(matching: AuditQuery(operation: .refusal, limit: 10))
        #expect(refusals.count == 5 && refusals.allSatisfy { $0.entry.action == UseCase.registerBackup.rawValue })
        try await live.close()
    }

    /// A serving register backs itself up on its schedule, while it is written to.
    @Test func theServerBacksItselfUpOnItsSchedule() async throws {
        let live = try await Runtime.open(settings("live"))
        let folder = dir.appendingPathComponent("scheduled")
        let schedule = BackupSchedule(
            backups: Backups(runtime: live), directory: folder.path, interval: .milliseconds(400), logger: Logger(label: "test"))
        @Sendable func finished() async throws -> [AuditEntry] {
            try await live.ledger.allEntryBytes().compactMap { try? CanonicalEntry.decode($0).entry }
                .filter { $0.action == "register.backup" && $0.actor == Directory.commandLine.id && $0.outcome != "started" }
        }
        let running = Task { try await schedule.run() }
        for n in 0..<40 {
            _ = try await user(live, "scheduled.\(n)", n == 0 ? "administrator" : "auditor")
            try await Task.sleep(for: .milliseconds(30))
        }
        // However loaded the machine, the schedule runs on until it has finished one.
        let deadline = ContinuousClock.now + .seconds(60)
        while try await finished().isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        running.cancel()
        _ = try? await running.value
        let taken = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter(BackupRecord.isName)
            .filter { FileManager.default.fileExists(atPath: folder.appendingPathComponent("\($0)/\(Backups.manifestName)").path) }
        #expect(!taken.isEmpty)
        for name in taken { #expect(try Backups.open(folder.appendingPathComponent(name)).name == name) }
        // Every backup logged as finished is a whole folder (one stopped mid-way may have neither).
        let logged = Set(try await finished().compactMap { $0.touched.first?.id })
        #expect(!logged.isEmpty && logged.isSubset(of: Set(taken)), "\(logged) \(taken)")
        try await live.close()
    }

    @Test func aBackupWhoseFilesChangedIsRefused() async throws {
        let live = try await Runtime.open(settings("live"))
        let admin = try await user(live, "admin.backup", "administrator")
        let record = try await Backups(runtime: live).take(into: dir.appendingPathComponent("backups").path, by: admin)
        // Only an administrator takes a backup; anyone else is refused and logged.
        let auditor = try await user(live, "auditor.backup", "auditor")
        await #expect(throws: RegisterError.self) {
            try await Backups(runtime: live).take(into: dir.appendingPathComponent("other").path, by: auditor)
        }
        #expect(try await lastEntry(live).refusedUnder == "role.administrator")
        try await live.close()

        let file = dir.appendingPathComponent("backups/\(record.name)/keys.sqlite")
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.write(to: file)
        await #expect { try await Restore(folder: file.deletingLastPathComponent(), into: settings("live")).run() } throws: { error in
            "\(error)".contains("keys.sqlite is not the file that was backed up")
        }
    }
}

/// The upkeep an operator alerts on: backups taken and failed, when the last one succeeded, and
/// the review sweep's runs, recorded as they happen.
@Suite(.serialized) struct KeepingMetricsTests {
    @Test func backupsAndSweepsAreCounted() async throws {
        let registry = TestMetrics.registry
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custodian-keeping-\(UUID().uuidString)")
        let live = try await Runtime.open(
            StoreSettings(
                database: .sqlite(path: dir.appendingPathComponent("live/custodian.sqlite").path), keyStore: nil, masterKeyFile: nil,
                auditKeyFile: nil, auditOrigin: "custodian.test/audit"))
        let taken = TestMetrics.value("custodian_backups_total{outcome=\"taken\"}")
        let failed = TestMetrics.value("custodian_backups_total{outcome=\"failed\"}")
        let sweeps = TestMetrics.value("custodian_sweeps_total{outcome=\"done\"}")

        // A folder that cannot be made (a file stands in its place) fails; a good one is taken.
        // Each schedule runs until its series moves: a loaded machine takes longer, never less.
        let blocked = dir.appendingPathComponent("blocked")
        #expect(FileManager.default.createFile(atPath: blocked.path, contents: Data("x".utf8)))
        for (folder, series, before) in [
            (blocked, "custodian_backups_total{outcome=\"failed\"}", failed),
            (dir.appendingPathComponent("backups"), "custodian_backups_total{outcome=\"taken\"}", taken),
        ] {
            let schedule = BackupSchedule(
                backups: Backups(runtime: live), directory: folder.path, interval: .milliseconds(100), logger: Logger(label: "test"))
            try await Self.run(schedule.run) { TestMetrics.value(series) > before }
        }
        let sweeper = ReviewSweeper(register: live.register, interval: .seconds(3600), logger: Logger(label: "test"))
        try await Self.run(sweeper.run) { TestMetrics.value("custodian_sweeps_total{outcome=\"done\"}") > sweeps }

        #expect(TestMetrics.value("custodian_backups_total{outcome=\"taken\"}") > taken)
        #expect(TestMetrics.value("custodian_backups_total{outcome=\"failed\"}") > failed)
        let lastSuccess = TestMetrics.value("custodian_backup_last_success_seconds")
        #expect(abs(lastSuccess - Date().timeIntervalSince1970) < 60, "\(lastSuccess)")
        #expect(TestMetrics.value("custodian_sweeps_total{outcome=\"done\"}") > sweeps)
        #expect(registry.emitToString().contains("custodian_sweep_duration_seconds_bucket"))
        try await live.close()
    }

    /// Runs a service until `done` holds (at most a minute), then stops it.
    static func run(_ service: @escaping @Sendable () async throws -> Void, until done: @escaping @Sendable () -> Bool) async throws {
        let running = Task { try await service() }
        let deadline = ContinuousClock.now + .seconds(60)
        while !done(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        running.cancel()
        _ = try? await running.value
    }
}
