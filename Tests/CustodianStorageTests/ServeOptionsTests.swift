import ArgumentParser
import Testing

@testable import CustodianApp

/// A setting the server cannot honour stops it before it starts, naming the setting.
@Suite struct ServeOptionsTests {
    @Test func aPortOutsideOneTo65535IsRefusedByName() throws {
        for port in ["0", "65536", "99999", "-1"] {
            #expect(throws: (any Error).self, "port \(port)") { try Serve.parse(["--port", port]) }
            do {
                _ = try Serve.parse(["--port", port])
            } catch {
                let said = Serve.message(for: error)
                #expect(said.contains("--port") || said.contains("port"), "\(port): \(said)")
            }
        }
        #expect(try Serve.parse(["--port", "8443"]).port == 8443)
        #expect(CustodianCommand.configuration.version.hasPrefix("custodian "))
    }
}
