public import CustodianCore
public import CustodianStorage
import Foundation

/// An open register: the database, keys and use cases, ready for a command or the server.
public struct Runtime: Sendable {
    public let location: DatabaseLocation
    public let driver: any SQLDriver
    public let register: Register
    public let directory: Directory

    /// Opens the database (creating the embedded default on first start), applies migrations and
    /// loads the master key.
    public static func open(_ options: StoreOptions) async throws -> Runtime {
        let location = DatabaseLocation(options.database)
        if case .sqlite(let path) = location, path != ":memory:" {
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        let key = try MasterKey.load(options, location: location)
        let driver = try await location.open()
        try await Migrations.run(on: driver)
        let register = Register(store: SQLRegisterStore(driver: driver), keyring: try Keyring(masterKey: key))
        return Runtime(location: location, driver: driver, register: register, directory: Directory(register: register))
    }

    public func close() async throws { try await driver.close() }
}
