import ArgumentParser
import CustodianApp
import Foundation
import Testing

/// The register, the key store and the keys are created for their owner alone, and Custodian
/// refuses to open any of them once someone else could read them, saying which file and how to
/// put it right. Tried with the register, the key store, a key file and a journal left loose.
@Suite(.serialized) struct PrivateFilesTests {
    static func options(_ dir: URL) throws -> StoreOptions {
        try StoreOptions.parse(["--database", dir.appendingPathComponent("data/custodian.sqlite").path])
    }

    static func mode(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func everyFileIsMadeForItsOwnerAloneAndALooseOneStopsTheStart() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custodian-private-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let options = try Self.options(dir)
        let runtime = try await Runtime.open(options)
        try await runtime.close()

        let data = dir.appendingPathComponent("data")
        #expect(try Self.mode(data.path) == 0o700)
        let files = ["custodian.sqlite", "keys.sqlite", "master.key", "audit-signing.key"].map { data.appendingPathComponent($0).path }
        for file in files {
            #expect(FileManager.default.fileExists(atPath: file), "\(file) was not made")
            let mode = try Self.mode(file)
            #expect(mode == 0o600, "\(file) is \(String(mode, radix: 8))")
        }

        for (file, loose) in zip(files + [files[0] + "-wal"], [0o644, 0o640, 0o604, 0o660, 0o644]) {
            let existed = FileManager.default.fileExists(atPath: file)
            if !existed { _ = FileManager.default.createFile(atPath: file, contents: nil) }
            try FileManager.default.setAttributes([.posixPermissions: loose], ofItemAtPath: file)
            do {
                let opened = try await Runtime.open(options)
                try await opened.close()
                Issue.record("opened with \(file) at mode \(String(loose, radix: 8))")
            } catch {
                let said = "\(error)"
                #expect(said.contains(file) && said.contains("chmod 600"), "\(said)")
            }
            if existed {
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
            } else {
                try FileManager.default.removeItem(atPath: file)
            }
        }
        // Put right, it opens again, and nothing was lost on the way.
        let again = try await Runtime.open(options)
        try await again.close()
    }
}
