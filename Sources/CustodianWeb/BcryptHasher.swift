public import CustodianCore
import Hummingbird
import HummingbirdBcrypt
import NIOPosix

/// bcrypt for page passwords. Deliberately slow, so it runs on the thread pool, never on an
/// event loop.
public struct BcryptHasher: PasswordHasher {
    public static let cost: UInt8 = 12
    /// Checked when there is no real hash, so a miss costs what a wrong password costs.
    private let decoy: String

    public init() { decoy = Bcrypt.hash("no account has this password", cost: Self.cost) }

    public func verify(_ password: String, against hash: String?) async -> Bool {
        let target = hash ?? decoy
        let matches = (try? await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: target) }) ?? false
        return hash != nil && matches
    }

    public static func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }
}
