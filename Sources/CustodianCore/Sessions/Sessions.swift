import Foundation
import Crypto

/// Checks a password against its stored hash. The adapter supplies bcrypt; the rules of signing
/// in (lock-out, expiry, purpose periods) stay here.
public protocol PasswordHasher: Sendable {
    /// With no hash (unknown user, or no password set) it must still spend the time of a real
    /// check and answer false, so timing says nothing about which usernames exist.
    func verify(_ password: String, against hash: String?) async -> Bool
}

/// Signing in to the pages, keeping a session alive, stating a purpose, signing out.
public struct Sessions: Sendable {
    public let register: Register
    public let policy: SessionPolicy
    let hasher: any PasswordHasher

    public init(register: Register, policy: SessionPolicy = SessionPolicy(), hasher: any PasswordHasher) {
        self.register = register
        self.policy = policy
        self.hasher = hasher
    }

    public struct SignedIn: Sendable {
        /// The cookie value. Shown to the browser once; only its hash is stored.
        public let token: String
        public let session: WebSession
        public let user: User
    }

    public func signIn(username: String, password: String) async throws -> SignedIn {
        let now = register.clock.now()
        let name = username.trimmingCharacters(in: .whitespaces).lowercased()
        var v = Validator()
        v.check(!name.isEmpty, "username", "signin.username", "enter your username")
        v.check(!password.isEmpty, "password", "signin.password", "enter your password")
        try v.finish()

        let (found, throttle) = try await register.store.transaction { tx in
            (try await tx.user(username: name), try await tx.signInThrottle(username: name))
        }
        if let until = throttle?.lockedUntil, now < until {
            throw RegisterError.denied(.signInLocked(until: until))
        }
        let passwordMatches = await hasher.verify(password, against: found?.passwordHash)
        guard let (user, hash) = found, hash != nil, passwordMatches, user.isActive else {
            try await recordFailure(name, previous: throttle, user: found?.user, at: now)
            throw RegisterError.unauthenticated("the username or password is not right")
        }
        let token = Self.randomToken()
        let session = WebSession(id: Self.hash(token), userID: user.id, csrfToken: Self.randomToken(), createdAt: now, lastSeenAt: now)
        try await register.store.transaction { tx in
            try await tx.setSignInThrottle(username: name, nil)
            try await tx.insertSession(session)
            try await tx.appendAudit([
                AuditEntry(
                    at: now, operation: .userChange, action: .sessionSignIn, actor: user,
                    purpose: nil, subjects: [], touched: [.whole(.session)])
            ])
        }
        return SignedIn(token: token, session: session, user: user)
    }

    private func recordFailure(_ name: String, previous: SignInThrottle?, user: User?, at now: Timestamp) async throws {
        let failures = (previous?.failures ?? 0) + 1
        let lock = policy.lockout(afterFailures: failures).map { now.adding(seconds: $0) }
        try await register.store.transaction { tx in
            try await tx.setSignInThrottle(username: name, SignInThrottle(failures: failures, lockedUntil: lock))
            // Failures against a real account are logged for governance; unknown usernames are not,
            // so guessing names cannot fill the log.
            if let user {
                try await tx.appendAudit([
                    AuditEntry(
                        at: now, operation: .refusal, action: .sessionSignIn, actor: user, purpose: nil,
                        subjects: [], touched: [.whole(.session)],
                        outcome: "failed sign-in \(failures) in a row" + (lock.map { "; locked until \($0)" } ?? ""))
                ])
            }
        }
    }

