import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// The portal's steps for opening and checking a package, run as a partner would type them, with
/// the stock tools (age, tar, OpenSSL, sha256sum) on a package downloaded through the API.
@Suite struct PackageStepsTests {
    static let databases = TestDatabase.available

    /// One step's command through the shell, in the folder holding the package.
    static func shell(_ command: String, in dir: URL) throws -> (status: Int32, output: String) {
        let out = dir.appendingPathComponent(".out-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = dir
        let handle = try FileHandle(forWritingTo: out)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: out), as: UTF8.self))
    }

    @Test(arguments: databases) func aPartnerOpensAndChecksAPackageByThePortalsSteps(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let s = try await DisclosureControlsAPITests.scene(api)
            let disclosure = try await s.disclose([try await s.person("Stepwise")])
            let package = try await api.send(.get, "/api/disclosures/\(disclosure)/package", as: s.f.partner)
            #expect(package.status == 200, "\(package)")

            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custodian-steps-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            try package.body.write(to: dir.appendingPathComponent("custodian-\(disclosure).age"))
            try s.identity.fileContents.write(
                to: dir.appendingPathComponent(PackageSteps.identityFile), atomically: true, encoding: .utf8)
            try PackageSteps.publicKeyPEM(s.f.register.ledger.verifier).write(
                to: dir.appendingPathComponent(PackageSteps.keyFile), atomically: true, encoding: .utf8)

            let id = try #require(DisclosureID(disclosure))
            var outputs: [String] = []
            for step in PackageSteps.steps(for: id) {
                guard let command = step.command else { continue }
                let ran = try Self.shell(command, in: dir)
                #expect(ran.status == 0, "\(command): \(ran.output)")
                outputs.append(ran.output)
            }
            #expect(outputs.contains { $0.contains("Signature Verified Successfully") }, "\(outputs)")
            // The records' hashes, as sha256sum prints them, are the manifest's.
            let hashes = try #require(outputs.last).split(separator: "\n").compactMap { line in
                line.hasSuffix("records.json") || line.hasSuffix("records.csv") ? line.split(separator: " ").first.map(String.init) : nil
            }
            #expect(hashes.count == 2 && hashes.allSatisfy { outputs.last?.contains("\"\($0)\"") == true }, "\(outputs.last ?? "")")

            // A manifest changed after signing fails the check, as a partner would see it.
            let manifest = dir.appendingPathComponent("manifest.json")
            try (try Data(contentsOf: manifest) + Data(" ".utf8)).write(to: manifest)
            let forged = try Self.shell(try #require(PackageSteps.steps(for: id)[3].command), in: dir)
            #expect(forged.status != 0 && !forged.output.contains("Signature Verified Successfully"), "\(forged.output)")
        }
    }
}
