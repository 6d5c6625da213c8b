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
    /// Checked when there is no real hash, so a miss costs what a wrong password costs. Made once
    /// per process, on the hashing threads, the first time it is needed: made per server as it
    /// was, every start spent a full bcrypt on a thread of Swift's cooperative pool, and a suite
    /// starting a hundred servers starved every request of them.
    private static let decoy = Bcrypt.hash("no account has this password", cost: cost)

    public init() {}

    public func verify(_ password: String, against hash: String?) async -> Bool {
        let matches = (try? await Self.pool.runIfActive { Bcrypt.verify(password, hash: hash ?? Self.decoy) }) ?? false
        return hash != nil && matches
    }

    /// `cost` is the work factor stored in the hash; verification costs what the hash says.
    public static func hash(_ password: String, cost: UInt8 = Self.cost) async throws -> String {
        try await Self.pool.runIfActive { Bcrypt.hash(password, cost: cost) }
    }
}