    /// The session behind a cookie, if it is known, unexpired and its user still active. Keeps it alive.
    public func resume(token: String) async throws -> (WebSession, User) {
        let now = register.clock.now()
        let id = Self.hash(token)
        // A page view reads its session beside the writer, never in its lane: only an ending or a
        // due touch writes, so views do not queue behind (or hold up) the register's writes.
        let (found, owner) = try await register.store.lookup { tx -> (WebSession?, User?) in
            guard let session = try await tx.session(id: id) else { return (nil, nil) }
            return (session, try await tx.user(session.userID))
        }
        guard var session = found else { throw RegisterError.unauthenticated("please sign in") }
        guard !session.hasExpired(at: now, under: policy) else {
            try await register.store.transaction { tx in try await tx.deleteSession(id: id) }
            throw RegisterError.unauthenticated("your session ended after a period without activity; please sign in again")
        }
        guard let user = owner, user.isActive else {
            try await register.store.transaction { tx in try await tx.deleteSession(id: id) }
            throw RegisterError.unauthenticated("this account is disabled")
        }
        if now >= session.lastSeenAt.adding(seconds: policy.touchInterval) {
            // Read again inside the write, so a purpose stated meanwhile is not overwritten.
            session = try await register.store.transaction { tx in
                guard var current = try await tx.session(id: id) else { throw RegisterError.unauthenticated("please sign in") }
                current.lastSeenAt = now
                try await tx.updateSession(current)
                return current
            }
        }
        return (session, user)
    }

    /// Starts a working period for a purpose the user's role may state. Every audit entry the
    /// period produces carries it.
    public func state(_ purpose: StatedPurpose, for session: WebSession, user: User) async throws -> WebSession {
        let allowed = AccessPolicy.purposes(for: user.role)
        guard allowed.contains(purpose.purpose) else {
            throw RegisterError.invalid([
                FieldViolation(
                    field: "purpose", rule: "purpose.role",
                    message:
                        "a \(user.role.label) may not act for this purpose; choose one of: \(allowed.map(\.label).joined(separator: "; "))")
            ])
        }
        let now = register.clock.now()
        var updated = session
        updated.purpose = purpose
        updated.purposeUntil = now.adding(seconds: policy.purposePeriod)
        updated.lastSeenAt = now
        try await register.store.transaction { [updated] tx in try await tx.updateSession(updated) }
        return updated
    }

    public func signOut(_ session: WebSession, user: User) async throws {
        let now = register.clock.now()
        try await register.store.transaction { tx in
            try await tx.deleteSession(id: session.id)
            try await tx.appendAudit([
                AuditEntry(
                    at: now, operation: .userChange, action: .sessionSignOut, actor: user,
                    purpose: nil, subjects: [], touched: [.whole(.session)])
            ])
        }
    }

    /// A signed-in person changes their own password, proving the current one first. `newHash` is
    /// the adapter's hash of a password that passed `PasswordPolicy`. Logged as the person.
    public func changePassword(_ user: User, current: String, newHash: String) async throws {
        let now = register.clock.now()
        // Guessing the current password from a session left open counts against the same lock-out
        // as signing in.
        let (stored, throttle) = try await register.store.transaction { tx in
            (try await tx.user(username: user.username)?.passwordHash, try await tx.signInThrottle(username: user.username))
        }
        if let until = throttle?.lockedUntil, now < until { throw RegisterError.denied(.signInLocked(until: until)) }
        guard await hasher.verify(current, against: stored) else {
            try await recordFailure(user.username, previous: throttle, user: user, at: now)
            throw RegisterError.invalid([
                FieldViolation(field: "current", rule: "password.current", message: "the current password is not right")
            ])
        }
        try await register.store.transaction { tx in
            try await tx.setPasswordHash(newHash, user: user.id)
            try await tx.appendAudit([
                AuditEntry(
                    at: now, operation: .userChange, action: .passwordChange, actor: user, purpose: nil, subjects: [],
                    touched: [.user(user.id, part: "password")])
            ])
        }
    }

    static func randomToken() -> String {
        Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64URL
    }

    static func hash(_ token: String) -> String {
        Hex.lowercase(SHA256.hash(data: Data(token.utf8)))
    }
}

extension Timestamp {
    /// HH:MM in UTC, for messages.
    var clockTime: String {
        let seconds = (microseconds / 1_000_000) % 86_400
        return String(format: "%02d:%02d", seconds / 3600, (seconds % 3600) / 60)
    }
}
