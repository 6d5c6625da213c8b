import ArgumentParser
import Crypto
import CustodianApp
import CustodianCore
import CustodianStorage
import Foundation

/// What answering an access request costs: the s.45 answer for one person holding `items`
/// intelligence items, against the baseline of reading that person's record, in the same run.
struct RightsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rights", abstract: "The s.45 answer for a person with many items, against reading their record (target under 1 s).")

    @Option(help: "Intelligence items the person holds.") var items = 200
    @Option(help: "Timed runs of each arm.") var runs = 21
    @ArgumentParser.Flag(help: "Print JSON instead of a table.") var json = false

    struct Figures: Codable {
        var items = 0
        var readMedianMs = 0.0
        var readP99Ms = 0.0
        var answerMedianMs = 0.0
        var answerP99Ms = 0.0
        var answerToReadRatio = 0.0
        var targetMs = 1000.0
        var targetMet = false
    }

    func run() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custodian-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let keyDriver = try await SQLiteDriver.open(path: dir.appendingPathComponent("keys.sqlite").path, forKeys: true)
        let keys = SQLSubjectKeyStore(driver: keyDriver)
        try await keys.migrate()
        let driver = try await SQLiteDriver.open(path: dir.appendingPathComponent("bench.sqlite").path)
        try await Migrations.run(on: driver)
        let ledger = SQLAuditLedger(driver: driver, signer: NoteSigner(name: "custodian.bench/audit", privateKey: .init()))
        let register = Register(
            store: SQLRegisterStore(driver: driver), ledger: ledger, keyring: try Keyring(masterKey: Keyring.generateMasterKey()),
            keys: keys)
        let directory = Directory(register: register)
        func user(_ name: String, _ role: Role, _ unit: String, dpo: Bool = false) async throws -> User {
            try await BenchUsers.make(name, role, unit, dpo: dpo, directory)
        }
        let officer = try await user("bench.officer", .boroughOfficer, "hackney")
        try await register.adoptBaselineDPIA(
            dpo: try await user("bench.dpo", .governance, "central", dpo: true),
            board: try await user("bench.board", .governance, "central"),
            reviewOn: register.clock.now().day.adding(days: 365))
        let rights = try await user("bench.rights", .governance, "central")
        let purpose = StatedPurpose(purpose: .investigation, justification: "Benchmark: synthetic person")
        let asRights = StatedPurpose(purpose: .subjectRights, justification: "Benchmark: synthetic access request")
        let subject = try await register.recordSubject(
            SubjectDraft(names: [.init(given: "Benchmark", family: "Person")], dateOfBirth: "1999-09-09", sex: "not-known"),
            by: officer, for: purpose)
        for i in 0..<items {
            _ = try await register.recordIntelligence(
                IntelligenceDraft(
                    subjectID: subject.description, text: "Synthetic report number \(i) about a synthetic person",
                    grade: GradeDraft(source: "2", assessment: "B", handling: "P"), sourceType: "partner"),
                by: officer, for: purpose)
        }
        let today = register.clock.now().day.description
        let request = try await register.openRightsRequest(kind: "access", receivedOn: today, by: rights, for: asRights)
        _ = try await register.confirmIdentity(
            request.id, evidence: "Synthetic identity for the benchmark", on: today, by: rights, for: asRights)
        _ = try await register.confirmSubjects(request.id, subjects: [subject.description], by: rights, for: asRights)

        let reads = try await BenchTiming.run(runs) { _ = try await register.subject(subject, by: officer, for: purpose) }
        let answers = try await BenchTiming.run(runs) {
            let answer = try await register.accessAnswer(request.id, by: rights, for: asRights)
            guard answer.people.first?.items.count == items else { throw ValidationError("the answer did not hold every item") }
        }
        try await driver.close()
        try await keyDriver.close()
        var f = Figures()
        f.items = items
        (f.readMedianMs, f.readP99Ms) = (reads.median, reads.p99)
        (f.answerMedianMs, f.answerP99Ms) = (answers.median, answers.p99)
        f.answerToReadRatio = f.readMedianMs > 0 ? f.answerMedianMs / f.readMedianMs : 0
        f.targetMet = f.answerMedianMs < f.targetMs
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            say(String(decoding: try encoder.encode(f), as: UTF8.self))
        } else {
            say("The s.45 answer for one person with \(items) items (SQLite, \(runs) runs each):")
            say(String(format: "  read the record (baseline)   median %.1f ms, p99 %.1f ms", f.readMedianMs, f.readP99Ms))
            say(String(format: "  compile the answer           median %.1f ms, p99 %.1f ms", f.answerMedianMs, f.answerP99Ms))
            say(String(format: "  answer / read                %.2fx", f.answerToReadRatio))
            say("  target: answer under 1 s     \(f.targetMet ? "met" : "NOT met")")
        }
    }
}
