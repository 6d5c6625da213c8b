import Foundation

/// A single-use link by which a person sets their own password: the administrator who creates an
/// account never sets or learns one. Only the link's hash is kept; it expires, and using it ends it.
public struct Enrolment: Sendable, Equatable {
    public let userID: UserID
    public let tokenHash: String
    public let expiresAt: Timestamp
    public let issuedBy: UserID
    public let issuedAt: Timestamp

    public init(userID: UserID, tokenHash: String, expiresAt: Timestamp, issuedBy: UserID, issuedAt: Timestamp) {
        (self.userID, self.tokenHash, self.expiresAt, self.issuedBy, self.issuedAt) = (userID, tokenHash, expiresAt, issuedBy, issuedAt)
    }

    /// How long a link lasts: long enough to reach the person, short enough that a forgotten one dies.
    public static let lifetime: Int64 = 72 * 3600

    /// The path a link opens; the token is shown once, to whoever issued it, to hand on.
    public static func path(_ token: String) -> String { "/enrol/\(token)" }
}

/// What issuing an enrolment gives the administrator to hand on: the link, once, and its expiry.
public struct EnrolmentLink: Sendable, Equatable {
    public let token: String
    public let expiresAt: Timestamp
    public var path: String { Enrolment.path(token) }
}

extension Directory {
    /// An administrator (or the command line) issues a link for an account; an earlier one stops
    /// working. No link for a disabled account. The token never reaches the log.
    public func issueEnrolment(for id: UserID, by actor: User) async throws -> EnrolmentLink {
        let token = "enr_" + Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64URL
        return try await register.perform(actor, nil, action: .enrolmentIssue) { tx, gate in
            let touched: [AuditResource] = [.user(id, part: "enrolment")]
            guard let holder = try await tx.user(id) else { throw RegisterError.notFound(kind: "user", id: id.description) }
            guard holder.isActive else { throw Refusal(denial: .accountDisabled, subjects: [], touched: touched) }
            let expiresAt = gate.now.adding(seconds: Enrolment.lifetime)
            try await tx.upsertEnrolment(
                Enrolment(userID: id, tokenHash: Self.hash(token: token), expiresAt: expiresAt, issuedBy: actor.id, issuedAt: gate.now))
            try await tx.appendAudit([gate.entry(.userChange, touched: touched, outcome: "enrolment link issued, until \(expiresAt)")])
            return EnrolmentLink(token: token, expiresAt: expiresAt)
        }
    }

    /// The account a link is for, if it is live: what the enrolment page shows before a password is chosen.
    public func enrolling(token: String) async throws -> User {
        try await register.store.transaction { tx in try await Self.live(token, tx, at: self.register.clock.now()).user }
    }

    /// The person sets their own password through the link, which then ends. `passwordHash` is the
    /// adapter's hash of a password that passed `PasswordPolicy`. Logged as the person.
    public func redeemEnrolment(token: String, passwordHash: String) async throws -> User {
        let now = register.clock.now()
        return try await register.store.transaction { tx in
            let (enrolment, user) = try await Self.live(token, tx, at: now)
            try await tx.setPasswordHash(passwordHash, user: user.id)
            try await tx.deleteEnrolment(user: enrolment.userID)
            try await tx.appendAudit([
                AuditEntry(
                    at: now, operation: .userChange, action: .enrolmentRedeem, actor: user, purpose: nil,
                    touched: [.user(user.id, part: "password")], outcome: "password set through an enrolment link")
            ])
            return user
        }
    }

    /// A link that exists, has not expired and belongs to an active account; every other link
    /// answers the same, so a guess learns nothing.
    private static func live(_ token: String, _ tx: any RegisterTransaction, at now: Timestamp) async throws -> (
        enrolment: Enrolment, user: User
    ) {
        guard let enrolment = try await tx.enrolment(tokenHash: hash(token: token)), now < enrolment.expiresAt,
            let user = try await tx.user(enrolment.userID), user.isActive
        else { throw RegisterError.notFound(kind: "enrolment link", id: "this link") }
        return (enrolment, user)
    }
}
