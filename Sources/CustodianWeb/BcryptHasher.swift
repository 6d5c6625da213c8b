public import CustodianCore
import Hummingbird
import HummingbirdBcrypt
import NIOCore
import NIOPosix

/// bcrypt for page passwords. Deliberately slow, so it runs on threads of its own: never on an
/// event loop, and never on the pool SQLite's queries run on, where a burst of sign-ins (or a
/// flood of guesses at many usernames) would hold every database read and write behind it.
public struct BcryptHasher: PasswordHasher {
    public static let cost: UInt8 = 12

    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount))
        pool.start()
        return pool
    }()
    /// Checked when there is no real hash, so a miss costs what a wrong password costs.
    private let decoy: String

    public init() { decoy = Bcrypt.hash("no account has this password", cost: Self.cost) }

    public func verify(_ password: String, against hash: String?) async -> Bool {
        let target = hash ?? decoy
        let matches = (try? await Self.pool.runIfActive { Bcrypt.verify(password, hash: target) }) ?? false
        return hash != nil && matches
    }

    public static func hash(_ password: String) async throws -> String {
        try await Self.pool.runIfActive { Bcrypt.hash(password, cost: cost) }
    }
}
