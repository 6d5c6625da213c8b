import Foundation
import Testing

@testable import CustodianApp

/// One process at a time opens a SQLite register: a second opening is refused, naming the holder,
/// until the first closes. (The browser suite shows a command refused while the server runs.)
@Suite struct RegisterLockTests {
    @Test func aSecondOpeningIsRefusedNamingTheHolderUntilTheFirstCloses() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custodian-lock-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let options = try PrivateFilesTests.options(dir)
        let first = try await Runtime.open(options)
        do {
            let second = try await Runtime.open(options)
            try await second.close()
            Issue.record("a second opening of a held register was let in")
        } catch {
            let said = "\(error)"
            #expect(said.contains("is open in another process (process \(getpid())") && said.contains("stop that one first"), "\(said)")
        }
        try await first.close()
        let after = try await Runtime.open(options)
        try await after.close()
    }
}
