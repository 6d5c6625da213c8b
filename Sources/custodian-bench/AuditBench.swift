import ArgumentParser
import Crypto
import CustodianApp
import CustodianCore
@_spi(Benchmarks) import CustodianStorage
import Foundation
import SQLKit

/// `custodian-bench`: performance measured as ratios against a baseline in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custodian-bench", abstract: "Benchmarks, each against a baseline in the same run.",
        subcommands: [AuditBench.self, RightsBench.self, EqualityBench.self, ImportBench.self, RegisterBench.self])

    static func runFromCommandLine() async { await main() }
}

/// What the audit log costs, on SQLite and (with --postgres) PostgreSQL, in one run.
struct AuditBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Audited vs unaudited consultations, durable appends, verification, bytes per entry.")

    @Option(
        help:
            "A PostgreSQL URL to measure too (a throw-away database: the bench makes and drops its own schema). Also CUSTODIAN_BENCH_POSTGRES_URL."
    )
    var postgres: String? = ProcessInfo.processInfo.environment["CUSTODIAN_BENCH_POSTGRES_URL"]
    @Option(help: "Concurrent clients.") var clients = 32
    @Option(help: "Consultations per arm.") var consultations = 6000
    @Option(help: "Durable appends to make.") var appends = 60000
    @ArgumentParser.Flag(inversion: .prefixedNo, help: "Measure SQLite (--no-sqlite: PostgreSQL alone).") var sqlite = true
    @ArgumentParser.Flag(help: "Print JSON instead of a table.") var json = false

    /// A figure the issue sets a target for, with whether this run meets it.
    struct Target: Codable {
        var figure: String
        var value: Double
        var target: String
        var met: Bool
    }

    struct Figures: Codable {
        var database = ""
        var consultationsPerSecondAudited = 0.0
        var consultationsPerSecondUnaudited = 0.0
        var auditedRatio = 0.0
        /// This process's CPU (all threads; not a PostgreSQL server's) per consultation in each arm,
        /// and how much of the machine's cores the arm kept busy: whether the audit's cost is work
        /// or waiting.
        var cpuMicrosecondsPerConsultationAudited = 0.0
        var cpuMicrosecondsPerConsultationUnaudited = 0.0
        var coresBusyAudited = 0.0
        var coresBusyUnaudited = 0.0
        /// The audited arm's group commit: entries written by each flush.
        var entriesPerFlush = 0.0
        /// PostgreSQL only: the same reads with pgaudit logging every read and Custodian's audit off.
        var consultationsPerSecondPgaudit: Double?
        var auditedToPgauditRatio: Double?
        var pgauditNote: String?
        var appendsPerSecond = 0.0
        var appendLatencyP50Ms = 0.0
        var appendLatencyP99Ms = 0.0
        var verifiedEntriesPerSecond = 0.0
        var rawSHA256EntriesPerSecond = 0.0
        var verificationToRawRatio = 0.0
        /// Reading the log's pages alone, as verification reads them, one after another.
        var readOnlyEntriesPerSecond = 0.0
        /// Verification's throughput divided by the cores it had.
        var verifiedEntriesPerSecondPerCore = 0.0
        var cores = ProcessInfo.processInfo.activeProcessorCount
        var entriesVerified: Int64 = 0
        var bytesPerEntry = 0.0
        var targets: [Target] = []

        mutating func judge() {
            targets = [
                Target(figure: "auditedRatio", value: auditedRatio, target: ">= 0.90", met: auditedRatio >= 0.90),
                Target(figure: "appendsPerSecond", value: appendsPerSecond, target: ">= 20000", met: appendsPerSecond >= 20_000),
                Target(
                    figure: "verifiedEntriesPerSecondPerCore", value: verifiedEntriesPerSecondPerCore, target: ">= 1000000",
                    met: verifiedEntriesPerSecondPerCore >= 1_000_000),
                Target(figure: "bytesPerEntry", value: bytesPerEntry, target: "<= 512", met: bytesPerEntry <= 512),
            ]
            if let ratio = auditedToPgauditRatio {
                targets.append(Target(figure: "auditedToPgauditRatio", value: ratio, target: "> 1.5", met: ratio > 1.5))
            }
        }
    }

    func run() async throws {
        var results: [Figures] = []
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custodian-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // Keys live apart from the data, as in production; for the bench, in a file beside it.
        let keyDriver = try await SQLiteDriver.open(path: dir.appendingPathComponent("keys.sqlite").path, forKeys: true)
        let keys = SQLSubjectKeyStore(driver: keyDriver)
        try await keys.migrate()
        defer { Task { try? await keyDriver.close() } }
        if sqlite {
            let driver = try await SQLiteDriver.open(path: dir.appendingPathComponent("bench.sqlite").path)
            // Closed on failure too: SQLite's connection must be closed before it is released.
            do { results.append(try await measure(name: "SQLite", driver: driver, keys: keys)) } catch {
                try? await driver.close()
                throw error
            }
            try await driver.close()
        }
        if let url = postgres {
            let (driver, drop) = try await PostgresDriver.scratchSchema(url: url, prefix: "bench_", maximumConnections: 20)
            // The usual alternative: the server logs every read itself (pgaudit), Custodian logs nothing.
            let pgaudit = try PostgresDriver(url: driver.url + "&pgaudit.log=read", maximumConnections: 20)
            defer { Task { try? await pgaudit.close() } }
            do { results.append(try await measure(name: "PostgreSQL", driver: driver, keys: keys, pgaudit: pgaudit)) } catch {
                try? await drop()
                throw error
            }
            try await drop()
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            say(String(decoding: try encoder.encode(results), as: UTF8.self))
        } else {
            report(results)
        }
    }

    /// A governance user for the benchmark's own register, trained a month ago.
    private func benchUser(_ name: String, dpo: Bool = false, _ directory: Directory) async throws -> User {
        try await BenchUsers.make(name, .governance, "central", dpo: dpo, directory)
    }

    func measure(name: String, driver: any SQLDriver, keys: SQLSubjectKeyStore, pgaudit: PostgresDriver? = nil) async throws -> Figures {
        try await Migrations.run(on: driver)
        var f = Figures()
        f.database = name
        let keyring = try Keyring(masterKey: Keyring.generateMasterKey())
        let ledger = SQLAuditLedger(
            driver: driver, signer: NoteSigner(name: "custodian.bench/audit", privateKey: Curve25519.Signing.PrivateKey()))
        let auditedStore = SQLRegisterStore(driver: driver)
        let audited = Register(store: auditedStore, ledger: ledger, keyring: keyring, keys: keys)
        let unaudited = Register(
            store: SQLRegisterStore(driver: driver, consultationAudit: .discardedForBaseline), ledger: ledger, keyring: keyring, keys: keys)
        let directory = Directory(register: audited)
        let officer = try await BenchUsers.make("bench.officer", .boroughOfficer, "lambeth", directory)
        try await audited.adoptBaselineDPIA(
            dpo: try await benchUser("bench.dpo", dpo: true, directory), board: try await benchUser("bench.board", directory),
            reviewOn: audited.clock.now().day.adding(days: 365))
        let purpose = StatedPurpose(purpose: .violencePrevention, justification: "Benchmark: synthetic consultation")
        var random = SeededRandom(seed: 62)
        var batch = DemoData.makeBatch(borough: .lambeth, subjects: 300, today: LocalDate(Date()), random: &random)
        batch.flags = []
        // Ethnicity needs the sensitive-data permission; what is measured here is the log, not that gate.
        for i in batch.subjects.indices {
            batch.subjects[i].draft.officerDefinedEthnicity = nil
            batch.subjects[i].draft.selfDefinedEthnicity = nil
        }
        let recorded = try await audited.recordBatch(batch, by: officer, for: purpose).subjects
        // A violence-prevention read opens only people held as a suspect or convicted, or on no
        // matter yet: a victim or witness only is opened for safeguarding.
        let victimsOnly = Set(batch.subjects.map(\.ref)).subtracting(
            batch.links.filter { $0.category == "suspect" || $0.category == "convicted" }.map(\.subject)
        ).intersection(batch.links.map(\.subject))
        let ids = recorded.filter { !victimsOnly.contains($0.key) }.map(\.value).sorted { $0.description < $1.description }

        // (a) The same reads, audited and not, alternated so drift in the machine hits both arms.
        struct Arm {
            var perSecond: Double
            var cpuMicroseconds: Double
            var coresBusy: Double
        }
        func consult(_ register: Register) async throws -> Arm {
            let perClient = max(1, consultations / clients)
            let started = ContinuousClock.now
            let cpuBefore = processCPUSeconds()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for c in 0..<clients {
                    group.addTask {
                        for i in 0..<perClient {
                            _ = try await register.subject(ids[(c * perClient + i) % ids.count], by: officer, for: purpose)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let wall = seconds(since: started)
            let cpu = processCPUSeconds() - cpuBefore
            let done = Double(perClient * clients)
            return Arm(perSecond: done / wall, cpuMicroseconds: cpu / done * 1e6, coresBusy: cpu / wall)
        }
        var serverLogged: Register?
        if let pgaudit {
            if try await Self.pgauditLoaded(pgaudit) {
                serverLogged = Register(
                    store: SQLRegisterStore(driver: pgaudit, consultationAudit: .discardedForBaseline), ledger: ledger, keyring: keyring,
                    keys: keys)
            } else {
                f.pgauditNote = "pgaudit is not in shared_preload_libraries: scripts/bench-audit starts a server with it"
            }
        }
        _ = try await consult(unaudited)  // warm caches
        let before = auditedStore.auditFlushCounts
        var on: [Arm] = []
        var off: [Arm] = []
        var logged: [Arm] = []
        for _ in 0..<3 {
            off.append(try await consult(unaudited))
            on.append(try await consult(audited))
            if let serverLogged { logged.append(try await consult(serverLogged)) }
        }
        let after = auditedStore.auditFlushCounts
        f.entriesPerFlush = Double(after.entries - before.entries) / Double(max(1, after.flushes - before.flushes))
        f.consultationsPerSecondAudited = median(on.map(\.perSecond))
        f.consultationsPerSecondUnaudited = median(off.map(\.perSecond))
        f.auditedRatio = f.consultationsPerSecondAudited / f.consultationsPerSecondUnaudited
        f.cpuMicrosecondsPerConsultationAudited = median(on.map(\.cpuMicroseconds))
        f.cpuMicrosecondsPerConsultationUnaudited = median(off.map(\.cpuMicroseconds))
        f.coresBusyAudited = median(on.map(\.coresBusy))
        f.coresBusyUnaudited = median(off.map(\.coresBusy))
        if !logged.isEmpty {
            let pgaudit = median(logged.map(\.perSecond))
            f.consultationsPerSecondPgaudit = pgaudit
            f.auditedToPgauditRatio = f.consultationsPerSecondAudited / pgaudit
        }

        // (b) Durable appends from many concurrent callers, each waiting for its own flush.
        let store = SQLRegisterStore(driver: driver)
        let entry = AuditEntry(
            at: Timestamp(Date()), operation: .consultation, action: .subjectRead, actor: officer, purpose: purpose,
            subjects: [ids[0]], touched: [.subject(ids[0])])
        let callers = 64
        let each = max(1, appends / callers)
        let started = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for _ in 0..<callers {
                group.addTask {
                    var own: [Double] = []
                    for _ in 0..<each {
                        let t = ContinuousClock.now
                        try await store.log([entry])
                        own.append(seconds(since: t) * 1000)
                    }
                    return own
                }
            }
            return try await group.reduce(into: [Double]()) { $0 += $1 }
        }.sorted()
        f.appendsPerSecond = Double(callers * each) / seconds(since: started)
        f.appendLatencyP50Ms = latencies[latencies.count / 2]
        f.appendLatencyP99Ms = latencies[min(latencies.count - 1, latencies.count * 99 / 100)]

        // (c) Verification against raw SHA-256 over the same bytes, read once into memory.
        try await ledger.publish()
        let verifyStarted = ContinuousClock.now
        let summary = try await ledger.verify()
        f.verifiedEntriesPerSecond = Double(summary.entries) / seconds(since: verifyStarted)
        f.entriesVerified = summary.entries
        let bytes = try await ledger.allEntryBytes().map(CanonicalEntry.leaf)
        let hashStarted = ContinuousClock.now
        var sink: UInt8 = 0
        for b in bytes { sink ^= Merkle.leafHash(b).first ?? 0 }
        f.rawSHA256EntriesPerSecond = Double(bytes.count) / seconds(since: hashStarted)
        if sink == 0xFF { say("") }  // keeps the hashing from being optimised away
        f.verificationToRawRatio = f.verifiedEntriesPerSecond / f.rawSHA256EntriesPerSecond
        f.verifiedEntriesPerSecondPerCore = f.verifiedEntriesPerSecond / Double(f.cores)
        let readStarted = ContinuousClock.now
        f.readOnlyEntriesPerSecond = Double(try await ledger.readThrough()) / seconds(since: readStarted)

        // (d) Bytes on disk per entry, tree and checkpoints included.
        let (used, entries) = try await ledger.footprint()
        f.bytesPerEntry = Double(used) / Double(max(entries, 1))
        f.judge()
        return f
    }

    /// Whether the server loaded pgaudit at start (it cannot be loaded later) and logs reads here.
    static func pgauditLoaded(_ driver: PostgresDriver) async throws -> Bool {
        try await driver.read { db in
            let libraries = try await db.raw("SHOW shared_preload_libraries").first()?.decode(
                column: "shared_preload_libraries", as: String.self)
            return libraries?.contains("pgaudit") ?? false
        }
    }

    func report(_ results: [Figures]) {
        func row(_ label: String, _ value: (Figures) -> String) {
            say(
                label.padding(toLength: 46, withPad: " ", startingAt: 0)
                    + results.map { value($0).padding(toLength: 14, withPad: " ", startingAt: 0) }.joined())
        }
        row("", { $0.database })
        row("consultations/s, audited", { String(format: "%.0f", $0.consultationsPerSecondAudited) })
        row("consultations/s, audit write a no-op", { String(format: "%.0f", $0.consultationsPerSecondUnaudited) })
        row("  ratio (target >= 0.90)", { String(format: "%.2fx", $0.auditedRatio) })
        row(
            "  this process's CPU µs each, audited / no-op",
            { String(format: "%.0f / %.0f", $0.cpuMicrosecondsPerConsultationAudited, $0.cpuMicrosecondsPerConsultationUnaudited) })
        row("  cores busy, audited / no-op", { String(format: "%.2f / %.2f", $0.coresBusyAudited, $0.coresBusyUnaudited) })
        row("  audit entries a flush", { String(format: "%.1f", $0.entriesPerFlush) })
        row(
            "consultations/s, pgaudit logging reads instead", { $0.consultationsPerSecondPgaudit.map { String(format: "%.0f", $0) } ?? "-" }
        )
        row("  audited / pgaudit (target > 1.5)", { $0.auditedToPgauditRatio.map { String(format: "%.2fx", $0) } ?? "-" })
        row("durable appends/s (target >= 20,000)", { String(format: "%.0f", $0.appendsPerSecond) })
        row("  append latency p50 / p99 (ms)", { String(format: "%.1f / %.1f", $0.appendLatencyP50Ms, $0.appendLatencyP99Ms) })
        row("verification, entries/s", { String(format: "%.0f", $0.verifiedEntriesPerSecond) })
        row("raw SHA-256 leaf hashes/s, same bytes", { String(format: "%.0f", $0.rawSHA256EntriesPerSecond) })
        row("reading the pages alone, entries/s", { String(format: "%.0f", $0.readOnlyEntriesPerSecond) })
        row("  verification / raw hashing", { String(format: "%.2fx", $0.verificationToRawRatio) })
        row(
            "  per core, of \(results.first?.cores ?? 0) (target >= 1,000,000)",
            { String(format: "%.0f", $0.verifiedEntriesPerSecondPerCore) })
        row("entries verified", { "\($0.entriesVerified)" })
        row("bytes stored per entry (target <= 512)", { String(format: "%.0f", $0.bytesPerEntry) })
        row("targets met", { f in "\(f.targets.filter(\.met).count) of \(f.targets.count)" })
        for f in results {
            for t in f.targets where !t.met { say("  \(f.database): \(t.figure) \(String(format: "%.2f", t.value)) misses \(t.target)") }
            if let note = f.pgauditNote { say("  \(f.database): \(note)") }
        }
    }
}

private func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
