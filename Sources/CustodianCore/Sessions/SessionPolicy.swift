/// How long a signed-in page session lives, how long a stated purpose lasts, and how repeated
/// failed sign-ins are slowed down. One value, so the pages and the tests share the same numbers.
public struct SessionPolicy: Sendable, Equatable {
    /// Signed out after this long without a request (NCSC: short idle limits for sensitive systems).
    public var idleTimeout: Int64 = 15 * 60
    /// Signed out after this long whatever the activity: one working shift.
    public var absoluteLifetime: Int64 = 10 * 3600
    /// A stated purpose covers this long a working period, then must be stated again.
    public var purposePeriod: Int64 = 30 * 60
    /// Consecutive failures allowed before a username is locked.
    public var failuresBeforeLockout = 5
    /// The first lock lasts this long; each further failure doubles it, up to `maximumLockout`.
    public var firstLockout: Int64 = 60
    public var maximumLockout: Int64 = 3600
    /// `lastSeen` is rewritten at most this often, so reading pages is not a stream of writes.
    public var touchInterval: Int64 = 30

    public init() {}

    /// How long to lock a username after its `failures`-th consecutive failure; nil while under the limit.
    public func lockout(afterFailures failures: Int) -> Int64? {
        guard failures >= failuresBeforeLockout else { return nil }
        let doublings = min(failures - failuresBeforeLockout, 20)
        return min(firstLockout << Int64(doublings), maximumLockout)
    }
}

/// A signed-in browser session. The cookie holds a random token; only its SHA-256 (`id`) is kept.
public struct WebSession: Sendable, Equatable {
    public let id: String
    public let userID: UserID
    /// Every form carries this; a POST without it is refused (cross-site request forgery).
    public let csrfToken: String
    public let createdAt: Timestamp
    public var lastSeenAt: Timestamp
    public var purpose: StatedPurpose?
    public var purposeUntil: Timestamp?

    public init(
        id: String, userID: UserID, csrfToken: String, createdAt: Timestamp, lastSeenAt: Timestamp,
        purpose: StatedPurpose? = nil, purposeUntil: Timestamp? = nil
    ) {
        self.id = id
        self.userID = userID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.purpose = purpose
        self.purposeUntil = purposeUntil
    }

    public func hasExpired(at now: Timestamp, under policy: SessionPolicy) -> Bool {
        now >= lastSeenAt.adding(seconds: policy.idleTimeout) || now >= createdAt.adding(seconds: policy.absoluteLifetime)
    }

    /// The purpose in force now, or nil once its working period has ended.
    public func purpose(at now: Timestamp) -> StatedPurpose? {
        guard let purpose, let until = purposeUntil, now < until else { return nil }
        return purpose
    }
}

/// Consecutive failed sign-ins for one username, and until when it is locked.
public struct SignInThrottle: Sendable, Equatable {
    public var failures: Int
    public var lockedUntil: Timestamp?
    public init(failures: Int, lockedUntil: Timestamp?) { (self.failures, self.lockedUntil) = (failures, lockedUntil) }
}
