import CustodianCore
import CustodianStorage
import Crypto
import Foundation
import SQLKit
import Testing

@testable import CustodianApp

/// Decommissioning with proof. Two governance users, one asking and another confirming with a
/// reason, destroy the keys, the key store and the register's files, and get a certificate signed
/// under the log's own key that an outsider checks with the published verifier key. One user
/// twice, a role other than governance, or no reason is refused, logged, and destroys nothing.
@Suite(.serialized) struct DecommissionTests {
    let dir: URL
    let store: StoreSettings

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("custodian-decommission-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        store = StoreSettings(
            database: .sqlite(path: dir.appendingPathComponent("data/custodian.sqlite").path), keyStore: nil, masterKeyFile: nil,
            auditKeyFile: nil, auditOrigin: "custodian.test/audit")
    }

    var files: [String] {
        ["custodian.sqlite", "keys.sqlite", "master.key", "audit-signing.key", "custodian.sqlite.checkpoint"].map {
            dir.appendingPathComponent("data/\($0)").path
        }
    }

    @Test func twoGovernanceUsersDestroyEverythingAndTheCertificateVerifies() async throws {
        var runtime = try await Runtime.open(store)
        try await DemoData.load(into: runtime, subjects: 12, seed: 7)
        var tokens: [String: String] = [:]
        for name in ["dpo", "board.member", "feed.hackney", "admin"] {
            let user = try await runtime.directory.user(named: name, by: Directory.commandLine)
            tokens[name] = try await runtime.directory.issueToken(
                for: user.id, label: "decommission", validForDays: 1, by: Directory.commandLine)
        }
        let verifierKey = runtime.ledger.verifier.verifierKey
        let keys = try await runtime.keyDriver.readStatement { db in
            try await db.raw("SELECT count(*) AS n FROM subject_keys").first()?.decode(column: "n", as: Int.self) ?? 0
        }
        #expect(keys >= 12)
        try await runtime.close()
        let token = { (name: String) in tokens[name] ?? "" }

        for (asking, confirming, reason, rule) in [
            ("dpo", "dpo", "Programme closed", "four-eyes.decommission"),
            ("feed.hackney", "dpo", "Programme closed", "decommission.governance"),
            ("dpo", "admin", "Programme closed", "role.no-register-content"),
            ("dpo", "board.member", "  ", "decommission.reason"),
        ] {
            let attempt = Decommission(store: store, askingToken: token(asking), confirmingToken: token(confirming), reason: reason)
            await #expect(throws: RegisterError.self, "\(asking), \(confirming)") { try await attempt.run() }
            for file in files { #expect(FileManager.default.fileExists(atPath: file), "\(file) went on a refused attempt") }
            runtime = try await Runtime.open(store)
            let size = try await runtime.ledger.size()
            let last = try #require(try await runtime.ledger.entries(from: size - 1, count: 1).first).recorded.entry
            #expect(last.operation == .refusal && last.action == "register.decommission" && last.refusedUnder?.rawValue == rule, "\(last)")
            try await runtime.close()
        }

        let done = try await Decommission(
            store: store, askingToken: token("dpo"), confirmingToken: token("board.member"), reason: "Programme closed by the board"
        ).run()
        for file in files { #expect(!FileManager.default.fileExists(atPath: file), "\(file) survived") }
        #expect(Set(done.files).isSuperset(of: files))

        let text = try DecommissionCommand.Verify.verify(done.certificate, verifierKey: verifierKey)
        #expect(text.hasPrefix("custodian.test/audit\nCertificate of destruction of a Custodian register\n"))
        #expect(text.contains("asked by: governance user dpo (") && text.contains("confirmed by: governance user board.member ("))
        #expect(text.contains("\(keys) people's keys in the key store"))
        #expect(text.contains("reason: Programme closed by the board\n") && text.contains("last checkpoint: "))
        #expect(text.contains("remaining: copies in backups taken before, unreadable without the keys destroyed here\n"))

        let forged = done.certificate.replacingOccurrences(of: "board.member", with: "board.membr")
        #expect(throws: CommandError.self) { try DecommissionCommand.Verify.verify(forged, verifierKey: verifierKey) }
        let otherKey = NoteSigner(name: "custodian.test/audit", privateKey: .init()).verifier.verifierKey
        #expect(throws: CommandError.self) { try DecommissionCommand.Verify.verify(done.certificate, verifierKey: otherKey) }
    }
}
